"""Customer service's figures per team, per agent or for the whole tenant over a period,
computed by the database (aggregate SQL on PostgreSQL and SQLite alike).

The period is `from` (inclusive) to `to` (exclusive). Each figure counts what finished in it:

- **first-reply and resolution time**, p50 and p90: the working time the FIRST_REPLY and
  RESOLUTION clocks spent (`sla_clock.spent_seconds`, in the clock's calendar: business hours
  where its target counts them) of the clocks met in the period, grouped by their ticket's
  team or assignee. Percentiles interpolate linearly between the two nearest ranks
  (`percentile_cont`, numpy's default "linear"): with `n` sorted values and `h = (n - 1) p`,
  `x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])`, 0-based. PostgreSQL computes it
  with `percentile_cont(p) WITHIN GROUP (ORDER BY ...)`; SQLite has no such aggregate, so there
  the same formula runs over `row_number()` and `count(*)` windows (the two ranks picked with
  conditional aggregates, `CAST(h AS INTEGER)` as the floor of a non-negative number).
- **SLA attainment** per target: of the clocks met in the period, the share never breached.
  A next-reply clock restarts at every customer message: only its latest round is kept.
- **reopen rate**: of the tickets created in the period that were solved at least once
  (solved now, or reopened since), the share reopened at least once.
- **backlog by age**: a snapshot at `now` whatever the period: tickets not solved or closed, by
  the wall-clock time since they were opened (under 1 day, 1-3 days, 3-7 days, over 7 days).
- **satisfaction**: survey answers given in the period, grouped by the team and assignee the
  ticket had when answered. CSAT = answers of 4 or 5 / answers (a share, 0-1); NPS = % of
  promoters (9-10) minus % of detractors (0-6), -100 to 100, marked `low_sample` below 30
  answers.

A share with nothing to divide by is None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from merchantops.domain.knowledge import sql
from merchantops.domain.support import sla
from merchantops.domain.support.clocks import Target
from merchantops.domain.support.models import SlaClock
from merchantops.errors import InvalidInput

LOW_SAMPLE = 30
PERCENTILES = (0.5, 0.9)


class GroupBy(StrEnum):
    TEAM = "TEAM"
    AGENT = "AGENT"
    NONE = "NONE"


# the ticket column a group is; the survey's own copy of it (as answered)
_TICKET_KEY = {GroupBy.TEAM: "t.team_id", GroupBy.AGENT: "t.assignee_id", GroupBy.NONE: None}
_SURVEY_KEY = {GroupBy.TEAM: "s.team_id", GroupBy.AGENT: "s.assignee_id", GroupBy.NONE: None}


def _grouped(template: str, key: str | None) -> str:
    """`template` grouped by the whitelisted expression `key` (or not grouped when None):
    `$item` is the group's select item, `$group` its GROUP BY and `$partition` its window
    partition (`$group_target` a GROUP BY that adds the clock's target)."""
    if key is None:
        parts = {
            "$item": "NULL AS grp",
            "$group_target": "GROUP BY c.target",
            "$group": "",
            "$partition": "",
            "$outer_group": "",
        }
    else:
        parts = {
            "$item": f"{key} AS grp",
            "$group_target": f"GROUP BY {key}, c.target",
            "$group": f"GROUP BY {key}",
            "$partition": f"PARTITION BY {key}",
            "$outer_group": "GROUP BY grp",
        }
    for name, value in parts.items():
        template = template.replace(name, value)
    return template


CLOCKS_MET = """FROM sla_clock c JOIN ticket t ON t.id = c.ticket_id AND t.tenant_id = c.tenant_id
WHERE c.tenant_id = :tenant AND c.met_at IS NOT NULL
  AND c.met_at >= :start AND c.met_at < :stop"""
PERCENTILES_POSTGRES = (
    """SELECT $item, COUNT(*) AS n,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY c.spent_seconds) AS p50,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY c.spent_seconds) AS p90
"""
    + CLOCKS_MET
    + """ AND c.target = :target
$group"""
)


def _pick(name: str, p: float) -> str:
    """The SQLite expression of one percentile over `ranked` (module docstring)."""
    h = "((n - 1) * " + repr(p) + ")"
    low = "CAST(" + h + " AS INTEGER)"
    at_low = "MAX(CASE WHEN rn = " + low + " + 1 THEN x END)"
    at_next = "MAX(CASE WHEN rn = " + low + " + 2 THEN x END)"
    return (
        at_low
        + " + ("
        + h
        + " - "
        + low
        + ") * (COALESCE("
        + at_next
        + ", "
        + at_low
        + ") - "
        + at_low
        + ") AS "
        + name
    )


PERCENTILES_SQLITE = (
    """WITH ranked AS (
  SELECT $item, CAST(c.spent_seconds AS REAL) AS x,
         row_number() OVER ($partition ORDER BY c.spent_seconds) AS rn,
         COUNT(*) OVER ($partition) AS n
"""
    + CLOCKS_MET
    + """ AND c.target = :target
)
SELECT grp, MAX(n) AS n, """
    + _pick("p50", 0.5)
    + ", "
    + _pick("p90", 0.9)
    + """
FROM ranked
$outer_group"""
)
ATTAINMENT = (
    """SELECT $item, c.target AS target, COUNT(*) AS finished,
  COALESCE(SUM(CASE WHEN c.breached_at IS NULL THEN 1 ELSE 0 END), 0) AS met
"""
    + CLOCKS_MET
    + "\n$group_target"
)
REOPENED = """SELECT $item,
  COALESCE(SUM(CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END), 0) AS reopened,
  COUNT(*) AS solved
FROM ticket t
WHERE t.tenant_id = :tenant AND t.created_at >= :start AND t.created_at < :stop
  AND (t.solved_at IS NOT NULL OR t.reopen_count > 0)
$group"""
BACKLOG = """SELECT $item,
  COALESCE(SUM(CASE WHEN t.created_at > :one_day THEN 1 ELSE 0 END), 0) AS under_1d,
  COALESCE(SUM(CASE WHEN t.created_at <= :one_day AND t.created_at > :three_days
                    THEN 1 ELSE 0 END), 0) AS d1_3,
  COALESCE(SUM(CASE WHEN t.created_at <= :three_days AND t.created_at > :seven_days
                    THEN 1 ELSE 0 END), 0) AS d3_7,
  COALESCE(SUM(CASE WHEN t.created_at <= :seven_days THEN 1 ELSE 0 END), 0) AS over_7d
FROM ticket t
WHERE t.tenant_id = :tenant AND t.status NOT IN ('SOLVED', 'CLOSED') AND t.created_at <= :now
$group"""
SURVEYS = """SELECT $item, COUNT(*) AS answers,
  COALESCE(SUM(CASE WHEN s.csat >= 4 THEN 1 ELSE 0 END), 0) AS satisfied,
  COALESCE(SUM(CASE WHEN s.nps >= 9 THEN 1 ELSE 0 END), 0) AS promoters,
  COALESCE(SUM(CASE WHEN s.nps <= 6 THEN 1 ELSE 0 END), 0) AS detractors
FROM ticket_survey s
WHERE s.tenant_id = :tenant AND s.answered_at IS NOT NULL
  AND s.answered_at >= :start AND s.answered_at < :stop
$group"""


@dataclass(frozen=True, slots=True)
class Durations:
    """Working seconds of the clocks met in the period: how many, p50 and p90."""

    count: int = 0
    p50: float | None = None
    p90: float | None = None


@dataclass(frozen=True, slots=True)
class Attainment:
    target: Target
    finished: int
    met: int

    @property
    def rate(self) -> float | None:
        return self.met / self.finished if self.finished else None


@dataclass(frozen=True, slots=True)
class Backlog:
    under_1_day: int = 0
    days_1_to_3: int = 0
    days_3_to_7: int = 0
    over_7_days: int = 0

    @property
    def total(self) -> int:
        return self.under_1_day + self.days_1_to_3 + self.days_3_to_7 + self.over_7_days


@dataclass(frozen=True, slots=True)
class Satisfaction:
    answers: int = 0
    satisfied: int = 0
    promoters: int = 0
    detractors: int = 0

    @property
    def csat(self) -> float | None:
        return self.satisfied / self.answers if self.answers else None

    @property
    def nps(self) -> float | None:
        if not self.answers:
            return None
        return 100.0 * (self.promoters - self.detractors) / self.answers

    @property
    def low_sample(self) -> bool:
        return self.answers < LOW_SAMPLE


@dataclass(slots=True)
class GroupMetrics:
    """One team's, one agent's, or (`key` None without grouping, or for tickets without a team
    or assignee) the rest's figures."""

    key: UUID | None
    first_reply: Durations = field(default_factory=Durations)
    resolution: Durations = field(default_factory=Durations)
    attainment: list[Attainment] = field(default_factory=list)
    reopened: int = 0
    solved: int = 0
    backlog: Backlog = field(default_factory=Backlog)
    satisfaction: Satisfaction = field(default_factory=Satisfaction)

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.solved if self.solved else None


@dataclass(frozen=True, slots=True)
class SupportMetrics:
    start: datetime
    stop: datetime
    group_by: GroupBy
    now: datetime
    groups: list[GroupMetrics]


async def _rows(statement: str, postgres: bool, **params: Any) -> list[dict[str, Any]]:
    """`sql.rows`, with instants bound for SQLite as tortoise stores them (`str()` of the UTC
    value: no fraction for a whole second), so text comparisons order them by time."""
    if not postgres:
        params = {
            name: str(value.astimezone(UTC)) if isinstance(value, datetime) else value
            for name, value in params.items()
        }
    return await sql.rows(statement, **params)


def _uuid(value: Any) -> UUID | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, UUID) else UUID(str(value))


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


async def due_soon(now: datetime, within: timedelta = timedelta(hours=1)) -> list[SlaClock]:
    """The clocks of the tenant in context that breach within `within` from `now` (running,
    unmet, not breached), soonest first: one range scan of the `(tenant_id, due_at)` index
    (`due_at` is set exactly while a clock runs unmet)."""
    return list(await sla.breaching_within(now, within).order_by("due_at"))


async def support_metrics(
    start: datetime, stop: datetime, group_by: GroupBy = GroupBy.NONE, *, now: datetime
) -> SupportMetrics:
    """The period's figures of the tenant in context, one entry per group (sorted by key,
    None first; without grouping exactly one)."""
    if start.tzinfo is None or stop.tzinfo is None:
        raise InvalidInput("Give times with their UTC offset.", field="period.from")
    if stop <= start:
        raise InvalidInput("'to' must come after 'from'.", field="period.to")
    postgres = sql.is_postgres()
    key, survey_key = _TICKET_KEY[group_by], _SURVEY_KEY[group_by]
    groups: dict[UUID | None, GroupMetrics] = {}

    def group(row: dict[str, Any]) -> GroupMetrics:
        found = _uuid(row.get("grp"))
        return groups.setdefault(found, GroupMetrics(found))

    window = {"start": start, "stop": stop}
    for target, name in ((Target.FIRST_REPLY, "first_reply"), (Target.RESOLUTION, "resolution")):
        for row in await _rows(
            _grouped(PERCENTILES_POSTGRES if postgres else PERCENTILES_SQLITE, key),
            postgres,
            target=target.value,
            **window,
        ):
            if not row["n"]:
                continue
            durations = Durations(int(row["n"]), _float(row["p50"]), _float(row["p90"]))
            setattr(group(row), name, durations)
    for row in await _rows(_grouped(ATTAINMENT, key), postgres, **window):
        group(row).attainment.append(
            Attainment(Target(row["target"]), int(row["finished"]), int(row["met"]))
        )
    for row in await _rows(_grouped(REOPENED, key), postgres, **window):
        if int(row["solved"]):
            found = group(row)
            found.reopened, found.solved = int(row["reopened"]), int(row["solved"])
    ages = {
        "now": now,
        "one_day": now - timedelta(days=1),
        "three_days": now - timedelta(days=3),
        "seven_days": now - timedelta(days=7),
    }
    for row in await _rows(_grouped(BACKLOG, key), postgres, **ages):
        backlog = Backlog(
            int(row["under_1d"]), int(row["d1_3"]), int(row["d3_7"]), int(row["over_7d"])
        )
        if backlog.total:
            group(row).backlog = backlog
    for row in await _rows(_grouped(SURVEYS, survey_key), postgres, **window):
        if int(row["answers"]):
            group(row).satisfaction = Satisfaction(
                int(row["answers"]),
                int(row["satisfied"]),
                int(row["promoters"]),
                int(row["detractors"]),
            )
    if group_by == GroupBy.NONE:
        groups.setdefault(None, GroupMetrics(None))
    for found in groups.values():
        found.attainment.sort(key=lambda a: list(Target).index(a.target))
    ordered = sorted(groups.values(), key=lambda g: (g.key is not None, str(g.key or "")))
    return SupportMetrics(start, stop, group_by, now, ordered)


__all__ = [
    "LOW_SAMPLE",
    "Attainment",
    "Backlog",
    "Durations",
    "GroupBy",
    "GroupMetrics",
    "Satisfaction",
    "SupportMetrics",
    "due_soon",
    "support_metrics",
]
