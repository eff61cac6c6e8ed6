"""Back up and restore the returns database, on SQLite or PostgreSQL, in one portable file.

``backup(url, out)`` reads every table of the app at one consistent moment, safe while the app
runs: on SQLite through its online backup API (a copy taken page by page under a read lock, so a
save in progress is either wholly in it or not at all), on PostgreSQL in one read-only
``REPEATABLE READ`` transaction (the snapshot ``pg_dump`` itself uses). The rows are written in the
format of ``store.backup_file``, with the schema revision and a checksum.

``restore(url, path, replace=...)`` checks the whole file first, then, in one transaction (on
either database, so a failure changes nothing):

1. refuses a file from a newer schema than this version of the app knows;
2. refuses a database that holds data, unless ``replace``; then it first backs up what is there
   (in the same transaction, so nothing can be saved in between and lost);
3. rebuilds the tables at the backup's schema revision with the app's own migrations, loads every
   row exactly as it was (ids included; PostgreSQL's sequences are moved past them), and upgrades
   to the current revision, as the app would on start.

Because the file is portable, a SQLite backup restores into PostgreSQL and back (tested).
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from store.backup_file import (
    Backup,
    BackupFileError,
    describe_counts,
    encode,
    kind_of,
    read_backup,
    write_backup,
)
from store.engine import mask_url, normalise_url
from store.errors import StorageError
from store.migrate import MIGRATION_LOCK, alembic_config
from store.schema import BASELINE_REVISION, SCHEMA_REVISION

__all__ = [
    "BackupError",
    "BackupSummary",
    "RestoreReport",
    "backup",
    "contents",
    "read_backup",
    "restore",
]

REVISION_TABLE = "alembic_version"


class BackupError(StorageError):
    """A backup or restore that was refused or failed; nothing was changed. The message says why."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    database: str
    schema_revision: str
    counts: dict[str, int]
    sha256: str

    def describe(self) -> str:
        return (
            f"Backed up the returns database at {self.database} (schema revision {self.schema_revision}) "
            f"to {self.path}: {describe_counts(self.counts)}. Checksum (SHA-256) {self.sha256[:16]}…"
        )


@dataclass(frozen=True)
class RestoreReport:
    path: Path
    database: str
    from_revision: str
    to_revision: str
    counts: dict[str, int]
    replaced: BackupSummary | None

    def describe(self) -> str:
        lines = []
        if self.replaced is not None:
            lines.append(
                f"What the database held before was backed up first to {self.replaced.path} "
                f"({describe_counts(self.replaced.counts)})."
            )
        upgraded = (
            f", then upgraded to revision {self.to_revision}"
            if self.to_revision != self.from_revision
            else ""
        )
        lines.append(
            f"Restored {self.path} into the returns database at {self.database} (schema revision "
            f"{self.from_revision}{upgraded}): {describe_counts(self.counts)}."
        )
        return "\n".join(lines)


# ---------------------------------------------------------------------------
# Connections


def _engine(url: str) -> Engine:
    u = normalise_url(url)
    if u.get_backend_name() == "sqlite":
        if not u.database or u.database == ":memory:":
            raise BackupError("A database in memory cannot be backed up or restored: give a file.")
        engine = sa.create_engine(u, poolclass=sa.NullPool, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # SQLAlchemy issues BEGIN, below
            dbapi_conn.execute("PRAGMA busy_timeout = 30000")

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock up front: no save can slip in

        return engine
    return sa.create_engine(u, poolclass=sa.NullPool, connect_args={"connect_timeout": 10})


def _unreachable(url: str, exc: BaseException) -> BackupError:
    reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
    password = normalise_url(url).password
    if password and len(password) >= 4:
        reason = reason.replace(password, "***")
    return BackupError(
        f"The returns database at {mask_url(url)} could not be used ({reason}). Nothing was changed."
    )


def _is_sqlite(url: str) -> bool:
    return normalise_url(url).get_backend_name() == "sqlite"


@contextmanager
def _snapshot(url: str) -> Iterator[Connection]:
    """A read-only connection that sees the whole database as it was at one moment."""
    if _is_sqlite(url):
        path = normalise_url(url).database
        if not Path(path).is_file():
            raise BackupError(f"There is no returns database file at {path}: nothing to back up.")
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        try:
            source = sqlite3.connect(path, timeout=30)
            try:
                source.backup(copy)  # SQLite's online backup API: consistent, safe while the app runs
            finally:
                source.close()
        except sqlite3.Error as exc:
            copy.close()
            raise _unreachable(url, exc) from exc
        engine = sa.create_engine("sqlite://", creator=lambda: copy, poolclass=sa.StaticPool)
        try:
            with engine.connect() as conn:
                yield conn
        finally:
            engine.dispose()
            copy.close()
        return
    engine = _engine(url)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            yield conn
    except sa.exc.DBAPIError as exc:
        raise _unreachable(url, exc) from exc
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------
# What is in a database


def _revision(conn: Connection) -> str | None:
    """The database's schema revision; the first release's (which recorded none) if it has its tables."""
    insp = sa.inspect(conn)
    if not insp.has_table(REVISION_TABLE):
        return BASELINE_REVISION if insp.has_table("return_versions") else None
    rows = conn.exec_driver_sql(f"SELECT version_num FROM {REVISION_TABLE}").scalars().all()
    return rows[0] if len(rows) == 1 else None


@functools.cache
def _revisions() -> tuple[str, ...]:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return tuple(s.revision for s in reversed(list(scripts.walk_revisions())))


def known_revisions() -> list[str]:
    """Every schema revision this version of the app knows, oldest first."""
    return list(_revisions())


@functools.cache
def _tables_at(revision: str) -> frozenset[str]:
    """The app's tables at a schema revision (built, in memory, by the migrations themselves)."""
    from alembic import command

    engine = sa.create_engine("sqlite://", poolclass=sa.StaticPool)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)
        names = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    return frozenset(names - {REVISION_TABLE})


def _our_tables(conn: Connection) -> list[sa.Table]:
    """The app's tables in this database, each after the tables it refers to."""
    revision = _revision(conn)
    present = set(sa.inspect(conn).get_table_names()) - {REVISION_TABLE}
    ours = present & _tables_at(revision) if revision in known_revisions() else present
    meta = sa.MetaData()
    meta.reflect(conn, only=sorted(ours))
    return list(meta.sorted_tables)


def _count(conn: Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar())


def _ordered(table: sa.Table) -> sa.Select:
    order = list(table.primary_key.columns) or list(table.columns)
    return sa.select(table).order_by(*order)


def contents(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the app, by table, ordered by key, times in UTC: to compare databases."""
    with _snapshot(url) as conn:
        out: dict[str, list[tuple[Any, ...]]] = {}
        for table in _our_tables(conn):
            kinds = [kind_of(c.type) for c in table.columns]
            out[table.name] = [
                tuple(encode(k, v) for k, v in zip(kinds, row, strict=True))
                for row in conn.execute(_ordered(table))
            ]
        out[REVISION_TABLE] = [(_revision(conn),)]
    return out


# ---------------------------------------------------------------------------
# Backing up


def _write(conn: Connection, out: Path, made_from: str) -> tuple[str, dict[str, int], str]:
    revision = _revision(conn)
    if revision is None:
        raise BackupError(
            "The database has no schema revision: it is not a returns database made by this app."
        )
    tables = _our_tables(conn)
    counts = {t.name: _count(conn, t) for t in tables}
    spec = [
        (t.name, [(c.name, kind_of(c.type)) for c in t.columns], (list(r) for r in conn.execute(_ordered(t))))
        for t in tables
    ]
    try:
        sha = write_backup(out, schema_revision=revision, made_from=made_from, tables=spec, counts=counts)
    except BackupFileError as exc:
        raise BackupError(exc.message) from None
    return revision, counts, sha


def backup(url: str, out: Path | str) -> BackupSummary:
    """Write a backup of the database at ``url`` to the new file ``out``."""
    out = Path(out)
    made_from = "sqlite" if _is_sqlite(url) else "postgresql"
    with _snapshot(url) as conn:
        if not (set(sa.inspect(conn).get_table_names()) - {REVISION_TABLE}):
            raise BackupError(f"The database at {mask_url(url)} has no tables: there is nothing to back up.")
        revision, counts, sha = _write(conn, out, made_from)
    return BackupSummary(out, mask_url(url), revision, counts, sha)


# ---------------------------------------------------------------------------
# Restoring


def _check_revision(bk: Backup) -> None:
    known = known_revisions()
    if bk.schema_revision not in known:
        raise BackupError(
            f"{bk.path} was made by a newer version of the app (schema revision {bk.schema_revision}; this "
            f"version knows revisions up to {known[-1]}). Nothing was changed: restore it with that version "
            "or a later one."
        )


def replaced_backup_path(path: Path) -> Path:
    """Where ``--replace`` keeps what it replaces: beside the file restored, named by the time."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"replaced-{stamp}.iro-backup")


def _lock(conn: Connection, tables: list[sa.Table]) -> None:
    """On PostgreSQL, queue behind (and hold off) app servers migrating or saving."""
    if conn.dialect.name != "postgresql":
        return  # BEGIN IMMEDIATE holds SQLite's write lock already
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
    if tables:
        names = ", ".join(conn.dialect.identifier_preparer.quote(t.name) for t in tables)
        conn.exec_driver_sql(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE")


def _drop(conn: Connection, tables: list[sa.Table]) -> None:
    for table in reversed(tables):  # those that refer to others first
        table.drop(conn)
    if sa.inspect(conn).has_table(REVISION_TABLE):
        conn.exec_driver_sql(f"DROP TABLE {REVISION_TABLE}")


def _load(conn: Connection, bk: Backup) -> None:
    meta = sa.MetaData()
    meta.reflect(conn, only=[t.name for t in bk.tables])
    for data in bk.tables:
        table = meta.tables[data.name]
        if set(table.columns.keys()) != set(data.column_names):
            raise BackupError(
                f"The table {data.name} in {bk.path} does not match schema revision {bk.schema_revision} "
                f"(its columns: {', '.join(data.column_names)}). Nothing was changed."
            )
        names = data.column_names
        for start in range(0, len(data.rows), 500):
            chunk = data.rows[start : start + 500]
            conn.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in chunk])
        _move_sequence(conn, table)


def _move_sequence(conn: Connection, table: sa.Table) -> None:
    """PostgreSQL hands out ids from a sequence: start it after the ids restored."""
    if conn.dialect.name != "postgresql":
        return
    for col in table.primary_key.columns:
        if not isinstance(col.type, sa.Integer):
            continue
        seq = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": col.name})
        name = seq.scalar()
        if name:
            q = sa.select(sa.func.max(col)).select_from(table)
            top = conn.execute(q).scalar()
            conn.execute(
                sa.text("SELECT setval(:s, :v, :called)"),
                {"s": name, "v": top if top is not None else 1, "called": top is not None},
            )


def restore(
    url: str, path: Path | str, *, replace: bool = False, replaced_to: Path | None = None
) -> RestoreReport:
    """Restore the backup at ``path`` into the database at ``url`` (see the module's docstring)."""
    from alembic import command

    path = Path(path)
    try:
        bk = read_backup(path)
    except BackupFileError as exc:
        raise BackupError(exc.message) from None
    _check_revision(bk)
    engine = _engine(url)
    where = mask_url(url)
    replaced: BackupSummary | None = None
    try:
        with engine.connect() as conn, conn.begin():
            existing = _our_tables(conn)
            _lock(conn, existing)
            held = {t.name: _count(conn, t) for t in existing}
            if any(held.values()):
                if not replace:
                    raise BackupError(
                        f"The database at {where} already holds data ({describe_counts(held)}). Nothing was "
                        "changed. To replace it with the backup, run the restore again with --replace; what "
                        "the database holds now is backed up first."
                    )
                target = replaced_to or replaced_backup_path(path)
                revision, counts, sha = _write(conn, target, "sqlite" if _is_sqlite(url) else "postgresql")
                replaced = BackupSummary(target, where, revision, counts, sha)
            _drop(conn, existing)
            command.upgrade(alembic_config(conn), bk.schema_revision)
            _load(conn, bk)
            command.upgrade(alembic_config(conn), "head")
            counts = {t.name: _count(conn, t) for t in _our_tables(conn)}
    except StorageError:
        raise
    except sa.exc.DBAPIError as exc:
        raise _unreachable(url, exc) from exc
    finally:
        engine.dispose()
    return RestoreReport(path, where, bk.schema_revision, SCHEMA_REVISION, counts, replaced)
