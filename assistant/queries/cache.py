"""Values built from the knowledge database, rebuilt by themselves after an import."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from assistant.db import models
from assistant.db.session import get_engine, session_scope

Value = TypeVar("Value")


def read_revision(session: Session) -> int:
    """The current knowledge revision (0 before the first import)."""
    revision = session.execute(select(models.KnowledgeRevision.revision)).scalar_one_or_none()
    return revision or 0


class RevisionCache(Generic[Value]):
    """A value built from the database, rebuilt when an import bumps the knowledge revision.

    The revision is checked at most once per `check_interval` seconds, so a
    busy server pays one tiny query every few seconds, not one per message.
    """

    def __init__(
        self,
        build: Callable[[Session, int], Value],
        engine: Engine | None = None,
        check_interval: float = 2.0,
    ) -> None:
        self._build = build
        self._engine = engine
        self._check_interval = check_interval
        self._value: Value | None = None
        self._revision: int | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def get(self) -> Value:
        """The value for the current revision."""
        now = time.monotonic()
        if self._value is not None and now - self._checked_at < self._check_interval:
            return self._value
        with self._lock:
            with session_scope(self._engine or get_engine()) as session:
                revision = read_revision(session)
                if self._value is None or revision != self._revision:
                    self._value = self._build(session, revision)
                    self._revision = revision
            self._checked_at = now
            return self._value
