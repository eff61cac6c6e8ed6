"""Who saved each version of a return (a signed-in email, or "access code for Kent").

Earlier versions keep an empty value: nobody recorded who saved them. Adding a
column changes no row, so the append-only triggers are not involved.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("return_versions", sa.Column("saved_by", sa.String(320), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("The returns database is never downgraded: restore a backup instead.")
