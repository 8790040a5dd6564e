"""The conversation store named in endpoints.yml: Rasa loads it (not its in-memory fallback) and it keeps conversations."""
from __future__ import annotations

import asyncio
import multiprocessing
from typing import Any

import pytest
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config
from sqlalchemy import create_engine, event, inspect, text

from assistant.config import PROJECT_ROOT
from assistant.db.migrate import upgrade
from assistant.server.conversation_store import ConversationStore
from assistant.staff.conversations import WINDOWS

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


def _open_store_at_once(database_url: str, ready: Any, results: Any) -> None:
    """One of several processes opening the store on the same new database at the same moment."""
    ready.wait()
    try:
        ConversationStore(domain=Domain.empty(), host=database_url)
        results.put("opened")
    except Exception as error:  # reported to the test
        results.put(f"{type(error).__name__}: {error}"[:300])


def test_stores_opened_at_once_on_a_new_sqlite_file_all_open(tmp_path) -> None:
    """Rasa workers starting together on a database the migrations have not prepared: each finds the tables
    missing and creates them; before the fix all but the first failed ("table conversation_windows already
    exists", or "database is locked" switching the new file to the write-ahead log)."""
    context = multiprocessing.get_context("fork")
    processes, rounds = 4, 12
    for attempt in range(rounds):
        database_url = f"sqlite:///{tmp_path / f'assistant-{attempt}.db'}"
        ready, results = context.Barrier(processes), context.Queue()
        workers = [context.Process(target=_open_store_at_once, args=(database_url, ready, results)) for _ in range(processes)]
        for worker in workers:
            worker.start()
        outcomes = [results.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(timeout=60)
        assert outcomes == ["opened"] * processes, f"round {attempt}: {outcomes}"
        engine = create_engine(database_url)
        assert {"events", "conversation_windows"} <= set(inspect(engine).get_table_names())
        engine.dispose()


def test_a_table_created_by_another_process_between_the_check_and_the_creation_is_used(tmp_path) -> None:
    """The race made certain: the windows' table appears just after the store found it missing."""
    database_url = f"sqlite:///{tmp_path / 'assistant.db'}"
    other = create_engine(database_url)

    created_by_the_other: list[bool] = []

    def another_creator(target: Any, connection: Any, **_: Any) -> None:
        created_by_the_other.append(True)
        WINDOWS.create(other)

    event.listen(WINDOWS, "before_create", another_creator, once=True)
    try:
        store = ConversationStore(domain=Domain.empty(), host=database_url)
    finally:
        other.dispose()
    assert created_by_the_other == [True]
    tracker = DialogueStateTracker("student-3", slots=[])
    tracker.update(UserUttered("karolinska ?", {"name": "ask_partner", "confidence": 0.9}))
    asyncio.run(store.save(tracker))
    assert asyncio.run(store.retrieve("student-3")).latest_message.text == "karolinska ?"


def test_the_migrations_make_the_conversation_tables_before_any_server_starts(tmp_path) -> None:
    """`assistant run` upgrades the database before starting the servers: they then create no table."""
    database_url = f"sqlite:///{tmp_path / 'assistant.db'}"
    upgrade(database_url)
    created: list[str] = []

    def creating(target: Any, connection: Any, **_: Any) -> None:
        created.append(target.name)

    tables = (WINDOWS, ConversationStore.SQLEvent.__table__)
    for table in tables:
        event.listen(table, "before_create", creating)
    try:
        ConversationStore(domain=Domain.empty(), host=database_url)
    finally:
        for table in tables:
            event.remove(table, "before_create", creating)
    assert created == []
    engine = create_engine(database_url)
    try:
        assert {"events", "conversation_windows"} <= set(inspect(engine).get_table_names())
        assert [index["name"] for index in inspect(engine).get_indexes("events")] == ["ix_events_sender_id"]
    finally:
        engine.dispose()
