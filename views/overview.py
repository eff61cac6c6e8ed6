"""Overview: the headline figures, the essentials per authority, and every return in full."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis import tables
from models.caseload import (
    CHILDREN,
    FAMILIES,
    MIXED,
    NOT_JUDGED_CAP,
    Median,
    caps,
    caseload_figure,
    caseload_medians,
)
from models.returns import AuthorityReturn
from models.vocabulary import (
    IRO_BAND,
    ROLE_LABELS,
    display_name,
    format_figure,
    model_code,
    model_label,
    plural,
)
from official import ofsted
from views.base import Figure, Section, Selection, Table, View
from views.context import LICENCE_NOTE, flags_section

TITLE = "Overview"
INTRO = (
    "How authorities organise their Independent Reviewing Officers (IROs) and Child Protection (CP) "
    "chairs: combined or separate roles, caseloads, quality assurance and impact. Use the filters in "
    "the sidebar; every page follows them, and the address bar holds them so you can share the view."
)
PRINT_INTRO = (
    "How authorities organise their Independent Reviewing Officers (IROs) and Child Protection (CP) "
    "chairs: combined or separate roles, caseloads, quality assurance and impact."
)
MEDIAN_HELP = (
    "Each authority counts once: its single figure, or the midpoint of its range. A cap ('up to N', 'no "
    "more than N') is a maximum, not a caseload held, and is not counted. Figures in children and figures "
    "where the answer does not say (cases) are summarised together; figures in families, and mixed "
    "caseloads, are never mixed with them and are shown separately."
)
MEDIAN_NOTE = (
    "Medians count each authority once, using its single figure or the midpoint of its range; a cap ('up to "
    "N') is a maximum, not an average, so it is shown but never counted or judged against the band. Caseloads "
    "in children and those that do not say what they count (cases) are summarised together; caseloads in "
    "families, and mixed caseloads (including a dual role's stated parts and their sum), are never mixed in."
)


@dataclass(frozen=True)
class Headline:
    authorities: int
    returns: int
    combined: int
    separate: int
    not_stated: int
    published: int
    iro: list[Median] = field(default_factory=list)
    cp_chair: list[Median] = field(default_factory=list)


def headline(returns: Sequence[AuthorityReturn], published_rounds: Iterable[str] = ()) -> Headline:
    """The overview's figures: counts by model (one per return) and median caseloads per role."""
    published = set(published_rounds)
    codes = [model_code(r) for r in returns]
    return Headline(
        authorities=len({r.authority for r in returns}),
        returns=len(returns),
        combined=codes.count("combined"),
        separate=codes.count("separate"),
        not_stated=codes.count("not_stated"),
        published=sum(r.round in published for r in returns),
        iro=caseload_medians(returns, "iro"),
        cp_chair=caseload_medians(returns, "cp_chair"),
    )


def _median_figure(role: str, medians: list[Median], capped: Sequence[str] = ()) -> Figure:
    who = ROLE_LABELS[role]
    main = next((m for m in medians if m.group == CHILDREN), None)
    others = [
        f"{'Counted in families' if m.group == FAMILIES else 'Mixed caseloads'}, kept apart: median "
        f"{format_figure(m.median)} ({', '.join(m.authorities)})."
        for m in medians
        if m.group in (FAMILIES, MIXED)
    ]
    if capped:
        others.append(f"A cap, not counted: {', '.join(capped)}.")
    if main is None:
        caption = " ".join(["No figure in children or cases under these filters.", *others])
        return Figure(f"Median {who} caseload", "–", help=MEDIAN_HELP, caption=caption)
    caption = " ".join([f"Per officer, from {plural(main.n, 'authority')}.", *others])
    return Figure(
        f"Median {who} caseload (children or cases)",
        format_figure(main.median),
        help=MEDIAN_HELP,
        caption=caption,
    )


def _caseload_cell(ret: AuthorityReturn, role: str) -> tuple[str, str]:
    """The caseload compared, as numbers with its unit, and where it sits against the band."""
    section = getattr(ret, role)
    if section is None:
        return ("one section for both roles" if ret.combined_role else "not answered"), ""
    fig = caseload_figure(section.caseload, role)
    if fig.figure is None:
        return "no figure", ""
    text = fig.words
    if fig.group == MIXED and not fig.summed:
        text += " (mixed)"
    return text, fig.band(role)


#: The column of each authority's latest Ofsted overall grade (the Overview, the pack's headline table).
OFSTED_COLUMN = "Ofsted overall effectiveness"


def essentials(returns: Sequence[AuthorityReturn], published_rounds: Iterable[str] = ()) -> pd.DataFrame:
    """One short row per authority: model, each caseload, the IRO caseload against the band, and the
    latest Ofsted overall grade."""
    published = set(published_rounds)
    rows = []
    for ret in returns:
        iro, iro_band = _caseload_cell(ret, "iro")
        cp, _ = _caseload_cell(ret, "cp_chair")
        rows.append(
            {
                "Authority": display_name(ret, published),
                "Model": model_label(ret),
                "IRO caseload": iro,
                f"IRO against the {IRO_BAND.range_text} band": iro_band,
                "CP chair caseload": cp,
                OFSTED_COLUMN: ofsted.overall_of(ret.authority),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "Authority",
            "Model",
            "IRO caseload",
            f"IRO against the {IRO_BAND.range_text} band",
            "CP chair caseload",
            OFSTED_COLUMN,
        ],
    )


def round_line(rnd) -> str:
    """The round's title and when it was held, as the Overview heads its figures: the date in words, the
    source's own words where it gives no date, and nothing added that the title already says."""
    when = f"{rnd.held_on:%-d %B %Y}" if rnd.held_on else (rnd.held_on_text or "date not stated")
    return rnd.title if when.casefold() in rnd.title.casefold() else f"{rnd.title} – {when}"


def build(sel: Selection) -> View:
    returns = sel.returns
    head = headline(returns, sel.published_rounds)
    rounds = [sel.rounds[r] for r in dict.fromkeys(r.round for r in returns) if r in sel.rounds]
    round_lines = tuple(round_line(rnd) for rnd in rounds)
    figures = [
        Figure("Authorities", str(head.authorities)),
        Figure(
            "Combined role",
            str(head.combined),
            help="The same officers review care plans and chair CP conferences.",
        ),
        Figure("Separate roles", str(head.separate)),
    ]
    if head.not_stated:
        figures.append(
            Figure(
                "Model not stated",
                str(head.not_stated),
                help="The source does not say whether the roles are combined.",
            )
        )
    notes = [MEDIAN_NOTE]
    if head.published:
        notes.append(
            f"{head.published} of these are published service descriptions, not questionnaire answers; "
            "they are marked in the tables."
        )
    full_columns = ["Authority", "Model"]
    if sel.published_rounds & {r.round for r in returns}:
        full_columns.append("Kind")
    if sum(r.is_questionnaire for r in rounds) > 1:
        full_columns.append("Round")
    for who in ROLE_LABELS.values():
        full_columns += [f"{who} caseload (as reported)", f"{who} low", f"{who} high", f"{who} unit"]
    full = tables.summary_table(list(returns), sel.rounds)[full_columns]
    band_col = f"IRO against the {IRO_BAND.range_text} band"
    essential = essentials(returns, sel.published_rounds)
    counts = essential[band_col].value_counts()
    in_words = (
        f"{plural(head.authorities, 'authority')}: {head.combined} combined, {head.separate} separate"
        + (f", {head.not_stated} not stated" if head.not_stated else "")
        + f". IRO caseloads against the IRO Handbook band of {IRO_BAND.range_text}: "
        f"{counts.get('within', 0)} within, {counts.get('above', 0)} above, {counts.get('below', 0)} below"
        + (
            f", {int(counts.filter(like='not comparable').sum())} not comparable (families or mixed)"
            if counts.filter(like="not comparable").sum()
            else ""
        )
        + (f", {counts.get(NOT_JUDGED_CAP)} a cap (not judged)" if counts.get(NOT_JUDGED_CAP) else "")
        + "."
    )
    grades = essential[OFSTED_COLUMN].value_counts()
    in_words += (
        " Latest Ofsted overall effectiveness grades: "
        + ", ".join(f"{grades[g]} {g.lower()}" for g in (*ofsted.GRADES, *ofsted.NOT_GRADES) if g in grades)
        + "."
    )
    return View(
        key="overview",
        title=TITLE,
        intro=INTRO,
        print_intro=PRINT_INTRO,
        sections=(
            Section(intro="; ".join(round_lines) or None, figures=tuple(figures)),
            Section(
                figures=tuple(
                    _median_figure(role, medians, [a for a, _ in caps(returns, role)])
                    for role, medians in (("iro", head.iro), ("cp_chair", head.cp_chair))
                ),
                notes=tuple(notes),
            ),
            Section(
                heading="Every return",
                text=in_words,
                tables=(
                    Table(
                        key="overview_essentials",
                        caption="Each authority in brief: its model, its caseloads (the figure compared), the "
                        "IRO caseload against the IRO Handbook band, and its latest Ofsted overall grade",
                        frame=essential,
                        sheet="Essentials",
                        expanded=True,
                    ),
                    Table(
                        key="overview_full",
                        caption="Every return in full: each caseload as reported, low, high and unit",
                        frame=full,
                        sheet="Returns",
                        wide=("IRO caseload (as reported)", "CP chair caseload (as reported)"),
                        in_pack=False,  # the caseload tables print each answer with its reading
                    ),
                ),
                notes=(
                    "'As reported' is the answer in the authority's words. Low and high are the numbers read from "
                    "it: one figure gives the same low and high; a cap ('up to N') has no low. The unit says what "
                    "is counted: children, families, or cases where the answer does not say. 'Not comparable': a "
                    "caseload in families, or one that mixes children looked after with child protection (such as "
                    "the sum of a dual role's stated parts), is not judged against the band; nor is a cap.",
                    f"{OFSTED_COLUMN}: the grade of Ofsted's latest inspection of the authority's children's "
                    f"services (ILACS); each authority's Inspection card on 'Authorities side by side' gives the "
                    f"dates and what inspectors wrote about IROs. {ofsted.NOT_A_VERDICT}",
                ),
            ),
            flags_section(returns, published_rounds=sel.published_rounds, licence=False, rounds=sel.rounds),
        ),
        filters=sel.filters,
        notes=(LICENCE_NOTE, ofsted.OFSTED_ATTRIBUTION),
    )
