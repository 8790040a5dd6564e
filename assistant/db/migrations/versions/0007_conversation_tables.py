"""conversation tables: Rasa's `events` (when missing) and `conversation_windows`, created before any server starts

Several Rasa processes (RASA_WORKERS, replicas) starting at once on a database without these tables all created
them, each after checking they were missing, and all but the first failed ("table conversation_windows already
exists"). They are now made here, by the migration `assistant run`, `assistant db import` and the cluster run
before any server starts; the conversation store then finds them. `events` keeps Rasa's own schema (Rasa 3.6's
`SQLTrackerStore.SQLEvent`), and stays Rasa's to write: a database where Rasa already made it keeps it as it is.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "events" not in existing:
        op.create_table(
            "events",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("sender_id", sa.String(length=255), nullable=False),
            sa.Column("type_name", sa.String(length=255), nullable=False),
            sa.Column("timestamp", sa.Float(), nullable=True),
            sa.Column("intent_name", sa.String(length=255), nullable=True),
            sa.Column("action_name", sa.String(length=255), nullable=True),
            sa.Column("data", sa.Text(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_events_sender_id", "events", ["sender_id"])
    if "conversation_windows" not in existing:
        op.create_table(
            "conversation_windows",
            sa.Column("sender_id", sa.String(length=255), nullable=False),
            sa.Column("first_event_id", sa.Integer(), nullable=False),
            sa.Column("state", sa.Text(), nullable=False),
            sa.Column("earlier_messages", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("sender_id"),
        )


def downgrade() -> None:
    # The windows are derived from the events and go; the events are the students' conversations, erased only by
    # erasure and the retention purge, never by a schema downgrade.
    op.drop_table("conversation_windows")
