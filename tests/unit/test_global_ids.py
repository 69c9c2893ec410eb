"""Ids handed out anywhere are the API's global ids: records keep raw uuids, ways out convert."""

from __future__ import annotations

from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from merchantops import bootstrap
from merchantops.tenants.global_ids import (
    TYPES,
    global_id,
    parse_global_id,
    public_actor,
    stored_actor,
    stored_id,
    with_public_ids,
)

bootstrap.wire()  # every area's kinds, as a process has them
KINDS = sorted(TYPES)


def test_event_payload_ids_become_global_ids_by_kind_and_key() -> None:
    order, supplier, sku, warehouse = (str(uuid4()) for _ in range(4))
    payload = {
        "id": order,
        "number": "PO-000001",
        "supplier": {"id": supplier, "code": "SUP-1"},
        "stock": {"sku_id": sku, "warehouse_id": warehouse, "on_hand": 3},
        "lines": [{"sku_id": sku}],
    }

    converted = with_public_ids(payload, "purchase_order")

    assert converted == {
        "id": global_id("PurchaseOrder", order),
        "number": "PO-000001",
        "supplier": {"id": global_id("Supplier", supplier), "code": "SUP-1"},
        "stock": {
            "sku_id": global_id("Sku", sku),
            "warehouse_id": global_id("Warehouse", warehouse),
            "on_hand": 3,
        },
        "lines": [{"sku_id": global_id("Sku", sku)}],
    }


def test_values_that_are_not_raw_uuids_of_a_known_kind_stay_as_they_are() -> None:
    already = global_id("Department", uuid4())
    payload = {"id": already, "rule_id": "large-po", "thing_id": str(uuid4()), "n": 1}

    raw = str(uuid4())

    assert with_public_ids(payload, "department") == payload
    assert with_public_ids({"id": raw}, "operation") == {"id": raw}


@given(kind=st.sampled_from(KINDS), raw=st.uuids())
def test_a_converted_id_filters_back_to_the_stored_one(kind: str, raw: object) -> None:
    public = with_public_ids({f"{kind}_id": str(raw)})
    assert isinstance(public, dict)

    type_name, key = parse_global_id(public[f"{kind}_id"])

    assert (type_name, key) == (TYPES[kind], str(raw))
    assert stored_id(public[f"{kind}_id"]) == str(raw)


def test_actors_name_users_by_global_id_and_keep_keys_and_the_system() -> None:
    user = uuid4()

    assert public_actor(f"user:{user}") == f"user:{global_id('User', user)}"
    assert stored_actor(public_actor(f"user:{user}")) == f"user:{user}"
    assert public_actor("api_key:mok_ABC") == "api_key:mok_ABC"
    assert public_actor("system:job:x") == "system:job:x"
