"""``export``, ``template`` and ``import``: Excel out and Excel in, from a shell.

* ``export --out FILE.xlsx [--round ID] [--authority NAME ...] [--csv-dir DIR]``
  writes the full workbook (and, with ``--csv-dir``, the Summary and matrices as CSV).
* ``template --out FILE.xlsx [--authority NAME] [--round ID]`` writes the return
  template, pre-filled with the authority's current return when one is named.
* ``import FILE.xlsx --authority NAME [--code CODE] [--round ID]`` reads a filled
  template and saves it as a new version: the same validation, access code,
  throttling and versioning as the form (channel "upload"). Without ``--code``
  the code is asked for (or read from standard input), so it stays out of the
  shell's history.

The data come from the returns database (``DATABASE_URL``, or the SQLite file
in ``var/``), seeded from ``survey_data/`` on first use. ``--database`` and
``--data`` point elsewhere (tests use both).
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path

from commands.common import Refused, database_args, pick_round, runner
from exports.csv_files import matrix_csv, summary_csv
from exports.template_format import MAX_BYTES
from exports.template_reader import read_template
from exports.template_writer import template_workbook
from exports.text import file_stem, human_size
from exports.workbooks import full_workbook
from models.names import quoted
from models.returns import AuthorityReturn
from models.vocabulary import CLI
from store import rights

UPLOAD_SUBMITTER = "authority lead"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write the returns to an Excel workbook (and CSVs)",
        description="Write the full workbook: About, Summary, QA matrix, Impact evidence matrix, "
        "Responses and Versions.",
    )
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="the workbook to write")
    p.add_argument("--round", dest="round_id", metavar="ID", help="only this round (default: every round)")
    p.add_argument(
        "--authority",
        action="append",
        default=[],
        metavar="NAME",
        help="only this authority (repeat for several)",
    )
    p.add_argument("--csv-dir", metavar="DIR", help="also write summary.csv and the matrices as CSV here")
    p.add_argument("--no-versions", action="store_true", help="leave out the Versions sheet")
    database_args(p)
    p.set_defaults(func=runner(cmd_export))

    p = sub.add_parser(
        "template",
        help="write the return template (.xlsx) to fill in",
        description="Write the return template; with --authority, pre-filled with its current return.",
    )
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="the workbook to write")
    p.add_argument("--authority", metavar="NAME", help="pre-fill with this authority's current return")
    p.add_argument("--round", dest="round_id", metavar="ID", help="the round (default: the open round)")
    database_args(p)
    p.set_defaults(func=runner(cmd_template))

    p = sub.add_parser(
        "import",
        help="save a filled return template as a new version of an authority's return",
        description="Check a filled template and save it (access code needed). Nothing is saved "
        "unless every answer is valid.",
    )
    p.add_argument("file", metavar="FILE.xlsx", help="the filled template")
    p.add_argument("--authority", required=True, metavar="NAME", help="the authority the return is for")
    p.add_argument(
        "--code",
        metavar="CODE",
        help="the authority's access code (leave it out to be asked for it, so it stays out of the "
        "shell's history)",
    )
    p.add_argument("--round", dest="round_id", metavar="ID", help="the round (default: the open round)")
    database_args(p)
    p.set_defaults(func=runner(cmd_import, store=False))


def _pick_round(store, round_id: str | None) -> str:
    """The given round, else the one open for submissions, else the only questionnaire round."""
    return pick_round(store, round_id, prefer_open=True)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def cmd_export(store, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    rounds = {r.id: r for r in store.rounds()}
    if args.round_id and args.round_id not in rounds:
        raise Refused(f"There is no round '{quoted(args.round_id)}'. Rounds: {', '.join(sorted(rounds))}.")
    returns = store.current_returns(args.round_id)
    filters = []
    if args.round_id:
        filters.append(f"Round: {rounds[args.round_id].title} ({args.round_id})")
    if args.authority:
        returns, missing = pick_authorities(returns, args.authority)
        if missing:
            raise Refused("No return for: " + ", ".join(missing) + f". Check the names ({CLI} list).")
        filters.append("Authorities: " + ", ".join(sorted({r.authority for r in returns})))
    history = []
    if not args.no_versions:
        for r in returns:
            history += store.history(r.round, r.authority)
    data = full_workbook(returns, rounds, filters_description=filters, history=history or None)
    out = Path(args.out)
    _write(out, data)
    seconds = time.perf_counter() - started
    print(f"Wrote {out} ({human_size(len(data))}, {len(returns)} return(s)) in {seconds:.1f} s.")
    if args.csv_dir:
        folder = Path(args.csv_dir)
        files = {"summary.csv": summary_csv(returns, rounds)}
        for tax in ("qa", "impact"):
            files[f"{tax}-matrix.csv"] = matrix_csv(returns, tax)  # type: ignore[arg-type]
        for name, blob in files.items():
            _write(folder / name, blob)
        print(f"Wrote {', '.join(files)} to {folder}.")
    return 0


def cmd_template(store, args: argparse.Namespace) -> int:
    round_id = _pick_round(store, args.round_id)
    current: AuthorityReturn | None = None
    carry = None
    authority = None
    if args.authority:
        authority = store.resolve_authority(args.authority, round_id) or " ".join(args.authority.split())
        current = store.current(round_id, authority)
        if current is None:  # no return in this round yet: start from the last one (carry-forward)
            from survey.rounds import carry_forward

            carry = carry_forward(store, round_id, authority)
    own = store.get_round(round_id).questions
    data = template_workbook(round_id, authority, current or (carry.ret if carry else None), own=own)
    out = Path(args.out)
    _write(out, data)
    what = (
        f"pre-filled with version {current.provenance.version} of {current.authority}'s return"
        if current is not None
        else f"pre-filled with {authority}'s return carried forward from '{carry.round_title}'"
        if carry is not None
        else (f"for {authority} (no return yet)" if authority else "empty")
    )
    print(f"Wrote the return template for round '{round_id}' to {out}, {what}.")
    return 0


def _ask_code() -> str:
    """The access code typed without echo (or one line of standard input when not a terminal)."""
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass("Access code: ").strip()
    return (sys.stdin.readline() if sys.stdin is not None else "").strip()


def cmd_import(args: argparse.Namespace) -> int:
    from store import open_store
    from store.access import COMMAND_LINE, verify_code

    path = Path(args.file)
    if not path.is_file():
        raise Refused(f"There is no file {path}.")
    if path.stat().st_size > MAX_BYTES:
        raise Refused(
            f"{path} is too large: the limit is {MAX_BYTES // (1024 * 1024)} MB. Upload the filled "
            "template only. Nothing was saved."
        )
    data = path.read_bytes()
    code = args.code if args.code is not None else _ask_code()
    if not code:
        raise Refused("Give the authority's access code (--code, or type it when asked). Nothing was saved.")
    store = open_store(args.database_url, args.data)
    try:
        return _import(store, args, path, data, code, verify_code, COMMAND_LINE)
    finally:
        store.dispose()


def _import(store, args, path: Path, data: bytes, code: str, verify_code, source: str) -> int:
    from models.names import PlainError

    round_id = _pick_round(store, args.round_id)
    authority = store.resolve_authority(args.authority, round_id) or " ".join(args.authority.split())
    try:
        code_id = verify_code(store, round_id, authority, code, source=source)
    except PlainError as exc:  # wrong code, throttled, no code
        raise PlainError(f"{exc} Nothing was saved.") from None
    current = store.current(round_id, authority)
    own = store.get_round(round_id).questions
    result = read_template(data, round_id=round_id, authority=authority, base=current, own=own)
    if result.problems:
        print(f"{path} was not saved. Fix these and import it again:")
        for p in result.problems:
            print(f"  {p}")
        return 1
    for w in result.warnings:
        print(f"Warning: {w}")
    based_on = current.provenance.version if current is not None else None
    ret = result.ret
    if current is None:  # started from the last round's return: the provenance says so
        from survey.rounds import carry_forward, stamp_carried

        ret = stamp_carried(ret, carry_forward(store, round_id, authority))
    saved = store.save(
        ret,
        based_on=based_on,
        channel="upload",
        submitted_by=UPLOAD_SUBMITTER,
        who=rights.by_code(authority, round_id, code_id, via=rights.via_shell()),
    )
    same = current is not None and current.model_dump(exclude={"provenance"}) == saved.model_dump(
        exclude={"provenance"}
    )
    print(
        f"Saved version {saved.provenance.version} of {saved.authority}'s return in round '{round_id}' "
        f"from {path.name}" + (" (the answers are the same as the previous version)." if same else ".")
    )
    return 0


__all__ = ["cmd_export", "cmd_import", "cmd_template", "file_stem", "register"]


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def pick_authorities(returns: list, names: list[str]) -> tuple[list, list[str]]:
    """The returns of the authorities named (spacing and case forgiven), and the names with no return."""
    wanted = {_name_key(a): a for a in names}
    picked = [r for r in returns if _name_key(r.authority) in wanted]
    found = {_name_key(r.authority) for r in picked}
    return picked, [name for key, name in wanted.items() if key not in found]
