"""Quality assurance inputs and impact evidence: who reports what, and the sentences behind each mark.

The page offers either taxonomy (``models.vocabulary.TAXONOMIES``). For each
role it shows how many authorities report each code, split by model (the
prevalence chart), a grid of codes by authorities with a ✓ where one is
reported, and the same as a table. ``detail`` gives the verbatim sentences
behind one code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis import tables
from models.returns import AuthorityReturn, RoleSection
from models.taxonomy import CODING_RULE
from models.vocabulary import MODEL_ORDER, ROLE_LABELS, TAXONOMIES, display_name, model_label, plural
from views import charts
from views.base import Chart, Passage, Section, Selection, Table, View

TITLE = "Quality assurance inputs"
INTRO = (
    "Which quality assurance activities each authority reports, and how it evidences impact. Each mark is "
    "coded from the authority's own answers: choose an activity (or click a cell) to read the sentences "
    "behind it."
)
#: The grid chart (authorities across) is drawn for up to this many authorities: a whole region
#: fits a laptop; beyond it the table says the same and reads better.
GRID_MOST = 40
YES = "✓ Yes"
NO = "— No"
CODED_SOURCE = "Authorities' returns, coded from their own words (see docs/coding.md)"
PRINT_INTRO = (
    "Which quality assurance activities each authority reports, and how it evidences impact. Each mark is "
    "coded from the authority's own answers; the sentences behind each are in the dashboard and the workbook."
)
MARKS_NOTE = (
    "✓ Yes: the authority's answers describe it. — No: they do not (which may mean it was not mentioned)."
)


def codes_of(section: RoleSection | None, taxonomy: str) -> list[str]:
    if section is None:
        return []
    return list(getattr(section, TAXONOMIES[taxonomy].field))


def code_labels(taxonomy: str) -> dict[str, str]:
    return TAXONOMIES[taxonomy].labels


def yes_no(flag: bool) -> str:
    return YES if flag else NO


# ---------------------------------------------------------------------------
# Shares by model (also drawn by the Combined or separate page)


def code_shares(returns: Sequence[AuthorityReturn], taxonomy: str, role: str) -> pd.DataFrame:
    """For each code and model: how many authorities report it, of those that answered the role.

    Columns: Code, Label, Model, Reporting, Answered, Share (0–1).
    """
    codes = TAXONOMIES[taxonomy].codes
    rows = []
    for model in MODEL_ORDER:
        group = [r for r in returns if model_label(r) == model and getattr(r, role) is not None]
        if not group:
            continue
        for code in codes:
            n = sum(code.code in codes_of(getattr(r, role), taxonomy) for r in group)
            rows.append(
                {
                    "Code": code.code,
                    "Label": code.label,
                    "Model": model,
                    "Reporting": n,
                    "Answered": len(group),
                    "Share": n / len(group),
                }
            )
    return pd.DataFrame(rows, columns=["Code", "Label", "Model", "Reporting", "Answered", "Share"])


def shares_table(shares: pd.DataFrame) -> pd.DataFrame:
    """``code_shares`` as one row per code, one 'n of N (x%)' column per model, most common first."""
    if shares.empty:
        return pd.DataFrame(columns=["Activity"])
    models = [m for m in MODEL_ORDER if m in set(shares["Model"])]
    out = []
    for label, part in shares.groupby("Label", sort=False):
        row: dict[str, object] = {"Activity": label}
        for model in models:
            hit = part[part["Model"] == model]
            if hit.empty:
                continue
            r = hit.iloc[0]
            row[f"{model}: share"] = float(r["Share"])
            row[f"{model}: authorities"] = f"{r['Reporting']} of {r['Answered']} ({round(100 * r['Share'])}%)"
        row["_total"] = int(part["Reporting"].sum())
        out.append(row)
    table = (
        pd.DataFrame(out).sort_values(["_total", "Activity"], ascending=[False, True]).drop(columns="_total")
    )
    return table.reset_index(drop=True)


def shares_text(shares: pd.DataFrame, taxonomy: str) -> str:
    """A text alternative: the most common codes per model."""
    if shares.empty:
        return "No returns to compare under these filters."
    what = TAXONOMIES[taxonomy].noun
    sentences = []
    for model in MODEL_ORDER:
        part = shares[shares["Model"] == model]
        if part.empty:
            continue
        n = int(part["Answered"].iloc[0])
        top = part[part["Reporting"] > 0].sort_values(["Reporting", "Label"], ascending=[False, True]).head(3)
        if top.empty:
            sentences.append(f"{model} ({n}): no {what} coded.")
            continue
        listed = ", ".join(f"{r['Label']} ({r['Reporting']} of {n})" for _, r in top.iterrows())
        sentences.append(f"{model} ({plural(n, 'authority')}): most often {listed}.")
    return " ".join(sentences)


def prevalence(returns: Sequence[AuthorityReturn], taxonomy: str, role: str) -> pd.DataFrame:
    """One row per code: how many authorities report it in all, and per model, most common first."""
    shares = code_shares(returns, taxonomy, role)
    answered = sum(getattr(r, role) is not None for r in returns)
    rows = []
    for code in TAXONOMIES[taxonomy].codes:
        part = shares[shares["Code"] == code.code]
        row: dict[str, object] = {"Activity": code.label}
        total = int(part["Reporting"].sum()) if not part.empty else 0
        row["Authorities reporting it"] = f"{total} of {answered}"
        for model in MODEL_ORDER:
            hit = part[part["Model"] == model]
            if not hit.empty:
                r = hit.iloc[0]
                row[model] = f"{r['Reporting']} of {r['Answered']}"
        row["_total"] = total
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame = frame.sort_values(["_total", "Activity"], ascending=[False, True]).drop(columns="_total")
    return frame.reset_index(drop=True)


def prevalence_text(returns: Sequence[AuthorityReturn], taxonomy: str, role: str) -> str:
    shares = code_shares(returns, taxonomy, role)
    answered = sum(getattr(r, role) is not None for r in returns)
    if shares.empty:
        return f"No {ROLE_LABELS[role]} answers under these filters."
    totals = (
        shares.groupby("Label", sort=False)["Reporting"].sum().sort_values(ascending=False, kind="stable")
    )
    top = [f"{label} ({int(n)} of {answered})" for label, n in totals.items() if n > 0][:5]
    none = [label for label, n in totals.items() if n == 0]
    text = (
        f"Of {plural(answered, 'authority')} answering for {ROLE_LABELS[role]}s, the most reported: "
        + "; ".join(top)
        + "."
    )
    if none:
        text += " Reported by none: " + ", ".join(none) + "."
    return text


def _prevalence_data(returns: Sequence[AuthorityReturn], taxonomy: str, role: str) -> pd.DataFrame:
    shares = code_shares(returns, taxonomy, role)
    if shares.empty:
        return shares
    order = {m: i for i, m in enumerate(MODEL_ORDER)}
    data = shares.copy()
    data["Model order"] = data["Model"].map(order)
    data["Total"] = data.groupby("Label")["Reporting"].transform("sum")
    data = data.sort_values(["Label", "Model order"])
    data["End"] = data.groupby("Label")["Reporting"].cumsum()
    data["Marker"] = data["Reporting"].astype(str)
    return data


# ---------------------------------------------------------------------------
# The matrix: authorities by codes


def marked_matrix(
    returns: Sequence[AuthorityReturn], taxonomy: str, role: str, published_rounds=()
) -> pd.DataFrame:
    """Authorities (named as pages name them) by codes, each cell '✓ Yes' or '— No'; only the
    returns that answered the role."""
    shown = tables.matrix_table(list(returns), taxonomy, role)
    if shown.empty:
        return shown
    published = set(published_rounds)
    shown["Authority"] = [display_name(r, published) for r in returns if getattr(r, role) is not None]
    for label in code_labels(taxonomy).values():
        shown[label] = shown[label].map(yes_no)
    return shown


def grid_data(matrix: pd.DataFrame, taxonomy: str) -> pd.DataFrame:
    """The matrix as one row per (code, authority) cell, for the grid chart."""
    labels = list(code_labels(taxonomy).values())
    long = matrix.melt(id_vars=["Authority", "Model"], value_vars=labels, var_name="Label", value_name="Mark")
    long["Reports"] = long["Mark"] == YES
    return long


def role_section(sel: Selection, taxonomy: str, role: str, *, grid: bool = True) -> Section:
    tax = TAXONOMIES[taxonomy]
    who = ROLE_LABELS[role]
    heading = f"{who}: {tax.title.lower()}"
    matrix = marked_matrix(sel.returns, taxonomy, role, sel.published_rounds)
    if matrix.empty:
        return Section(
            heading=heading,
            empty=f"None of the returns shown answered the {who} questions. Combined-role authorities often "
            "answered once, in the IRO section: choose the IRO role or both roles in the sidebar.",
            print_empty=f"None of these returns answered the {who} questions: combined-role authorities often "
            "answered once, in the IRO section.",
        )
    authorities = list(matrix["Authority"])
    labels = list(code_labels(taxonomy).values())
    prev = prevalence(sel.returns, taxonomy, role)
    prev_text = prevalence_text(sel.returns, taxonomy, role)
    counts = {
        row["Activity"]: int(row["Authorities reporting it"].split(" of ")[0]) for _, row in prev.iterrows()
    }
    order = sorted(labels, key=lambda lab: (-counts.get(lab, 0), labels.index(lab)))
    prevalence_chart = Chart(
        key=f"prevalence_{taxonomy}_{role}",
        title=f"{who}: how many authorities report each {tax.one}, by model",
        chart=charts.prevalence_chart(
            _prevalence_data(sel.returns, taxonomy, role), f"{who}: authorities reporting each {tax.one}"
        ),
        alt=prev_text,
        source=CODED_SOURCE,
    )
    charts_shown = [prevalence_chart]
    grid_chart = Chart(
        key=f"grid_{taxonomy}_{role}",
        title=f"{who}: {tax.title.lower()} by authority",
        chart=charts.grid_chart(
            grid_data(matrix, taxonomy), order, authorities, f"{who}: {tax.short} by authority (✓ = reported)"
        ),
        alt=prev_text,
        source=CODED_SOURCE,
    )
    notes: tuple[str, ...] = ()
    if grid and len(authorities) <= GRID_MOST:
        charts_shown.append(grid_chart)
    elif grid:
        notes = (
            f"The grid of ticks is drawn for up to {GRID_MOST} authorities; with {len(authorities)}, read the "
            "table below (every authority and activity), or narrow the filters.",
        )
    return Section(
        heading=heading,
        charts=tuple(charts_shown),
        text=prev_text,
        notes=notes,
        tables=(
            Table(
                key=f"prevalence_table_{taxonomy}_{role}",
                caption=f"Table of {who} {tax.phrase}: how many report each, by model",
                frame=prev,
                sheet=f"{who} {tax.short} counts",
            ),
            Table(
                key=f"matrix_{taxonomy}_{role}",
                caption=f"{who} {tax.phrase}: each authority (rows) and {tax.one} (columns)",
                frame=matrix,
                sheet=f"{who} {tax.short}",
                expanded=True,
                in_pack=grid,
            ),
        ),
    )


def build(sel: Selection, *, taxonomy: str = "qa", grid: bool = True) -> View:
    """The page for one taxonomy; ``grid=False`` (the short pack) leaves out the grid of ticks and the
    matrix of authorities by codes, keeping how many report each, with its chart."""
    taxonomy = taxonomy if taxonomy in TAXONOMIES else "qa"
    return View(
        key="qa_inputs",
        title=TITLE if taxonomy == "qa" else f"{TITLE}: {TAXONOMIES[taxonomy].title.lower()}",
        intro=INTRO,
        print_intro=PRINT_INTRO,
        sections=(
            Section(notes=(CODING_RULE, MARKS_NOTE) if grid else (CODING_RULE,)),
            *(role_section(sel, taxonomy, role, grid=grid) for role in sel.roles),
        ),
        filters=sel.filters,
    )


# ---------------------------------------------------------------------------
# The sentences behind one code


@dataclass(frozen=True)
class CodeDetail:
    authority: str
    reports: bool
    sentences: tuple[str, ...]
    full_answer: str


def code_detail(
    returns: Sequence[AuthorityReturn],
    taxonomy: str,
    role: str,
    code: str,
    published_rounds: Iterable[str] = (),
) -> list[CodeDetail]:
    """For one code: each authority that answered the role, whether it reports it, and the verbatim
    sentences recorded as supporting it."""
    published = set(published_rounds)
    answer_field = TAXONOMIES[taxonomy].answer
    out = []
    for ret in returns:
        section = getattr(ret, role)
        if section is None:
            continue
        out.append(
            CodeDetail(
                authority=display_name(ret, published),
                reports=code in codes_of(section, taxonomy),
                sentences=tuple(section.quotes(taxonomy, code)),
                full_answer=getattr(section, answer_field) or "",
            )
        )
    return out


def picked_cell(
    matrix: pd.DataFrame, taxonomy: str, cell: tuple | dict | None
) -> tuple[str | None, str | None]:
    """The (authority, code label) of a clicked matrix cell, or (None, None) for anything else
    (a click on the Authority or Model column, a row beyond the table, a malformed selection)."""
    if not cell:
        return None, None
    if isinstance(cell, dict):
        row, column = cell.get("row"), cell.get("column")
    else:
        try:
            row, column = cell[0], cell[1]
        except (IndexError, TypeError, KeyError):
            return None, None
    if column not in code_labels(taxonomy).values() or not isinstance(row, int) or not 0 <= row < len(matrix):
        return None, None
    return str(matrix.iloc[row]["Authority"]), str(column)


def detail(
    sel: Selection, *, taxonomy: str, role: str, label: str, picked_authority: str | None = None
) -> Section:
    """The sentences behind one code for one role: who reports it, with their words, and who does not."""
    tax = TAXONOMIES[taxonomy]
    by_label = {v: k for k, v in tax.labels.items()}
    code = by_label[label]
    details = code_detail(sel.returns, taxonomy, role, code, sel.published_rounds)
    reporting = [d for d in details if d.reports]
    others = [d.authority for d in details if not d.reports]
    if picked_authority:
        reporting.sort(key=lambda d: d.authority != picked_authority)
    blocks: list[Passage] = []
    for d in reporting:
        if d.sentences:
            blocks.extend(
                Passage(s, heading=d.authority if i == 0 else None, quote=True)
                for i, s in enumerate(d.sentences)
            )
        else:
            blocks.append(
                Passage(
                    "",
                    heading=d.authority,
                    caption="No supporting sentence was recorded for this mark. Read the full answer below, or "
                    "open the authority on the 'Authorities side by side' page.",
                    more=d.full_answer,
                )
            )
    if picked_authority in others:
        answer = next(d.full_answer for d in details if d.authority == picked_authority)
        blocks.append(Passage(answer, heading=f"{picked_authority}'s full answer, to check"))
    return Section(
        heading=None,
        intro=f"{label}: {len(reporting)} of {plural(len(details), 'authority')} report it.",
        notes=(f"What counts: {tax.by_code[code].definition}",),
        blocks=tuple(blocks),
        bullets=(f"Does not report it: {', '.join(others)}",) if others else (),
    )
