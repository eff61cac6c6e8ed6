"""Ofsted's inspections of each authority's children's services, and the inspectors' words on IROs
and child protection conferences: read from the committed extract in ``reference_data/``.

``cli.py ofsted build`` (``official/build/ofsted.py``) writes two files from Ofsted's overview of
inspections and the text of each report:

* ``ofsted_judgements.csv``: one row per live authority: its latest ILACS inspection (framework,
  dates, the report's address), the five judgements as words, and which report text is held;
* ``ofsted_passages.csv``: the numbered paragraphs of that text that speak of IROs or CP conferences,
  each with its paragraph number, the report's publication date, and whether that report is of an
  earlier inspection than the one graded.

    ofsted = load_ofsted()                 # read once per process
    kent = ofsted.inspection("886")        # by DfE or ONS code
    kent.grade("overall")                  # "Good"
    [p.paragraph for p in ofsted.passages("886", IRO)]

The words every page, workbook, pack and command use are here: the judgements' names, the grades,
what to say where a grade is not there, the licence line, and that a judgement is never a verdict
on an IRO service. Passages are quotations: whoever shows one shows it as inert text.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from models.vocabulary import CLI
from official.register import REFERENCE_DIR, Authority, Register, is_not_named, load_register

JUDGEMENTS_FILE = "ofsted_judgements.csv"
PASSAGES_FILE = "ofsted_passages.csv"

#: Shown wherever a judgement or a passage is shown (Open Government Licence v3.0).
OFSTED_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Source: Ofsted inspections of local authority children's services (ILACS)."
)
#: Said wherever grades are shown beside the returns.
NOT_A_VERDICT = (
    "An Ofsted judgement is about the authority's children's services as a whole. It is never a "
    "verdict on the authority's IRO or child protection chair service, and these pages do not read it as one."
)
#: Said above the inspectors' words.
QUOTED = (
    "The inspectors' words, quoted from the report paragraph by paragraph, with each paragraph's number. "
    "They describe what inspectors found at that inspection."
)

#: The four grades, best first.
GRADES = ("Outstanding", "Good", "Requires improvement to be good", "Inadequate")
#: Where the overview has no grade or date for an authority (a gap, never guessed).
NOT_AVAILABLE = "Not available"
#: Where Ofsted's overview has no ILACS inspection for an authority.
NOT_INSPECTED = "Not inspected under ILACS"
#: Care leavers were judged with children in care until January 2023.
NOT_SEPARATE = "Not judged separately"
NOT_GRADES = (NOT_AVAILABLE, NOT_INSPECTED, NOT_SEPARATE)

#: The overall grade as a filter offers it (codes travel in a link: ``?grade=good,inadequate``).
GRADE_FILTER = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement to be good",
    "inadequate": "Inadequate",
    "no_grade": "No grade (not available, or not inspected)",
}


def grade_code(grade: str) -> str:
    """The filter's code of a grade word: 'Requires improvement to be good' -> 'requires_improvement'."""
    for code, word in GRADE_FILTER.items():
        if word == grade:
            return code
    return "no_grade"


#: The judgements: the extract's column, the short name for a table, Ofsted's full name.
JUDGEMENTS: tuple[tuple[str, str, str], ...] = (
    ("overall", "Overall effectiveness", "Overall effectiveness"),
    (
        "leaders",
        "Impact of leaders",
        "The impact of leaders on social work practice with children and families",
    ),
    (
        "help_protection",
        "Help and protection",
        "The experiences and progress of children who need help and protection",
    ),
    ("in_care", "Children in care", "The experiences and progress of children in care"),
    ("care_leavers", "Care leavers", "The experiences and progress of care leavers"),
)
JUDGEMENT_KEYS = tuple(k for k, _, _ in JUDGEMENTS)
#: The name of the in-care judgement where care leavers were not judged separately.
IN_CARE_AND_LEAVERS = (
    "Children in care and care leavers",
    "The experiences and progress of children in care and care leavers",
)

FRAMEWORKS = {"standard": "standard inspection", "short": "short inspection"}

#: The subjects of the passages, as stored, and how each is named.
IRO = "iro"
CP = "cp"
TOPICS = {IRO: "IROs and reviews of children in care", CP: "Child protection conferences and their chairs"}
TOPICS_SHORT = {IRO: "IROs", CP: "CP conferences"}

#: Which inspection a report's text is of, against the one graded in the overview.
SAME, EARLIER, LATER, UNKNOWN = "same", "earlier", "later", "unknown"

JUDGEMENT_COLUMNS = (
    "dfe_code",
    "ons_code",
    "urn",
    "name",
    "framework",
    "start_date",
    "end_date",
    "published",
    *JUDGEMENT_KEYS,
    "report_url",
    "text_file",
    "text_published",
    "text_inspection_dates",
    "text_is",
    "paragraphs",
    "passages",
)
PASSAGE_COLUMNS = (
    "dfe_code",
    "urn",
    "report_published",
    "inspection_dates",
    "earlier_than_graded",
    "paragraph",
    "topics",
    "text",
)


def the_register(path: Path | str | None = None) -> Register:
    """The register of authorities (the build and the command find authorities through it)."""
    return load_register(path) if path else load_register()


def find_authority(text: str, register: Register | None = None) -> Authority | None:
    """An authority by name, ONS code or DfE code, or None."""
    return (register or the_register()).lookup(text)


#: Why no inspection is shown for a published document's unnamed authority.
NOT_NAMED = "The source does not name this authority, so its inspection cannot be shown."


def inspection_of(authority: str, data: OfstedData | None = None) -> tuple[Inspection | None, str]:
    """The latest inspection of a return's authority (by the name the return gives), or None and why."""
    if is_not_named(authority):
        return None, NOT_NAMED
    found = find_authority(authority)
    if found is None:
        return None, f"'{authority}' is not an English local authority in the register."
    inspection = (data or load_ofsted()).inspection(found.dfe_code)
    if inspection is None:
        return None, f"{NOT_INSPECTED}."
    return inspection, ""


def overall_of(authority: str, data: OfstedData | None = None) -> str:
    """The overall effectiveness grade of a return's authority, or 'Not available' where it has none."""
    ins, _ = inspection_of(authority, data)
    return ins.grade("overall") if ins else NOT_AVAILABLE


def long_date(d: dt.date | None) -> str:
    """7 November 2025 (or 'not available')."""
    return f"{d.day} {d:%B %Y}" if d else NOT_AVAILABLE.lower()


def date_range(start: dt.date, end: dt.date) -> str:
    """'3 to 7 November 2025', '27 September to 8 October 2021', '29 November 2021 to 3 January 2022'."""
    if start.year != end.year:
        return f"{long_date(start)} to {long_date(end)}"
    if start.month != end.month:
        return f"{start.day} {start:%B} to {long_date(end)}"
    return f"{start.day} to {long_date(end)}"


@dataclass(frozen=True)
class ReportText:
    """The report whose text is held: its file, publication date, dates as printed, and which inspection."""

    file: str
    published: dt.date
    inspection_dates: str
    relation: str  # SAME, EARLIER, LATER or UNKNOWN against the graded inspection
    paragraphs: int


@dataclass(frozen=True)
class Passage:
    """One numbered paragraph of a report, quoted exactly."""

    dfe_code: str
    paragraph: int
    topics: tuple[str, ...]
    text: str
    report_published: dt.date
    inspection_dates: str
    earlier_than_graded: bool

    @property
    def reference(self) -> str:
        """'Paragraph 21 of the report of the earlier inspection (9 to 20 May 2022), published 5 July 2022'."""
        which = "the earlier inspection" if self.earlier_than_graded else "the inspection"
        dates = f" ({self.inspection_dates})" if self.inspection_dates else ""
        return f"Paragraph {self.paragraph} of the report of {which}{dates}, published {long_date(self.report_published)}"


@dataclass(frozen=True)
class Inspection:
    """An authority's latest ILACS inspection in Ofsted's overview."""

    dfe_code: str
    ons_code: str
    urn: str
    name: str
    framework: str  # "standard", "short" or "" (not available)
    start: dt.date | None
    end: dt.date | None
    published: dt.date | None
    grades: dict[str, str]  # judgement key -> a grade of GRADES, or one of NOT_GRADES
    report_url: str
    text: ReportText | None  # None: no report text held
    passage_count: int = 0

    @property
    def inspected(self) -> bool:
        return self.grades.get("overall") != NOT_INSPECTED

    def grade(self, key: str) -> str:
        return self.grades.get(key, NOT_AVAILABLE)

    def judgements(self) -> list[tuple[str, str, str]]:
        """(short name, full name, grade) of each judgement made; care leavers folded in before 2023."""
        out = []
        together = self.grade("care_leavers") == NOT_SEPARATE
        for key, short, full in JUDGEMENTS:
            if key == "care_leavers" and together:
                continue
            if key == "in_care" and together:
                short, full = IN_CARE_AND_LEAVERS
            out.append((short, full, self.grade(key)))
        return out

    @property
    def framework_text(self) -> str:
        return FRAMEWORKS.get(self.framework, "inspection (framework not available)")

    def dates_text(self) -> str:
        """'Short inspection, 3 to 7 November 2025, published 2 February 2026'."""
        if not self.inspected:
            return NOT_INSPECTED
        if self.start and self.end:
            when = date_range(self.start, self.end)
        elif self.text is not None and self.text.relation == SAME and self.text.inspection_dates:
            when = f"{self.text.inspection_dates} (the dates printed on the report; not in Ofsted's overview)"
        else:
            when = "inspection dates not available"
        kind = self.framework_text
        return f"{kind[:1].upper()}{kind[1:]}, {when}, published {long_date(self.published)}"

    def text_note(self) -> str:
        """Which inspection the quoted words come from, said plainly."""
        if self.text is None:
            return "No text of this authority's report is held here, so no passages are quoted."
        t = self.text
        of = f" (inspection of {t.inspection_dates})" if t.inspection_dates else ""
        if t.relation == SAME:
            return f"The passages are from the report of this inspection, published {long_date(t.published)}{of}."
        if t.relation == EARLIER:
            return (
                f"The passages are from the report of the earlier inspection, published "
                f"{long_date(t.published)}{of}. The text of the report of the latest inspection (published "
                f"{long_date(self.published)}) is not held here, so these words are not the latest judgement."
            )
        if t.relation == LATER:
            return f"The passages are from a later report, published {long_date(t.published)}{of}."
        return f"The passages are from the report published {long_date(t.published)}{of}."


@dataclass
class OfstedData:
    inspections: dict[str, Inspection]  # by DfE code
    _passages: dict[str, list[Passage]] = field(default_factory=dict)

    def inspection(self, code: str) -> Inspection | None:
        """By DfE code (886) or ONS code (E10000016)."""
        code = (code or "").strip()
        if code in self.inspections:
            return self.inspections[code]
        return next((i for i in self.inspections.values() if i.ons_code == code.upper()), None)

    def passages(self, code: str, topic: str | None = None) -> list[Passage]:
        found = self.inspection(code)
        if found is None:
            return []
        items = self._passages.get(found.dfe_code, [])
        return [p for p in items if topic is None or topic in p.topics]

    def all_passages(self) -> list[Passage]:
        return [p for items in self._passages.values() for p in items]

    def overall(self, code: str) -> str:
        found = self.inspection(code)
        return found.grade("overall") if found else NOT_INSPECTED


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _read_csv(path: Path, columns: Iterable[str]) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(
                f"{path.name} has no column {', '.join(missing)}: rebuild it with {CLI} ofsted build."
            )
        return list(reader)


def _read(directory: Path) -> OfstedData:
    inspections: dict[str, Inspection] = {}
    for r in _read_csv(directory / JUDGEMENTS_FILE, JUDGEMENT_COLUMNS):
        text = None
        if r["text_file"]:
            text = ReportText(
                file=r["text_file"],
                published=dt.date.fromisoformat(r["text_published"]),
                inspection_dates=r["text_inspection_dates"],
                relation=r["text_is"],
                paragraphs=int(r["paragraphs"] or 0),
            )
        inspections[r["dfe_code"]] = Inspection(
            dfe_code=r["dfe_code"],
            ons_code=r["ons_code"],
            urn=r["urn"],
            name=r["name"],
            framework=r["framework"],
            start=_date(r["start_date"]),
            end=_date(r["end_date"]),
            published=_date(r["published"]),
            grades={k: r[k] for k in JUDGEMENT_KEYS},
            report_url=r["report_url"],
            text=text,
            passage_count=int(r["passages"] or 0),
        )
    passages: dict[str, list[Passage]] = {}
    for r in _read_csv(directory / PASSAGES_FILE, PASSAGE_COLUMNS):
        passages.setdefault(r["dfe_code"], []).append(
            Passage(
                dfe_code=r["dfe_code"],
                paragraph=int(r["paragraph"]),
                topics=tuple(r["topics"].split()),
                text=r["text"],
                report_published=dt.date.fromisoformat(r["report_published"]),
                inspection_dates=r["inspection_dates"],
                earlier_than_graded=r["earlier_than_graded"] == "yes",
            )
        )
    return OfstedData(inspections, passages)


@functools.lru_cache(maxsize=4)
def _cached(directory: str, stamps: tuple[float, ...]) -> OfstedData:
    return _read(Path(directory))


def load_ofsted(directory: Path | str = REFERENCE_DIR) -> OfstedData:
    """The extract, read once per process (again only if a file changes)."""
    d = Path(directory).resolve()
    stamps = tuple((d / name).stat().st_mtime for name in (JUDGEMENTS_FILE, PASSAGES_FILE))
    return _cached(str(d), stamps)
