"""What the web widget sends when a student rates an answer, checked and stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from assistant.db.feedback import MAX_TEXT_LENGTH, RATINGS, AnswerFeedback, utc_now
from assistant.db.session import session_scope
from assistant.metadata import page_metadata
from assistant.text import clean_message, valid_text

MAX_SENDER_LENGTH = 200


class FeedbackError(ValueError):
    """A feedback request the widget got wrong, in plain words."""


def _optional_text(body: dict, key: str, limit: int) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise FeedbackError(f"'{key}' must be a text of at most {limit} characters, or null")
    return value


def parse_feedback(body: Any) -> AnswerFeedback:
    """The feedback in a request body, as a row to store: the question cleaned as the message was (so that it
    matches the stored message), the answer as valid text, the metadata only a known school and language.

    Raises:
        FeedbackError: the body does not follow the contract.
    """
    if not isinstance(body, dict):
        raise FeedbackError(
            'Send JSON: {"sender": "...", "rating": "up" or "down", "answer": "...", '
            '"question": "..." or null, "metadata": {"school": ..., "language": ...}}'
        )
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_LENGTH or not sender.isprintable():
        raise FeedbackError(f"'sender' must be a non-empty text of at most {MAX_SENDER_LENGTH} printable characters")
    rating = body.get("rating")
    if rating not in RATINGS:
        raise FeedbackError('\'rating\' must be "up" or "down"')
    answer = body.get("answer")
    if not isinstance(answer, str) or not answer.strip() or len(answer) > MAX_TEXT_LENGTH:
        raise FeedbackError(f"'answer' must be a non-empty text of at most {MAX_TEXT_LENGTH} characters")
    question = _optional_text(body, "question", MAX_TEXT_LENGTH)
    metadata = page_metadata(body.get("metadata"))
    return AnswerFeedback(
        conversation_id=sender,
        rating=rating,
        answer=valid_text(answer),
        question=None if question is None else clean_message(question),
        school=metadata.get("school"),
        language=metadata.get("language"),
        created_at=utc_now(),
    )


def record_feedback(feedback: AnswerFeedback, engine: Engine | None = None) -> None:
    """Store one rating (in the configured database by default)."""
    with session_scope(engine) as session:
        session.add(feedback)
