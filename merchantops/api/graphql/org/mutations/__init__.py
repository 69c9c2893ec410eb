from __future__ import annotations

import strawberry

from merchantops.api.graphql.org.mutations.departments import DepartmentMutation
from merchantops.api.graphql.org.mutations.members import MemberMutation
from merchantops.api.graphql.org.mutations.roles import RoleMutation


@strawberry.type
class OrgMutation(DepartmentMutation, RoleMutation, MemberMutation):
    pass


__all__ = ["OrgMutation"]
