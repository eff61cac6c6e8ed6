"""Build the Ofsted extract in ``reference_data/`` from ``../shared/reference/ofsted/``.

Reads Ofsted's overview of the latest ILACS inspection of every authority
(``ofsted_csc_ilacs_overview.xlsx``, or the same columns as CSV) and the text of each authority's
report (``reports/URN_NAME_DATE.txt``), and writes:

* ``ofsted_judgements.csv``: one row per live authority of the register, by DfE code: the latest
  inspection's framework, dates and report address, its five judgements as words ("Good", or
  "Not available" where the overview has a gap, never guessed), and which report text is held: its
  publication date, the inspection dates printed on it, and whether it is of the graded inspection
  or an earlier one;
* ``ofsted_passages.csv``: the numbered paragraphs of each text that speak of IROs or of child
  protection conferences (``official/build/ofsted_text.py``), each with its number, the report's
  date and whether that report is older than the graded inspection.

Authorities are matched on codes, never names: the overview's DfE code to the register, its ONS
code checked against the authority's own or a predecessor's, the report by Ofsted's URN. The lead
inspector's name is read only to make sure no passage holds it. Every problem raises
``OfstedBuildError`` naming the file and what is wrong, and ``write_files`` writes nothing unless
all is well, so the committed extract is never left half-written. The same inputs give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from official import ofsted as o
from official.build.common import REFERENCE_DIR, REPO, SHARED_REFERENCE, _csv_text, write_files
from official.build.ofsted_text import OfstedBuildError, ReportText, read_report, topics

__all__ = ["REFERENCE_DIR", "REPO", "OfstedBuildError", "build_ofsted", "write_files"]

SHARED_OFSTED = SHARED_REFERENCE / "ofsted"
DEFAULT_OVERVIEW = SHARED_OFSTED / "ofsted_csc_ilacs_overview.xlsx"
DEFAULT_REPORTS = SHARED_OFSTED / "reports"

#: The overview's columns this build reads (``inspector_name`` is read only to keep names out).
OVERVIEW_COLUMNS = (
    "urn",
    "la_code",
    "ltla23cd",
    "local_authority",
    "inspection_link",
    "inspection_framework",
    "inspection_start_date",
    "inspection_end_date",
    "publication_date",
    "overall_effectiveness_grade",
    "impact_of_leaders_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
)
GRADE_COLUMNS = {
    "overall": "overall_effectiveness_grade",
    "leaders": "impact_of_leaders_grade",
    "help_protection": "help_and_protection_grade",
    "in_care": "in_care_grade",
    "care_leavers": "care_leavers_grade",
}
#: The overview's words for the grades (short inspections say "requires improvement").
GRADE_WORDS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires improvement": "Requires improvement to be good",
    "requires improvement to be good": "Requires improvement to be good",
    "inadequate": "Inadequate",
}
#: The overview's code for a care-leavers judgement not made (before January 2023).
PRE_DATES_JUDGEMENT = "inspection_pre_dates_judgement"
#: What the overview writes in an empty cell.
EMPTY = {"", "nan", "none", "null", "n/a", "-"}
MAX_OVERVIEW_BYTES = 20 * 1024 * 1024
REDACTED = "[name removed]"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = " ".join(str(value).split())
    return "" if s.lower() in EMPTY else s


class _Row:
    """One row of the overview, with messages that name the file, the row and the column."""

    def __init__(self, file: str, number: int, cells: dict[str, object]) -> None:
        self.file, self.number, self.cells = file, number, cells

    def where(self, column: str) -> str:
        urn = _text(self.cells.get("urn"))
        named = f" (urn {urn})" if urn.isdigit() else ""
        return f"{self.file}, row {self.number}{named}, column {column}"

    def fail(self, column: str, what: str) -> OfstedBuildError:
        return OfstedBuildError(f"{self.where(column)}: {what}.")

    def text(self, column: str) -> str:
        return _text(self.cells.get(column))

    def digits(self, column: str, size: str, what: str) -> str:
        value = self.text(column)
        if not re.fullmatch(rf"\d{{{size}}}", value):
            raise self.fail(column, f"'{value}' is not {what}")
        return value

    def date(self, column: str) -> dt.date | None:
        value = self.cells.get(column)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        if not text:
            return None
        for fmt in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise self.fail(column, f"'{text}' is not a date (dd/mm/yyyy)")

    def grade(self, key: str) -> str:
        column = GRADE_COLUMNS[key]
        value = self.cells.get(column)
        if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
            raise self.fail(
                column, f"{value!r} is not a grade (outstanding, good, requires improvement, inadequate)"
            )
        text = _text(value).lower()
        if not text:
            return o.NOT_AVAILABLE
        if key == "care_leavers" and text == PRE_DATES_JUDGEMENT:
            return o.NOT_SEPARATE
        if text not in GRADE_WORDS:
            raise self.fail(
                column,
                f"'{_text(value)}' is not a grade (outstanding, good, requires improvement, inadequate)",
            )
        return GRADE_WORDS[text]


def read_overview(path: Path) -> tuple[list[_Row], set[str]]:
    """The overview's rows, and the inspectors' names it holds (never written anywhere)."""
    path = Path(path)
    if not path.is_file():
        raise OfstedBuildError(f"{path.name}: the file does not exist ({path}).")
    if path.stat().st_size == 0:
        raise OfstedBuildError(f"{path.name}: is empty.")
    if path.stat().st_size > MAX_OVERVIEW_BYTES:
        raise OfstedBuildError(f"{path.name}: is too large to be Ofsted's overview.")
    if path.suffix.lower() == ".csv":
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                rows = [list(r) for r in csv.reader(fh)]
        except UnicodeDecodeError:
            raise OfstedBuildError(f"{path.name}: is not UTF-8 text.") from None
    else:
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise OfstedBuildError(f"{path.name}: cannot be read as a workbook ({exc}).") from None
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
    if not rows:
        raise OfstedBuildError(f"{path.name}: is empty.")
    header = [_text(c) for c in rows[0]]
    missing = [c for c in OVERVIEW_COLUMNS if c not in header]
    if missing:
        raise OfstedBuildError(
            f"{path.name}: has no column {', '.join(missing)}. Expected the columns "
            f"{', '.join(OVERVIEW_COLUMNS)}."
        )
    out, names = [], set()
    for i, row in enumerate(rows[1:], start=2):
        if not any(_text(c) for c in row):
            continue
        cells = dict(zip(header, row, strict=False))
        name = _text(cells.pop("inspector_name", None))
        if len(name.split()) >= 2:
            names.add(name)
        out.append(_Row(path.name, i, cells))
    if not out:
        raise OfstedBuildError(f"{path.name}: has a header but no rows.")
    return out, names


def _reports(directory: Path) -> dict[str, Path]:
    directory = Path(directory)
    if not directory.is_dir():
        raise OfstedBuildError(f"{directory.name}: the folder of report texts does not exist ({directory}).")
    found: dict[str, Path] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() != ".txt":
            continue
        urn = path.name.split("_", 1)[0]
        if urn in found:
            raise OfstedBuildError(
                f"{path.name}: a second report for urn {urn} (the first is {found[urn].name}); keep only the latest."
            )
        found[urn] = path
    return found


def _names_in(text: str) -> set[str]:
    return {m.group(1).strip() for m in re.finditer(r"(?m)^Lead inspector:\s*([^,\n]+)", text)}


def _relation(text_date: dt.date, graded: dt.date | None) -> str:
    if graded is None:
        return o.UNKNOWN
    if text_date == graded:
        return o.SAME
    return o.EARLIER if text_date < graded else o.LATER


def _redact(text: str, names: set[str]) -> str:
    for name in names:
        pattern = r"\s+".join(re.escape(part) for part in name.split())
        text = re.sub(rf"(?i)\b{pattern}\b", REDACTED, text)
    return text


def build_ofsted(
    overview: Path = DEFAULT_OVERVIEW,
    reports: Path = DEFAULT_REPORTS,
    register_path: Path | None = None,
) -> dict[str, str]:
    """The texts of ``ofsted_judgements.csv`` and ``ofsted_passages.csv``, by file name."""
    register = o.the_register(register_path)
    rows, names = read_overview(Path(overview))
    texts = _reports(Path(reports))
    by_dfe: dict[str, dict[str, str]] = {}
    passages: list[dict[str, str]] = []
    urns_used: set[str] = set()
    for row in rows:
        urn = row.digits("urn", "4,8", "Ofsted's URN (a number)")
        dfe = row.digits("la_code", "3", "a DfE code (three digits)")
        authority = register.by_dfe(dfe)
        if authority is None or not authority.is_live:
            raise row.fail("la_code", f"'{dfe}' is not the DfE code of a live authority in the register")
        ons = row.text("ltla23cd").upper()
        known = {authority.ons_code, *(a.ons_code for a in register.predecessors(authority))}
        if ons and ons not in known:
            raise row.fail("ltla23cd", f"'{ons}' is not {authority.name}'s ONS code (nor a predecessor's)")
        if dfe in by_dfe:
            raise row.fail("la_code", f"{authority.name} ({dfe}) has a second row")
        link = row.text("inspection_link")
        if link and not re.fullmatch(r"https://[\w.-]+(/[\w./%?=&+-]*)?", link):
            raise row.fail("inspection_link", f"'{link}' is not the https address of a report")
        framework = row.text("inspection_framework").lower()
        if framework and framework not in o.FRAMEWORKS:
            raise row.fail("inspection_framework", f"'{framework}' is not standard or short")
        start, end, published = (
            row.date(c) for c in ("inspection_start_date", "inspection_end_date", "publication_date")
        )
        if start and end and end < start:
            raise row.fail("inspection_end_date", "the inspection ends before it starts")
        if end and published and published < end:
            raise row.fail("publication_date", "the report is published before the inspection ends")
        grades = {key: row.grade(key) for key in o.JUDGEMENT_KEYS}
        record = {
            "dfe_code": dfe,
            "ons_code": authority.ons_code,
            "urn": urn,
            "name": authority.name,
            "framework": framework,
            "start_date": start.isoformat() if start else "",
            "end_date": end.isoformat() if end else "",
            "published": published.isoformat() if published else "",
            **grades,
            "report_url": link,
            "text_file": "",
            "text_published": "",
            "text_inspection_dates": "",
            "text_is": "",
            "paragraphs": "0",
            "passages": "0",
        }
        if urn in texts:
            urns_used.add(urn)
            path = texts[urn]
            report: ReportText = read_report(path)
            names |= _names_in(path.read_text(encoding="utf-8"))
            relation = _relation(report.published, published)
            found = [(p, topics(p.text)) for p in report.paragraphs]
            kept = [(p, t) for p, t in found if t]
            record.update(
                text_file=report.file,
                text_published=report.published.isoformat(),
                text_inspection_dates=report.inspection_dates,
                text_is=relation,
                paragraphs=str(len(report.paragraphs)),
                passages=str(len(kept)),
            )
            for p, t in kept:
                passages.append(
                    {
                        "dfe_code": dfe,
                        "urn": urn,
                        "report_published": report.published.isoformat(),
                        "inspection_dates": report.inspection_dates,
                        "earlier_than_graded": "yes" if relation == o.EARLIER else "no",
                        "paragraph": str(p.number),
                        "topics": " ".join(t),
                        "text": p.text,
                    }
                )
        by_dfe[dfe] = record
    unused = sorted(set(texts) - urns_used)
    if unused:
        raise OfstedBuildError(
            f"{texts[unused[0]].name}: urn {unused[0]} is not in the overview {Path(overview).name}, "
            "so its authority is not known."
        )
    for authority in register.live():
        if authority.dfe_code not in by_dfe:
            by_dfe[authority.dfe_code] = {
                **dict.fromkeys(o.JUDGEMENT_COLUMNS, ""),
                "dfe_code": authority.dfe_code,
                "ons_code": authority.ons_code,
                "name": authority.name,
                **dict.fromkeys(o.JUDGEMENT_KEYS, o.NOT_INSPECTED),
                "paragraphs": "0",
                "passages": "0",
            }
    for p in passages:
        p["text"] = _redact(p["text"], names)
    judgements = [by_dfe[k] for k in sorted(by_dfe, key=int)]
    passages.sort(key=lambda p: (int(p["dfe_code"]), int(p["paragraph"])))
    return {
        o.JUDGEMENTS_FILE: _csv_text(o.JUDGEMENT_COLUMNS, judgements),
        o.PASSAGES_FILE: _csv_text(o.PASSAGE_COLUMNS, passages),
    }
