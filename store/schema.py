"""The tables of the returns database, and the triggers that keep two of them append-only.

``metadata`` describes schema revision ``SCHEMA_REVISION`` (``migrations/versions/``): a new,
empty database is made from it with ``create_all`` and stamped; an older one is upgraded to it.
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
    # Who saved it: a signed-in email or "access code for Kent" (None before sign-in existed).
    sa.Column("saved_by", sa.String(320), nullable=True),
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

#: Every try of a credential (an access code, the coordinator secret), for throttling
#: (``store.access``). A try is recorded, as wrong, before the credential is checked, and
#: marked right afterwards if it was; so tries racing each other are all counted.
#: (Replaces ``code_attempts``, which is kept only so that old databases still open.)
tries_table = sa.Table(
    "credential_tries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("credential", sa.String(20), nullable=False),
    sa.Column("authority_key", sa.String(200), nullable=False),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("round_id", sa.String(60), nullable=True),
    sa.Column("at", _TS, nullable=False),
    sa.Column("ok", sa.Boolean, nullable=False),
)

#: Who saved a version, and audit entries: a signed-in email (up to 320 characters) or a description.
_WHO = sa.String(320)

audit_table = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", _TS, nullable=False),
    sa.Column("who", _WHO, nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("round_id", sa.String(60), nullable=True),
    sa.Column("authority", sa.String(200), nullable=True),
    sa.Column("detail", sa.String(500), nullable=True),
)

domains_table = sa.Table(
    "authority_domains",
    metadata,
    sa.Column("domain", sa.String(253), primary_key=True),
    sa.Column("authority", sa.String(200), nullable=False),
    sa.Column("authority_key", sa.String(200), nullable=False),
    sa.Column("added_at", _TS, nullable=False),
)

coordinators_table = sa.Table(
    "coordinators",
    metadata,
    sa.Column("email", sa.String(320), primary_key=True),
    sa.Column("added_at", _TS, nullable=False),
)

#: The schema revision (``migrations/versions/``) that ``metadata`` describes. A new, empty
#: database is made with ``create_all`` and stamped with it; an older one is upgraded to it.
#: The members of each round: the authorities expected to make a return, recorded when the round
#: is created or seeded, so that a save checks membership in its own transaction.
round_members_table = sa.Table(
    "round_members",
    metadata,
    sa.Column("round_id", sa.String(60), sa.ForeignKey("survey_rounds.id"), primary_key=True),
    sa.Column("authority_key", sa.String(200), primary_key=True),
    sa.Column("authority", sa.String(200), nullable=False),
    sa.Column("ons_code", sa.String(9), nullable=True),
)

#: Each round's state (collecting, closed, shared, published) and its dates, written by each
#: step of its life (``store.lifecycle``). A round with no row has the state ``default_life`` gives.
round_lifecycle_table = sa.Table(
    "round_lifecycle",
    metadata,
    sa.Column("round_id", sa.String(60), sa.ForeignKey("survey_rounds.id"), primary_key=True),
    sa.Column("state", sa.String(12), nullable=False),
    sa.Column("closed_at", _TS, nullable=True),
    sa.Column("shared_at", _TS, nullable=True),
    sa.Column("publish_on", sa.Date, nullable=True),
    sa.Column("anonymised", sa.Boolean, nullable=False),
    sa.Column("provisional", sa.Boolean, nullable=False),
    sa.Column("reopened_at", _TS, nullable=True),
    sa.Column("reopen_reason", sa.String(300), nullable=True),
    sa.Column("updated_at", _TS, nullable=False),
    sa.Column("updated_by", sa.String(320), nullable=False),
)

SCHEMA_REVISION = "0008"
#: The first release's schema: a database with these tables and no revision is stamped with it.
BASELINE_REVISION = "0001"


def _append_only(table: sa.Table, message: str) -> None:
    """Make the database itself refuse any UPDATE or DELETE of ``table``'s rows."""
    name = table.name
    for op in ("UPDATE", "DELETE"):
        sa.event.listen(
            table,
            "after_create",
            sa.DDL(
                f"CREATE TRIGGER {name}_no_{op.lower()} BEFORE {op} ON {name} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            ).execute_if(dialect="sqlite"),
        )

    sa.event.listen(
        table,
        "after_create",
        sa.DDL(
            f"CREATE OR REPLACE FUNCTION {name}_append_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql"
        ).execute_if(dialect="postgresql"),
    )
    sa.event.listen(
        table,
        "after_create",
        sa.DDL(
            f"CREATE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}_append_only()"
        ).execute_if(dialect="postgresql"),
    )


#: What a coordinator set when creating a round (its group, deadline, the round carried forward
#: from, who created it and when), keyed by round id. A table of its own, so that older databases
#: gain it with ``create_all`` and no existing table changes. Rounds seeded from files have no row.
round_settings_table = sa.Table(
    "round_settings",
    metadata,
    sa.Column("round_id", sa.String(60), sa.ForeignKey("survey_rounds.id"), primary_key=True),
    sa.Column("group_id", sa.String(60), nullable=True),
    sa.Column("deadline", sa.Date, nullable=True),
    sa.Column("carried_from", sa.String(60), nullable=True),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
)


# Append-only, enforced by the database itself: a version row can be neither changed nor deleted.
_APPEND_ONLY = "return versions are never changed or deleted: save a new version instead"
AUDIT_APPEND_ONLY = "the audit log is never changed or deleted: entries are only ever added"
_append_only(versions_table, _APPEND_ONLY)
_append_only(audit_table, AUDIT_APPEND_ONLY)

sa.Index("ix_return_versions_key", versions_table.c.round_id, versions_table.c.authority_key)
sa.Index("ix_access_codes_key", codes_table.c.round_id, codes_table.c.authority_key)
sa.Index("ix_code_attempts_key", attempts_table.c.authority_key, attempts_table.c.at)
sa.Index("ix_credential_tries_key", tries_table.c.credential, tries_table.c.authority_key, tries_table.c.at)
sa.Index("ix_audit_log_at", audit_table.c.at)
