"""Reading what the student asked from a Rasa tracker."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker

from assistant.answers.common import Context
from assistant.queries.names import INSTITUTION, NameIndex
from assistant.queries.schools import school_of
from sqlalchemy.orm import Session


def entity_values(tracker: Tracker, entity: Text) -> List[Text]:
    """Values of an entity in the latest message, in order, each once."""
    entities: List[Dict[Text, Any]] = tracker.latest_message.get("entities") or []
    return list(dict.fromkeys(str(item["value"]) for item in entities if item.get("entity") == entity))


def page_metadata(tracker: Tracker) -> Dict[Text, Any]:
    """What the web page sent with the message (school, language)."""
    metadata = tracker.latest_message.get("metadata") or {}
    return metadata if isinstance(metadata, dict) else {}


def resolve_school(session: Session, names: NameIndex, tracker: Tracker) -> Optional[Text]:
    """The school the student means: said in the message, else set by the page, else said earlier."""
    said = entity_values(tracker, INSTITUTION)
    candidates = said or [page_metadata(tracker).get("school"), tracker.get_slot("school")]
    for candidate in candidates:
        if not candidate:
            continue
        matches = names.lookup(INSTITUTION, str(candidate), limit=1)
        institution = matches[0].value if matches else str(candidate)
        school = school_of(session, institution)
        if school:
            return school
    return None


def context_from(session: Session, names: NameIndex, tracker: Tracker) -> Context:
    """The question's context: language, school, and the things it names."""
    return Context(
        language=tracker.get_slot("language") or page_metadata(tracker).get("language") or "en",
        school=resolve_school(session, names, tracker),
        countries=entity_values(tracker, "country"),
        cities=entity_values(tracker, "city"),
        regions=entity_values(tracker, "region"),
        programmes=entity_values(tracker, "programme"),
        partners=entity_values(tracker, "partner"),
    )
