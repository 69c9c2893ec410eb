"""Committed migrations are the schema: they apply cleanly and match the models."""

from __future__ import annotations

import importlib

from tortoise import Tortoise
from tortoise.migrations.autodetector import MigrationAutodetector
from tortoise.models import Model

from merchantops.bootstrap import model_modules
from merchantops.db import APP_LABEL, tortoise_config


async def test_models_have_no_changes_missing_from_the_committed_migrations(db: str) -> None:
    apps_config = tortoise_config(db)["apps"]
    assert Tortoise.apps is not None

    writers = await MigrationAutodetector(Tortoise.apps, apps_config).changes()

    assert [writer.name for writer in writers] == [], (
        "models changed without a migration: run `.venv/bin/merchantops makemigrations "
        "--name <what-changed>` and commit the file"
    )


async def test_migrated_database_has_every_model_table(db: str) -> None:
    connection = Tortoise.get_connection("default")
    for model in Tortoise.apps[APP_LABEL].values():
        # a SELECT on each table proves it exists with the columns the model expects
        columns = ", ".join(f'"{column}"' for column in model._meta.db_fields)
        await connection.execute_query(f'SELECT {columns} FROM "{model._meta.db_table}" LIMIT 1')


def test_model_docstrings_hold_no_semicolons() -> None:
    # Docstrings become table comments, and tortoise's SQLite migrator splits SQL on ";".
    offenders = [
        f"{module}.{name}"
        for module in model_modules()
        for name, value in vars(importlib.import_module(module)).items()
        if isinstance(value, type) and issubclass(value, Model) and ";" in (value.__doc__ or "")
    ]
    assert offenders == []


async def test_tenants_from_before_the_new_areas_get_their_permissions(db: str) -> None:
    """0024: a tenant created before calendars, knowledge and tickets existed lacks their
    grants; the migration adds what today's role templates give, once."""
    from types import SimpleNamespace

    from merchantops.tenants.context import Crossing, across_tenants, tenant_scope
    from merchantops.tenants.models import PolicyRule, Tenant
    from tests.factories import make_shop

    grant = importlib.import_module("merchantops.migrations.0024_grant_new_area_permissions")
    shop = await make_shop("acme")
    new_objects = ("calendar", "knowledge", "ticket")
    with tenant_scope(shop.tenant.id):
        given = await PolicyRule.filter(ptype="p", v2__in=new_objects).count()
        assert given > 0
        await PolicyRule.filter(ptype="p", v2__in=new_objects).delete()  # as it was then
    version = (await Tenant.get(id=shop.tenant.id)).policy_version
    editor = SimpleNamespace(client=Tortoise.get_connection("default"))

    with across_tenants(Crossing.TENANT_LIFECYCLE):
        await grant._grant(None, editor)
        await grant._grant(None, editor)  # a second run adds nothing

    with tenant_scope(shop.tenant.id):
        assert await PolicyRule.filter(ptype="p", v2__in=new_objects).count() == given
    assert (await Tenant.get(id=shop.tenant.id)).policy_version == version + 1
