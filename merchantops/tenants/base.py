"""The base of every tenant-owned model.

Queries through `TenantModel.filter/all/get/...` are filtered by the tenant in context and raise
`NoTenantInContext` when there is none: a forgotten scope is an error, never every tenant's rows.
Saving or deleting an instance of another tenant than the one in context raises too. Code that
must cross tenants says so with `unscoped()`, inside `across_tenants(Crossing.<reason>)`
(`tenants/context.py`): on PostgreSQL, row-level security holds the same line in the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.manager import Manager
from tortoise.models import Model, ModelMeta
from tortoise.queryset import QuerySet

from merchantops.tenants.context import current_tenant_id, require_crossing


class CrossTenantWrite(RuntimeError):
    pass


class TenantManager(Manager):
    def get_queryset(self) -> QuerySet[Any]:
        model = self._model
        return QuerySet(model).filter(tenant_id=current_tenant_id(model.__name__))


class _TenantModelMeta(ModelMeta):
    # tortoise does not inherit Meta.manager from an abstract base; install it on every subclass.
    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        cls: Any = super().__new__(mcs, name, bases, attrs)
        if not cls._meta.abstract:
            cls._meta.manager = TenantManager(cls)
        return cls


class TenantModel(Model, metaclass=_TenantModelMeta):
    tenant: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "merchantops.Tenant", related_name=False, on_delete=fields.CASCADE, db_index=False
    )
    tenant_id: Any

    class Meta:
        abstract = True

    @classmethod
    def unscoped(cls) -> QuerySet[Self]:
        """Every tenant's rows: only inside `across_tenants(...)`, which names the reason."""
        require_crossing(cls.__name__)
        return QuerySet(cls)

    def _check_tenant(self) -> None:
        tenant_id = current_tenant_id(type(self).__name__)
        if self.tenant_id is None:
            self.tenant_id = tenant_id
        elif self.tenant_id != tenant_id:
            raise CrossTenantWrite(
                f"{type(self).__name__} belongs to another tenant than the one in context"
            )

    async def save(
        self,
        using_db: BaseDBAsyncClient | None = None,
        update_fields: Any = None,
        force_create: bool = False,
        force_update: bool = False,
    ) -> None:
        self._check_tenant()
        await super().save(using_db, update_fields, force_create, force_update)

    @classmethod
    def bulk_create(cls, objects: Iterable[Self], *args: Any, **kwargs: Any) -> Any:
        """As tortoise's, each row given the tenant in context (or refused for another's)."""
        rows = list(objects)
        for row in rows:
            row._check_tenant()
        return super().bulk_create(rows, *args, **kwargs)

    async def delete(self, using_db: BaseDBAsyncClient | None = None) -> None:
        self._check_tenant()
        await super().delete(using_db)


__all__ = ["CrossTenantWrite", "TenantManager", "TenantModel"]
