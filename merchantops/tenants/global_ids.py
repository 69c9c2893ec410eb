"""Global ids, the one id form of everything the API hands out: `base64("<Type>:<uuid>")`.

`<Type>` is the GraphQL type's name (`Product`, `PurchaseOrder`, `User`). GraphQL fields, webhook
bodies, audit entries, approval requests and export rows all carry ids in this form, so any id
a client receives can be passed back as an argument. Plain functions, no framework: the domain
layer writes ids into webhook bodies and export rows with them.

    >>> global_id("Product", "6f1c2a1e-0000-4000-8000-000000000001")
    'UHJvZHVjdDo2ZjFjMmExZS0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDE='
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from uuid import UUID


def global_id(type_name: str, pk: object) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode("ascii")


def optional_global_id(type_name: str, pk: object | None) -> str | None:
    return None if pk is None else global_id(type_name, pk)


# What a stored record calls a kind of object (an event's prefix, an audit target type, an
# approval subject type, a key before `_id` or holding a nested object) -> its GraphQL type.
# The kernel's kinds here; each area declares its own (`events.ID_KINDS`), handed over by
# `merchantops.bootstrap.wire` (`install_kinds`).
KERNEL_KINDS: dict[str, str] = {
    "api_key": "ApiKey",
    "department": "Department",
    "member": "Membership",
    "membership": "Membership",
    "role": "Role",
    "rule_set": "RuleSetVersion",
    "user": "User",
}
TYPES: dict[str, str] = dict(KERNEL_KINDS)


def install_kinds(kinds: dict[str, str]) -> None:
    TYPES.clear()
    TYPES.update(KERNEL_KINDS)
    TYPES.update(kinds)


def _raw_uuid(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return str(UUID(value))
    except ValueError:
        return None


def public_id(kind: str | None, value: object) -> object:
    """`value` as a global id when it is a raw uuid of a known `kind`; otherwise unchanged."""
    type_name = TYPES.get(kind or "")
    raw = _raw_uuid(value)
    return global_id(type_name, raw) if type_name and raw else value


def with_public_ids(value: object, kind: str | None = None) -> object:
    """A JSON value with the raw uuids it holds replaced by global ids: an `id` of an object
    of `kind` (a nested object's kind is the key holding it), and every `<kind>_id`."""
    if isinstance(value, list):
        return [with_public_ids(item, kind) for item in value]
    if not isinstance(value, dict):
        return value
    converted: dict[str, object] = {}
    for key, item in value.items():
        if key == "id":
            converted[key] = public_id(kind, item)
        elif key.endswith("_id"):
            converted[key] = public_id(key[: -len("_id")], item)
        else:
            converted[key] = with_public_ids(item, key)
    return converted


def _user_actor(actor: str, convert: Callable[[str], object]) -> str:
    kind, separator, rest = actor.partition(":")
    return f"user:{convert(rest)}" if separator and kind == "user" else actor


def public_actor(actor: str) -> str:
    """`user:<uuid>` as `user:<global id>`; API keys (`api_key:<public id>`) and the system
    stay as they are."""
    return _user_actor(actor, lambda raw: public_id("user", raw))


def stored_id(value: str) -> str:
    """What a filter compares with the stored raw id: the key of a global id, else `value`."""
    try:
        return parse_global_id(value)[1]
    except ValueError:
        return value


def stored_actor(actor: str) -> str:
    """`user:<global id>` as stored, `user:<uuid>`; other actors as they are."""
    return _user_actor(actor, stored_id)


def parse_global_id(value: str) -> tuple[str, str]:
    """The type name and primary key (a uuid, or a sequence number: audit entries, stock
    movements) a global id names; `ValueError` when it is not one."""
    try:
        text = base64.b64decode(value.encode("ascii"), validate=True).decode("utf-8")
    except (UnicodeError, binascii.Error) as error:
        raise ValueError("not base64 of 'Type:uuid'") from error
    type_name, separator, pk = text.partition(":")
    if not separator or not type_name.isidentifier():
        raise ValueError("not base64 of 'Type:uuid'")
    if pk.isdigit() and pk.isascii():
        return type_name, str(int(pk))
    return type_name, str(UUID(pk))


__all__ = [
    "KERNEL_KINDS",
    "TYPES",
    "global_id",
    "install_kinds",
    "optional_global_id",
    "parse_global_id",
    "public_actor",
    "public_id",
    "stored_actor",
    "stored_id",
    "with_public_ids",
]
