"""Scripted conversations written with Rasa's own SQL tracker store, at chosen times."""
from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url


def user(
    text: str,
    at: datetime,
    intent: str,
    confidence: float = 0.9,
    second: Optional[str] = None,
    language: Optional[str] = None,
    school: Optional[str] = None,
) -> UserUttered:
    """A student message as Rasa stores it, with the model's ranking and the page's metadata."""
    ranking = [{"name": intent, "confidence": confidence}]
    if second:
        ranking.append({"name": second, "confidence": confidence / 2})
    entities = [{"entity": "language", "value": language, "start": 0, "end": 0}] if language else []
    metadata = {key: value for key, value in (("language", language), ("school", school)) if value}
    parse_data = {"text": text, "intent": ranking[0], "intent_ranking": ranking, "entities": entities}
    return UserUttered(text, ranking[0], entities, parse_data, timestamp=at.timestamp(), metadata=metadata)


def action(name: str, at: datetime) -> ActionExecuted:
    return ActionExecuted(name, timestamp=at.timestamp())


def slot(name: str, value: str, at: datetime) -> SlotSet:
    return SlotSet(name, value, timestamp=at.timestamp())


def write_conversation(database_url: str, sender: str, events: list[Event]) -> None:
    """Store the events of one conversation in the tracker store of this database."""
    store = SQLTrackerStore(dialect=make_url(database_url).get_backend_name(), host=database_url)
    try:
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
    finally:
        store.engine.dispose()
