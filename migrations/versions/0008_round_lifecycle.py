"""Each round's state in its life (collecting, closed, shared with members, published) and its
dates. Rounds already in the database have no row: ``models.lifecycle.default_life`` gives theirs.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    ts = sa.DateTime(timezone=True)
    op.create_table(
        "round_lifecycle",
        sa.Column("round_id", sa.String(60), sa.ForeignKey("survey_rounds.id"), primary_key=True),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("closed_at", ts, nullable=True),
        sa.Column("shared_at", ts, nullable=True),
        sa.Column("publish_on", sa.Date, nullable=True),
        sa.Column("anonymised", sa.Boolean, nullable=False),
        sa.Column("provisional", sa.Boolean, nullable=False),
        sa.Column("reopened_at", ts, nullable=True),
        sa.Column("reopen_reason", sa.String(300), nullable=True),
        sa.Column("updated_at", ts, nullable=False),
        sa.Column("updated_by", sa.String(320), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("The returns database is never downgraded: restore a backup instead.")
