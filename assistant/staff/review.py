"""Student messages the assistant did not handle well, grouped by similarity, and their export as training data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.engine import Engine

from assistant.db.feedback import AnswerFeedback
from assistant.db.session import session_scope
from assistant.metadata import language_code, stored_school
from assistant.staff.conversations import OUT_OF_SCOPE, Turn, is_staff_test, read_turns
from assistant.text import normalise, valid_text, valid_unicode

DEFAULT_LOW_CONFIDENCE = 0.5
# token_sort_ratio of the normalised texts at or above which two messages are grouped.
SIMILAR = 80.0


@dataclass(frozen=True)
class Missed:
    """A student message not handled well, and why."""

    conversation_id: str
    time: datetime
    text: str
    reasons: tuple[str, ...]
    likeliest_intent: str | None
    language: str | None
    school: str | None = None
    # The message's own time as stored (a datetime keeps only microseconds): with the conversation, its key.
    timestamp: float | None = None


@dataclass
class Group:
    """Similar missed messages, newest first."""

    messages: list[Missed] = field(default_factory=list)

    @property
    def newest(self) -> Missed:
        return self.messages[0]

    @property
    def conversations(self) -> list[str]:
        return list(dict.fromkeys(message.conversation_id for message in self.messages))

    @property
    def reasons(self) -> list[str]:
        return list(dict.fromkeys(reason for message in self.messages for reason in message.reasons))


def turn_problems(turn: Turn, low_confidence: float) -> list[str]:
    """Why a turn counts as not handled well (empty when it was handled well)."""
    problems = []
    if turn.fallback:
        problems.append("not understood (fallback)")
    elif turn.confidence is not None and turn.confidence < low_confidence:
        problems.append(f"low confidence ({turn.confidence:.2f})")
    if turn.intent == OUT_OF_SCOPE:
        problems.append("out of scope")
    return problems


def _unhelpful(engine: Engine, since: datetime | None, until: datetime | None) -> list[AnswerFeedback]:
    query = select(AnswerFeedback).where(AnswerFeedback.rating == "down")
    if since is not None:
        query = query.where(AnswerFeedback.created_at >= since.astimezone(timezone.utc).replace(tzinfo=None))
    if until is not None:
        query = query.where(AnswerFeedback.created_at < until.astimezone(timezone.utc).replace(tzinfo=None))
    with session_scope(engine) as session:
        return list(session.scalars(query))


def find_missed(
    engine: Engine,
    since: datetime | None = None,
    until: datetime | None = None,
    low_confidence: float = DEFAULT_LOW_CONFIDENCE,
) -> list[Missed]:
    """Fallbacks, low-confidence and out-of-scope messages, and questions whose answer was rated unhelpful."""
    turns = read_turns(engine, since, until)
    missed: dict[tuple[str, float], Missed] = {}
    for turn in turns:
        problems = turn_problems(turn, low_confidence)
        if problems:
            missed[(turn.conversation_id, turn.timestamp)] = Missed(
                turn.conversation_id,
                turn.time,
                turn.text,
                tuple(problems),
                turn.likeliest_intent,
                turn.language,
                turn.school,
                turn.timestamp,
            )
    for rating in _unhelpful(engine, since, until):
        if is_staff_test(rating.conversation_id):
            continue
        rated_at = rating.created_at.replace(tzinfo=timezone.utc)
        asked = [
            turn
            for turn in turns
            if turn.conversation_id == rating.conversation_id
            and turn.time <= rated_at
            and (rating.question is None or turn.text == rating.question)
        ]
        rated = asked[-1] if asked else None
        key = (rated.conversation_id, rated.timestamp) if rated else (rating.conversation_id, rated_at.timestamp())
        earlier = missed.get(key)
        missed[key] = Missed(
            rating.conversation_id,
            earlier.time if earlier else (rated.time if rated else rated_at),
            valid_unicode(rating.question, "\ufffd") if rating.question else (rated.text if rated else ""),
            (earlier.reasons if earlier else ()) + ("answer marked unhelpful",),
            rated.likeliest_intent if rated else None,
            language_code(rating.language) or (rated.language if rated else None),
            stored_school(rating.school) or (rated.school if rated else None),
            key[1],
        )
    return sorted((item for item in missed.values() if item.text.strip()), key=lambda item: item.time, reverse=True)


def group_similar(missed: list[Missed]) -> list[Group]:
    """Groups of similar messages, the group with the newest message first."""
    groups: list[tuple[str, Group]] = []
    for message in sorted(missed, key=lambda item: item.time, reverse=True):
        text = normalise(message.text)
        for representative, group in groups:
            if fuzz.token_sort_ratio(text, representative) >= SIMILAR:
                group.messages.append(message)
                break
        else:
            groups.append((text, Group([message])))
    return [group for _, group in groups]


def export_training_data(missed: list[Missed], path: Path) -> dict[str, int]:
    """Write the messages as Rasa training data under their likeliest intent; returns how many per intent.

    Messages with no intent guess (only possible for a rating whose question is unknown) are left out.
    """
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    seen: set[tuple[str, str]] = set()
    examples = []
    for message in sorted(missed, key=lambda item: (item.likeliest_intent or "", item.language or "", item.text)):
        # Square brackets would be read as entity annotations; control codes and invalid characters are dropped.
        text = " ".join(valid_text(message.text).replace("\ufffd", "").split()).replace("[", "(").replace("]", ")")
        if not text:
            continue
        if message.likeliest_intent is None or (message.likeliest_intent, text.casefold()) in seen:
            continue
        seen.add((message.likeliest_intent, text.casefold()))
        examples.append(Message(data={"text": text, "intent": message.likeliest_intent}))
    header = (
        "# Messages the assistant did not handle well, under the intent it found likeliest.\n"
        "# Correct each intent, then move each phrase into data/nlu/en/ or data/nlu/fr/ and run\n"
        "# `assistant nlu check` and `assistant train`.\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + TrainingData(training_examples=examples).nlu_as_yaml(), encoding="utf-8")
    counts: dict[str, int] = {}
    for example in examples:
        counts[example.get("intent")] = counts.get(example.get("intent"), 0) + 1
    return counts
