"""``pack``: the meeting pack (.docx) from a shell.

* ``pack --out FILE.docx [--round ID] [--authority NAME ...]`` writes the meeting pack for a
  round (default: the round open for submissions, else the only questionnaire round).
* ``pack --bench`` times building the pack for synthetic returns (15, 153 and 1,530
  authorities × 5 rounds, one round in the pack) and prints the seconds per size.

The pack is written by ``dashboard.pack.meeting_pack`` from Views. TEMPORARY: until the
comparison pages' builders exist (``views.<page>.build``, issue 9), ``temporary_views`` below
makes Views from ``dashboard.analysis`` and ``dashboard.tables``. The integrator replaces it
with the pages' own builders, so the pack shows exactly what the pages show.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from models.returns import ROLE_LABELS, AuthorityReturn, SurveyRound

DEFAULT_GROUP = "IRO and CP chair benchmarking"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "pack",
        help="write the meeting pack (Word .docx) for a round",
        description="Write the meeting pack: title page, contents, headline figures, caseload charts "
        "and tables, the QA and impact-evidence prevalence charts and matrices, one page per "
        "authority, and sources and method.",
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
        "--bench",
        action="store_true",
        help="time the pack for 15, 153 and 1,530 synthetic authorities × 5 rounds instead",
    )
    from commands.storage import database_args

    database_args(p)
    p.set_defaults(func=cmd_pack)


def _fail(message: str, code: int = 1) -> int:
    print(message)
    return code


def cmd_pack(args: argparse.Namespace) -> int:
    if args.bench:
        for line in bench_lines():
            print(line, flush=True)
        return 0
    if not args.out:
        return _fail("Say where to write the pack: --out FILE.docx.", 2)
    from commands.excel import _open, _pick_round
    from dashboard.storage import StorageError

    started = time.perf_counter()
    try:
        store = _open(args)
        round_id, problem = _pick_round(store, args.round_id)
        if problem:
            return _fail(problem, 2)
        rounds = {r.id: r for r in store.rounds()}
        returns = store.current_returns(round_id)
    except StorageError as exc:
        return _fail(str(exc))
    filters = [f"Round: {rounds[round_id].title} ({round_id})"]
    if args.authority:
        wanted = {" ".join(a.split()).casefold(): a for a in args.authority}
        returns = [r for r in returns if " ".join(r.authority.split()).casefold() in wanted]
        found = {" ".join(r.authority.split()).casefold() for r in returns}
        missing = [name for key, name in wanted.items() if key not in found]
        if missing:
            return _fail("No return for: " + ", ".join(missing) + ". Check the names (cli.py list).", 2)
        filters.append("Authorities: " + ", ".join(sorted({r.authority for r in returns})))
    if not returns:
        return _fail(f"There are no returns in the round '{round_id}' yet, so there is nothing to print.", 2)
    data = build_pack(returns, rounds, round_id, filters=filters)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    seconds = time.perf_counter() - started
    print(f"Wrote {out} ({len(data) // 1024} KB, {len(returns)} authorities) in {seconds:.1f} s.")
    return 0


def build_pack(
    returns: Sequence[AuthorityReturn],
    rounds: Mapping[str, SurveyRound],
    round_id: str,
    *,
    filters: Sequence[str] = (),
    generated_at: dt.datetime | None = None,
) -> bytes:
    """The meeting pack for ``returns`` of one round (Views from ``temporary_views`` for now)."""
    from dashboard.pack import meeting_pack

    rnd = rounds[round_id]
    views, authority_pages, method = temporary_views(returns, rounds)
    return meeting_pack(
        views,
        round_title=rnd.title,
        group=rnd.region or DEFAULT_GROUP,
        generated_at=generated_at or dt.datetime.now(dt.UTC),
        filters=filters,
        authority_pages=authority_pages,
        method=method,
    )


# ---------------------------------------------------------------------------
# TEMPORARY adapter: Views made from dashboard.analysis and dashboard.tables until the pages'
# own builders (views.<page>.build) exist. Replace with those; do not grow this.


def temporary_views(returns: Sequence[AuthorityReturn], rounds: Mapping[str, SurveyRound]):
    """(views, authority pages, method lines) for the pack. TEMPORARY (see above)."""
    from dashboard import analysis, guidance
    from dashboard import tables as tbl
    from dashboard.export import REFERENCE_BAND_TEXT, caseload_rules
    from views.base import Figure, Section, Table, View

    head = analysis.headline(returns)
    figures = (
        Figure("Authorities", str(head.authorities)),
        Figure("Combined role", str(head.combined)),
        Figure("Separate roles", str(head.separate)),
        Figure("Model not stated", str(head.not_stated)),
        *(Figure(f"Median {ROLE_LABELS['iro']} caseload", m.sentence()) for m in head.iro),
        *(Figure(f"Median {ROLE_LABELS['cp_chair']} caseload", m.sentence()) for m in head.cp_chair),
    )
    headline = View(key="overview", title="Headline figures", sections=(Section(figures=figures),))

    sections = []
    for role in ROLE_LABELS:
        frame = analysis.caseload_frame(returns, role)
        table = frame[["Authority", "Model", "Answer (as reported)", "As numbers", "Unit"]].copy()
        if role == "iro":
            table["Against the band"] = [
                _band_word(f, u) for f, u in zip(frame["Figure"], frame["Unit group"], strict=True)
            ]
        sections.append(
            Section(
                heading=f"{ROLE_LABELS[role]} caseloads",
                charts=(_caseload_chart(frame, role),) if not frame.empty else (),
                text=analysis.caseload_text(frame, role),
                tables=(Table(f"{role}-caseloads", f"{ROLE_LABELS[role]} caseloads by authority", table),),
                notes=(f"IRO Handbook: {REFERENCE_BAND_TEXT}.",) if role == "iro" else (),
                empty=None if not frame.empty else f"No {ROLE_LABELS[role]} caseloads in this round.",
            )
        )
    caseloads = View(key="caseloads", title="Caseloads", sections=tuple(sections))

    taxonomy_views = []
    for taxonomy in ("qa", "impact"):
        sections = []
        for role in ROLE_LABELS:
            shares = analysis.code_shares(returns, taxonomy, role)
            if shares.empty:
                continue
            matrix = tbl.matrix_table([r for r in returns if getattr(r, role) is not None], taxonomy, role)
            sections.append(
                Section(
                    heading=ROLE_LABELS[role],
                    charts=(_prevalence_chart(shares, taxonomy, role),),
                    text=analysis.shares_text(shares, taxonomy),
                    tables=(
                        Table(
                            f"{taxonomy}-{role}-shares", "How many authorities report each", _shares(shares)
                        ),
                        Table(
                            f"{taxonomy}-{role}-matrix",
                            f"{tbl.TAXONOMY_TITLES[taxonomy]}: by authority",
                            matrix,
                        ),
                    ),
                )
            )
        taxonomy_views.append(
            View(key=taxonomy, title=tbl.TAXONOMY_TITLES[taxonomy], sections=tuple(sections))
        )

    pages = []
    for ret in sorted(returns, key=lambda r: r.authority.casefold()):
        figs = [Figure("Model", ret.model_label)]
        for role in ROLE_LABELS:
            section = getattr(ret, role)
            if section is not None and section.caseload is not None:
                figs.append(Figure(f"{ROLE_LABELS[role]} caseload", section.caseload.text or "Not answered"))
        answers = pd.DataFrame(
            [(a.section, a.question, a.answer) for a in analysis.profile(ret)],
            columns=["Part", "Question", "Answer"],
        )
        pages.append(
            View(
                key=f"authority-{ret.authority}",
                title=ret.authority,
                sections=(
                    Section(figures=tuple(figs), tables=(Table("answers", "Answers in full", answers),)),
                ),
            )
        )

    rnd_ids = list(dict.fromkeys(r.round for r in returns))
    method = [
        *(f"Source ({rid}): " + "; ".join(rounds[rid].sources) for rid in rnd_ids if rid in rounds),
        "Caseloads are kept as reported, in words, and as numbers: " + " ".join(caseload_rules()),
        f"Reference band: {guidance.IRO_BAND_LABEL}. Source: {guidance.IRO_HANDBOOK}. CP chair "
        "caseloads and caseloads counted in families are not directly comparable with it.",
        "Activities and evidence are as coded from each return's own words (see each authority's page).",
    ]
    return [headline, caseloads, *taxonomy_views], pages, method


def _band_word(figure, unit_group: str) -> str:
    from dashboard import guidance

    if figure is None or pd.isna(figure):
        return "no figure"
    if unit_group == "families":
        return "not comparable"
    if figure < guidance.IRO_BAND_LOW:
        return "below"
    return "above" if figure > guidance.IRO_BAND_HIGH else "within"


def _shares(shares: pd.DataFrame) -> pd.DataFrame:
    from dashboard import analysis

    table = analysis.shares_table(shares)
    return table[[c for c in table.columns if not c.endswith(": share")]]


def _caseload_chart(frame: pd.DataFrame, role: str):
    import altair as alt

    from dashboard import guidance
    from dashboard.export import REFERENCE_SOURCE
    from views.base import Chart

    data = frame[frame["Figure"].notna()][["Authority", "Model", "Start", "End", "Figure", "Unit"]].copy()
    data = data.astype({"Start": float, "End": float, "Figure": float})
    data["Start"] = data["Start"].fillna(data["End"])
    y = alt.Y("Authority:N", sort=alt.EncodingSortField("Figure", order="descending"), title=None)
    layers = []
    if role == "iro":
        band = pd.DataFrame({"low": [guidance.IRO_BAND_LOW], "high": [guidance.IRO_BAND_HIGH]})
        layers.append(alt.Chart(band).mark_rect(color="#DDEBF7").encode(x="low:Q", x2="high:Q"))
    layers.append(
        alt.Chart(data)
        .mark_rule(strokeWidth=3)
        .encode(x=alt.X("Start:Q", title=f"{ROLE_LABELS[role]} caseload"), x2="End:Q", y=y, color="Model:N")
    )
    layers.append(
        alt.Chart(data)
        .mark_point(filled=True, size=40)
        .encode(x="Figure:Q", y=y, color="Model:N", shape="Model:N")
    )
    figures = ", ".join(f"{a} {f:g}" for a, f in zip(data["Authority"], data["Figure"], strict=True))
    return Chart(
        key=f"{role}-caseloads",
        title=f"{ROLE_LABELS[role]} caseloads by authority",
        chart=alt.layer(*layers).properties(width="container", height=alt.Step(14)),
        alt=f"{ROLE_LABELS[role]} caseloads, as figures: {figures}.",
        source="Authorities' returns" + (f"; reference band: {REFERENCE_SOURCE}" if role == "iro" else ""),
    )


def _prevalence_chart(shares: pd.DataFrame, taxonomy: str, role: str):
    import altair as alt

    from dashboard import tables as tbl
    from views.base import Chart

    chart = (
        alt.Chart(shares)
        .mark_bar()
        .encode(
            y=alt.Y("Label:N", title=None, sort="-x"),
            x=alt.X("Reporting:Q", title="Authorities reporting it", stack="zero"),
            color=alt.Color("Model:N"),
        )
        .properties(width="container")
    )
    totals = shares.groupby("Label", sort=False)["Reporting"].sum().sort_values(ascending=False)
    return Chart(
        key=f"{taxonomy}-{role}-prevalence",
        title=f"{tbl.TAXONOMY_TITLES[taxonomy]} ({ROLE_LABELS[role]}): how many authorities report each",
        chart=chart,
        alt="Authorities reporting each: " + ", ".join(f"{k} {v}" for k, v in totals.items()) + ".",
        source="Authorities' returns, as coded from their own words",
    )


# ---------------------------------------------------------------------------
# Timing


def bench_lines(sizes: Sequence[int] = (15, 153, 1530), rounds: int = 5) -> list[str]:
    """Seconds to build the pack for one round of N synthetic authorities (of N × ``rounds``)."""
    import vl_convert

    from tools.synthetic import synthetic_dataset

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
