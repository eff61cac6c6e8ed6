"""The backup file: one portable, checked file holding every row of the returns database.

A backup is gzip-compressed UTF-8 text, one JSON value a line:

1. a header: ``{"format": "iro-cp-backup", "format_version": 1, "schema_revision": "0006",
   "made_at": ..., "made_from": "sqlite" | "postgresql", "tables": [{"name", "columns": [[name, kind]],
   "rows"}]}``, the tables in the order they can be loaded (a table after those it refers to);
2. one line per row: ``["return_versions", [value, ...]]``, values in the header's column order;
3. an end line: ``{"end": true, "rows": N, "sha256": "..."}``, the SHA-256 of every byte before it.

Values are written by kind, so that each reads back exactly, on either database: text as text,
whole numbers as numbers, true/false, times as ISO 8601 in UTC to the microsecond, dates as
``YYYY-MM-DD``, bytes as base64. A file whose end line is missing (cut short) or whose checksum
does not match (changed) is refused before anything is written anywhere.

Writing never leaves a partial file under the final name: rows go to a hidden file beside it
(created only for its owner), which is flushed to disk and then linked to the final name; on any
failure (a full disk, say) the hidden file is removed. An existing backup is never overwritten.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import decimal
import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

FORMAT = "iro-cp-backup"
FORMAT_VERSION = 1

#: How each table's rows are described to a person, in messages and the drill's counts.
LABELS = {
    "survey_rounds": "rounds",
    "round_settings": "round settings",
    "round_lifecycle": "round states",
    "return_versions": "versions of returns",
    "audit_log": "audit log entries",
    "access_codes": "access codes (hashed)",
    "credential_tries": "tries of codes and secrets",
    "code_attempts": "tries of codes (before 0005)",
    "authority_domains": "email domains",
    "coordinators": "coordinators",
    "storage_events": "change events",
}


class BackupFileError(Exception):
    """A backup file that cannot be written or read; the message says what, plainly."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass
class TableData:
    name: str
    columns: list[tuple[str, str]]  # (column, kind)
    rows: list[list[Any]] = field(default_factory=list)

    @property
    def column_names(self) -> list[str]:
        return [c for c, _ in self.columns]


@dataclass
class Backup:
    """A backup read back and checked: its header and every table's rows (values decoded)."""

    path: Path
    schema_revision: str
    made_at: dt.datetime
    made_from: str
    tables: list[TableData]
    sha256: str

    def counts(self) -> dict[str, int]:
        return {t.name: len(t.rows) for t in self.tables}


def describe_counts(counts: dict[str, int]) -> str:
    """'12 versions of returns, 40 audit log entries, ...': the tables that hold rows, main ones first."""
    order = [name for name in LABELS if name in counts] + sorted(n for n in counts if n not in LABELS)
    held = [f"{counts[n]} {LABELS.get(n, n)}" for n in order if counts[n]]
    return ", ".join(held) or "no rows at all"


# ---------------------------------------------------------------------------
# Values


def kind_of(column_type: sa.types.TypeEngine) -> str:
    """The kind a column's values are written as (from the type the database reports)."""
    try:
        py = column_type.python_type
    except NotImplementedError:
        return "text"
    kinds = {
        bool: "bool",
        int: "int",
        float: "float",
        decimal.Decimal: "decimal",
        dt.datetime: "datetime",
        dt.date: "date",
        dt.time: "time",
        bytes: "bytes",
        dict: "json",
        list: "json",
    }
    return kinds.get(py, "text")


def as_utc(value: dt.datetime) -> dt.datetime:
    """Everything stored is UTC; SQLite gives naive times back."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def encode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return as_utc(value).isoformat(timespec="microseconds")
    if kind in ("date", "time"):
        return value.isoformat()
    if kind == "decimal":
        return str(value)
    if kind == "bytes":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "bool":
        return bool(value)
    return value


def decode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return as_utc(dt.datetime.fromisoformat(value))
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "time":
        return dt.time.fromisoformat(value)
    if kind == "decimal":
        return decimal.Decimal(value)
    if kind == "bytes":
        return base64.b64decode(value)
    return value


def _line(value: Any) -> bytes:
    # ASCII only: every character (even one a database would refuse) is carried as an escape.
    return (json.dumps(value, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")


# ---------------------------------------------------------------------------
# Writing


def write_backup(
    out: Path,
    *,
    schema_revision: str,
    made_from: str,
    tables: list[tuple[str, list[tuple[str, str]], Iterable[list[Any]]]],
    counts: dict[str, int],
) -> str:
    """Write a backup to ``out`` (never overwriting one); the SHA-256 written in its end line.

    ``tables`` gives each table's name, (column, kind) pairs and its rows (raw values, encoded
    here), in load order; ``counts`` each table's number of rows, for the header.
    """
    out = Path(out)
    if out.exists():
        raise BackupFileError(f"{out} exists already. Backups are never overwritten: give another name.")
    if not out.parent.is_dir():
        raise BackupFileError(f"The folder {out.parent} does not exist, so no backup was written.")
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": schema_revision,
        "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "made_from": made_from,
        "tables": [
            {"name": name, "columns": [list(c) for c in cols], "rows": counts[name]}
            for name, cols, _ in tables
        ],
    }
    digest = hashlib.sha256()
    total = 0
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
                data = _line(header)
                digest.update(data)
                gz.write(data)
                for name, cols, rows in tables:
                    kinds = [k for _, k in cols]
                    written = 0
                    for row in rows:
                        data = _line([name, [encode(k, v) for k, v in zip(kinds, row, strict=True)]])
                        digest.update(data)
                        gz.write(data)
                        written += 1
                    if written != counts[name]:
                        raise BackupFileError(
                            f"The table {name} changed while it was being read ({counts[name]} rows "
                            f"counted, {written} read)."
                        )
                    total += written
                gz.write(_line({"end": True, "rows": total, "sha256": digest.hexdigest()}))
            raw.flush()
            os.fsync(raw.fileno())
        _link(partial, out)
        _sync_folder(out.parent)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        if isinstance(exc, BackupFileError):
            raise
        if isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
            raise BackupFileError(
                f"The backup could not be written to {out} ({reason}). Nothing was left under that name; "
                "free some space or choose another folder, and try again."
            ) from exc
        raise
    return digest.hexdigest()


def _link(partial: Path, out: Path) -> None:
    """Give the finished file its name, failing (not overwriting) if the name was taken meanwhile."""
    try:
        os.link(partial, out)
    except FileExistsError:
        raise BackupFileError(
            f"{out} appeared while the backup was being written. It was left as it is: give another name."
        ) from None
    except OSError:  # a file system without hard links: rename, which is atomic too
        if out.exists():
            raise BackupFileError(f"{out} exists already. Backups are never overwritten.") from None
        os.replace(partial, out)
        return
    partial.unlink()


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------
# Reading


def _lines(path: Path) -> Iterator[bytes]:
    with gzip.open(path, "rb") as gz:
        yield from gz


def read_backup(path: Path) -> Backup:
    """Read and check a whole backup; ``BackupFileError`` (saying what is wrong) if it is not whole."""
    path = Path(path)
    if not path.is_file():
        raise BackupFileError(f"There is no backup file at {path}.")
    damaged = f"{path} is not a whole backup"
    digest = hashlib.sha256()
    header: dict[str, Any] | None = None
    tables: dict[str, TableData] = {}
    end: dict[str, Any] | None = None
    try:
        for number, data in enumerate(_lines(path), start=1):
            if end is not None:
                raise BackupFileError(f"{damaged}: there is more after its end (line {number}).")
            try:
                value = json.loads(data)
            except ValueError:
                raise BackupFileError(f"{damaged}: line {number} cannot be read.") from None
            if header is None:
                header = _header(value, path)
                tables = {t.name: t for t in _tables(header, damaged)}
                digest.update(data)
                continue
            if isinstance(value, dict) and value.get("end") is True:
                end = value
                continue
            digest.update(data)
            _add_row(tables, value, number, damaged)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        if isinstance(exc, FileNotFoundError):
            raise BackupFileError(f"There is no backup file at {path}.") from None
        raise BackupFileError(
            f"{damaged}: it is cut short or damaged ({exc}). Nothing was restored from it."
        ) from None
    if header is None:
        raise BackupFileError(f"{path} is empty: it is not a backup.")
    if end is None:
        raise BackupFileError(
            f"{damaged}: its end is missing (the file was cut short). Nothing was restored."
        )
    if end.get("sha256") != digest.hexdigest():
        raise BackupFileError(
            f"{damaged}: its checksum does not match its contents, so it has been changed or damaged since "
            "it was made. Nothing was restored from it."
        )
    for table in tables.values():
        if len(table.rows) != table_rows(header, table.name):
            raise BackupFileError(f"{damaged}: the table {table.name} has a different number of rows.")
    return Backup(
        path=path,
        schema_revision=str(header["schema_revision"]),
        made_at=dt.datetime.fromisoformat(header["made_at"]),
        made_from=str(header.get("made_from", "")),
        tables=list(tables.values()),
        sha256=digest.hexdigest(),
    )


def _header(value: Any, path: Path) -> dict[str, Any]:
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise BackupFileError(f"{path} is not a backup made by cli.py backup.")
    if value.get("format_version") != FORMAT_VERSION:
        raise BackupFileError(
            f"{path} is a backup in format version {value.get('format_version')}, which this version of the "
            "app cannot read; it was probably made by a newer version. Nothing was restored."
        )
    if not isinstance(value.get("schema_revision"), str) or not isinstance(value.get("tables"), list):
        raise BackupFileError(f"{path} is not a whole backup: its header cannot be read.")
    return value


def _tables(header: dict[str, Any], damaged: str) -> list[TableData]:
    out = []
    try:
        for t in header["tables"]:
            out.append(TableData(name=str(t["name"]), columns=[(str(c), str(k)) for c, k in t["columns"]]))
    except (KeyError, TypeError, ValueError):
        raise BackupFileError(f"{damaged}: its list of tables cannot be read.") from None
    return out


def table_rows(header: dict[str, Any], name: str) -> int:
    return next(int(t["rows"]) for t in header["tables"] if t["name"] == name)


def _add_row(tables: dict[str, TableData], value: Any, number: int, damaged: str) -> None:
    try:
        name, values = value
        table = tables[name]
        if len(values) != len(table.columns):
            raise ValueError
        table.rows.append([decode(k, v) for (_, k), v in zip(table.columns, values, strict=True)])
    except (KeyError, TypeError, ValueError):
        raise BackupFileError(f"{damaged}: line {number} does not belong to any of its tables.") from None
