"""A student's erasure removes exactly their conversation and ratings, and staff see only the count (SQLite and
PostgreSQL)."""
from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from assistant import cli
from assistant.db import session as db_session
from assistant.db.feedback import AnswerFeedback, Erasure
from assistant.db.session import session_scope
from assistant.server.erasure import ErasureError, conversation_to_erase, erase_conversation
from assistant.staff.conversations import EVENTS
from tests.scripted import action, user, write_conversation

NOW = datetime.now(timezone.utc) - timedelta(minutes=30)
MINE, THEIRS = "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"


def seed(engine: Engine, database_url: str) -> None:
    for sender in (MINE, THEIRS):
        write_conversation(database_url, sender, [
            action("action_listen", NOW),
            user(f"my private question {sender}", NOW, "ask_fees", language="en", school="upc-medicine"),
            action("action_answer_fees", NOW + timedelta(seconds=1)),
        ])
        with session_scope(engine) as session:
            session.add(AnswerFeedback(conversation_id=sender, rating="down", answer="An answer.",
                                       question=f"my private question {sender}", created_at=NOW.replace(tzinfo=None)))


def counts(engine: Engine, sender: str) -> tuple[int, int]:
    with engine.connect() as connection:
        events = connection.execute(select(func.count()).where(EVENTS.c.sender_id == sender)).scalar_one()
        ratings = connection.execute(
            select(func.count()).select_from(AnswerFeedback).where(AnswerFeedback.conversation_id == sender)
        ).scalar_one()
    return events, ratings


def test_erasure_removes_exactly_that_conversation(engine: Engine, database_url: str) -> None:
    seed(engine, database_url)
    before = counts(engine, THEIRS)
    result = erase_conversation(MINE, engine)
    assert (result.events > 0, result.ratings) == (True, 1)
    assert counts(engine, MINE) == (0, 0)
    assert counts(engine, THEIRS) == before
    assert erase_conversation(MINE, engine).events == 0  # twice: nothing left, and counted once
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Erasure)) == 1


def test_staff_see_the_count_of_erasures_and_nothing_of_them(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seed(engine, database_url)
    erase_conversation(MINE, engine)
    monkeypatch.setenv("DATABASE_URL", database_url)
    db_session.get_engine.cache_clear()
    try:
        result = CliRunner().invoke(cli.main, ["report", "--days", "2", "--chart", str(tmp_path / "usage.png")])
        review = CliRunner().invoke(cli.main, ["review", "--days", "2"])
    finally:
        db_session.get_engine.cache_clear()
    assert result.exit_code == 0, result.output
    assert "conversations erased by students  1" in result.output
    assert MINE not in result.output + review.output and f"my private question {MINE}" not in review.output
    assert f"my private question {THEIRS}" in review.output


@pytest.mark.parametrize(
    ("body", "status"),
    [(None, 400), ([MINE], 400), ({"sender": 42}, 400), ({"sender": ""}, 400), ({"sender": "alice"}, 403),
     ({"sender": "0123456789abcdef"}, 403), ({"sender": MINE.upper()}, 403), ({"sender": MINE + " "}, 403)],
)
def test_only_an_unguessable_widget_id_can_be_erased(body: object, status: int) -> None:
    with pytest.raises(ErasureError) as refused:
        conversation_to_erase(body)
    assert refused.value.status == status
    assert conversation_to_erase({"sender": MINE}) == MINE


def test_the_route_answers_503_when_the_database_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_feedback_and_privacy import FakeRequest, route

    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody:secret@127.0.0.1:1/nothing")
    db_session.get_engine.cache_clear()
    try:
        response = asyncio.run(route("/erase")(FakeRequest({"sender": MINE})))
    finally:
        db_session.get_engine.cache_clear()
    assert response.status == 503 and "try again later" in json.loads(response.body)["error"]


def test_the_route_erases_under_the_conversations_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message being answered holds its conversation's lock: the erasure waits for it, so that the message is
    not written back after the conversation was erased."""
    import contextlib
    from types import SimpleNamespace

    from tests.test_feedback_and_privacy import FakeRequest, route

    held: list[str] = []
    erased_while_held: list[bool] = []

    class Locks:
        @contextlib.asynccontextmanager
        async def lock(self, conversation_id: str):  # noqa: ANN202
            held.append(conversation_id)
            yield
            held.remove(conversation_id)

    def erase(conversation_id: str) -> None:
        erased_while_held.append(conversation_id in held)

    monkeypatch.setattr("assistant.server.channels.erase_conversation", erase)
    request = FakeRequest({"sender": MINE})
    request.app = SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(lock_store=Locks())))
    response = asyncio.run(route("/erase")(request))
    assert response.status == 200 and erased_while_held == [True] and held == []
