"""What a new tenant starts with in the calendars area: a default business calendar."""

from __future__ import annotations

from merchantops.domain.calendars.models import BusinessCalendar
from merchantops.domain.calendars.service import install_default


async def new_tenant() -> None:
    """Office hours in UTC until edited (tenants have no time zone of their own yet); none
    when the tenant has a calendar already."""
    if not await BusinessCalendar.exists():
        await install_default()


__all__ = ["new_tenant"]
