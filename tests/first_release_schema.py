"""The returns database exactly as the first release created it (``metadata.create_all``).

A frozen copy of ``dashboard/storage.py``'s schema at the first release, tables,
indexes and append-only triggers, on SQLite and PostgreSQL. The migration tests
build a database with it, fill it, and upgrade it. Never change it: it is what
deployments already hold.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
_TS = sa.DateTime(timezone=True)

rounds_table = sa.Table(
    "survey_rounds",
    metadata,
    sa.Column("id", sa.String(60), primary_key=True),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("is_open", sa.Boolean, nullable=False),
    sa.Column("added_at", _TS, nullable=False),
)

versions_table = sa.Table(
    "return_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("round_id", sa.String(60), sa.ForeignKey("survey_rounds.id"), nullable=False),
    sa.Column("authority", sa.String(200), nullable=False),
    sa.Column("authority_key", sa.String(200), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("saved_at", _TS, nullable=False),
    sa.Column("channel", sa.String(10), nullable=False),
    sa.Column("submitted_by", sa.String(200), nullable=False),
    sa.Column("based_on", sa.Integer, nullable=True),
    sa.UniqueConstraint("round_id", "authority_key", "version", name="uq_return_version"),
    sa.CheckConstraint("channel IN ('seed', 'form', 'upload')", name="ck_return_channel"),
    sa.CheckConstraint("version >= 1", name="ck_return_version_positive"),
)

events_table = sa.Table(
    "storage_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("round_id", sa.String(60), nullable=True),
    sa.Column("authority", sa.String(200), nullable=True),
    sa.Column("at", _TS, nullable=False),
)

codes_table = sa.Table(
    "access_codes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("round_id", sa.String(60), sa.ForeignKey("survey_rounds.id"), nullable=False),
    sa.Column("authority", sa.String(200), nullable=False),
    sa.Column("authority_key", sa.String(200), nullable=False),
    sa.Column("scheme", sa.String(60), nullable=False),
    sa.Column("salt", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(256), nullable=False),
    sa.Column("issued_at", _TS, nullable=False),
    sa.Column("revoked_at", _TS, nullable=True),
)

attempts_table = sa.Table(
    "code_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("round_id", sa.String(60), nullable=False),
    sa.Column("authority_key", sa.String(200), nullable=False),
    sa.Column("at", _TS, nullable=False),
    sa.Column("ok", sa.Boolean, nullable=False),
)

# Append-only, enforced by the database itself: a version row can be neither changed nor deleted.
_APPEND_ONLY = "return versions are never changed or deleted: save a new version instead"
for _op in ("UPDATE", "DELETE"):
    sa.event.listen(
        versions_table,
        "after_create",
        sa.DDL(
            f"CREATE TRIGGER return_versions_no_{_op.lower()} BEFORE {_op} ON return_versions "
            f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
        ).execute_if(dialect="sqlite"),
    )
sa.event.listen(
    versions_table,
    "after_create",
    sa.DDL(
        "CREATE OR REPLACE FUNCTION return_versions_append_only() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END; $$ LANGUAGE plpgsql"
    ).execute_if(dialect="postgresql"),
)
sa.event.listen(
    versions_table,
    "after_create",
    sa.DDL(
        "CREATE TRIGGER return_versions_append_only BEFORE UPDATE OR DELETE ON return_versions "
        "FOR EACH ROW EXECUTE FUNCTION return_versions_append_only()"
    ).execute_if(dialect="postgresql"),
)

sa.Index("ix_return_versions_key", versions_table.c.round_id, versions_table.c.authority_key)
sa.Index("ix_access_codes_key", codes_table.c.round_id, codes_table.c.authority_key)
sa.Index("ix_code_attempts_key", attempts_table.c.authority_key, attempts_table.c.at)
