"""What the conversation store holds of the messages students sent: each message id, how many times."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import create_engine, select

from assistant.faults.students import Sent
from assistant.staff.conversations import EVENTS


def stored_message_ids(database_url: str, senders: Iterable[str]) -> Counter[str]:
    """How many times each message id of these conversations is in the store (student messages)."""
    counts: Counter[str] = Counter()
    wanted = sorted(set(senders))
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            for start in range(0, len(wanted), 500):
                rows = connection.execute(
                    select(EVENTS.c.data).where(
                        EVENTS.c.type_name == "user", EVENTS.c.sender_id.in_(wanted[start : start + 500])
                    )
                ).scalars()
                for data in rows:
                    message_id = json.loads(data).get("message_id")
                    if message_id:
                        counts[message_id] += 1
    finally:
        engine.dispose()
    return counts


def lost_and_twice(sent: list[Sent], stored: Counter[str]) -> tuple[int, int]:
    """Messages answered but not in the store, and messages in the store more than once."""
    lost = sum(1 for message in sent if message.outcome == "answer" and stored[message.message_id] == 0)
    twice = sum(1 for message in sent if stored[message.message_id] > 1)
    return lost, twice
