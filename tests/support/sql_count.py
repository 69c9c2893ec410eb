"""Counting the SQL statements the ORM sends, to pin that DataLoaders batch."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

import pytest
from tortoise import Tortoise

METHODS = ("execute_query", "execute_query_dict", "execute_insert", "execute_many")


class Statements:
    def __init__(self) -> None:
        self.sql: list[str] = []

    def __len__(self) -> int:
        return len(self.sql)


@contextmanager
def counting_statements(monkeypatch: pytest.MonkeyPatch) -> Iterator[Statements]:
    """Every statement the default connection's class executes while the block runs."""
    seen = Statements()
    client_class = type(Tortoise.get_connection("default"))
    for name in METHODS:
        original = getattr(client_class, name)

        def counted(original: Any) -> Any:
            @wraps(original)
            async def run(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
                seen.sql.append(query)
                return await original(self, query, *args, **kwargs)

            return run

        monkeypatch.setattr(client_class, name, counted(original))
    try:
        yield seen
    finally:
        monkeypatch.undo()


__all__ = ["Statements", "counting_statements"]
