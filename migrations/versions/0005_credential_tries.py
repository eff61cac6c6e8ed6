"""Throttling that holds under a race: every try of a credential (an access code, the coordinator
secret), by authority and source, counted before the credential is checked.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "credential_tries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("credential", sa.String(20), nullable=False),
        sa.Column("authority_key", sa.String(200), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("round_id", sa.String(60), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
    )
    op.create_index("ix_credential_tries_key", "credential_tries", ["credential", "authority_key", "at"])


def downgrade() -> None:
    raise NotImplementedError("The returns database is never downgraded: restore a backup instead.")
