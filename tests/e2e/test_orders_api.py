"""Orders through the API: staff place, ship, charge and refund; a storefront partner places
with an API key and an idempotency key; returns from request to restock; masking, permissions,
typed errors, another tenant's ids; DataLoaders keep a page's statements constant."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from merchantops.domain.inventory.models import StockLevel, StockMovement
from merchantops.tenants import api_keys
from merchantops.tenants.context import tenant_scope
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_member, make_onboarded_shop, principal
from tests.inventory import make_site, make_sku, receive
from tests.support.sql_count import counting_statements

ERRORS = "errors { field code message }"
ORDER = """id number status paymentStatus channel total tax shipping charged refunded outstanding
  email shippingAddress { recipient line1 city country }
  customer { id }
  lines { id skuCode quantity unitPrice total quantityShipped lots { quantity lot { traceCode } } }
  fulfillments { id status warehouse { code } lines { quantity } }
  transactions { kind status amount }
  refunds { status amount }
  events { type message }"""
PLACE = f"""mutation($input: PlaceOrderInput!) {{ placeOrder(input: $input) {{
  order {{ {ORDER} }} replayed approvalRequest {{ id }} {ERRORS} }} }}"""
SHIP = f"""mutation($id: ID!) {{ shipFulfillment(input: {{id: $id, carrier: "SF",
  trackingNumber: "SF1"}}) {{ fulfillment {{ status }} {ERRORS} }} }}"""
CHARGE = f"""mutation($input: ChargePaymentInput!) {{ chargePayment(input: $input) {{
  transaction {{ status amount }} order {{ paymentStatus charged }} {ERRORS} }} }}"""
REFUND = f"""mutation($input: RefundOrderInput!) {{ refundOrder(input: $input) {{
  refund {{ status amount lines {{ quantity amount }} }} order {{ paymentStatus refunded }}
  approvalRequest {{ id }} {ERRORS} }} }}"""
GET = f"query($id: ID!) {{ order(id: $id) {{ {ORDER} }} }}"
RETURN = "id number status outcome lines { id quantity quantityReceived disposition lotId }"
REQUEST = f"""mutation($input: RequestReturnInput!) {{ requestReturn(input: $input) {{
  return {{ {RETURN} }} {ERRORS} }} }}"""
STEP = """mutation($id: ID!) {{ {name}(input: {{id: $id}}) {{ return {{ status }}
  errors {{ field code message }} }} }}"""
RECEIVE = f"""mutation($input: ReceiveReturnInput!) {{ receiveReturn(input: $input) {{
  return {{ {RETURN} }} {ERRORS} }} }}"""
INSPECT = f"""mutation($input: InspectReturnInput!) {{ inspectReturn(input: $input) {{
  return {{ {RETURN} }} {ERRORS} }} }}"""
LIST = """query($filter: OrderFilter, $first: Int) { orders(filter: $filter, first: $first) {
  edges { node { number status total customer { name }
  lines { sku { code } lots { lot { traceCode } } }
  fulfillments { warehouse { code } } transactions { kind } refunds { amount } returns { number }
  events { type } } } } }"""
HOME = {"recipient": "Li Wei", "line1": "88 Nanjing Road", "city": "Shanghai", "country": "CN"}
MARKETING, SERVICE = "ads@acme.example.com", "care@acme.example.com"


class Shop:
    def __init__(self, gql: GraphQLClient, tokens: dict[str, str], ids: dict[str, Any]) -> None:
        self.gql, self.tokens, self.ids = gql, tokens, ids

    async def body(self, query: str, who: str = "owner", **variables: Any) -> Any:
        return await self.gql.execute(query, variables, token=self.tokens[who], tenant="acme")

    async def data(self, query: str, who: str = "owner", **variables: Any) -> Any:
        body = await self.body(query, who, **variables)
        assert "errors" not in body, body
        return body["data"]


def gid(kind: str, pk: Any) -> str:
    from merchantops.tenants.global_ids import global_id

    return global_id(kind, pk)


async def _shop(gql: GraphQLClient) -> Shop:
    shop = await make_onboarded_shop("acme")
    await add_member(shop, MARKETING, ["marketing-staff"])
    await add_member(shop, SERVICE, ["customer-service-staff"])
    with tenant_scope(shop.tenant.id):
        site = await make_site()
        sku = await make_sku("TEA-1")
        sku.price = Decimal("100.00")
        await sku.save(update_fields=["price"])
        lot = await receive(sku, site.main, 5, trace_code="LOT-TEA-A")
        key = await api_keys.create_api_key(
            await principal(shop),
            "storefront",
            "owner",
            ["order:read", "order:write"],
            expires_at=None,
        )
    tokens = {"owner": (await gql.login(shop.email, PASSWORD))["accessToken"]}
    for email in (MARKETING, SERVICE):
        tokens[email] = (await gql.login(email, PASSWORD))["accessToken"]
    ids = {"sku": gid("Sku", sku.id), "zone": gid("Zone", site.main.id), "lot": lot, "key": key}
    ids["sku_pk"], ids["tenant"] = sku.id, shop.tenant.id
    return Shop(gql, tokens, ids)


def _input(shop: Shop, quantity: int = 2, **more: Any) -> dict[str, Any]:
    return {
        "lines": [{"skuId": shop.ids["sku"], "quantity": quantity}],
        "shippingAddress": HOME,
        "shipping": "10.00",
        "email": "li.wei@example.com",
        **more,
    }


async def test_staff_place_ship_charge_and_refund_an_order(gql: GraphQLClient) -> None:
    shop = await _shop(gql)

    placed = (await shop.data(PLACE, input=_input(shop)))["placeOrder"]
    assert placed["errors"] == []
    order = placed["order"]
    assert (order["status"], order["paymentStatus"], order["channel"]) == (
        "UNFULFILLED",
        "NONE",
        "STAFF",
    )
    assert (order["total"], order["tax"], order["outstanding"]) == ("210.00", "23.01", "210.00")
    assert order["lines"][0]["lots"] == [{"quantity": 2, "lot": {"traceCode": "LOT-TEA-A"}}]
    assert order["fulfillments"][0]["warehouse"]["code"] == "WH1"

    shipped = await shop.data(SHIP, id=order["fulfillments"][0]["id"])
    assert shipped["shipFulfillment"]["fulfillment"]["status"] == "SHIPPED"
    charged = await shop.data(
        CHARGE, input={"orderId": order["id"], "amount": "210.00", "idempotencyKey": "pay-1"}
    )
    assert charged["chargePayment"]["order"] == {"paymentStatus": "PAID", "charged": "210.00"}

    # the owner placed it: the standard's rules let nobody refund their own order
    own = await shop.data(
        REFUND, input={"orderId": order["id"], "idempotencyKey": "r-1", "shipping": "10.00"}
    )
    assert own["refundOrder"]["errors"][0]["code"] == "COMPLIANCE_DENIED"
    refund = await shop.data(
        REFUND,
        SERVICE,
        input={
            "orderId": order["id"],
            "idempotencyKey": "r-1",
            "lines": [{"orderLineId": order["lines"][0]["id"], "quantity": 1}],
            "shipping": "10.00",
        },
    )
    assert refund["refundOrder"]["errors"] == []
    assert refund["refundOrder"]["refund"]["status"] == "SUCCESS"
    assert refund["refundOrder"]["refund"]["amount"] == "110.00"
    assert refund["refundOrder"]["order"] == {
        "paymentStatus": "PARTIALLY_REFUNDED",
        "refunded": "110.00",
    }
    too_much = await shop.data(
        REFUND,
        SERVICE,
        input={"orderId": order["id"], "idempotencyKey": "r-2", "amount": "100.01", "reason": "x"},
    )
    assert [(e["field"], e["code"]) for e in too_much["refundOrder"]["errors"]] == [
        ("amount", "REFUND_EXCEEDS_CHARGED")
    ]

    history = (await shop.data(GET, id=order["id"]))["order"]["events"]
    assert [e["type"] for e in history][:3] == [
        "order.placed",
        "fulfillment.shipped",
        "order.fulfilled",
    ]


async def test_a_partner_retrying_with_its_idempotency_key_gets_one_order(
    gql: GraphQLClient,
) -> None:
    shop = await _shop(gql)
    headers = {"Authorization": f"Bearer {shop.ids['key'].key}", "X-Tenant": "acme"}
    bodies = []
    for _ in range(2):
        response = await gql.http.post(
            "/graphql",
            json={"query": PLACE, "variables": {"input": _input(shop, idempotencyKey="cart-77")}},
            headers=headers,
        )
        bodies.append(response.json()["data"]["placeOrder"])

    first, again = bodies
    assert first["errors"] == []
    assert again["errors"] == []
    assert again["order"]["id"] == first["order"]["id"]
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert (first["order"]["channel"], first["order"]["status"]) == ("PARTNER", "UNCONFIRMED")
    with tenant_scope(shop.ids["tenant"]):
        assert sum(level.allocated for level in await StockLevel.all()) == 2


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"lines": [{"skuId": "SKU", "quantity": -1}]}, "lines.0.quantity", "INVALID_QUANTITY"),
        (
            {"lines": [{"skuId": "SKU", "quantity": 1, "unitPrice": "NaN"}]},
            "lines.0.unitPrice",
            "INVALID_INPUT",
        ),
        (
            {"lines": [{"skuId": "SKU", "quantity": 1, "unitPrice": "-5"}]},
            "lines.0.unitPrice",
            "INVALID_PRICE",
        ),
        ({"lines": [{"skuId": "SKU", "quantity": 6}]}, "lines.0.quantity", "OUT_OF_STOCK"),
        ({"shipping": "NaN"}, "shipping", "INVALID_INPUT"),
        ({"shipping": "-1"}, "shipping", "INVALID_PRICE"),
        ({"lines": [{"skuId": "bogus", "quantity": 1}]}, "lines.0.skuId", "INVALID_ID"),
    ],
)
async def test_bad_input_is_a_typed_error(
    gql: GraphQLClient, change: dict[str, Any], field: str, code: str
) -> None:
    shop = await _shop(gql)
    change = copy.deepcopy(change)  # the parameters are shared by every database's run
    for line in change.get("lines", []):
        if line["skuId"] == "SKU":
            line["skuId"] = shop.ids["sku"]
    body = await shop.body(PLACE, input={**_input(shop), **change})
    answer = body["data"]["placeOrder"]
    if answer is None:  # refused by the Decimal scalar, before the resolver: a typed error too
        errors = [(e["extensions"]["field"], e["extensions"]["code"]) for e in body["errors"]]
    else:
        assert answer["order"] is None
        errors = [(e["field"], e["code"]) for e in answer["errors"]]
    assert errors == [(field, code)]
    assert (await shop.data("{ orders { edges { node { id } } } }"))["orders"]["edges"] == []


async def test_marketing_sees_orders_masked_and_cannot_place_them(gql: GraphQLClient) -> None:
    shop = await _shop(gql)
    order = (await shop.data(PLACE, input=_input(shop)))["placeOrder"]["order"]

    seen = (await shop.data(GET, MARKETING, id=order["id"]))["order"]
    assert seen["email"] != "li.wei@example.com"
    assert seen["shippingAddress"]["line1"] != "88 Nanjing Road"
    assert seen["shippingAddress"]["city"] == "Shanghai"
    refused = await shop.body(PLACE, MARKETING, input=_input(shop))
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_return_is_received_without_a_refund_and_restocked_into_its_lot(
    gql: GraphQLClient,
) -> None:
    shop = await _shop(gql)
    order = (await shop.data(PLACE, input=_input(shop)))["placeOrder"]["order"]
    await shop.data(SHIP, id=order["fulfillments"][0]["id"])
    line = order["lines"][0]

    requested = await shop.data(
        REQUEST,
        SERVICE,
        input={
            "orderId": order["id"],
            "lines": [
                {
                    "orderLineId": line["id"],
                    "quantity": 2,
                    "reasonCode": "damaged",
                    "evidence": "Box crushed",
                }
            ],
        },
    )
    rma = requested["requestReturn"]["return"]
    assert requested["requestReturn"]["errors"] == []
    assert rma["status"] == "REQUESTED"
    for name in ("approveReturn",):
        assert (await shop.data(STEP.format(name=name), SERVICE, id=rma["id"]))[name]["return"][
            "status"
        ] == "APPROVED"
    received = await shop.data(
        RECEIVE,
        SERVICE,
        input={"id": rma["id"], "lines": [{"returnLineId": rma["lines"][0]["id"], "quantity": 1}]},
    )
    assert received["receiveReturn"]["return"]["status"] == "RECEIVED"
    assert received["receiveReturn"]["return"]["lines"][0]["quantityReceived"] == 1
    # receiving refunded nothing
    assert (await shop.data(GET, id=order["id"]))["order"]["refunds"] == []

    inspected = await shop.data(
        INSPECT,
        SERVICE,
        input={
            "id": rma["id"],
            "lines": [{"returnLineId": rma["lines"][0]["id"], "disposition": "RESTOCK"}],
        },
    )
    assert inspected["inspectReturn"]["errors"] == []
    assert inspected["inspectReturn"]["return"]["lines"][0]["disposition"] == "RESTOCK"
    with tenant_scope(shop.ids["tenant"]):
        level = await StockLevel.get(lot_id=shop.ids["lot"].id)
        assert (level.on_hand, level.allocated) == (4, 0)  # 5 - 2 shipped + 1 back
        back = await StockMovement.filter(kind="return").values_list("on_hand_delta", "reference")
        assert back == [(1, "return:1")]


async def test_another_tenants_order_is_not_found(gql: GraphQLClient) -> None:
    shop = await _shop(gql)
    order = (await shop.data(PLACE, input=_input(shop)))["placeOrder"]["order"]
    other = await make_onboarded_shop("globex")
    token = (await gql.login(other.email, PASSWORD))["accessToken"]

    seen = await gql.execute(GET, {"id": order["id"]}, token=token, tenant="globex")
    assert seen["data"]["order"] is None
    refused = await gql.execute(
        SHIP, {"id": order["fulfillments"][0]["id"]}, token=token, tenant="globex"
    )
    assert refused["data"]["shipFulfillment"]["errors"][0]["code"] == "NOT_FOUND"


async def test_a_page_of_orders_costs_the_same_statements_whatever_its_size(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = await _shop(gql)
    with tenant_scope(shop.ids["tenant"]):
        sku = await make_sku("TEA-2")
        site = await make_site("WH2")
        await receive(sku, site.main, 100)
    for n in range(6):
        lines = [
            {"skuId": gid("Sku", sku.id), "quantity": 1},
            {"skuId": shop.ids["sku"], "quantity": 1},
        ]
        answer = await shop.data(PLACE, input=_input(shop, lines=lines[: 1 + n % 2]))
        assert answer["placeOrder"]["errors"] == []

    counts = {}
    await shop.data(LIST, first=1)  # warms the caller's policy and masking table
    for size in (2, 6):
        with counting_statements(monkeypatch) as seen:
            edges = (await shop.data(LIST, first=size))["orders"]["edges"]
        assert len(edges) == size
        counts[size] = len(seen)
    assert counts[2] == counts[6]
