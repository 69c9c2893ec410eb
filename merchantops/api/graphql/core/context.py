from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from strawberry.types import Info as StrawberryInfo

from merchantops.api.graphql.core.loaders import Loaders
from merchantops.api.throttle import Buckets
from merchantops.domain.governance.approvals import Actor
from merchantops.rules.evaluation import MaskingPolicies, RuleEvaluator
from merchantops.rules.masking import MaskingTable
from merchantops.settings import Settings
from merchantops.tenants.auth import Authenticator
from merchantops.tenants.jobs import JobQueue
from merchantops.tenants.principal import Principal
from merchantops.tenants.rbac import TenantPolicy, load_policy, user_subject

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from merchantops.api.health import Readiness


@dataclass
class Context:
    request: Request
    principal: Principal
    request_id: str
    settings: Settings
    authenticator: Authenticator
    queue: JobQueue | None = None
    masking: MaskingPolicies = field(default_factory=MaskingPolicies)
    loaders: Loaders = field(default_factory=Loaders)
    policy: TenantPolicy | None = None
    evaluator: RuleEvaluator | None = None
    response: Response | None = None
    """Status and headers set here reach the HTTP response (429 and `Retry-After`)."""
    throttle: Buckets | None = None
    refusals: list[tuple[str, str]] = field(default_factory=list)
    """Permission denials of this operation (field, permission), audited when it is over."""
    cost: int | None = None
    """The operation's calculated cost, once the checks have worked it out."""
    readiness: Readiness | None = None
    """The process's readiness checks (`systemHealth`)."""

    _roles: frozenset[str] | None = None
    strategies: dict[Any, Any] = field(default_factory=dict)
    """Masking decisions of this request by (classification, entity)."""
    _scopes: frozenset[str] | None = None

    def __post_init__(self) -> None:
        self.policy = self.principal.policy

    async def masking_table(self) -> MaskingTable:
        """The tenant's masking table. The app compiles it while building the context, so this
        is a dictionary lookup; it only loads when a context was built some other way."""
        tenant = self.principal.tenant
        assert tenant is not None
        return self.masking_table_now() or await self.masking.table(tenant.id, tenant.rules_version)

    def caller_roles(self) -> frozenset[str]:
        """Every role the caller holds, inherited ones included (an API key: its role's).

        Worked out once per request: masking asks for every classified value."""
        if self._roles is None:
            principal, policy = self.principal, self.require_policy()
            if principal.api_key is not None:
                role = principal.api_key.role_slug
                self._roles = frozenset({role, *policy.implicit_roles_of(f"role:{role}")})
            else:
                assert principal.user is not None
                self._roles = frozenset(policy.implicit_roles_of(user_subject(principal.user.id)))
        return self._roles

    def caller_scopes(self) -> frozenset[str]:
        """An API key's scopes (`object:action`); a user has none."""
        if self._scopes is None:
            principal = self.principal
            self._scopes = frozenset(
                str(scope) for scope in principal.scopes if principal.api_key is not None
            )
        return self._scopes

    def masking_table_now(self) -> MaskingTable | None:
        """The tenant's table if this process has compiled it (it is loaded with the context)."""
        tenant = self.principal.tenant
        return None if tenant is None else self.masking.cached(tenant.id, tenant.rules_version)

    def actor(self) -> Actor:
        """The caller as governance (approvals) sees them."""
        return Actor(self.caller_roles())

    def require_evaluator(self) -> RuleEvaluator:
        assert self.evaluator is not None, "the app was built without a rule evaluator"
        return self.evaluator

    def require_queue(self) -> JobQueue:
        assert self.queue is not None, "the app was built without background jobs"
        return self.queue

    def require_policy(self) -> TenantPolicy:
        assert self.policy is not None, "a tenant field resolved outside a tenant request"
        return self.policy

    async def reload_policy(self) -> None:
        """After a mutation changed permissions, answer its payload from the new policy.

        Permission checks of the request keep the policy it started with."""
        if self.principal.tenant_id is not None:
            self.policy = await load_policy(self.principal.tenant_id)
            self._roles = None
            self.strategies.clear()


Info = StrawberryInfo[Context, Any]

__all__ = ["Context", "Info"]
