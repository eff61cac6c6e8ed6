"""The returns database from the command line.

``history``, ``dump``, ``issue-code``, ``revoke-code``, ``round open|close`` and
``seed``. Every command takes ``--database-url`` (default: ``DATABASE_URL``, or
the SQLite file ``var/returns.db``) and first seeds the database from
``survey_data/`` (``--data``), so a fresh machine works straight away; seeding
never overwrites a saved version.

Also ``db upgrade`` (the schema's migrations, without seeding).

Every change made here is in the audit log as done by "command line".

Exit codes: 0 done; 1 the database could not be used (the message says why);
2 an unknown round or authority, a missing ``--round``, or a bad domain or email.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from config.settings import default_database_url
from models.diff import describe
from models.names import InvalidInputError, PlainError
from store import Store
from store.access import AuthorityNameError, check_authority_name, issue_code, revoke_code
from store.audit import COMMAND_LINE, acting_as
from store.errors import UnknownRoundError
from store.loading import DEFAULT_DATA_DIR, dump_yaml, load_survey_data, return_path, return_to_yaml


class _Refused(Exception):
    """A plain one-line refusal (exit 2)."""


def database_args(p: argparse.ArgumentParser) -> None:
    """--database-url and --data, the same for every command that uses the returns database."""
    p.add_argument(
        "--database-url",
        default=None,
        help="the returns database (default: the DATABASE_URL environment variable, else var/returns.db)",
    )
    p.add_argument(
        "--data",
        default=str(DEFAULT_DATA_DIR),
        help="data folder seeded into the database first (default: survey_data/)",
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "history",
        help="every version of an authority's return, with what changed",
        description="List every version of one authority's return: when, how (form, upload, seed), "
        "by whom (role, and the signed-in email or access code that saved it), and what changed "
        "from the version before.",
    )
    p.add_argument("authority", help="the authority's usual name, e.g. 'Kent' (any case)")
    p.add_argument("--round", dest="round_id", help="the round's id (needed if there is more than one)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    database_args(p)
    p.set_defaults(func=_run(cmd_history))

    p = sub.add_parser(
        "dump",
        help="write the current returns back to survey_data-format files",
        description="Write the current version of every return to <out>/<round>/<authority>.yaml, "
        "so the published data set can be kept in git.",
    )
    p.add_argument("--round", dest="round_id", help="only this round (default: every round)")
    p.add_argument("--out", default=str(DEFAULT_DATA_DIR), help="folder to write to (default: survey_data/)")
    database_args(p)
    p.set_defaults(func=_run(cmd_dump))

    p = sub.add_parser(
        "issue-code",
        help="issue an authority's access code for a round (shown once)",
        description="Issue a new access code that lets the authority's lead submit and amend its own "
        "return in the round. The code is printed once and only a salted hash is kept; any earlier "
        "code for that authority and round stops working.",
    )
    p.add_argument("authority", help="the authority's usual name, e.g. 'Kent'")
    p.add_argument("--round", dest="round_id", required=True, help="the round's id")
    p.add_argument(
        "--new-authority",
        action="store_true",
        help="the authority has no return in the database yet (check the spelling: it is used as typed)",
    )
    database_args(p)
    p.set_defaults(func=_run(cmd_issue_code))

    p = sub.add_parser(
        "revoke-code",
        help="end an authority's access code for a round",
        description="End the authority's access code for the round: it no longer unlocks the form.",
    )
    p.add_argument("authority", help="the authority's usual name, e.g. 'Kent'")
    p.add_argument("--round", dest="round_id", required=True, help="the round's id")
    database_args(p)
    p.set_defaults(func=_run(cmd_revoke_code))

    p = sub.add_parser(
        "round",
        help="create a round, list its status, or open or close it for submissions",
        description="create: start a new round for a group (open, with a deadline; returns carried forward "
        "from --from, by default the group's latest round). status: every member of the round's group "
        "with its state. open/close: a closed round refuses every submission.",
    )
    p.add_argument("action", choices=("create", "status", "open", "close"))
    p.add_argument("round_id", metavar="ID", help="the round's id")
    from commands.rounds import add_round_options

    add_round_options(p)
    database_args(p)
    p.set_defaults(func=_run(cmd_round))

    p = sub.add_parser(
        "db",
        help="bring the database's tables up to date (the app also does this when it starts)",
        description="Upgrade the returns database's schema in place with its migrations (Alembic). "
        "A database made by the first release is upgraded and keeps every return, version and code; "
        "a new one is created. Nothing is seeded.",
    )
    p.add_argument("action", choices=("upgrade",))
    p.add_argument(
        "--database-url",
        default=None,
        help="the returns database (default: the DATABASE_URL environment variable, else var/returns.db)",
    )
    p.set_defaults(func=cmd_db)

    p = sub.add_parser(
        "seed",
        help="load survey_data/ into the database (never overwrites a saved version)",
        description="Add the rounds and returns in the data folder that the database does not have yet. "
        "A return already in the database is left exactly as it is.",
    )
    database_args(p)
    p.set_defaults(func=_run(cmd_seed))


def cmd_db(args: argparse.Namespace) -> int:
    try:
        store = Store(args.database_url or default_database_url())
        try:
            print(store.upgrade())
        finally:
            store.dispose()
    except PlainError as exc:
        print(exc)
        return 1
    return 0


def _run(command):
    def run(args: argparse.Namespace) -> int:
        try:
            store = Store(args.database_url or default_database_url())
            try:
                ds = load_survey_data(Path(args.data))
                report = store.seed(ds)
                if ds.problems:
                    print(
                        f"Note: {len(ds.problems)} problem(s) in {args.data}; those files were not loaded "
                        "(run 'python cli.py validate' to see them).",
                        file=sys.stderr,
                    )
                args.seed_report = report
                with acting_as(COMMAND_LINE):
                    return command(store, args)
            finally:
                store.dispose()
        except _Refused as exc:
            print(exc)
            return 2
        except (UnknownRoundError, InvalidInputError) as exc:
            print(exc)
            return 2
        except PlainError as exc:
            print(exc)
            return 1

    return run


def _round(store: Store, round_id: str | None) -> str:
    rounds = store.rounds()
    ids = [r.id for r in rounds]
    if round_id is not None:
        if round_id not in ids:
            raise _Refused(f"There is no round '{round_id}'. Rounds: {', '.join(ids) or 'none'}.")
        return round_id
    questionnaires = [r.id for r in rounds if r.is_questionnaire]
    if len(questionnaires) == 1:
        return questionnaires[0]
    raise _Refused(f"Name the round with --round. Rounds: {', '.join(ids) or 'none'}.")


def _authority(
    store: Store, name: str, round_id: str | None, *, allow_new: bool = False, new_hint: bool = False
) -> str:
    found = store.resolve_authority(name, round_id) or store.resolve_authority(name)
    if found is not None:
        return found
    if allow_new:
        return " ".join(name.split())
    known = ", ".join(store.authorities(round_id)) or "none"
    where = f" in round '{round_id}'" if round_id else ""
    hint = " To issue a code to an authority with no return yet, add --new-authority." if new_hint else ""
    raise _Refused(f"There is no authority '{name}'{where}. Authorities: {known}.{hint}")


def _round_of(store: Store, authority: str) -> str | None:
    """The one round in which the authority has a return, if there is exactly one."""
    rounds = [r.id for r in store.rounds() if store.resolve_authority(authority, r.id) is not None]
    return rounds[0] if len(rounds) == 1 else None


def cmd_history(store: Store, args: argparse.Namespace) -> int:
    round_id = args.round_id or _round_of(store, args.authority)
    round_id = _round(store, round_id)
    authority = _authority(store, args.authority, round_id)
    history = store.history(round_id, authority)
    if not history:
        raise _Refused(f"{authority} has no return in round '{round_id}' yet.")
    if args.format == "json":
        out = {"round": round_id, "authority": authority, "versions": [h.as_dict() for h in history]}
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(f"{authority}, round {round_id}: {len(history)} version(s); the last is current.")
    print()
    rows = [("Version", "Saved (UTC)", "Channel", "Submitted by", "Saved by")]
    rows += [
        (
            str(h.version),
            h.saved_at.strftime("%Y-%m-%d %H:%M"),
            h.channel,
            h.submitted_by,
            h.saved_by or "not recorded",
        )
        for h in history
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for i, row in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
            continue
        h = history[i - 1]
        lines = ["First version."] if i == 1 else describe(h.changes)
        for line in lines:
            print(f"    {line}")
    return 0


def cmd_dump(store: Store, args: argparse.Namespace) -> int:
    round_id = _round(store, args.round_id) if args.round_id else None
    out = Path(args.out)
    returns = store.current_returns(round_id)
    created = store.round_settings()
    for rnd in store.rounds():
        if rnd.id in created and (round_id is None or rnd.id == round_id):
            # A round created in the app or with 'round create' is written back as a round file.
            path = out / "rounds" / f"{rnd.id}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            data = rnd.model_dump(mode="json", exclude_none=True)
            path.write_text(dump_yaml(data), encoding="utf-8")
            print(f"{path}  (round {rnd.id})")
    for ret in returns:
        path = return_path(out, ret)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(return_to_yaml(ret), encoding="utf-8")
        print(f"{path}  ({ret.authority}, version {ret.provenance.version})")
    print(f"Wrote {len(returns)} return(s) to {out}.")
    return 0


def cmd_issue_code(store: Store, args: argparse.Namespace) -> int:
    round_id = _round(store, args.round_id)
    try:
        # The same rule (and message) as the return model and the Coordinator page.
        check_authority_name(args.authority)
    except AuthorityNameError as exc:
        raise _Refused(f"{exc} No code was issued.") from None
    from survey.rounds import NotAMemberError, member_name, members_of_round

    try:
        if members_of_round(store, round_id) is not None:
            # A round expects its members (its group's, recorded when it was made): the register gives the name.
            authority = member_name(store, round_id, args.authority)
        else:
            authority = _authority(
                store, args.authority, round_id, allow_new=args.new_authority, new_hint=True
            )
    except NotAMemberError as exc:
        raise _Refused(f"{exc} No code was issued.") from None
    code = issue_code(store, round_id, authority)
    print(f"Access code for {authority}, round {round_id}:")
    print()
    print(f"    {code}")
    print()
    print(
        "This code is shown only once: copy it now and send it to the authority's lead. "
        "Only a hash of it is stored. Issuing a new code, or revoke-code, ends it."
    )
    return 0


def cmd_revoke_code(store: Store, args: argparse.Namespace) -> int:
    round_id = _round(store, args.round_id)
    authority = _authority(store, args.authority, round_id)
    if revoke_code(store, round_id, authority):
        print(f"The access code of {authority} for round {round_id} is revoked: it no longer works.")
    else:
        print(f"{authority} had no working access code for round {round_id}; nothing to revoke.")
    return 0


def cmd_round(store: Store, args: argparse.Namespace) -> int:
    from commands import rounds as cr

    if args.action == "create":
        return cr.cmd_create(store, args)
    round_id = _round(store, args.round_id)
    if args.action == "status":
        return cr.cmd_status(store, args)
    store.set_round_open(round_id, args.action == "open")
    if args.action == "open":
        print(f"Round {round_id} is open: leads with an access code can submit and amend returns.")
    else:
        print(f"Round {round_id} is closed: submissions are refused until it is opened again.")
    return 0


def cmd_seed(store: Store, args: argparse.Namespace) -> int:
    print(args.seed_report.summary())
    return 0
