"""The judgement policy each run's verdicts were reached under, and where a live run went.

Revision ID: 0007
Revises: 0006

``runs.policy`` holds the run's ``policy`` as the JSON result writes it
(``{"unhandled_error_statuses": "warn" | "ignore" | ["404", ...]}``): the catalogue's for
``check`` and ``conform``, the default for an ad-hoc pair; null for runs that judge nothing
with one (``verify``, ``lint``) and for every run recorded before this revision, whose policy
was not recorded and cannot be recovered, so nothing is backfilled.

``runs.target`` holds a live run's ``target`` (``{"url": ..., "mock": ...}``: where ``verify``
or ``conform`` sent its traffic, credentials removed), so that a stored run reads back as it was
recorded; null for static runs. Before this revision only ``verifications`` kept the URL and
mock (revision 0005), which ``conform`` runs have no row in; those runs read back without
their target.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("policy", sa.JSON, nullable=True))
        batch.add_column(sa.Column("target", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("target")
        batch.drop_column("policy")
