"""review, report and purge on scripted conversations in a real tracker store, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterator

import pytest
from click.testing import CliRunner
from rasa.shared.nlu.training_data.loading import load_data
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from assistant import cli
from assistant.staff.conversations import EVENTS
from assistant.db import session as db_session
from assistant.db.feedback import AnswerFeedback
from assistant.db.session import session_scope
from assistant.staff.purge import purge
from assistant.staff.review import export_training_data, find_missed, group_similar
from assistant.server.runner import DailyPurge
from assistant.staff.usage import read_usage
from tests.scripted import action, slot, user, write_conversation

UTC = timezone.utc
# 10:00 in Paris on 2026-11-02 to 2026-11-04 (UTC+1 in November).
DAY1, DAY2, DAY3 = (datetime(2026, 11, day, 9, 0, tzinfo=UTC) for day in (2, 3, 4))


@pytest.fixture
def configured(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Points the `assistant` command at the test database, with a retention period."""

    def configure(retention_days: str = "180") -> None:
        monkeypatch.setenv("DATABASE_URL", database_url)
        monkeypatch.setenv("RETENTION_DAYS", retention_days)
        db_session.get_engine.cache_clear()

    yield configure
    db_session.get_engine.cache_clear()


def rating(engine: Engine, conversation: str, value: str, at: datetime, question: str | None = None) -> None:
    with session_scope(engine) as session:
        session.add(AnswerFeedback(conversation_id=conversation, rating=value, question=question, answer="An answer.",
                                   school="lille", language="en", created_at=at.replace(tzinfo=None)))


@pytest.fixture
def conversations(engine: Engine, database_url: str) -> Engine:
    """Four conversations over three days (Paris time), in both languages and both schools."""
    minute = timedelta(minutes=1)
    write_conversation(database_url, "alice", [
        action("action_listen", DAY1),
        user("how much is the summer school?", DAY1, "ask_fees", language="en", school="paris-cite"),
        action("action_answer_fees", DAY1 + minute),
        user("blorp the visa thing", DAY1 + 2 * minute, "nlu_fallback", 0.2, second="ask_how_to_apply", language="en",
             school="paris-cite"),
        action("action_suggest_topics", DAY1 + 3 * minute),
    ])
    write_conversation(database_url, "bruno", [
        user("quels sont les partenaires en Espagne ?", DAY2, "ask_partners", language="fr"),
        slot("school", "lille", DAY2 + minute),
        action("action_list_partners", DAY2 + minute),
        user("je veux parler à quelqu'un", DAY2 + 2 * minute, "human_handoff", language="fr"),
        action("action_handoff", DAY2 + 3 * minute),
    ])
    write_conversation(database_url, "chloe", [
        user("what's the weather like tomorrow", DAY3, "out_of_scope", 0.95, language="en", school="lille"),
        action("action_out_of_scope", DAY3 + minute),
        user("blorp the visa thing?", DAY3 + 2 * minute, "nlu_fallback", 0.1, second="ask_how_to_apply", language="en",
             school="lille"),
        action("action_suggest_topics", DAY3 + 3 * minute),
        user("when does the clerkship start", DAY3 + 4 * minute, "ask_dates", 0.4, second="ask_duration",
             language="en", school="lille"),
        action("action_answer_dates", DAY3 + 5 * minute),
    ])
    # 23:30 in Paris on day 3 is 22:30 UTC: still day 3.
    write_conversation(database_url, "dora", [
        user("hello", DAY3.replace(hour=22, minute=30), "greet", language="en"),
        action("utter_greet", DAY3.replace(hour=22, minute=31)),
    ])
    rating(engine, "alice", "down", DAY1 + 2 * minute, question="how much is the summer school?")
    rating(engine, "bruno", "up", DAY2 + 4 * minute)
    rating(engine, "chloe", "up", DAY3 + 6 * minute)
    return engine


def test_review_lists_what_was_not_handled_well_newest_first(conversations: Engine) -> None:
    missed = find_missed(conversations, since=DAY1 - timedelta(days=1))
    assert [(m.conversation_id, m.text) for m in missed] == [
        ("chloe", "when does the clerkship start"),
        ("chloe", "blorp the visa thing?"),
        ("chloe", "what's the weather like tomorrow"),
        ("alice", "blorp the visa thing"),
        ("alice", "how much is the summer school?"),
    ]
    by_text = {m.text: m for m in missed}
    assert by_text["when does the clerkship start"].reasons == ("low confidence (0.40)",)
    assert by_text["blorp the visa thing"].reasons == ("not understood (fallback)",)
    assert by_text["blorp the visa thing"].likeliest_intent == "ask_how_to_apply"
    assert by_text["what's the weather like tomorrow"].reasons == ("out of scope",)
    assert by_text["how much is the summer school?"].reasons == ("answer marked unhelpful",)
    assert by_text["how much is the summer school?"].likeliest_intent == "ask_fees"

    groups = group_similar(missed)
    assert [len(group.messages) for group in groups] == [1, 2, 1, 1]
    assert groups[1].conversations == ["chloe", "alice"]


def test_review_export_is_training_data_rasa_reads(conversations: Engine, tmp_path: Path) -> None:
    path = tmp_path / "missed.yml"
    counts = export_training_data(find_missed(conversations), path)
    assert counts == {"ask_how_to_apply": 2, "ask_dates": 1, "out_of_scope": 1, "ask_fees": 1}
    data = load_data(str(path))
    examples = {(message.get("text"), message.get("intent")) for message in data.intent_examples}
    assert ("blorp the visa thing", "ask_how_to_apply") in examples
    assert ("how much is the summer school?", "ask_fees") in examples
    assert 'version: "3.1"' in path.read_text(encoding="utf-8")


def test_review_command_shows_groups_with_conversation_ids(conversations: Engine, configured, tmp_path: Path) -> None:
    configured()
    result = CliRunner().invoke(cli.main, ["review", "--since", "2026-11-01", "--export", str(tmp_path / "x.yml")])
    assert result.exit_code == 0, result.output
    assert "5 message(s) not handled well" in result.output
    assert '2 x  "blorp the visa thing?"' in result.output
    assert "conversation(s): chloe, alice" in result.output
    assert "Wrote 5 phrase(s) under 4 intent(s)" in result.output


def test_report_counts_the_scripted_conversations_exactly(conversations: Engine) -> None:
    usage = read_usage(conversations, date(2026, 11, 2), date(2026, 11, 4))
    assert [usage.conversations_per_day[day] for day in usage.days] == [1, 1, 2]
    assert [usage.messages_per_day[day] for day in usage.days] == [2, 2, 4]
    assert (usage.conversations, usage.messages) == (4, 8)
    assert usage.languages == {"en": 6, "fr": 2}
    assert usage.schools == {"upc-medicine": 1, "lille-medicine": 2, "not given": 1}  # former ids read as today's
    assert usage.topics["nlu_fallback"] == 2 and usage.topics["ask_fees"] == 1
    assert usage.fallback_messages == 2
    assert usage.handoff_conversations == 1
    assert (usage.ratings, usage.unhelpful_ratings) == (3, 1)

    only_day_three = read_usage(conversations, date(2026, 11, 4), date(2026, 11, 4))
    assert (only_day_three.conversations, only_day_three.messages, only_day_three.ratings) == (2, 4, 1)


def test_report_command_prints_the_table_and_writes_the_chart(conversations: Engine, configured, tmp_path: Path) -> None:
    configured()
    chart = tmp_path / "usage.png"
    result = CliRunner().invoke(cli.main, ["report", "--since", "2026-11-02", "--until", "2026-11-04", "--chart", str(chart)])
    assert result.exit_code == 0, result.output
    assert "2026-11-04                2                   4" in result.output
    assert "2 of 8 messages (25.0 %)" in result.output
    assert "1 of 4 conversations (25.0 %)" in result.output
    assert "1 of 3 rated (33.3 %)" in result.output
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_purge_deletes_exactly_what_is_older_than_the_retention(engine: Engine, database_url: str) -> None:
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    cutoff = now - timedelta(days=180)
    second = timedelta(seconds=1)
    write_conversation(database_url, "old", [user("old question", cutoff - second, "greet")])
    write_conversation(database_url, "boundary", [user("at the boundary", cutoff, "greet")])
    write_conversation(database_url, "both", [user("older", cutoff - 2 * second, "greet"),
                                              user("newer", cutoff + second, "greet")])
    rating(engine, "old", "down", cutoff - second)
    rating(engine, "boundary", "up", cutoff)

    result = purge(engine, 180, now=now)

    assert (result.events, result.conversations, result.ratings) == (2, 2, 1)
    with engine.connect() as connection:
        kept = connection.execute(select(EVENTS.c.sender_id).order_by(EVENTS.c.timestamp)).scalars().all()
        assert kept == ["boundary", "both"]
        assert connection.execute(select(func.count()).select_from(AnswerFeedback)).scalar_one() == 1
    assert purge(engine, 180, now=now).events == 0


def test_purge_command_and_the_daily_purge_of_a_running_assistant(engine: Engine, database_url: str, configured) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=31)
    write_conversation(database_url, "old", [user("old question", long_ago, "greet")])
    configured(retention_days="30")
    result = CliRunner().invoke(cli.main, ["purge"])
    assert result.exit_code == 0, result.output
    assert "Retention period: 30 days" in result.output and "1 conversation events from 1 conversation(s)" in result.output

    write_conversation(database_url, "older", [user("another old question", long_ago, "greet")])
    clock = [1000.0]
    lines: list[str] = []
    daily = DailyPurge(cli.get_settings(), progress=lines.append, clock=lambda: clock[0])
    daily.run_if_due()
    clock[0] += 23 * 3600
    write_conversation(database_url, "oldest", [user("yet another", long_ago, "greet")])
    daily.run_if_due()
    clock[0] += 3600
    daily.run_if_due()
    assert ["1 conversation events" in line for line in lines] == [True, True]


def test_a_bad_retention_period_is_a_plain_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETENTION_DAYS", "six months")
    result = CliRunner().invoke(cli.main, ["purge"])
    assert result.exit_code == 2
    assert "RETENTION_DAYS must be a whole number of at least 1" in result.output
    assert "Traceback" not in result.output
