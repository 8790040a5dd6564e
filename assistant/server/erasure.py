"""A student erases a conversation from the widget: its events and ratings are deleted, only the count is kept.

The conversation id the widget holds (128 random bits, `randomId()` in widget.js) is the capability: whoever
holds it may erase that conversation. Ids that could be guessed ("me", "alice", a name) are refused, so that
nobody can erase a conversation they did not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, inspect
from sqlalchemy.engine import Engine

from assistant.db.feedback import AnswerFeedback, Erasure, utc_now
from assistant.db.session import get_engine
from assistant.staff.conversations import EVENTS, WINDOWS, WINDOWS_TABLE, has_conversations

# What the widget's ids look like: at least 128 bits in hexadecimal.
UNGUESSABLE_ID = re.compile(r"^[0-9a-f]{32,64}$")


class ErasureError(ValueError):
    """An erasure request that cannot be honoured, in plain words; `status` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ErasureResult:
    events: int
    ratings: int


def conversation_to_erase(body: Any) -> str:
    """The conversation id of an erasure request.

    Raises:
        ErasureError: not `{"sender": "<the widget's id>"}` (400), or an id that could be guessed (403).
    """
    if not isinstance(body, dict) or not isinstance(body.get("sender"), str) or not body["sender"]:
        raise ErasureError('Send JSON: {"sender": "<the conversation id the chat widget holds>"}')
    sender = body["sender"]
    if not UNGUESSABLE_ID.match(sender):
        raise ErasureError(
            "Only a conversation started by the chat widget can be erased this way (its id is 32 to 64 hexadecimal "
            "characters); for any other, write to the international office.",
            status=403,
        )
    return sender


def erase_conversation(conversation_id: str, engine: Engine | None = None) -> ErasureResult:
    """Delete the conversation's events (with its window's checkpoint) and ratings, in one transaction; an erasure is counted when it deleted
    something (a conversation erased twice counts once)."""
    engine = engine or get_engine()
    events_exist = has_conversations(engine)
    with engine.begin() as connection:
        events = (
            connection.execute(delete(EVENTS).where(EVENTS.c.sender_id == conversation_id)).rowcount
            if events_exist
            else 0
        )
        if events_exist and inspect(connection).has_table(WINDOWS_TABLE):
            connection.execute(delete(WINDOWS).where(WINDOWS.c.sender_id == conversation_id))
        ratings = connection.execute(
            delete(AnswerFeedback).where(AnswerFeedback.conversation_id == conversation_id)
        ).rowcount
        if events or ratings:
            connection.execute(insert(Erasure).values(erased_at=utc_now()))
    return ErasureResult(events, ratings)
