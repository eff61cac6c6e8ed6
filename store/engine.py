"""The connection to the returns database: one engine, transactions, plain errors, the schema kept current.

``Database`` is the base of ``store.Store``. Every other module of the store (and ``store.access``,
``store.audit``) reads and writes through ``transaction()``, so no module touches a private
connection. An unreachable or broken database raises ``StorageUnavailable`` with a plain message
naming the database (password masked) and what to check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url

from config.settings import default_database_url
from store import migrate
from store.errors import StorageError, StorageUnavailable
from store.schema import SCHEMA_REVISION, metadata

#: How long a writer waits for another writer on SQLite before giving up.
BUSY_TIMEOUT_SECONDS = 30


def utc(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; everything stored is UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def hhmm(value: dt.datetime) -> str:
    """'10:16 UK time': a time a person is told to wait until, as their clock shows it."""
    from models.uktime import uk

    return uk(utc(value)).strftime("%H:%M UK time")


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


class Database:
    """The engine and its transactions; ``store.Store`` adds rounds, versions and the directory."""

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
    def transaction(self, what: str, *, write: bool = False, prefix: str = "") -> Iterator[Connection]:
        """A connection in one transaction: committed on success, rolled back on any error.

        ``what`` says in plain words what is being read ("the access codes") or done ("issue a
        code to Kent"); a database error becomes a ``StorageError`` saying so (for a write: that
        nothing was changed). ``prefix`` starts the message when the database cannot be reached.
        """
        with self._errors(what, write), self._connect(write=write, prefix=prefix) as conn:
            yield conn

    def reason(self, exc: BaseException) -> str:
        """What the database said, with the password masked."""
        return _reason(exc, self._password)

    @contextmanager
    def _connect(self, *, write: bool = False, prefix: str = "") -> Iterator[Connection]:
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
    def _errors(self, what: str, write: bool) -> Iterator[None]:
        try:
            yield
        except StorageError:
            raise
        except sa.exc.DBAPIError as exc:
            if exc.connection_invalidated:  # the connection was lost: the database has gone away
                done = f"Could not {what}; nothing was changed. " if write else ""
                raise self._unavailable(exc, done) from exc
            if write:
                raise StorageError(
                    f"Could not {what}: the returns database reported a problem "
                    f"({self.reason(exc)}). Nothing was changed."
                ) from exc
            raise StorageError(
                f"Could not read {what} from the returns database ({self.reason(exc)})."
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
        with self._errors("the schema revision", False), self.engine.connect() as conn:
            return migrate.revision(conn)

    def upgrade(self) -> str:
        """Bring the schema up to date now and say, plainly, what was done (``cli.py db upgrade``)."""
        with self._errors("the schema revision", False), self.engine.connect() as conn:
            before = migrate.revision(conn)
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
            if migrate.revision(conn) == SCHEMA_REVISION:
                return
        with self._write_engine.connect() as conn, conn.begin():
            if not self.is_sqlite:
                # One process at a time upgrades; the others wait here, then find it done.
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": migrate.MIGRATION_LOCK})
            revision = migrate.revision(conn)
            if revision == SCHEMA_REVISION:
                return
            if revision is None:
                present = set(sa.inspect(conn).get_table_names()) & set(metadata.tables)
                if not present:
                    metadata.create_all(conn)
                    migrate.stamp(conn, SCHEMA_REVISION)
                    return
                migrate.stamp(conn, migrate.BASELINE_REVISION)
            from alembic.util import CommandError

            try:
                migrate.upgrade(conn)
            except CommandError:
                raise StorageUnavailable(
                    f"The returns database at {self.display_url} has schema revision '{revision}', which "
                    "this version of the app does not know: it may have been upgraded by a newer version. "
                    "Nothing was changed. Run the newer version, or restore a backup."
                ) from None


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
