"""Sessions and refresh tokens that can no longer be used are deleted after a grace period.

A refresh token past its expiry can no longer be used, and a session that ended or whose last
refresh token expired is over. Both are kept for `KEEP` after that (the security trail of a
recent logout or reuse stays readable), then deleted, in batches, by the periodic sweep
(`workers/schedule.enqueue_due`). The tables are global (users' sessions, not a tenant's rows).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q, Subquery

from merchantops.tenants.models import LoginSession, RefreshToken

KEEP = timedelta(days=30)
BATCH = 1000


async def purge_sessions(now: datetime | None = None, *, keep: timedelta = KEEP) -> int:
    """Delete refresh tokens expired and sessions over for longer than `keep`; how many rows."""
    cutoff = (now or datetime.now(UTC)) - keep
    deleted = 0
    while (
        ids := await RefreshToken.filter(expires_at__lt=cutoff)
        .limit(BATCH)
        .values_list("id", flat=True)
    ):
        deleted += await RefreshToken.filter(id__in=list(ids)).delete()
    live_families = Subquery(RefreshToken.all().values("family_id"))
    abandoned = Q(ended_at__isnull=True, created_at__lt=cutoff) & ~Q(id__in=live_families)
    over = Q(ended_at__lt=cutoff) | abandoned
    while ids := await LoginSession.filter(over).limit(BATCH).values_list("id", flat=True):
        deleted += await LoginSession.filter(id__in=list(ids)).delete()
    return deleted


__all__ = ["KEEP", "purge_sessions"]
