"""One Ofsted report's text (made by ``pdftotext``) → its numbered paragraphs, and what each speaks of.

The reports in ``../shared/reference/ofsted/reports/`` are PDFs turned into text: pages end with a
form feed, each page carries the report's title, the inspection's dates and a page number, some
carry a footnote, and the last page is Ofsted's notice (the licence, the address, Crown copyright).
``read_report`` removes that furniture, finds the numbered paragraphs ("21. Children's review
meetings …", or "1." on a line of its own with the text below it), and joins each paragraph's lines
into sentences as printed. What it keeps is the paragraph's own text, character for character:
control characters and anything that looks like markup stay as they are (the app shows them as text).

``topics`` says which of this product's subjects a paragraph speaks of: ``iro`` (independent
reviewing officers, independent reviewing, reviews of children in care, IROs' dispute resolution and
escalation) and ``cp`` (child protection conferences and their chairs). Each rule is a named pattern
with examples that must and must not match (``TOPIC_CASES``), tested in ``tests/test_ofsted_build.py``.

Nothing here reads the lead inspector's line: only numbered paragraphs are kept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from official.build.common import ReferenceBuildError

#: A report's text is about 30 KB; anything over this is not a report.
MAX_REPORT_BYTES = 2 * 1024 * 1024

#: ``URN_NAME_DATE.txt``: Ofsted's URN, the authority's name in the file, the publication date.
FILE_NAME = re.compile(r"^(?P<urn>\d{4,8})_(?P<slug>[a-z0-9-]+)_(?P<date>\d{4}-\d{2}-\d{2})\.txt$")

#: The first line of Ofsted's notice on the last page; nothing after it is the report's own text.
NOTICE_START = "The Office for Standards in Education"

_BLANKS = " \t\r"
_DATES_LINE = re.compile(r"^Inspection dates?:\s*(?P<dates>.+)$")
_FOOTER_TITLE = re.compile(r"^Inspection of .{2,120} services$")
_DATES = re.compile(r"\b(?:19|20)\d\d$")
_MARKER = re.compile(r"^(?P<n>\d{1,3})(?P<dot>\.)?(?:\s+(?P<rest>.*))?$")
_GRADE = r"(?:outstanding|good|inadequate|requires improvement(?: to be good)?)"
#: A judgement's heading between paragraphs, over one to four lines:
#: "The experiences and progress of children in care: requires improvement to be good".
_HEADING = re.compile(
    rf"(?i)(?:the )?(?:experiences and progress of|impact of leaders on)\b[^.]{{0,200}}?"
    rf"(?:is|are)?:\s*{_GRADE}"
)


class OfstedBuildError(ReferenceBuildError):
    """An input cannot be used: the message names the file and what is wrong. Nothing was written."""


@dataclass(frozen=True)
class Paragraph:
    number: int
    text: str


@dataclass(frozen=True)
class ReportText:
    file: str  # the file's name: 80476_kent_2022-07-05.txt
    urn: str
    published: dt.date  # the publication date in the file's name
    inspection_dates: str  # as printed on the report's first page: "9 to 20 May 2022" ("" if not there)
    paragraphs: tuple[Paragraph, ...]


def _strip(line: str) -> str:
    """Spaces and tabs off the ends; every other character (control characters too) is kept."""
    return line.strip(_BLANKS)


def read_report(path: Path) -> ReportText:
    """The report's numbered paragraphs; ``OfstedBuildError`` naming the file if it cannot be one."""
    path = Path(path)
    m = FILE_NAME.match(path.name)
    if m is None:
        raise OfstedBuildError(
            f"{path.name}: a report's file name must be URN_NAME_DATE.txt "
            "(for example 80476_kent_2022-07-05.txt)."
        )
    try:
        published = dt.date.fromisoformat(m["date"])
    except ValueError:
        raise OfstedBuildError(f"{path.name}: '{m['date']}' in the file name is not a date.") from None
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise OfstedBuildError(f"{path.name}: cannot be read ({exc.strerror}).") from None
    if size > MAX_REPORT_BYTES:
        raise OfstedBuildError(
            f"{path.name}: is {size / 1024 / 1024:.1f} MB; a report's text is at most "
            f"{MAX_REPORT_BYTES // 1024 // 1024} MB, so this is not one."
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OfstedBuildError(
            f"{path.name}: is not UTF-8 text (byte {exc.start}); make it with pdftotext -enc UTF-8."
        ) from None
    if not text.strip():
        raise OfstedBuildError(f"{path.name}: is empty.")
    paragraphs = parse_paragraphs(text)
    if not paragraphs:
        raise OfstedBuildError(
            f"{path.name}: has no numbered paragraphs ('1. …', '2. …'), so it is not an inspection "
            "report's text."
        )
    return ReportText(path.name, m["urn"], published, inspection_dates(text), tuple(paragraphs))


def inspection_dates(text: str) -> str:
    """The dates printed on the first page ("Inspection dates: 9 to 20 May 2022"), or ""."""
    for line in text.split("\n")[:40]:
        m = _DATES_LINE.match(_strip(line.lstrip("\f")))
        if m:
            return " ".join(m["dates"].split())
    return ""


# -- page furniture -----------------------------------------------------------------------------


def _furniture(pages: list[list[str]]) -> set[str]:
    """Lines printed at the foot of pages: the report's title and the inspection's dates (found as the
    lines at the foot of many pages, or as a title at the foot of any page and the line after it)."""
    seen: Counter[str] = Counter()
    found: set[str] = set()
    for page in pages:
        body = [s for s in (_strip(x) for x in page) if s]
        tail = body[-5:]
        seen.update({s for s in tail if not s.isdigit()})
        for i, s in enumerate(tail):
            if _FOOTER_TITLE.match(s):
                found.add(s)
                if i + 1 < len(tail) and _DATES.search(tail[i + 1]) and len(tail[i + 1]) < 60:
                    found.add(tail[i + 1])
    need = max(2, len(pages) // 3)
    return found | {s for s, n in seen.items() if n >= need}


def pages_without_furniture(text: str) -> list[list[str]]:
    """The report's pages (lines), without Ofsted's notice, footers, page numbers and footnotes' rules.

    A line that ends with the title (a word broken at the foot of a page: "well" + title) keeps its
    first part, as ``_RunsOn``: it joins the next page's first line without a space.
    """
    end = text.find(NOTICE_START)
    if end >= 0:
        text = text[:end]
    pages = [page.split("\n") for page in text.split("\f")]
    furniture = _furniture(pages)
    titles = sorted((f for f in furniture if f.startswith("Inspection of ")), key=len, reverse=True)
    out = []
    for page in pages:
        lines = list(page)
        while lines and (
            not _strip(lines[-1]) or _strip(lines[-1]).isdigit() or _strip(lines[-1]) in furniture
        ):
            lines.pop()
        kept = []
        for line in lines:
            s = _strip(line)
            if s in furniture:
                continue
            for title in titles:
                if s.endswith(title) and s != title:
                    line = _RunsOn(s[: -len(title)])
                    break
            kept.append(line)
        out.append(kept)
    return out


class _RunsOn(str):
    """A line whose last word runs on, without a space, into the next page's first line."""


def _heading_at(lines: list[str], i: int) -> int:
    """How many lines from ``i`` make a judgement's heading (0: not a heading)."""
    joined = ""
    for k in range(i, min(i + 4, len(lines))):
        s = _strip(lines[k])
        if not s:
            return 0
        joined = f"{joined} {s}".strip()
        if _HEADING.fullmatch(joined):
            return k - i + 1
    return 0


def parse_paragraphs(text: str) -> list[Paragraph]:
    """Every numbered paragraph, in order, each joined into one line of text as printed.

    A paragraph starts at the next number expected ("21." or "21. text"; a bare "34" only where the
    report never prints "34."), and runs to the next one, a judgement's heading, a footnote (a bare
    number that is not the next paragraph's: the rest of that page is the note) or the report's end.
    """
    pages = pages_without_furniture(text)
    with_dot = {
        int(m["n"]) for page in pages for line in page if (m := _MARKER.match(_strip(line))) and m["dot"]
    }
    paragraphs: list[tuple[int, list[str]]] = []
    current: list[str] | None = None  # the lines of the paragraph being read (None: between paragraphs)
    expected = 1
    for page in pages:
        k = 0
        while k < len(page):
            s = _strip(page[k])
            m = _MARKER.match(s)
            if m and int(m["n"]) == expected and (m["dot"] or (not m["rest"] and expected not in with_dot)):
                rest = m["rest"] or ""
                current = [_RunsOn(rest) if isinstance(page[k], _RunsOn) else rest] if rest else []
                paragraphs.append((expected, current))
                expected += 1
                k += 1
                continue
            if m and not m["dot"] and not m["rest"]:
                break  # a footnote's number: the rest of the page is the note
            heading = _heading_at(page, k)
            if heading:
                current = None
                k += heading
                continue
            if current is not None and s:
                current.append(_RunsOn(s) if isinstance(page[k], _RunsOn) else s)
            k += 1
    return [Paragraph(n, join_lines(lines)) for n, lines in paragraphs if lines]


def join_lines(lines: list[str]) -> str:
    """A paragraph's lines as one text: a space between lines, none after a word broken with a hyphen
    ("out-" + "of-hours") or at the foot of a page."""
    out = ""
    runs_on = False
    for line in lines:
        if not out:
            out = str(line)
        elif runs_on or (re.search(r"[A-Za-z]-$", out) and re.match(r"[a-z]", line)):
            out += line
        else:
            out += " " + line
        runs_on = isinstance(line, _RunsOn)
    return out


# -- what a paragraph speaks of ---------------------------------------------------------------------

#: The two subjects kept, as stored in the extract.
IRO = "iro"
CP = "cp"


@dataclass(frozen=True)
class TopicRule:
    """One way a paragraph shows it speaks of a subject, with sentences it must and must not find."""

    code: str
    topic: str
    what: str
    pattern: re.Pattern[str]
    finds: tuple[str, ...]
    misses: tuple[str, ...]
    needs: re.Pattern[str] | None = None  # also needed somewhere in the paragraph

    def applies(self, text: str) -> bool:
        return bool(self.pattern.search(text)) and (self.needs is None or bool(self.needs.search(text)))


_CHILD_PROTECTION = re.compile(r"(?i)\bchild[- ]protection\b")

TOPIC_RULES: tuple[TopicRule, ...] = (
    TopicRule(
        "IRO",
        IRO,
        "names IROs",
        re.compile(r"\bIROs?\b"),
        ("IROs lead high-quality reviews.", "The IRO service is stable.", "IROs’ caseloads are high."),
        ("Tirol", "iron", "Children are visited regularly."),
    ),
    TopicRule(
        "INDEPENDENT_REVIEWING",
        IRO,
        "independent reviewing (officers, the service) or independent officers",
        re.compile(r"(?i)\bindependent\s+(?:reviewing\b|officers?\b)"),
        (
            "Independent reviewing officers (IROs) also maintain effective oversight.",
            "The independent reviewing service is well led.",
            "Independent officer oversight between children’s reviews is not as effective.",
        ),
        ("An independent review of the fostering service was commissioned.",),
    ),
    TopicRule(
        "CARE_REVIEWS",
        IRO,
        "reviews of children in care",
        re.compile(
            r"(?i)\b(?:children|child)[- ]in[- ]care\s+reviews?\b"
            r"|\bchild[- ]in[- ]care\s+review\s+meetings?\b"
            r"|\breviews?\s+(?:for|of)\s+(?:children|a\s+child)\s+in\s+care\b"
            r"|\blooked[- ]after\s+(?:children(?:’s|'s)?\s+)?reviews?\b"
            r"|\b(?:LAC|CLA|CiC|CIC)\s+reviews?\b"
            r"|\bstatutory\s+reviews?\b"
            r"|\bchildren(?:’s|'s)\s+(?:review\s+meetings|reviews)\b"
            r"|\b(?:chair|chairing|lead|leading)\s+their\s+(?:own\s+)?(?:reviews?|review\s+meetings)\b"
        ),
        (
            "Children’s review meetings explore children’s holistic needs.",
            "Children in care reviews are timely.",
            "Statutory looked after reviews are held on time.",
            "Some children chair their own reviews.",
            "Reviews for children in care are child-centred.",
        ),
        ("The fostering service is under review.", "Learning from practice reviews is shared."),
    ),
    TopicRule(
        "DISPUTE_RESOLUTION",
        IRO,
        "the dispute resolution process (IROs' escalation)",
        re.compile(r"(?i)\bdispute\s+resolution\b"),
        ("The dispute resolution process is used well.",),
        ("Disputes are rare.",),
    ),
    TopicRule(
        "CP_CONFERENCE",
        CP,
        "child protection conferences, initial or review",
        re.compile(
            r"(?i)\b(?:child[- ]protection|CP|case)\s+(?:review\s+)?conferenc\w*"
            r"|\b(?:initial|review)\s+(?:child[- ]protection\s+)?conferenc\w*"
            r"|\b(?:ICPC|RCPC)s?\b"
        ),
        (
            "Initial child protection conferences are timely.",
            "Attendance at review conferences is good.",
            "Most CP conferences are quorate.",
            "ICPCs are held within 15 days.",
            "Plans are reviewed by case conference.",
        ),
        ("Family group conferences are offered early.", "A multi-agency risk assessment conference meets."),
    ),
    TopicRule(
        "CP_CHAIRS",
        CP,
        "the chairs of child protection conferences",
        re.compile(
            r"(?i)\b(?:child[- ]protection|CP|conference)\s+(?:conference\s+|meeting\s+)?chairs?\b"
            r"|\bchairs?\s+of\s+(?:the\s+)?(?:initial\s+|review\s+)?(?:child[- ]protection|conferences?)\b"
            r"|\bchair(?:s|ed|ing)?\s+(?:\w+\s+){0,2}conferences?\b"
        ),
        (
            "Child protection chairs provide effective oversight.",
            "Conference chairs and social workers work together.",
            "Managers, including the chairs of child protection conferences, are not responding.",
            "Child protection officers chair conferences well.",
        ),
        (
            "The lead member chairs the corporate parenting board.",
            "The chair of the safeguarding partnership.",
        ),
    ),
    TopicRule(
        "CONFERENCES",
        CP,
        "conferences, in a paragraph about child protection",
        re.compile(r"(?i)(?<!family group )(?<!risk assessment )(?<!health )\bconferenc\w*"),
        ("Children on child protection plans attend their conferences.",),
        (
            "Family group conferences are offered to families.",
            "Conferences are held for staff.",  # no child protection in the paragraph
        ),
        needs=_CHILD_PROTECTION,
    ),
)


def topics(text: str) -> tuple[str, ...]:
    """The subjects a paragraph speaks of: () or some of ("iro", "cp"), in that order."""
    found = {rule.topic for rule in TOPIC_RULES if rule.applies(text)}
    return tuple(t for t in (IRO, CP) if t in found)
