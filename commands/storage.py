"""The returns database from the command line.

``history``, ``dump``, ``issue-code``, ``revoke-code`` and ``seed``. Every command takes
``--database-url`` (default: ``DATABASE_URL``, or the SQLite file ``var/returns.db``) and first
seeds the database from ``survey_data/`` (``--data``), so a fresh machine works straight away;
seeding never overwrites a saved version. Also ``db upgrade`` (the schema's migrations, without
seeding). ``round`` and ``changes`` are in ``commands/rounds.py``.

Each runs through ``commands.common.runner``: every change is in the audit log as done by the
shell's user, and errors are reported the one way (exit 1: the database could not be used; 2: an
unknown round or authority, a missing ``--round``, a bad domain or email).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from commands.common import (
    Refused,
    database_args,
    known_authority,
    new_authority,
    pick_round,
    print_json,
    runner,
    table_lines,
)
from config.settings import default_database_url
from models.diff import describe
from store import Store
from store.access import AuthorityNameError, check_authority_name, issue_code, revoke_code
from store.loading import DEFAULT_DATA_DIR, dump_yaml, return_path, return_to_yaml


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
    p.set_defaults(func=runner(cmd_history))

    p = sub.add_parser(
        "dump",
        help="write the current returns back to survey_data-format files",
        description="Write the current version of every return to <out>/<round>/<authority>.yaml, "
        "so the published data set can be kept in git.",
    )
    p.add_argument("--round", dest="round_id", help="only this round (default: every round)")
    p.add_argument("--out", default=str(DEFAULT_DATA_DIR), help="folder to write to (default: survey_data/)")
    database_args(p)
    p.set_defaults(func=runner(cmd_dump))

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
    p.set_defaults(func=runner(cmd_issue_code))

    p = sub.add_parser(
        "revoke-code",
        help="end an authority's access code for a round",
        description="End the authority's access code for the round: it no longer unlocks the form.",
    )
    p.add_argument("authority", help="the authority's usual name, e.g. 'Kent'")
    p.add_argument("--round", dest="round_id", required=True, help="the round's id")
    database_args(p)
    p.set_defaults(func=runner(cmd_revoke_code))

    p = sub.add_parser(
        "db",
        help="bring the database's tables up to date (the app also does this when it starts)",
        description="Upgrade the returns database's schema in place with its migrations (Alembic). "
        "A database made by the first release is upgraded and keeps every return, version and code; "
        "a new one is created. Nothing is seeded.",
    )
    p.add_argument("action", choices=("upgrade",))
    database_args(p, data=False)
    p.set_defaults(func=runner(cmd_db, store=False))

    p = sub.add_parser(
        "seed",
        help="load survey_data/ into the database (never overwrites a saved version)",
        description="Add the rounds and returns in the data folder that the database does not have yet. "
        "A return already in the database is left exactly as it is.",
    )
    database_args(p)
    p.set_defaults(func=runner(cmd_seed))


def cmd_db(args: argparse.Namespace) -> int:
    store = Store(args.database_url or default_database_url())
    try:
        print(store.upgrade())
    finally:
        store.dispose()
    return 0


def _round_of(store: Store, authority: str) -> str | None:
    """The one round in which the authority has a return, if there is exactly one."""
    rounds = [r.id for r in store.rounds() if store.resolve_authority(authority, r.id) is not None]
    return rounds[0] if len(rounds) == 1 else None


def cmd_history(store: Store, args: argparse.Namespace) -> int:
    round_id = args.round_id or _round_of(store, args.authority)
    round_id = pick_round(store, round_id)
    authority = known_authority(store, args.authority, round_id)
    history = store.history(round_id, authority)
    if not history:
        raise Refused(f"{authority} has no return in round '{round_id}' yet.")
    if args.format == "json":
        print_json({"round": round_id, "authority": authority, "versions": [h.as_dict() for h in history]})
        return 0
    print(f"{authority}, round {round_id}: {len(history)} version(s); the last is current.")
    print()
    rows = [("Version", "Saved (UTC)", "Channel", "Submitted by", "Saved by")]
    rows += [
        (
            h.version,
            h.saved_at.strftime("%Y-%m-%d %H:%M"),
            h.channel,
            h.submitted_by,
            h.saved_by or "not recorded",
        )
        for h in history
    ]
    lines = table_lines(rows)
    print("\n".join(lines[:2]))
    for h, line in zip(history, lines[2:], strict=True):
        print(line)
        for change in ["First version."] if h is history[0] else describe(h.changes):
            print(f"    {change}")
    return 0


def cmd_dump(store: Store, args: argparse.Namespace) -> int:
    round_id = pick_round(store, args.round_id) if args.round_id else None
    out = Path(args.out)
    returns = store.current_returns(round_id)
    created = store.round_settings()
    for rnd in store.rounds():
        if (rnd.id in created or rnd.questions) and (round_id is None or rnd.id == round_id):
            # A round created in the app or with 'round create', or given questions of its own, is
            # written back as a round file.
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
    round_id = pick_round(store, args.round_id)
    try:
        # The same rule (and message) as the return model and the Coordinator page.
        check_authority_name(args.authority)
    except AuthorityNameError as exc:
        raise Refused(f"{exc} No code was issued.") from None
    from survey.rounds import NotAMemberError, member_name, members_of_round

    try:
        if members_of_round(store, round_id) is not None:
            # A round expects its members (its group's, recorded when it was made): the register gives the name.
            authority = member_name(store, round_id, args.authority)
        elif args.new_authority and store.resolve_authority(args.authority) is None:
            authority = new_authority(args.authority)
        else:
            hint = " To issue a code to an authority with no return yet, add --new-authority."
            authority = known_authority(store, args.authority, round_id, hint=hint)
    except NotAMemberError as exc:
        raise Refused(f"{exc} No code was issued.") from None
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
    round_id = pick_round(store, args.round_id)
    authority = known_authority(store, args.authority, round_id)
    if revoke_code(store, round_id, authority):
        print(f"The access code of {authority} for round {round_id} is revoked: it no longer works.")
    else:
        print(f"{authority} had no working access code for round {round_id}; nothing to revoke.")
    return 0


def cmd_seed(store: Store, args: argparse.Namespace) -> int:
    print(args.seed_report.summary())
    return 0
