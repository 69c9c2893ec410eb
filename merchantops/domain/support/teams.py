"""Support teams: a name and a lead, who takes a team's breached tickets. Tickets are
assigned to a team and/or an agent (a member of the tenant; the customer-service
department's roles give agents their rights). Every change is audited."""

from __future__ import annotations

from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.support.errors import NotAMember
from merchantops.domain.support.models import SupportTeam, Ticket
from merchantops.domain.values import text
from merchantops.errors import AlreadyExists, InvalidInput, NotFound
from merchantops.tenants import audit
from merchantops.tenants.models import Membership


async def get_team(team_id: UUID, field: str = "id") -> SupportTeam:
    team = await SupportTeam.get_or_none(id=team_id)
    if team is None:
        raise NotFound("No support team with this id.", field=field)
    return team


async def _lead(lead_id: UUID | None) -> UUID | None:
    if lead_id is not None and not await Membership.exists(user_id=lead_id):
        raise NotAMember("Not a member of this organisation.", field="leadId")
    return lead_id


async def _name_free(name: str, own: UUID | None) -> None:
    taken = SupportTeam.filter(name=name)
    if own is not None:
        taken = taken.exclude(id=own)
    if await taken.exists():
        raise AlreadyExists("A team with this name exists.", field="name")


async def create_team(name: str, lead_id: UUID | None = None) -> SupportTeam:
    name = text(name, "name", max_length=120)
    lead = await _lead(lead_id)
    async with in_transaction():
        await _name_free(name, None)
        team = await SupportTeam.create(name=name, lead_id=lead)
        await audit.record(
            "support_team.created",
            "support_team",
            team.id,
            after={"name": name, "lead_id": str(lead) if lead else None},
        )
    return team


async def update_team(
    team_id: UUID, *, name: str | None = None, lead_id: UUID | None = None, clear_lead: bool = False
) -> SupportTeam:
    new_name = None if name is None else text(name, "name", max_length=120)
    lead = await _lead(lead_id)
    if lead is not None and clear_lead:
        raise InvalidInput("Give a lead or clear it, not both.", field="leadId")
    async with in_transaction():
        team = await SupportTeam.select_for_update().get_or_none(id=team_id)
        if team is None:
            raise NotFound("No support team with this id.", field="id")
        before = {"name": team.name, "lead_id": str(team.lead_id) if team.lead_id else None}
        if new_name is not None:
            await _name_free(new_name, team.id)
            team.name = new_name
        if lead is not None or clear_lead:
            team.lead_id = lead
        after = {"name": team.name, "lead_id": str(team.lead_id) if team.lead_id else None}
        if after != before:
            await team.save(update_fields=["name", "lead_id"])
            await audit.record(
                "support_team.updated", "support_team", team.id, before=before, after=after
            )
    return team


async def delete_team(team_id: UUID) -> None:
    """A team's tickets keep their agent and lose the team (cleared here, never by the
    database: see docs/adding-an-area.md)."""
    async with in_transaction():
        team = await SupportTeam.select_for_update().get_or_none(id=team_id)
        if team is None:
            raise NotFound("No support team with this id.", field="id")
        moved = await Ticket.filter(team_id=team.id).update(team_id=None)
        await team.delete()
        await audit.record(
            "support_team.deleted",
            "support_team",
            team.id,
            before={"name": team.name},
            after={"tickets_unassigned": moved},
        )


__all__ = ["create_team", "delete_team", "get_team", "update_team"]
