"""The returns database: every version of every return, kept for good.

One ``Store`` wraps a SQLAlchemy engine on SQLite (the default, a file in
``var/``) or PostgreSQL (``DATABASE_URL``). Rules:

* Append-only. Every save adds a row to ``return_versions`` (round, authority,
  version, the return as JSON, when, channel, the submitter's role, the
  version it was based on). A version row is never updated or deleted; the
  highest version of a (round, authority) is the current one.
* One transaction per save. If anything fails the transaction is rolled back,
  the previous version stays current, and ``StorageError`` says so.
* Optimistic concurrency. A save names the version it started from
  (``based_on``). If another save landed in between, it is refused with
  ``ConflictError``, which carries the current version and what changed. The
  unique key (round, authority, version) is the backstop under real
  concurrency; on SQLite writers take the write lock up front
  (``BEGIN IMMEDIATE``) and wait for each other (busy timeout) instead of failing.
* Round status (open or closed), access codes being issued or revoked and
  rounds being added are logged in ``storage_events``; ``data_version()``
  changes whenever a return or any of these changes.
* An unreachable or broken database raises ``StorageUnavailable`` with a
  plain message naming the database (password masked) and what to check.

* Schema revisions with Alembic (``migrations/``). ``ensure_schema()`` (called
  on first use) brings any database to ``SCHEMA_REVISION`` in place: a new one
  is made with ``create_all`` and stamped; one made by the first release is
  stamped as the baseline and upgraded; on PostgreSQL an advisory lock lets one
  process at a time do it.
* The audit log (``audit_log``, append-only like versions): each save, code,
  round, domain and coordinator change, and each refusal, with who did it
  (``who=`` or ``dashboard.audit.acting_as``). ``dashboard.audit`` reads it.

Access codes (``dashboard.access``), email domains and coordinators (for
sign-in, ``dashboard.identity``) live in the same database.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url

from dashboard.diff import Change, diff_returns
from dashboard.loading import Dataset
from models.returns import AuthorityReturn, SurveyRound

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = REPO_ROOT / "var" / "returns.db"
CHANNELS = ("seed", "form", "upload")
#: How long a writer waits for another writer on SQLite before giving up.
BUSY_TIMEOUT_SECONDS = 30
SEED_SUBMITTER = "seed"

# ---------------------------------------------------------------------------
# Errors: each message is plain English and safe to show on a page.


class StorageError(Exception):
    """Something went wrong in the returns database; the message says what, plainly."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class StorageUnavailable(StorageError):
    """The database cannot be reached or opened."""


class UnknownRoundError(StorageError):
    pass


class RoundExistsError(StorageError):
    """A round with this id exists already (perhaps created a moment ago by someone else)."""


class UnknownVersionError(StorageError):
    pass


class RoundClosedError(StorageError):
    pass


class InvalidReturnError(StorageError):
    """The return breaks a rule of the model; ``problems`` name each field."""

    def __init__(self, message: str, problems: list[Any]) -> None:
        super().__init__(message)
        self.problems = problems


class ConflictError(StorageError):
    """Another save landed after the one being saved started. Nothing was saved."""

    def __init__(
        self, message: str, *, current: AuthorityReturn, based_on: int | None, changes: list[Change]
    ) -> None:
        super().__init__(message)
        self.current = current
        self.based_on = based_on
        self.changes = changes

    @property
    def current_version(self) -> int:
        return self.current.provenance.version


# ---------------------------------------------------------------------------
# Schema


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
#: (``dashboard.access``). A try is recorded, as wrong, before the credential is checked, and
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
SCHEMA_REVISION = "0006"
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


# ---------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class SeedReport:
    rounds_added: list[str] = field(default_factory=list)
    returns_added: list[tuple[str, str]] = field(default_factory=list)
    returns_kept: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.rounds_added or self.returns_added)

    def summary(self) -> str:
        return (
            f"Seeded {len(self.rounds_added)} round(s) and {len(self.returns_added)} return(s); "
            f"{len(self.returns_kept)} return(s) already in the database were left as they are."
        )


@dataclass(frozen=True)
class VersionInfo:
    version: int
    saved_at: dt.datetime
    channel: str
    submitted_by: str
    based_on: int | None
    changes: list[Change]
    ret: AuthorityReturn
    #: Who saved it ("lead@kent.gov.uk", "access code for Kent"); None before this was recorded.
    saved_by: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "saved_at": self.saved_at.isoformat(),
            "channel": self.channel,
            "submitted_by": self.submitted_by,
            "saved_by": self.saved_by,
            "based_on": self.based_on,
            "changes": [c.as_dict() for c in self.changes],
        }


@dataclass(frozen=True)
class StatusRow:
    """One expected authority in a round: has it submitted, which version, when, how."""

    authority: str
    submitted: bool
    version: int | None
    saved_at: dt.datetime | None
    channel: str | None
    submitted_by: str | None
    has_code: bool


# ---------------------------------------------------------------------------
# Helpers


def authority_key(name: str) -> str:
    """How authorities are matched: case and spacing do not matter ('brighton  and hove')."""
    return " ".join(name.split()).casefold()


def utc(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; everything stored is UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def hhmm(value: dt.datetime) -> str:
    return utc(value).strftime("%H:%M UTC")


def default_database_url() -> str:
    """``DATABASE_URL`` if set, else the SQLite file ``var/returns.db`` (its folder made on demand)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    DEFAULT_DB_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DB_PATH}"


def normalise_url(url: str | URL) -> URL:
    """Use psycopg 3 for PostgreSQL whatever the URL says (``postgres://``, ``postgresql://``)."""
    u = make_url(url) if isinstance(url, str) else url
    if u.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
        u = u.set(drivername="postgresql+psycopg")
    return u


def mask_url(url: str | URL) -> str:
    """The URL as it may be shown: the password replaced by ***."""
    try:
        u = make_url(url) if isinstance(url, str) else url
        return u.render_as_string(hide_password=True)
    except Exception:
        return "(a database URL that could not be read)"


def _reason(exc: BaseException, password: str | None) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split()) or type(orig).__name__
    if password and len(password) >= 4:
        text = text.replace(password, "***")
    return text.rstrip(".")


def _ret_json(ret: AuthorityReturn) -> str:
    return json.dumps(ret.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)


# ---------------------------------------------------------------------------
# Who is acting, for the audit log (``dashboard.audit`` reads the log)

#: Who is acting in this thread when no ``who`` is passed: set with ``dashboard.audit.acting_as``.
ACTOR: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_actor", default=None)
#: Recorded when nobody said who was acting (never a guess).
UNKNOWN_ACTOR = "not recorded"
SEED_ACTOR = "survey_data (loaded on start)"


def actor(who: str | None = None) -> str:
    """``who`` if given, else whoever ``acting_as`` names, else "not recorded"; one line, at most 320 characters."""
    text = who if who is not None and who.strip() else ACTOR.get()
    if text is None or not text.strip():
        return UNKNOWN_ACTOR
    return " ".join(text.split())[:320]


def record_audit(
    conn: Connection,
    action: str,
    *,
    who: str | None = None,
    round_id: str | None = None,
    authority: str | None = None,
    detail: str | None = None,
) -> None:
    """Add one entry to the audit log, in the caller's transaction. Never pass a code or secret."""
    conn.execute(
        audit_table.insert().values(
            at=now_utc(),
            who=actor(who),
            action=action[:40],
            round_id=round_id,
            authority=" ".join(authority.split())[:200] if authority else None,
            detail=" ".join(detail.split())[:500] if detail else None,
        )
    )


#: Storage events that are also audit entries (the event's kind is the audit action).
AUDITED_EVENTS = ("code_issued", "code_revoked", "round_added", "round_opened", "round_closed")


# ---------------------------------------------------------------------------
# Schema revisions (Alembic, ``migrations/``)

MIGRATIONS_DIR = REPO_ROOT / "migrations"
_MIGRATION_LOCK = 0x1C0C_5E55  # a fixed key for PostgreSQL's advisory lock
_alembic_version = sa.Table(
    "alembic_version",
    sa.MetaData(),
    sa.Column("version_num", sa.String(32), nullable=False),
    sa.PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def _revision(conn: Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    rows = conn.execute(sa.select(_alembic_version.c.version_num)).scalars().all()
    return rows[0] if len(rows) == 1 else None


def _stamp(conn: Connection, revision: str) -> None:
    """Record ``revision`` as the schema's, as ``alembic stamp`` does (without reading every script)."""
    _alembic_version.create(conn, checkfirst=True)
    conn.execute(_alembic_version.delete())
    conn.execute(_alembic_version.insert().values(version_num=revision))


def alembic_config(connection: Connection | None = None) -> Any:
    """Alembic's configuration for ``migrations/``; with ``connection``, migrations run on it."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _upgrade(conn: Connection) -> None:
    """Run every migration after the database's revision, in the caller's transaction."""
    from alembic import command

    command.upgrade(alembic_config(conn), "head")


# ---------------------------------------------------------------------------
# The store


class Store:
    """Every round and every version of every return, in one database."""

    def __init__(self, url: str | URL | None = None) -> None:
        raw = url if url is not None else default_database_url()
        self._ready = False
        try:
            self.url = normalise_url(raw)
        except Exception:
            raise StorageUnavailable(
                "The database address (DATABASE_URL) could not be read. It should look like "
                "postgresql://user:password@host:5432/name or sqlite:////path/to/returns.db."
            ) from None
        self.display_url = mask_url(self.url)
        self._password = self.url.password
        try:
            self.engine = self._make_engine()
        except Exception as exc:
            raise StorageUnavailable(
                f"The returns database at {self.display_url} cannot be used: {_reason(exc, self._password)}. "
                "Check DATABASE_URL."
            ) from None
        self._write_engine = self.engine.execution_options(storage_write=True)

    # -- engine ------------------------------------------------------------

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def _make_engine(self) -> Engine:
        if self.is_sqlite:
            engine = sa.create_engine(
                self.url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS}, pool_pre_ping=False
            )
            _sqlite_transactions(engine)
            return engine
        return sa.create_engine(self.url, pool_pre_ping=True, connect_args={"connect_timeout": 10})

    def dispose(self) -> None:
        self.engine.dispose()

    def _unavailable(self, exc: BaseException, prefix: str = "") -> StorageUnavailable:
        reason = _reason(exc, self._password)
        if self.is_sqlite:
            path = self.url.database or "(in memory)"
            folder = str(Path(path).parent)
            msg = (
                f"The returns database file {path} could not be opened ({reason}). "
                f"Check that the folder {folder} exists and can be written to, "
                "or set DATABASE_URL to another database."
            )
        else:
            msg = (
                f"The returns database at {self.display_url} could not be reached ({reason}). "
                "Check that the database server is running and that DATABASE_URL "
                "(host, port, database name, user and password) is right."
            )
        return StorageUnavailable(prefix + msg)

    @contextmanager
    def _conn(self, *, write: bool = False, prefix: str = "") -> Iterator[Connection]:
        """A connection in a transaction (committed on success, rolled back on any error)."""
        self.ensure_schema(_prefix=prefix)
        engine = self._write_engine if write else self.engine
        try:
            conn = engine.connect()
        except sa.exc.DBAPIError as exc:
            raise self._unavailable(exc, prefix) from exc
        try:
            with conn.begin():
                yield conn
        finally:
            conn.close()

    @contextmanager
    def _reading(self, what: str) -> Iterator[None]:
        try:
            yield
        except StorageError:
            raise
        except sa.exc.DBAPIError as exc:
            raise StorageError(
                f"Could not read {what} from the returns database ({_reason(exc, self._password)})."
            ) from exc

    @contextmanager
    def _writing(self, what: str) -> Iterator[None]:
        try:
            yield
        except StorageError:
            raise
        except sa.exc.DBAPIError as exc:
            raise StorageError(
                f"Could not {what}: the returns database reported a problem "
                f"({_reason(exc, self._password)}). Nothing was changed."
            ) from exc

    def ensure_schema(self, *, _prefix: str = "") -> None:
        """Bring the schema to ``SCHEMA_REVISION`` (safe to call any number of times, from many processes).

        A new, empty database gets every table at once (``create_all``) and is
        stamped with the current revision. A database made by the first release
        (its tables but no revision) is stamped with the baseline and upgraded in
        place; an older revision is upgraded. Nothing stored is changed.
        """
        if self._ready:
            return
        try:
            try:
                self._migrate()
            except (sa.exc.ProgrammingError, sa.exc.IntegrityError, sa.exc.OperationalError):
                # Another process made the tables at the same moment (SQLite takes no
                # advisory lock before its first write): look again.
                self._migrate()
        except StorageError:
            raise
        except sa.exc.DBAPIError as exc:
            raise self._unavailable(exc, _prefix) from exc
        self._ready = True

    def schema_revision(self) -> str | None:
        """The database's schema revision, or None if it has none (new, or made by the first release)."""
        with self._reading("the schema revision"), self.engine.connect() as conn:
            return _revision(conn)

    def upgrade(self) -> str:
        """Bring the schema up to date now and say, plainly, what was done (``cli.py db upgrade``)."""
        with self._reading("the schema revision"), self.engine.connect() as conn:
            before = _revision(conn)
            had_tables = bool(set(sa.inspect(conn).get_table_names()) & set(metadata.tables))
        self._ready = False
        self.ensure_schema()
        where = self.display_url
        if before == SCHEMA_REVISION:
            return f"The returns database at {where} is up to date (schema revision {SCHEMA_REVISION})."
        if before is None and not had_tables:
            return f"Created the returns database at {where} (schema revision {SCHEMA_REVISION})."
        was = "the first release's schema" if before is None else f"schema revision {before}"
        return (
            f"Upgraded the returns database at {where} from {was} to revision {SCHEMA_REVISION}. "
            "Every stored return, version and access code was kept as it was."
        )

    def _migrate(self) -> None:
        # Usually the schema is current: find that out without taking any lock.
        with self.engine.connect() as conn, conn.begin():
            if _revision(conn) == SCHEMA_REVISION:
                return
        with self._write_engine.connect() as conn, conn.begin():
            if not self.is_sqlite:
                # One process at a time upgrades; the others wait here, then find it done.
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            revision = _revision(conn)
            if revision == SCHEMA_REVISION:
                return
            if revision is None:
                present = set(sa.inspect(conn).get_table_names()) & set(metadata.tables)
                if not present:
                    metadata.create_all(conn)
                    _stamp(conn, SCHEMA_REVISION)
                    return
                _stamp(conn, BASELINE_REVISION)
            from alembic.util import CommandError

            try:
                _upgrade(conn)
            except CommandError:
                raise StorageUnavailable(
                    f"The returns database at {self.display_url} has schema revision '{revision}', which "
                    "this version of the app does not know: it may have been upgraded by a newer version. "
                    "Nothing was changed. Run the newer version, or restore a backup."
                ) from None

    # -- rounds ------------------------------------------------------------

    def _round_rows(self, conn: Connection) -> dict[str, sa.Row]:
        # Oldest first: the order rounds were added (seeded, or created by a coordinator), then id.
        order = (rounds_table.c.added_at, rounds_table.c.id)
        return {r.id: r for r in conn.execute(sa.select(rounds_table).order_by(*order))}

    @staticmethod
    def _round_from_row(row: sa.Row) -> SurveyRound:
        data = json.loads(row.data)
        data["open_for_submissions"] = bool(row.is_open)
        return SurveyRound.model_validate(data)

    def rounds(self) -> list[SurveyRound]:
        """Every round, its open/closed status as the database holds it."""
        with self._reading("the rounds"), self._conn() as conn:
            return [self._round_from_row(r) for r in self._round_rows(conn).values()]

    def get_round(self, round_id: str) -> SurveyRound:
        for rnd in self.rounds():
            if rnd.id == round_id:
                return rnd
        raise self._unknown_round(round_id)

    def _unknown_round(self, round_id: str) -> UnknownRoundError:
        known = ", ".join(r.id for r in self.rounds()) or "none yet"
        return UnknownRoundError(f"There is no round '{round_id}'. Rounds: {known}.")

    def _add_round(self, conn: Connection, rnd: SurveyRound, who: str | None = None) -> bool:
        exists = conn.execute(sa.select(rounds_table.c.id).where(rounds_table.c.id == rnd.id)).first()
        if exists:
            return False
        at = now_utc()
        conn.execute(
            rounds_table.insert().values(
                id=rnd.id,
                data=json.dumps(rnd.model_dump(mode="json"), ensure_ascii=False),
                is_open=bool(rnd.open_for_submissions),
                added_at=at,
            )
        )
        self.log_event(conn, "round_added", rnd.id, None, who=who)
        return True

    def add_round(self, rnd: SurveyRound, *, who: str | None = None) -> bool:
        """Add a round if it is not there yet (an existing round is left exactly as it is)."""
        try:
            with self._conn(write=True) as conn:
                return self._add_round(conn, rnd, who)
        except sa.exc.IntegrityError:
            return False

    def create_round(
        self,
        rnd: SurveyRound,
        *,
        group_id: str | None,
        deadline: dt.date | None,
        carried_from: str | None,
        created_by: str,
    ) -> SurveyRound:
        """Add a new round and its settings in one transaction; ``RoundExistsError`` if the id is taken.

        Two coordinators creating the same round at the same moment: the primary key lets one
        insert win; the other gets ``RoundExistsError`` and nothing of theirs is kept.
        """
        taken = RoundExistsError(
            f"Round id: there is already a round '{rnd.id}'. Choose another id; nothing was created."
        )
        try:
            with self._conn(write=True) as conn:
                if not self._add_round(conn, rnd):
                    raise taken
                conn.execute(
                    round_settings_table.insert().values(
                        round_id=rnd.id,
                        group_id=group_id,
                        deadline=deadline,
                        carried_from=carried_from,
                        created_at=now_utc(),
                        created_by=submitter_role(created_by) or "coordinator",
                    )
                )
        except StorageError:
            raise
        except sa.exc.IntegrityError:
            raise taken from None
        except sa.exc.DBAPIError as exc:
            raise StorageError(
                f"The round '{rnd.id}' was not created: the database reported a problem "
                f"({_reason(exc, self._password)}). Nothing was changed."
            ) from exc
        return self.get_round(rnd.id)

    def round_settings(self) -> dict[str, dict[str, Any]]:
        """The settings of every round created in the app or with ``round create``, by round id."""
        t = round_settings_table
        with self._reading("the rounds' settings"), self._conn() as conn:
            rows = list(conn.execute(sa.select(t)))
        return {
            r.round_id: {
                "group": r.group_id,
                "deadline": r.deadline,
                "carried_from": r.carried_from,
                "created_at": utc(r.created_at),
                "created_by": r.created_by,
            }
            for r in rows
        }

    def set_round_open(self, round_id: str, is_open: bool, *, who: str | None = None) -> None:
        """Open or close a round for submissions (``who``: for the audit log)."""
        try:
            with self._conn(write=True) as conn:
                found = conn.execute(
                    rounds_table.update().where(rounds_table.c.id == round_id).values(is_open=bool(is_open))
                ).rowcount
                if not found:
                    raise self._unknown_round(round_id)
                self.log_event(conn, "round_opened" if is_open else "round_closed", round_id, None, who=who)
        except StorageError:
            raise
        except sa.exc.DBAPIError as exc:
            raise StorageError(
                f"The round '{round_id}' was not {'opened' if is_open else 'closed'}: the database "
                f"reported a problem ({_reason(exc, self._password)}). Its status is unchanged."
            ) from exc

    def round_is_open(self, round_id: str) -> bool:
        return bool(self.get_round(round_id).open_for_submissions)

    # -- authorities ---------------------------------------------------------

    def authorities(self, round_id: str | None = None) -> list[str]:
        """Every authority with a return or an access code (in ``round_id`` if given), by name."""
        names: dict[str, str] = {}
        with self._reading("the authorities"), self._conn() as conn:
            for table in (versions_table, codes_table):
                q = sa.select(table.c.authority_key, table.c.authority).order_by(table.c.id)
                if round_id is not None:
                    q = q.where(table.c.round_id == round_id)
                for key, name in conn.execute(q):
                    names[key] = name  # the latest spelling wins
        return sorted(names.values(), key=authority_key)

    def resolve_authority(self, name: str, round_id: str | None = None) -> str | None:
        """The stored name of an authority, matched without regard to case or spacing."""
        key = authority_key(name)
        for known in self.authorities(round_id):
            if authority_key(known) == key:
                return known
        return None

    # -- sign-in: email domains and coordinators ------------------------------

    def domains(self) -> list[tuple[str, str]]:
        """Every (domain, authority) pair, by domain."""
        d = domains_table
        with self._reading("the email domains"), self._conn() as conn:
            return [(r.domain, r.authority) for r in conn.execute(sa.select(d).order_by(d.c.domain))]

    def authority_for_domain(self, domain: str) -> str | None:
        """The authority an email domain belongs to, or None (also for anything that is not a domain)."""
        try:
            domain = normalise_domain(domain)
        except InvalidInputError:
            return None
        d = domains_table
        with self._reading("the email domains"), self._conn() as conn:
            return conn.execute(sa.select(d.c.authority).where(d.c.domain == domain)).scalar()

    def add_domain(self, domain: str, authority: str, *, who: str | None = None) -> bool:
        """Link an email domain to an authority. False if it already was; refused if it is another's."""
        domain = normalise_domain(domain)
        name = " ".join(authority.split())
        if len(name) < 2:
            raise InvalidInputError("Authority: give the authority's name, for example 'Kent'.")
        d = domains_table
        with self._writing(f"add the domain {domain}"), self._conn(write=True) as conn:
            row = conn.execute(sa.select(d).where(d.c.domain == domain)).first()
            if row is not None:
                if row.authority_key == authority_key(name):
                    return False
                raise InvalidInputError(
                    f"Domain: {domain} already belongs to {row.authority}; a domain belongs to one "
                    f"authority only. Remove it first (domain remove {domain}) if it has moved."
                )
            conn.execute(
                d.insert().values(
                    domain=domain, authority=name, authority_key=authority_key(name), added_at=now_utc()
                )
            )
            record_audit(conn, "domain_added", who=who, authority=name, detail=domain)
        return True

    def remove_domain(self, domain: str, *, who: str | None = None) -> str | None:
        """Unlink an email domain; the authority it belonged to, or None if it was not linked."""
        domain = normalise_domain(domain)
        d = domains_table
        with self._writing(f"remove the domain {domain}"), self._conn(write=True) as conn:
            authority = conn.execute(sa.select(d.c.authority).where(d.c.domain == domain)).scalar()
            if authority is None:
                return None
            conn.execute(d.delete().where(d.c.domain == domain))
            record_audit(conn, "domain_removed", who=who, authority=authority, detail=domain)
        return authority

    def coordinators(self) -> list[str]:
        """Every coordinator's email address, sorted."""
        c = coordinators_table
        with self._reading("the coordinators"), self._conn() as conn:
            return list(conn.execute(sa.select(c.c.email).order_by(c.c.email)).scalars())

    def is_coordinator(self, email: str) -> bool:
        try:
            email = normalise_email(email)
        except InvalidInputError:
            return False
        c = coordinators_table
        with self._reading("the coordinators"), self._conn() as conn:
            return conn.execute(sa.select(c.c.email).where(c.c.email == email)).first() is not None

    def add_coordinator(self, email: str, *, who: str | None = None) -> bool:
        """Name a coordinator by email. False if they already were one."""
        email = normalise_email(email)
        c = coordinators_table
        with self._writing(f"add the coordinator {email}"), self._conn(write=True) as conn:
            if conn.execute(sa.select(c.c.email).where(c.c.email == email)).first() is not None:
                return False
            conn.execute(c.insert().values(email=email, added_at=now_utc()))
            record_audit(conn, "coordinator_added", who=who, detail=email)
        return True

    def remove_coordinator(self, email: str, *, who: str | None = None) -> bool:
        """Stop an email being a coordinator. False if it was not one."""
        email = normalise_email(email)
        c = coordinators_table
        with self._writing(f"remove the coordinator {email}"), self._conn(write=True) as conn:
            gone = conn.execute(c.delete().where(c.c.email == email)).rowcount
            if gone:
                record_audit(conn, "coordinator_removed", who=who, detail=email)
        return bool(gone)

    def record(
        self,
        action: str,
        *,
        who: str | None = None,
        round_id: str | None = None,
        authority: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Add one entry to the audit log in its own transaction (for refusals: nothing else changes)."""
        with self._writing("write to the audit log"), self._conn(write=True) as conn:
            record_audit(conn, action, who=who, round_id=round_id, authority=authority, detail=detail)

    # -- reading returns ---------------------------------------------------

    def _return_from_row(self, row: sa.Row) -> AuthorityReturn:
        try:
            data = json.loads(row.data)
            prov = dict(data.get("provenance") or {})
            prov.update(
                version=row.version,
                channel=row.channel,
                submitted_at=utc(row.saved_at).isoformat(),
                submitted_by=row.submitted_by,
            )
            prov.setdefault("source", row.channel)
            data["provenance"] = prov
            return AuthorityReturn.model_validate(data)
        except (ValueError, ValidationError) as exc:
            raise StorageError(
                f"Version {row.version} of {row.authority}'s return in round '{row.round_id}' could not "
                f"be read back ({exc.__class__.__name__}). The stored data needs checking."
            ) from exc

    def _latest_rows(self, conn: Connection, round_id: str | None, key: str | None = None) -> list[sa.Row]:
        v = versions_table
        latest = sa.select(
            v.c.round_id, v.c.authority_key, sa.func.max(v.c.version).label("version")
        ).group_by(v.c.round_id, v.c.authority_key)
        if round_id is not None:
            latest = latest.where(v.c.round_id == round_id)
        if key is not None:
            latest = latest.where(v.c.authority_key == key)
        latest = latest.subquery()
        q = (
            sa.select(v)
            .join(
                latest,
                sa.and_(
                    v.c.round_id == latest.c.round_id,
                    v.c.authority_key == latest.c.authority_key,
                    v.c.version == latest.c.version,
                ),
            )
            .order_by(v.c.round_id, v.c.authority_key)
        )
        return list(conn.execute(q))

    def current_returns(self, round_id: str | None = None) -> list[AuthorityReturn]:
        """The current (latest) version of every return, in ``round_id`` or in every round."""
        with self._reading("the returns"), self._conn() as conn:
            rows = self._latest_rows(conn, round_id)
        return [self._return_from_row(r) for r in rows]

    def dataset(self) -> Dataset:
        """Every round and the current version of every return, shaped like ``load_survey_data``'s."""
        return Dataset(rounds={r.id: r for r in self.rounds()}, returns=self.current_returns())

    def current(self, round_id: str, authority: str) -> AuthorityReturn | None:
        """The current version of one authority's return, or None if it has none."""
        with self._reading("the return"), self._conn() as conn:
            rows = self._latest_rows(conn, round_id, authority_key(authority))
        return self._return_from_row(rows[0]) if rows else None

    def current_version(self, round_id: str, authority: str) -> int | None:
        with self._reading("the return"), self._conn() as conn:
            return self._max_version(conn, round_id, authority_key(authority))

    def _version_rows(self, conn: Connection, round_id: str, key: str) -> list[sa.Row]:
        v = versions_table
        q = sa.select(v).where(v.c.round_id == round_id, v.c.authority_key == key).order_by(v.c.version)
        return list(conn.execute(q))

    def version(self, round_id: str, authority: str, n: int) -> AuthorityReturn:
        """Version ``n`` of one authority's return."""
        v = versions_table
        with self._reading("the return"), self._conn() as conn:
            row = conn.execute(
                sa.select(v).where(
                    v.c.round_id == round_id, v.c.authority_key == authority_key(authority), v.c.version == n
                )
            ).first()
        if row is None:
            raise UnknownVersionError(f"{authority}'s return in round '{round_id}' has no version {n}.")
        return self._return_from_row(row)

    def history(self, round_id: str, authority: str) -> list[VersionInfo]:
        """Every version of one return, oldest first, each with what changed from the one before."""
        with self._reading("the history"), self._conn() as conn:
            rows = self._version_rows(conn, round_id, authority_key(authority))
        out: list[VersionInfo] = []
        previous: AuthorityReturn | None = None
        for row in rows:
            ret = self._return_from_row(row)
            out.append(
                VersionInfo(
                    version=row.version,
                    saved_at=utc(row.saved_at),
                    channel=row.channel,
                    submitted_by=row.submitted_by,
                    based_on=row.based_on,
                    changes=diff_returns(previous, ret) if previous is not None else [],
                    ret=ret,
                    saved_by=row.saved_by,
                )
            )
            previous = ret
        return out

    def data_version(self) -> str:
        """Changes whenever any return is saved or a round, code or status changes.

        Both tables only ever grow, so their row counts are enough; counts (not the
        highest id) because on PostgreSQL ids are handed out before commit, not in
        commit order.
        """
        count = sa.func.count()
        with self._reading("the data version"), self._conn() as conn:
            v = conn.execute(sa.select(count).select_from(versions_table)).scalar()
            e = conn.execute(sa.select(count).select_from(events_table)).scalar()
        return f"{v}.{e}"

    def round_status(self, round_id: str) -> list[StatusRow]:
        """Each expected authority (a code issued, or any version) with its latest version, if any."""
        self.get_round(round_id)
        c = codes_table
        with self._reading("the round's status"), self._conn() as conn:
            latest = {r.authority_key: r for r in self._latest_rows(conn, round_id)}
            codes: dict[str, sa.Row] = {}
            for row in conn.execute(sa.select(c).where(c.c.round_id == round_id).order_by(c.c.id)):
                codes[row.authority_key] = row
        keys = sorted(set(latest) | set(codes))
        rows = []
        for key in keys:
            ver = latest.get(key)
            code = codes.get(key)
            rows.append(
                StatusRow(
                    authority=ver.authority if ver is not None else code.authority,
                    submitted=ver is not None,
                    version=ver.version if ver is not None else None,
                    saved_at=utc(ver.saved_at) if ver is not None else None,
                    channel=ver.channel if ver is not None else None,
                    submitted_by=ver.submitted_by if ver is not None else None,
                    has_code=code is not None and code.revoked_at is None,
                )
            )
        return rows

    # -- writing returns ---------------------------------------------------

    @staticmethod
    def _max_version(conn: Connection, round_id: str, key: str) -> int | None:
        v = versions_table
        return conn.execute(
            sa.select(sa.func.max(v.c.version)).where(v.c.round_id == round_id, v.c.authority_key == key)
        ).scalar()

    def _lock_round(self, conn: Connection, round_id: str) -> sa.Row | None:
        """The round's row; on PostgreSQL locked so saves to a round (and closing it) queue up."""
        q = sa.select(rounds_table).where(rounds_table.c.id == round_id)
        if not self.is_sqlite:
            q = q.with_for_update()
        return conn.execute(q).first()

    def _conflict(self, round_id: str, key: str, based_on: int | None) -> ConflictError:
        """Read the current version (in a fresh transaction) and describe the conflict."""
        with self._reading("the current version"), self._conn() as conn:
            rows = self._version_rows(conn, round_id, key)
        if not rows:
            raise StorageError(
                f"Version {based_on} of this return does not exist in the database, so the changes "
                "cannot be saved on top of it. Nothing was saved."
            )
        cur_row = rows[-1]
        current = self._return_from_row(cur_row)
        base_row = next((r for r in rows if r.version == based_on), None)
        base = self._return_from_row(base_row) if base_row is not None else None
        when = hhmm(cur_row.saved_at)
        message = (
            f"Someone else saved version {cur_row.version} of {cur_row.authority}'s return at {when} "
            "after you started. Your answers have not been saved; review what changed and save again."
        )
        return ConflictError(message, current=current, based_on=based_on, changes=diff_returns(base, current))

    def save(
        self,
        ret: AuthorityReturn,
        *,
        based_on: int | None,
        channel: str,
        submitted_by: str,
        who: str | None = None,
    ) -> AuthorityReturn:
        """Save ``ret`` as a new version on top of version ``based_on`` (None for a first return).

        ``submitted_by`` is the submitter's role ("Service manager"); ``who`` is the
        person or means ("lead@kent.gov.uk", "access code for Kent"), kept with the
        version and in the audit log, never in the return itself (default: whoever
        ``dashboard.audit.acting_as`` names).

        Returns the return as saved (with its new version number). Raises
        ``ConflictError`` if the current version is no longer ``based_on``,
        ``RoundClosedError``, ``UnknownRoundError``, or ``StorageError`` (nothing saved).
        """
        if channel not in CHANNELS:
            raise StorageError(f"'{channel}' is not a way of saving a return ({', '.join(CHANNELS)}).")
        if not submitted_by or not submitted_by.strip():
            raise StorageError("Say who is saving the return (their role).")
        from dashboard.rounds import check_member  # a created round takes returns from its group only

        try:
            check_member(self, ret.round, ret.authority)
        except StorageUnavailable as exc:
            raise StorageUnavailable(f"Your return was not saved. {exc.message}") from None
        return self._save(ret, based_on=based_on, channel=channel, submitted_by=submitted_by.strip(), who=who)

    def _save(
        self,
        ret: AuthorityReturn,
        *,
        based_on: int | None,
        channel: str,
        submitted_by: str,
        who: str | None = None,
        seeding: bool = False,
    ) -> AuthorityReturn:
        submitted_by = submitter_role(submitted_by)
        who = actor(who)
        round_id = ret.round
        key = authority_key(ret.authority)
        not_saved = "Your return was not saved. "
        # Check the return reads back before touching the database.
        _with_provenance(ret, (based_on or 0) + 1, channel, now_utc(), submitted_by)
        conflict = False
        try:
            with self._conn(write=True, prefix=not_saved) as conn:
                rnd = self._lock_round(conn, round_id)
                if rnd is None:
                    raise UnknownRoundError(
                        f"There is no round '{round_id}' in the database, so the return was not saved."
                    )
                if not rnd.is_open and not seeding:
                    title = json.loads(rnd.data).get("title", round_id)
                    raise RoundClosedError(
                        f"The round '{title}' is closed, so returns cannot be submitted or amended. "
                        "Your answers have not been saved. Ask the coordinator to reopen the round."
                    )
                current = self._max_version(conn, round_id, key)
                if current != based_on:
                    conflict = True
                    raise _Conflict()
                new_version = (current or 0) + 1
                saved_at = now_utc()
                saved = _with_provenance(ret, new_version, channel, saved_at, submitted_by)
                conn.execute(
                    versions_table.insert().values(
                        round_id=round_id,
                        authority=ret.authority,
                        authority_key=key,
                        version=new_version,
                        data=_ret_json(saved),
                        saved_at=saved_at,
                        channel=channel,
                        submitted_by=submitted_by,
                        based_on=based_on,
                        saved_by=who,
                    )
                )
                record_audit(
                    conn,
                    "return_saved",
                    who=who,
                    round_id=round_id,
                    authority=ret.authority,
                    detail=f"version {new_version} ({channel})",
                )
        except _Conflict:
            pass
        except sa.exc.IntegrityError:
            # Another process inserted the same version number first: the unique key refused ours.
            conflict = True
        except StorageError:
            raise
        except Exception as exc:
            raise StorageError(
                f"{not_saved}The database reported a problem while saving "
                f"({_reason(exc, self._password)}). "
                + (
                    f"Version {based_on} is still the current version."
                    if based_on is not None
                    else "The return still has no saved version."
                )
                + " Try again in a moment."
            ) from exc
        if conflict:
            raise self._conflict(round_id, key, based_on)
        return saved

    # -- seeding -----------------------------------------------------------

    def seed(self, dataset: Dataset) -> SeedReport:
        """Add the rounds and returns of a data set that the database does not have yet.

        A round already present keeps its open/closed status. A return is added
        as version 1 (channel "seed") only if that authority has no version in
        that round yet, so seeding twice changes nothing and never overwrites a
        newer version.
        """
        rounds_added: list[str] = []
        added: list[tuple[str, str]] = []
        kept: list[tuple[str, str]] = []
        for rnd in dataset.rounds.values():
            if self.add_round(rnd, who=SEED_ACTOR):
                rounds_added.append(rnd.id)
        with self._reading("the returns"), self._conn() as conn:
            existing = {
                (r.round_id, r.authority_key)
                for r in conn.execute(sa.select(versions_table.c.round_id, versions_table.c.authority_key))
            }
        for ret in dataset.returns:
            if (ret.round, authority_key(ret.authority)) in existing:
                kept.append(ret.key)
                continue
            submitter = ret.provenance.submitted_by or SEED_SUBMITTER
            try:
                self._save(
                    ret, based_on=None, channel="seed", submitted_by=submitter, who=SEED_ACTOR, seeding=True
                )
                added.append(ret.key)
            except ConflictError:
                kept.append(ret.key)
        return SeedReport(rounds_added=rounds_added, returns_added=added, returns_kept=kept)

    # -- events (used by dashboard.access) ---------------------------------

    @staticmethod
    def log_event(
        conn: Connection, kind: str, round_id: str | None, authority: str | None, *, who: str | None = None
    ) -> None:
        """Note a change for ``data_version()``; codes issued or revoked and rounds also go in the audit log."""
        conn.execute(
            events_table.insert().values(kind=kind, round_id=round_id, authority=authority, at=now_utc())
        )
        if kind in AUDITED_EVENTS:
            record_audit(conn, kind, who=who, round_id=round_id, authority=authority)


def _with_provenance(
    ret: AuthorityReturn, version: int, channel: str, saved_at: dt.datetime, submitted_by: str
) -> AuthorityReturn:
    """``ret`` stamped with its version, channel, time and submitter (validated again)."""
    from models.errors import explain

    prov = ret.provenance.model_dump(mode="json")
    prov.update(
        version=version,
        channel=channel,
        submitted_at=saved_at.isoformat(),
        submitted_by=submitter_role(submitted_by),
    )
    try:
        return AuthorityReturn.model_validate({**ret.model_dump(mode="json"), "provenance": prov})
    except ValidationError as exc:
        problems = explain(exc)
        lines = "; ".join(str(p) for p in problems[:5])
        raise InvalidReturnError(
            f"The return was not saved because it breaks a rule: {lines}", problems
        ) from None


_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"^(?:{_LABEL}\.)+[a-z]{{2,63}}$")
_LOCAL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")


class InvalidInputError(StorageError):
    """A domain, email address or name that cannot be used; the message names the field."""


def normalise_domain(text: str) -> str:
    """'@Kent.GOV.uk ' → 'kent.gov.uk'; a plain message naming the field if it is not an email domain."""
    domain = (text or "").strip().lower().lstrip("@").rstrip(".")
    if len(domain) > 253 or not _DOMAIN.match(domain):
        shown = " ".join(str(text).split())[:80]
        raise InvalidInputError(
            f"Domain: '{shown}' is not an email domain. Give the part after the @, for example kent.gov.uk."
        )
    return domain


def normalise_email(text: str) -> str:
    """'Lead@Kent.gov.uk' → 'lead@kent.gov.uk'; a plain message naming the field if it is not an address."""
    email = (text or "").strip().lower()
    local, at, domain = email.rpartition("@")
    shown = " ".join(str(text).split())[:80]
    problem = InvalidInputError(
        f"Email: '{shown}' is not an email address. Give the whole address, for example name@kent.gov.uk."
    )
    if not at or not _LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        raise problem
    try:
        return f"{local}@{normalise_domain(domain)}"
    except InvalidInputError:
        raise problem from None


def submitter_role(text: str) -> str:
    return " ".join(text.split())[:200]


class _Conflict(Exception):
    """Internal: the current version is not the one the save started from."""


def _sqlite_transactions(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, issue BEGIN; writers use BEGIN IMMEDIATE and wait their turn."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("storage_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def open_store(url: str | None = None, data_dir: Path | str | None = None) -> Store:
    """A store with its tables made and ``survey_data/`` (or ``data_dir``) seeded into it."""
    from dashboard.loading import DEFAULT_DATA_DIR, load_survey_data

    store = Store(url)
    store.ensure_schema()
    store.seed(load_survey_data(data_dir if data_dir is not None else DEFAULT_DATA_DIR))
    return store
