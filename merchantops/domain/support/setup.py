"""What a new tenant starts with in customer service: its settings and the standard's SLA
policies (`policies.STANDARD`: 24 h first reply, complex problems resolved in 48 h, general
complaints answered in 24 h and resolved in 72 h, major complaints escalated at once)."""

from __future__ import annotations

from merchantops.domain.support.config import support_settings


async def new_tenant() -> None:
    await support_settings()


__all__ = ["new_tenant"]
