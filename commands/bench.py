"""``bench``: measure pages, clicks, concurrency, export, saves and first render on synthetic returns (see tools.bench)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from commands.common import Refused, runner
from config import settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bench",
        help="benchmark pages, export, saves and first render on synthetic returns",
        description=(
            "Generate synthetic returns for N authorities over R rounds and measure each page's warm "
            "render time (against an empty page), the full-workbook export (against plain pandas), "
            "save latency and fifty concurrent saves, the app's first render in Chromium "
            "(against a one-line app), what each page sends and, with no browser, 1, 20 and 50 sessions "
            "opening Overview, Caseloads and QA inputs at once over Streamlit's protocol (against an empty "
            "page), each page's click-to-settled in Chromium, and a save shown by a second server on the "
            "same database. Also runs N/10 and N×10 authorities to show how cost grows, "
            "unless --quick or --no-growth. Ends with one 'bench: ...' summary line."
        ),
    )
    p.add_argument("--quick", action="store_true", help="one small size (15 × 5 unless given), few repeats")
    p.add_argument("--authorities", type=int, default=None, help="authorities (default 153; 15 with --quick)")
    p.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    p.add_argument("--no-growth", action="store_true", help="only the main size, not N/10 and N×10")
    p.add_argument("--seed", type=int, default=1, help="seed for the synthetic returns (default 1)")
    p.add_argument(
        "--sessions",
        type=int,
        default=50,
        help="the most protocol sessions opening a page at once (default 50; also 1 and 20 where fewer)",
    )
    p.add_argument(
        "--postgres",
        metavar="URL",
        default=None,
        help="PostgreSQL for the two-server measure (a fresh schema, dropped afterwards); default "
        "TEST_DATABASE_URL if set, else the SQLite file",
    )
    p.add_argument(
        "--profile",
        metavar="DIR",
        default=None,
        help="write py-spy flame graphs of the page renders (one SVG per size) into DIR",
    )
    p.add_argument("--json", dest="json_path", help="also write every figure to this JSON file")
    p.set_defaults(func=runner(cmd_bench, store=False))


def cmd_bench(args: argparse.Namespace) -> int:
    from tools.bench import BenchPlan, run_bench

    authorities = args.authorities or (15 if args.quick else 153)
    if authorities < 1 or args.rounds < 1 or not 1 <= args.sessions <= 200:
        raise Refused("bench: --authorities and --rounds must be at least 1, --sessions from 1 to 200.")
    plan = BenchPlan(
        authorities=authorities,
        rounds=args.rounds,
        quick=args.quick,
        growth=not args.no_growth,
        seed=args.seed,
        sessions=args.sessions,
        postgres_url=args.postgres or settings.get("TEST_DATABASE_URL") or None,
        profile_dir=Path(args.profile) if args.profile else None,
    )
    report = run_bench(plan, out=lambda line: print(line, flush=True))
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as fh:
            json.dump(asdict(report), fh, indent=2, default=str)
    return 0
