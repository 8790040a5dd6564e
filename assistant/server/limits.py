"""Token buckets: how many requests a client may send, in this process or shared by every replica through Redis.

A bucket holds at most `burst` tokens and gains `per_minute` tokens a minute; each request takes one. A client
may so send `burst` messages at once, then one every 60/`per_minute` seconds. With Redis, one Lua script reads
and updates a bucket atomically on Redis's own clock, so every Rasa process sees the same buckets; if Redis
cannot be reached, each process keeps its own buckets in memory until it can again.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

logger = logging.getLogger(__name__)

KEY_PREFIX = "medchat:limit:"
# Buckets of clients gone quiet are forgotten when the memory store holds more than this.
MEMORY_PRUNE_SIZE = 10_000
REDIS_RETRY_SECONDS = 30.0

# KEYS[1] the bucket; ARGV[1] tokens per second, ARGV[2] the burst. Returns the seconds to wait ("0": allowed).
TOKEN_BUCKET_SCRIPT = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return tostring(wait)
"""


@dataclass(frozen=True)
class Rate:
    """`per_minute` requests a minute, `burst` at once; 0 a minute means no limit."""

    per_minute: int
    burst: int

    @property
    def unlimited(self) -> bool:
        return self.per_minute <= 0

    @property
    def per_second(self) -> float:
        return self.per_minute / 60.0


class Buckets(Protocol):
    async def take(self, key: str, rate: Rate) -> float:
        """Take a token from the bucket `key`: 0 when allowed, else the seconds until one is available."""
        ...


class MemoryBuckets:
    """Buckets in this process's memory."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}

    async def take(self, key: str, rate: Rate) -> float:
        return self.take_now(key, rate)

    def take_now(self, key: str, rate: Rate) -> float:
        now = self.clock()
        tokens, at = self.buckets.get(key, (float(rate.burst), now))
        tokens = min(float(rate.burst), tokens + max(0.0, now - at) * rate.per_second)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / rate.per_second
        self.buckets[key] = (tokens, now)
        if len(self.buckets) > MEMORY_PRUNE_SIZE:
            self._forget_full(now, rate)
        return wait

    def _forget_full(self, now: float, rate: Rate) -> None:
        """Forget the buckets that have filled up again: a new bucket starts full, so nothing changes for them."""
        refill = rate.burst / rate.per_second
        self.buckets = {key: state for key, state in self.buckets.items() if now - state[1] < refill}


class RedisBuckets:
    """Buckets in Redis, shared by every process that uses the same Redis; in memory while Redis is unreachable."""

    def __init__(self, url: str, fallback: MemoryBuckets | None = None) -> None:
        from redis import asyncio as redis_asyncio

        self.client: Any = redis_asyncio.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self.script = self.client.register_script(TOKEN_BUCKET_SCRIPT)
        self.fallback = fallback or MemoryBuckets()
        self.unavailable_until = 0.0

    async def take(self, key: str, rate: Rate) -> float:
        from redis.exceptions import RedisError

        if time.monotonic() >= self.unavailable_until:
            try:
                return float(await self.script(keys=[key], args=[rate.per_second, rate.burst]))
            except (RedisError, OSError) as error:
                logger.error("Rate limits kept in memory for %.0f s: Redis failed (%s)", REDIS_RETRY_SECONDS, error)
                self.unavailable_until = time.monotonic() + REDIS_RETRY_SECONDS
        return self.fallback.take_now(key, rate)


def bucket_key(kind: str, value: str) -> str:
    """The bucket of one client: its kind ("sender", "address") and a digest of its id (any text, any length)."""
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{KEY_PREFIX}{kind}:{digest}"


def make_buckets(redis_url: str | None) -> Buckets:
    """Shared buckets when Redis is configured, else this process's own."""
    return RedisBuckets(redis_url) if redis_url else MemoryBuckets()
