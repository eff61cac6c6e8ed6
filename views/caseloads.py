"""Caseloads: one chart per role and kind of count, with its table and text alternative.

Every figure is read once, by ``models.caseload.caseload_figure`` (the same reading for the
chart, the band column, the medians, the words, the workbook and the pack): a range by its
midpoint; a cap ("up to N") drawn as a faint bar from 0, never judged or counted in a median;
families drawn apart; a mixed caseload (one the answer calls mixed, or a dual role's stated parts
and their sum) in its own group, never judged against the IRO Handbook band.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence

import pandas as pd

from models.caseload import (
    CHILDREN,
    GROUP_TITLES,
    GROUPS,
    MIXED,
    SUM_OF_PARTS,
    caseload_figure,
    numbers_text,
)
from models.returns import POPULATION_LABELS, AuthorityReturn
from models.vocabulary import (
    IRO_BAND,
    MODEL_ORDER,
    REPORTED_AS,
    ROLE_LABELS,
    UNIT_NAMES,
    display_name,
    format_figure,
    model_label,
    plural,
)
from views import charts
from views.base import Chart, Section, Selection, Table, View
from views.context import LICENCE_NOTE, rate_section

TITLE = "Caseloads"
INTRO = (
    "How many children, families or cases one officer holds, as each authority reported it. A dot is the "
    "figure used to compare (one figure, or the middle of a range); a solid bar is a range; a faint dashed "
    "bar from 0 is a cap ('up to', 'no more than': a maximum, not an average, so never judged against the "
    "band). Colour and shape both show the model."
)
UNITS_NOTE = (
    "Children, families and cases are different counts. A family may include several children, so a "
    "caseload in families is not comparable with one in children and is drawn in its own panel. Where the "
    "answer gives a number without saying what it counts, it is shown as cases. A caseload that mixes "
    "children looked after with children on child protection plans is drawn in its own group and is never "
    "judged against the IRO Handbook band: that includes a dual role whose answer states the two parts "
    "(both are shown as stated, and the figure drawn is their sum, marked as the sum of the stated parts)."
)
#: What every chart of the returns is drawn from (printed in chart images and the pack).
RETURNS_SOURCE = "Authorities' returns, as reported (IRO and CP chair benchmarking)"
SORTS = {"caseload": "By caseload (highest first)", "authority": "By authority (A to Z)"}

COLUMNS = [
    "Authority",
    "Label",
    "Round",
    "Published description",
    "Model",
    "Answer (as reported)",
    "As numbers",
    "Read as",
    "Reported as",
    "Low",
    "High",
    "Start",
    "End",
    "Figure",
    "Unit",
    "Group",
    "Which children",
    "Parts",
    "Compared",
    "Against the band",
    "Cap",
]
#: The columns of a role's caseload table (the chart's data as a table).
TABLE_COLUMNS = [
    "Authority",
    "Model",
    "Answer (as reported)",
    "Read as",
    "Unit",
    "Which children",
    "Parts",
    "Compared",
    "Figure",
]

#: The columns printed under the chart (the page and the workbook have every one).
PRINT_COLUMNS = ("Authority", "Answer (as reported)", "Read as", "What is compared")


def caseload_frame(
    returns: Sequence[AuthorityReturn], role: str, published_rounds: Iterable[str] = ()
) -> pd.DataFrame:
    """One row per return that answered ``role``: the verbatim answer, its numbers, the figure
    (``models.caseload.caseload_figure``) and its group. ``Start``/``End`` are where the chart draws
    the interval (a cap, "up to N", runs from 0 to N)."""
    published = set(published_rounds)
    rows = []
    for ret in returns:
        section = getattr(ret, role)
        if section is None:
            continue
        cl = section.caseload
        fig = caseload_figure(cl, role)
        kind = fig.kind
        if kind == "up_to":
            start, end = 0, fig.high
        elif kind == "or_more":
            start, end = fig.low, fig.low
        else:
            start, end = fig.low, fig.high
        name = display_name(ret, published)
        rows.append(
            {
                "Authority": ret.authority,
                "Label": fig.label(name),
                "Round": ret.round,
                "Published description": ret.round in published,
                "Model": model_label(ret),
                "Answer (as reported)": (cl.text or "") if cl else "",
                "As numbers": cl.as_numbers() if cl else "",
                "Read as": fig.words,
                "Reported as": REPORTED_AS[kind],
                "Low": fig.low,
                "High": fig.high,
                "Start": start,
                "End": end,
                "Figure": fig.figure,
                "Unit": UNIT_NAMES[fig.unit],
                "Group": fig.group,
                "Which children": POPULATION_LABELS.get(cl.population, "") if cl and cl.population else "",
                "Parts": "; ".join(p.words for p in fig.parts),
                "Compared": fig.what,
                "Against the band": fig.band(role),
                "Cap": fig.is_cap,  # a maximum: drawn, never judged or summarised
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("Low", "High", "Start", "End", "Figure"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Float64")
    frame["Cap"] = frame["Cap"].astype(bool)
    return frame


def sort_labels(frame: pd.DataFrame, by: str) -> list[str]:
    """Chart labels in display order: ``by`` is 'authority' (A to Z) or 'caseload' (highest first)."""
    if frame.empty:
        return []
    if by == "caseload":
        ordered = frame.assign(_f=frame["Figure"].fillna(-1)).sort_values(
            ["_f", "Label"],
            ascending=[False, True],
            key=lambda s: s.str.casefold() if s.dtype == object else s,
        )
    else:
        ordered = frame.sort_values("Label", key=lambda s: s.str.casefold())
    return list(dict.fromkeys(ordered["Label"]))


def caseload_text(frame: pd.DataFrame, role: str) -> str:
    """A text alternative to a role's caseload charts, generated from their data."""
    who = ROLE_LABELS[role]
    if frame.empty:
        return f"No {who} caseloads to show under these filters."
    lines = []
    with_fig = frame[frame["Figure"].notna()]
    for group in GROUPS:
        part = with_fig[(with_fig["Group"] == group) & ~with_fig["Cap"]]
        if part.empty:
            continue
        values = pd.concat([part["Start"], part["End"]]).dropna()
        n = len(part)
        sentence = (
            f"{who} caseloads {('counted in ' + group) if group != MIXED else 'that are ' + group} range from "
            f"{format_figure(values.min())} to {format_figure(values.max())} across {plural(n, 'authority')}; "
            f"the median is {format_figure(statistics.median(float(x) for x in part['Figure']))}"
        )
        if role == "iro" and group == CHILDREN:
            counts = part["Against the band"].value_counts()
            sentence += (
                f"; against the {IRO_BAND.label.replace('IRO Handbook good practice: ', 'IRO Handbook band of ')}, "
                f"{counts.get('within', 0)} of {n} are within, {counts.get('above', 0)} above and "
                f"{counts.get('below', 0)} below"
            )
        lines.append(sentence + ".")
        if n > 1:
            highest = part.sort_values("Figure", ascending=False).iloc[0]
            lowest = part.sort_values("Figure").iloc[0]
            lines.append(
                f"Highest: {highest['Authority']} ({numbers_text(_int(highest['Low']), _int(highest['High']))}); "
                f"lowest: {lowest['Authority']} ({numbers_text(_int(lowest['Low']), _int(lowest['High']))})."
            )
    for _, r in with_fig[with_fig["Parts"] != ""].iterrows():
        judged = " a mixed caseload, not judged against the band" if r["Group"] == MIXED else ""
        lines.append(
            f"{r['Authority']} states its caseload in parts ({r['Parts']}); its figure is {SUM_OF_PARTS}, "
            f"{numbers_text(_int(r['Low']), _int(r['High']))},{judged or ' of the same children'}."
        )
    upto = with_fig[with_fig["Cap"]]
    if not upto.empty:
        lines.append(
            "A cap, not an average (never judged against the band or counted in a median): "
            + ", ".join(f"{r['Authority']} (up to {format_figure(r['End'])})" for _, r in upto.iterrows())
            + "."
        )
    missing = frame[frame["Figure"].isna()]
    if not missing.empty:
        lines.append("No figure given: " + ", ".join(missing["Authority"]) + ".")
    return " ".join(lines)


def _int(x) -> int | None:
    return None if pd.isna(x) else int(x)


def caseload_table(frame: pd.DataFrame, role: str) -> pd.DataFrame:
    """The table under a role's caseload chart: each answer as reported, its numbers, what is compared
    and (for IROs) where it sits against the IRO Handbook band."""
    columns = TABLE_COLUMNS + (["Against the band"] if role == "iro" else [])
    return frame[columns].rename(columns={"Figure": "Figure compared", "Compared": "What is compared"})


def _chart_data(frame: pd.DataFrame) -> pd.DataFrame:
    data = frame[frame["Figure"].notna()].copy()
    data["Start"] = data["Start"].fillna(data["Figure"])
    data["End"] = data["End"].fillna(data["Figure"])
    unit_short = data["Unit"].str.replace(" (unit not stated)", "", regex=False)
    data["Value label"] = [
        f"{numbers_text(_int(lo), _int(hi))} {u}"
        + (f" (sum of {parts.count(';') + 1} stated parts)" if parts else " (cap)" if cap else "")
        for lo, hi, u, parts, cap in zip(
            data["Low"], data["High"], unit_short, data["Parts"], data["Cap"], strict=True
        )
    ]
    for col in ("Low", "High", "Start", "End", "Figure"):
        data[col] = data[col].astype(float)
    return data


def role_section(sel: Selection, role: str, sort: str) -> Section:
    """One role's caseloads: its charts (one per group), text alternative, table and gaps."""
    who = ROLE_LABELS[role]
    frame = caseload_frame(sel.returns, role, sel.published_rounds)
    heading = f"{who} caseloads"
    if frame.empty:
        return Section(
            heading=heading,
            empty=f"None of the returns shown answered the {who} questions. Combined-role authorities often "
            "answered once, in the IRO section: choose 'Both roles' or the IRO role in the sidebar.",
            print_empty=f"None of these returns answered the {who} questions: combined-role authorities often "
            "answered once, in the IRO section.",
        )
    missing = list(frame[frame["Figure"].isna()]["Label"])
    notes = (f"No {who} figure given: " + ", ".join(missing) + ".",) if missing else ()
    if not frame["Figure"].notna().any():
        return Section(
            heading=heading, empty=f"No {who} caseload figure is stated in the returns shown.", notes=notes
        )
    order = sort_labels(frame, sort)
    data = _chart_data(frame)
    x_max = max(float(data["End"].max()) * 1.25, 100.0)
    chart_list = []
    for group in GROUPS:
        part = data[data["Group"] == group]
        if part.empty:
            continue
        band = role == "iro" and group == CHILDREN
        chart_list.append(
            Chart(
                key=f"caseloads_{role}_{GROUPS.index(group)}",
                title=f"{who} caseloads: {GROUP_TITLES[group][0].lower() + GROUP_TITLES[group][1:]}",
                chart=charts.caseload_chart(part, order, x_max, GROUP_TITLES[group], band),
                alt="",
                source=RETURNS_SOURCE if not band else f"{RETURNS_SOURCE}; shaded band: {IRO_BAND.source}",
            )
        )
    text = caseload_text(frame, role)
    for c in chart_list:
        c.alt = text
    return Section(
        heading=heading,
        intro=f"Shaded: {IRO_BAND.sentence} See Guidance and timescales." if role == "iro" else None,
        print_intro=f"Shaded: {IRO_BAND.sentence}" if role == "iro" else None,
        charts=tuple(chart_list),
        text=text,
        tables=(
            Table(
                key=f"caseloads_table_{role}",
                caption=f"Table of {who} caseloads (the chart's data)",
                frame=caseload_table(frame, role),
                sheet=f"{who} caseloads",
                wide=("Answer (as reported)",),
                print_columns=PRINT_COLUMNS + (("Against the band",) if role == "iro" else ()),
            ),
        ),
        notes=notes,
    )


def build(sel: Selection, *, sort: str = "caseload", context: bool = False) -> View:
    """The Caseloads page for the returns selected, sorted by caseload or by authority; with ``context``,
    each role's caseloads are also set beside the authorities' official rates per 10,000."""
    sort = sort if sort in SORTS else "caseload"
    sections = [Section(notes=(UNITS_NOTE,))]
    for role in sel.roles:
        sections.append(role_section(sel, role, sort))
        if context:
            sections.append(rate_section(caseload_frame(sel.returns, role, sel.published_rounds), role))
    notes: tuple[str, ...] = ()
    if context:
        notes = (LICENCE_NOTE,)
    return View(
        key="caseloads",
        title=TITLE,
        intro=INTRO,
        sections=tuple(sections),
        filters=sel.filters,
        notes=notes,
    )


# ---------------------------------------------------------------------------
# By model (used by the Combined or separate page)


def caseload_by_model(returns: Sequence[AuthorityReturn], role: str) -> pd.DataFrame:
    """Per model and group: how many figures, lowest, median and highest of the figures compared."""
    frame = caseload_frame(returns, role)
    frame = frame[frame["Figure"].notna()]
    rows = []
    for model in MODEL_ORDER:
        for group in GROUPS:
            part = frame[(frame["Model"] == model) & (frame["Group"] == group)]
            if part.empty:
                continue
            figs = [float(x) for x in part["Figure"]]
            rows.append(
                {
                    "Model": model,
                    "Counted in": group,
                    "Authorities with a figure": len(part),
                    "Lowest": min(figs),
                    "Median": statistics.median(figs),
                    "Highest": max(figs),
                    "Authorities": ", ".join(part["Authority"]),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "Model",
            "Counted in",
            "Authorities with a figure",
            "Lowest",
            "Median",
            "Highest",
            "Authorities",
        ],
    )


def caseload_by_model_text(summary: pd.DataFrame, role: str) -> str:
    """A text alternative for the caseload-by-model chart, from ``caseload_by_model``."""
    who = ROLE_LABELS[role]
    if summary.empty:
        return f"No {who} caseload figures to compare under these filters."
    parts = []
    for _, r in summary.iterrows():
        n = int(r["Authorities with a figure"])
        parts.append(
            f"{r['Model']} ({plural(n, 'authority')}, counted in {r['Counted in']}): median "
            f"{format_figure(r['Median'])}, from {format_figure(r['Lowest'])} to {format_figure(r['Highest'])}."
        )
    return f"{who} caseloads by model. " + " ".join(parts)
