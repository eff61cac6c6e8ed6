"""The first release's schema: rounds, return versions (append-only), storage events, access codes, code tries.

A database made by the first release (with ``metadata.create_all``) has exactly
these tables and is stamped with this revision, not re-created.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
APPEND_ONLY = "return versions are never changed or deleted: save a new version instead"


def upgrade() -> None:
    op.create_table(
        "survey_rounds",
        sa.Column("id", sa.String(60), primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("is_open", sa.Boolean, nullable=False),
        sa.Column("added_at", TS, nullable=False),
    )
    op.create_table(
        "return_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("round_id", sa.String(60), sa.ForeignKey("survey_rounds.id"), nullable=False),
        sa.Column("authority", sa.String(200), nullable=False),
        sa.Column("authority_key", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("saved_at", TS, nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("based_on", sa.Integer, nullable=True),
        sa.UniqueConstraint("round_id", "authority_key", "version", name="uq_return_version"),
        sa.CheckConstraint("channel IN ('seed', 'form', 'upload')", name="ck_return_channel"),
        sa.CheckConstraint("version >= 1", name="ck_return_version_positive"),
    )
    op.create_table(
        "storage_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("round_id", sa.String(60), nullable=True),
        sa.Column("authority", sa.String(200), nullable=True),
        sa.Column("at", TS, nullable=False),
    )
    op.create_table(
        "access_codes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("round_id", sa.String(60), sa.ForeignKey("survey_rounds.id"), nullable=False),
        sa.Column("authority", sa.String(200), nullable=False),
        sa.Column("authority_key", sa.String(200), nullable=False),
        sa.Column("scheme", sa.String(60), nullable=False),
        sa.Column("salt", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(256), nullable=False),
        sa.Column("issued_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
    )
    op.create_table(
        "code_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("round_id", sa.String(60), nullable=False),
        sa.Column("authority_key", sa.String(200), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
    )
    op.create_index("ix_return_versions_key", "return_versions", ["round_id", "authority_key"])
    op.create_index("ix_access_codes_key", "access_codes", ["round_id", "authority_key"])
    op.create_index("ix_code_attempts_key", "code_attempts", ["authority_key", "at"])

    if op.get_context().dialect.name == "sqlite":
        for what in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER return_versions_no_{what.lower()} BEFORE {what} ON return_versions "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
            )
    else:
        op.execute(
            "CREATE OR REPLACE FUNCTION return_versions_append_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER return_versions_append_only BEFORE UPDATE OR DELETE ON return_versions "
            "FOR EACH ROW EXECUTE FUNCTION return_versions_append_only()"
        )


def downgrade() -> None:
    raise NotImplementedError("The returns database is never downgraded: restore a backup instead.")
