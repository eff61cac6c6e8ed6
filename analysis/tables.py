"""The canonical tables of the returns: what pages show and what the export writes.

Three shapes, each a ``pandas.DataFrame`` built from validated returns:

* ``summary_table`` – one row per return: the model, each role's caseload as
  reported and as numbers, counts of QA activities and evidence types, FTEs
  and data-quality notes.
* ``matrix_table`` – authorities by taxonomy codes (QA activities or impact
  evidence) for one role, one boolean column per code headed by its label.
* ``responses_table`` – every narrative answer in full, one row per answer.

Column headings come from the model and the taxonomies (``models``); nothing
here re-types a question.

``neutralise`` is the rule for text a spreadsheet could read as a formula. Two
places need it and they use two methods, chosen for each format:

* **xlsx** (``exports.xlsx``): every text cell is written with the string
  data type (``data_type = "s"``), so Excel and LibreOffice show the text as
  typed and never evaluate it; the value is kept exactly (no added characters).
* **CSV**: a CSV has no data types, so ``neutralise`` prefixes a single quote
  ``'`` to text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return, as OWASP recommends for CSV injection. The quote is visible in the
  file; spreadsheets show the rest as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import pandas as pd

from models.caseload import caseload_figure
from models.questionnaire import by_path
from models.returns import POPULATION_LABELS, UNIT_LABELS, AuthorityReturn, RoleSection, SurveyRound
from models.vocabulary import NARRATIVE_FIELDS, ROLE_LABELS, TAXONOMIES

#: Characters that make a spreadsheet treat a text cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

KIND_LABELS = {
    "questionnaire": "Questionnaire return",
    "published_descriptions": "Published description",
}

#: The IRO caseload against the IRO Handbook band, in the one reading (``models.caseload``).
BAND_COLUMN = "IRO against the IRO Handbook band"
#: What the CP chair caseload cell says when the return has no CP chair section.
NO_CP_SECTION_COMBINED = "Not answered (one section for the combined role)"
NO_CP_SECTION = "Not answered"
#: What a caseload cell says when the section is there but states no caseload.
NOT_STATED = "Not stated"

Taxonomy = Literal["qa", "impact"]
Role = Literal["iro", "cp_chair"]


def needs_neutralising(value: Any) -> bool:
    """True for text a spreadsheet could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise(value: Any) -> Any:
    """Text that could be read as a formula, made plain for a CSV: a leading ``'`` is added.

    Anything else (numbers, empty values, ordinary text) is returned unchanged.
    """
    if needs_neutralising(value):
        return "'" + value
    return value


def short_label(label: str) -> str:
    """'cases (the answer does not say children or families)' -> 'cases'."""
    return label.split(" (", 1)[0]


def role_prefix(role: str) -> str:
    return ROLE_LABELS[role]


def summary_columns() -> list[str]:
    """The Summary columns, in order."""
    cols = ["Authority", "Round", "Model", "Kind"]
    for role in ROLE_LABELS:
        p = role_prefix(role)
        cols += [
            f"{p} caseload (as reported)",
            f"{p} low",
            f"{p} high",
            f"{p} unit",
            f"{p} population",
            f"{p} caseload read as",
            *([BAND_COLUMN] if role == "iro" else []),
            f"{p} QA activities",
            f"{p} evidence types",
        ]
    cols += ["IRO FTE", "CP chair FTE", "Data-quality notes"]
    return cols


def _kind(ret: AuthorityReturn, rounds: Mapping[str, SurveyRound] | None) -> str:
    rnd = (rounds or {}).get(ret.round)
    if rnd is None:
        return ""
    return KIND_LABELS.get(str(rnd.kind), str(rnd.kind))


def _role_cells(ret: AuthorityReturn, role: str) -> dict[str, Any]:
    p = role_prefix(role)
    section: RoleSection | None = getattr(ret, role)
    cells: dict[str, Any] = {
        f"{p} caseload (as reported)": "",
        f"{p} low": None,
        f"{p} high": None,
        f"{p} unit": "",
        f"{p} population": "",
        f"{p} caseload read as": "",
        f"{p} QA activities": None,
        f"{p} evidence types": None,
    }
    if section is None:
        cells[f"{p} caseload (as reported)"] = NO_CP_SECTION_COMBINED if ret.combined_role else NO_CP_SECTION
        return cells
    cells[f"{p} QA activities"] = len(section.qa_activities)
    cells[f"{p} evidence types"] = len(section.impact_evidence)
    c = section.caseload
    if c is None or not (c.text or c.has_numbers):
        cells[f"{p} caseload (as reported)"] = NOT_STATED
        return cells
    cells[f"{p} caseload (as reported)"] = c.text or ""
    cells[f"{p} low"] = c.low
    cells[f"{p} high"] = c.high
    cells[f"{p} unit"] = short_label(UNIT_LABELS.get(str(c.unit), str(c.unit))) if c.has_numbers else ""
    if c.population:
        cells[f"{p} population"] = short_label(POPULATION_LABELS.get(str(c.population), str(c.population)))
    fig = caseload_figure(c, role)
    cells[f"{p} caseload read as"] = fig.words if c.has_numbers else ""
    if role == "iro":
        cells[BAND_COLUMN] = fig.band(role)
    return cells


def summary_table(
    returns: Sequence[AuthorityReturn], rounds: Mapping[str, SurveyRound] | None = None
) -> pd.DataFrame:
    """One row per return, in the order given (see the module docstring for the columns)."""
    rows = []
    for ret in returns:
        row: dict[str, Any] = {
            "Authority": ret.authority,
            "Round": ret.round,
            "Model": ret.model_label,
            "Kind": _kind(ret, rounds),
        }
        for role in ROLE_LABELS:
            row.update(_role_cells(ret, role))
        row["IRO FTE"] = ret.workforce.iro_fte
        row["CP chair FTE"] = ret.workforce.cp_chair_fte
        row["Data-quality notes"] = "\n".join(ret.notes)
        rows.append(row)
    df = pd.DataFrame(rows, columns=summary_columns())
    for role in ROLE_LABELS:
        p = role_prefix(role)
        for col in (f"{p} low", f"{p} high", f"{p} QA activities", f"{p} evidence types"):
            df[col] = df[col].astype("Int64")
    for col in ("IRO FTE", "CP chair FTE"):
        df[col] = df[col].astype("Float64")
    return df


def code_columns(tax: Taxonomy) -> list[tuple[str, str]]:
    """(code, column heading) for each code of a taxonomy, in taxonomy order."""
    return [(c.code, c.label) for c in TAXONOMIES[tax].codes]


def matrix_table(returns: Sequence[AuthorityReturn], taxonomy: Taxonomy, role: Role) -> pd.DataFrame:
    """Authorities by codes for one role: Authority, Model, then one boolean column per code.

    Returns without that role's section are skipped.
    """
    if taxonomy not in TAXONOMIES:
        raise ValueError(f"unknown taxonomy {taxonomy!r}; use 'qa' or 'impact'")
    if role not in ROLE_LABELS:
        raise ValueError(f"unknown role {role!r}; use 'iro' or 'cp_chair'")
    codes = code_columns(taxonomy)
    rows = []
    for ret in returns:
        section = getattr(ret, role)
        if section is None:
            continue
        chosen = set(getattr(section, TAXONOMIES[taxonomy].field))
        row: dict[str, Any] = {"Authority": ret.authority, "Model": ret.model_label}
        for code, label in codes:
            row[label] = code in chosen
        rows.append(row)
    df = pd.DataFrame(rows, columns=["Authority", "Model"] + [label for _, label in codes])
    for _, label in codes:
        df[label] = df[label].astype(bool)
    return df


def responses_columns() -> list[str]:
    return ["Authority", "Round", "Role", "Question", "Answer"]


def responses_table(returns: Sequence[AuthorityReturn]) -> pd.DataFrame:
    """Every narrative answer in full, one row each (the caseload in words included)."""
    questions = by_path()
    rows = []
    for ret in returns:
        for role, section in ret.sections():
            for name, text in section.answers().items():
                path = f"{role}.caseload.text" if name == "caseload" else f"{role}.{name}"
                q = questions.get(path)
                rows.append(
                    {
                        "Authority": ret.authority,
                        "Round": ret.round,
                        "Role": ROLE_LABELS[role],
                        "Question": q.question if q else name,
                        "Answer": text,
                    }
                )
    return pd.DataFrame(rows, columns=responses_columns())


__all__ = [
    "FORMULA_TRIGGERS",
    "NARRATIVE_FIELDS",
    "code_columns",
    "matrix_table",
    "needs_neutralising",
    "neutralise",
    "responses_table",
    "summary_columns",
    "summary_table",
]


def matrix_sheet_table(returns: Sequence[AuthorityReturn], taxonomy: Taxonomy) -> pd.DataFrame:
    """One taxonomy's matrix for both roles: Role, Authority, Round, Model, then one column per code."""
    frames = []
    for role in ROLE_LABELS:
        with_role = [r for r in returns if getattr(r, role) is not None]
        m = matrix_table(with_role, taxonomy, role)  # type: ignore[arg-type]
        m.insert(0, "Role", ROLE_LABELS[role])
        m.insert(2, "Round", [r.round for r in with_role])
        frames.append(m)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
