"""Masking: a 50-row GraphQL query with 5 classified fields, masking on and off.

Run: .venv/bin/python -m tests.bench.masking [--rows 50] [--repeats 2000]

Both runs execute the same strawberry query over the same 50 in-memory rows. "On" puts the
production `Classified` field extension on the 5 personal fields (plain attribute resolvers,
as in production), deciding each value with the tenant's compiled masking table (the standard
template) for a warehouse manager's roles, as a request does; "off" is the same type without
the extension. Reported: median and p99 per query
and the ratio on/off. Nothing touches a database: this measures what masking adds.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from types import SimpleNamespace
from typing import Any

import strawberry

from merchantops.api.graphql.core.masking import classified
from merchantops.rules.masking import TEMPLATE, Classification, MaskingTable, parse_masking
from tests.bench.smoke import add_smoke_flag, parse_with_smoke

PERSONAL = Classification.CONFIDENTIAL_PERSONAL
SENSITIVE = Classification.SENSITIVE_PERSONAL
FIELDS = {
    "fullName": PERSONAL,
    "email": PERSONAL,
    "phone": PERSONAL,
    "address": PERSONAL,
    "idNumber": SENSITIVE,
}


class BenchContext:
    """What the masking extension reads from a request's context."""

    def __init__(self, table: MaskingTable) -> None:
        self.principal = SimpleNamespace(
            tenant_id="bench", user=SimpleNamespace(id="someone-else"), api_key=None, scopes=()
        )
        self.policy = object()
        self._table = table
        self.strategies: dict[object, object] = {}

    def caller_roles(self) -> frozenset[str]:
        return frozenset({"warehouse-manager", "warehouse-staff"})

    def caller_scopes(self) -> frozenset[str]:
        return frozenset()

    def masking_table_now(self) -> MaskingTable:
        return self._table

    def masking_table(self) -> MaskingTable:
        return self._table


@strawberry.type(name="Row")
class PlainRow:
    id: int
    values: strawberry.Private[dict[str, str]]

    @strawberry.field
    def full_name(self) -> str:
        return self.values["fullName"]

    @strawberry.field
    def email(self) -> str:
        return self.values["email"]

    @strawberry.field
    def phone(self) -> str:
        return self.values["phone"]

    @strawberry.field
    def address(self) -> str:
        return self.values["address"]

    @strawberry.field
    def id_number(self) -> str:
        return self.values["idNumber"]


@strawberry.type(name="Row")
class MaskedRow:
    id: int
    values: strawberry.Private[dict[str, str]]

    @strawberry.field(extensions=[classified(PERSONAL)])
    def full_name(self) -> str:
        return self.values["fullName"]

    @strawberry.field(extensions=[classified(PERSONAL)])
    def email(self) -> str:
        return self.values["email"]

    @strawberry.field(extensions=[classified(PERSONAL)])
    def phone(self) -> str:
        return self.values["phone"]

    @strawberry.field(extensions=[classified(PERSONAL)])
    def address(self) -> str:
        return self.values["address"]

    @strawberry.field(extensions=[classified(SENSITIVE)])
    def id_number(self) -> str:
        return self.values["idNumber"]


@strawberry.type(name="Query")
class PlainQuery:
    @strawberry.field
    def rows(self, info: strawberry.Info) -> list[PlainRow]:
        return [PlainRow(id=i, values=v) for i, v in enumerate(info.context.data)]


@strawberry.type(name="Query")
class MaskedQuery:
    @strawberry.field
    def rows(self, info: strawberry.Info) -> list[MaskedRow]:
        return [MaskedRow(id=i, values=v) for i, v in enumerate(info.context.data)]


def build(masked: bool) -> strawberry.Schema:
    return strawberry.Schema(query=MaskedQuery if masked else PlainQuery)


def data(rows: int) -> list[dict[str, str]]:
    return [
        {
            "fullName": f"Customer Number {i}",
            "email": f"customer{i}@example.com",
            "phone": f"+1 555 01{i:04d}",
            "address": f"{i} Harbour Street, Springfield",
            "idNumber": f"ID-{i:08d}",
        }
        for i in range(rows)
    ]


QUERY = "{ rows { id fullName email phone address idNumber } }"


async def measure(
    schema: strawberry.Schema, rows: int, repeats: int, table: MaskingTable
) -> tuple[list[float], Any]:
    context = BenchContext(table)
    context.data = data(rows)  # type: ignore[attr-defined]
    times = []
    result: Any = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = await schema.execute(QUERY, context_value=context)
        times.append(time.perf_counter() - start)
        assert result.errors is None, result.errors
    return times, result.data["rows"][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=2000)
    add_smoke_flag(parser, rows=10, repeats=50)
    args = parse_with_smoke(parser)
    print(__doc__)
    table = MaskingTable.compile(parse_masking(TEMPLATE))
    results = {}
    for label, masked in (("off", False), ("on", True)):
        schema = build(masked)
        asyncio.run(measure(schema, args.rows, 50, table))  # warm up
        times, sample = asyncio.run(measure(schema, args.rows, args.repeats, table))
        median = statistics.median(times) * 1000
        p99 = statistics.quantiles(times, n=100)[98] * 1000
        results[label] = median
        print(f"masking {label:3}: median {median:.3f} ms, p99 {p99:.3f} ms per query")
        print(f"            row 1 as seen: {sample}")
    print(
        f"{args.rows} rows x {len(FIELDS)} classified fields: masking on / off = "
        f"{results['on'] / results['off']:.2f}x"
    )


if __name__ == "__main__":
    main()
