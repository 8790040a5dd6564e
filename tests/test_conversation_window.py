"""A long conversation costs no more per message: Rasa gets its window (the latest student messages after the
state before them), and nothing of the conversation is lost or stored twice (assistant/server/conversation_window.py)."""
from __future__ import annotations

import asyncio
import json
import urllib.request
from datetime import datetime, timezone

import pytest
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.utils.endpoints import read_endpoint_config
from sqlalchemy import create_engine, text

from assistant.config import PROJECT_ROOT
from assistant.db.migrate import upgrade
from assistant.server.conversation_window import WINDOW_MESSAGES, session_messages
from assistant.staff.purge import purge
from assistant.server.erasure import erase_conversation
from tests.conftest import RunningAssistant

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))


def load_store(database_url: str, monkeypatch: pytest.MonkeyPatch) -> TrackerStore:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:1/webhook")
    return TrackerStore.create(read_endpoint_config(str(PROJECT_ROOT / "endpoints.yml"), "tracker_store"), DOMAIN)


def turn(store: TrackerStore, sender: str, number: int) -> None:
    """One message as Rasa handles it: read the conversation, add the turn's events, save."""
    tracker = asyncio.run(store.get_or_create_tracker(sender))
    tracker.update(UserUttered(f"question {number}", {"name": "ask_fees", "confidence": 0.9}, message_id=f"{number:032x}"))
    if number == 3:
        tracker.update(SlotSet("home_university", "Universität Wien"))
    if number == 5:
        tracker.update(ActiveLoop("eligibility_form"))
    tracker.update(SlotSet("programme", f"programme {number % 4}"))
    tracker.update(ActionExecuted("action_answer_fees"))
    tracker.update(BotUttered(f"answer {number}"))
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))


def stored(store: TrackerStore, sender: str, kind: str) -> list[dict]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :sender AND type_name = :kind ORDER BY id"),
            {"sender": sender, "kind": kind},
        ).scalars()
        return [json.loads(row) for row in rows]


def test_a_long_conversation_is_given_to_rasa_as_its_latest_messages_with_the_whole_state(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = load_store(database_url, monkeypatch)
    total = WINDOW_MESSAGES + 15
    for number in range(total):
        turn(store, "long-1", number)
    tracker = asyncio.run(load_store(database_url, monkeypatch).retrieve("long-1"))
    users = [event.text for event in tracker.events if isinstance(event, UserUttered)]
    assert users == [f"question {number}" for number in range(total - WINDOW_MESSAGES, total)]
    # The state set before the window is kept: a slot of message 3, the form started at message 5, the last value.
    assert tracker.get_slot("home_university") == "Universität Wien"
    assert tracker.active_loop_name == "eligibility_form"
    assert tracker.get_slot("programme") == f"programme {(total - 1) % 4}"
    assert session_messages(tracker) == total
    # Every message is in the store once, in order.
    assert [event["text"] for event in stored(store, "long-1", "user")] == [f"question {n}" for n in range(total)]
    assert len(stored(store, "long-1", "bot")) == total


def test_a_new_session_starts_a_new_window(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = load_store(database_url, monkeypatch)
    for number in range(WINDOW_MESSAGES + 5):
        turn(store, "long-2", number)
    tracker = asyncio.run(store.retrieve("long-2"))
    tracker.update(SessionStarted())
    tracker.update(SlotSet("language", "fr"))
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))
    turn(store, "long-2", 100)
    kept = asyncio.run(load_store(database_url, monkeypatch).retrieve("long-2"))
    assert [event.text for event in kept.events if isinstance(event, UserUttered)] == ["question 100"]
    assert kept.get_slot("language") == "fr" and session_messages(kept) == 1


def test_erasing_or_purging_a_conversation_removes_its_window_too(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade(database_url)
    store = load_store(database_url, monkeypatch)
    for sender in ("a" * 32, "b" * 32):
        for number in range(WINDOW_MESSAGES + 2):
            turn(store, sender, number)

    def windows() -> set[str]:
        with store.engine.connect() as connection:
            return set(connection.execute(text("SELECT sender_id FROM conversation_windows")).scalars())

    assert windows() == {"a" * 32, "b" * 32}
    erase_conversation("a" * 32, store.engine)
    assert windows() == {"b" * 32}
    purge(store.engine, retention_days=1, now=datetime(2100, 1, 1, tzinfo=timezone.utc))
    assert windows() == set()


@pytest.mark.servers
def test_a_follow_up_after_many_messages_keeps_its_subject_and_the_conversations_language(
    assistant_servers: RunningAssistant,
) -> None:
    sender, page = "f" * 32, {"school": "upc-medicine", "language": "en"}
    assistant_servers.ask_text("Quelles universités partenaires avez-vous en Espagne ?", sender=sender, metadata=page)
    for _ in range(WINDOW_MESSAGES + 3):
        assistant_servers.ask_text("merci", sender=sender, metadata=page)
    belgium = assistant_servers.ask_text("quelles universités partenaires en Belgique ?", sender=sender, metadata=page)
    sweden = assistant_servers.ask_text("et en Suède ?", sender=sender, metadata=page)
    assert "Belgique" in belgium
    assert "Suède" in sweden and "Belgique" not in sweden


@pytest.mark.servers
def test_a_retried_message_is_answered_once_with_its_first_answers(assistant_servers: RunningAssistant) -> None:
    sender, page = "e" * 32, {"school": "lille-medicine", "language": "en"}

    def send(message_id: str, retry: bool) -> list[dict]:
        body = {"sender": sender, "message": "which partner universities are in Spain?", "metadata": page,
                "message_id": message_id, "retry": retry}
        return post(assistant_servers, body)

    first = send("1" * 32, retry=False)
    again = send("1" * 32, retry=True)
    assert [reply.get("text") for reply in again] == [reply.get("text") for reply in first] and first
    lost_first = send("2" * 32, retry=True)  # a retry of a message that never arrived is handled as new
    assert "Spain" in lost_first[0]["text"]
    engine = create_engine(assistant_servers.services.settings.database_url)
    with engine.connect() as connection:
        ids = [json.loads(data).get("message_id") for data in connection.execute(
            text("SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user'"), {"sender": sender}
        ).scalars()]
    engine.dispose()
    assert ids == ["1" * 32, "2" * 32]


def post(assistant: RunningAssistant, body: dict) -> list[dict]:
    request = urllib.request.Request(
        f"{assistant.rasa_url}/webhooks/rest/webhook", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())
