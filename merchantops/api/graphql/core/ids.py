"""Arguments that name objects take global ids (`merchantops/tenants/global_ids.py`), one rule:

- a value that is not a global id (a raw uuid, a database key, garbage), or one of another type
  than the argument takes, is refused with `INVALID_ID` and `extensions.field` naming the
  argument as `INVALID_INPUT` names it (`filter.productId`, input fields relative to `input`:
  `lines.0.skuId`), in queries, filters and mutations alike. It is a GraphQL error, not a payload
  error: a client sending one has a bug, no user can fix it;
- a well-formed id of the right type that names nothing of the caller's tenant is no error for
  a query (`product(id:)` and `node(id:)` answer null, a filter matches nothing) and `NOT_FOUND`
  in a mutation's payload errors.

Every ID argument is checked for form where it enters (`core/inputs.py` calls `check_form`);
resolvers decode with `decode_id`, which checks the type too.
"""

from __future__ import annotations

from uuid import UUID

from merchantops.api.graphql.core.errors import ApiError
from merchantops.tenants.global_ids import parse_global_id

INVALID_ID = "INVALID_ID"


class InvalidId(ApiError):
    def __init__(self, field: str, expected: str | None = None) -> None:
        what = f"a {expected} id" if expected else "a global id"
        super().__init__(
            INVALID_ID,
            f"'{field}' is not {what}: pass the 'id' this API returned for it "
            "(base64 of 'Type:uuid'), not a raw key.",
        )
        self.extensions = {"code": INVALID_ID, "field": field}


def check_form(value: str, field: str) -> None:
    try:
        parse_global_id(value)
    except ValueError as error:
        raise InvalidId(field) from error


def decode_id(value: str, type_name: str, field: str = "id") -> UUID:
    try:
        found, pk = parse_global_id(value)
    except ValueError as error:
        raise InvalidId(field, type_name) from error
    if found != type_name or pk.isdigit():
        raise InvalidId(field, type_name)
    return UUID(pk)


def decode_optional_id(value: str | None, type_name: str, field: str) -> UUID | None:
    return None if value is None else decode_id(value, type_name, field)


__all__ = ["INVALID_ID", "InvalidId", "check_form", "decode_id", "decode_optional_id"]
