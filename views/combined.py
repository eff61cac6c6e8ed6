"""Combined or separate: the two models side by side (groups, caseloads, activities, evidence)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from models.caseload import CHILDREN, FAMILIES
from models.returns import AuthorityReturn
from models.vocabulary import (
    IRO_BAND,
    MODEL_ORDER,
    ROLE_LABELS,
    TAXONOMIES,
    display_name,
    model_label,
    plural,
)
from views import charts
from views.base import Chart, Columns, Section, Selection, Table, View
from views.caseloads import RETURNS_SOURCE, caseload_by_model, caseload_by_model_text, caseload_frame
from views.coded import code_shares, shares_table, shares_text

TITLE = "Combined or separate roles"
INTRO = (
    "Authorities where the same officers both review the care plans of children looked after and chair "
    "child protection conferences (combined), next to those with separate IROs and CP chairs. Shares are "
    "of the authorities in each group that answered that role's questions."
)


def authorities_by_model(
    returns: Sequence[AuthorityReturn], published_rounds: Iterable[str] = ()
) -> dict[str, list[str]]:
    """Model label -> the authorities in that group (published descriptions marked)."""
    published = set(published_rounds)
    out: dict[str, list[str]] = {m: [] for m in MODEL_ORDER}
    for ret in returns:
        out[model_label(ret)].append(display_name(ret, published))
    return {m: names for m, names in out.items() if names}


def _caseloads(sel: Selection, role: str) -> Section:
    who = ROLE_LABELS[role]
    heading = f"{who} caseloads by model"
    frame = caseload_frame(sel.returns, role, sel.published_rounds)
    summary = caseload_by_model(sel.returns, role)
    if frame.empty:
        return Section(
            heading=f"{who}s",
            empty=f"None of the returns shown answered the {who} questions. Combined-role authorities often "
            "answered once, in the IRO section.",
        )
    if summary.empty:
        return Section(heading=heading, empty=f"No {who} caseload figure is stated in the returns shown.")
    data = frame[frame["Figure"].notna() & (frame["Group"] == CHILDREN)].copy()
    data["Figure"] = data["Figure"].astype(float)
    apart = frame[frame["Figure"].notna() & (frame["Group"] != CHILDREN)]
    notes = ()
    if not apart.empty:
        notes = (
            "Not in the chart (counted in families, or mixed, so not comparable with children): "
            + "; ".join(
                f"{r['Authority']} ({r['Model'].lower()}): {r['As numbers']} "
                + ("families" if r["Group"] == FAMILIES else "mixed")
                for _, r in apart.iterrows()
            )
            + ".",
        )
    text = caseload_by_model_text(summary, role)
    chart_list = ()
    if not data.empty:
        chart_list = (
            Chart(
                key=f"cvs_caseloads_{role}",
                title=f"{who} caseloads by model",
                chart=charts.model_strip_chart(data, band=role == "iro"),
                alt=text,
                source=RETURNS_SOURCE,
            ),
        )
    return Section(
        heading=heading,
        intro=f"Shaded: {IRO_BAND.sentence}" if role == "iro" else None,
        charts=chart_list,
        text=text,
        tables=(
            Table(
                key=f"cvs_caseloads_table_{role}",
                caption=f"Table of {who} caseloads by model",
                frame=summary,
                sheet=f"{who} caseloads by model",
            ),
        ),
        notes=notes,
    )


def _shares(sel: Selection, taxonomy: str, role: str) -> Section:
    who = ROLE_LABELS[role]
    tax = TAXONOMIES[taxonomy]
    shares = code_shares(sel.returns, taxonomy, role)
    table = shares_table(shares)
    return Section(
        heading=f"{who}: {tax.title.lower()}",
        level=3,
        text=shares_text(shares, taxonomy),
        tables=(
            Table(
                key=f"cvs_{taxonomy}_{role}",
                caption=f"{who} {tax.phrase} by model: how many in each group report each",
                frame=table,
                sheet=f"{who} {taxonomy} by model",
                percent=tuple(c for c in table.columns if c.endswith(": share")),
                expanded=True,
            ),
        ),
    )


def build(sel: Selection) -> View:
    groups = authorities_by_model(sel.returns, sel.published_rounds)
    group_table = pd.DataFrame([{"Model": m, "Authority": n} for m, names in groups.items() for n in names])
    first = Section(
        heading="Authorities in each group",
        blocks=(
            Columns(
                items=tuple(
                    (f"{m} ({plural(len(names), 'authority')})", "\n".join(names))
                    for m, names in groups.items()
                ),
                bullets=True,
            ),
        ),
        tables=(
            Table(
                key="cvs_groups",
                caption="Authorities by model",
                frame=group_table,
                sheet="Authorities by model",
            ),
        ),
        notes=(
            (
                "Only one model is shown under these filters, so there is nothing to set side by side. Clear the "
                "model filter in the sidebar to compare.",
            )
            if len(groups) < 2
            else ()
        ),
    )
    sections = [first]
    for role in sel.roles:
        cl = _caseloads(sel, role)
        sections.append(cl)
        if cl.empty and cl.heading == f"{ROLE_LABELS[role]}s":
            continue
        sections += [_shares(sel, taxonomy, role) for taxonomy in TAXONOMIES]
    return View(
        key="combined",
        title=TITLE,
        intro=INTRO,
        sections=tuple(sections),
        notes=(
            "Activities and kinds of evidence are coded from each authority's answers; see Quality assurance "
            "inputs for the sentences behind each code.",
        ),
        filters=sel.filters,
    )
