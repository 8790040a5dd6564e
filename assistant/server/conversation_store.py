"""Rasa's SQL conversation store (same `events` table, same URL), with a bounded cost and a bounded wait.

- A cost per message that does not grow with the conversation: Rasa is given the conversation's window, its
  latest student messages after the state before them (assistant/server/conversation_window.py); the window's
  checkpoint is kept in the `conversation_windows` table, updated with each message's events.
- A bounded wait: the store's database work runs in threads of its own, and a load or save that takes longer
  than DB_TIMEOUT_SECONDS (a database down or hung) fails with `ConversationStoreUnavailable`, so that the
  student gets the apology in time (assistant/server/channels.py) and the Rasa server's event loop never waits
  on the database. PostgreSQL connections are checked before use, so the store recovers by itself after a
  database restart.
- SQLite: Rasa's store opened a new connection for each unit of work and, with the default rollback journal,
  each message waited for several disk syncs (a seventh of the Rasa server's time under load, py-spy on
  2026-11-23). Here SQLite connections are pooled and write through a write-ahead log with `synchronous=NORMAL`:
  a commit survives a crash or restart of the assistant, only a power cut can lose the latest messages.
- Rows read and written with SQLAlchemy Core statements built once, not through ORM sessions and objects: the same
  statements and rows as before (Rasa's `events` columns, one insert per event for its id), at half the cost
  (1.6 instead of 3.3 ms of CPU per message in process on the held-out questions, 2026-12-07).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from assistant.config import get_settings
from assistant.server.conversation_window import Loaded, loaded_of, next_checkpoint, remember
from assistant.staff.conversations import WINDOWS, WINDOWS_TABLE

# Threads for the store's database work (PostgreSQL): more than the connections a hung database can hold, so
# that a message waits for the database, never for a thread, until its time-out.
STORE_THREADS = 32
# Tries at switching a new SQLite file to the write-ahead log, 0.05 s apart (see use_write_ahead_log).
WAL_SWITCH_ATTEMPTS = 100
T = TypeVar("T")


class ConversationStoreUnavailable(RuntimeError):
    """The conversation could not be read or written in time."""


def use_write_ahead_log(dbapi_connection: Any, _connection_record: Any) -> None:
    """Sets up a new SQLite connection: write-ahead log, one disk sync per checkpoint instead of per commit.

    The log is a property of the file, kept once set: it is switched on only when not yet on. The switch needs the
    file to itself and SQLite fails it at once ("database is locked", without waiting as for other locks) while
    another process uses a new file, as when several workers start together: it is tried again for a few seconds.
    """
    cursor = dbapi_connection.cursor()
    try:
        for attempt in range(WAL_SWITCH_ATTEMPTS):
            try:
                if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    cursor.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == WAL_SWITCH_ATTEMPTS - 1:
                    raise
                time.sleep(0.05)
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def create_windows_table(engine: Engine) -> None:
    """The windows' table, when the migrations have not made it (migration 0007 does, before any server starts).

    Several processes opening the store at once on such a database all find the table missing and create it: the
    ones that lose that race fail with "already exists" (or, on PostgreSQL, a duplicate type), which is fine as
    long as the table is there afterwards. Rasa's own `create_all` of `events` tolerates the same race.
    """
    try:
        WINDOWS.create(engine, checkfirst=True)
    except sa.exc.DBAPIError:
        if not sa.inspect(engine).has_table(WINDOWS_TABLE):
            raise


class ConversationStore(SQLTrackerStore):
    """Rasa's `SQLTrackerStore`, giving Rasa the conversation's window, within a time limit."""

    engine: Engine

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timeout_seconds = get_settings().db_timeout_seconds
        url = self.engine.url
        if self.engine.dialect.name == "sqlite":
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=QueuePool, connect_args={"check_same_thread": False})
            event.listen(self.engine, "connect", use_write_ahead_log)
        elif self.engine.dialect.name == "postgresql":
            self.engine.dispose()
            self.engine = sa.create_engine(
                url,
                pool_pre_ping=True,
                pool_size=10,
                max_overflow=20,
                pool_timeout=self.timeout_seconds,
                hide_parameters=True,
                connect_args={"connect_timeout": max(2, int(self.timeout_seconds))},
            )
        self.sessionmaker = sessionmaker(bind=self.engine)
        create_windows_table(self.engine)
        self._statements = _Statements(self.SQLEvent.__table__)
        # SQLite takes one writer at a time: threads writing at once would wait on its lock, in turns of sleeps.
        threads = 1 if self.engine.dialect.name == "sqlite" else STORE_THREADS
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="conversation-store")

    async def _in_time(self, work: Callable[[], T], what: str) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(loop.run_in_executor(self.executor, work), self.timeout_seconds)
        except asyncio.TimeoutError as error:
            raise ConversationStoreUnavailable(f"{what} took over {self.timeout_seconds:g} s") from error
        except sa.exc.SQLAlchemyError as error:
            raise ConversationStoreUnavailable(f"{what} failed: {type(error).__name__}") from error

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's window (see conversation_window.py), None for a new conversation."""
        return await self._in_time(lambda: self._load(sender_id), "reading a conversation")

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Add the events Rasa added since the tracker was read, and move the conversation's window on."""
        await self.stream_events(tracker)
        await self._in_time(lambda: self._store(tracker), "saving a conversation")

    def _load(self, sender_id: str) -> DialogueStateTracker | None:
        statements = self._statements
        with self.engine.begin() as connection:
            session_start = connection.execute(statements.session_start, {"sender_id": sender_id}).scalar()
            window = connection.execute(statements.window, {"sender_id": sender_id}).first()
            state: list[dict[str, Any]] = []
            earlier = 0
            first = session_start or 0
            if window is not None and window.first_event_id > first:
                first, state, earlier = window.first_event_id, json.loads(window.state), window.earlier_messages
            rows = connection.execute(statements.events_from, {"sender_id": sender_id, "first_id": first}).all()
        if not rows or self.domain is None:
            return None
        tracker = DialogueStateTracker.from_dict(
            sender_id, [*state, *(json.loads(row.data) for row in rows)], self.domain.slots
        )
        remember(tracker, Loaded(len(state) + len(rows), (*([None] * len(state)), *(row.id for row in rows)), earlier))
        return tracker

    def _store(self, tracker: DialogueStateTracker) -> None:
        loaded = loaded_of(tracker)
        events = list(tracker.events)
        new = events[loaded.events :] if loaded else events
        statements = self._statements
        with self.engine.begin() as connection:
            # One row at a time, as the ORM did: each new event's id is needed (the window's checkpoint).
            new_ids = [
                connection.execute(statements.insert_event, self._row(tracker.sender_id, added)).inserted_primary_key[0]
                for added in new
            ]
            ids = (*(loaded.ids if loaded else ()), *new_ids)
            earlier = loaded.earlier_messages if loaded else 0
            checkpoint = next_checkpoint(tracker.sender_id, events, ids, earlier, self.domain.slots)
            if checkpoint is not None:
                _put_checkpoint(connection, statements, tracker.sender_id, checkpoint.first_event_id, checkpoint.state_json(),
                                checkpoint.earlier_messages)  # fmt: skip
        remember(tracker, Loaded(len(events), ids, earlier))

    @staticmethod
    def _row(sender_id: str, added: Any) -> dict[str, Any]:
        """The `events` row of an event, as Rasa's store writes it."""
        data = added.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": added.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }


class _Statements:
    """The store's statements, built once (their parameters bound at each use)."""

    def __init__(self, events: sa.Table) -> None:
        sender = sa.bindparam("sender_id")
        self.session_start = sa.select(sa.func.max(events.c.id)).where(
            events.c.sender_id == sender, events.c.type_name == "session_started"
        )
        self.window = sa.select(WINDOWS).where(WINDOWS.c.sender_id == sender)
        self.events_from = (
            sa.select(events.c.id, events.c.data)
            .where(events.c.sender_id == sender, events.c.id >= sa.bindparam("first_id"))
            .order_by(events.c.id)
        )
        self.insert_event = sa.insert(events)
        self.update_window = sa.update(WINDOWS).where(WINDOWS.c.sender_id == sa.bindparam("window_of"))
        self.insert_window = sa.insert(WINDOWS)


def _put_checkpoint(
    connection: Connection, statements: _Statements, sender_id: str, first_event_id: int, state: str, earlier: int
) -> None:
    values = {"first_event_id": first_event_id, "state": state, "earlier_messages": earlier}
    updated = connection.execute(statements.update_window, {"window_of": sender_id, **values})
    if not updated.rowcount:
        connection.execute(statements.insert_window, {"sender_id": sender_id, **values})
