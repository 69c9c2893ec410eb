"""The customer-service area's mutations, merged in the order the schema lists them."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.support.mutations.settings import SupportSettingsMutation
from merchantops.api.graphql.support.mutations.teams import SupportTeamMutation
from merchantops.api.graphql.support.mutations.tickets import TicketMutation


@strawberry.type
class SupportMutation(TicketMutation, SupportTeamMutation, SupportSettingsMutation):
    pass


__all__ = ["SupportMutation"]
