"""Students' ratings of the assistant's answers (thumbs up or down in the web widget), and the count of erasures.

Kept apart from the knowledge models: `assistant db import/export` never touch these tables,
and `assistant purge` deletes rows older than the retention period.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeMeta, registry

from assistant.db.models import NAMING_CONVENTION

feedback_registry = registry(metadata=MetaData(naming_convention=NAMING_CONVENTION))


class FeedbackBase(metaclass=DeclarativeMeta):
    """The feedback table's declarative base, with metadata of its own (the explicit form of `declarative_base()`)."""

    __abstract__ = True
    registry = feedback_registry
    metadata = feedback_registry.metadata
    __init__ = feedback_registry.constructor


RATINGS = ("up", "down")
MAX_TEXT_LENGTH = 5000


def utc_now() -> datetime:
    """The current time in UTC, without time zone (stored as UTC on every backend)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class AnswerFeedback(FeedbackBase):
    """One rating of one answer."""

    __tablename__ = "answer_feedback"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    rating = Column(String(4), nullable=False)
    question = Column(Text)
    answer = Column(Text, nullable=False)
    school = Column(String(50))
    language = Column(String(10))
    created_at = Column(DateTime, nullable=False, default=utc_now, index=True)


class Erasure(FeedbackBase):
    """A conversation a student erased from the widget: only when, nothing of what it said or who said it."""

    __tablename__ = "erasure"
    id = Column(Integer, primary_key=True)
    erased_at = Column(DateTime, nullable=False, default=utc_now, index=True)
