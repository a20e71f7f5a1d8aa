"""Runs with their pair verdicts, findings, quality scores and verifications.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = sa.String(200)


def _run_fk() -> sa.Column[int]:
    return sa.Column(
        "run_seq", sa.Integer, sa.ForeignKey("runs.seq", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("command", sa.Text, nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("started", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("duration_s", sa.Float, nullable=False),
        sa.Column("max_examples", sa.Integer),
        sa.Column("shard", sa.String(32)),
        sa.Column("tool_version", sa.String(64), nullable=False),
        sa.Column("environment", _ID),
        sa.Column("revision", sa.String(200)),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_runs_started_at", "runs", ["started_at"])
    op.create_table(
        "pair_results",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _run_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("programme", _ID, nullable=False),
        sa.Column("cluster", _ID, nullable=False),
        sa.Column("programme_version", _ID),
        sa.Column("consumer_file", sa.Text, nullable=False),
        sa.Column("consumer_version", _ID, nullable=False),
        sa.Column("consumer_sha256", sa.String(64), nullable=False),
        sa.Column("provider_file", sa.Text, nullable=False),
        sa.Column("provider_version", _ID, nullable=False),
        sa.Column("provider_sha256", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("operations", sa.JSON, nullable=False),
    )
    op.create_index(
        "ix_pair_results_latest", "pair_results", ["programme", "cluster", "kind", "started_at"]
    )
    op.create_index(
        "ix_pair_results_consumer", "pair_results", ["programme", "cluster", "consumer_sha256"]
    )
    op.create_index("ix_pair_results_run", "pair_results", ["run_seq"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _run_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("programme", _ID),
        sa.Column("cluster", _ID),
        sa.Column("operation", sa.Text),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_findings_run", "findings", ["run_seq", "programme", "cluster"])
    op.create_table(
        "quality_scores",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _run_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("breakdown", sa.JSON, nullable=False),
    )
    op.create_index("ix_quality_scores_run", "quality_scores", ["run_seq"])
    op.create_table(
        "verifications",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _run_fk(),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("cluster", _ID, nullable=False),
        sa.Column("cluster_version", _ID, nullable=False),
        sa.Column("passed", sa.Boolean, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_verifications_latest", "verifications", ["cluster", "cluster_version", "started_at"]
    )


def downgrade() -> None:
    for table in ("verifications", "quality_scores", "findings", "pair_results", "runs"):
        op.drop_table(table)
