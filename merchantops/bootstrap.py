"""The list of business areas, and everything collected from it.

Each area is a pair of packages of one shape (docs/adding-an-area.md):

    merchantops/domain/<area>/       models.py, services, errors.py, events.py, jobs.py,
                                     handlers.py (what the area does when an approval is decided),
                                     facts.py (what its compliance actions and events tell rules),
                                     demo.py (its part of the demo tenant), setup.py (what a
                                     new tenant starts with), personal_data.py (what it
                                     holds about customers: export, erase)
    merchantops/api/graphql/<area>/  types.py, queries.py, filters.py, mutations/, and an
                                     __init__ exporting `Query` and `Mutation`

Nothing registers itself when imported. This module reads the pieces by name, in `AREAS`
order, and the processes take them from here: `db` the model modules, the GraphQL schema the
root types, the workers the job functions, the event steps and the schedules, `wire()` the
event types the outbox accepts, the approval handlers governance calls, the facts rule
validation knows and the kinds of object its records name. An area leaves out what it has no
use for: a missing module or name is an empty contribution.

This is the composition root (as cosmicpython's `bootstrap` is): it may import every layer,
and no layer imports it except the ones that start processes (`db`, the schema, the workers).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from merchantops.api.graphql.core.extensions import Extension
    from merchantops.domain.dependencies import Dependencies
    from merchantops.domain.seeding import Seed
    from merchantops.rules.facts import Source
    from merchantops.tenants.jobs import JobContext, JobFunction, Schedule

EventStep = Callable[["JobContext", dict[str, Any]], Awaitable[None]]
DemoStep = Callable[["Seed"], Awaitable[None]]
SetupStep = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Area:
    name: str
    domain: str | None = ""
    """Its domain package; "" means `merchantops.domain.<name>`, None that it has none."""
    graphql: str | None = ""
    """Its GraphQL package; "" means `merchantops.api.graphql.<name>`, None that it has none."""
    parts: tuple[str, ...] | None = None
    """The conventional modules its domain package has, when it is the kernel's (whose other
    modules, `tenants.jobs` or `rules.facts`, are not an area's); None: look for each."""

    @property
    def domain_package(self) -> str | None:
        return f"merchantops.domain.{self.name}" if self.domain == "" else self.domain

    @property
    def graphql_package(self) -> str | None:
        return f"merchantops.api.graphql.{self.name}" if self.graphql == "" else self.graphql

    def domain_module(self, name: str) -> ModuleType | None:
        package = self.domain_package
        if package is None or (self.parts is not None and name not in self.parts):
            return None
        return _optional(f"{package}.{name}")


# In this order the schema lists root fields and the event job runs its steps.
AREAS: tuple[Area, ...] = (
    Area("platform", domain="merchantops.tenants", graphql=None, parts=("models", "events")),
    Area("org", domain=None),
    Area("api_keys", domain=None),
    Area("audit", domain=None),
    Area("webhooks"),
    Area("jobs", domain=None),
    Area("rules", domain="merchantops.rules", parts=("models",)),
    Area("governance"),
    Area("approvals", domain=None),
    Area("catalog"),
    Area("suppliers"),
    Area("purchasing"),
    Area("exports"),
    Area("inventory"),
    Area("lifecycle"),
    Area("calendars"),
    Area("customers"),
    Area("orders"),
    Area("knowledge"),
    Area("support"),
    Area("operations", domain=None),
)


def _optional(module: str) -> ModuleType | None:
    try:
        found = importlib.util.find_spec(module)
    except ModuleNotFoundError:
        return None
    return None if found is None else importlib.import_module(module)


def _domain_modules(name: str) -> Iterator[tuple[Area, ModuleType]]:
    for area in AREAS:
        module = area.domain_module(name)
        if module is not None:
            yield area, module


def model_modules() -> list[str]:
    """Every module holding models, for tortoise (imports nothing)."""
    modules = []
    for area in AREAS:
        package = area.domain_package
        if package is None or (area.parts is not None and "models" not in area.parts):
            continue
        if importlib.util.find_spec(f"{package}.models") is not None:
            modules.append(f"{package}.models")
    return modules


def graphql_roots() -> tuple[list[type], list[type]]:
    """Each area's `Query` and `Mutation` classes, in area order."""
    queries: list[type] = []
    mutations: list[type] = []
    for area in AREAS:
        package = area.graphql_package
        if package is None:
            continue
        module = importlib.import_module(package)
        for name, roots in (("Query", queries), ("Mutation", mutations)):
            root = getattr(module, name, None)
            if root is not None:
                roots.append(root)
    return queries, mutations


def graphql_extensions() -> list[Extension]:
    """The fields each area adds to the GraphQL types of areas it depends on (its package's
    `EXTENDS`, `api/graphql/core/extensions.py`), in area order."""
    found: list[Extension] = []
    for area in AREAS:
        package = area.graphql_package
        if package is not None:
            found.extend(getattr(importlib.import_module(package), "EXTENDS", ()))
    return found


@cache
def event_types() -> frozenset[str]:
    """Every event type an area emits and partners may subscribe to (its `events.EVENTS`)."""
    types: set[str] = set()
    for area, module in _domain_modules("events"):
        declared = set(module.EVENTS)
        if clash := declared & types:
            raise RuntimeError(f"area {area.name} declares event types again: {sorted(clash)}")
        types |= declared
    return frozenset(types)


def id_kinds() -> dict[str, str]:
    """What each area's stored records call its objects -> GraphQL type (`events.ID_KINDS`)."""
    kinds: dict[str, str] = {}
    for area, module in _domain_modules("events"):
        declared = getattr(module, "ID_KINDS", {})
        if clash := set(declared) & set(kinds):
            raise RuntimeError(f"area {area.name} declares id kinds again: {sorted(clash)}")
        kinds.update(declared)
    return kinds


def jobs(deps: Dependencies) -> dict[str, JobFunction]:
    """Every area's job functions by name (`jobs.jobs(deps)`)."""
    found: dict[str, JobFunction] = {}
    for area, module in _domain_modules("jobs"):
        make = getattr(module, "jobs", None)
        for name, function in (make(deps) if make else {}).items():
            if name in found:
                raise RuntimeError(f"area {area.name} declares the job {name!r} again")
            found[name] = function
    return found


def event_steps(deps: Dependencies) -> list[EventStep]:
    """The steps the job of each outbox event runs, in area order (`jobs.on_event(deps)`).
    Each step is idempotent per event, so a retried job repeats none."""
    steps: list[EventStep] = []
    for _area, module in _domain_modules("jobs"):
        make = getattr(module, "on_event", None)
        if make is not None:
            steps.append(make(deps))
    return steps


def schedules() -> tuple[Schedule, ...]:
    """Every periodic per-tenant job (`jobs.SCHEDULES`)."""
    found: list[Schedule] = []
    for _area, module in _domain_modules("jobs"):
        found.extend(getattr(module, "SCHEDULES", ()))
    return tuple(found)


def approval_handlers() -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """What applies an approved change and what undoes a rejected one, by action
    (`handlers.ON_APPROVAL`, `handlers.ON_REJECTION`)."""
    approved: dict[str, Any] = {}
    rejected: dict[str, Any] = {}
    for area, module in _domain_modules("handlers"):
        for name, table in (("ON_APPROVAL", approved), ("ON_REJECTION", rejected)):
            for action, handler in getattr(module, name, {}).items():
                if action in table:
                    raise RuntimeError(f"area {area.name} handles {action!r} again")
                table[action] = handler
    return approved, rejected


def demo_steps() -> tuple[list[DemoStep], list[DemoStep]]:
    """Each area's demo data: every `demo.master_data`, then every `demo.activity`."""
    master: list[DemoStep] = []
    activity: list[DemoStep] = []
    for _area, module in _domain_modules("demo"):
        for name, steps in (("master_data", master), ("activity", activity)):
            step = getattr(module, name, None)
            if step is not None:
                steps.append(step)
    return master, activity


def setup_steps() -> list[SetupStep]:
    """What each area gives a new tenant (`setup.new_tenant`: default settings, categories,
    calendars), run in area order in the tenant's creation transaction."""
    return [
        module.new_tenant
        for _area, module in _domain_modules("setup")
        if getattr(module, "new_tenant", None) is not None
    ]


def personal_data_holders() -> list[Any]:
    """The areas holding personal data about customers (`personal_data.export` / `erase`),
    for the customers' data-subject requests."""
    from merchantops.domain.customers.privacy import Holder

    return [
        Holder(getattr(module, "NAME", area.name), module.export, module.erase)
        for area, module in _domain_modules("personal_data")
    ]


def fact_sources() -> list[Source]:
    """The facts each area's compliance actions and events provide (`facts.FACTS`)."""
    return [source for _area, module in _domain_modules("facts") for source in module.FACTS]


def wire() -> None:
    """Hand the lower layers what they check against at run time: the event types the outbox
    accepts, the approval handlers governance calls, the facts rule validation knows.
    Idempotent; `db.init_db` calls it, so every process that opens the database has it done."""
    from merchantops.domain.customers import privacy
    from merchantops.domain.governance import approvals
    from merchantops.domain.onboarding import service as onboarding
    from merchantops.rules import facts
    from merchantops.tenants import global_ids, outbox

    outbox.declare_event_types(event_types())
    global_ids.install_kinds(id_kinds())
    approvals.install(*approval_handlers())
    facts.install(fact_sources())
    onboarding.install_setup_steps(setup_steps())
    privacy.install_holders(personal_data_holders())


__all__ = [
    "AREAS",
    "Area",
    "DemoStep",
    "EventStep",
    "SetupStep",
    "approval_handlers",
    "demo_steps",
    "event_steps",
    "event_types",
    "fact_sources",
    "graphql_extensions",
    "graphql_roots",
    "id_kinds",
    "jobs",
    "model_modules",
    "personal_data_holders",
    "schedules",
    "setup_steps",
    "wire",
]
