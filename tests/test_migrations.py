"""Alembic migrations on SQLite and PostgreSQL."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from assistant.db.migrate import downgrade, upgrade
from assistant.db.feedback import FeedbackBase
from assistant.db.models import Base
from assistant.db.session import create_db_engine
from assistant.db.staff import StaffBase


OUR_TABLES = set(Base.metadata.tables) | set(FeedbackBase.metadata.tables) | set(StaffBase.metadata.tables)


def our_tables(database_url: str) -> set[str]:
    engine = create_db_engine(database_url, 5)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_creates_every_table_and_downgrade_removes_them(database_url: str) -> None:
    upgrade(database_url)
    assert our_tables(database_url) == OUR_TABLES
    downgrade(database_url)
    assert our_tables(database_url) == set()
    upgrade(database_url)
    assert our_tables(database_url) == OUR_TABLES


def test_models_and_migrations_agree(database_url: str) -> None:
    """A model change without its migration would make this fail."""
    upgrade(database_url)
    engine = create_db_engine(database_url, 5)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, [Base.metadata, FeedbackBase.metadata, StaffBase.metadata]) == []
    engine.dispose()
