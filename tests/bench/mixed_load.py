"""Mixed load: the demo tenant's listings alone, then the same reads among contending writes.

Run: .venv/bin/python -m tests.bench.mixed_load [--seconds 60] [--clients 16]
     .venv/bin/python -m tests.bench.mixed_load --smoke     # 2 x 3 s

Creates a throwaway PostgreSQL database (TEST_POSTGRES_URL's server), migrates it, seeds the
demo tenant (`merchantops.demo.ensure_demo`), and starts the real server as production does
(`merchantops serve`: one uvicorn worker, JSON logs and access log; jobs in-process, the rate
limiter on with room for the load) as a separate process. Then `--clients` keep-alive
connections, logged in as the demo owner, run two phases of `--seconds` each:

1. reads only: the listings (`products`, `skus`, `suppliers`, `purchaseOrders`, `stockLevels`);
2. read/write mix: half of the requests are those reads, half are writes on the same few SKUs
   (`--skus`, so that they contend): `receiveStock`, `allocateStock` then `releaseAllocation`,
   `adjustStock` (+1 then -1), `createPurchaseOrder`.

Per phase it prints requests per second, p50 and p99 latency, the errors by code (HTTP status
other than 200, `errors[].extensions.code`, and payload `errors[].code` as `payload:<code>`),
and the server's resident memory sampled every `--rss-every` seconds (MiB, and its slope in
MiB per minute), then the ratio of mixed to read-only throughput and a summary of the server's
log. The issue's goals, reported and not asserted: no errors, mixed throughput at least half of
read-only, memory levelling off. A request still unanswered `--grace` seconds after its phase
ends counts as `CLIENT_TIMEOUT`. Client and server share the machine's cores.

Before the load, every operation runs once, one at a time; the benchmark fails (exit 1) if any
of them does not work at all, which is what its smoke run (`tests.bench.smoke`) checks.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.bench.read_path import ROOT, SECRET, _admin, free_port
from tests.bench.smoke import add_smoke_flag, parse_with_smoke
from tests.support.app_role import application_role

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
LOGIN = """mutation($email: String!, $password: String!) {
  login(input: {email: $email, password: $password}) {
    session { accessToken } errors { code message } } }"""
READS = {
    "products": "{ products(first: 20) { edges { node { id name category stage } } } }",
    "skus": "{ skus(first: 20) { edges { node { id code name price } } } }",
    "suppliers": "{ suppliers(first: 20) { edges { node { id name } } } }",
    "purchaseOrders": """{ purchaseOrders(first: 20) { edges { node {
        id number status total supplier { name } } } } }""",
    "stockLevels": """{ stockLevels(first: 20) { edges { node {
        onHand allocated available sku { code } lot { traceCode } warehouse { code } } } } }""",
}
RECEIVE = """mutation($sku: ID!, $zone: ID!, $trace: String!) {
  receiveStock(input: {skuId: $sku, zoneId: $zone, quantity: 5, traceCode: $trace,
                       reference: "bench"}) {
    lot { id quantity } errors { code message } } }"""
ALLOCATE = """mutation($sku: ID!, $warehouse: ID!) {
  allocateStock(input: {skuId: $sku, warehouseId: $warehouse, quantity: 1,
                        reference: "bench"}) {
    allocation { id status } errors { code message } } }"""
RELEASE = """mutation($id: ID!) {
  releaseAllocation(input: {id: $id}) { allocation { id status } errors { code message } } }"""
ADJUST = """mutation($lot: ID!, $zone: ID!, $delta: Int!) {
  adjustStock(input: {lotId: $lot, zoneId: $zone, delta: $delta, reason: "bench count"}) {
    stockLevel { onHand } errors { code message } } }"""
CREATE_PO = """mutation($supplier: ID!, $warehouse: ID!, $sku: ID!) {
  createPurchaseOrder(input: {supplierId: $supplier, warehouseId: $warehouse,
                              lines: [{skuId: $sku, quantity: 10, unitCost: "2.50"}]}) {
    purchaseOrder { id number } errors { code message } } }"""
STOCK = """{ stockLevels(first: 100, sort: {field: ON_HAND, direction: DESC}) { edges { node {
    onHand available sku { id } lot { id } zone { id } warehouse { id } } } } }"""


@dataclass(frozen=True)
class Target:
    """The contended rows: a few SKUs, each with one lot and zone in one warehouse."""

    warehouse: str
    supplier: str
    skus: tuple[str, ...]
    lots: dict[str, tuple[str, str]]  # sku -> (lot, zone)


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    operations: collections.Counter[str] = field(default_factory=collections.Counter)
    rss: list[tuple[float, float]] = field(default_factory=list)  # (seconds, MiB)
    elapsed: float = 0.0


class Connection:
    """One keep-alive HTTP/1.1 connection posting GraphQL as the demo owner."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = (
            f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Content-Type: application/json\r\nAuthorization: Bearer {token}\r\n"
            "X-Tenant: demo\r\n"
        )
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, query: str, variables: dict[str, Any]) -> tuple[int, Any]:
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        body = json.dumps({"query": query, "variables": variables}).encode()
        writer.write(f"{self.headers}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        try:
            status_line = await reader.readline()
            length, close = 0, False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "connection" and value.strip().lower() == "close":
                    close = True
            payload = await reader.readexactly(length)
        except BaseException:
            self.close()
            raise
        if close or not status_line:
            self.close()
        if not status_line:
            return 0, None
        return int(status_line.split()[1]), json.loads(payload) if payload else None

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


def error_codes(status: int, body: Any) -> list[str]:
    """Every failure an answer carries; empty for a clean answer."""
    if status != 200:
        return [f"HTTP_{status}"]
    if not isinstance(body, dict):
        return ["NO_BODY"]
    codes = [
        str((error.get("extensions") or {}).get("code", "UNCODED"))
        for error in body.get("errors") or ()
    ]
    for payload in (body.get("data") or {}).values():
        if isinstance(payload, dict):
            codes.extend(f"payload:{error['code']}" for error in payload.get("errors") or ())
    return codes


class Client:
    """One simulated front end: a connection, its own allocations and adjustment parity."""

    def __init__(self, connection: Connection, target: Target, rng: random.Random) -> None:
        self.connection = connection
        self.target = target
        self.rng = rng
        self.allocations: list[str] = []
        self.adjusted: dict[str, int] = {}

    async def read(self) -> tuple[str, int, Any]:
        name = self.rng.choice(sorted(READS))
        status, body = await self.connection.post(READS[name], {})
        return name, status, body

    async def write(self) -> tuple[str, int, Any]:
        target, sku = self.target, self.rng.choice(self.target.skus)
        lot, zone = target.lots[sku]
        choice = self.rng.randrange(5)
        if choice == 0:
            trace = f"BENCH-{uuid.uuid4().hex[:10]}"
            variables: dict[str, Any] = {"sku": sku, "zone": zone, "trace": trace}
            return ("receiveStock", *await self.connection.post(RECEIVE, variables))
        if choice == 1 or (choice == 2 and not self.allocations):
            status, body = await self.connection.post(
                ALLOCATE, {"sku": sku, "warehouse": target.warehouse}
            )
            allocation = ((body or {}).get("data") or {}).get("allocateStock") or {}
            if allocation.get("allocation"):
                self.allocations.append(allocation["allocation"]["id"])
            return "allocateStock", status, body
        if choice == 2:
            allocation_id = self.allocations.pop(0)
            return (
                "releaseAllocation",
                *await self.connection.post(RELEASE, {"id": allocation_id}),
            )
        if choice == 3:
            # +1 then -1 on the same lot, so counts stay where they were
            delta = -1 if self.adjusted.get(lot, 0) > 0 else 1
            status, body = await self.connection.post(
                ADJUST, {"lot": lot, "zone": zone, "delta": delta}
            )
            if not error_codes(status, body):
                self.adjusted[lot] = self.adjusted.get(lot, 0) + delta
            return "adjustStock", status, body
        variables = {"supplier": target.supplier, "warehouse": target.warehouse, "sku": sku}
        return ("createPurchaseOrder", *await self.connection.post(CREATE_PO, variables))


async def run_phase(
    clients: list[Client], seconds: float, grace: float, write_share: float, phase: Phase
) -> None:
    until = time.perf_counter() + seconds

    async def one(client: Client) -> None:
        while time.perf_counter() < until:
            operation: Callable[[], Awaitable[tuple[str, int, Any]]] = (
                client.write if client.rng.random() < write_share else client.read
            )
            started = time.perf_counter()
            try:
                name, status, body = await asyncio.wait_for(
                    operation(), timeout=max(until - started, 0) + grace
                )
            except TimeoutError:
                phase.errors["CLIENT_TIMEOUT"] += 1
                client.connection.close()
                return
            except (OSError, asyncio.IncompleteReadError) as error:
                phase.errors[f"CONNECTION:{type(error).__name__}"] += 1
                client.connection.close()
                continue
            phase.latencies.append(time.perf_counter() - started)
            phase.operations[name] += 1
            phase.errors.update(error_codes(status, body))

    started = time.perf_counter()
    await asyncio.gather(*(one(client) for client in clients))
    phase.elapsed = time.perf_counter() - started


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def sample_rss(pid: int, every: float, into: list[tuple[float, float]]) -> None:
    started = time.perf_counter()
    while True:
        into.append((time.perf_counter() - started, rss_mib(pid)))
        await asyncio.sleep(every)


def slope_per_minute(samples: list[tuple[float, float]]) -> float:
    if len(samples) < 2 or samples[-1][0] == samples[0][0]:
        return 0.0
    return float(statistics.linear_regression(*zip(*samples, strict=True)).slope * 60)


async def measured(
    pid: int, clients: list[Client], args: argparse.Namespace, write_share: float
) -> Phase:
    phase = Phase()
    sampler = asyncio.create_task(sample_rss(pid, args.rss_every, phase.rss))
    try:
        await run_phase(clients, args.seconds, args.grace, write_share, phase)
    finally:
        sampler.cancel()
    phase.rss.append((phase.elapsed, rss_mib(pid)))
    return phase


def report(label: str, phase: Phase) -> float:
    count = len(phase.latencies)
    rps = count / phase.elapsed if phase.elapsed else 0.0
    cuts = statistics.quantiles(phase.latencies, n=100) if count > 1 else [0.0] * 99
    errors = sum(phase.errors.values())
    print(f"{label}: {count:,} requests in {phase.elapsed:.1f} s")
    print(f"  {rps:8.1f} req/s   p50 {cuts[49] * 1000:7.1f} ms   p99 {cuts[98] * 1000:7.1f} ms")
    print(f"  operations: {dict(sorted(phase.operations.items()))}")
    print(f"  errors: {errors}" + (f" {dict(phase.errors.most_common())}" if errors else ""))
    samples = ", ".join(f"{seconds:.0f}s {mib:.1f}" for seconds, mib in phase.rss)
    print(f"  server RSS MiB: {samples}")
    print(f"  RSS slope: {slope_per_minute(phase.rss):+.2f} MiB/min")
    return rps


async def seed(db_url: str) -> None:
    from merchantops.db import close_db, init_db, migrate_db
    from merchantops.demo import ensure_demo

    await migrate_db(db_url)
    await init_db(db_url)
    try:
        await ensure_demo()
    finally:
        await close_db()


@contextmanager
def server(env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    # the production entry point (Dockerfile's CMD): JSON logs, uvicorn's access log on
    command = [
        sys.executable, "-m", "merchantops.cli", "serve", "--no-migrate", "--no-demo",
        "--host", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and app
            command, cwd=ROOT, env={**os.environ, **env}, stdout=output, stderr=output
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    tail = log.read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"the server did not start:\n{tail}") from None
                time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def first_run(name: str, status: int, body: Any) -> Any:
    """An operation's one sequential run; it must work, or the benchmark itself is broken."""
    codes = error_codes(status, body)
    if codes:
        raise SystemExit(f"{name} does not work on its own: {codes} {json.dumps(body)[:500]}")
    return body["data"]


async def prepare(port: int, skus: int, clients: int, seed_value: int) -> list[Client]:
    from merchantops.demo import DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD

    login = Connection(port, "")
    login.headers = login.headers.replace("Authorization: Bearer \r\n", "").replace(
        "X-Tenant: demo\r\n", ""
    )
    status, body = await login.post(
        LOGIN, {"email": DEMO_OWNER_EMAIL, "password": DEMO_OWNER_PASSWORD}
    )
    token = first_run("login", status, body)["login"]["session"]["accessToken"]
    login.close()
    probe = Connection(port, token)
    for name, query in READS.items():
        first_run(name, *await probe.post(query, {}))
    levels = first_run("stockLevels", *await probe.post(STOCK, {}))["stockLevels"]["edges"]
    by_warehouse: dict[str, dict[str, tuple[str, str]]] = collections.defaultdict(dict)
    for edge in levels:
        node = edge["node"]
        if node["available"] > 0:
            by_warehouse[node["warehouse"]["id"]].setdefault(
                node["sku"]["id"], (node["lot"]["id"], node["zone"]["id"])
            )
    if not by_warehouse:
        raise SystemExit("the demo tenant has no stock to contend on")
    warehouse, lots = max(by_warehouse.items(), key=lambda item: len(item[1]))
    chosen = dict(sorted(lots.items())[:skus])
    suppliers = first_run("suppliers", *await probe.post(READS["suppliers"], {}))
    supplier_ids = [edge["node"]["id"] for edge in suppliers["suppliers"]["edges"]]
    sku = next(iter(chosen))
    target = None
    for supplier in supplier_ids:  # a grade-D supplier gets no new POs: find one that does
        variables = {"supplier": supplier, "warehouse": warehouse, "sku": sku}
        status, body = await probe.post(CREATE_PO, variables)
        if not error_codes(status, body):
            target = Target(warehouse, supplier, tuple(chosen), chosen)
            break
    if target is None:
        raise SystemExit("no demo supplier accepts a purchase order")
    for name, query, variables in (
        ("receiveStock", RECEIVE, {"sku": sku, "zone": chosen[sku][1], "trace": "BENCH-FIRST"}),
        ("adjustStock", ADJUST, {"lot": chosen[sku][0], "zone": chosen[sku][1], "delta": 1}),
        ("adjustStock", ADJUST, {"lot": chosen[sku][0], "zone": chosen[sku][1], "delta": -1}),
    ):
        first_run(name, *await probe.post(query, variables))
    allocated = first_run(
        "allocateStock", *await probe.post(ALLOCATE, {"sku": sku, "warehouse": warehouse})
    )
    first_run(
        "releaseAllocation",
        *await probe.post(RELEASE, {"id": allocated["allocateStock"]["allocation"]["id"]}),
    )
    probe.close()
    print(f"contended: {len(chosen)} SKUs in one warehouse; every operation ran once\n")
    return [
        Client(Connection(port, token), target, random.Random(seed_value + index))
        for index in range(clients)
    ]


def root_exception(traceback: str) -> str:
    """` (DeadlockDetectedError)` for a traceback whose innermost error is one; else ''."""
    for line in reversed(traceback.splitlines()):
        name = line.split(":", 1)[0].strip()
        if name.endswith(("Error", "Exception")) and " " not in name:
            return f" ({name.rsplit('.', 1)[-1]})"
    return ""


def log_summary(log: Path) -> str:
    events: collections.Counter[str] = collections.Counter()
    other = 0
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            other += 1
            continue
        if isinstance(entry, dict):
            cause = root_exception(str(entry.get("exception", "")))
            events[f"{entry.get('level', '?')} {entry.get('event', '?')}{cause}"] += 1
    shown = ", ".join(f"{event} x{count}" for event, count in events.most_common(8))
    return f"{sum(events.values())} entries ({shown or 'none'}), {other} other lines"


async def load(port: int, pid: int, args: argparse.Namespace) -> tuple[Phase, Phase]:
    clients = await prepare(port, args.skus, args.clients, args.seed)
    try:
        warm = Phase()
        await run_phase(clients, args.warm_up, args.grace, 0.0, warm)
        reads = await measured(pid, clients, args, 0.0)
        mixed = await measured(pid, clients, args, 0.5)
    finally:
        for client in clients:
            client.connection.close()
    return reads, mixed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=60, help="per phase (60)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections (16)")
    parser.add_argument("--skus", type=int, default=4, help="SKUs the writes contend on (4)")
    parser.add_argument("--warm-up", type=float, default=3, help="seconds of reads first (3)")
    parser.add_argument("--rss-every", type=float, default=5, help="RSS sample period (5 s)")
    parser.add_argument("--grace", type=float, default=15, help="wait after a phase (15 s)")
    parser.add_argument(
        "--request-timeout", type=float, default=10, help="server's REQUEST_TIMEOUT_SECONDS (10)"
    )
    parser.add_argument("--seed", type=int, default=12)
    add_smoke_flag(parser, seconds=3, warm_up=0.5, rss_every=1, grace=3, request_timeout=3)
    args = parse_with_smoke(parser)
    print(__doc__.split("\n\n")[0] if __doc__ else "")

    name = f"merchantops_bench_mixed_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    db_url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    log = Path(tempfile.mkdtemp(prefix="merchantops-bench-")) / "server.log"
    try:
        started = time.perf_counter()
        asyncio.run(seed(db_url))
        print(f"seeded the demo tenant in {time.perf_counter() - started:.1f} s")
        env = {
            "ENVIRONMENT": "production",
            # as production runs: the application role, held to row-level security
            "DATABASE_URL": asyncio.run(application_role(db_url)),
            "SECRET_KEY": SECRET,
            "REDIS_URL": "",
            "THROTTLE_CAPACITY": "100000000",
            "THROTTLE_LEAK_PER_SECOND": "100000000",
            "ACCESS_TOKEN_TTL_SECONDS": "86400",
            "REQUEST_TIMEOUT_SECONDS": str(args.request_timeout),
        }
        port = free_port()
        with server(env, port, log) as process:
            reads, mixed = asyncio.run(load(port, process.pid, args))
        print(f"{args.clients} clients, {args.seconds:g} s per phase\n")
        read_rps = report("reads only", reads)
        mixed_rps = report("read/write mix", mixed)
        ratio = mixed_rps / read_rps if read_rps else 0.0
        print(f"\nmixed / reads-only throughput: {ratio:.2f} (goal: at least 0.5)")
        print(f"server log: {log_summary(log)}  [{log}]")
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if args.smoke:  # a full run keeps the server's log for a look at its errors
            shutil.rmtree(log.parent, ignore_errors=True)


if __name__ == "__main__":
    # Let `kill` (SIGTERM) unwind like Ctrl-C, so the server stops and the database is dropped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    main()
