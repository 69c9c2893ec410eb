"""Tortoise configuration shared by the API, the workers, the CLI and the tests."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url

from merchantops import bootstrap
from merchantops.dbengine import rls
from merchantops.log import get_logger
from merchantops.tenants.context import Crossing, across_tenants

logger = get_logger(__name__)

APP_LABEL = "merchantops"
MIGRATIONS_MODULE = "merchantops.migrations"
# tortoise's clients, made safe to cancel (merchantops/dbengine/__init__.py says why)
ENGINES = {
    "tortoise.backends.sqlite": "merchantops.dbengine.sqlite",
    "tortoise.backends.asyncpg": "merchantops.dbengine.postgres",
}


def connection_config(db_url: str) -> dict[str, Any]:
    config: dict[str, Any] = expand_db_url(db_url)
    config["engine"] = ENGINES.get(config["engine"], config["engine"])
    return config


def tortoise_config(db_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": connection_config(db_url)},
        "apps": {
            APP_LABEL: {
                "models": bootstrap.model_modules(),
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def init_db(db_url: str) -> None:
    bootstrap.wire()
    await Tortoise.init(config=tortoise_config(db_url), _enable_global_fallback=True)


async def close_db() -> None:
    await Tortoise.close_connections()


async def migrate_db(db_url: str) -> None:
    """Apply every committed migration; a no-op on an up-to-date database. Run as the owner of
    the tables (`Settings.migration_db_url`); data migrations see every tenant's rows."""
    from tortoise.migrations.api import migrate

    try:
        with across_tenants(Crossing.MIGRATIONS):
            await migrate(config=tortoise_config(db_url))
    finally:
        await Tortoise.close_connections()


class RowLevelSecurityNotEnforced(RuntimeError):
    pass


async def check_row_level_security(required: bool) -> None:
    """Log whether DATABASE_URL's role is held to row-level security (PostgreSQL); refuse to
    go on when it is not and `required`."""
    found = await rls.status(Tortoise.get_connection("default"))
    if found is None or found.enforced:
        return
    why = "a superuser" if found.superuser else "BYPASSRLS"
    message = (
        f"the database role {found.role!r} is {why}: row-level security does not hold it to "
        "the tenant in context; connect as the application role (README, PostgreSQL roles)"
    )
    if required:
        raise RowLevelSecurityNotEnforced(message)
    logger.warning("db.row_level_security_not_enforced", role=found.role, reason=why)


async def ping_db() -> None:
    await Tortoise.get_connection("default").execute_query("SELECT 1")


def __getattr__(name: str) -> Any:
    # `tortoise makemigrations` reads TORTOISE_ORM from pyproject; build it from the settings
    # only when asked, so importing this module never reads the environment.
    if name == "TORTOISE_ORM":
        from merchantops.settings import get_settings

        return tortoise_config(get_settings().tortoise_db_url)
    raise AttributeError(name)
