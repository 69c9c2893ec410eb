"""The demo tenant's calendars: its default office hours in Shanghai with China's public
holidays and make-up working days, and the customer service's long days with a lunch and a
dinner break."""

from __future__ import annotations

from merchantops.domain.calendars import service as calendars
from merchantops.domain.calendars.service import CalendarChanges, CalendarSpec
from merchantops.domain.seeding import Seed

SERVICE_DAY = ("08:00-12:00", "13:00-18:00", "19:00-22:00")
SERVICE_HOURS = CalendarSpec(
    "Customer service hours",
    time_zone="Asia/Shanghai",
    week=(SERVICE_DAY,) * 6 + (("10:00-16:00",),),
    holiday_country="CN",
)


async def master_data(seed: Seed) -> None:
    """Set up by the platform (no staff member of the demo writes calendars)."""
    default = await calendars.default_calendar()
    if default is not None:
        await calendars.update_calendar(
            default.id, CalendarChanges(time_zone="Asia/Shanghai", holiday_country="CN")
        )
    await calendars.create_calendar(SERVICE_HOURS)


__all__ = ["SERVICE_HOURS", "master_data"]
