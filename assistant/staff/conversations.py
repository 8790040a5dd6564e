"""Student messages read back from Rasa's SQL tracker store (its `events` table, in our database)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, inspect, select
from sqlalchemy.engine import Engine

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

NLU_FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
HANDOFF_INTENT = "human_handoff"
HANDOFF_ACTION = "action_handoff"
FALLBACK_ACTIONS = frozenset({"action_default_fallback", "action_suggest_topics"})
RASA_ACTIONS = frozenset({"action_listen", "action_session_start"})


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


def _language(parse_data: dict[str, Any], metadata: dict[str, Any]) -> str | None:
    for entity in parse_data.get("entities") or []:
        if entity.get("entity") == "language":
            return str(entity.get("value"))
    language = metadata.get("language")
    return language if isinstance(language, str) else None


def _turn(conversation_id: str, timestamp: float, data: dict[str, Any], slot_school: str | None) -> Turn:
    parse_data = data.get("parse_data") or {}
    raw_metadata = data.get("metadata")
    metadata: dict[str, Any] = raw_metadata if isinstance(raw_metadata, dict) else {}
    intent = parse_data.get("intent") or {}
    ranking = tuple(item["name"] for item in parse_data.get("intent_ranking") or [] if item.get("name"))
    school = metadata.get("school") if isinstance(metadata.get("school"), str) else slot_school
    return Turn(
        conversation_id=conversation_id,
        timestamp=timestamp,
        text=data.get("text") or "",
        intent=intent.get("name"),
        confidence=intent.get("confidence"),
        ranking=ranking or ((intent["name"],) if intent.get("name") else ()),
        language=_language(parse_data, metadata),
        school=school,
        actions=(),
    )


def read_turns(engine: Engine, since: datetime | None = None, until: datetime | None = None) -> list[Turn]:
    """Every student message sent in [since, until), oldest first, with the actions that answered it."""
    if not has_conversations(engine):
        return []
    query = (
        select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.action_name, EVENTS.c.data)
        .where(EVENTS.c.type_name.in_(("user", "action", "slot")))
        .order_by(EVENTS.c.sender_id, EVENTS.c.timestamp, EVENTS.c.id)
    )
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
                data = json.loads(row.data or "{}")
                current = _turn(row.sender_id, row.timestamp, data, schools.get(row.sender_id))
            elif row.type_name == "slot":
                data = json.loads(row.data or "{}")
                if data.get("name") == "school" and isinstance(data.get("value"), str):
                    schools[row.sender_id] = data["value"]
                    if current is not None and current.conversation_id == row.sender_id and current.school is None:
                        current = replace(current, school=data["value"])
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
