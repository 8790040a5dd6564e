"""The retention period: conversations and answer ratings older than it are deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, exists, func, inspect, select
from sqlalchemy.engine import Engine

from assistant.db.feedback import AnswerFeedback
from assistant.staff.conversations import EVENTS, WINDOWS, WINDOWS_TABLE, has_conversations


@dataclass(frozen=True)
class PurgeResult:
    cutoff: datetime
    events: int
    conversations: int
    ratings: int

    def summary(self) -> str:
        return (
            f"Deleted everything from before {self.cutoff:%Y-%m-%d %H:%M} UTC: {self.events} conversation events "
            f"from {self.conversations} conversation(s), {self.ratings} answer rating(s)."
        )


def retention_cutoff(retention_days: int, now: datetime | None = None) -> datetime:
    """The oldest moment still kept (UTC): anything strictly before it is deleted."""
    now = now or datetime.now(timezone.utc)
    return now.astimezone(timezone.utc) - timedelta(days=retention_days)


def purge(engine: Engine, retention_days: int, now: datetime | None = None) -> PurgeResult:
    """Delete conversation events and answer ratings older than `retention_days`, in one transaction."""
    cutoff = retention_cutoff(retention_days, now)
    events = conversations = 0
    tracker_store_exists = has_conversations(engine)
    with engine.begin() as connection:
        if tracker_store_exists:
            old = EVENTS.c.timestamp < cutoff.timestamp()
            conversations = connection.execute(
                select(func.count(func.distinct(EVENTS.c.sender_id))).where(old)
            ).scalar_one()
            events = connection.execute(delete(EVENTS).where(old)).rowcount
            if inspect(connection).has_table(WINDOWS_TABLE):
                # A conversation with no event left has no window either.
                kept = exists().where(EVENTS.c.sender_id == WINDOWS.c.sender_id)
                connection.execute(delete(WINDOWS).where(~kept))
        ratings = connection.execute(
            delete(AnswerFeedback).where(AnswerFeedback.created_at < cutoff.replace(tzinfo=None))
        ).rowcount
    return PurgeResult(cutoff, events, conversations, ratings)
