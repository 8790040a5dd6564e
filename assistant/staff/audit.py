"""The append-only audit log of the staff console: who did what, when, with the old and new values."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from assistant.db.feedback import utc_now
from assistant.db.session import session_scope
from assistant.db.staff import AuditEntry

SIGN_IN, SIGN_IN_FAILED, SIGN_OUT = "sign-in", "sign-in failed", "sign-out"
EDIT, TEACH, IGNORE, STATUS = "edit", "teach", "ignore", "status"
TRAIN, PROMOTE, DISCARD, DELETE, DENIED = "train", "promote", "discard", "delete", "denied"
COLUMNS = ("at", "actor", "action", "target", "school", "old_value", "new_value", "outcome")


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(
    engine: Engine,
    actor: str,
    action: str,
    target: str | None = None,
    school: str | None = None,
    old: Any = None,
    new: Any = None,
    outcome: str = "done",
) -> None:
    """Add one entry (values that are not text are kept as JSON)."""
    with engine.begin() as connection:
        connection.execute(
            insert(AuditEntry).values(
                at=utc_now(),
                actor=actor[:80],
                action=action,
                target=target,
                school=school,
                old_value=_text(old),
                new_value=_text(new),
                outcome=outcome,
            )
        )


def entries(engine: Engine, limit: int | None = None, action: str | None = None) -> list[AuditEntry]:
    """The newest entries first."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if limit is not None:
        query = query.limit(limit)
    with session_scope(engine) as session:
        return list(session.scalars(query))


def _cell(value: Any) -> Any:
    """A value a spreadsheet will not read as a formula (a student's text may start with '=')."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def as_csv(rows: list[AuditEntry]) -> str:
    """The entries as CSV, one line each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(getattr(row, column)) for column in COLUMNS])
    return buffer.getvalue()
