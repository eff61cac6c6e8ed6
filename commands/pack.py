"""``pack``: the meeting pack (.docx) from a shell.

* ``pack --out FILE.docx [--round ID] [--authority NAME ...]`` writes the meeting pack for a
  round (default: the round open for submissions, else the only questionnaire round).
* ``pack --bench`` times building the pack for synthetic returns (15, 153 and 1,530
  authorities × 5 rounds, one round in the pack) and prints the seconds per size.

The pack is written by ``views.word.meeting_pack`` from the very Views the pages render
(``views.pack.pack_views``), so it shows exactly what the pages show.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from commands.common import database_args, error, runner
from models.vocabulary import CLI


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "pack",
        help="write the meeting pack (Word .docx) for a round",
        description="Write the meeting pack: title page with contents, the headline table, the caseload, "
        "QA and impact-evidence charts with their tables, the exception table, change since the last round, "
        "and sources and method; with --appendix, each authority's answers in full after them.",
    )
    p.add_argument("--out", metavar="FILE.docx", help="the document to write")
    p.add_argument("--round", dest="round_id", metavar="ID", help="the round (default: the open round)")
    p.add_argument(
        "--authority",
        action="append",
        default=[],
        metavar="NAME",
        help="only this authority (repeat for several)",
    )
    p.add_argument(
        "--appendix",
        action="store_true",
        help="add each authority's answers in full as an appendix (about 4 pages an authority)",
    )
    p.add_argument(
        "--bench",
        action="store_true",
        help="time the pack for 15, 153 and 1,530 synthetic authorities × 5 rounds instead",
    )
    database_args(p)
    p.set_defaults(func=runner(cmd_pack, store=False))


def _fail(message: str, code: int = 1) -> int:
    error(message)
    return code


def cmd_pack(args: argparse.Namespace) -> int:
    if args.bench:
        for line in bench_lines():
            print(line, flush=True)
        return 0
    if not args.out:
        return _fail("Say where to write the pack: --out FILE.docx.", 2)
    from commands.excel import _pick_round, pick_authorities
    from store import open_store

    started = time.perf_counter()
    store = open_store(args.database_url, args.data)
    round_id = _pick_round(store, args.round_id)
    rounds = {r.id: r for r in store.rounds()}
    returns = store.current_returns(round_id)
    filters = [f"Round: {rounds[round_id].title} ({round_id})"]
    if args.authority:
        returns, missing = pick_authorities(returns, args.authority)
        if missing:
            return _fail("No return for: " + ", ".join(missing) + f". Check the names ({CLI} list).", 2)
        filters.append("Authorities: " + ", ".join(sorted({r.authority for r in returns})))
    if not returns:
        return _fail(f"There are no returns in the round '{round_id}' yet, so there is nothing to print.", 2)
    from survey.rounds import previous_round
    from views.pack import build_pack

    before = previous_round(store, round_id)
    wanted_keys = {" ".join(r.authority.split()).casefold() for r in returns}
    previous = (
        [
            r
            for r in store.current_returns(before.id)
            if " ".join(r.authority.split()).casefold() in wanted_keys
        ]
        if before is not None
        else []
    )
    data = build_pack(returns, rounds, round_id, filters=filters, previous=previous, appendix=args.appendix)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    seconds = time.perf_counter() - started
    print(f"Wrote {out} ({len(data) // 1024} KB, {len(returns)} authorities) in {seconds:.1f} s.")
    return 0


# ---------------------------------------------------------------------------
# Timing


def bench_lines(sizes: Sequence[int] = (15, 153, 1530), rounds: int = 5) -> list[str]:
    """Seconds to build the pack for one round of N synthetic authorities (of N × ``rounds``)."""
    import vl_convert

    from tools.synthetic import synthetic_dataset
    from views.pack import build_pack

    # The chart renderer starts once per process (about 2 s); a running app has paid it already.
    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{"a": 1}]}})
    lines = []
    per: list[float] = []
    for n in sizes:
        dataset = synthetic_dataset(n, rounds)
        round_id = sorted(dataset.rounds)[-1]
        returns = [r for r in dataset.returns if r.round == round_id]
        started, cpu = time.perf_counter(), time.process_time()
        data = build_pack(returns, dataset.rounds, round_id, filters=[f"Round: {round_id}"])
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        per.append(seconds / n)
        lines.append(
            f"pack: {n} authorities × {rounds} rounds: {seconds:.2f} s ({cpu:.2f} s of CPU; "
            f"{len(data) // 1024} KB)"
        )
    if len(per) > 1:
        lines.append(f"pack: seconds per authority {', '.join(f'{p * 1000:.1f} ms' for p in per)}")
    lines.append(f"pack: median {statistics.median(per) * 1000:.1f} ms per authority")
    return lines
