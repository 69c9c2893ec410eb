"""Hot lookups with their SQL built once.

Tortoise builds a query's SQL on every execution (a pypika tree, copied and rendered): a
fraction of a millisecond that a lookup run on every request, like the API key's, pays each
time. `PreparedSelect` lets tortoise build the SQL once per database dialect, with a marker in
place of the one parameter that varies, then runs that SQL with the value and maps the rows
with tortoise's own executor (`select_related` included): the same rows, models and connection
choice (routers, transactions) as the queryset would give.

The varying parameter must be compared with a text column: the marker is a string, and the
value is sent as it is, without a field's conversion.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet
from tortoise.router import router

M = TypeVar("M", bound=Model)
_MARKER = "\x00merchantops-prepared-parameter\x00"


class PreparedSelect(Generic[M]):
    def __init__(self, build: Callable[[Any], QuerySet[M]]) -> None:
        """`build(value)` returns the queryset for one value of the varying parameter."""
        self.build = build
        self._by_dialect: dict[str, tuple[str, list[Any], int, Any]] = {}
        self._model: type[M] | None = None

    def _prepared(self, queryset: QuerySet[M], dialect: str) -> tuple[str, list[Any], int, Any]:
        prepared = self._by_dialect.get(dialect)
        if prepared is None:
            queryset._make_query()
            sql, params = queryset.query.get_parameterized_sql()
            if [param == _MARKER for param in params].count(True) != 1:
                raise ValueError("the parameter must occur exactly once in the query")
            prepared = sql, list(params), params.index(_MARKER), queryset._select_related_idx
            self._by_dialect[dialect] = prepared
        return prepared

    async def fetch(self, value: Any) -> list[M]:
        if self._model is None:
            self._model = self.build(_MARKER).model
        model = self._model
        db = router.db_for_read(model) or model._meta.db  # as an unpinned queryset chooses
        dialect = db.capabilities.dialect
        prepared = self._by_dialect.get(dialect)
        if prepared is None:  # the queryset is built (and its SQL rendered) once per dialect
            queryset = self.build(_MARKER)
            queryset._db = db
            prepared = self._prepared(queryset, dialect)
        sql, params, position, select_related = prepared
        values = list(params)
        values[position] = value
        executor = db.executor_class(model=model, db=db, select_related_idx=select_related)
        rows: list[M] = await executor.execute_select(sql, values)
        return rows


__all__ = ["PreparedSelect"]
