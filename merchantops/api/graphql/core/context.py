from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from strawberry.types import Info as StrawberryInfo

from merchantops.api.graphql.core.loaders import Loaders
from merchantops.settings import Settings
from merchantops.tenants.auth import Authenticator
from merchantops.tenants.principal import Principal

if TYPE_CHECKING:
    from starlette.requests import Request


@dataclass
class Context:
    request: Request
    principal: Principal
    request_id: str
    settings: Settings
    authenticator: Authenticator
    loaders: Loaders = field(default_factory=Loaders)


Info = StrawberryInfo[Context, Any]

__all__ = ["Context", "Info"]
