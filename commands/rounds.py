"""``round create|status`` and ``changes``: run a round every year from the shell.

* ``round create ID --title TITLE --group GROUP --deadline YYYY-MM-DD [--held-on DATE] [--from ROUND]``
  creates an open round; ``--from`` (default: the group's latest questionnaire round) is the round
  returns are carried forward from.
* ``round status ID [--format table|json]`` lists every member of the round's group with its state
  (not_invited, invited, submitted, late), version and when it was saved.
* ``changes --from ROUND --to ROUND [--format table|json]`` lists each answer an authority changed.

``round open|close`` stay in ``commands/storage.py``, which dispatches here.
"""

from __future__ import annotations

import argparse
import json

from analysis.changes import field_changes
from store import Store
from survey import rounds as rr


def add_round_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--title", help="create: the round's title")
    p.add_argument("--group", help="create: the group of authorities, e.g. south-east")
    p.add_argument("--deadline", help="create: the date returns are due, YYYY-MM-DD")
    p.add_argument("--held-on", dest="held_on", help="create: the date of the meeting, YYYY-MM-DD")
    p.add_argument(
        "--from",
        dest="from_round",
        help="create: the round returns are carried forward from (default: the group's latest)",
    )
    p.add_argument("--format", choices=("table", "json"), default="table", help="status: output format")


def cmd_create(store: Store, args: argparse.Namespace) -> int:
    missing = [f"--{n}" for n in ("title", "group", "deadline") if not getattr(args, n)]
    if missing:
        print(f"round create needs {', '.join(missing)}. Nothing was created.")
        return 2
    try:
        rnd = rr.create_round(
            store,
            round_id=args.round_id,
            title=args.title,
            group_id=args.group,
            deadline=args.deadline,
            held_on=args.held_on,
            from_round=args.from_round,
        )
    except rr.RoundInputError as exc:
        print(f"{exc} Nothing was created.")
        return 2
    members = rr.members_of_round(store, rnd.id) or []
    carried = f"; returns start from '{rnd.carried_from}'" if rnd.carried_from else ""
    print(
        f"Round {rnd.id} ('{rnd.title}') is created and open for the group {rnd.group} "
        f"({len(members)} authorities), deadline {rnd.deadline.isoformat()}{carried}."
    )
    print(f"Next: issue each lead a code (python cli.py issue-code AUTHORITY --round {rnd.id}).")
    return 0


def cmd_status(store: Store, args: argparse.Namespace) -> int:
    rows = rr.member_status(store, args.round_id)
    if args.format == "json":
        print(json.dumps([m.as_dict() for m in rows], indent=2, ensure_ascii=False))
        return 0
    table = [("Authority", "ONS code", "State", "Version", "Saved (UTC)")]
    for m in rows:
        saved = m.saved_at.strftime("%Y-%m-%d %H:%M") if m.saved_at else ""
        if m.saved_late:
            saved += " (after the deadline)"
        table.append((m.authority, m.ons_code, m.state, str(m.version or ""), saved))
    widths = [max(len(r[i]) for r in table) for i in range(5)]
    for i, row in enumerate(table):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    done = sum(m.state == "submitted" for m in rows)
    print(f"{done} of {len(rows)} submitted. Chase list: {len(rr.chase_list(rows))}.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from commands.storage import _run, database_args

    p = sub.add_parser(
        "changes",
        help="what each authority changed between two rounds of a group",
        description="List each answer an authority changed from one round to another of the same group.",
    )
    p.add_argument("--from", dest="from_round", required=True, help="the earlier round's id")
    p.add_argument("--to", dest="to_round", required=True, help="the later round's id")
    p.add_argument("--format", choices=("table", "json"), default="table")
    database_args(p)
    p.set_defaults(func=_run(cmd_changes))


def cmd_changes(store: Store, args: argparse.Namespace) -> int:
    rounds = {r.id: r for r in store.rounds()}
    for flag, rid in (("--from", args.from_round), ("--to", args.to_round)):
        if rid not in rounds:
            print(f"{flag}: there is no round '{rid}'. Rounds: {', '.join(rounds) or 'none'}.")
            return 2
    ga = rounds[args.from_round].group
    gb = rounds[args.to_round].group
    if ga != gb or not ga:
        print(
            f"--from: the round '{args.from_round}' belongs to the group '{ga or 'none'}' and "
            f"'{args.to_round}' to '{gb or 'none'}'; compare two rounds of the same group."
        )
        return 2
    rows = field_changes(store.current_returns(), args.from_round, args.to_round)
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return 0
    from models.diff import show_value

    if not rows:
        print("No authority changed an answer (or none has a return in both rounds).")
        return 0
    for r in rows:
        print(
            f"{r['authority']}: {r['field']}: {show_value(r['field'], r['before'])} → "
            f"{show_value(r['field'], r['after'])}"
        )
    print(f"{len(rows)} answer(s) changed.")
    return 0
