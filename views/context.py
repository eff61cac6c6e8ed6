"""Official figures around returns, as View sections: an authority's context card, its implied
workforce, plausibility flags, and each authority's caseload beside its rate per 10,000.

Used by the profile (one authority), the overview (flags for the returns shown), the caseloads
page (``context=True``) and the meeting pack. Pure: no Streamlit. The figures come from
``official.context.load_context()``, read once per process; every section that shows them
carries ``OGL_ATTRIBUTION`` as a note. A figure that is not available says why; it is never 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from models.returns import AuthorityReturn
from models.vocabulary import ROLE_LABELS, display_name, format_figure, plural
from official.codes import ENGLAND_CODE
from official.context import (
    NO_FIGURES_NOT_NAMED,
    AuthorityContext,
    Context,
    ImpliedRole,
    MeasureContext,
    authority_context,
    implied_workforce,
    load_context,
)
from official.ofsted import OFSTED_ATTRIBUTION
from official.plausibility import INSPECTORS_RULE, RULES, flags
from official.register import OGL_ATTRIBUTION, is_not_named
from official.register import display_name as authority_display_name
from views import charts
from views.base import Chart, Figure, Section, Table

#: The licence line shown under every section with official figures.
LICENCE_NOTE = OGL_ATTRIBUTION
NOT_AVAILABLE = "not available"
#: The headline figures of a card (the table under them has every measure).
HEADLINE_MEASURES = (("LACnum", "Children looked after"), ("CPP_Num", "Children on CP plans"), ("LAC", None))
#: The trend: children looked after per 10,000, comparable between an authority, its region and England.
TREND_MEASURE = "LAC"
TREND_AXIS = "Per 10,000 children"
#: The rate each role's caseload is set beside on the Caseloads page.
ROLE_RATES = {"iro": "LAC", "cp_chair": "CPP_rate"}


def number(v: float | None) -> str:
    """'1,896', '32.4', or 'not available'."""
    if v is None or v != v:
        return NOT_AVAILABLE
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def _value_text(m: MeasureContext) -> str:
    return number(m.value) if m.value is not None else f"{NOT_AVAILABLE} ({m.reason or 'no figure'})"


def _rank_text(m: MeasureContext) -> str:
    return f"{m.rank.rank} of {m.rank.of}" if m.rank else ""


def card_table(card: AuthorityContext, ctx: Context) -> pd.DataFrame:
    """Each measure's latest figure with its year, beside the region and England, its rank and quarter."""
    a = card.authority
    region = a.region if a else "Region"
    rows = []
    for m in card.measures:
        rows.append(
            {
                "Measure": m.measure.name,
                "When": m.measure.when(m.year) if m.year else "",
                a.name if a else "Authority": _value_text(m),
                region: number(m.region_value) if m.value is not None else "",
                "England": number(m.england_value) if m.value is not None else "",
                "Rank (1 = highest)": _rank_text(m),
                "Quarter": m.rank.label if m.rank else "",
                "Source": m.measure.source,
            }
        )
    return pd.DataFrame(rows)


def trend_frame(card: AuthorityContext, ctx: Context, measure_id: str = TREND_MEASURE) -> pd.DataFrame:
    """The measure over the years under the authority's own code, with its region and England."""
    a = card.authority
    m = card.measure(measure_id)
    if a is None or m is None:
        return pd.DataFrame(columns=["Year", "Area", "Value"])
    rows = []
    years = [f.year for f in m.series]
    for f in m.series:
        if f.available:
            rows.append({"Year": f.year, "Area": a.name, "Value": f.value})
    for code, area in ((ctx.region_area(a), a.region), (ENGLAND_CODE, "England")):
        for y in years:
            f = ctx.figure(code, measure_id, y)
            if f.available:
                rows.append({"Year": y, "Area": area, "Value": f.value})
    return pd.DataFrame(rows, columns=["Year", "Area", "Value"])


def trend_text(frame: pd.DataFrame, title: str) -> str:
    """The trend in words: each area's first and latest figure."""
    if frame.empty:
        return f"No figures for {title.lower()} over the years."
    parts = []
    for area, part in frame.groupby("Area", sort=False):
        first, last = part.iloc[0], part.iloc[-1]
        parts.append(
            f"{area}: {number(first['Value'])} in {first['Year']} and {number(last['Value'])} in {last['Year']}"
        )
    return f"{title}, by year. " + "; ".join(parts) + "."


def card_section(authority: str, ctx: Context | None = None, *, level: int = 2) -> Section:
    """An authority's context card: latest figures with years beside region and England, rank of the
    authorities and quarter (the right way round), a small trend with its table and words."""
    heading = "Official figures"
    if is_not_named(authority):
        return Section(heading=heading, level=level, empty=NO_FIGURES_NOT_NAMED, notes=(LICENCE_NOTE,))
    ctx = ctx or load_context()
    card = authority_context(ctx, authority)
    if card.authority is None:
        return Section(heading=heading, level=level, empty=card.message, notes=(LICENCE_NOTE,))
    a = card.authority
    figures = []
    for measure_id, label in HEADLINE_MEASURES:
        m = card.measure(measure_id)
        if m is None:
            continue
        if m.value is None:
            figures.append(
                Figure(label or m.measure.name, NOT_AVAILABLE, caption=m.reason or "no figure in the extract")
            )
            continue
        caption = (
            f"{m.measure.when(m.year)}. {a.region}: {number(m.region_value)}; "
            f"England: {number(m.england_value)}."
        )
        if m.rank:
            caption += f" Rank {m.rank.rank} of {m.rank.of} ({m.rank.label})."
        figures.append(Figure(label or m.measure.name, number(m.value), caption=caption))
    trend = trend_frame(card, ctx)
    title = ctx.measures[TREND_MEASURE].name if TREND_MEASURE in ctx.measures else "Trend"
    words = trend_text(trend, title)
    chart_list: tuple[Chart, ...] = ()
    if not trend.empty:
        chart_list = (
            Chart(
                key=f"context_trend_{a.dfe_code}",
                title=title,
                chart=charts.trend_chart(trend, TREND_AXIS, order=[a.name, a.region, "England"]),
                alt=words,
                source=OGL_ATTRIBUTION,
            ),
        )
    wide_trend = (
        trend.pivot_table(index="Year", columns="Area", values="Value", aggfunc="first")
        .reindex(columns=[c for c in (a.name, a.region, "England") if c in set(trend["Area"])])
        .reset_index()
        if not trend.empty
        else trend
    )
    notes = [
        f"Latest figure of each measure, with its year; rank among the {len(ctx.register.live())} authorities "
        "(1 = the highest figure; authorities without a figure are not ranked) and its quarter. Where high or "
        "low is good, the quarter says which way round.",
        *card.breaks,
    ]
    if any(m.note for m in card.measures):
        notes += sorted({m.note for m in card.measures if m.note})
    card_frame = card_table(card, ctx)
    sources = list(dict.fromkeys(m.measure.source for m in card.measures if m.measure.source))
    if sources:
        notes.append("Where each figure is published: " + "; ".join(sources) + ".")
    notes.append(LICENCE_NOTE)
    return Section(
        heading=f"{heading}: {a.name}",
        level=level,
        intro=f"{a.name} ({a.type}, {a.region}): DfE figures from LAIT.",
        figures=tuple(figures),
        charts=chart_list,
        text=words,
        tables=(
            Table(
                key=f"context_card_{a.dfe_code}",
                caption=f"Official figures for {a.name}, {a.region} and England",
                frame=card_frame,
                sheet="Official figures",
                expanded=True,
                # On paper the sources are one line under the table, not an address on every row.
                print_columns=tuple(c for c in card_frame.columns if c != "Source"),
            ),
            Table(
                key=f"context_trend_table_{a.dfe_code}",
                caption=f"Table of {title.lower()} by year (the chart's data)",
                frame=wide_trend,
                sheet="Official trend",
            ),
        ),
        notes=tuple(notes),
    )


def implied_lines(role: ImpliedRole) -> list[str]:
    """A role's implied full-time officers (or implied caseload) in sentences, with its sources."""
    label = role.label
    out = []
    if role.fte is not None:
        line = (
            f"Implied full-time {label}s: about {format_figure(role.fte)} "
            f"({role.official_value:,.0f} {role.official} ÷ caseload {format_figure(role.midpoint)})."
        )
        if role.fte_low is not None and role.fte_high is not None and role.fte_low != role.fte_high:
            line += f" Range: {format_figure(role.fte_low)} to {format_figure(role.fte_high)}."
        out.append(line)
    elif not role.implied_caseload:
        out.append(f"Implied full-time {label}s: {NOT_AVAILABLE} – {role.reason or 'no caseload figure'}.")
    out += role.notes
    return out


def implied_table(ret: AuthorityReturn, ctx: Context) -> pd.DataFrame:
    w = implied_workforce(ret, ctx)
    rows = []
    for role in (w.iro, w.cp_chair):
        rows.append(
            {
                "Role": role.label,
                "Official count": number(role.official_value) if role.official_value is not None else "",
                "What it counts": role.official,
                "Caseload (as numbers)": role.caseload,
                "Implied FTE": format_figure(role.fte) if role.fte is not None else NOT_AVAILABLE,
                "Implied FTE range": (
                    f"{format_figure(role.fte_low)}–{format_figure(role.fte_high)}"
                    if role.fte_low is not None
                    and role.fte_high is not None
                    and role.fte_low != role.fte_high
                    else ""
                ),
                "Stated FTE": format_figure(role.stated_fte) if role.stated_fte else "",
                "Implied caseload": format_figure(role.implied_caseload) if role.implied_caseload else "",
                "Why not computed": role.reason,
            }
        )
    return pd.DataFrame(rows)


def implied_section(
    ret: AuthorityReturn, ctx: Context | None = None, *, level: int = 2, licence: bool = True
) -> Section:
    """Children looked after ÷ IRO caseload, CP plans ÷ CP chair caseload (or the other way round).
    ``licence=False`` leaves the OGL line to the view's own notes (where it already shows)."""
    notes = (LICENCE_NOTE,) if licence else ()
    heading = "Implied workforce"
    if is_not_named(ret.authority):
        return Section(heading=heading, level=level, empty=NO_FIGURES_NOT_NAMED, notes=notes)
    ctx = ctx or load_context()
    w = implied_workforce(ret, ctx)
    bullets = implied_lines(w.iro) + implied_lines(w.cp_chair)
    return Section(
        heading=heading,
        level=level,
        intro="The official count of children divided by the caseload one officer holds gives the number of "
        "full-time officers it implies (the midpoint of a range; the range too).",
        bullets=tuple(bullets),
        tables=(
            Table(
                key=f"context_implied_{ret.round}_{ret.authority}",
                caption="Implied workforce as a table",
                frame=implied_table(ret, ctx),
                sheet="Implied workforce",
            ),
        ),
        notes=notes,
    )


FLAG_COLUMNS = ["Authority", "Round", "Flag", "What to look at", "Questions"]
FLAGS_INTRO = (
    "A flag is a question for a person to look at, never a verdict: the figures may all be right. "
    "Rules: an implied caseload far from the one reported; a CP chair caseload larger than the "
    "authority's number of children on CP plans; a combined role reported with different figures per role; "
    "Ofsted's inspectors writing that IRO caseloads are high (or IROs lack capacity) beside an IRO caseload "
    "within the IRO Handbook's band or below it, with the inspectors' sentence quoted."
)


def flags_frame(
    returns: Sequence[AuthorityReturn], ctx: Context | None = None, published_rounds=(), rounds=None
) -> pd.DataFrame:
    """One row per flag: the authority, its round (by title, where ``rounds`` names it), the flag's
    title, what to look at, and the questions concerned, all in words (no codes)."""
    ctx = ctx or load_context()
    rows = []
    for ret in returns:
        for f in flags(ret, ctx):
            rnd = (rounds or {}).get(ret.round)
            rows.append(
                {
                    "Authority": authority_display_name(display_name(ret, published_rounds)),
                    "Round": rnd.title if rnd is not None else ret.round,
                    "Flag": f.title,
                    "What to look at": f.message,
                    "Questions": "; ".join(f.questions),
                }
            )
    frame = pd.DataFrame(rows, columns=FLAG_COLUMNS)
    if frame["Round"].nunique() <= 1:  # one round: it is named above the table
        frame = frame.drop(columns="Round")
    return frame


def flags_section(
    returns: Sequence[AuthorityReturn],
    ctx: Context | None = None,
    *,
    published_rounds=(),
    heading: str = "Plausibility flags",
    level: int = 2,
    licence: bool = True,
    rounds=None,
) -> Section:
    """The plausibility flags of the returns shown, as a list and a table (or a line saying there are none).
    ``licence=False`` leaves the OGL line to the view's own notes."""
    frame = flags_frame(returns, ctx, published_rounds, rounds)
    quotes_ofsted = bool((frame["Flag"] == RULES[INSPECTORS_RULE].title).any())
    notes = ((LICENCE_NOTE, OFSTED_ATTRIBUTION) if quotes_ofsted else (LICENCE_NOTE,)) if licence else ()
    if frame.empty:
        return Section(
            heading=heading,
            level=level,
            intro=FLAGS_INTRO,
            bullets=(f"No plausibility flags for the {plural(len(returns), 'return')} shown.",),
            notes=notes,
        )
    n = frame["Authority"].nunique()
    words = f"{plural(len(frame), 'flag')} for {plural(n, 'authority')}: " + "; ".join(
        f"{r['Authority']}: {r['What to look at']}" for _, r in frame.iterrows()
    )
    return Section(
        heading=heading,
        level=level,
        intro=FLAGS_INTRO,
        bullets=tuple(f"{r['Authority']}: {r['What to look at']}" for _, r in frame.iterrows()),
        text=words,
        tables=(
            Table(
                key="context_flags",
                caption="Plausibility flags as a table",
                frame=frame,
                sheet="Plausibility flags",
                wide=("What to look at",),
            ),
        ),
        notes=notes,
    )


# ---------------------------------------------------------------------------
# Caseload beside the rate per 10,000 (Caseloads page, ``context=True``)

RATE_COLUMNS = [
    "Authority",
    "Caseload compared",
    "Counted in",
    "Rate per 10,000",
    "Rate",
    "Year",
    "Why no rate",
]


def rate_frame(frame: pd.DataFrame, role: str, ctx: Context | None = None) -> pd.DataFrame:
    """One row per return with a caseload figure (from ``views.caseloads.caseload_frame``): the figure
    compared and the authority's rate per 10,000 for the role's own children, with its year."""
    ctx = ctx or load_context()
    measure_id = ROLE_RATES[role]
    rate_name = ctx.measures[measure_id].name
    rows = []
    for _, r in frame[frame["Figure"].notna()].iterrows():
        name = r["Authority"]
        value, year, why = None, None, ""
        if is_not_named(name):
            why = NO_FIGURES_NOT_NAMED
        else:
            card = authority_context(ctx, name)
            m = card.measure(measure_id) if card.authority else None
            if m is None:
                why = card.message or "no figure in the extract"
            elif m.value is None:
                why = m.reason or "no figure in the extract"
            else:
                value, year = m.value, m.year
        rows.append(
            {
                "Authority": authority_display_name(r["Label"]),
                "Caseload compared": float(r["Figure"]),
                "Counted in": r["Group"],
                "Rate per 10,000": value,
                "Rate": rate_name,
                "Year": year,
                "Why no rate": why,
            }
        )
    out = pd.DataFrame(rows, columns=RATE_COLUMNS)
    out["Rate per 10,000"] = pd.to_numeric(out["Rate per 10,000"], errors="coerce").astype("Float64")
    return out


def rate_text(data: pd.DataFrame, role: str) -> str:
    who = ROLE_LABELS[role]
    shown = data[data["Rate per 10,000"].notna()]
    if shown.empty:
        return f"No authority shown has both a {who} caseload figure and an official rate."
    rate = str(shown["Rate"].iloc[0]).lower()
    parts = [
        f"{r['Authority']}: caseload {format_figure(r['Caseload compared'])} ({r['Counted in']}), "
        f"{number(r['Rate per 10,000'])} per 10,000 in {r['Year']}"
        for _, r in shown.sort_values("Caseload compared", ascending=False).iterrows()
    ]
    missing = data[data["Rate per 10,000"].isna()]
    tail = (
        " No rate: "
        + "; ".join(f"{r['Authority']} ({r['Why no rate']})" for _, r in missing.iterrows())
        + "."
        if not missing.empty
        else ""
    )
    return f"{who} caseload beside {rate}. " + "; ".join(parts) + "." + tail


def rate_section(frame: pd.DataFrame, role: str, ctx: Context | None = None) -> Section:
    """A labelled scatter of each authority's caseload against its rate per 10,000, with table and words."""
    ctx = ctx or load_context()
    who = ROLE_LABELS[role]
    heading = f"{who} caseload beside the official rate"
    data = rate_frame(frame, role, ctx)
    rate_name = ctx.measures[ROLE_RATES[role]].name
    if data.empty:
        return Section(heading=heading, level=3, empty=f"No {who} caseload figure to set beside a rate.")
    words = rate_text(data, role)
    shown = data[data["Rate per 10,000"].notna()]
    chart_list: tuple[Chart, ...] = ()
    if not shown.empty:
        chart_list = (
            Chart(
                key=f"context_rate_{role}",
                title=f"{who} caseload and {rate_name.lower()}",
                chart=charts.rate_scatter(shown.astype({"Rate per 10,000": float}), who, rate_name),
                alt=words,
                source=OGL_ATTRIBUTION,
            ),
        )
    return Section(
        heading=heading,
        level=3,
        intro=f"Each labelled dot is an authority: across, the {who} caseload compared (one figure, or the "
        f"middle of a range); up, its {rate_name.lower()} (latest year). A higher rate means more children "
        "per head of the child population, not more per officer.",
        charts=chart_list,
        text=words,
        tables=(
            Table(
                key=f"context_rate_table_{role}",
                caption=f"Table of {who} caseloads and {rate_name.lower()} (the chart's data)",
                frame=data,
                sheet=f"{who} caseload and rate",
            ),
        ),
        notes=(LICENCE_NOTE,),
    )
