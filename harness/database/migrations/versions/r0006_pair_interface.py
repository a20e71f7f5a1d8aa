"""Which interface of its programme x cluster pair each verdict is about.

Revision ID: 0006
Revises: 0005

``pair_results.interface`` is the pair's ``interface`` as the JSON result writes it: the id of one
of the cluster's event or file interfaces in the catalogue index (``events``: the programme's
AsyncAPI subscription to the cluster's events; ``payroll-costing``: its reader schema of that
file); null for a REST pair (OpenAPI), which every row recorded
before this revision is, so nothing is backfilled. ``pair_latest`` needs no column: its key
holds the consumer contract's sha256, which differs per interface.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pair_results") as batch:
        batch.add_column(sa.Column("interface", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pair_results") as batch:
        batch.drop_column("interface")
