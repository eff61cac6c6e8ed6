"""``ofsted``: an authority's latest Ofsted inspection and what inspectors wrote on IROs and CP conferences.

cli.py ofsted AUTHORITY [--format table|json]
cli.py ofsted build [--overview PATH] [--reports DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import textwrap
from pathlib import Path

from commands.common import error, json_text, runner
from exports.text import for_terminal
from official import ofsted as o


def register(sub: argparse._SubParsersAction) -> None:
    from official.build import ofsted as build

    p = sub.add_parser(
        "ofsted",
        help="an authority's Ofsted judgements and the inspectors' words on IROs and CP conferences; or 'ofsted build'",
        description=(
            "Print an authority's latest Ofsted inspection of children's services (ILACS): the framework, "
            "dates, the five judgements and the report's address, then the numbered paragraphs of the report "
            "held that speak of IROs or child protection conferences, with which inspection they come from. "
            "'ofsted build' rebuilds the extract in reference_data/ from Ofsted's overview and report texts."
        ),
    )
    p.add_argument("authority", help="an authority's name, ONS or DfE code; or 'build'")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument(
        "--overview", default=str(build.DEFAULT_OVERVIEW), help="build: Ofsted's overview (xlsx or csv)"
    )
    p.add_argument(
        "--reports",
        default=str(build.DEFAULT_REPORTS),
        help="build: the folder of report texts (URN_NAME_DATE.txt)",
    )
    p.add_argument("--out", default=str(build.REFERENCE_DIR), help="build: the folder to write to")
    p.set_defaults(func=runner(cmd_ofsted, store=False))


#: Text safe to print (``exports.text.for_terminal``) and JSON with the exact text
#: (``commands.common.json_text``): the command line's one cleaning at its edge.
terminal_text = for_terminal
_json = json_text


def inspection_report(code: str, data: o.OfstedData | None = None) -> dict | None:
    """What ``ofsted AUTHORITY --format json`` prints, or None for an unknown authority."""
    authority = o.find_authority(code)
    if authority is None:
        return None
    data = data or o.load_ofsted()
    found = data.inspection(authority.dfe_code)
    if found is None:
        return {
            "authority": authority.name,
            "ons_code": authority.ons_code,
            "dfe_code": authority.dfe_code,
            "inspected": False,
            "grades": dict.fromkeys(o.JUDGEMENT_KEYS, o.NOT_INSPECTED),
            "passages": [],
            "note": o.NOT_A_VERDICT,
            "attribution": o.OFSTED_ATTRIBUTION,
        }
    t = found.text
    return {
        "authority": found.name,
        "ons_code": found.ons_code,
        "dfe_code": found.dfe_code,
        "urn": found.urn,
        "inspected": found.inspected,
        "framework": found.framework or None,
        "start_date": found.start.isoformat() if found.start else None,
        "end_date": found.end.isoformat() if found.end else None,
        "published": found.published.isoformat() if found.published else None,
        "grades": dict(found.grades),
        "report_url": found.report_url or None,
        "report_text": None
        if t is None
        else {
            "published": t.published.isoformat(),
            "inspection_dates": t.inspection_dates,
            "is": t.relation,
            "paragraphs": t.paragraphs,
        },
        "text_note": found.text_note(),
        "passages": [
            {
                "paragraph": p.paragraph,
                "topics": list(p.topics),
                "report_published": p.report_published.isoformat(),
                "inspection_dates": p.inspection_dates,
                "earlier_than_graded": p.earlier_than_graded,
                "text": p.text,
            }
            for p in data.passages(found.dfe_code)
        ],
        "note": o.NOT_A_VERDICT,
        "attribution": o.OFSTED_ATTRIBUTION,
    }


def _build(args: argparse.Namespace) -> int:
    from official.build import ofsted as build

    out = Path(args.out)
    try:
        files = build.build_ofsted(Path(args.overview), Path(args.reports))
        build.write_files({out / name: text for name, text in files.items()})
    except build.OfstedBuildError as exc:
        error(f"ofsted build: {exc} The extract in {out} is unchanged.")
        return 1
    judgements = files[o.JUDGEMENTS_FILE].count("\n") - 1
    passages = len(list(csv.DictReader(io.StringIO(files[o.PASSAGES_FILE], newline=""))))
    print(
        f"Wrote {out}: {o.JUDGEMENTS_FILE} ({judgements} authorities), {o.PASSAGES_FILE} ({passages} passages)."
    )
    return 0


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(terminal_text(text), width=100, initial_indent=indent, subsequent_indent=indent) or [
        indent
    ]


def cmd_ofsted(args: argparse.Namespace) -> int:
    if args.authority == "build":
        return _build(args)
    report = inspection_report(args.authority)
    if report is None:
        print(
            f"ofsted: '{terminal_text(args.authority)}' is not an English local authority in the register.",
            file=sys.stderr,
        )
        return 2
    if args.format == "json":
        print(_json(report))
        return 0
    data = o.load_ofsted()
    found = data.inspection(report["dfe_code"])
    lines = [f"{report['authority']} ({report['ons_code']}, DfE {report['dfe_code']})", ""]
    if found is None or not found.inspected:
        lines.append(f"{o.NOT_INSPECTED}.")
    else:
        lines.append(f"Ofsted's latest inspection of children's services: {found.dates_text()}.")
        if found.report_url:
            lines.append(f"Report: {found.report_url}")
        lines.append("")
        judgements = found.judgements()
        width = max(len(full) for _, full, _ in judgements)
        lines.append(f"{'Judgement'.ljust(width)}  Grade")
        lines.append(f"{'-' * width}  {'-' * 31}")
        lines += [f"{full.ljust(width)}  {grade}" for _, full, grade in judgements]
        lines.append("")
        lines += _wrap(o.NOT_A_VERDICT, "")
        lines.append("")
        lines += _wrap(found.text_note(), "")
        for topic, title in o.TOPICS.items():
            lines += ["", title]
            passages = data.passages(found.dfe_code, topic)
            if not passages and found.text is not None:
                lines.append("  No paragraph of the report held speaks of this.")
            for p in passages:
                lines.append(f"  {p.reference}:")
                lines += _wrap(p.text, "    ")
    lines += ["", o.OFSTED_ATTRIBUTION]
    print("\n".join(lines))
    return 0
