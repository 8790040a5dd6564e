"""The conversation store named in endpoints.yml: Rasa loads it (not its in-memory fallback) and it keeps conversations."""
from __future__ import annotations

import asyncio

import pytest
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config
from sqlalchemy import text

from assistant.config import PROJECT_ROOT
from assistant.server.conversation_store import ConversationStore

ENDPOINTS = PROJECT_ROOT / "endpoints.yml"


def load_store(database_url: str, monkeypatch: pytest.MonkeyPatch) -> TrackerStore:
    """The tracker store as `rasa run` builds it from endpoints.yml."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:1/webhook")
    return TrackerStore.create(read_endpoint_config(str(ENDPOINTS), "tracker_store"), Domain.empty())


def test_rasa_loads_our_store_and_a_new_store_finds_the_conversation(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_store(database_url, monkeypatch)
    assert isinstance(first, ConversationStore)
    tracker = DialogueStateTracker("student-1", slots=[])
    tracker.update(UserUttered("combien coûte la summer school ?", {"name": "ask_fees", "confidence": 0.9}))
    tracker.update(ActionExecuted("action_answer_fees"))
    asyncio.run(first.save(tracker))

    second = load_store(database_url, monkeypatch)
    kept = asyncio.run(second.retrieve("student-1"))
    assert kept is not None
    assert kept.latest_message.text == "combien coûte la summer school ?"
    assert kept.latest_action_name == "action_answer_fees"


def test_on_sqlite_the_store_writes_through_a_write_ahead_log(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = load_store(f"sqlite:///{tmp_path / 'assistant.db'}", monkeypatch)
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL


def test_on_sqlite_a_conversation_is_kept_by_a_store_on_the_same_file_while_the_first_is_open(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database_url = f"sqlite:///{tmp_path / 'assistant.db'}"
    writer, reader = load_store(database_url, monkeypatch), load_store(database_url, monkeypatch)
    for turn in range(3):
        tracker = asyncio.run(writer.get_or_create_tracker("student-2"))
        tracker.update(UserUttered(f"question {turn}", {"name": "ask_fees", "confidence": 0.9}))
        asyncio.run(writer.save(tracker))
        assert asyncio.run(reader.retrieve("student-2")).latest_message.text == f"question {turn}"
