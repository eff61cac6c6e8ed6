"""``validate`` and ``list``: check the data files and print the returns."""

from __future__ import annotations

import argparse
from pathlib import Path

from commands.common import Refused, database_args, error, print_json, runner, table
from models.names import quoted
from store.loading import DEFAULT_DATA_DIR, load_survey_data
from store.versions import UNREADABLE_FIELD


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check the data files; print 'file: field: message' for each problem",
        description="Check every round and return file. Exit 1 if any problem is found.",
    )
    p.add_argument(
        "path", nargs="?", default=str(DEFAULT_DATA_DIR), help="data folder (default: survey_data/)"
    )
    p.set_defaults(func=runner(cmd_validate, store=False))

    p = sub.add_parser(
        "list",
        help="print the current version of each return",
        description="Print the current version of each return from the returns database (seeded from "
        "survey_data/ first, as every command does). With --data PATH, read the data files instead.",
    )
    p.add_argument("--round", dest="round_id", help="only this round (its id)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--data", default=None, help="read this data folder's files instead of the database")
    database_args(p, data=False)
    p.set_defaults(func=runner(cmd_list, store=False))


def cmd_validate(args: argparse.Namespace) -> int:
    ds = load_survey_data(Path(args.path))
    for problem in ds.problems:
        print(problem)
    if ds.problems:
        print(f"{len(ds.problems)} problem(s) found.")
        return 1
    print(f"OK: {len(ds.rounds)} round(s), {len(ds.returns)} return(s), no problems.")
    return 0


def _current_dataset(args: argparse.Namespace):
    """The data files (``--data``), else the current returns in the database."""
    if args.data:
        return load_survey_data(Path(args.data))
    from store import open_store

    store = open_store(args.database_url)
    try:
        return store.dataset()
    finally:
        store.dispose()


def cmd_list(args: argparse.Namespace) -> int:
    ds = _current_dataset(args)
    if args.round_id and args.round_id not in ds.rounds:
        known = ", ".join(sorted(ds.rounds)) or "none"
        raise Refused(f"There is no round '{quoted(args.round_id)}'. Rounds: {known}.")
    returns = ds.for_round(args.round_id)
    # A version this release cannot read (stored by a newer one) is named, never a failure.
    unreadable = [p for p in ds.problems if p.field == UNREADABLE_FIELD]
    if args.format == "json":
        print_json([r.model_dump(mode="json") for r in returns])
        for p in unreadable:
            error(f"Not listed: {p.file}: {p.message}")
        return 0
    rows = [("Round", "Authority", "Model", "IRO caseload", "CP chair caseload")]
    for r in returns:
        rows.append(
            (
                r.round,
                r.authority,
                r.model_label,
                _caseload(r.iro.caseload, "iro"),
                _caseload(r.cp_chair.caseload, "cp_chair") if r.cp_chair else "(not answered)",
            )
        )
    table(rows)
    print(f"{len(returns)} return(s).")
    for p in unreadable:
        print(f"Not listed: {p.file}: {p.message}")
    return 0


def _caseload(c, role: str) -> str:
    """The one reading of a caseload (``models.caseload``): '68–85 children (the sum of the stated parts: …)'."""
    from models.caseload import caseload_figure

    if c is None:
        return "(not stated)"
    return caseload_figure(c, role).words if c.has_numbers else "(no figure)"
