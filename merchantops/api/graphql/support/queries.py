"""The customer-service area's queries: tickets filtered (by SLA state too) and sorted, one
ticket, support teams, the SLA policies and the settings. All need `ticket:read`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import strawberry
from tortoise.expressions import RawSQL, Subquery
from tortoise.queryset import QuerySet

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.core.sorting import SortDirection, order
from merchantops.api.graphql.support.filters import TicketFilter, TicketSort, TicketSortField
from merchantops.api.graphql.support.types import (
    SlaPolicy,
    SupportSettings,
    SupportTeamNode,
    TicketNode,
)
from merchantops.domain.support import config, sla
from merchantops.domain.support.models import SlaClock, SupportTeam, Ticket
from merchantops.errors import InvalidInput

READ = TenantPermission("ticket", "read")
MAX_WINDOW = 60 * 24 * 365
# the earliest due instant of the ticket's running, unmet clocks (NULL when none runs)
NEXT_DUE = (
    "(SELECT MIN(c.due_at) FROM sla_clock c WHERE c.tenant_id = ticket.tenant_id "
    "AND c.ticket_id = ticket.id AND c.met_at IS NULL)"
)


def _breached() -> Any:
    return Subquery(
        SlaClock.filter(breached_at__not_isnull=True, met_at__isnull=True).values("ticket_id")
    )


def _filtered(filter: TicketFilter) -> QuerySet[Ticket]:
    rows = Ticket.all()
    if filter.status:
        rows = rows.filter(status__in=[s.value for s in filter.status])
    if filter.type:
        rows = rows.filter(type__in=[t.value for t in filter.type])
    if filter.channel:
        rows = rows.filter(channel__in=[c.value for c in filter.channel])
    if filter.priority:
        rows = rows.filter(priority__in=[p.value for p in filter.priority])
    if filter.assignee_id is not None:
        rows = rows.filter(assignee_id=decode_id(filter.assignee_id, "User", "filter.assigneeId"))
    if filter.team_id is not None:
        rows = rows.filter(team_id=decode_id(filter.team_id, "SupportTeam", "filter.teamId"))
    if filter.customer_id is not None:
        rows = rows.filter(
            customer_id=decode_id(filter.customer_id, "Customer", "filter.customerId")
        )
    if filter.breaching_within_minutes is not None:
        minutes = filter.breaching_within_minutes
        if not 0 <= minutes <= MAX_WINDOW:
            raise InvalidInput(f"0 to {MAX_WINDOW} minutes.", field="filter.breachingWithinMinutes")
        now = datetime.now(UTC)
        due = sla.breaching_within(now, timedelta(minutes=minutes))
        rows = rows.filter(id__in=Subquery(due.values("ticket_id")))
    if filter.breached is True:
        rows = rows.filter(id__in=_breached())
    elif filter.breached is False:
        rows = rows.exclude(id__in=_breached())
    if filter.search is not None and filter.search.strip():
        for word in filter.search.split()[:10]:
            rows = rows.filter(subject__icontains=word)
    return rows


def _sorted(rows: QuerySet[Ticket], sort: TicketSort) -> QuerySet[Ticket]:
    if sort.field is not TicketSortField.NEXT_DUE:
        return rows.order_by(*order(sort.field.value, sort.direction))
    sign = "-" if sort.direction is SortDirection.DESC else ""
    return rows.annotate(
        no_next_due=RawSQL(f"CASE WHEN {NEXT_DUE} IS NULL THEN 1 ELSE 0 END"),
        next_due=RawSQL(NEXT_DUE),
    ).order_by("no_next_due", f"{sign}next_due", f"{sign}id")


@strawberry.type
class SupportQuery:
    @strawberry.field(extensions=[requires(READ)])
    async def ticket(self, info: Info, id: strawberry.ID) -> TicketNode | None:
        found = await info.context.loaders.by_id(Ticket).load(decode_id(id, "Ticket"))
        return TicketNode.from_model(found) if found else None

    @strawberry.field(extensions=[requires(READ)])
    @paged
    async def tickets(
        self,
        info: Info,
        filter: TicketFilter | None = None,
        sort: TicketSort | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[TicketNode]:
        rows = _sorted(_filtered(filter or TicketFilter()), sort or TicketSort())
        return await paginate(info, rows, page, to_node=TicketNode.from_model)

    @strawberry.field(extensions=[requires(READ)], description="Support teams, by name.")
    async def support_teams(self) -> list[SupportTeamNode]:
        return [SupportTeamNode.from_model(t) for t in await SupportTeam.all().order_by("name")]

    @strawberry.field(
        extensions=[requires(READ)],
        description="The SLA policies in order: the first match applies.",
    )
    async def sla_policies(self) -> list[SlaPolicy]:
        return [SlaPolicy.from_model(row) for row in await config.policy_records()]

    @strawberry.field(extensions=[requires(READ)])
    async def support_settings(self) -> SupportSettings:
        return SupportSettings.from_model(await config.support_settings())


__all__ = ["SupportQuery"]
