"""Read path: `products(first: 50)` through an API key, the real server next to the floor.

Run: .venv/bin/python -m tests.bench.read_path [--seconds 15] [--concurrency 16]
     .venv/bin/python -m tests.bench.read_path --smoke     # tiny, seconds

Creates a throwaway PostgreSQL database (TEST_POSTGRES_URL's server), migrates it, seeds one
onboarded tenant (standard rule sets) with 200 products and an API key of the marketing-staff
role with the scope `product:read`, then starts two servers on this machine, one at a time,
each as one uvicorn worker without access logs:

- ours: `merchantops.api.app:create_app` in production posture (no GraphiQL, introspection,
  GET), with the query limits and the rate limiter on (capacity raised so that the load
  generator, one client, is not throttled);
- the floor: `tests/bench/read_path_floor.py`, bare starlette + asyncpg running the same SELECT
  and returning the same JSON (masked values included).

Ours runs three times: with metrics off (`METRICS_ENABLED=false`, the instrumentation's
baseline), connected as the application role (`merchantops_app`, held to row-level
security, as in production) and as the superuser that owns the tables (policies skipped), so
the ratio of the two is what row-level security costs the read path; the ratio of the first
two is what the metrics cost it. In-process, it also measures CPU per request with
instrumentation off, metrics on, and metrics plus tracing on (OpenTelemetry's SDK with a batch
processor into an exporter that drops the spans: the SDK's cost, not an exporter's network).

The load generator (asyncio, HTTP/1.1 keep-alive, `--concurrency` connections) posts the same
query for `--seconds` after a warm-up and prints requests per second, p50 and p99 latency, and
the ratio of the floor's throughput to ours. It also counts the SQL statements one request runs
in-process, and measures CPU per request in-process for ours, ours with the page served from
memory (what the GraphQL stack costs without any SQL), and the floor. Both servers and the
generator share the machine's cores: compare the ratio, not the absolute figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from tests.bench.smoke import add_smoke_flag, parse_with_smoke
from tests.support.app_role import application_role

ROOT = Path(__file__).resolve().parents[2]
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
QUERY = """{ products(first: 50) { edges { node {
  id name category stage createdAt updatedAt contactName contactEmail
} } pageInfo { hasNextPage } } }"""
SECRET = "bench-secret-key-that-is-long-enough-for-hs256-0123456789"


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_URL.replace("postgres://", "postgresql://"))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def seed(db_url: str, products: int) -> tuple[str, str]:
    """Migrate, seed the tenant; return (tenant id, API key)."""
    from datetime import timedelta

    from merchantops.db import close_db, init_db, migrate_db
    from merchantops.domain.catalog.models import Product
    from merchantops.domain.onboarding import service as onboarding
    from merchantops.tenants import admin, api_keys
    from merchantops.tenants.context import tenant_scope
    from merchantops.tenants.models import Membership
    from merchantops.tenants.principal import Principal
    from merchantops.tenants.rbac import load_policy

    await migrate_db(db_url)
    await init_db(db_url)
    try:
        owner = await admin.create_user("owner@bench.example", "bench-password-123")
        created = await onboarding.create_tenant(
            "bench", "Bench Shop", owner.email, invitation_ttl=timedelta(days=1)
        )
        tenant = created.tenant
        with tenant_scope(tenant.id):
            await Product.bulk_create(
                [
                    Product(
                        tenant_id=tenant.id,
                        name=f"Product {index:04d}",
                        category=("apparel", "home", "garden", "toys")[index % 4],
                        description="A product of the benchmark catalogue.",
                        contact_name=f"Buyer Person {index}",
                        contact_email=f"buyer{index}@bench.example",
                    )
                    for index in range(products)
                ]
            )
            membership = await Membership.get(user_id=owner.id)
            policy = await load_policy(tenant.id, 0)
            issued = await api_keys.create_api_key(
                Principal(user=owner, tenant=tenant, membership=membership, policy=policy),
                "bench",
                "marketing-staff",
                ["product:read"],
                expires_at=None,
            )
        return str(tenant.id), issued.key
    finally:
        await close_db()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(target: str, env: dict[str, str], port: int, factory: bool) -> Iterator[str]:
    command = [
        sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port),
        "--no-access-log", "--log-level", "warning", *(["--factory"] if factory else []),
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.post(f"{base}/graphql", json={"query": "{ __typename }"}, timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{target} did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


async def _one_connection(
    port: int, request: bytes, until: float, latencies: list[float], statuses: dict[int, int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            start = time.perf_counter()
            writer.write(request)
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            status = int(status_line.split()[1])
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


async def load(port: int, headers: dict[str, str], seconds: float, concurrency: int) -> Any:
    body = json.dumps({"query": QUERY}).encode()
    lines = [
        "POST /graphql HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        *(f"{key}: {value}" for key, value in headers.items()),
    ]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    until = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(
        *(_one_connection(port, request, until, latencies, statuses) for _ in range(concurrency))
    )
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return len(latencies) / elapsed, cuts[49] * 1000, cuts[98] * 1000, statuses


async def statements_per_request(db_url: str, key: str) -> int:
    """One request in-process with every SQL statement counted (after a warm-up request)."""
    from tortoise import Tortoise

    from merchantops.api.app import create_app
    from merchantops.db import close_db, init_db
    from merchantops.settings import Settings

    settings = Settings(environment="production", database_url=db_url, secret_key=SECRET)
    await init_db(db_url)
    seen: list[str] = []
    client_class = type(Tortoise.get_connection("default"))
    originals = {
        name: getattr(client_class, name)
        for name in ("execute_query", "execute_query_dict", "execute_insert", "execute_many")
    }

    def counted(original: Any) -> Any:
        async def run(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
            seen.append(query)
            return await original(self, query, *args, **kwargs)

        return run

    try:
        app = create_app(settings, manage_db=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            headers = {"Authorization": f"Bearer {key}"}
            first = await http.post("/graphql", json={"query": QUERY}, headers=headers)
            assert first.status_code == 200, first.text
            assert "errors" not in first.json(), first.text
            for name, original in originals.items():
                setattr(client_class, name, counted(original))
            await http.post("/graphql", json={"query": QUERY}, headers=headers)
    finally:
        for name, original in originals.items():
            setattr(client_class, name, original)
        await close_db()
    for statement in seen:
        print(f"    {statement[:110]}")
    return len(seen)


async def _asgi_post(app: Any, body: bytes, headers: list[tuple[bytes, bytes]]) -> int:
    """One POST /graphql straight into an ASGI app (no socket, no HTTP parsing); the status."""
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    status = 0

    async def receive() -> dict[str, Any]:
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        status = message.get("status", status)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/graphql", "raw_path": b"/graphql", "query_string": b"",
        "root_path": "", "headers": headers, "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }  # fmt: skip
    await app(scope, receive, send)
    return status


async def cpu_per_request(
    db_url: str, app_url: str, key: str, tenant_id: str, requests: int
) -> None:
    """Where the time goes: CPU per request in this process, sequentially, best of 3 rounds.

    - ours: the whole request;
    - ours without the page: the same, with `products` answered from a page loaded once (no
      SQL, no models): auth, HTTP view, checks, context, compiled execution, JSON;
    - floor: the floor app;
    - ours under row-level security: the whole request as the application role.
    """
    import asyncpg

    import tests.bench.read_path_floor as floor
    from merchantops.api.app import create_app
    from merchantops.api.graphql.catalog import queries as catalog_queries
    from merchantops.db import close_db, init_db
    from merchantops.settings import Settings

    settings = Settings(
        environment="production", database_url=db_url, secret_key=SECRET, redis_url="",
        throttle_capacity=10**9, throttle_leak_per_second=10**9,
    )  # fmt: skip
    await init_db(db_url)
    app = create_app(settings, manage_db=False)
    os.environ["FLOOR_TENANT_ID"] = tenant_id
    floor.pool = await asyncpg.create_pool(
        db_url.replace("postgres://", "postgresql://"), min_size=2, max_size=2
    )
    body = json.dumps({"query": QUERY}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"authorization", f"Bearer {key}".encode()),
    ]
    queries: Any = catalog_queries  # its `paginate` is swapped below
    paginate = queries.paginate
    kept: dict[str, Any] = {}

    async def page_from_memory(*args: Any, **kwargs: Any) -> Any:
        if "page" not in kept:
            kept["page"] = await paginate(*args, **kwargs)
        return kept["page"]

    async def cpu_ms(target: Any) -> float:
        best = float("inf")
        for _ in range(3):
            for _ in range(20):
                assert await _asgi_post(target, body, headers) == 200
            started = time.process_time()
            for _ in range(requests):
                await _asgi_post(target, body, headers)
            best = min(best, (time.process_time() - started) / requests * 1000)
        return best

    try:
        ours = await cpu_ms(app)
        queries.paginate = page_from_memory
        without_page = await cpu_ms(app)
        queries.paginate = paginate
        bare = await cpu_ms(floor.app)
    finally:
        queries.paginate = paginate
        await floor.pool.close()
        await close_db()
    await init_db(app_url)
    try:
        held = await cpu_ms(create_app(settings, manage_db=False))
    finally:
        await close_db()
    print(f"CPU per request in-process (best of 3 x {requests}, no sockets):")
    print(f"  ours                          {ours:6.2f} ms   {ours / bare:4.1f}x the floor")
    print(f"  ours, page served from memory {without_page:6.2f} ms   {without_page / bare:4.1f}x")
    print(f"  floor                         {bare:6.2f} ms")
    print(f"  ours, row-level security on   {held:6.2f} ms   {held / ours:4.2f}x ours with it off")


async def instrumentation_cost(db_url: str, key: str, requests: int, rounds: int) -> None:
    """CPU per request in-process with instrumentation off, metrics on, metrics and tracing on;
    the variants take turns, best of `rounds` each (other work on the machine only adds)."""
    from collections.abc import Sequence

    from opentelemetry.sdk.trace import ReadableSpan
    from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

    from merchantops.api.app import create_app
    from merchantops.db import close_db, init_db
    from merchantops.observability import tracing
    from merchantops.settings import Settings

    class Dropped(SpanExporter):
        def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
            return SpanExportResult.SUCCESS

    base = Settings(
        environment="production", database_url=db_url, secret_key=SECRET, redis_url="",
        throttle_capacity=10**9, throttle_leak_per_second=10**9,
    )  # fmt: skip
    off = base.model_copy(update={"metrics_enabled": False})
    body = json.dumps({"query": QUERY}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"authorization", f"Bearer {key}".encode()),
    ]

    async def cpu_ms(settings: Settings, traced: bool) -> float:
        if traced:
            tracing.enable(Dropped(), batch=True)
        app = create_app(settings, manage_db=False)  # configures the metrics before the pool
        await init_db(db_url)
        try:
            for _ in range(min(20, requests)):
                assert await _asgi_post(app, body, headers) == 200
            started = time.process_time()
            for _ in range(requests):
                await _asgi_post(app, body, headers)
            return (time.process_time() - started) / requests * 1000
        finally:
            await close_db()
            tracing.disable()

    variants = {"off": (off, False), "metrics": (base, False), "metrics+tracing": (base, True)}
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(rounds):
        for label, (settings, traced) in variants.items():
            best[label] = min(best[label], await cpu_ms(settings, traced))
    create_app(base, manage_db=False)  # the process's metrics configuration back to the default
    print(f"Instrumentation, CPU per request in-process (best of {rounds} x {requests}):")
    print(f"  off                 {best['off']:6.2f} ms")
    print(
        f"  metrics on          {best['metrics']:6.2f} ms   "
        f"{best['metrics'] / best['off']:5.3f}x off (tracing off: target under 1.05x)"
    )
    print(
        f"  metrics and tracing {best['metrics+tracing']:6.2f} ms   "
        f"{best['metrics+tracing'] / best['off']:5.3f}x off"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--cpu-requests", type=int, default=200)
    parser.add_argument("--warm-up", type=float, default=2, help="seconds of load not counted")
    parser.add_argument("--rounds", type=int, default=8, help="instrumentation: best of these")
    add_smoke_flag(
        parser, seconds=1, concurrency=4, products=20, cpu_requests=5, warm_up=0.3, rounds=1
    )
    args = parse_with_smoke(parser)
    print(__doc__)

    name = f"merchantops_bench_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    db_url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    try:
        tenant_id, key = asyncio.run(seed(db_url, args.products))
        app_url = asyncio.run(application_role(db_url))
        count = asyncio.run(statements_per_request(app_url, key))
        print(f"SQL statements per request (ours, warm caches): {count}\n")
        asyncio.run(cpu_per_request(db_url, app_url, key, tenant_id, args.cpu_requests))
        print()
        asyncio.run(instrumentation_cost(db_url, key, args.cpu_requests, args.rounds))
        print()
        ours_env = {
            "ENVIRONMENT": "production",
            "DATABASE_URL": db_url,
            "REQUIRE_ROW_LEVEL_SECURITY": "false",  # the superuser: the policies' "off"
            "SECRET_KEY": SECRET,
            "REDIS_URL": "",
            "THROTTLE_CAPACITY": "100000000",
            "THROTTLE_LEAK_PER_SECOND": "100000000",
        }
        floor_env = {
            "FLOOR_DATABASE_URL": db_url.replace("postgres://", "postgresql://"),
            "FLOOR_TENANT_ID": tenant_id,
        }
        held_env = {**ours_env, "DATABASE_URL": app_url}
        plain_env = {**ours_env, "METRICS_ENABLED": "false"}
        results = {}
        for label, target, env, factory, headers in (
            ("ours-nom", "merchantops.api.app:create_app", plain_env, True,
             {"Authorization": f"Bearer {key}"}),
            ("ours", "merchantops.api.app:create_app", ours_env, True,
             {"Authorization": f"Bearer {key}"}),
            ("ours+rls", "merchantops.api.app:create_app", held_env, True,
             {"Authorization": f"Bearer {key}"}),
            ("floor", "tests.bench.read_path_floor:app", floor_env, False, {}),
        ):  # fmt: skip
            port = free_port()
            with server(target, env, port, factory):
                sample = httpx.post(
                    f"http://127.0.0.1:{port}/graphql", json={"query": QUERY}, headers=headers
                ).json()
                edges = sample["data"]["products"]["edges"]
                print(f"{label}: {len(edges)} products, first node {edges[0]['node']}")
                asyncio.run(load(port, headers, args.warm_up, args.concurrency))
                rps, p50, p99, statuses = asyncio.run(
                    load(port, headers, args.seconds, args.concurrency)
                )
            results[label] = rps
            print(
                f"{label:8}: {rps:8.1f} req/s   p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   "
                f"statuses {statuses}"
            )
        print(f"\nfloor / ours throughput: {results['floor'] / results['ours']:.2f}x (target 2.5x)")
        print(
            "row-level security on / off throughput: "
            f"{results['ours+rls'] / results['ours']:.2f}x (1.00 is free)"
        )
        print(
            "metrics on / off throughput (ours / ours-nom): "
            f"{results['ours'] / results['ours-nom']:.2f}x (1.00 is free; target over 0.95)"
        )
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    # Let `kill` (SIGTERM) unwind like Ctrl-C, so servers stop and the database is dropped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    main()
