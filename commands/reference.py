"""``authorities`` and ``context``: the register of English authorities and the official figures.

cli.py authorities [--region NAME] [--format table|json]      list the register
cli.py authorities build [--las PATH] [--code-list PATH] [--out PATH]
cli.py context AUTHORITY [--format table|json]                an authority's figures, implied FTEs, flags
cli.py context build [--lait PATH] [--neighbours PATH] [--dictionary PATH] [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from commands.common import database_args, error, print_json, runner, table
from official.build import common as rb
from official.build.context import build_context
from official.build.register import build_register


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "authorities",
        help="list the register of English authorities, or rebuild it ('authorities build')",
        description=(
            "List every live English local authority with children's services duties, with its ONS and DfE "
            "codes and region. 'authorities build' rebuilds reference_data/authorities.csv from the DfE/ONS "
            "codes (las.csv), byte for byte the same from the same file."
        ),
    )
    p.add_argument("action", nargs="?", choices=("build",), help="'build' rebuilds the register file")
    p.add_argument("--region", help="only this region (name, e.g. 'South East', or id, e.g. south-east)")
    p.add_argument("--all", action="store_true", help="also list authorities that have ended")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--las", default=str(rb.DEFAULT_LAS), help="build: the DfE/ONS codes file (las.csv)")
    p.add_argument(
        "--code-list",
        default=str(rb.DEFAULT_CODE_LIST),
        help="build: LAIT's la_code_list.xlsx (checks regions)",
    )
    p.add_argument(
        "--out", default=str(rb.REFERENCE_DIR / "authorities.csv"), help="build: where to write the register"
    )
    p.set_defaults(func=runner(cmd_authorities, store=False))

    p = sub.add_parser(
        "context",
        help="an authority's official figures, implied FTEs, flags and neighbours; or 'context build'",
        description=(
            "Print an authority's context: the latest figure of each measure with its year, region and England, "
            "the implied full-time IROs and CP chairs, the plausibility flags and the ten statistical "
            "neighbours. 'context build' rebuilds the extract in reference_data/ from LAIT's files."
        ),
    )
    p.add_argument("authority", help="an authority's name, ONS or DfE code; or 'build'")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument(
        "--data",
        default=None,
        help="read the authority's return from this data folder instead of the returns database",
    )
    p.add_argument("--round", dest="round_id", help="the round of the return to use (default: the latest)")
    p.add_argument(
        "--lait", default=str(rb.DEFAULT_LAIT), help="build: LAIT's data file (bds_long_0.parquet)"
    )
    p.add_argument("--neighbours", default=str(rb.DEFAULT_NEIGHBOURS), help="build: statistical neighbours")
    p.add_argument("--dictionary", default=str(rb.DEFAULT_DICTIONARY), help="build: LAIT's data dictionary")
    p.add_argument("--out", default=str(rb.REFERENCE_DIR), help="build: the folder to write the extract to")
    database_args(p, data=False)
    p.set_defaults(func=runner(cmd_context, store=False))


def cmd_authorities(args: argparse.Namespace) -> int:
    from official.register import UnknownAuthority, load_register

    if args.action == "build":
        out = Path(args.out)
        try:
            text = build_register(Path(args.las), Path(args.code_list) if args.code_list else None)
            rb.write_files({out: text})
        except rb.ReferenceBuildError as exc:
            error(f"authorities build: {exc}")
            return 1
        live = sum(1 for line in text.splitlines()[1:] if ",live," in line)
        print(f"Wrote {out}: {len(text.splitlines()) - 1} authorities ({live} live).")
        return 0
    reg = load_register()
    try:
        entries = reg.members(args.region) if args.region else (reg.authorities if args.all else reg.live())
    except UnknownAuthority as exc:
        error(str(exc))
        return 2
    entries = sorted(entries, key=lambda a: (a.name.lower(), a.date_of_operation))
    if args.format == "json":
        print_json([a.as_dict() for a in entries])
        return 0
    rows = [("Authority", "ONS code", "DfE code", "Region", "Status")]
    rows += [(a.name, a.ons_code, a.dfe_code, a.region, a.status) for a in entries]
    table(rows)
    print(f"{len(entries)} authorit{'y' if len(entries) == 1 else 'ies'}.")
    return 0


def _build_context(args: argparse.Namespace) -> int:
    out = Path(args.out)
    try:
        files = build_context(
            Path(args.lait), Path(args.neighbours), Path(args.dictionary), out / "authorities.csv"
        )
        rb.write_files({out / name: text for name, text in files.items()})
    except rb.ReferenceBuildError as exc:
        error(f"context build: {exc}")
        return 1
    sizes = ", ".join(f"{name} ({len(text.encode()) // 1024} KB)" for name, text in files.items())
    print(f"Wrote {out}: {sizes}.")
    return 0


def _fmt(v: float | None) -> str:
    if v is None:
        return "not available"
    return f"{v:,.0f}" if v == int(v) else f"{v:,.1f}"


def _current_returns(args: argparse.Namespace) -> list:
    """The current stored returns (a saved correction counts), or the data folder's with ``--data``."""
    if args.data:
        from store.loading import load_survey_data

        return load_survey_data(Path(args.data)).returns
    from store import open_store

    store = open_store(args.database_url)
    try:
        return store.current_returns()
    finally:
        store.dispose()


def cmd_context(args: argparse.Namespace) -> int:
    if args.authority == "build":
        return _build_context(args)
    from official.context_table import context_report

    report = context_report(args.authority, _current_returns(args), args.round_id)
    if report["message"] and not report["not_named"] and report["ons_code"] is None:
        error(f"context: {report['message']}.")
        return 2
    if args.format == "json":
        print_json(report)
        return 0
    if report["ons_code"] is None:
        print(f"{report['authority']}: {report['message']}.")
    else:
        print(f"{report['authority']} ({report['ons_code']}, DfE {report['dfe_code']}, {report['region']})")
        print()
        rows = [("Measure", "Year", "Value", "Region", "England", "Rank")]
        for m in report["measures"]:
            rank = f"{m['rank']} of {m['of']}, {m['quartile']}" if m["rank"] else ""
            value = _fmt(m["value"]) if m["value"] is not None else f"not available ({m['reason']})"
            rows.append(
                (m["name"], m["year"] or "", value, _fmt(m["region_value"]), _fmt(m["england_value"]), rank)
            )
        table(rows)
        for sentence in report["series_breaks"]:
            print(f"\n{sentence}")
    implied = report["implied"]
    print()
    if implied is None:
        print("Implied workforce: no return for this authority.")
    else:
        for role, label in (("iro", "IROs"), ("cp_chair", "CP chairs")):
            r = implied[role]
            if r["implied_fte"] is not None:
                rng = r["implied_fte_range"]
                spread = f" (range {rng[0]:g}–{rng[1]:g})" if rng and rng[0] != rng[1] else ""
                print(
                    f"Implied full-time {label}: {r['implied_fte']:g}{spread} = {_fmt(r['official_value'])} "
                    f"{r['official']} ÷ caseload {r['midpoint']:g}."
                )
            elif r["stated_fte"]:
                if r["implied_caseload"]:
                    other = f"; implied caseload {r['implied_caseload']:g} per officer"
                else:
                    other = f" (no implied caseload: {r['reason']})" if r["reason"] else ""
                print(f"Stated full-time {label}: {r['stated_fte']:g}{other}.")
            else:
                print(f"Implied full-time {label}: not computed: {r['reason']}.")
            for note in r["notes"]:
                print(f"  {note}")
    if report["flags"]:
        print("\nFlags:")
        for f in report["flags"]:
            print(f"  [{f['code']}] {f['message']}")
    if report["neighbours"]:
        print(
            "\nStatistical neighbours (May 2025): "
            + ", ".join(f"{n['name']} ({n['band'].lower()})" for n in report["neighbours"])
        )
    print(f"\n{report['attribution']}")
    return 0
