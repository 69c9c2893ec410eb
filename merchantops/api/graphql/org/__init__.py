"""Tenants and people: signing in, the current user, tenants, members, departments, roles and
their permissions."""

from __future__ import annotations

from merchantops.api.graphql.org.mutations import OrgMutation as Mutation
from merchantops.api.graphql.org.queries import OrgQuery as Query

__all__ = ["Mutation", "Query"]
