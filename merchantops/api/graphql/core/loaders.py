"""Per-request DataLoaders, made generically: every relation is one batched query per request.

    await info.context.loaders.by_id(Sku).load(sku_id)
    await info.context.loaders.grouped(Sku, "product_id", "code").load(product_id)

A loader is made on first use and kept for the request, one per model (by id) or per model,
foreign key and order (grouped): a request needs a few, and a new model needs no loader of its
own. Each reads through the model's own (tenant-scoped) manager. With tracing on, each batch
is a `dataloader.batch` span.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast
from uuid import UUID

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from merchantops.observability import tracing

M = TypeVar("M", bound=Model)
Key = UUID | str
"""A primary or foreign key, as the model holds it or as a node's `id` carries it."""


def by_id(model: type[M]) -> DataLoader[Key, M | None]:
    """Batch loads of `model` by primary key, through the model's own (tenant-scoped) manager."""

    async def load(ids: Sequence[Key]) -> list[M | None]:
        with tracing.span(
            "dataloader.batch", {"loader": f"{model.__name__}.by_id", "keys": len(ids)}
        ):
            found = await model.filter(pk__in=list(ids))
        rows: dict[str, M] = {str(row.pk): row for row in found}
        return [rows.get(str(key)) for key in ids]

    return DataLoader(load_fn=load)


def grouped_by(model: type[M], field: str, order: str) -> DataLoader[Key, list[M]]:
    """Batch loads of the `model` rows whose `field` is each given key, in `order`."""

    async def load(keys: Sequence[Key]) -> list[list[M]]:
        groups: dict[str, list[M]] = {str(key): [] for key in keys}
        loader = f"{model.__name__}.{field}"
        with tracing.span("dataloader.batch", {"loader": loader, "keys": len(keys)}):
            found = await model.filter(**{f"{field}__in": list(keys)}).order_by(order)
        for row in found:
            groups[str(getattr(row, field))].append(row)
        return [groups[str(key)] for key in keys]

    return DataLoader(load_fn=load)


class Loaders:
    """The loaders of one request."""

    def __init__(self) -> None:
        self._made: dict[tuple[Any, ...], DataLoader[Any, Any]] = {}

    def by_id(self, model: type[M]) -> DataLoader[Key, M | None]:
        key = (model,)
        if key not in self._made:
            self._made[key] = by_id(model)
        return cast("DataLoader[Key, M | None]", self._made[key])

    def grouped(self, model: type[M], field: str, order: str) -> DataLoader[Key, list[M]]:
        """Rows of `model` by the value of `field` (a foreign key), each group in `order`."""
        key = (model, field, order)
        if key not in self._made:
            self._made[key] = grouped_by(model, field, order)
        return cast("DataLoader[Key, list[M]]", self._made[key])

    def custom(self, name: str, make: Callable[[], DataLoader[Any, Any]]) -> DataLoader[Any, Any]:
        """A loader of the request that is not one model's rows (an area's computed values,
        like the business calendars of SLA clocks), made by `make` on first use."""
        key = (name,)
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]


__all__ = ["Key", "Loaders", "by_id", "grouped_by"]
