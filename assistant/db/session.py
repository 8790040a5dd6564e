"""Engine and short-lived sessions for the knowledge database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from assistant.config import get_settings


def create_db_engine(database_url: str, timeout_seconds: float) -> Engine:
    """An engine whose connections give up quickly, so a student never waits on a dead database."""
    url = make_url(database_url)
    connect_args: dict[str, float | str]
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"timeout": timeout_seconds}
    elif url.get_backend_name() == "postgresql":
        milliseconds = int(timeout_seconds * 1000)
        connect_args = {
            "connect_timeout": max(1, int(timeout_seconds)),
            "options": f"-c statement_timeout={milliseconds}",
        }
    else:
        connect_args = {}
    # hide_parameters: a database error must not quote a student's question into the logs.
    return create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args)


@lru_cache(maxsize=8)
def get_engine(database_url: str | None = None) -> Engine:
    """The process-wide engine for a database URL (the configured one by default)."""
    settings = get_settings()
    return create_db_engine(database_url or settings.database_url, settings.db_timeout_seconds)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error, always close."""
    factory = sessionmaker(bind=engine or get_engine(), future=True, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
