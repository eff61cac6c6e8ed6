"""The yearly cycle: what a coordinator set when creating a round (its group, deadline, the round
carried forward from, who created it and when), keyed by round id.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "round_settings",
        sa.Column("round_id", sa.String(60), sa.ForeignKey("survey_rounds.id"), primary_key=True),
        sa.Column("group_id", sa.String(60), nullable=True),
        sa.Column("deadline", sa.Date, nullable=True),
        sa.Column("carried_from", sa.String(60), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("The returns database is never downgraded: restore a backup instead.")
