"""Summary tables kept by each write: the newest verdict per contract pair, and per day.

Revision ID: 0003
Revises: 0002

With 100,000 stored pair results, "the newest check of this contract against that cluster
version" and the readiness trend must not scan them all; these tables answer in a lookup.
Existing rows are summarised here, once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ID = sa.String(200)

BACKFILL_LATEST = """
INSERT INTO pair_latest
    (kind, programme, cluster, consumer_sha256, provider_version, started_at, run_seq, position)
SELECT kind, programme, cluster, consumer_sha256, provider_version, started_at, run_seq, position
FROM (
    SELECT *, row_number() OVER (
        PARTITION BY kind, programme, cluster, consumer_sha256, provider_version
        ORDER BY started_at DESC, run_seq DESC) AS rank
    FROM pair_results) AS ranked
WHERE rank = 1
"""

BACKFILL_DAYS = """
INSERT INTO pair_days (kind, programme, cluster, day, started_at, run_seq, status)
SELECT kind, programme, cluster, day, started_at, run_seq, status
FROM (
    SELECT kind, programme, cluster, date(started_at) AS day, started_at, run_seq, status,
        row_number() OVER (
            PARTITION BY kind, programme, cluster, date(started_at)
            ORDER BY started_at DESC, run_seq DESC) AS rank
    FROM pair_results) AS ranked
WHERE rank = 1
"""


def upgrade() -> None:
    op.create_table(
        "pair_latest",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("programme", _ID, primary_key=True),
        sa.Column("cluster", _ID, primary_key=True),
        sa.Column("consumer_sha256", sa.String(64), primary_key=True),
        sa.Column("provider_version", _ID, primary_key=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("run_seq", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "pair_days",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("programme", _ID, primary_key=True),
        sa.Column("cluster", _ID, primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("run_seq", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
    )
    with op.batch_alter_table("pair_results") as batch:
        batch.drop_index("ix_pair_results_run")
        batch.create_index("ix_pair_results_run", ["run_seq", "position"])
    op.execute(BACKFILL_LATEST)
    op.execute(BACKFILL_DAYS)


def downgrade() -> None:
    with op.batch_alter_table("pair_results") as batch:
        batch.drop_index("ix_pair_results_run")
        batch.create_index("ix_pair_results_run", ["run_seq"])
    op.drop_table("pair_days")
    op.drop_table("pair_latest")
