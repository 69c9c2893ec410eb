"""The org area's mutations, merged in the order the schema lists them."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.org.mutations.departments import DepartmentMutation
from merchantops.api.graphql.org.mutations.invitations import InvitationMutation
from merchantops.api.graphql.org.mutations.members import MemberMutation
from merchantops.api.graphql.org.mutations.roles import RoleMutation
from merchantops.api.graphql.org.mutations.sessions import SessionMutation
from merchantops.api.graphql.org.mutations.tenants import TenantMutation


@strawberry.type
class OrgMutation(
    SessionMutation,
    InvitationMutation,
    TenantMutation,
    DepartmentMutation,
    RoleMutation,
    MemberMutation,
):
    pass


__all__ = ["OrgMutation"]
