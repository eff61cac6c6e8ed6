"""Sign-in: email domains linked to authorities (one authority per domain), and coordinators by email.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "authority_domains",
        sa.Column("domain", sa.String(253), primary_key=True),
        sa.Column("authority", sa.String(200), nullable=False),
        sa.Column("authority_key", sa.String(200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "coordinators",
        sa.Column("email", sa.String(320), primary_key=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("The returns database is never downgraded: restore a backup instead.")
