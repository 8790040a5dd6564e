"""short names of programmes, for replies

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("short_name_en", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("short_name_fr", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_column("short_name_fr")
        batch_op.drop_column("short_name_en")
