"""How the assistant is used: conversations and messages per day, languages, schools, topics, rates, and how many
conversations students erased (the count only: nothing else of them is left)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from assistant.db.feedback import AnswerFeedback, Erasure
from assistant.db.session import session_scope
from assistant.metadata import stored_school
from assistant.staff.conversations import STAFF_TEST_PREFIX, Turn, read_turns

# Days are counted in the schools' time zone.
SCHOOL_TIME = ZoneInfo("Europe/Paris")
NOT_GIVEN = "not given"


@dataclass
class Usage:
    """Counts over a period [first_day, last_day] (days in Paris time)."""

    first_day: date
    last_day: date
    conversations_per_day: Counter = field(default_factory=Counter)
    messages_per_day: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    schools: Counter = field(default_factory=Counter)
    topics: Counter = field(default_factory=Counter)
    conversations: int = 0
    messages: int = 0
    fallback_messages: int = 0
    handoff_conversations: int = 0
    ratings: int = 0
    unhelpful_ratings: int = 0
    erasures: int = 0

    @property
    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range((self.last_day - self.first_day).days + 1)]


def period(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """The moments [start, end) of whole days in Paris time."""
    start = datetime.combine(first_day, datetime.min.time(), SCHOOL_TIME)
    end = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), SCHOOL_TIME)
    return start, end


def _school_day(moment: datetime) -> date:
    return moment.astimezone(SCHOOL_TIME).date()


def count_usage(turns: list[Turn], ratings: list[AnswerFeedback], first_day: date, last_day: date) -> Usage:
    """The usage figures of these messages and ratings."""
    usage = Usage(first_day, last_day)
    school_of: dict[str, str] = {}
    handed_off: set[str] = set()
    active: set[tuple[date, str]] = set()
    for turn in turns:
        day = _school_day(turn.time)
        usage.messages += 1
        usage.messages_per_day[day] += 1
        active.add((day, turn.conversation_id))
        usage.languages[turn.language or NOT_GIVEN] += 1
        usage.topics[turn.intent or NOT_GIVEN] += 1
        usage.fallback_messages += turn.fallback
        if turn.school or turn.conversation_id not in school_of:
            school_of[turn.conversation_id] = turn.school or school_of.get(turn.conversation_id) or NOT_GIVEN
        if turn.handoff:
            handed_off.add(turn.conversation_id)
    for day, _ in active:
        usage.conversations_per_day[day] += 1
    usage.conversations = len(school_of)
    usage.schools = Counter(school_of.values())
    usage.handoff_conversations = len(handed_off)
    usage.ratings = len(ratings)
    usage.unhelpful_ratings = sum(rating.rating == "down" for rating in ratings)
    return usage


def read_usage(
    engine: Engine, first_day: date, last_day: date, school: str | None = None, language: str | None = None
) -> Usage:
    """The usage figures of the days [first_day, last_day], from the tracker store and the ratings.

    With `school`, only the conversations of that school count; with `language`, only the messages and ratings in it.
    """
    start, end = period(first_day, last_day)
    turns = read_turns(engine, start, end)
    utc_start, utc_end = (moment.astimezone(timezone.utc).replace(tzinfo=None) for moment in (start, end))
    with session_scope(engine) as session:
        ratings = list(
            session.scalars(
                select(AnswerFeedback).where(
                    AnswerFeedback.created_at >= utc_start,
                    AnswerFeedback.created_at < utc_end,
                    ~AnswerFeedback.conversation_id.startswith(STAFF_TEST_PREFIX, autoescape=True),
                )
            )
        )
        erasures = session.scalar(
            select(func.count()).select_from(Erasure).where(Erasure.erased_at >= utc_start, Erasure.erased_at < utc_end)
        )
    if school is not None:
        schools: dict[str, str] = {}
        for turn in turns:
            if turn.school:
                schools.setdefault(turn.conversation_id, turn.school)
        turns = [turn for turn in turns if schools.get(turn.conversation_id) == school]
        ratings = [rating for rating in ratings if stored_school(rating.school) == school]
    if language is not None:
        turns = [turn for turn in turns if turn.language == language]
        ratings = [rating for rating in ratings if rating.language == language]
    usage = count_usage(turns, ratings, first_day, last_day)
    usage.erasures = erasures or 0
    return usage


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


def write_chart(usage: Usage, path: Path) -> Path:
    """A PNG line chart of conversations and messages per day."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    days = usage.days
    figure, axes = plt.subplots(figsize=(10, 4.5))
    try:
        axes.plot(days, [usage.messages_per_day[day] for day in days], marker="o", label="student messages")
        axes.plot(days, [usage.conversations_per_day[day] for day in days], marker="o", label="conversations")
        axes.set_title(f"Daily use, {usage.first_day} to {usage.last_day} (Paris time)")
        axes.set_ylabel("per day")
        axes.set_ylim(bottom=0)
        axes.grid(True, alpha=0.3)
        axes.legend()
        figure.autofmt_xdate()
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=100, bbox_inches="tight")
    finally:
        plt.close(figure)
    return path
