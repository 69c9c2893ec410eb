"""Catalog, suppliers and purchase orders as a merchant front end and its staff use them."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

import pytest

from merchantops.domain.purchasing import service as purchasing
from merchantops.domain.suppliers.models import Grade
from merchantops.tenants.context import tenant_scope
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, Catalog, Shop, add_member, make_catalog, make_onboarded_shop
from tests.support.sql_count import counting_statements

SUPPLIER_CONTACTS = "{ suppliers { edges { node { code contacts { fullName email phone } } } } }"
ERRORS = "errors { field code message }"


async def _token(gql: GraphQLClient, email: str) -> str:
    return str((await gql.login(email, PASSWORD))["accessToken"])


async def _as(gql: GraphQLClient, email: str, query: str, **variables: Any) -> Any:
    body = await gql.execute(query, variables, token=await _token(gql, email), tenant="acme")
    assert "errors" not in body, body
    return body["data"]


async def _world() -> tuple[Shop, Catalog]:
    shop = await make_onboarded_shop("acme")
    catalog = await make_catalog(shop)
    await add_member(shop, "clerk@acme.example.com", ["warehouse-staff"])
    await add_member(shop, "buyer@acme.example.com", ["supply-chain-staff"])
    await add_member(shop, "finance@acme.example.com", ["finance-manager"])
    return shop, catalog


async def test_supplier_contacts_are_masked_for_a_warehouse_clerk_and_clear_for_a_buyer(
    gql: GraphQLClient,
) -> None:
    # given: a supplier contact and the standard masking template
    await _world()

    # when
    clerk = await _as(gql, "clerk@acme.example.com", SUPPLIER_CONTACTS)
    buyer = await _as(gql, "buyer@acme.example.com", SUPPLIER_CONTACTS)

    # then
    [clerk_view] = clerk["suppliers"]["edges"][0]["node"]["contacts"]
    [buyer_view] = buyer["suppliers"]["edges"][0]["node"]["contacts"]
    assert buyer_view == {
        "fullName": "Dana Reyes",
        "email": "dana.reyes@lakeside.example",
        "phone": "+1 555 0100 234",
    }
    assert clerk_view["fullName"] == "D********s"
    assert "dana.reyes" not in str(clerk_view)
    assert "0100" not in clerk_view["phone"]


CREATE_PO = f"""
mutation($s: ID!, $w: ID!, $k: ID!, $q: Int!) {{
  createPurchaseOrder(input: {{supplierId: $s, warehouseId: $w,
      lines: [{{skuId: $k, quantity: $q, unitCost: "10.00"}}], paymentTerms: "30 days"}}) {{
    purchaseOrder {{ id number status total }} {ERRORS}
  }}
}}"""
SUBMIT = f"""mutation($id: ID!) {{ submitPurchaseOrder(input: {{id: $id}}) {{
  purchaseOrder {{ status pendingApproval {{ id role }} }}
  approvalRequest {{ id role reason }} {ERRORS} }} }}"""
APPROVE_REQUEST = f"""mutation($id: ID!) {{ approveRequest(input: {{id: $id, comment: "ok"}}) {{
  approvalRequest {{ status decidedBy }} {ERRORS} }} }}"""


def _gid(type_name: str, pk: object) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


async def test_large_po_awaiting_finance_is_listed_as_awaiting_and_goes_through_when_approved(
    gql: GraphQLClient,
) -> None:
    # given
    _, catalog = await _world()
    ids = {
        "s": _gid("Supplier", catalog.supplier.id),
        "w": _gid("Warehouse", catalog.warehouse.id),
        "k": _gid("Sku", catalog.skus[0].id),
    }

    # when: a buyer submits a 60,000 order
    created = await _as(gql, "buyer@acme.example.com", CREATE_PO, q=6000, **ids)
    order = created["createPurchaseOrder"]["purchaseOrder"]
    held = (await _as(gql, "buyer@acme.example.com", SUBMIT, id=order["id"]))["submitPurchaseOrder"]
    pending = await _as(
        gql,
        "finance@acme.example.com",
        "{ approvalRequests(mine: true, status: PENDING) "
        "{ edges { node { id action subjectId } } } }",
    )
    waiting = await _as(
        gql,
        "buyer@acme.example.com",
        "{ purchaseOrders(first: 5, filter: {statuses: [AWAITING_APPROVAL]}) "
        "{ edges { node { number } } } }",
    )
    decided = await _as(
        gql, "finance@acme.example.com", APPROVE_REQUEST, id=held["approvalRequest"]["id"]
    )
    after = await _as(
        gql,
        "buyer@acme.example.com",
        "query($id: ID!) { purchaseOrder(id: $id) { status pendingApproval { id } } }",
        id=order["id"],
    )

    # then
    assert (order["number"], order["status"], order["total"]) == ("PO-000001", "DRAFT", "60000.00")
    assert held["purchaseOrder"]["status"] == "AWAITING_APPROVAL"
    assert [e["node"]["number"] for e in waiting["purchaseOrders"]["edges"]] == ["PO-000001"]
    assert held["approvalRequest"]["role"] == "finance-manager"
    assert held["purchaseOrder"]["pendingApproval"]["id"] == held["approvalRequest"]["id"]
    assert [e["node"]["action"] for e in pending["approvalRequests"]["edges"]] == [
        "purchase_order.submit"
    ]
    # the subject is named by the id the API handed out for the order
    assert pending["approvalRequests"]["edges"][0]["node"]["subjectId"] == order["id"]
    assert decided["approveRequest"]["approvalRequest"]["status"] == "APPROVED"
    assert after["purchaseOrder"] == {"status": "SUBMITTED", "pendingApproval": None}


async def test_po_to_grade_d_supplier_is_refused_with_the_rule_named(gql: GraphQLClient) -> None:
    shop = await make_onboarded_shop("acme")
    catalog = await make_catalog(shop, grade=None)
    await add_member(shop, "buyer@acme.example.com", ["supply-chain-staff"])
    with tenant_scope(shop.tenant.id):
        catalog.supplier.grade = Grade.D
        await catalog.supplier.save()
        order = await purchasing.create(
            catalog.supplier.id,
            catalog.warehouse.id,
            [purchasing.LineSpec(catalog.skus[0].id, 1, Decimal(1))],
        )

    refused = await _as(gql, "buyer@acme.example.com", SUBMIT, id=_gid("PurchaseOrder", order.id))

    [error] = refused["submitPurchaseOrder"]["errors"]
    assert error["code"] == "COMPLIANCE_DENIED"
    assert "no-po-to-grade-d" in error["message"]
    assert refused["submitPurchaseOrder"]["purchaseOrder"] is None


async def test_warehouse_clerk_cannot_create_purchase_orders(gql: GraphQLClient) -> None:
    _, catalog = await _world()
    token = await _token(gql, "clerk@acme.example.com")
    ids = {
        "s": _gid("Supplier", catalog.supplier.id),
        "w": _gid("Warehouse", catalog.warehouse.id),
        "k": _gid("Sku", catalog.skus[0].id),
    }

    body = await gql.execute(CREATE_PO, {"q": 1, **ids}, token=token, tenant="acme")

    assert body["data"] == {"createPurchaseOrder": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


ORDERS = """query($n: Int!) { purchaseOrders(first: $n) { edges { node {
  number total supplier { code name grade contacts { email } }
  lines { quantity amount sku { code price product { name } } }
  pendingApproval { id }
} } } }"""


@pytest.mark.parametrize("db", ["postgres"], indirect=True)
async def test_statements_for_a_page_of_orders_do_not_grow_with_the_page(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop, catalog = await _world()
    with tenant_scope(shop.tenant.id):
        for index in range(100):
            await purchasing.create(
                catalog.supplier.id,
                catalog.warehouse.id,
                [purchasing.LineSpec(sku.id, index + 1, Decimal("2.50")) for sku in catalog.skus],
            )
    token = await _token(gql, shop.email)
    await gql.execute(ORDERS, {"n": 1}, token=token, tenant="acme")  # warm the policy caches

    counts = {}
    for size in (1, 10, 100):
        with counting_statements(monkeypatch) as statements:
            body = await gql.execute(ORDERS, {"n": size}, token=token, tenant="acme")
        assert len(body["data"]["purchaseOrders"]["edges"]) == size
        counts[size] = len(statements)

    assert counts[1] == counts[10] == counts[100], counts
    print(f"SQL statements per page of purchase orders: {counts}")


async def test_product_contact_is_clear_for_the_owner_and_masked_for_a_clerk(
    gql: GraphQLClient,
) -> None:
    shop, _ = await _world()
    created = await _as(
        gql,
        shop.email,
        'mutation { createProduct(input: {name: "Wool scarf", contactName: "Ines Ortega", '
        'contactEmail: "ines@acme.example"}) { product { contactName } errors { code } } }',
    )
    query = (
        '{ products(filter: {search: "scarf"}) { edges { node { contactName contactEmail } } } }'
    )

    owner = await _as(gql, shop.email, query)
    clerk = await _as(gql, "clerk@acme.example.com", query)

    assert created["createProduct"]["product"] == {"contactName": "Ines Ortega"}
    assert owner["products"]["edges"][0]["node"] == {
        "contactName": "Ines Ortega",
        "contactEmail": "ines@acme.example",
    }
    assert clerk["products"]["edges"][0]["node"] == {
        "contactName": "I*********a",
        "contactEmail": "i***************e",
    }


RECEIVE = f"""mutation($id: ID!, $l: ID!) {{ receivePurchaseOrder(input: {{id: $id,
  note: "dock 2", lines: [{{lineId: $l, quantity: 5, traceCode: "QC-2026-0042"}}]}}) {{
  purchaseOrder {{ status }} {ERRORS} }} }}"""


async def test_a_received_lot_traces_back_to_supplier_order_and_receipt(
    gql: GraphQLClient,
) -> None:
    # given: an approved order received through the API with a trace code
    shop, catalog = await _world()
    with tenant_scope(shop.tenant.id):
        order = await purchasing.create(
            catalog.supplier.id,
            catalog.warehouse.id,
            [purchasing.LineSpec(catalog.skus[0].id, 5, Decimal("3.00"))],
        )
    owner = shop.email
    order_id = _gid("PurchaseOrder", order.id)
    for step in ("submitPurchaseOrder", "approvePurchaseOrder"):
        document = f"mutation($id: ID!) {{ {step}(input: {{id: $id}}) {{ {ERRORS} }} }}"
        done = await _as(gql, owner, document, id=order_id)
        assert done[step]["errors"] == []
    lines = await _as(
        gql, owner, "query($id: ID!) { purchaseOrder(id: $id) { lines { id } } }", id=order_id
    )
    line_id = lines["purchaseOrder"]["lines"][0]["id"]
    received = await _as(
        gql,
        "clerk@acme.example.com",
        RECEIVE,
        id=order_id,
        l=line_id,
    )

    # when
    traced = await _as(
        gql,
        "clerk@acme.example.com",
        '{ lotByTraceCode(code: "QC-2026-0042") { quantity sku { code } supplier { code } '
        "purchaseOrder { number } receipt { note receivedBy purchaseOrder { number } } } }",
    )

    # then
    assert received["receivePurchaseOrder"] == {
        "purchaseOrder": {"status": "RECEIVED"},
        "errors": [],
    }
    lot = traced["lotByTraceCode"]
    assert lot["quantity"] == 5
    assert lot["sku"] == {"code": "SHIRT-M"}
    assert lot["supplier"] == {"code": "SUP-1"}
    assert lot["purchaseOrder"] == {"number": "PO-000001"}
    assert lot["receipt"]["note"] == "dock 2"
    assert lot["receipt"]["purchaseOrder"] == {"number": "PO-000001"}


@pytest.mark.parametrize(
    "product_id", ["", "not-base64!", _gid("Supplier", "00000000-0000-0000-0000-000000000001")]
)
async def test_a_bad_product_id_in_a_filter_is_an_invalid_id_naming_the_filter_field(
    gql: GraphQLClient, product_id: str
) -> None:
    await _world()
    query = "query ($id: ID!) { skus(filter: {productId: $id}) { edges { node { code } } } }"

    body = await gql.execute(
        query, {"id": product_id}, token=await _token(gql, "owner@acme.example.com"), tenant="acme"
    )

    [error] = body["errors"]
    assert error["extensions"] == {"code": "INVALID_ID", "field": "filter.productId"}
    assert body["data"] == {"skus": None}
