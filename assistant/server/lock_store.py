"""Rasa's Redis lock store, safe for several Rasa processes.

Rasa 3.6's `RedisLockStore` changes a conversation's tickets by reading them,
changing them and writing them back. Two Rasa processes doing that at once
lose a ticket, two messages of one conversation are then handled at the same
time, and one of them is lost from the conversation store (found by
tests/test_rasa_workers.py; Rasa Pro's `ConcurrentRedisLockStore` exists for
this reason). Here each of those read-change-writes holds a short Redis mutex
for the conversation (redis-py's lock).
"""

from __future__ import annotations

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.lock import Lock

# A read-change-write of one conversation's tickets takes milliseconds.
GUARD_SECONDS = 5.0
GUARD_POLL_SECONDS = 0.002


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose ticket changes for a conversation happen one at a time across processes."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    def _guard(self, conversation_id: str) -> Lock:
        return self.red.lock(
            f"{self.key_prefix}{conversation_id}:guard",
            timeout=GUARD_SECONDS,
            sleep=GUARD_POLL_SECONDS,
            blocking_timeout=GUARD_SECONDS,
        )

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._guard(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._guard(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._guard(conversation_id):
            super().cleanup(conversation_id, ticket_number)
