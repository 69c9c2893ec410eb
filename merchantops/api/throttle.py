"""Cost-based leaky buckets: one per API key, per user, and per client address when anonymous.

Each admitted query pours its calculated cost into its caller's bucket; the bucket leaks
`THROTTLE_LEAK_PER_SECOND` units a second and holds `THROTTLE_CAPACITY`. A query that would
overflow it is refused (nothing is poured) and told how many seconds until it would fit.

With `REDIS_URL` the buckets live in Redis, updated by one Lua script (atomic across every API
process, timed by the Redis server's clock). Without it, or while Redis is unreachable, they
live in the process: a bounded table that forgets the least recently used callers.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

from merchantops.log import get_logger
from merchantops.settings import Settings

logger = get_logger(__name__)
KEY_PREFIX = "merchantops:throttle:"
MAX_LOCAL_BUCKETS = 100_000

# KEYS[1] bucket; ARGV capacity, leak per second, cost, and optionally the time (tests).
DRAIN_SCRIPT = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
if not now then
  local clock = redis.call('TIME')
  now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
end
local state = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = tonumber(state[1]) or 0
local at = tonumber(state[2]) or now
level = math.max(0, level - math.max(0, now - at) * rate)
local allowed = 0
local wait = 0
if level + cost <= capacity then
  level = level + cost
  allowed = 1
else
  wait = (level + cost - capacity) / rate
end
redis.call('HSET', KEYS[1], 'level', tostring(level), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(level / rate * 1000) + 1000)
return {allowed, tostring(level), tostring(wait)}
"""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    level: float
    """Units in the bucket after this query (before it, when refused)."""
    wait: float = 0.0
    """Seconds until the refused query would fit."""

    @property
    def retry_after(self) -> int:
        """Whole seconds to wait, as `Retry-After` wants them."""
        return max(1, math.ceil(self.wait)) if not self.allowed else 0


class LocalBuckets:
    """Buckets in this process's memory."""

    def __init__(
        self,
        capacity: int,
        leak_per_second: float,
        clock: Callable[[], float] = time.monotonic,
        max_buckets: int = MAX_LOCAL_BUCKETS,
    ) -> None:
        self.capacity = capacity
        self.leak_per_second = leak_per_second
        self.clock = clock
        self.max_buckets = max_buckets
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    async def drain(self, key: str, cost: int) -> Decision:
        now = self.clock()
        level, at = self._buckets.pop(key, (0.0, now))
        level = max(0.0, level - max(0.0, now - at) * self.leak_per_second)
        if level + cost > self.capacity:
            decision = Decision(False, level, (level + cost - self.capacity) / self.leak_per_second)
        else:
            level += cost
            decision = Decision(True, level)
        self._buckets[key] = (level, now)
        if len(self._buckets) > self.max_buckets:
            self._buckets.popitem(last=False)
        return decision

    async def close(self) -> None:
        return None


class RedisBuckets:
    """Buckets in Redis; falls back to `fallback` while Redis does not answer."""

    def __init__(
        self,
        url: str,
        capacity: int,
        leak_per_second: float,
        fallback: LocalBuckets,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.capacity = capacity
        self.leak_per_second = leak_per_second
        self.fallback = fallback
        self.clock = clock
        self.redis = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        self.script = self.redis.register_script(DRAIN_SCRIPT)

    async def drain(self, key: str, cost: int) -> Decision:
        args: list[float | int] = [self.capacity, self.leak_per_second, cost]
        if self.clock is not None:
            args.append(self.clock())
        try:
            allowed, level, wait = await self.script(keys=[KEY_PREFIX + key], args=args)
        except (RedisError, OSError) as error:
            logger.warning("throttle.redis_unavailable", error=repr(error))
            return await self.fallback.drain(key, cost)
        return Decision(bool(allowed), float(level), float(wait))

    async def close(self) -> None:
        await self.redis.aclose()


Buckets = LocalBuckets | RedisBuckets


def buckets_for(settings: Settings) -> Buckets:
    local = LocalBuckets(settings.throttle_capacity, settings.throttle_leak_per_second)
    if settings.redis_url is None:
        return local
    return RedisBuckets(
        settings.redis_url,
        settings.throttle_capacity,
        settings.throttle_leak_per_second,
        fallback=local,
    )


__all__ = ["Buckets", "Decision", "LocalBuckets", "RedisBuckets", "buckets_for"]
