"""``round create|status|open|close`` and ``changes``: run a round every year from the shell.

* ``round create ID --title TITLE --group GROUP --deadline YYYY-MM-DD [--held-on DATE] [--from ROUND]``
  creates an open round; ``--from`` (default: the group's latest questionnaire round) is the round
  returns are carried forward from.
* ``round status ID [--format table|json]`` lists every member of the round's group with its state
  (not_invited, invited, submitted, late), version and when it was saved.
* ``round open|close ID`` opens or closes the round for submissions.
* ``round share ID`` shares a closed round with members; ``round publish ID [--on DATE] [--anonymised]``
  publishes it (on a date set ahead, as it is or anonymised); ``round reopen ID --reason TEXT`` reopens a
  closed or shared round; ``round provisional ID --show|--hide`` shows a collecting round to members.
* ``round questions ID list|library|add|own|copy|hide|show|remove`` — the round's own questions
  (``commands/round_questions.py``).
* ``changes --from ROUND --to ROUND [--format table|json]`` lists each answer an authority changed.
"""

from __future__ import annotations

import argparse

from analysis.changes import field_changes
from commands.common import Refused, database_args, pick_round, print_json, runner, table
from commands.round_questions import cmd_questions
from models.lifecycle import LifecycleError
from models.vocabulary import CLI
from store import Store
from survey import lifecycle as lc
from survey import rounds as rr


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "round",
        help="create a round, list its status, close, share, publish or reopen it",
        description="create: start a new round for a group (open, with a deadline; returns carried forward "
        "from --from, by default the group's latest round). status: every member of the round's group "
        "with its state. open/close: a closed round refuses every submission.",
    )
    p.add_argument(
        "action",
        choices=(
            "create",
            "status",
            "open",
            "close",
            "share",
            "publish",
            "reopen",
            "provisional",
            "questions",
        ),
    )
    p.add_argument("round_id", metavar="ID", help="the round's id")
    p.add_argument("rest", nargs="*", help="questions: list|library|add|own|copy|hide|show|remove [QUESTION]")
    p.add_argument("--file", help="questions own: the question as a YAML file")
    p.add_argument("--title", help="create: the round's title")
    p.add_argument("--group", help="create: the group of authorities, e.g. south-east")
    p.add_argument("--deadline", help="create: the date returns are due, YYYY-MM-DD")
    p.add_argument("--held-on", dest="held_on", help="create: the date of the meeting, YYYY-MM-DD")
    p.add_argument(
        "--from",
        dest="from_round",
        help="create: the round returns are carried forward from (default: the group's latest)",
    )
    p.add_argument(
        "--format", choices=("table", "json"), default="table", help="status, questions list: format"
    )
    p.add_argument(
        "--on", dest="publish_on", help="publish: the publication date, YYYY-MM-DD (default today)"
    )
    p.add_argument("--anonymised", action="store_true", help="publish: each authority as 'Authority A'…")
    p.add_argument("--reason", help="reopen: why the round is reopened (goes in the audit log)")
    p.add_argument("--show", action="store_true", help="provisional: show the collecting round to members")
    p.add_argument("--hide", action="store_true", help="provisional: hide it from members again")
    database_args(p)
    p.set_defaults(func=runner(cmd_round))

    p = sub.add_parser(
        "changes",
        help="what each authority changed between two rounds of a group",
        description="List each answer an authority changed from one round to another of the same group.",
    )
    p.add_argument("--from", dest="from_round", required=True, help="the earlier round's id")
    p.add_argument("--to", dest="to_round", required=True, help="the later round's id")
    p.add_argument("--format", choices=("table", "json"), default="table")
    database_args(p)
    p.set_defaults(func=runner(cmd_changes))


def cmd_round(store: Store, args: argparse.Namespace) -> int:
    if args.action == "create":
        return cmd_create(store, args)
    if args.action == "questions":
        return cmd_questions(store, args)
    round_id = pick_round(store, args.round_id)
    if args.action == "status":
        return cmd_status(store, args)
    if args.action in ("share", "publish", "reopen", "provisional"):
        return cmd_step(store, args, round_id)
    store.set_round_open(round_id, args.action == "open")
    if args.action == "open":
        print(f"Round {round_id} is open: leads with an access code can submit and amend returns.")
    else:
        print(f"Round {round_id} is closed: submissions are refused until it is opened again.")
    return 0


def cmd_create(store: Store, args: argparse.Namespace) -> int:
    missing = [f"--{n}" for n in ("title", "group", "deadline") if not getattr(args, n)]
    if missing:
        raise Refused(f"round create needs {', '.join(missing)}. Nothing was created.")
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
        raise Refused(f"{exc} Nothing was created.") from None
    members = rr.members_of_round(store, rnd.id) or []
    carried = f"; returns start from '{rnd.carried_from}'" if rnd.carried_from else ""
    print(
        f"Round {rnd.id} ('{rnd.title}') is created and open for the group {rnd.group} "
        f"({len(members)} authorities), deadline {rnd.deadline.isoformat()}{carried}."
    )
    print(f"Next: issue each lead a code ({CLI} issue-code AUTHORITY --round {rnd.id}).")
    return 0


def cmd_step(store: Store, args: argparse.Namespace, round_id: str) -> int:
    """share, publish, reopen, provisional: one step of the round's life, checked and written at once."""
    if args.action == "provisional" and args.show == args.hide:
        raise Refused("Show to members: give --show or --hide. Nothing was changed.")
    try:
        store.round_step(
            round_id,
            args.action,
            publish_on=args.publish_on,
            anonymised=args.anonymised,
            reason=args.reason,
            provisional=args.show,
        )
    except LifecycleError as exc:
        raise Refused(str(exc)) from None
    print(f"Round {round_id}: {lc.summary(store, round_id).line()}")
    return 0


def cmd_status(store: Store, args: argparse.Namespace) -> int:
    rows = rr.member_status(store, args.round_id)
    about = lc.summary(store, args.round_id)
    if args.format == "json":
        print_json([m.as_dict() for m in rows])
        return 0
    lines = [("Authority", "ONS code", "State", "Version", "Saved (UTC)")]
    for m in rows:
        saved = m.saved_at.strftime("%Y-%m-%d %H:%M") if m.saved_at else ""
        if m.saved_late:
            saved += " (after the deadline)"
        lines.append((m.authority, m.ons_code, m.state, m.version or "", saved))
    table(lines)
    done = sum(m.state == "submitted" for m in rows)
    print(f"{done} of {len(rows)} submitted. Chase list: {len(rr.chase_list(rows))}.")
    print(about.line())
    return 0


def cmd_changes(store: Store, args: argparse.Namespace) -> int:
    rounds = {r.id: r for r in store.rounds()}
    for flag, rid in (("--from", args.from_round), ("--to", args.to_round)):
        if rid not in rounds:
            raise Refused(f"{flag}: there is no round '{rid}'. Rounds: {', '.join(rounds) or 'none'}.")
    ga = rounds[args.from_round].group
    gb = rounds[args.to_round].group
    if ga != gb or not ga:
        raise Refused(
            f"--from: the round '{args.from_round}' belongs to the group '{ga or 'none'}' and "
            f"'{args.to_round}' to '{gb or 'none'}'; compare two rounds of the same group."
        )
    rows = field_changes(store.current_returns(), args.from_round, args.to_round)
    if args.format == "json":
        print_json(rows)
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
