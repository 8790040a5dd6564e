"""Stored text is data, never a crash: every staff tool reads odd stored text and shows it safely (SQLite, PostgreSQL).

The conversations are written as Rasa stores them (its SQL tracker store, JSON with "\\ud800" escapes), as if
they had been stored before the channel cleaned messages, plus an event that is not JSON at all.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner
from rasa.shared.nlu.training_data.loading import load_data
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from assistant import cli
from assistant.db import session as db_session
from assistant.db.feedback import AnswerFeedback
from assistant.db.session import session_scope
from assistant.staff.conversations import EVENTS, read_turns
from assistant.text import clean_message, printable
from tests.scripted import action, user, write_conversation

NOW = datetime.now(timezone.utc) - timedelta(hours=1)
LONG = ("Which partner universities do you have in Spain and Portugal? " * 80)[:5000]
ODD = {
    "surrogate": "lone \ud800 surrogate question",
    "control": "colour \x1b[31mred\x1b[0m and a bell\x07 here",
    "right-to-left": "right-to-left \u202eevil\u202c text and a mark\u200f here",
    "long": LONG,
    "emoji": "🎓🇪🇸 partners in Spain? 👩🏽‍⚕️",
}
SHOWN = {
    "surrogate": "lone \ufffd surrogate question",
    "control": "colour \\x1b[31mred\\x1b[0m and a bell\\x07 here",
    "right-to-left": "right-to-left <U+202E>evil<U+202C> text and a mark<U+200F> here",
    "long": LONG[:99] + "…",
    "emoji": "🎓🇪🇸 partners in Spain? 👩🏽‍⚕️",
}


@pytest.fixture
def odd_database(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """One conversation per odd text (each not understood), metadata no page sends, a broken event, odd ratings."""
    for index, (name, text) in enumerate(ODD.items()):
        at = NOW + timedelta(minutes=index)
        write_conversation(database_url, f"odd-{name}", [
            action("action_listen", at),
            user(text, at, "nlu_fallback", 0.2, second="ask_partners", language="de", school="harvard"),
            action("action_suggest_topics", at + timedelta(seconds=1)),
        ])
    with engine.begin() as connection:
        connection.execute(insert(EVENTS).values(
            sender_id="odd-broken", type_name="user", timestamp=NOW.timestamp(), intent_name=None, action_name=None,
            data="{not json \\ud800",
        ))
    with session_scope(engine) as session:
        for name in ("control", "right-to-left", "emoji", "long"):
            session.add(AnswerFeedback(conversation_id=f"odd-{name}", rating="down", question=ODD[name],
                                       answer="An answer \u202e with odd \x1b text", school="harvard", language="de",
                                       created_at=(NOW + timedelta(minutes=10)).replace(tzinfo=None)))
    monkeypatch.setenv("DATABASE_URL", database_url)
    db_session.get_engine.cache_clear()
    yield engine
    db_session.get_engine.cache_clear()


def run(*arguments: str) -> str:
    result = CliRunner().invoke(cli.main, list(arguments))
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    assert "Traceback" not in result.output
    return result.output


def test_conversations_are_read_with_each_odd_text_as_valid_unicode(odd_database: Engine) -> None:
    turns = {turn.conversation_id: turn for turn in read_turns(odd_database)}
    assert turns["odd-broken"].text == ""  # not JSON: a message whose text is lost, not a crash
    for name, text in ODD.items():
        turn = turns[f"odd-{name}"]
        assert turn.text.encode("utf-8")  # always encodable
        assert turn.text == text.replace("\ud800", "\ufffd")
        assert (turn.school, turn.language) == (None, None)  # "harvard" and "de" are no school and no language


def test_review_shows_every_odd_text_safely(odd_database: Engine, tmp_path: Path) -> None:
    export = tmp_path / "missed.yml"
    output = run("review", "--days", "2", "--export", str(export))
    for name, shown in SHOWN.items():
        assert shown in output, name
    assert "\x1b" not in output and "\u202e" not in output and "\ud800" not in output
    training = load_data(str(export))
    texts = {message.get("text") for message in training.intent_examples}
    assert "lone surrogate question" in texts
    assert LONG.strip() in texts  # the whole message, for staff to sort
    assert any("🎓🇪🇸" in text for text in texts)
    assert not any("\x1b" in text or "\x07" in text for text in texts)


def test_report_counts_odd_metadata_as_not_given(odd_database: Engine, tmp_path: Path) -> None:
    output = run("report", "--days", "2", "--chart", str(tmp_path / "usage.png"))
    assert "harvard" not in output and " de " not in output
    assert "not given" in output
    assert "conversations erased by students" in output


def test_purge_and_the_other_staff_commands_run_over_odd_text(odd_database: Engine) -> None:
    assert "Deleted everything" in run("purge")


@pytest.mark.parametrize("name", list(ODD))
def test_the_channel_cleans_each_odd_text_keeping_what_the_student_meant(name: str) -> None:
    cleaned = clean_message(ODD[name])
    assert cleaned.encode("utf-8")
    assert "\x1b" not in cleaned and "\x07" not in cleaned
    assert printable(cleaned)  # and a staff tool can show it
    if name == "emoji":
        assert cleaned == ODD[name]
    if name == "long":
        assert cleaned == LONG.strip()
    if name == "surrogate":
        assert cleaned == "lone surrogate question"
    # A surrogate pair sent in two halves is the emoji it was.
    assert clean_message("\ud83c\udf93 ok") == "🎓 ok"


def test_printable_keeps_lines_short_and_safe() -> None:
    assert printable("a\nb\tc\r\nd") == "a b c d"
    assert printable("x" * 300, 50) == "x" * 49 + "…"
    assert printable("\u2067isolate\u2069") == "<U+2067>isolate<U+2069>"
