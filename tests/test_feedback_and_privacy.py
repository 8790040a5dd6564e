"""The widget's feedback and privacy routes, and no student text in the logs above debug level."""
from __future__ import annotations

import asyncio
import json
import logging
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sanic.exceptions import InvalidUsage
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from structlog.testing import capture_logs

from assistant.server.channels import GuardedRestInput, guarded
from assistant.db import session as db_session
from assistant.db.feedback import AnswerFeedback
from assistant.db.session import create_db_engine, session_scope

GOOD = {
    "sender": "conversation-1",
    "rating": "down",
    "answer": "The fee is €3,100.",
    "question": "how much is the summer school?",
    "metadata": {"school": "upc-medicine", "language": "en"},
}


class FakeRequest:
    """What the routes read of a Sanic request."""

    def __init__(self, body: Any = None, invalid_json: bool = False) -> None:
        self.body, self.invalid_json, self.args = body, invalid_json, {}

    @property
    def json(self) -> Any:
        if self.invalid_json:
            raise InvalidUsage("Failed when parsing body as json")
        return self.body


def route(uri: str):  # noqa: ANN201
    async def nothing(_: UserMessage) -> None:
        return None

    return next(r.handler for r in GuardedRestInput().blueprint(nothing)._future_routes if r.uri == uri)


@pytest.fixture
def configured_database(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    db_session.get_engine.cache_clear()
    yield engine
    db_session.get_engine.cache_clear()


def call(uri: str, request: FakeRequest) -> tuple[int, dict]:
    response = asyncio.run(route(uri)(request))
    return response.status, json.loads(response.body)


def test_a_rating_is_recorded(configured_database: Engine) -> None:
    assert call("/feedback", FakeRequest(GOOD)) == (200, {"status": "recorded"})
    assert call("/feedback", FakeRequest({**GOOD, "rating": "up", "question": None, "metadata": None}))[0] == 200
    with session_scope(configured_database) as session:
        rows = session.scalars(select(AnswerFeedback).order_by(AnswerFeedback.id)).all()
        assert [(row.conversation_id, row.rating, row.question, row.school, row.language) for row in rows] == [
            ("conversation-1", "down", "how much is the summer school?", "upc-medicine", "en"),
            ("conversation-1", "up", None, None, None),
        ]
        assert rows[0].answer == "The fee is €3,100." and rows[0].created_at is not None


@pytest.mark.parametrize(
    ("metadata", "kept"),
    [
        ({"school": "harvard", "language": "de"}, (None, None)),
        ({"school": ["lille-medicine"], "language": {"fr": 1}}, (None, None)),
        ("lille-medicine", (None, None)),
        ({"school": "lille", "language": "fr"}, (None, "fr")),  # the widget's former id: not sent any more
        ({"school": "lille-medicine", "language": "fr", "evil": "x" * 10_000}, ("lille-medicine", "fr")),
    ],
)
def test_a_ratings_metadata_keeps_only_a_known_school_and_language(
    configured_database: Engine, metadata: Any, kept: tuple
) -> None:
    question = "combien coûte l'école d'été ?\x1b[2J \U0001F393"
    assert call("/feedback", FakeRequest({**GOOD, "metadata": metadata, "question": question}))[0] == 200
    with session_scope(configured_database) as session:
        row = session.scalars(select(AnswerFeedback)).one()
        assert (row.school, row.language) == kept
        assert row.question == "combien coûte l'école d'été ?[2J \U0001F393"  # the control code dropped, the emoji kept


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (["not", "an", "object"], "Send JSON"),
        ({**GOOD, "sender": ""}, "'sender'"),
        ({**GOOD, "rating": "meh"}, "'rating' must be \"up\" or \"down\""),
        ({**GOOD, "answer": None}, "'answer'"),
        ({**GOOD, "answer": "x" * 5001}, "at most 5000"),
        ({**GOOD, "question": 42}, "'question'"),
        ({**GOOD, "sender": "bad\x00sender"}, "printable"),
    ],
)
def test_a_malformed_rating_gets_400_with_a_plain_message(body: Any, message: str) -> None:
    status, reply = call("/feedback", FakeRequest(body))
    assert status == 400
    assert message in reply["error"]


def test_a_body_that_is_not_json_gets_400() -> None:
    assert call("/feedback", FakeRequest(invalid_json=True)) == (400, {"error": "The body is not valid JSON."})


def test_a_rating_with_the_database_down_gets_503_without_the_question_in_the_logs(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody:secret@127.0.0.1:1/nothing")
    db_session.get_engine.cache_clear()
    try:
        with caplog.at_level(logging.DEBUG):
            status, reply = call("/feedback", FakeRequest(GOOD))
    finally:
        db_session.get_engine.cache_clear()
    assert status == 503
    assert "try again later" in reply["error"]
    assert GOOD["question"] not in caplog.text


def test_the_privacy_route_gives_the_retention_period(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETENTION_DAYS", "90")
    assert call("/privacy", FakeRequest()) == (200, {"retention_days": 90})


def test_a_timed_out_message_is_answered_and_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    """Rasa's REST channel logs the text of a timed-out message at error level; ours must not."""
    secret = f"my passport number is {uuid.uuid4().hex}"

    async def times_out(_: UserMessage) -> None:
        raise asyncio.CancelledError

    receive = next(r.handler for r in GuardedRestInput().blueprint(times_out)._future_routes if r.uri == "/webhook")
    with capture_logs() as structured, caplog.at_level(logging.DEBUG):
        response = asyncio.run(receive(FakeRequest({"sender": "timeout-test", "message": secret})))
    assert "international" in json.loads(response.body)[0]["text"].casefold()
    assert not [record for record in caplog.records if record.levelno > logging.DEBUG and secret in record.getMessage()]
    assert not [event for event in structured if event.get("log_level") != "debug" and secret in str(event)]


def test_a_failed_message_is_not_logged_either(caplog: pytest.LogCaptureFixture) -> None:
    secret = f"my address is {uuid.uuid4().hex}"

    async def fails(_: UserMessage) -> None:
        raise RuntimeError("the action server is down")

    output = CollectingOutputChannel()
    with caplog.at_level(logging.DEBUG):
        asyncio.run(guarded(fails)(UserMessage(secret, output, "failure-test")))
    assert output.messages
    assert not [record for record in caplog.records if record.levelno > logging.DEBUG and secret in record.getMessage()]


@pytest.mark.servers
def test_the_real_servers_record_ratings_and_log_no_student_text(assistant_servers) -> None:
    sender = uuid.uuid4().hex
    secret = f"zqxj {uuid.uuid4().hex} blorf"
    assistant_servers.ask("how much is the AI summer school?", sender=sender, metadata={"language": "en"})
    assistant_servers.ask(secret, sender=sender, metadata={"language": "en"})

    def post(path: str, body: Any) -> tuple[int, dict]:
        request = urllib.request.Request(
            f"{assistant_servers.rasa_url}/webhooks/rest/{path}",
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    assert post("feedback", {**GOOD, "sender": sender, "question": secret}) == (200, {"status": "recorded"})
    status, reply = post("feedback", {**GOOD, "rating": "sideways"})
    assert status == 400 and "rating" in reply["error"]
    assert post("privacy", None) == (200, {"retention_days": 180})

    engine = create_db_engine(assistant_servers.services.settings.database_url, 5)
    try:
        with session_scope(engine) as session:
            assert session.scalars(select(AnswerFeedback.question).where(AnswerFeedback.conversation_id == sender)).all() == [secret]
    finally:
        engine.dispose()
    for service in assistant_servers.services.services:
        assert secret not in service.log_path.read_text(errors="replace"), f"student text in {service.log_path}"


def test_a_database_error_does_not_quote_the_students_words(tmp_path: Path) -> None:
    secret = f"my name is {uuid.uuid4().hex}"
    engine = create_db_engine(f"sqlite:///{tmp_path / 'empty.db'}", 5)
    try:
        with pytest.raises(SQLAlchemyError) as raised, engine.connect() as connection:
            connection.execute(text("SELECT answer FROM no_such_table WHERE question = :question"), {"question": secret})
    finally:
        engine.dispose()
    assert secret not in str(raised.value)
