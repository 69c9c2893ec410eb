"""The calendars' mutations, merged in the order the schema lists them."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.calendars.mutations.calendars import BusinessCalendarMutation
from merchantops.api.graphql.calendars.mutations.holidays import HolidayMutation


@strawberry.type
class CalendarMutation(BusinessCalendarMutation, HolidayMutation):
    pass


__all__ = ["CalendarMutation"]
