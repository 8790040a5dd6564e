"""Rasa's SQL conversation store, with SQLite set up for a write on every message.

Rasa's store commits on every message from its event loop, and on SQLite it
opened a new connection for each unit of work; with the default rollback
journal each message waited for several disk syncs (a seventh of the Rasa
server's time under load, measured with py-spy on 2026-11-23). Here SQLite
connections are pooled and write through a write-ahead log with
`synchronous=NORMAL`: a commit survives a crash or restart of the assistant,
only a power cut can lose the latest messages. PostgreSQL is left as it is.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool


def use_write_ahead_log(dbapi_connection: Any, _connection_record: Any) -> None:
    """Sets up a new SQLite connection: write-ahead log, one disk sync per checkpoint instead of per commit."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


class ConversationStore(SQLTrackerStore):
    """Rasa's `SQLTrackerStore` (same tables, same URL), with pooled SQLite connections in write-ahead-log mode."""

    engine: Engine

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            url = self.engine.url
            self.engine.dispose()
            # Rasa's event loop is the only thread that uses these connections.
            self.engine = sa.create_engine(url, poolclass=QueuePool, connect_args={"check_same_thread": False})
            event.listen(self.engine, "connect", use_write_ahead_log)
            self.sessionmaker = sessionmaker(bind=self.engine)
