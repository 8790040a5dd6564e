"""Student messages read back from Rasa's SQL tracker store (its `events` table, in our database).

Stored text is data, never a crash: an event that is not JSON is skipped, a text is made valid Unicode (a lone
surrogate stored as "\\ud800" becomes "\ufffd"), and a school or language other than the known ones is "not
given" (None); the schools' former ids ("lille", "paris-cite") are read as today's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, inspect, select
from sqlalchemy.engine import Engine

from assistant.metadata import language_code, stored_school
from assistant.text import valid_unicode

EVENTS_TABLE = "events"
# Rasa's own table (rasa.core.tracker_store.SQLTrackerStore.SQLEvent), described here to read it, never created.
EVENTS = Table(
    EVENTS_TABLE,
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
WINDOWS_TABLE = "conversation_windows"
# Where each conversation's window starts and the state before it (assistant/server/conversation_window.py):
# created by migration 0007 (or by the conversation store on a database without it); erased and purged with the
# conversation's events.
WINDOWS = Table(
    WINDOWS_TABLE,
    MetaData(),
    Column("sender_id", String(255), primary_key=True),
    Column("first_event_id", Integer, nullable=False),
    Column("state", Text, nullable=False),
    Column("earlier_messages", Integer, nullable=False),
)

NLU_FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
HANDOFF_INTENT = "human_handoff"
HANDOFF_ACTION = "action_handoff"
FALLBACK_ACTIONS = frozenset({"action_default_fallback", "action_suggest_topics"})
RASA_ACTIONS = frozenset({"action_listen", "action_session_start"})
# Conversations staff have in the console's test chat: kept out of the statistics and the missed questions.
STAFF_TEST_PREFIX = "staff-test-"


def is_staff_test(conversation_id: str) -> bool:
    """Whether a conversation was staff trying the assistant in the console."""
    return conversation_id.startswith(STAFF_TEST_PREFIX)


@dataclass(frozen=True)
class Turn:
    """One student message and what the assistant did in reply."""

    conversation_id: str
    timestamp: float
    text: str
    intent: str | None
    confidence: float | None
    ranking: tuple[str, ...]
    language: str | None
    school: str | None
    actions: tuple[str, ...]

    @property
    def time(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp, timezone.utc)

    @property
    def fallback(self) -> bool:
        """The assistant did not understand (or offered topics to choose from)."""
        return self.intent == NLU_FALLBACK or any(action in FALLBACK_ACTIONS for action in self.actions)

    @property
    def handoff(self) -> bool:
        """The student asked for a person, or was handed over to one."""
        return self.intent == HANDOFF_INTENT or HANDOFF_ACTION in self.actions

    @property
    def likeliest_intent(self) -> str | None:
        """The model's best guess that is a real intent: its second guess when the first was a fallback."""
        return next((intent for intent in self.ranking if intent != NLU_FALLBACK), None)


def has_conversations(engine: Engine) -> bool:
    """Whether Rasa's tracker store has created its table in this database."""
    return inspect(engine).has_table(EVENTS_TABLE)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return valid_unicode(value, "\ufffd") if isinstance(value, str) else None


def _language(parse_data: dict[str, Any], metadata: dict[str, Any]) -> str | None:
    for entity in parse_data.get("entities") or []:
        if isinstance(entity, dict) and entity.get("entity") == "language":
            return language_code(entity.get("value"))
    return language_code(metadata.get("language"))


def _data(raw: str | None) -> dict[str, Any]:
    """An event's stored JSON, or nothing when it is not a JSON object."""
    try:
        return _object(json.loads(raw or "{}"))
    except ValueError:
        return {}


def _turn(conversation_id: str, timestamp: float, data: dict[str, Any], slot_school: str | None) -> Turn:
    parse_data = _object(data.get("parse_data"))
    metadata = _object(data.get("metadata"))
    intent = _object(parse_data.get("intent"))
    raw_ranking = parse_data.get("intent_ranking")
    ranking_items: list[Any] = raw_ranking if isinstance(raw_ranking, list) else []
    ranking = tuple(name for item in ranking_items if (name := _text(_object(item).get("name"))))
    name = _text(intent.get("name"))
    confidence = intent.get("confidence")
    return Turn(
        conversation_id=conversation_id,
        timestamp=timestamp,
        text=_text(data.get("text")) or "",
        intent=name,
        confidence=float(confidence) if isinstance(confidence, (int, float)) else None,
        ranking=ranking or ((name,) if name else ()),
        language=_language(parse_data, metadata),
        school=stored_school(metadata.get("school")) or slot_school,
        actions=(),
    )


def read_turns(
    engine: Engine,
    since: datetime | None = None,
    until: datetime | None = None,
    conversation_id: str | None = None,
) -> list[Turn]:
    """Every student message sent in [since, until), oldest first, with the actions that answered it.

    Staff's test conversations are left out, unless one is asked for by its id.
    """
    if not has_conversations(engine):
        return []
    query = (
        select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.action_name, EVENTS.c.data)
        .where(EVENTS.c.type_name.in_(("user", "action", "slot")))
        .order_by(EVENTS.c.sender_id, EVENTS.c.timestamp, EVENTS.c.id)
    )
    if conversation_id is not None:
        query = query.where(EVENTS.c.sender_id == conversation_id)
    else:
        query = query.where(~EVENTS.c.sender_id.startswith(STAFF_TEST_PREFIX, autoescape=True))
    if since is not None:
        query = query.where(EVENTS.c.timestamp >= since.timestamp())
    turns: list[Turn] = []
    schools: dict[str, str] = {}
    current: Turn | None = None
    actions: list[str] = []

    def close() -> None:
        if current is not None and (until is None or current.timestamp < until.timestamp()):
            turns.append(replace(current, actions=tuple(actions)))

    with engine.connect() as connection:
        for row in connection.execute(query):
            if row.type_name == "user":
                close()
                actions = []
                current = _turn(row.sender_id, row.timestamp, _data(row.data), schools.get(row.sender_id))
            elif row.type_name == "slot":
                data = _data(row.data)
                school = stored_school(data.get("value")) if data.get("name") == "school" else None
                if school is not None:
                    schools[row.sender_id] = school
                    if current is not None and current.conversation_id == row.sender_id and current.school is None:
                        current = replace(current, school=school)
            elif (
                current is not None
                and current.conversation_id == row.sender_id
                and row.action_name
                and row.action_name not in RASA_ACTIONS
            ):
                actions.append(row.action_name)
        close()
    turns.sort(key=lambda turn: turn.timestamp)
    return turns


@dataclass(frozen=True)
class Said:
    """One message of a transcript: the student's (with the intent understood) or the assistant's."""

    timestamp: float
    speaker: str
    text: str
    intent: str | None = None
    confidence: float | None = None
    buttons: tuple[str, ...] = ()

    @property
    def time(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp, timezone.utc)


def read_transcript(engine: Engine, conversation_id: str) -> list[Said]:
    """A conversation as the student saw it, oldest first: their messages and the assistant's replies."""
    if not has_conversations(engine):
        return []
    query = (
        select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
        .where(EVENTS.c.sender_id == conversation_id, EVENTS.c.type_name.in_(("user", "bot")))
        .order_by(EVENTS.c.timestamp, EVENTS.c.id)
    )
    said: list[Said] = []
    with engine.connect() as connection:
        for row in connection.execute(query):
            data = _data(row.data)
            if row.type_name == "user":
                turn = _turn(conversation_id, row.timestamp, data, None)
                said.append(Said(row.timestamp, "student", turn.text, turn.intent, turn.confidence))
                continue
            bot_data = _object(data.get("data"))
            raw_buttons = bot_data.get("buttons")
            buttons = tuple(
                title
                for item in (raw_buttons if isinstance(raw_buttons, list) else [])
                if (title := _text(_object(item).get("title")))
            )
            said.append(Said(row.timestamp, "assistant", _text(data.get("text")) or "", buttons=buttons))
    return said
