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
from uuid import UUID


def global_id(type_name: str, pk: object) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode("ascii")


def optional_global_id(type_name: str, pk: object | None) -> str | None:
    return None if pk is None else global_id(type_name, pk)


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


__all__ = ["global_id", "optional_global_id", "parse_global_id"]
