"""Each round's members, recorded when the round is created or seeded, so that a save checks
membership in its own transaction. Rounds already in the database gain their members on the next
start (``Store.seed``), from their group, or from the returns they were seeded with.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "round_members",
        sa.Column("round_id", sa.String(60), sa.ForeignKey("survey_rounds.id"), primary_key=True),
        sa.Column("authority_key", sa.String(200), primary_key=True),
        sa.Column("authority", sa.String(200), nullable=False),
        sa.Column("ons_code", sa.String(9), nullable=True),
    )


def downgrade() -> None:
    raise NotImplementedError("The returns database is never downgraded: restore a backup instead.")
