from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay

from merchantops.tenants import models


@strawberry.type(name="ApiKey")
class ApiKeyNode(relay.Node):
    id: relay.NodeID[str]
    name: str
    prefix: str = strawberry.field(description="The public start of the key, to recognise it.")
    role: str
    scopes: list[str]
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None = strawberry.field(description="Accurate to a minute.")
    previous_secret_valid_until: datetime | None = strawberry.field(
        description="After a rotation, the replaced key works until then."
    )
    created_at: datetime

    @classmethod
    def from_model(cls, key: models.ApiKey) -> Self:
        return cls(
            id=str(key.id),
            name=key.name,
            prefix=f"mok_{key.public_id}",
            role=key.role_slug,
            scopes=list(key.scopes),
            expires_at=key.expires_at,
            revoked_at=key.revoked_at,
            last_used_at=key.last_used_at,
            previous_secret_valid_until=key.previous_expires_at,
            created_at=key.created_at,
        )


__all__ = ["ApiKeyNode"]
