"""Tenants and people: signing in, the current user, tenants, members, departments, roles and
their permissions."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.org.identity_queries import IdentityQuery
from merchantops.api.graphql.org.mutations import OrgMutation
from merchantops.api.graphql.org.mutations.sessions import IdentityMutation
from merchantops.api.graphql.org.queries import OrgQuery


@strawberry.type
class Query(IdentityQuery, OrgQuery):
    pass


@strawberry.type
class Mutation(IdentityMutation, OrgMutation):
    pass


__all__ = ["Mutation", "Query"]
