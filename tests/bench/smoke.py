"""Every benchmark in a tiny configuration, so none can rot unnoticed; `scripts/check` runs this.

    .venv/bin/python -m tests.bench.smoke            # all of them, one after the other
    .venv/bin/python -m tests.bench.smoke masking    # some of them

Each benchmark takes `--smoke` (or `BENCH_SMOKE=1` in its environment): the sizes it names
as smoke sizes replace its defaults, so it runs every step in a few seconds. A benchmark fails
the smoke run when it exits non-zero or runs past `TIMEOUT_SECONDS`; its figures are printed,
never judged. Benchmarks on PostgreSQL create and drop their own database on the server of
`TEST_POSTGRES_URL`; when that server is unreachable they are skipped, as the test suite skips
its PostgreSQL half, except under `CI=true`, where that is a failure. None uses Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg

ROOT = Path(__file__).resolve().parents[2]
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
TIMEOUT_SECONDS = 60
# name, needs PostgreSQL
BENCHMARKS = (
    ("rules_engine", False),
    ("masking", False),
    ("casbin_decision", True),
    ("abc_classification", True),
    ("read_path", True),
    ("mixed_load", True),
    ("order_placement", True),
    ("sla_timers", True),
)


def add_smoke_flag(parser: argparse.ArgumentParser, **sizes: Any) -> None:
    """`--smoke`: run with `sizes` (option destinations and values) instead of the defaults."""
    parser.add_argument(
        "--smoke",
        action="store_true",
        default=os.environ.get("BENCH_SMOKE") == "1",
        help="tiny sizes, a few seconds: checks that the benchmark still runs (BENCH_SMOKE=1)",
    )
    parser.set_defaults(smoke_sizes=sizes)


def parse_with_smoke(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None = None
) -> argparse.Namespace:
    args = parser.parse_args(argv)
    if args.smoke:
        for name, value in args.smoke_sizes.items():
            setattr(args, name, value)
    return args


async def _postgres_problem() -> str | None:
    try:
        connection = await asyncpg.connect(ADMIN_URL.replace("postgres://", "postgresql://"))
    except (OSError, asyncpg.PostgresError) as error:
        return repr(error)
    await connection.close()
    return None


def run(name: str) -> tuple[bool, float, str]:
    """Run one benchmark in smoke mode: (it succeeded, seconds, its output)."""
    command = [sys.executable, "-m", f"tests.bench.{name}", "--smoke"]
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        command,
        cwd=ROOT,
        env={**os.environ, "BENCH_SMOKE": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its servers too can be stopped as one group
    )
    try:
        output, _ = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        # SIGTERM first, so that the benchmark still stops its server and drops its database
        os.killpg(process.pid, signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
        return False, time.perf_counter() - started, f"{output}\ntimed out"
    return process.returncode == 0, time.perf_counter() - started, output


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("names", nargs="*", help="benchmarks to run (all)")
    parser.add_argument("--verbose", action="store_true", help="print every benchmark's output")
    args = parser.parse_args(argv)
    known = dict(BENCHMARKS)
    unknown = sorted(set(args.names) - set(known))
    if unknown:
        parser.error(f"unknown benchmarks {unknown}; known: {sorted(known)}")
    chosen = [(name, known[name]) for name in args.names] if args.names else list(BENCHMARKS)
    problem = asyncio.run(_postgres_problem()) if any(pg for _, pg in chosen) else None
    failed = []
    total = time.perf_counter()
    for name, needs_postgres in chosen:
        if needs_postgres and problem is not None:
            message = f"PostgreSQL is not reachable at {ADMIN_URL}: {problem}"
            if os.environ.get("CI") == "true":
                print(f"{name:20} FAILED  {message}")
                failed.append(name)
            else:
                print(f"{name:20} skipped {message}")
            continue
        ok, seconds, output = run(name)
        print(f"{name:20} {'ok    ' if ok else 'FAILED'} {seconds:5.1f} s", flush=True)
        if args.verbose or not ok:
            print("    " + output.strip().replace("\n", "\n    "), flush=True)
        if not ok:
            failed.append(name)
    print(f"bench smoke: {len(chosen) - len(failed)} of {len(chosen)} ran in "
          f"{time.perf_counter() - total:.1f} s")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
