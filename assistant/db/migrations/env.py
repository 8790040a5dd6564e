"""Alembic environment: the database comes from `DATABASE_URL` (see assistant.config)."""

from __future__ import annotations

from alembic import context

from assistant.db.feedback import FeedbackBase
from assistant.db.models import Base
from assistant.db.session import get_engine
from assistant.db.staff import StaffBase
from assistant.staff.conversations import WINDOWS

# Rasa's tracker store shares the database: its table is Rasa's (migration 0007 only makes it, in Rasa's schema,
# before the servers start), not described by our models.
FOREIGN_TABLES = {"events"}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and name in FOREIGN_TABLES)


def run_migrations() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    connectable = context.config.attributes.get("connection") or get_engine(url)
    if hasattr(connectable, "connect"):
        with connectable.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=[Base.metadata, FeedbackBase.metadata, StaffBase.metadata, WINDOWS.metadata],
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if connection.in_transaction():
        connection.commit()


run_migrations()
