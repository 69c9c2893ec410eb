"""Readiness: what this process needs before it should be sent requests, each check named.

`GET /readyz` answers 200 when every check passes, else 503, with a JSON body naming each
check (`ok`, or why not) and the failing ones:

    {"status": "unavailable", "database": "unreachable", "migrations": "not checked",
     "rules_engine": "ok", "failing": ["database"]}

- `database`: a `SELECT 1` through the process's own client, within `LIVENESS_TIMEOUT_SECONDS`;
- `migrations`: every committed migration applied (`pending: 0020_...` otherwise; run
  `merchantops migrate`);
- `redis`: a `PING`, only when `REDIS_URL` is set;
- `rules_engine`: the durable-rules engine started on its thread.

`systemHealth` reports the same checks.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from tortoise import Tortoise
from tortoise.migrations.recorder import MigrationRecorder

from merchantops import migrations
from merchantops.db import APP_LABEL, ping_db
from merchantops.log import get_logger
from merchantops.settings import Settings
from merchantops.workers.registry import shared_engine

logger = get_logger(__name__)
OK = "ok"
NOT_CHECKED = "not checked"
CHECK_SECONDS = 5.0


@dataclass(frozen=True)
class Check:
    name: str
    state: str

    @property
    def ok(self) -> bool:
        return self.state == OK


def committed_migrations() -> list[str]:
    folder = Path(migrations.__file__).parent
    return sorted(path.stem for path in folder.glob("[0-9][0-9][0-9][0-9]_*.py"))


async def pending_migrations() -> list[str]:
    applied = await MigrationRecorder(Tortoise.get_connection("default")).applied_migrations()
    done = {key.name for key in applied if key.app_label == APP_LABEL}
    return [name for name in committed_migrations() if name not in done]


class Readiness:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._migrated = False  # once current, migrations stay so for this process

    async def checks(self) -> list[Check]:
        database = await self._database()
        found = [database]
        found.append(await self._migrations() if database.ok else Check("migrations", NOT_CHECKED))
        if self.settings.redis_url:
            found.append(await self._redis_check())
        found.append(await self._rules_engine())
        return found

    async def _database(self) -> Check:
        try:
            async with asyncio.timeout(self.settings.liveness_timeout_seconds):
                await ping_db()
        except TimeoutError:
            return Check("database", "no answer")
        except Exception as error:
            logger.warning("readyz.database_unreachable", error=repr(error))
            return Check("database", "unreachable")
        return Check("database", OK)

    async def _migrations(self) -> Check:
        if self._migrated:
            return Check("migrations", OK)
        try:
            async with asyncio.timeout(CHECK_SECONDS):
                pending = await pending_migrations()
        except Exception as error:
            logger.warning("readyz.migrations_unknown", error=repr(error))
            return Check("migrations", "unknown")
        if pending:
            logger.warning("readyz.migrations_pending", pending=pending)
            return Check("migrations", "pending: " + ", ".join(pending[:5]))
        self._migrated = True
        return Check("migrations", OK)

    async def _redis_check(self) -> Check:
        from redis.asyncio import Redis

        # a connection of its own per probe: nothing to keep open between probes
        client = Redis.from_url(
            self.settings.redis_url or "", socket_connect_timeout=2, socket_timeout=2
        )
        try:
            async with asyncio.timeout(CHECK_SECONDS):
                await client.ping()
        except Exception as error:
            logger.warning("readyz.redis_unreachable", error=repr(error))
            return Check("redis", "unreachable")
        finally:
            await client.aclose()
        return Check("redis", OK)

    async def _rules_engine(self) -> Check:
        try:
            async with asyncio.timeout(CHECK_SECONDS):
                await shared_engine().ready()
        except Exception as error:
            logger.warning("readyz.rules_engine_unavailable", error=repr(error))
            return Check("rules_engine", "unavailable")
        return Check("rules_engine", OK)


def readiness_body(checks: list[Check]) -> tuple[int, dict[str, object]]:
    failing = [check.name for check in checks if not check.ok and check.state != NOT_CHECKED]
    body: dict[str, object] = {"status": "unavailable" if failing else OK}
    body.update({check.name: check.state for check in checks})
    if failing:
        body["failing"] = failing
    return (503 if failing else 200), body


__all__ = ["Check", "Readiness", "committed_migrations", "pending_migrations", "readiness_body"]
