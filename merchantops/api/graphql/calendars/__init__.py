"""Business calendars: working hours, holidays, and business-time previews."""

from __future__ import annotations

from merchantops.api.graphql.calendars.mutations import CalendarMutation as Mutation
from merchantops.api.graphql.calendars.queries import CalendarQuery as Query

__all__ = ["Mutation", "Query"]
