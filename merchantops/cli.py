"""`merchantops`: serve the API, migrate, and administer tenants and users.

Only the standard library and typer are imported here: each command imports what it needs
when it runs, so `merchantops --help` answers at once (tortoise, strawberry and durable-rules
cost seconds to import; `tests/unit/test_cli.py` holds `--help` to importing none of them).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:
    from merchantops.settings import Settings
    from merchantops.tenants.models import TenantStatus

T = TypeVar("T")
SCHEMA_PATH = Path("schema.graphql")
RULES_DOCS_PATH = Path("docs/rules.md")
# The defaults of merchantops.settings.Settings (a test keeps them equal), shown by --help.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

app = typer.Typer(
    help="MerchantOps: a multi-tenant GraphQL operations API for e-commerce businesses.",
    no_args_is_help=True,
    add_completion=False,
)


def load_settings() -> Settings:
    from pydantic import ValidationError

    from merchantops.settings import Settings

    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors())
        typer.echo(f"merchantops: refusing to start: {problems}", err=True)
        raise typer.Exit(2) from None


def run_with_db(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    import asyncio

    from merchantops.db import close_db, init_db
    from merchantops.errors import DomainError

    async def wrapped() -> T:
        await init_db(settings.tortoise_db_url)
        try:
            return await work()
        finally:
            await close_db()

    try:
        return asyncio.run(wrapped())
    except DomainError as error:
        typer.echo(f"merchantops: {error.message}", err=True)
        raise typer.Exit(1) from None


def _migrate(settings: Settings) -> None:
    import asyncio

    from merchantops.db import migrate_db

    asyncio.run(migrate_db(settings.migration_db_url))


@app.command()
def serve(
    host: Annotated[str, typer.Option(envvar="HOST", help="Bind address.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(envvar="PORT", help="Port.")] = DEFAULT_PORT,
    migrate: Annotated[bool, typer.Option(help="Apply migrations first.")] = True,
    demo: Annotated[
        bool | None, typer.Option(help="Create the demo tenant [default: on outside production].")
    ] = None,
) -> None:
    """Start the API (GraphQL at /graphql, /healthz, /readyz)."""
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    from merchantops.api.app import create_app
    from merchantops.demo import ensure_demo
    from merchantops.log import configure_logging, uvicorn_log_config

    settings = load_settings()
    configure_logging(json=settings.is_production)
    if migrate:
        _migrate(settings)
    if demo if demo is not None else not settings.is_production:
        logins = run_with_db(settings, ensure_demo)
        typer.echo("Demo logins (development only):")
        for login in logins:
            typer.echo(f"  {login.email} / {login.password}   tenant: {login.tenant}")
    ide = " (GraphiQL in a browser)" if settings.graphiql_enabled else ""
    typer.echo(f"GraphQL: http://{host}:{port}/graphql{ide}")
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="info",
        log_config=uvicorn_log_config(json=settings.is_production) or LOGGING_CONFIG,
    )


@app.command()
def worker() -> None:
    """Run the arq worker: background jobs and the schedule (needs REDIS_URL)."""
    from merchantops.log import configure_logging
    from merchantops.workers.arq_worker import run

    settings = load_settings()
    configure_logging(json=settings.is_production)
    if not settings.redis_url:
        typer.echo(
            "merchantops: REDIS_URL is not set; without it jobs run inside `merchantops serve`.",
            err=True,
        )
        raise typer.Exit(2)
    run(settings)


@app.command("migrate")
def migrate_command() -> None:
    """Apply every committed database migration (as DATABASE_OWNER_URL's role when set)."""
    _migrate(load_settings())
    typer.echo("Database is up to date.")


@app.command("citus-plan")
def citus_plan() -> None:
    """Print the Citus statements distributing this database's schema by tenant (read from its
    catalogue, so they follow every migration; docs/scaling.md), or what stands in the way."""
    import asyncio

    from merchantops.dbengine import citus

    settings = load_settings()
    if not settings.migration_db_url.startswith("postgres://"):
        typer.echo("merchantops: citus-plan reads a PostgreSQL database.", err=True)
        raise typer.Exit(2)

    async def read() -> citus.Schema:
        from tortoise import Tortoise

        from merchantops.db import close_db, init_db

        await init_db(settings.migration_db_url)
        try:
            return await citus.read_schema(Tortoise.get_connection("default"))
        finally:
            await close_db()

    schema = asyncio.run(read())
    if found := citus.problems(schema):
        typer.echo("merchantops: the schema is not ready for Citus:", err=True)
        for problem in found:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1)
    typer.echo("\n".join(citus.distribution_statements(schema)))


@app.command("db-grant")
def db_grant(
    role: Annotated[str, typer.Argument(help="The application role (DATABASE_URL's user).")],
    show: Annotated[bool, typer.Option(help="Print the statements instead of running them.")] = (
        False
    ),
) -> None:
    """Grant the application role what it needs on every table, run as the tables' owner
    (DATABASE_OWNER_URL, else DATABASE_URL) after migrating (PostgreSQL)."""
    import asyncio

    import asyncpg

    from merchantops.dbengine import rls

    statements = rls.grant_statements(role)
    if show:
        typer.echo(";\n".join(statements) + ";")
        return
    settings = load_settings()
    url = settings.migration_db_url
    if not url.startswith("postgres://"):
        typer.echo("merchantops: db-grant is for PostgreSQL (SQLite has no roles).", err=True)
        raise typer.Exit(2)

    async def grant() -> None:
        connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(grant())
    typer.echo(f"Granted {role} rows on every table (row-level security applies).")


@app.command()
def makemigrations(
    name: Annotated[str | None, typer.Option(help="Name for the new migration.")] = None,
) -> None:
    """Write a migration for model changes (developers; commit the file)."""
    import asyncio

    from tortoise.cli.cli import run_cli_async

    argv = ["--config", "merchantops.db.TORTOISE_ORM", "makemigrations"]
    argv += ["--name", name] if name else []
    raise typer.Exit(asyncio.run(run_cli_async(argv)))


@app.command("create-user")
def create_user(
    email: Annotated[str, typer.Option(help="Login email.")],
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="Password.")
    ],
    full_name: Annotated[str, typer.Option(help="Display name.")] = "",
    platform_admin: Annotated[bool, typer.Option(help="May create and suspend tenants.")] = False,
) -> None:
    """Create a user account."""
    from merchantops.tenants import admin

    settings = load_settings()
    user = run_with_db(
        settings,
        lambda: admin.create_user(
            email, password, full_name=full_name, platform_admin=platform_admin
        ),
    )
    typer.echo(f"Created user {user.email} ({user.id}).")


@app.command("create-tenant")
def create_tenant(
    slug: Annotated[str, typer.Option(help="Lowercase letters, digits and hyphens.")],
    name: Annotated[str, typer.Option(help="Display name.")],
    owner_email: Annotated[str, typer.Option(help="First owner; invited if without account.")],
) -> None:
    """Create a tenant with its first owner."""
    from datetime import timedelta

    from merchantops.domain.onboarding import service as onboarding

    settings = load_settings()
    ttl = timedelta(seconds=settings.invitation_ttl_seconds)
    created = run_with_db(
        settings, lambda: onboarding.create_tenant(slug, name, owner_email, invitation_ttl=ttl)
    )
    typer.echo(f"Created tenant {created.tenant.slug} owned by {created.owner.email}.")
    if created.invitation_token:
        typer.echo(
            "The owner has no account yet; give them this invitation token (shown once) "
            f"for the acceptInvitation mutation: {created.invitation_token}"
        )


def _set_status(slug: str, status: TenantStatus) -> None:
    from merchantops.tenants import admin

    settings = load_settings()
    tenant = run_with_db(settings, lambda: admin.set_tenant_status(slug, status))
    typer.echo(f"Tenant {tenant.slug} is {tenant.status.value}.")


@app.command("suspend-tenant")
def suspend_tenant(slug: Annotated[str, typer.Argument(help="Tenant slug.")]) -> None:
    """Suspend a tenant: every request for it is refused until it is activated."""
    from merchantops.tenants.models import TenantStatus

    _set_status(slug, TenantStatus.SUSPENDED)


@app.command("activate-tenant")
def activate_tenant(slug: Annotated[str, typer.Argument(help="Tenant slug.")]) -> None:
    """Reactivate a suspended tenant."""
    from merchantops.tenants.models import TenantStatus

    _set_status(slug, TenantStatus.ACTIVE)


audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(
    tenant: Annotated[str, typer.Option(help="Slug of the tenant whose chain to check.")],
) -> None:
    """Check a tenant's audit hash chain; exit 1 naming the first broken sequence number."""
    from merchantops.errors import NotFound
    from merchantops.tenants import audit
    from merchantops.tenants.models import Tenant

    settings = load_settings()

    async def check() -> audit.ChainReport:
        found = await Tenant.get_or_none(slug=tenant.strip().lower())
        if found is None:
            raise NotFound(f"No tenant with slug '{tenant}'.")
        return await audit.verify(found.id)

    report = run_with_db(settings, check)
    if report.ok:
        typer.echo(f"Audit chain of {tenant} is intact ({report.entries} entries).")
        return
    typer.echo(
        f"Audit chain of {tenant} is broken at sequence {report.first_broken_seq}: "
        f"{report.reason}.",
        err=True,
    )
    raise typer.Exit(1)


@app.command("export-schema")
def export_schema(
    path: Annotated[Path, typer.Argument(help="Where to write the SDL.")] = SCHEMA_PATH,
    check: Annotated[bool, typer.Option(help="Fail if the file differs instead.")] = False,
) -> None:
    """Write the GraphQL schema (SDL) to schema.graphql, or check that it is current."""
    from merchantops.api.graphql.schema import build_schema
    from merchantops.settings import Settings

    sdl = str(build_schema(Settings())) + "\n"
    if check:
        if not path.exists() or path.read_text() != sdl:
            typer.echo(f"{path} is stale; run `merchantops export-schema` and commit it.", err=True)
            raise typer.Exit(1)
        return
    path.write_text(sdl)
    typer.echo(f"Wrote {path}.")


@app.command("docs-facts")
def docs_facts(
    path: Annotated[Path, typer.Argument(help="The rules guide.")] = RULES_DOCS_PATH,
    write: Annotated[bool, typer.Option(help="Rewrite the tables instead of checking.")] = False,
) -> None:
    """Check (or --write) the fact tables of docs/rules.md against the code's catalogue."""
    from merchantops import bootstrap
    from merchantops.rules import facts

    bootstrap.wire()
    current = path.read_text()
    wanted = facts.update_docs(current)
    if write:
        path.write_text(wanted)
        typer.echo(f"Wrote the fact tables of {path}.")
    elif wanted != current:
        typer.echo(
            f"{path} is stale; run `merchantops docs-facts --write` and commit it.", err=True
        )
        raise typer.Exit(1)


def main() -> None:
    app(prog_name="merchantops")


if __name__ == "__main__":
    main()
