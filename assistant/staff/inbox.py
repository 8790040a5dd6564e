"""The console's missed-questions inbox: the review's groups of similar messages, with a triage status.

A group is new while any of its messages is new; teaching or ignoring a group sets the status of all its messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine

from assistant.db.feedback import utc_now
from assistant.db.session import session_scope
from assistant.db.staff import NEW, InboxStatus
from assistant.staff.review import Group, Missed, find_missed, group_similar


@dataclass(frozen=True)
class InboxItem:
    """One group of similar missed messages and its status."""

    key: str
    group: Group
    status: str

    @property
    def school(self) -> str | None:
        return next((message.school for message in self.group.messages if message.school), None)

    @property
    def language(self) -> str | None:
        return next((message.language for message in self.group.messages if message.language), None)

    @property
    def likeliest_intent(self) -> str | None:
        return next((message.likeliest_intent for message in self.group.messages if message.likeliest_intent), None)


def message_key(message: Missed) -> str:
    """The key of a message: its conversation and its stored time."""
    return f"{message.timestamp!r}:{message.conversation_id}"


def _statuses(engine: Engine) -> dict[tuple[str, float], str]:
    with session_scope(engine) as session:
        return {(row.conversation_id, row.timestamp): row.status for row in session.scalars(select(InboxStatus))}


def read_inbox(engine: Engine, since: datetime | None = None) -> list[InboxItem]:
    """Every group of missed messages since `since`, the newest first, with its status."""
    statuses = _statuses(engine)
    items = []
    for group in group_similar(find_missed(engine, since=since)):
        states = [statuses.get((message.conversation_id, message.timestamp or 0.0), NEW) for message in group.messages]
        status = NEW if NEW in states else states[0]
        items.append(InboxItem(message_key(group.newest), group, status))
    return items


def find_item(engine: Engine, key: str, since: datetime | None = None) -> InboxItem | None:
    """The group whose newest message has this key, if it is still in the inbox."""
    return next((item for item in read_inbox(engine, since) if item.key == key), None)


def set_status(engine: Engine, item: InboxItem, status: str, actor: str) -> None:
    """Give every message of the group this status."""
    with session_scope(engine) as session:
        for message in item.group.messages:
            timestamp = message.timestamp or 0.0
            row = session.scalar(
                select(InboxStatus).where(
                    InboxStatus.conversation_id == message.conversation_id, InboxStatus.timestamp == timestamp
                )
            )
            if row is None:
                session.add(
                    InboxStatus(
                        conversation_id=message.conversation_id, timestamp=timestamp, status=status, changed_by=actor
                    )
                )
            else:
                row.status, row.changed_by, row.changed_at = status, actor, utc_now()
