"""Alembic migrations on SQLite and PostgreSQL."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import inspect

from assistant.db.migrate import downgrade, upgrade
from assistant.db.feedback import FeedbackBase
from assistant.db.models import Base
from assistant.db.session import create_db_engine
from assistant.db.staff import StaffBase
from assistant.staff.conversations import EVENTS_TABLE, WINDOWS


OUR_TABLES = set(Base.metadata.tables) | set(FeedbackBase.metadata.tables) | set(StaffBase.metadata.tables)
# Made by migration 0007 before any server starts (so that several starting at once do not race to make them).
CONVERSATION_TABLES = {EVENTS_TABLE, WINDOWS.name}


def our_tables(database_url: str) -> set[str]:
    engine = create_db_engine(database_url, 5)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_creates_every_table_and_downgrade_removes_all_but_the_conversations(database_url: str) -> None:
    upgrade(database_url)
    assert our_tables(database_url) == OUR_TABLES | CONVERSATION_TABLES
    downgrade(database_url)
    # Rasa's `events` are the students' conversations: erased by erasure and the purge, not by a downgrade.
    assert our_tables(database_url) == {EVENTS_TABLE}
    upgrade(database_url)
    assert our_tables(database_url) == OUR_TABLES | CONVERSATION_TABLES


def test_models_and_migrations_agree(database_url: str) -> None:
    """A model change without its migration would make this fail."""
    upgrade(database_url)
    engine = create_db_engine(database_url, 5)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        described = [Base.metadata, FeedbackBase.metadata, StaffBase.metadata, WINDOWS.metadata]
        # Rasa's own description of `events`: the migration makes the table Rasa would.
        assert compare_metadata(context, [*described, SQLTrackerStore.Base.metadata]) == []
    engine.dispose()
