"""Relay's `node(id:)` and `nodes(ids:)`: any object of the caller's tenant by its global id.

Which types they serve, and the permission each needs, come from the schema itself, not from a
table kept by hand: a `Node` type is served when a root query field lists it (`products` gives
`Product`, `stockLevels` gives `StockLevel`), and it needs the permission that field declares
(`requires(...)` beside its resolver). Objects are read through their model's tenant-scoped
manager, so an id of another tenant's object answers `null` like an id of nothing; `Tenant`
and `User` are not tenant objects and are not served. A type the caller may not read is refused
with `FORBIDDEN` (for `nodes`, once, as the whole field); an id of a type `node` does not serve
is `INVALID_ID`. `nodes` takes at most `MAX_PAGE_SIZE` ids, answered in their order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLSchema, get_named_type
from strawberry import relay
from tortoise import Tortoise

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import ApiError
from merchantops.api.graphql.core.ids import InvalidId
from merchantops.api.graphql.core.permissions import Requirement, declared_requirement, requires
from merchantops.tenants.base import TenantModel
from merchantops.tenants.global_ids import parse_global_id

_DEFINITION = "strawberry-definition"
MODEL_NAMES = {"Job": "JobRecord"}  # the GraphQL name differs from the model's
NOT_TENANT_OWNED = {"Tenant", "User"}


@dataclass(frozen=True)
class Served:
    type_name: str
    requirement: Requirement
    to_node: Callable[[Any], relay.Node]

    @property
    def model(self) -> type[TenantModel]:
        found: Any = Tortoise.apps["merchantops"][MODEL_NAMES.get(self.type_name, self.type_name)]
        assert issubclass(found, TenantModel), self.type_name
        return found  # type: ignore[no-any-return]


class InTenant(Requirement):
    """Logged in (or an API key) inside a tenant; each type then asks its own permission."""

    description = "a tenant's member or API key"

    def check(self, info: Info) -> None:
        principal = info.context.principal
        if principal.api_key is None:
            self._authenticated(info)
        if principal.tenant is None:
            raise ApiError(
                "TENANT_REQUIRED", "Name the tenant to act in with the 'X-Tenant: <slug>' header."
            )


def _listed_type(field_type: Any) -> GraphQLObjectType | None:
    named = get_named_type(field_type)
    if isinstance(named, GraphQLObjectType) and named.name.endswith("Connection"):
        edge = get_named_type(named.fields["edges"].type) if "edges" in named.fields else None
        named = get_named_type(edge.fields["node"].type) if edge is not None else None
    if isinstance(named, GraphQLObjectType) and any(i.name == "Node" for i in named.interfaces):
        return named
    return None


def served_types(schema: GraphQLSchema) -> dict[str, Served]:
    """Every tenant-owned Node type a root query lists, with that query's permission. Two
    queries listing one type with different permissions would make `node` ambiguous: refused
    when the schema is built."""
    served: dict[str, Served] = {}
    assert schema.query_type is not None
    for field in schema.query_type.fields.values():
        listed = _listed_type(field.type)
        definition = (field.extensions or {}).get(_DEFINITION)
        requirement = declared_requirement(list(getattr(definition, "extensions", []) or []))
        if listed is None or requirement is None or listed.name in NOT_TENANT_OWNED:
            continue
        origin: Any = getattr((listed.extensions or {}).get(_DEFINITION), "origin", None)
        if not callable(getattr(origin, "from_model", None)):
            continue  # computed, not a stored object (a reorder suggestion)
        known = served.get(listed.name)
        if known is not None and known.requirement.description != requirement.description:
            raise RuntimeError(
                f"{listed.name} is listed by queries needing '{known.requirement.description}' "
                f"and '{requirement.description}': give them one permission"
            )
        served[listed.name] = Served(listed.name, requirement, origin.from_model)
    return served


def _served(info: Info) -> dict[str, Served]:
    found: dict[str, Served] = getattr(info.schema, "served_nodes")  # noqa: B009
    return found


def _parse(value: str, field: str, served: dict[str, Served]) -> tuple[Served, str]:
    try:
        type_name, pk = parse_global_id(value)
    except ValueError as error:
        raise InvalidId(field) from error
    found = served.get(type_name)
    if found is None or pk.isdigit() != (found.model._meta.pk.field_type is int):
        raise InvalidId(field)
    return found, pk


async def _allowed(info: Info, requirement: Requirement) -> None:
    await requirement.has_permission(None, info)


async def _load(wanted: list[tuple[Served, str]]) -> dict[tuple[str, str], Any]:
    by_type: dict[str, list[str]] = {}
    for served, pk in wanted:
        by_type.setdefault(served.type_name, []).append(pk)
    found: dict[tuple[str, str], Any] = {}
    for served, _ in wanted:
        pks = by_type.pop(served.type_name, None)
        if pks:
            for row in await served.model.filter(id__in=pks):
                found[(served.type_name, str(row.pk))] = served.to_node(row)
    return found


IN_TENANT = InTenant()


@strawberry.type
class NodeQuery:
    @strawberry.field(
        extensions=[requires(IN_TENANT)],
        description="Any object of your tenant by its global id; null when there is none. "
        "Needs the permission of the query that lists its type.",
    )
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        served, pk = _parse(id, "id", _served(info))
        await _allowed(info, served.requirement)
        return (await _load([(served, pk)])).get((served.type_name, pk))

    @strawberry.field(
        extensions=[requires(IN_TENANT)],
        description="Objects by their global ids, in the same order; null where there is none. "
        "At most MAX_PAGE_SIZE ids.",
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[relay.Node | None]:
        limit = info.context.settings.max_page_size
        if len(ids) > limit:
            raise ApiError("BAD_PAGINATION", f"'ids' takes at most {limit} ids.")
        served = _served(info)
        wanted = [_parse(value, f"ids.{index}", served) for index, value in enumerate(ids)]
        for requirement in {id(s.requirement): s.requirement for s, _ in wanted}.values():
            await _allowed(info, requirement)
        found = await _load(wanted)
        return [found.get((s.type_name, pk)) for s, pk in wanted]


__all__ = ["IN_TENANT", "NodeQuery", "Served", "served_types"]
