"""``report``: an authority's "how we compare" report (.docx), for its IRO annual report and its board.

``report AUTHORITY [--round ID] --out FILE.docx`` writes the report of one authority in one round
(default: the open round, else the only questionnaire round), made from the same View as the How we
compare page (``views.report``), against the round's other returns and, for change, the authority's
return in the group's previous round.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from commands.common import Refused, database_args, runner


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="write an authority's 'how we compare' report (Word .docx)",
        description="Write one authority's 'how we compare' report: each figure against the group, its "
        "statistical neighbours and England, with rank, quarter and which way is good; caseloads against the "
        "IRO Handbook band; flagged figures with the lead's commentary; what most of the group reports and it "
        "does not; change since its last return; the official figures and the inspectors' words.",
    )
    p.add_argument("authority", help="the authority's usual name, e.g. 'Kent' (any case)")
    p.add_argument("--round", dest="round_id", metavar="ID", help="the round (default: the open round)")
    p.add_argument("--out", metavar="FILE.docx", required=True, help="the document to write")
    database_args(p)
    p.set_defaults(func=runner(cmd_report))


def cmd_report(store, args: argparse.Namespace) -> int:
    from commands.excel import _pick_round

    started = time.perf_counter()
    round_id = _pick_round(store, args.round_id)
    rounds = {r.id: r for r in store.rounds()}
    returns = store.current_returns(round_id)
    name = store.resolve_authority(args.authority, round_id)
    if name is None:
        known = ", ".join(sorted(r.authority for r in returns)) or "none"
        raise Refused(
            f"There is no return for '{args.authority}' in round '{round_id}'. Authorities: {known}."
        )
    from survey.rounds import previous_round

    before = previous_round(store, round_id)
    previous = store.current_returns(before.id) if before is not None else []
    from views.report import build_report

    data = build_report(returns, rounds, name, previous=previous)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(
        f"Wrote {out} ({len(data) // 1024} KB): how {name} compares, {rounds[round_id].title}, in {time.perf_counter() - started:.1f} s."
    )
    return 0
