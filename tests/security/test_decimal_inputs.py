"""Amounts a client can send that Python's Decimal accepts but money must not: refused cleanly."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, make_catalog, make_onboarded_shop

BAD = ["NaN", "-Infinity", "1e400", "-0.5", "abc"]
OPERATIONS = {
    "createProduct": 'mutation($v: Decimal!) { createProduct(input: {name: "x", skus: [{code: '
    '"X-1", name: "x", price: $v}]}) { product { id } errors { field code } } }',
    "changeSkuPrice": "mutation($v: Decimal!, $id: ID!) { changeSkuPrice(input: {skuId: $id, "
    "price: $v}) { sku { id } errors { field code } } }",
    "createPurchaseOrder": "mutation($v: Decimal!, $id: ID!, $s: ID!, $w: ID!) { "
    "createPurchaseOrder(input: {supplierId: $s, warehouseId: $w, lines: [{skuId: $id, "
    "quantity: 1, unitCost: $v}]}) { purchaseOrder { id } errors { field code } } }",
    "setSupplierScoringPolicy": "mutation($v: Decimal!) { setSupplierScoringPolicy(input: {"
    'qualityWeight: $v, deliveryWeight: "0.3", priceWeight: "0.2", serviceWeight: "0.1", '
    "gradeAFrom: 90, gradeBFrom: 80, gradeCFrom: 70}) { policy { qualityWeight } "
    "errors { field code } } }",
    "purchaseOrders": "query($v: Decimal) { purchaseOrders(filter: {totalAtLeast: $v, "
    "totalAtMost: $v}) { edges { node { id } } } }",
}


def _global(type_name: str, pk: object) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
async def test_non_finite_or_negative_amounts_never_cause_a_server_error(
    gql: GraphQLClient, operation: str
) -> None:
    shop = await make_onboarded_shop("acme")
    catalog = await make_catalog(shop)
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]
    ids: dict[str, Any] = {
        "id": _global("Sku", catalog.skus[0].id),
        "s": _global("Supplier", catalog.supplier.id),
        "w": _global("Warehouse", catalog.warehouse.id),
    }
    document = OPERATIONS[operation]

    for value in BAD:
        variables = {"v": value, **{k: v for k, v in ids.items() if f"${k}" in document}}
        response = await gql.post(document, variables, token=token, tenant="acme")

        assert response.status_code < 500, (operation, value, response.text)
        body = response.json()
        codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors", [])]
        assert "INTERNAL_SERVER_ERROR" not in codes, (operation, value, body)
        payload = (body.get("data") or {}).get(operation)
        if isinstance(payload, dict) and "errors" in payload:
            assert payload["errors"], (operation, value, body)
