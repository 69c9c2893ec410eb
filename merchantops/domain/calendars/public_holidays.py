"""Public holidays and make-up working days of a country, from the `holidays` library.

The library knows the holidays of some 200 countries and their subdivisions, and for the
countries that move working days around a holiday (China, Vietnam) the weekend days worked
instead. Each (country, subdivision, year) is computed once per process and kept: holidays do
not change while a process runs (a new library version comes with a deploy).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

import holidays

from merchantops.domain.calendars.errors import UnknownHolidayCountry


@dataclass(frozen=True, slots=True)
class YearOfHolidays:
    holidays: frozenset[date]
    make_up_days: frozenset[date]


@cache
def countries() -> dict[str, tuple[str, ...]]:
    """Every country the library knows (ISO 3166-1 alpha-2) -> its subdivision codes."""
    return {code: tuple(subdivisions) for code, subdivisions in _supported().items()}


def _supported() -> dict[str, list[str]]:
    return dict(holidays.list_supported_countries())


def check_country(country: str, subdivision: str = "") -> tuple[str, str]:
    """(country, subdivision) normalised, or `UnknownHolidayCountry` naming the field."""
    country, subdivision = country.strip().upper(), subdivision.strip().upper()
    known = countries()
    if country not in known:
        raise UnknownHolidayCountry(
            f"No public holidays are known for '{country}': use an ISO 3166-1 alpha-2 code "
            "such as CN, DE or US.",
            field="holidayCountry",
        )
    if subdivision and subdivision not in known[country]:
        raise UnknownHolidayCountry(
            f"'{country}' has no subdivision '{subdivision}'; it has: "
            f"{', '.join(known[country]) or 'none'}.",
            field="holidaySubdivision",
        )
    return country, subdivision


@lru_cache(maxsize=1024)
def year_of(country: str, subdivision: str, year: int) -> YearOfHolidays:
    found = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    worked: set[date] = getattr(found, "weekend_workdays", set())
    return YearOfHolidays(
        frozenset(day for day in found if day.year == year),
        frozenset(day for day in worked if day.year == year),
    )


@dataclass(frozen=True, slots=True)
class Holidays:
    """A country's public holidays plus a tenant's own dates: a `DaySet`."""

    country: str = ""
    subdivision: str = ""
    own: frozenset[date] = frozenset()

    def __contains__(self, day: object, /) -> bool:
        if not isinstance(day, date):
            return False
        if day in self.own:
            return True
        return (
            bool(self.country) and day in year_of(self.country, self.subdivision, day.year).holidays
        )


@dataclass(frozen=True, slots=True)
class MakeUpDays:
    """The country's weekend days worked in exchange for a bridge day, plus a tenant's own."""

    country: str = ""
    subdivision: str = ""
    own: frozenset[date] = frozenset()

    def __contains__(self, day: object, /) -> bool:
        if not isinstance(day, date):
            return False
        if day in self.own:
            return True
        if not self.country:
            return False
        return day in year_of(self.country, self.subdivision, day.year).make_up_days


__all__ = ["Holidays", "MakeUpDays", "YearOfHolidays", "check_country", "countries", "year_of"]
