"""``round questions ID ACTION``: a round's own questions from the shell.

* ``round questions ID list [--format table|json]`` — the round's questions (hidden ones marked);
* ``round questions ID library`` — the library's questions, to pick from;
* ``round questions ID add QUESTION`` — add a library question;
* ``round questions ID own --file QUESTION.yaml`` — add the coordinator's own question;
* ``round questions ID copy QUESTION --from ROUND`` — the same question as an earlier round's;
* ``round questions ID hide|show|remove QUESTION`` — remove is refused once it has answers.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from commands.common import Refused, pick_round, print_json, table
from models.questions import describe, library
from store import Store
from store.loading import parse_yaml
from survey import round_questions as rq

ACTIONS = ("list", "library", "add", "own", "copy", "hide", "show", "remove")


def cmd_questions(store: Store, args: argparse.Namespace) -> int:
    round_id = pick_round(store, args.round_id)
    action, *rest = args.rest or ["list"]
    if action not in ACTIONS:
        raise Refused(f"round questions: '{action}' is not an action ({', '.join(ACTIONS)}).")
    if action == "list":
        return _list(store, round_id, args.format)
    if action == "library":
        table([("Id", "Role", "Kind", "Question"), *((q.id, q.role, describe(q), q.text) for q in library())])
        return 0
    if action == "own":
        if not args.file:
            raise Refused("round questions own needs --file QUESTION.yaml. Nothing was changed.")
        data = parse_yaml(Path(args.file).read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise Refused(f"{args.file}: write the question as a mapping (id, text, role, kind, ...).")
        run = lambda: rq.add_own(store, round_id, data)  # noqa: E731
    else:
        if len(rest) != 1:
            raise Refused(f"round questions {action} needs one question id. Nothing was changed.")
        qid = rest[0]
        if action == "add":
            run = lambda: rq.add_from_library(store, round_id, qid)  # noqa: E731
        elif action == "copy":
            if not args.from_round:
                raise Refused("round questions copy needs --from ROUND. Nothing was changed.")
            run = lambda: rq.copy_from_round(store, round_id, args.from_round, qid)  # noqa: E731
        elif action == "remove":
            run = lambda: rq.remove(store, round_id, qid)  # noqa: E731
        else:
            run = lambda: rq.hide(store, round_id, qid, action == "hide")  # noqa: E731
    try:
        rnd = run()
    except rq.QuestionChangeError as exc:
        raise Refused(str(exc)) from None
    shown = sum(not q.hidden for q in rnd.questions)
    print(f"Round {round_id} asks {shown} question(s) of its own ({len(rnd.questions) - shown} hidden).")
    return 0


def _list(store: Store, round_id: str, fmt: str) -> int:
    rnd = store.get_round(round_id)
    if fmt == "json":
        print_json([q.model_dump(mode="json") for q in rnd.questions])
        return 0
    rows = [("Id", "Role", "Kind", "Question", "Shown")]
    rows += [(q.id, q.role, describe(q), q.text, "hidden" if q.hidden else "yes") for q in rnd.questions]
    table(rows)
    print(f"{len(rnd.questions)} question(s) of its own in round {round_id}.")
    return 0
