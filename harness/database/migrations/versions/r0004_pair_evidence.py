"""What each pair's verdict rests on: ``static`` (check) and/or ``live`` (conform).

Revision ID: 0004
Revises: 0003

``pair_results.evidence`` holds the pair's ``evidence`` list as the JSON result writes it.
Rows recorded before it are null, read as ``["static"]``: every verdict then came from ``check``
(schema comparison), so nothing is backfilled.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pair_results") as batch:
        batch.add_column(sa.Column("evidence", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pair_results") as batch:
        batch.drop_column("evidence")
