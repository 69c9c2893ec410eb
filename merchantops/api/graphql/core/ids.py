"""Global ids: `base64("<Type>:<uuid>")`. Anything else names nothing, so it is NOT_FOUND."""

from __future__ import annotations

from uuid import UUID

from strawberry.relay import GlobalID

from merchantops.tenants.errors import NotFound


def decode_id(value: str, type_name: str, field: str = "id") -> UUID:
    try:
        global_id = GlobalID.from_id(value)
        if global_id.type_name != type_name:
            raise ValueError(global_id.type_name)
        return UUID(global_id.node_id)
    except (ValueError, TypeError, UnicodeDecodeError) as error:
        raise NotFound(f"No {type_name.lower()} with this id.", field=field) from error


def decode_optional_id(value: str | None, type_name: str, field: str) -> UUID | None:
    return None if value is None else decode_id(value, type_name, field)


__all__ = ["decode_id", "decode_optional_id"]
