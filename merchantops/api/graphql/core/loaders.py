"""Per-request DataLoaders: every relation is fetched in one batched query per request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar
from uuid import UUID

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from merchantops.tenants.models import Department, Tenant, User

M = TypeVar("M", bound=Model)


def by_id(model: type[M]) -> DataLoader[UUID, M | None]:
    """Batch loads of `model` by primary key, through the model's own (tenant-scoped) manager."""

    async def load(ids: Sequence[UUID]) -> list[M | None]:
        rows: dict[Any, M] = {row.pk: row for row in await model.filter(pk__in=list(ids))}
        return [rows.get(key) for key in ids]

    return DataLoader(load_fn=load)


class Loaders:
    def __init__(self) -> None:
        self.user = by_id(User)
        self.tenant = by_id(Tenant)
        self.department = by_id(Department)


__all__ = ["Loaders", "by_id"]
