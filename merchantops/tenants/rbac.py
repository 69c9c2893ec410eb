"""Casbin RBAC with domains: one tenant's policy per enforcer, stored in `casbin_rule`.

pycasbin's `enforce` grows linearly with the policy lines it holds, so each tenant gets its own
small enforcer, kept in a bounded LRU cache per process. Every permission change bumps the
tenant's `policy_version` in the same transaction; the auth layer reads the tenant row on every
request anyway, so a process notices a stale enforcer at no extra cost and reloads it. Changes
are therefore in force on the next request of every process.

Writes go through a fresh enforcer loaded from the database (`load_policy`), never
through a cached one, so a rolled-back transaction cannot leave a cache dirty.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

import casbin
from casbin.model import Model as CasbinModel
from casbin.model.policy import DEFAULT_SEP
from casbin.persist.adapters.asyncio import (
    AsyncAdapter,
    AsyncBatchAdapter,
    AsyncFilteredAdapter,
)
from tortoise.expressions import F

from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import PolicyRule, Tenant

MODEL_TEXT = """
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, dom, obj, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub, r.dom) && r.dom == p.dom && (p.obj == "*" || r.obj == p.obj) \
&& (p.act == "*" || r.act == p.act)
"""
VALUE_COLUMNS = ("v0", "v1", "v2", "v3", "v4", "v5")


def user_subject(user_id: UUID | str) -> str:
    return f"user:{user_id}"


def role_subject(slug: str) -> str:
    return f"role:{slug}"


def role_slug(subject: str) -> str | None:
    return subject.removeprefix("role:") if subject.startswith("role:") else None


def _casbin_model() -> CasbinModel:
    model = CasbinModel()
    model.load_model_from_text(MODEL_TEXT)
    return model


class TenantPolicyAdapter(AsyncAdapter, AsyncBatchAdapter, AsyncFilteredAdapter):  # type: ignore[misc]
    """Reads and writes one tenant's casbin lines.

    Unlike casbin-tortoise-adapter 2.0.0, batch adds work on tortoise 1.x and
    `remove_filtered_policy` deletes only lines of the ptype asked for.
    """

    def __init__(self, tenant_id: UUID) -> None:
        self.tenant_id = tenant_id

    def is_filtered(self) -> bool:
        return True

    async def load_filtered_policy(self, model: CasbinModel, filter: Any) -> None:
        await self.load_policy(model)

    async def load_policy(self, model: CasbinModel) -> None:
        with tenant_scope(self.tenant_id):
            rows = await PolicyRule.all().order_by("id").values_list("ptype", *VALUE_COLUMNS)
        # pycasbin's Model.add_policy scans a list for duplicates (quadratic in lines); this
        # appends the way its own file loader does, deduplicating with a set instead.
        seen: set[tuple[str, ...]] = set()
        for ptype, *values in rows:
            while values and values[-1] == "":
                values.pop()
            if (ptype, *values) in seen:
                continue
            seen.add((ptype, *values))
            assertion = model[ptype[0]][ptype]
            assertion.policy.append(list(values))
            assertion.policy_map[DEFAULT_SEP.join(values)] = len(assertion.policy) - 1

    async def save_policy(self, model: CasbinModel) -> bool:
        raise NotImplementedError("policies are saved line by line, never wholesale")

    async def add_policy(self, sec: str, ptype: str, rule: Sequence[str]) -> bool:
        return await self.add_policies(sec, ptype, [rule])

    async def add_policies(self, sec: str, ptype: str, rules: Iterable[Sequence[str]]) -> bool:
        rows = [
            PolicyRule(tenant_id=self.tenant_id, ptype=ptype, **_columns(rule)) for rule in rules
        ]
        with tenant_scope(self.tenant_id):
            await PolicyRule.bulk_create(rows)
        await self._bump()
        return True

    async def remove_policy(self, sec: str, ptype: str, rule: Sequence[str]) -> bool:
        return await self.remove_policies(sec, ptype, [rule])

    async def remove_policies(self, sec: str, ptype: str, rules: Iterable[Sequence[str]]) -> bool:
        removed = 0
        with tenant_scope(self.tenant_id):
            for rule in rules:
                removed += await PolicyRule.filter(ptype=ptype, **_columns(rule)).delete()
        await self._bump()
        return removed > 0

    async def remove_filtered_policy(
        self, sec: str, ptype: str, field_index: int, *field_values: str
    ) -> bool:
        criteria: dict[str, str] = {}
        for offset, value in enumerate(field_values):
            if value:
                criteria[VALUE_COLUMNS[field_index + offset]] = value
        with tenant_scope(self.tenant_id):
            removed = await PolicyRule.filter(ptype=ptype, **criteria).delete()
        await self._bump()
        return removed > 0

    async def _bump(self) -> None:
        await Tenant.filter(id=self.tenant_id).update(policy_version=F("policy_version") + 1)


def _columns(rule: Sequence[str]) -> dict[str, str]:
    if len(rule) > len(VALUE_COLUMNS):
        raise ValueError(f"a policy line has at most {len(VALUE_COLUMNS)} values: {rule}")
    return dict(zip(VALUE_COLUMNS, rule, strict=False))


class TenantPolicy:
    """Answers permission questions for one tenant from its in-memory casbin policy.

    A cached policy never changes (changes arrive as a new version), so its decisions are
    memoised: casbin evaluates the matcher against every policy line, which costs milliseconds
    for thousands of lines, and a request asks the same few questions again and again.
    """

    MAX_MEMO = 50_000

    def __init__(
        self, tenant_id: UUID, version: int, enforcer: casbin.AsyncEnforcer, *, memoize: bool
    ) -> None:
        self.tenant_id = tenant_id
        self.version = version
        self.domain = str(tenant_id)
        self.enforcer = enforcer
        self._memo: dict[tuple[str, str, str], bool] | None = {} if memoize else None

    def allows(self, subject: str, obj: str, action: str) -> bool:
        if self._memo is None:
            return bool(self.enforcer.enforce(subject, self.domain, obj, action))
        key = (subject, obj, action)
        decision = self._memo.get(key)
        if decision is None:
            decision = bool(self.enforcer.enforce(subject, self.domain, obj, action))
            if len(self._memo) < self.MAX_MEMO:
                self._memo[key] = decision
        return decision

    def roles_of(self, subject: str) -> list[str]:
        """Direct roles (slugs) of a user or role."""
        links = self.enforcer.get_filtered_named_grouping_policy("g", 0, subject, "", self.domain)
        return sorted(slug for _, parent, _ in links if (slug := role_slug(parent)))

    def implicit_roles_of(self, subject: str) -> list[str]:
        found: list[str] = []
        pending = [role_subject(slug) for slug in self.roles_of(subject)]
        while pending:
            current = pending.pop()
            slug = role_slug(current)
            if slug is None or slug in found:
                continue
            found.append(slug)
            pending.extend(role_subject(parent) for parent in self.roles_of(current))
        return sorted(found)

    def holders_of(self, slug: str) -> list[str]:
        """Subjects that hold a role directly."""
        links = self.enforcer.get_filtered_named_grouping_policy(
            "g", 1, role_subject(slug), self.domain
        )
        return sorted(link[0] for link in links)

    def direct_permissions(self, slug: str) -> list[tuple[str, str]]:
        lines = self.enforcer.get_filtered_policy(0, role_subject(slug), self.domain)
        return sorted((obj, act) for _, _, obj, act in lines)


async def load_policy(tenant_id: UUID, version: int = -1, *, memoize: bool = False) -> TenantPolicy:
    """A fresh policy from the database; its enforcer's changes write through to it.

    Only a policy nobody writes through may memoise decisions (`PolicyStore` does)."""
    enforcer = casbin.AsyncEnforcer(_casbin_model(), TenantPolicyAdapter(tenant_id))
    await enforcer.load_policy()
    return TenantPolicy(tenant_id, version, enforcer, memoize=memoize)


class PolicyStore:
    """Loads tenants' policies, caching at most `max_tenants` enforcers in this process."""

    def __init__(self, max_tenants: int = 1000) -> None:
        self.max_tenants = max_tenants
        self._cache: OrderedDict[UUID, TenantPolicy] = OrderedDict()

    async def for_tenant(self, tenant: Tenant) -> TenantPolicy:
        cached = self._cache.get(tenant.id)
        if cached is not None and cached.version == tenant.policy_version:
            self._cache.move_to_end(tenant.id)
            return cached
        policy = await load_policy(tenant.id, tenant.policy_version, memoize=True)
        self._cache[tenant.id] = policy
        self._cache.move_to_end(tenant.id)
        while len(self._cache) > self.max_tenants:
            self._cache.popitem(last=False)
        return policy

    def __len__(self) -> int:
        return len(self._cache)


__all__ = [
    "MODEL_TEXT",
    "PolicyStore",
    "TenantPolicy",
    "TenantPolicyAdapter",
    "load_policy",
    "role_slug",
    "role_subject",
    "user_subject",
]
