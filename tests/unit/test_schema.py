"""The public contract: the committed SDL matches the code, every operation declares access."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import GraphQLNonNull, GraphQLObjectType, get_named_type

from merchantops.api.graphql.core.permissions import declared_requirement
from merchantops.api.graphql.schema import build_schema

SNAPSHOT = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_committed_schema_matches_the_code() -> None:
    current = str(build_schema()) + "\n"

    assert SNAPSHOT.read_text() == current, (
        "schema.graphql is stale: run `.venv/bin/merchantops export-schema`, review the diff "
        "and commit it"
    )


def _operations() -> list[tuple[str, list[object]]]:
    schema = build_schema()
    found = []
    for root in ("Query", "Mutation"):
        definition = schema.get_type_by_name(root)
        assert definition is not None
        for field in definition.fields:  # type: ignore[union-attr]
            found.append((f"{root}.{field.python_name}", list(field.extensions)))
    return found


@pytest.mark.parametrize(("name", "extensions"), _operations(), ids=lambda v: str(v)[:40])
def test_every_operation_declares_the_permission_it_needs(
    name: str, extensions: list[object]
) -> None:
    assert declared_requirement(extensions) is not None, f"{name} declares no permission"


def test_root_fields_of_every_operation_type_are_nullable() -> None:
    schema = build_schema()._schema

    non_null = [
        f"{root.name}.{name}"
        for root in (schema.query_type, schema.mutation_type)
        if root is not None
        for name, field in root.fields.items()
        if isinstance(field.type, GraphQLNonNull)
    ]

    assert non_null == []


def test_every_connection_pages_both_ways_and_counts() -> None:
    schema = build_schema()._schema

    connections = {
        f"{type_.name}.{name}": (
            sorted(field.args),
            "totalCount" in get_named_type(field.type).fields,
        )
        for type_ in schema.type_map.values()
        if isinstance(type_, GraphQLObjectType) and not type_.name.startswith("__")
        for name, field in type_.fields.items()
        if get_named_type(field.type).name.endswith("Connection")
    }

    assert len(connections) >= 25
    for name, (arguments, counts) in connections.items():
        assert {"first", "after", "last", "before"} <= set(arguments), name
        assert counts, name
