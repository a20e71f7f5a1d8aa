"""What each verification was run against: its URL, and whether it was an interop mock.

Revision ID: 0005
Revises: 0004

``verifications.target_url`` is the base URL verified (credentials removed) and
``verifications.mock`` how an interop mock identified itself (``X-Interop-Mock``), null for a
sandbox. ``can-i-deploy`` takes only rows with a null ``mock`` as sandbox evidence. Rows
recorded before this revision have neither (their target was never recorded) and keep counting
as sandbox evidence: nothing is backfilled.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("verifications") as batch:
        batch.add_column(sa.Column("target_url", sa.String(2048), nullable=True))
        batch.add_column(sa.Column("mock", sa.String(256), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("verifications") as batch:
        batch.drop_column("mock")
        batch.drop_column("target_url")
