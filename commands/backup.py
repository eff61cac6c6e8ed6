"""``backup`` and ``restore``: the whole returns database in one checked, portable file.

    cli.py backup --out FILE                 every table, safe while the app runs
    cli.py restore FILE [--replace]          into an empty database; --replace backs up what it replaces first
    cli.py restore FILE --check              read and check the file only

Exit codes: 0 done; 1 refused or failed, with nothing changed (the message says why).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from commands.common import error, runner
from config.settings import default_database_url
from store.backup import BackupError, backup, read_backup, restore
from store.backup_file import BackupFileError, describe_counts
from store.errors import StorageError

DATABASE_HELP = "the returns database (default: the DATABASE_URL environment variable, else var/returns.db)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backup",
        help="write the whole returns database to one checked file (safe while the app runs)",
        description="Write every table of the returns database (returns and every version, rounds and their "
        "settings, access codes (hashed), tries, email domains, coordinators and the audit log) to a new "
        "file, with its schema revision and a checksum. The file never overwrites another, and a failed "
        "backup leaves no file under its name. A SQLite backup restores into PostgreSQL and back.",
    )
    p.add_argument("--out", required=True, type=Path, help="the new backup file to write")
    p.add_argument("--database-url", default=None, help=DATABASE_HELP)
    p.set_defaults(func=runner(cmd_backup, store=False))

    p = sub.add_parser(
        "restore",
        help="restore a backup into the returns database",
        description="Check a backup made by 'cli.py backup' and restore it: refused if the file is cut short "
        "or changed, if it comes from a newer version of the app, or if the database already holds data "
        "(unless --replace, which first backs up what is there). Nothing is changed when it is refused.",
    )
    p.add_argument("file", type=Path, help="the backup file")
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace what the database holds; it is backed up first (to --replaced-to)",
    )
    p.add_argument(
        "--replaced-to",
        type=Path,
        default=None,
        help="where --replace backs up what it replaces (default: replaced-<time>.iro-backup beside FILE)",
    )
    p.add_argument("--check", action="store_true", help="only read and check the file; change nothing")
    p.add_argument("--database-url", default=None, help=DATABASE_HELP)
    p.set_defaults(func=runner(cmd_restore, store=False))


def cmd_backup(args: argparse.Namespace) -> int:
    try:
        summary = backup(args.database_url or default_database_url(), args.out)
    except StorageError as exc:
        error(exc)
        return 1
    print(summary.describe())
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    if args.check:
        try:
            bk = read_backup(args.file)
        except BackupFileError as exc:
            error(exc)
            return 1
        print(
            f"{bk.path} is a whole backup, made at {bk.made_at:%Y-%m-%d %H:%M} UTC from {bk.made_from} "
            f"(schema revision {bk.schema_revision}): {describe_counts(bk.counts())}."
        )
        return 0
    try:
        report = restore(
            args.database_url or default_database_url(),
            args.file,
            replace=args.replace,
            replaced_to=args.replaced_to,
        )
    except (BackupError, StorageError) as exc:
        error(exc)
        return 1
    print(report.describe())
    return 0
