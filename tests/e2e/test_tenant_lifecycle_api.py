"""Platform admins export a tenant into an archive and delete a suspended tenant; the platform
audit trail keeps both after the tenant and its own trail are gone. Nobody else may."""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path
from typing import Any

import pytest

from merchantops.domain.lifecycle.models import TenantArchive, TenantDeletion
from merchantops.settings import Settings
from merchantops.tenants.global_ids import global_id
from merchantops.tenants.models import Tenant, User
from merchantops.workers.inprocess import InProcessQueue
from tests.conftest import GraphQLClient, make_settings
from tests.factories import PASSWORD, make_catalog, make_onboarded_shop, make_user

EXPORT = """
mutation($slug: String!) {
  exportTenant(input: {slug: $slug}) {
    archive { id tenantSlug status }
    errors { field code message }
  }
}
"""
ARCHIVE = """
query($id: ID!) {
  tenantArchive(id: $id) {
    id tenantSlug status progressDone progressTotal tables { table rows }
    fileName sizeBytes sha256 path error finishedAt
  }
}
"""
SUSPEND = """
mutation($slug: String!) {
  setTenantStatus(input: {slug: $slug, status: SUSPENDED}) { tenant { status } errors { code } }
}
"""
DELETE = """
mutation($slug: String!, $confirm: String!) {
  deleteTenant(input: {slug: $slug, confirm: $confirm}) {
    deletion { id tenantSlug status }
    errors { field code message }
  }
}
"""
DELETION = """
query($id: ID!) {
  tenantDeletion(id: $id) { status rowsDeleted rowsTotal tables { table rows } finishedAt }
}
"""
PLATFORM_AUDIT = """
query($slug: String) {
  platformAuditLog(filter: {tenantSlug: $slug}, first: 10) {
    totalCount
    edges { node { actor action tenantId tenantSlug details } }
  }
}
"""


@pytest.fixture
def settings(db: str, tmp_path: Path) -> Settings:
    return make_settings(db, tenant_archive_dir=tmp_path / "archives")


def _read(path: Path) -> tuple[int, str, list[str]]:
    with tarfile.open(path) as tar:
        names = tar.getnames()
    return path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest(), names


async def _admin(gql: GraphQLClient) -> tuple[str, User]:
    admin = await make_user("root@platform.example.com", platform_admin=True)
    return str((await gql.login(admin.email, PASSWORD))["accessToken"]), admin


async def test_admin_exports_a_tenant_and_finds_the_archive_it_describes(
    gql: GraphQLClient, jobs: InProcessQueue, settings: Settings
) -> None:
    # given
    token, _ = await _admin(gql)
    shop = await make_onboarded_shop("acme")
    await make_catalog(shop)

    # when
    asked = (await gql.execute(EXPORT, {"slug": "acme"}, token=token))["data"]["exportTenant"]
    await jobs.drain()
    archive = (await gql.execute(ARCHIVE, {"id": asked["archive"]["id"]}, token=token))["data"][
        "tenantArchive"
    ]
    listed = (
        await gql.execute(
            '{ tenantArchives(slug: "acme") { totalCount edges { node { id status } } } }',
            token=token,
        )
    )["data"]["tenantArchives"]

    # then
    assert asked["errors"] == []
    assert asked["archive"]["tenantSlug"] == "acme"
    assert archive["status"] == "DONE"
    assert archive["error"] is None
    assert archive["progressDone"] == archive["progressTotal"] > 0
    rows = {entry["table"]: entry["rows"] for entry in archive["tables"]}
    assert rows["product"] == 1
    assert rows["sku"] == 2
    assert rows["supplier_contact"] == 1
    path = Path(archive["path"])
    assert path == (settings.tenant_archive_dir / archive["fileName"]).resolve()
    assert archive["fileName"].startswith("acme-")
    assert archive["fileName"].endswith(".tar.gz")
    size, digest, names = _read(path)
    assert size == archive["sizeBytes"]
    assert digest == archive["sha256"]
    assert "manifest.json" in names
    assert "tables/sku.jsonl" in names
    assert listed["totalCount"] == 1
    assert listed["edges"][0]["node"] == {"id": archive["id"], "status": "DONE"}


async def test_admin_deletes_a_suspended_tenant_and_the_platform_audit_keeps_it(
    gql: GraphQLClient, jobs: InProcessQueue
) -> None:
    # given: a suspended tenant whose owner also belongs to another tenant
    token, admin = await _admin(gql)
    shop = await make_onboarded_shop("acme")
    await make_catalog(shop)
    other = await make_onboarded_shop("globex")
    await gql.execute(SUSPEND, {"slug": "acme"}, token=token)

    # when
    asked = (await gql.execute(DELETE, {"slug": "acme", "confirm": "acme"}, token=token))["data"][
        "deleteTenant"
    ]
    await jobs.drain()
    deletion = (await gql.execute(DELETION, {"id": asked["deletion"]["id"]}, token=token))["data"][
        "tenantDeletion"
    ]
    audit = (await gql.execute(PLATFORM_AUDIT, {"slug": "acme"}, token=token))["data"][
        "platformAuditLog"
    ]
    owner = await gql.login(shop.email, PASSWORD)
    refused = await gql.post(
        "{ currentTenant { slug } }", token=owner["accessToken"], tenant="acme"
    )
    still = await gql.execute(
        "{ currentTenant { slug } }",
        token=(await gql.login(other.email, PASSWORD))["accessToken"],
        tenant="globex",
    )

    # then
    assert asked["errors"] == []
    assert asked["deletion"]["status"] == "QUEUED"
    assert deletion["status"] == "DONE"
    assert deletion["rowsDeleted"] == deletion["rowsTotal"] > 0
    assert {entry["table"] for entry in deletion["tables"]} >= {"sku", "product", "membership"}
    assert not await Tenant.exists(slug="acme")
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "TENANT_FORBIDDEN"
    assert still["data"] == {"currentTenant": {"slug": "globex"}}
    actions = [edge["node"]["action"] for edge in audit["edges"]]
    assert actions == ["tenant.deleted", "tenant.delete_requested"]
    requested = audit["edges"][1]["node"]
    assert requested["actor"] == f"user:{global_id('User', admin.id)}"
    assert requested["tenantId"] == global_id("Tenant", shop.tenant.id)
    assert requested["details"]["tenant_deletion_id"] == asked["deletion"]["id"]
    assert audit["edges"][0]["node"]["details"]["rows"] == deletion["rowsDeleted"]


async def test_tenant_owner_who_is_not_a_platform_admin_is_refused_everything(
    gql: GraphQLClient, jobs: InProcessQueue
) -> None:
    # given: the owner of a suspended tenant
    shop = await make_onboarded_shop("acme")
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]
    await Tenant.filter(id=shop.tenant.id).update(status="suspended")
    documents: list[tuple[str, dict[str, Any]]] = [
        (EXPORT, {"slug": "acme"}),
        (DELETE, {"slug": "acme", "confirm": "acme"}),
        (ARCHIVE, {"id": global_id("TenantArchive", "7d1f6a0e-0000-4000-8000-000000000001")}),
        ("{ tenantArchives { totalCount } }", {}),
        ("{ tenantDeletions { totalCount } }", {}),
        (PLATFORM_AUDIT, {"slug": "acme"}),
    ]

    # when
    answers = [await gql.execute(query, variables, token=token) for query, variables in documents]
    await jobs.drain()

    # then
    for body in answers:
        assert set(body["data"].values()) == {None}
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert await TenantArchive.all().count() == 0
    assert await TenantDeletion.all().count() == 0
    assert await Tenant.exists(slug="acme")


async def test_bad_input_answers_typed_errors_and_changes_nothing(
    gql: GraphQLClient, jobs: InProcessQueue
) -> None:
    # given
    token, _ = await _admin(gql)
    await make_onboarded_shop("acme")

    # when
    def errors(body: dict[str, Any], field: str) -> list[tuple[str, str]]:
        return [(e["field"], e["code"]) for e in body["data"][field]["errors"]]

    unknown_export = await gql.execute(EXPORT, {"slug": "nobody"}, token=token)
    unknown = await gql.execute(DELETE, {"slug": "nobody", "confirm": "nobody"}, token=token)
    active = await gql.execute(DELETE, {"slug": "acme", "confirm": "acme"}, token=token)
    await gql.execute(SUSPEND, {"slug": "acme"}, token=token)
    mismatch = await gql.execute(DELETE, {"slug": "acme", "confirm": "acme-shop"}, token=token)
    missing = await gql.execute(
        ARCHIVE,
        {"id": global_id("TenantArchive", "7d1f6a0e-0000-4000-8000-000000000001")},
        token=token,
    )
    await jobs.drain()

    # then
    assert errors(unknown_export, "exportTenant") == [("slug", "NOT_FOUND")]
    assert errors(unknown, "deleteTenant") == [("slug", "NOT_FOUND")]
    assert errors(active, "deleteTenant") == [("slug", "TENANT_NOT_SUSPENDED")]
    assert errors(mismatch, "deleteTenant") == [("confirm", "CONFIRMATION_MISMATCH")]
    assert active["data"]["deleteTenant"]["deletion"] is None
    assert missing["data"] == {"tenantArchive": None}
    assert await TenantDeletion.all().count() == 0
    assert await Tenant.exists(slug="acme")
