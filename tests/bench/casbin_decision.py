"""Benchmark: one casbin permission decision against its plain-dict floor.

Measures the median (and p99) time of `TenantPolicy.allows(subject, obj, action)` for one
tenant with 50 roles and 2,000 policy lines, loaded the way the API loads it
(`PolicyStore().for_tenant(tenant)`) from a `casbin_rule` table that holds 1,000 tenants'
policies, next to the same decisions answered from the tenant's permissions precomputed into a
plain dict of sets (the floor), and prints the ratio of the medians. Every casbin decision is
checked against the floor's. It also times one enforcer holding 20 tenants' lines together
(`--all-in-one`), to show why the API keeps one enforcer per tenant: a decision scans every line,
and loading is quadratic (pycasbin's `add_policy` checks for duplicates with a list scan).

It creates a throwaway PostgreSQL database (merchantops_bench_<random>) next to the one of
TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test) and drops it at the end.
Timings are printed, never asserted. The garbage collector is off inside timed loops, as in
`timeit`.

Run from the project root:

    .venv/bin/python -m tests.bench.casbin_decision
    .venv/bin/python -m tests.bench.casbin_decision --tenants 50 --decisions 2000  # quick
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import os
import platform
import random
import signal
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import casbin
from tortoise.expressions import Q

from merchantops.db import close_db, init_db, migrate_db
from merchantops.tenants.context import Crossing, across_tenants, tenant_scope
from merchantops.tenants.models import PolicyRule, Tenant
from merchantops.tenants.permissions import ACTIONS, CATALOGUE, WILDCARD
from merchantops.tenants.rbac import (
    VALUE_COLUMNS,
    PolicyStore,
    TenantPolicy,
    TenantPolicyAdapter,
    _casbin_model,
    role_subject,
    user_subject,
)
from tests.bench.smoke import add_smoke_flag, parse_with_smoke

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
COPY_COLUMNS = ("tenant_id", "ptype", *VALUE_COLUMNS)
TENANTS_PER_COPY = 50
USERS_PER_TENANT = 10
SYNTHETIC_OBJECTS = 200
FLOOR_REPEAT = 50  # floor decisions are ~0.1 us: time each one as the mean of this many calls

Request = tuple[str, str, str]
Row = tuple[str, str, str, str, str]  # ptype, v0..v3 (v4, v5 are unused by this model)


# --- the seeded policies ------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    roles: int
    lines: int

    @property
    def role_slugs(self) -> list[str]:
        return [f"r{index:02d}" for index in range(self.roles)]

    def levels(self) -> list[list[str]]:
        """The roles split over 4 hierarchy levels (10/20/30/40 %), roots first."""
        slugs = self.role_slugs
        if len(slugs) < 4:
            return [slugs]
        sizes = [max(1, round(len(slugs) * share)) for share in (0.1, 0.2, 0.3)]
        bounds = [0, sizes[0], sizes[0] + sizes[1], sum(sizes), len(slugs)]
        return [slugs[bounds[i] : bounds[i + 1]] for i in range(4)]

    def objects(self) -> list[tuple[str, tuple[str, ...]]]:
        """Catalogue objects first, then enough synthetic ones for distinct lines per role."""
        per_role = math.ceil(self.lines / max(1, self.roles))
        synthetic = max(SYNTHETIC_OBJECTS, math.ceil(per_role * 4 / len(ACTIONS)))
        extra = [(f"ext_{index:04d}", ACTIONS) for index in range(synthetic)]
        return list(CATALOGUE.items()) + extra


def tenant_policy(tenant_id: uuid.UUID, shape: Shape, rng: random.Random) -> list[Row]:
    """About `shape.lines` distinct lines: role tree, user assignments, then permissions."""
    domain = str(tenant_id)
    levels = shape.levels()
    rows: list[Row] = []
    for depth in range(1, len(levels)):
        for child in levels[depth]:
            parents = {rng.choice(levels[depth - 1])}
            if rng.random() < 0.3:  # some roles have a second parent: a DAG, not a tree
                parents.add(rng.choice(levels[max(0, depth - 2)]))
            rows.extend(
                ("g", role_subject(child), role_subject(parent), domain, "")
                for parent in sorted(parents)
            )
    # Users hold roles of the two lowest levels: their permissions come through 2-3 links.
    assignable = [slug for level in levels[-2:] for slug in level]
    for _ in range(USERS_PER_TENANT):
        user = user_subject(uuid.UUID(int=rng.getrandbits(128), version=4))
        for slug in rng.sample(assignable, k=min(len(assignable), rng.choice((1, 1, 2)))):
            rows.append(("g", user, role_subject(slug), domain, ""))

    pairs = [(obj, act) for obj, actions in shape.objects() for act in actions]
    slugs = shape.role_slugs
    p_total = max(0, shape.lines - len(rows))
    for index, slug in enumerate(slugs):
        count = p_total // len(slugs) + (1 if index < p_total % len(slugs) else 0)
        if index < len(levels[0]) and count > 0:  # each root role has one action wildcard
            obj = rng.choice(list(CATALOGUE))
            rest = [pair for pair in pairs if pair[0] != obj]
            chosen = [(obj, WILDCARD), *rng.sample(rest, k=min(count - 1, len(rest)))]
        else:
            chosen = rng.sample(pairs, k=min(count, len(pairs)))
        rows.extend(("p", role_subject(slug), domain, obj, act) for obj, act in chosen)
    return rows


async def seed(url: str, shape: Shape, tenants: int, seed_value: int) -> list[Tenant]:
    started = time.perf_counter()
    created = [
        Tenant(id=uuid.uuid4(), slug=f"bench-{index:05d}", name=f"Bench tenant {index}")
        for index in range(tenants)
    ]
    await Tenant.bulk_create(created, batch_size=1000)
    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://"))
    generating = 0.0
    total = 0
    try:
        for start in range(0, tenants, TENANTS_PER_COPY):
            began = time.perf_counter()
            records: list[tuple[Any, ...]] = []
            for index in range(start, min(tenants, start + TENANTS_PER_COPY)):
                tenant_id = created[index].id
                rng = random.Random(f"{seed_value}-{index}")
                records.extend(
                    (tenant_id, *row, "", "") for row in tenant_policy(tenant_id, shape, rng)
                )
            generating += time.perf_counter() - began
            await connection.copy_records_to_table(
                PolicyRule._meta.db_table, records=records, columns=COPY_COLUMNS
            )
            total += len(records)
        await connection.execute("ANALYZE tenant; ANALYZE casbin_rule")
    finally:
        await connection.close()
    elapsed = time.perf_counter() - started
    print(
        f"seeded {tenants:,} tenants, {total:,} policy lines in {elapsed:.1f} s "
        f"({total / elapsed:,.0f} lines/s, of which {generating:.1f} s generating in Python)"
    )
    if elapsed > 300:
        print("  note: seeding took over 5 minutes; pass --tenants lower for quicker runs")
    return list(await Tenant.all().order_by("slug"))


# --- the floor ----------------------------------------------------------------------------------


class FloorPolicy:
    """The tenant's permissions with inheritance and wildcards expanded up front."""

    EMPTY: frozenset[tuple[str, str]] = frozenset()

    def __init__(self, table: dict[str, frozenset[tuple[str, str]]]) -> None:
        self.table = table

    def allows(self, subject: str, obj: str, action: str) -> bool:
        return (obj, action) in self.table.get(subject, self.EMPTY)

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[str]], objects: Sequence[str]) -> FloorPolicy:
        direct: dict[str, set[tuple[str, str]]] = {}
        parents: dict[str, list[str]] = {}
        for ptype, v0, v1, v2, v3, *_ in rows:
            if ptype == "g":
                parents.setdefault(v0, []).append(v1)
                continue
            granted = direct.setdefault(v0, set())
            for obj in objects if v2 == WILDCARD else (v2,):
                for act in ACTIONS if v3 == WILDCARD else (v3,):
                    granted.add((obj, act))
        table: dict[str, frozenset[tuple[str, str]]] = {}
        for subject in {*direct, *parents}:
            seen: set[str] = set()
            pending = [subject]
            permissions: set[tuple[str, str]] = set()
            while pending:
                current = pending.pop()
                if current in seen:
                    continue
                seen.add(current)
                permissions |= direct.get(current, set())
                pending.extend(parents.get(current, ()))
            table[subject] = frozenset(permissions)
        return cls(table)


# --- requests and timing ------------------------------------------------------------------------


def make_requests(
    floor: FloorPolicy, objects: Sequence[str], count: int, rng: random.Random
) -> list[Request]:
    """Half drawn from what a user may do (allowed), half random (mostly denied)."""
    users = sorted(subject for subject in floor.table if subject.startswith("user:"))
    granted = {user: sorted(floor.table[user]) for user in users}
    unknown_objects = ["ghost_object", "ext_missing"]
    requests: list[Request] = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.02:
            user = user_subject(uuid.UUID(int=rng.getrandbits(128), version=4))
        else:
            user = rng.choice(users)
        if roll < 0.5 and granted.get(user):
            obj, act = rng.choice(granted[user])
        elif roll < 0.55:
            obj, act = rng.choice(unknown_objects), rng.choice(ACTIONS)
        else:
            obj, act = rng.choice(objects), rng.choice(ACTIONS)
        requests.append((user, obj, act))
    return requests


@contextmanager
def gc_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@dataclass
class Timing:
    label: str
    samples_ns: list[float]
    results: list[bool]

    @property
    def median_us(self) -> float:
        return statistics.median(self.samples_ns) / 1000

    @property
    def p99_us(self) -> float:
        ordered = sorted(self.samples_ns)
        return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)] / 1000

    def subset(self, label: str, allowed: bool) -> Timing:
        picked = [
            (s, r) for s, r in zip(self.samples_ns, self.results, strict=True) if r is allowed
        ]
        return Timing(label, [s for s, _ in picked], [r for _, r in picked])


def time_decisions(
    label: str,
    allows: Callable[[str, str, str], bool],
    requests: Sequence[Request],
    warmup: int,
    repeat: int = 1,
) -> Timing:
    """Per-decision times: one timer pair per request, around `repeat` identical calls."""
    for subject, obj, act in requests[:warmup]:
        allows(subject, obj, act)
    samples: list[float] = []
    results: list[bool] = []
    clock = time.perf_counter_ns
    loop = range(repeat)
    with gc_off():
        for subject, obj, act in requests:
            started = clock()
            for _ in loop:
                result = allows(subject, obj, act)
            samples.append((clock() - started) / repeat)
            results.append(result)
    return Timing(label, samples, results)


def timer_overhead_ns() -> float:
    clock = time.perf_counter_ns
    samples = []
    for _ in range(10_000):
        started = clock()
        samples.append(clock() - started)
    return statistics.median(samples)


def mismatches(reference: Sequence[bool], other: Sequence[bool]) -> int:
    return sum(a is not b for a, b in zip(reference, other, strict=True))


# --- one enforcer for many tenants (context) ----------------------------------------------------


class ManyTenantsAdapter(TenantPolicyAdapter):
    """Loads several tenants' lines into one enforcer: what the API deliberately avoids."""

    def __init__(self, tenant_ids: Sequence[uuid.UUID]) -> None:
        super().__init__(tenant_ids[0])
        self.tenant_ids = list(tenant_ids)

    async def load_policy(self, model: Any) -> None:
        # several tenants' lines on purpose: the arrangement this bench measures against
        with across_tenants(Crossing.TENANT_LIFECYCLE):
            rows = (
                await PolicyRule.unscoped()
                .filter(Q(tenant_id__in=self.tenant_ids))
                .order_by("id")
                .values_list("ptype", *VALUE_COLUMNS)
            )
        for ptype, *values in rows:
            while values and values[-1] == "":
                values.pop()
            model.add_policy(ptype[0], ptype, list(values))


async def all_in_one(
    tenants: Sequence[Tenant],
    target: Tenant,
    count: int,
    requests: Sequence[Request],
    floor_results: Sequence[bool],
) -> tuple[Timing, int, float, int]:
    """`count` tenants around `target` (so its lines sit mid-table) in one enforcer."""
    index = next(i for i, tenant in enumerate(tenants) if tenant.id == target.id)
    start = max(0, min(index - count // 2, len(tenants) - count))
    chosen = [tenant.id for tenant in tenants[start : start + count]]
    started = time.perf_counter()
    enforcer = casbin.AsyncEnforcer(_casbin_model(), ManyTenantsAdapter(chosen))
    await enforcer.load_policy()
    load_s = time.perf_counter() - started
    lines = len(enforcer.get_policy()) + len(enforcer.get_named_grouping_policy("g"))
    policy = TenantPolicy(target.id, target.policy_version, enforcer, memoize=False)
    timing = time_decisions(
        f"casbin, {len(chosen)} tenants in one enforcer", policy.allows, requests, warmup=2
    )
    return timing, lines, load_s, mismatches(floor_results[: len(requests)], timing.results)


# --- main ---------------------------------------------------------------------------------------


async def postgres_admin(statement: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL.replace("postgres://", "postgresql://"))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def row(label: str, n: int | str, median: float | str, p99: float | str) -> str:
    def cell(value: float | str) -> str:
        return f"{value:>12,.2f}" if isinstance(value, float) else f"{value:>12}"

    count = f"{n:>8,}" if isinstance(n, int) else f"{n:>8}"
    return f"{label:<44}{count}{cell(median)}{cell(p99)}"


async def run(args: argparse.Namespace, url: str) -> None:
    shape = Shape(roles=args.roles, lines=args.lines)
    tenants = await seed(url, shape, args.tenants, args.seed)
    target = tenants[len(tenants) // 2]
    with tenant_scope(target.id):
        rows = await PolicyRule.all().order_by("id").values_list("ptype", *VALUE_COLUMNS)
    p_lines = sum(1 for r in rows if r[0] == "p")
    print(
        f"benchmarked tenant {target.slug}: {len(rows):,} lines "
        f"({p_lines:,} p, {len(rows) - p_lines:,} g), {args.roles} roles, "
        f"{USERS_PER_TENANT} users"
    )

    store = PolicyStore()
    started = time.perf_counter_ns()
    policy = await store.for_tenant(target)
    cold_ms = (time.perf_counter_ns() - started) / 1e6
    started = time.perf_counter_ns()
    await store.for_tenant(target)
    cached_us = (time.perf_counter_ns() - started) / 1e3
    print(f"PolicyStore().for_tenant: cold load {cold_ms:,.1f} ms, cached hit {cached_us:,.1f} us")

    objects = [obj for obj, _ in shape.objects()]
    started = time.perf_counter_ns()
    floor = FloorPolicy.from_rows(rows, objects)
    floor_ms = (time.perf_counter_ns() - started) / 1e6
    print(f"floor built from the same rows in {floor_ms:,.1f} ms ({len(floor.table)} subjects)")

    requests = make_requests(floor, objects, args.decisions, random.Random(args.seed))
    warmup = min(200, max(1, len(requests) // 20))
    print(f"timing {len(requests):,} decisions (+{warmup} warm-up) ...", flush=True)

    def enforce(subject: str, obj: str, act: str) -> bool:
        return bool(policy.enforcer.enforce(subject, policy.domain, obj, act))

    began = time.perf_counter()
    casbin_timing = time_decisions("casbin enforce, uncached", enforce, requests, warmup)
    casbin_s = time.perf_counter() - began
    # What the API does: TenantPolicy.allows memoises per (subject, object, action) for the
    # life of a policy version; measured in steady state, after every request was seen once.
    memo_timing = time_decisions(
        "TenantPolicy.allows (memoised)", policy.allows, requests, warmup=len(requests)
    )
    floor_timing = time_decisions(
        "floor: dict of sets", floor.allows, requests, warmup=len(requests), repeat=FLOOR_REPEAT
    )
    casbin_mismatches = mismatches(floor_timing.results, casbin_timing.results)
    casbin_mismatches += mismatches(floor_timing.results, memo_timing.results)
    allowed = sum(floor_timing.results)
    print(
        f"  casbin loop took {casbin_s:.1f} s; "
        f"{allowed:,} allowed, {len(requests) - allowed:,} denied"
    )

    crowd: tuple[Timing, int, float, int] | None = None
    crowd_tenants = min(args.all_in_one, len(tenants))
    if crowd_tenants > 1 and args.all_in_one_decisions > 0:
        print(f"timing one enforcer holding {crowd_tenants} tenants ...", flush=True)
        crowd_requests = requests[: args.all_in_one_decisions]
        crowd = await all_in_one(
            tenants, target, crowd_tenants, crowd_requests, floor_timing.results
        )

    print()
    print(f"python {platform.python_version()}, casbin {_casbin_version()}, {os.cpu_count()} CPUs")
    print(f"timer overhead (perf_counter_ns pair): {timer_overhead_ns():.0f} ns")
    print()
    print(row("per decision", "n", "median us", "p99 us"))
    print("-" * 80)
    lines = [
        casbin_timing,
        casbin_timing.subset("  allowed", True),
        casbin_timing.subset("  denied", False),
        memo_timing,
        floor_timing,
        floor_timing.subset("  allowed", True),
        floor_timing.subset("  denied", False),
    ]
    if crowd is not None:
        lines.append(crowd[0])
    for timing in lines:
        if timing.samples_ns:
            print(row(timing.label, len(timing.samples_ns), timing.median_us, timing.p99_us))
    print("-" * 80)
    ratio = casbin_timing.median_us / floor_timing.median_us
    print(f"ratio casbin enforce median / floor median: {ratio:,.0f}x")
    memo_ratio = memo_timing.median_us / floor_timing.median_us
    print(f"ratio TenantPolicy.allows (memoised) median / floor median: {memo_ratio:,.1f}x")
    print(f"casbin decisions differing from the floor: {casbin_mismatches}")
    if crowd is not None:
        timing, crowd_lines, load_s, crowd_mismatches = crowd
        print(
            f"one enforcer, {crowd_tenants} tenants: {crowd_lines:,} lines loaded in "
            f"{load_s:.1f} s, median {timing.median_us / casbin_timing.median_us:,.0f}x the "
            f"per-tenant enforcer,\n  {crowd_mismatches} decisions differing from the floor "
            "(loading is quadratic: pycasbin's add_policy scans a list for duplicates)"
        )
    print(
        f"(floor times are the mean of {FLOOR_REPEAT} repeated calls per request; "
        "casbin times are single calls)"
    )


def _casbin_version() -> str:
    from importlib.metadata import version

    return version("casbin")


async def main(args: argparse.Namespace) -> None:
    name = f"merchantops_bench_{uuid.uuid4().hex[:12]}"
    url = f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    await postgres_admin(f'CREATE DATABASE "{name}"')
    print(f"created database {name}")
    try:
        await migrate_db(url)
        await init_db(url)
        try:
            await run(args, url)
        finally:
            await close_db()
    finally:
        await postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"dropped database {name}")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tenants", type=int, default=1000, help="tenants seeded (1000)")
    parser.add_argument("--roles", type=int, default=50, help="roles per tenant (50)")
    parser.add_argument("--lines", type=int, default=2000, help="policy lines per tenant (2000)")
    parser.add_argument("--decisions", type=int, default=20000, help="decisions timed (20000)")
    parser.add_argument(
        "--all-in-one",
        type=int,
        default=20,
        help="tenants loaded into one shared enforcer for comparison; 0 skips it (20); its "
        "load time grows with the square of its lines (100 tenants: several minutes)",
    )
    parser.add_argument(
        "--all-in-one-decisions",
        type=int,
        default=20,
        help="decisions timed on the shared enforcer, each scans all its lines (20)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    add_smoke_flag(
        parser, tenants=5, roles=5, lines=50, decisions=500, all_in_one=2, all_in_one_decisions=5
    )
    args = parse_with_smoke(parser, argv)
    if args.tenants < 1 or args.roles < 1 or args.lines < 1 or args.decisions < 1:
        parser.error("--tenants, --roles, --lines and --decisions must be positive")
    return args


if __name__ == "__main__":
    # Let `kill` (SIGTERM) unwind like Ctrl-C, so the throwaway database is still dropped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    asyncio.run(main(parse_args(sys.argv[1:])))
