"""How we compare: one authority's figures against its group, its neighbours and England, for a lead to
put in the IRO annual report to the corporate parenting board.

``build(sel, authority=…, previous=…)`` gives the View the page draws and ``views.word.board_report``
writes to Word: the figures at a glance; each measure with the group's median, the statistical
neighbours' and England's, its rank and quarter (and which way is good); caseloads against the IRO
Handbook band and the group; each flagged figure with the lead's commentary; what most of the group
reports and this authority does not, with a peer's words; change since its last return; the
official figures; and the inspectors' words. The comparisons are ``analysis.report``. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis import exceptions as ex
from analysis import report as rp
from models.caseload import role_figure
from models.diff import changes_table
from models.vocabulary import IRO_BAND, ROLE_LABELS, TAXONOMIES, format_figure, plural
from views.base import Figure, Passage, Section, Selection, Table, View
from views.context import LICENCE_NOTE, card_section
from views.exceptions import commentary_status
from views.inspection import OFSTED_ATTRIBUTION, inspection_sections
from views.profile import choices

TITLE = "How we compare"
INTRO = (
    "One authority's return beside the group's, for the IRO annual report to the corporate parenting board: "
    "each figure against the group, its statistical neighbours and England; what most of the group does; "
    "what changed; and the official context. Choose the authority above; download it as a Word report."
)
PRINT_INTRO = (
    "This authority's return beside the group's: each figure against the group, its statistical neighbours "
    "and England where the figure is official; what most of the group does that it does not report; what "
    "changed since its last return; and the official context. Made from the group's benchmarking returns."
)
NOT_AVAILABLE = "–"
#: The comparison table's columns on paper (the fifths are in the flagged figures' table).
PRINTED = (
    "Group median",
    "Neighbours' median",
    "England",
    "Rank in group (1 = highest)",
    "Quarter of the group",
    "Rank in England",
    "Which way is good",
)


def _num(v: float | None) -> str:
    return NOT_AVAILABLE if v is None else format_figure(v) if abs(v) < 1000 else f"{v:,.0f}"


def comparison_frame(rows: Sequence[rp.Comparison], name: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Measure": c.measure.label,
                name: c.cell.cell.text,
                "Group median": _num(c.group_median),
                "Neighbours' median": _num(c.neighbours_median)
                + (f" (of {c.neighbours_n})" if c.neighbours_n else ""),
                "England": _num(c.england) if c.measure.source == "official" else "",
                "Rank in group (1 = highest)": c.rank or c.cell.cell.why_not,
                "Quarter of the group": c.quarter,
                "Fifth": f"{c.cell.symbol} {c.cell.words}".strip(),
                "Rank in England": c.england_rank,
                "Which way is good": c.measure.polarity_words
                if c.measure.source == "official"
                else (
                    "set against the IRO Handbook band"
                    if "caseload" in c.measure.key
                    else "not called good or bad"
                ),
            }
            for c in rows
        ]
    )


def _caseload_bullets(ret: Any, rows: Sequence[rp.Comparison]) -> list[str]:
    out = []
    for role in ROLE_LABELS:
        if getattr(ret, role) is None:
            continue
        fig = role_figure(ret, role)
        c = next((r for r in rows if r.measure.key == f"survey.{role}_caseload"), None)
        who = ROLE_LABELS[role]
        line = f"{who} caseload: {fig.words}"
        if role == "iro":
            line += f"; against the IRO Handbook band of {IRO_BAND.range_text}: {fig.band(role)}"
        if c is not None and c.group_median is not None:
            line += f"; the group's median is {format_figure(c.group_median)} (of {plural(c.group_n, 'authority')})"
            line += f", rank {c.rank}" if c.rank else f" ({c.cell.cell.why_not})"
        out.append(line + ".")
    return out


def flagged_section(ret: Any, rows: Sequence[rp.Comparison], rounds) -> Section:
    """Each flagged figure (top or bottom fifth) beside the lead's commentary (or that none is written)."""
    flagged = [c for c in rows if c.cell.flag is not None]
    if not flagged:
        return Section(
            heading="Flagged figures and our commentary",
            bullets=("None of this authority's figures is in the top or bottom fifth of the group.",),
        )
    frame = pd.DataFrame(
        [
            {
                "Measure": c.measure.label,
                "Figure": c.cell.cell.text,
                "Fifth of the group": f"{c.cell.symbol} {c.cell.words}",
                "Commentary": (c.commentary.text if c.commentary else "No commentary written yet."),
                "Written": (
                    (commentary_status(c.commentary, ret.round, rounds) or "for this round")
                    if c.commentary
                    else ""
                ),
            }
            for c in flagged
        ]
    )
    return Section(
        heading="Flagged figures and our commentary",
        intro="Figures in the top or bottom fifth of the group, each with the commentary the lead wrote on the "
        "Submit page (stored with the return, and shown to members beside the figure).",
        tables=(
            Table(
                key="report_flags",
                caption="Flagged figures and the lead's commentary",
                frame=frame,
                expanded=True,
                sheet="Flagged figures",
            ),
        ),
    )


def practices_section(ret: Any, returns: Sequence[Any]) -> Section:
    practices = rp.missing_practices(ret, returns)
    heading = "What most of the group does that we do not report"
    if not practices:
        return Section(
            heading=heading,
            bullets=(
                "This authority reports every activity and kind of evidence most of the group reports.",
            ),
        )
    blocks = tuple(
        Passage(
            p.sentence,
            heading=f"{ROLE_LABELS[p.role]}: {p.label} ({TAXONOMIES[p.taxonomy].phrase}; {p.reporting} of {p.answered} report it)",
            caption=f"From {p.peer}'s return:",
            quote=True,
        )
        for p in practices
    )
    return Section(
        heading=heading,
        intro="For learning: each is reported by more than half of the group's returns and not by this one (which "
        "may mean it was not mentioned), with one peer's own words.",
        blocks=blocks,
    )


def change_section(ret: Any, previous: Sequence[Any], rounds) -> Section:
    before, changes = rp.change_since_last(ret, previous)
    heading = "Change since our last return"
    if before is None:
        return Section(
            heading=heading, bullets=("This is the authority's first return in the group's rounds.",)
        )
    rnd = rounds.get(before.round)
    title = rnd.title if rnd is not None else before.round
    if not changes:
        return Section(heading=heading, bullets=(f"No answer changed since {title}.",))
    return Section(
        heading=heading,
        intro=f"What changed since the return to {title}.",
        tables=(
            Table(
                key="report_changes",
                caption=f"Answers changed since {title}",
                frame=changes_table(changes),
                expanded=True,
                sheet="Changes",
            ),
        ),
    )


def build(sel: Selection, *, authority: str | None, previous: Sequence[Any] = ()) -> View:
    """The report for ``authority`` (a name as ``views.profile.choices`` gives it) among ``sel``'s returns."""
    by_name = choices(sel)
    if not authority or authority not in by_name:
        return View(
            key="report", title=TITLE, intro=INTRO, empty="Choose an authority to see how it compares."
        )
    ret = by_name[authority]
    group = [r for r in sel.returns if r.round == ret.round and not sel.is_published(r)]
    table = ex.exception_table(group)
    rows = rp.comparisons(ret, group, table=table)
    rnd = sel.rounds.get(ret.round)
    round_title = rnd.title if rnd is not None else ret.round
    flags = [c for c in rows if c.cell.flag is not None]
    glance = Section(
        intro=f"{authority}, {round_title}: compared with {plural(len(group) - 1, 'other authority')} of the group.",
        figures=(
            Figure("Model", ret.model_label),
            *(
                Figure(f"{ROLE_LABELS[r]} caseload", role_figure(ret, r).words)
                for r in ROLE_LABELS
                if getattr(ret, r) is not None
            ),
            Figure("Figures in the top or bottom fifth of the group", str(len(flags))),
        ),
    )
    measures = Section(
        heading="Each figure against the group, our neighbours and England",
        intro="The group is the authorities with a return in this round; the neighbours are LAIT's ten statistical "
        "neighbours (for our own figures, those with a return here). Rank 1 is the highest figure; the quarter and "
        "the fifth say which way is good where LAIT does, and caseloads are set against the IRO Handbook band.",
        tables=(
            Table(
                key="report_measures",
                caption=f"{authority}'s figures against the group, its neighbours and England",
                frame=comparison_frame(rows, authority),
                expanded=True,
                sheet="How we compare",
                print_columns=("Measure", authority, *PRINTED),
            ),
        ),
    )
    caseloads = Section(
        heading="Caseloads against the band and the group", bullets=tuple(_caseload_bullets(ret, rows))
    )
    return View(
        key="report",
        title=f"How {authority} compares",
        intro=INTRO,
        print_intro=PRINT_INTRO,
        sections=(
            glance,
            measures,
            caseloads,
            flagged_section(ret, rows, sel.rounds),
            practices_section(ret, group),
            change_section(ret, previous, sel.rounds),
            card_section(ret.authority),
            *inspection_sections(ret.authority),
        ),
        filters=(*sel.filters, f"Authority: {authority}", f"Round: {round_title}"),
        notes=(LICENCE_NOTE, OFSTED_ATTRIBUTION),
    )


def build_report(
    returns: Sequence[Any],
    rounds,
    authority: str,
    *,
    previous: Sequence[Any] = (),
    generated_at=None,
) -> bytes:
    """The Word report for ``authority`` among one round's ``returns`` (``previous``: the group's round before)."""
    import datetime as dt

    from official.groups import group_name
    from views.word import board_report

    published = frozenset(r.id for r in rounds.values() if not r.is_questionnaire)
    sel = Selection(returns=tuple(returns), rounds=rounds, published_rounds=published)
    view = build(sel, authority=authority, previous=previous)
    ret = choices(sel).get(authority)
    rnd = rounds.get(ret.round) if ret is not None else None
    return board_report(
        view,
        round_title=rnd.title if rnd is not None else "",
        group=group_name(rnd.group) if rnd is not None and rnd.group else "IRO and CP chair benchmarking",
        generated_at=generated_at or dt.datetime.now(dt.UTC),
    )
