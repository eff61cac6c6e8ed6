"""The figures and frames behind the comparison pages (no Streamlit here).

Every function takes the returns a page shows (already filtered, see
``dashboard.filters``) and gives back plain values or pandas frames that a
page draws and a test reads.

Caseloads are summarised with one figure per authority: its single figure,
or the midpoint of its range, or N for "up to N" (``Caseload.midpoint``).
Figures in families are never pooled with figures in children: medians are
given per kind of count, and "cases" (where the answer does not say
children or families) is named as such.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from dashboard import guidance
from dashboard.filters import model_code
from models.questionnaire import by_path
from models.returns import POPULATION_LABELS, ROLE_LABELS, AuthorityReturn, Caseload, RoleSection
from models.taxonomy import IMPACT_EVIDENCE, QA_ACTIVITIES, Code

PUBLISHED_MARK = "published description"
MODEL_SHORT = {"combined": "Combined", "separate": "Separate", "not_stated": "Not stated"}
MODEL_ORDER = ["Combined", "Separate", "Not stated"]

#: How a caseload was reported, in the words the chart legend uses.
REPORTED_AS = {
    "single": "One figure",
    "range": "A range",
    "up_to": "Up to a figure",
    "or_more": "A figure or more",
    "none": "No figure given",
}
#: Unit names as the chart and tables say them.
UNIT_NAMES = {"children": "children", "families": "families", "cases": "cases (unit not stated)"}
#: Children and cases are summarised together (named as such); families never are.
UNIT_GROUPS = {"children": "children or cases", "cases": "children or cases", "families": "families"}

TAXONOMIES: dict[str, tuple[str, tuple[Code, ...], str]] = {
    # key: (RoleSection field, codes, what users call them)
    "qa": ("qa_activities", QA_ACTIVITIES, "quality assurance activity"),
    "impact": ("impact_evidence", IMPACT_EVIDENCE, "kind of impact evidence"),
}
#: Which narrative answer a taxonomy codes (to point users at the full answer).
TAXONOMY_ANSWER = {"qa": "quality_inputs", "impact": "impact"}


def display_name(ret: AuthorityReturn, published_rounds: Iterable[str] = ()) -> str:
    """The authority's name, marked where the return is a published description."""
    if ret.round in set(published_rounds):
        return f"{ret.authority} ({PUBLISHED_MARK})"
    return ret.authority


def question_text(path: str) -> str:
    """The question as the questionnaire asks it (e.g. 'Expectations of role')."""
    q = by_path().get(path)
    return q.question if q is not None else path


def reported_as(caseload: Caseload | None) -> str:
    if caseload is None or not caseload.has_numbers:
        return "none"
    if caseload.low is None:
        return "up_to"
    if caseload.high is None:
        return "or_more"
    return "single" if caseload.low == caseload.high else "range"


# ---------------------------------------------------------------------------
# Caseloads


def caseload_frame(
    returns: Sequence[AuthorityReturn], role: str, published_rounds: Iterable[str] = ()
) -> pd.DataFrame:
    """One row per return that answered ``role``: the verbatim answer and its numbers.

    ``start``/``end`` are where the chart draws the interval: "up to N" runs
    from 0 to N; ``figure`` is the single figure used to sort and summarise.
    """
    published = set(published_rounds)
    rows = []
    for ret in returns:
        section = getattr(ret, role)
        if section is None:
            continue
        cl = section.caseload
        kind = reported_as(cl)
        low = cl.low if cl else None
        high = cl.high if cl else None
        unit = cl.unit if cl else "cases"
        figure = cl.midpoint if cl else None
        if kind == "up_to":
            start, end = 0, high
        elif kind == "or_more":
            start, end = low, low
        else:
            start, end = low, high
        name = display_name(ret, published)
        unit_name = UNIT_NAMES[unit]
        rows.append(
            {
                "Authority": ret.authority,
                "Label": f"{name} – {unit}" if unit != "cases" else name,
                "Round": ret.round,
                "Published description": ret.round in published,
                "Model": MODEL_SHORT[model_code(ret)],
                "Answer (as reported)": (cl.text or "") if cl else "",
                "As numbers": cl.as_numbers() if cl else "",
                "Reported as": REPORTED_AS[kind],
                "Low": low,
                "High": high,
                "Start": start,
                "End": end,
                "Figure": figure,
                "Unit": unit_name,
                "Unit group": UNIT_GROUPS[unit],
                "Which children": POPULATION_LABELS.get(cl.population, "") if cl and cl.population else "",
                "Parts": "; ".join(_part_text(p) for p in cl.parts) if cl else "",
                "Within IRO Handbook band": (
                    guidance.in_band(figure) if role == "iro" and unit != "families" else None
                ),
            }
        )
    columns = [
        "Authority",
        "Label",
        "Round",
        "Published description",
        "Model",
        "Answer (as reported)",
        "As numbers",
        "Reported as",
        "Low",
        "High",
        "Start",
        "End",
        "Figure",
        "Unit",
        "Unit group",
        "Which children",
        "Parts",
        "Within IRO Handbook band",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("Low", "High", "Start", "End", "Figure"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Float64")
    return frame


def _part_text(part) -> str:
    lo, hi = part.low, part.high
    if lo is None and hi is None:
        nums = "no figure"
    elif lo is None:
        nums = f"up to {hi}"
    elif hi is None or lo == hi:
        nums = str(lo)
    else:
        nums = f"{lo}–{hi}"
    return f"{nums} {part.label}".strip()


def sort_caseloads(frame: pd.DataFrame, by: str) -> list[str]:
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


@dataclass(frozen=True)
class Median:
    unit_group: str  # "children or cases" | "families"
    median: float
    n: int
    authorities: tuple[str, ...]

    def sentence(self) -> str:
        return f"{format_figure(self.median)} {self.unit_group} (from {plural(self.n, 'authority')})"


def plural(n: int, word: str) -> str:
    """'1 authority', '3 authorities', '2 returns'."""
    if n == 1:
        return f"1 {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


def format_figure(x: float | None) -> str:
    if x is None or pd.isna(x):
        return "–"
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def caseload_medians(returns: Sequence[AuthorityReturn], role: str) -> list[Median]:
    """The median caseload per kind of count (children or cases first, then families)."""
    groups: dict[str, list[tuple[str, float]]] = {}
    for ret in returns:
        section = getattr(ret, role)
        cl = section.caseload if section else None
        if cl is None or cl.midpoint is None:
            continue
        groups.setdefault(UNIT_GROUPS[cl.unit], []).append((ret.authority, cl.midpoint))
    out = []
    for group in ("children or cases", "families"):
        items = groups.get(group)
        if items:
            out.append(
                Median(
                    unit_group=group,
                    median=statistics.median(v for _, v in items),
                    n=len(items),
                    authorities=tuple(a for a, _ in items),
                )
            )
    return out


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


def caseload_text(frame: pd.DataFrame, role: str) -> str:
    """A text alternative to a role's caseload chart, generated from its data."""
    who = ROLE_LABELS[role]
    if frame.empty:
        return f"No {who} caseloads to show under these filters."
    lines = []
    with_fig = frame[frame["Figure"].notna()]
    for group in ("children or cases", "families"):
        part = with_fig[with_fig["Unit group"] == group]
        if part.empty:
            continue
        lo = part["Start"].where(part["Reported as"] != REPORTED_AS["up_to"], part["End"])
        lows = pd.concat([lo, part["End"]]).dropna()
        units = sorted(set(part["Unit"]))
        counted = " or ".join(u.split(" (")[0] for u in units)
        sentence = (
            f"{who} caseloads counted in {counted} range from {format_figure(lows.min())} "
            f"to {format_figure(lows.max())} across {len(part)} authorit{'y' if len(part) == 1 else 'ies'}"
        )
        med = statistics.median(float(x) for x in part["Figure"])
        sentence += f"; the median is {format_figure(med)}"
        if role == "iro" and group == "children or cases":
            inside = int(part["Within IRO Handbook band"].fillna(False).astype(bool).sum())
            sentence += (
                f"; {inside} of {len(part)} are within the IRO Handbook band of "
                f"{guidance.IRO_BAND_LOW}–{guidance.IRO_BAND_HIGH}"
            )
        lines.append(sentence + ".")
        highest = part.sort_values("Figure", ascending=False).iloc[0]
        lowest = part.sort_values("Figure").iloc[0]
        if len(part) > 1:
            lines.append(
                f"Highest: {highest['Authority']} ({highest['As numbers']}); "
                f"lowest: {lowest['Authority']} ({lowest['As numbers']})."
            )
    upto = with_fig[with_fig["Reported as"] == REPORTED_AS["up_to"]]
    if not upto.empty:
        lines.append(
            "Reported as a maximum: "
            + ", ".join(f"{r['Authority']} (up to {format_figure(r['End'])})" for _, r in upto.iterrows())
            + "."
        )
    missing = frame[frame["Figure"].isna()]
    if not missing.empty:
        lines.append("No figure given: " + ", ".join(missing["Authority"]) + ".")
    return " ".join(lines)


def caseload_by_model(returns: Sequence[AuthorityReturn], role: str) -> pd.DataFrame:
    """Per model and kind of count: how many figures, lowest, median and highest."""
    frame = caseload_frame(returns, role)
    frame = frame[frame["Figure"].notna()]
    rows = []
    for model in MODEL_ORDER:
        for group in ("children or cases", "families"):
            part = frame[(frame["Model"] == model) & (frame["Unit group"] == group)]
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


# ---------------------------------------------------------------------------
# Models and coded activities


def authorities_by_model(
    returns: Sequence[AuthorityReturn], published_rounds: Iterable[str] = ()
) -> dict[str, list[str]]:
    """Model label -> the authorities in that group (published descriptions marked)."""
    published = set(published_rounds)
    out: dict[str, list[str]] = {m: [] for m in MODEL_ORDER}
    for ret in returns:
        out[MODEL_SHORT[model_code(ret)]].append(display_name(ret, published))
    return {m: names for m, names in out.items() if names}


def codes_of(section: RoleSection | None, taxonomy: str) -> list[str]:
    if section is None:
        return []
    return list(getattr(section, TAXONOMIES[taxonomy][0]))


def code_shares(returns: Sequence[AuthorityReturn], taxonomy: str, role: str) -> pd.DataFrame:
    """For each code and model: how many authorities report it, out of those that answered the role.

    Columns: Code, Label, Model, Reporting, Answered, Share (0–1).
    """
    _, codes, _ = TAXONOMIES[taxonomy]
    rows = []
    for model in MODEL_ORDER:
        group = [r for r in returns if MODEL_SHORT[model_code(r)] == model and getattr(r, role) is not None]
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
    what = TAXONOMIES[taxonomy][2]
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
        sentences.append(f"{model} ({n} authorit{'y' if n == 1 else 'ies'}): most often {listed}.")
    return " ".join(sentences)


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
    """For one code: each authority (that answered the role), whether it reports it, and the
    verbatim sentences recorded as supporting it."""
    published = set(published_rounds)
    answer_field = TAXONOMY_ANSWER[taxonomy]
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


def code_labels(taxonomy: str) -> dict[str, str]:
    return {c.code: c.label for c in TAXONOMIES[taxonomy][1]}


# ---------------------------------------------------------------------------
# One authority, and several side by side

ROLE_QUESTIONS = (
    ("caseload", "caseload.text"),
    ("expectations", "expectations"),
    ("quality_inputs", "quality_inputs"),
    ("impact", "impact"),
)


@dataclass(frozen=True)
class Answer:
    section: str
    question: str
    answer: str


def profile(ret: AuthorityReturn) -> list[Answer]:
    """Every answer of one return, in questionnaire order, with the question as asked."""
    out = [Answer("About the return", question_text("combined_role"), ret.model_label)]
    if ret.authority_note:
        out.append(Answer("About the return", "About the authority's return", ret.authority_note))
    for role in ROLE_LABELS:
        section: RoleSection | None = getattr(ret, role)
        title = "IRO role" if role == "iro" else "CP chairs"
        if section is None:
            out.append(Answer(title, "(section)", "Not answered."))
            continue
        for key, path in ROLE_QUESTIONS:
            if key == "caseload":
                cl = section.caseload
                text = cl.text if cl and cl.text else ""
                out.append(Answer(title, question_text(f"{role}.caseload.text"), text or "Not answered."))
                if cl and cl.has_numbers:
                    nums = f"{cl.as_numbers()} {UNIT_NAMES[cl.unit]}"
                    if cl.population:
                        nums += f", {POPULATION_LABELS[cl.population]}"
                    out.append(Answer(title, "Caseload as numbers", nums))
                continue
            value = getattr(section, key)
            out.append(Answer(title, question_text(f"{role}.{path}"), value or "Not answered."))
        for taxonomy in TAXONOMIES:
            labels = code_labels(taxonomy)
            codes = codes_of(section, taxonomy)
            out.append(
                Answer(
                    title,
                    question_text(f"{role}.{TAXONOMIES[taxonomy][0]}"),
                    "\n".join(labels[c] for c in codes) if codes else "None recorded.",
                )
            )
    wf = ret.workforce
    if wf.iro_fte is not None:
        out.append(Answer("Workforce", question_text("workforce.iro_fte"), format_figure(wf.iro_fte)))
    if wf.cp_chair_fte is not None:
        out.append(
            Answer("Workforce", question_text("workforce.cp_chair_fte"), format_figure(wf.cp_chair_fte))
        )
    for other in wf.other:
        out.append(Answer("Workforce", other.label, other.text))
    return out


def side_by_side(
    returns: Sequence[AuthorityReturn], roles: Sequence[str] = tuple(ROLE_LABELS), published_rounds=()
) -> pd.DataFrame:
    """Question by question (rows), one column per authority, every answer as text."""
    published = set(published_rounds)
    names = [display_name(r, published) for r in returns]
    rows: list[dict[str, str]] = [
        {
            "Question": "Combined role (IRO & CP Chair)",
            **{n: r.model_label for n, r in zip(names, returns, strict=True)},
        }
    ]
    for role in roles:
        prefix = ROLE_LABELS[role]
        for key, path in ROLE_QUESTIONS:
            row = {"Question": f"{prefix}: {question_text(f'{role}.{path}')}"}
            for n, r in zip(names, returns, strict=True):
                section = getattr(r, role)
                if section is None:
                    row[n] = "Not answered."
                elif key == "caseload":
                    cl = section.caseload
                    row[n] = cl.text if cl and cl.text else "Not answered."
                else:
                    row[n] = getattr(section, key) or "Not answered."
            rows.append(row)
            if key == "caseload":
                row = {"Question": f"{prefix}: caseload as numbers"}
                for n, r in zip(names, returns, strict=True):
                    section = getattr(r, role)
                    cl = section.caseload if section else None
                    row[n] = (
                        f"{cl.as_numbers()} {UNIT_NAMES[cl.unit]}" if cl and cl.has_numbers else "No figure"
                    )
                rows.append(row)
        for taxonomy in TAXONOMIES:
            labels = code_labels(taxonomy)
            row = {"Question": f"{prefix}: {question_text(f'{role}.{TAXONOMIES[taxonomy][0]}')}"}
            for n, r in zip(names, returns, strict=True):
                codes = codes_of(getattr(r, role), taxonomy)
                row[n] = "\n".join(labels[c] for c in codes) if codes else "None recorded."
            rows.append(row)
    return pd.DataFrame(rows, columns=["Question", *names])


HAS = "✓ has"
LACKS = "— lacks"
NOT_ANSWERED = "not answered"


def has_lacks(
    returns: Sequence[AuthorityReturn], taxonomy: str, role: str, published_rounds=(), only_differences=True
) -> pd.DataFrame:
    """Codes (rows) by authority (columns): '✓ has' or '— lacks'.

    With ``only_differences`` only the codes some authorities have and others lack are kept.
    """
    published = set(published_rounds)
    labels = code_labels(taxonomy)
    names = [display_name(r, published) for r in returns]
    rows = []
    for code, label in labels.items():
        row = {"Activity": label}
        marks = []
        for n, r in zip(names, returns, strict=True):
            section = getattr(r, role)
            if section is None:
                row[n] = NOT_ANSWERED
                continue
            has = code in codes_of(section, taxonomy)
            row[n] = HAS if has else LACKS
            marks.append(has)
        if not any(marks):
            continue
        if only_differences and all(marks) and len(marks) == len(returns):
            continue
        rows.append(row)
    return pd.DataFrame(rows, columns=["Activity", *names])


def differences(returns: Sequence[AuthorityReturn], roles: Sequence[str] = tuple(ROLE_LABELS)) -> list[str]:
    """Plain sentences naming where the returns differ (model, caseloads, activities)."""
    out = []
    models = {r.authority: r.model_label for r in returns}
    if len(set(models.values())) > 1:
        out.append("Models differ: " + "; ".join(f"{a}: {m.lower()}" for a, m in models.items()) + ".")
    else:
        out.append(f"All have the same model: {next(iter(models.values())).lower()}.")
    for role in roles:
        who = ROLE_LABELS[role]
        figs = []
        for r in returns:
            section = getattr(r, role)
            cl = section.caseload if section else None
            figs.append(
                f"{r.authority}: {cl.as_numbers()} {UNIT_NAMES[cl.unit]}"
                if cl and cl.has_numbers
                else f"{r.authority}: no figure"
            )
        out.append(f"{who} caseloads – " + "; ".join(figs) + ".")
        for taxonomy in TAXONOMIES:
            labels = code_labels(taxonomy)
            sets = {r.authority: set(codes_of(getattr(r, role), taxonomy)) for r in returns}
            for a, mine in sets.items():
                others = set().union(*(s for b, s in sets.items() if b != a)) if len(sets) > 1 else set()
                only = [labels[c] for c in labels if c in mine - others]
                if only:
                    what = "QA activities" if taxonomy == "qa" else "impact evidence"
                    out.append(f"{who} {what}: only {a} reports " + ", ".join(only) + ".")
    return out


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
