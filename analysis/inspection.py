"""The Inspection sheets of the full workbook: each authority's latest Ofsted grades (one row each),
and each passage quoted from its report (one row each).

No Streamlit here; ``exports.workbooks.full_workbook`` writes it, and its About sheet says what it is.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from models.returns import AuthorityReturn
from official import ofsted

SHEET = "Inspection"
PASSAGES_SHEET = "Inspection passages"
SHEET_ABOUT = (
    "Ofsted's latest inspection of each authority's children's services (ILACS), one row each: the "
    "grades, the framework and dates, the report's address, and which report's text is quoted. Care "
    f"leavers: '{ofsted.NOT_SEPARATE}' at inspections before January 2023, when they were judged with "
    "children in care (the Children in care grade covers both). " + ofsted.NOT_A_VERDICT
)
PASSAGES_ABOUT = (
    "One row per numbered paragraph of each authority's report held that speaks of IROs or of child "
    "protection conferences, quoted exactly, with its number, the report's publication date and whether "
    "the report is of the graded inspection or an earlier one."
)

GRADE_COLUMNS = [short for _, short, _ in ofsted.JUDGEMENTS]
COLUMNS = [
    "Authority",
    *GRADE_COLUMNS,
    "Inspection",
    "Published",
    "Report address",
    "Report quoted",
    "Passages",
]
PASSAGE_COLUMNS = [
    "Authority",
    "Paragraph",
    "Passage",
    "About",
    "Report published",
    "Of the inspection graded",
]


def any_inspected(returns: Iterable[AuthorityReturn], data: ofsted.OfstedData | None = None) -> bool:
    """True where at least one of the returns' authorities has an inspection in the extract."""
    data = data or ofsted.load_ofsted()
    return any(ofsted.inspection_of(r.authority, data)[0] is not None for r in returns)


def _inspections(returns: Iterable[AuthorityReturn], data: ofsted.OfstedData):
    """(name, inspection or None, why) for each authority of the returns once, in their order."""
    seen: set[str] = set()
    for ret in returns:
        ins, why = ofsted.inspection_of(ret.authority, data)
        key = ins.dfe_code if ins else ret.authority
        if key not in seen:
            seen.add(key)
            yield (ins.name if ins else ret.authority), ins, why


def _quoted(ins: ofsted.Inspection) -> str:
    t = ins.text
    if t is None:
        return "No report text held"
    dates = f" ({t.inspection_dates})" if t.inspection_dates else ""
    if t.relation == ofsted.EARLIER:
        return f"Earlier inspection{dates}, published {ofsted.long_date(t.published)}"
    return f"This inspection{dates}, published {ofsted.long_date(t.published)}"


def inspection_frame(
    returns: Iterable[AuthorityReturn], data: ofsted.OfstedData | None = None
) -> pd.DataFrame:
    """One row per authority: its latest grades, the inspection, and which report is quoted."""
    data = data or ofsted.load_ofsted()
    rows = []
    for name, ins, why in _inspections(returns, data):
        if ins is None:
            rows.append(
                {"Authority": name, **dict.fromkeys(GRADE_COLUMNS, ofsted.NOT_AVAILABLE), "Inspection": why}
            )
            continue
        rows.append(
            {
                "Authority": name,
                **{short: ins.grade(key) for key, short, _ in ofsted.JUDGEMENTS},
                "Inspection": ins.dates_text() if ins.inspected else ofsted.NOT_INSPECTED,
                "Published": ins.published,
                "Report address": ins.report_url,
                "Report quoted": _quoted(ins),
                "Passages": len(data.passages(ins.dfe_code)),
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["Passages"] = frame["Passages"].astype("Int64")
    return frame


def passages_frame(returns: Iterable[AuthorityReturn], data: ofsted.OfstedData | None = None) -> pd.DataFrame:
    """One row per passage quoted, each authority's in paragraph order."""
    data = data or ofsted.load_ofsted()
    rows = []
    for name, ins, _ in _inspections(returns, data):
        if ins is None:
            continue
        for p in data.passages(ins.dfe_code):
            rows.append(
                {
                    "Authority": name,
                    "Paragraph": p.paragraph,
                    "Passage": p.text,
                    "About": "; ".join(ofsted.TOPICS_SHORT[t] for t in p.topics),
                    "Report published": p.report_published,
                    "Of the inspection graded": "No: an earlier one" if p.earlier_than_graded else "Yes",
                }
            )
    frame = pd.DataFrame(rows, columns=PASSAGE_COLUMNS)
    frame["Paragraph"] = frame["Paragraph"].astype("Int64")
    return frame
