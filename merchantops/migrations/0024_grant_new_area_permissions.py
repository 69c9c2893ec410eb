"""Tenants created before the calendars, knowledge and customer-service areas existed: their
system roles get the permissions the role templates now give on those areas' objects
(`calendar`, `knowledge`, `ticket`), as a tenant created today has them. Only grants that are
missing are added (a role a tenant deleted stays deleted), and each changed tenant's policy
version moves so cached policies are reloaded. Runs as the owner, across tenants."""

from tortoise import migrations
from tortoise.migrations import operations as ops

NEW_OBJECTS = ("calendar", "knowledge", "ticket")


async def _grant(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    from merchantops.tenants.rbac import role_subject
    from merchantops.tenants.templates import default_roles

    client = schema_editor.client
    mark = "$1" if client.capabilities.dialect == "postgres" else "?"
    _, tenants = await client.execute_query('SELECT "id" FROM "tenant"')
    for tenant in tenants:
        tenant_id = str(tenant["id"])
        _, roles = await client.execute_query(
            f'SELECT "slug" FROM "role" WHERE "tenant_id" = {mark} AND "is_system"', [tenant_id]
        )
        present = {row["slug"] for row in roles}
        _, rules = await client.execute_query(
            f'SELECT "v0", "v2", "v3" FROM "casbin_rule" WHERE "tenant_id" = {mark} '
            "AND \"ptype\" = 'p'",
            [tenant_id],
        )
        held = {(row["v0"], row["v2"], row["v3"]) for row in rules}
        missing = [
            (role_subject(role.slug), obj, act)
            for role in default_roles()
            if role.slug in present
            for obj, act in role.permissions
            if obj in NEW_OBJECTS and (role_subject(role.slug), obj, act) not in held
        ]
        if not missing:
            continue
        marks = (
            "($1, 'p', $2, $3, $4, $5, '', '')"
            if mark == "$1"
            else "(?, 'p', ?, ?, ?, ?, '', '')"
        )
        for subject, obj, act in missing:
            await client.execute_query(
                'INSERT INTO "casbin_rule" ("tenant_id", "ptype", "v0", "v1", "v2", "v3", '
                f'"v4", "v5") VALUES {marks}',
                [tenant_id, subject, tenant_id, obj, act],
            )
        await client.execute_query(
            f'UPDATE "tenant" SET "policy_version" = "policy_version" + 1 WHERE "id" = {mark}',
            [tenant_id],
        )


async def _keep(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    pass  # grants stay: removing them could take away rights given by hand since


class Migration(migrations.Migration):
    dependencies = [("merchantops", "0023_support")]

    initial = False

    operations = [ops.RunPython(_grant, _keep)]
