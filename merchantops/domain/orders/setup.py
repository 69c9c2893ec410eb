"""What a new tenant starts with in the orders area: settings, tax categories, return reasons."""

from __future__ import annotations

from merchantops.domain.orders.policies import install_defaults


async def new_tenant() -> None:
    await install_defaults()


__all__ = ["new_tenant"]
