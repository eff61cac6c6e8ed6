"""Views written to Word: the meeting pack and the "how we compare" report (.docx bytes).

``render_view`` draws the same ``views.base.View`` objects the pages draw, never a second copy
of their logic: what a View says is what the document says. Where a View's words speak of the
screen (a sidebar, a click) it carries its own words for paper (``print_intro``,
``print_empty``), and a table may print fewer columns than the page shows (``print_columns``).
The document itself (headings, runs, pictures, tables laid out from their text) is
``exports.docx_document``.

The meeting pack (``meeting_pack``) has, in order:

* a title page: the group, the round, the date, the filters in force, and the contents (a Word
  table-of-contents field whose stored text is the plain list of parts, so a reader who never
  updates it, or LibreOffice printing to PDF, still sees it);
* each View: its title (Heading 1, on a new page), its sections (Heading 2) with their headline
  figures, charts as pictures (``views.images``) with alt text, the text alternative
  ("In words: …"), tables (Heading 3 caption; the header row repeats on every page) and notes;
* an appendix where asked for (each authority's answers in full, each on a new page);
* sources and method: the lines given in ``method``, then every View's notes, each once.

No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from exports.docx_document import DOCX_MIME, DocxDocument, plain_text
from exports.text import for_word

if TYPE_CHECKING:
    from views.base import Chart, Columns, Link, Passage, Section, View

__all__ = ["DOCX_MIME", "board_report", "meeting_pack", "pack_file_name", "render_view", "report_file_name"]

CONTENTS_TITLE = "Contents"
APPENDIX_TITLE = "Appendix: each authority's answers in full"
SOURCES_TITLE = "Sources and method"


def _short(text: str, most: int = 70) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _lines(text: str | None) -> list[str]:
    """An answer's lines, split at its line breaks only (a control character that ``str.splitlines``
    would also split at is marked by ``for_word`` instead)."""
    return for_word(text).split("\n") if text else []


def when_text(when: dt.datetime) -> str:
    return when.strftime("%d %B %Y").lstrip("0")


class Writer:
    """Views into one document."""

    def __init__(self, doc: DocxDocument | None = None) -> None:
        self.doc = doc or DocxDocument()

    def chart(self, chart: Chart) -> None:
        from views.images import chart_png, png_size

        png = chart_png(chart)
        self.doc.picture(png, alt=chart.alt, title=chart.title, size=png_size(png))

    def view(self, view: View, *, level: int = 1, new_page: bool = False, notes: bool = False) -> None:
        """The View under its title (``level``); its notes too where ``notes`` (else they go to the
        document's sources). A View printed landscape gets landscape pages of its own."""
        if view.print_landscape:
            self.doc.begin_landscape()
            new_page = False  # the landscape pages start one
        self.doc.heading(view.title, level, new_page=new_page)
        try:
            self._view_body(view, level, notes)
        finally:
            if view.print_landscape:
                self.doc.end_landscape()

    def _view_body(self, view: View, level: int, notes: bool) -> None:
        self.doc.para(view.print_intro if view.print_intro is not None else view.intro)
        if view.empty:
            self.doc.para(view.empty)
            return
        for section in view.sections:
            self.section(section, level + 1)
        if notes and view.notes:
            self.doc.para(None, bold_lead="Notes", keep_next=True)
            self.doc.bullets(view.notes)

    def section(self, section: Section, level: int) -> None:
        """One section; where one of its tables needs landscape pages, the whole section is on them, so its
        heading and words stay with the table."""
        doc = self.doc
        wide = (
            not doc.landscape
            and not section.empty
            and any(t.in_pack and doc.needs_landscape(t.printed()) for t in section.tables)
        )
        if wide:
            doc.begin_landscape()
        try:
            self._section_body(section, level)
        finally:
            if wide:
                doc.end_landscape()

    def _section_body(self, section: Section, level: int) -> None:
        doc = self.doc
        if section.heading:
            doc.heading(section.heading, level)
        doc.para(section.print_intro if section.print_intro is not None else section.intro)
        for f in section.figures:
            runs = plain_text(f.caption) if f.caption else None
            doc.para(
                f" ({runs})" if runs else None, bold_lead=f"{plain_text(f.label)}: {plain_text(f.value)}"
            )
        if section.empty:
            doc.para(section.print_empty if section.print_empty is not None else section.empty)
        else:
            for chart in section.charts:
                self.chart(chart)
            if section.text:
                doc.para(section.text, bold_lead="In words: ")
            for table in section.tables:
                if table.in_pack:
                    doc.table(
                        table.printed(),
                        table.caption,
                        level + 1 if section.heading else level,
                        fills=table.printed_fills(),
                    )
        doc.bullets(section.bullets)
        for block in section.blocks:
            self.block(block)
        for note in section.notes:
            doc.para(note, style="List Bullet")

    def block(self, block: Passage | Columns | Link) -> None:
        """Answers and quotations: each heading in bold, the words as written (line by line); a link as
        its label and address."""
        from views.base import Columns, Link

        doc = self.doc
        if isinstance(block, Link):
            doc.para(block.url, bold_lead=f"{block.label}: ")
            return
        if isinstance(block, Columns):
            if block.heading:
                doc.para(None, bold_lead=block.heading, keep_next=True)
            for heading, text in block.items:
                doc.para(None, bold_lead=heading, keep_next=True)
                if block.bullets:
                    doc.bullets(_lines(text))
                else:
                    for line in _lines(text) or [""]:
                        doc.para(line)
            return
        if block.heading:
            doc.para(None, bold_lead=block.heading, keep_next=True)
        if block.caption:
            doc.para(block.caption)
        for line in _lines(block.text):
            doc.para(line, style="Quote" if block.quote else None)


def render_view(view: View, **kw) -> bytes:
    """One View alone as a document (for tests and single-page prints)."""
    w = Writer()
    w.view(view, **kw)
    return w.doc.to_bytes()


def _titles(views: Sequence[View], appendix: Sequence[View], has_sources: bool) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for view in views:
        out.append((1, view.title))
        out += [(2, s.heading) for s in view.sections if s.heading and s.level <= 2]
    if appendix:
        out.append((1, APPENDIX_TITLE))
        out += [(2, v.title) for v in appendix]
    if has_sources:
        out.append((1, SOURCES_TITLE))
    return out


def meeting_pack(
    views: Sequence[View],
    *,
    round_title: str,
    group: str,
    generated_at: dt.datetime,
    filters: Sequence[str] = (),
    appendix: Sequence[View] = (),
    method: Sequence[str] = (),
) -> bytes:
    """The meeting pack as .docx bytes: see the module docstring.

    ``views`` are the Views in the order to print; ``appendix`` one View per authority (its answers in
    full), or none; ``method`` the lines of "Sources and method" (with the licence line where official
    figures are shown). Every View's own notes are added there too, each once.
    """
    w = Writer()
    doc = w.doc
    when = generated_at if generated_at.tzinfo else generated_at.replace(tzinfo=dt.UTC)
    # First, so that every section (landscape pages for wide tables) carries it on.
    doc.footer(f"{_short(round_title)} – {when_text(when)}")
    doc.heading(f"{group}: meeting pack", 0)
    doc.para(round_title, bold_lead="Round: ")
    doc.para(when_text(when), bold_lead="Date: ")
    doc.para(None, bold_lead="Filters in force:")
    doc.bullets(list(filters) or ["None: every authority and answer is included."])
    notes: list[str] = list(dict.fromkeys([*method, *(n for v in views for n in v.notes)]))
    doc.contents(_titles(views, appendix, bool(notes)))
    for view in views:
        w.view(view, level=1, new_page=True)
    if appendix:
        doc.heading(APPENDIX_TITLE, 1, new_page=True)
        for n, view in enumerate(appendix):
            w.view(view, level=2, new_page=n > 0)
    if notes:
        doc.heading(SOURCES_TITLE, 1, new_page=True)
        doc.bullets(notes)
    return doc.to_bytes()


def board_report(view: View, *, round_title: str, group: str, generated_at: dt.datetime) -> bytes:
    """The "how we compare" report as .docx bytes: a title, the round and date, then the View's sections
    (upright, a wide table on landscape pages of its own) and its sources and licence lines."""
    w = Writer()
    doc = w.doc
    when = generated_at if generated_at.tzinfo else generated_at.replace(tzinfo=dt.UTC)
    doc.footer(f"{_short(view.title)} – {_short(round_title, 50)} – {when_text(when)}")
    doc.heading(view.title, 0)
    doc.para(round_title, bold_lead="Round: ")
    doc.para(group, bold_lead="Benchmarking group: ")
    doc.para(when_text(when), bold_lead="Date: ")
    doc.para(view.print_intro if view.print_intro is not None else view.intro)
    if view.empty:
        doc.para(view.empty)
    for section in view.sections:
        w.section(section, 1)
    if view.notes:
        doc.heading(SOURCES_TITLE, 1)
        doc.bullets(view.notes)
    return doc.to_bytes()


def report_file_name(authority: str, round_id: str, when: dt.datetime) -> str:
    """'how-kent-compares-seslip-qa-june-2026-03-04.docx'."""
    from exports.text import file_stem

    return f"how-{file_stem(authority)}-compares-{file_stem(round_id)}-{when:%Y-%m-%d}.docx"


def pack_file_name(round_id: str | None, when: dt.datetime) -> str:
    """'meeting-pack-seslip-qa-june-2026-03-04.docx'."""
    from exports.text import file_stem

    stem = "meeting-pack" + (f"-{file_stem(round_id)}" if round_id else "")
    return f"{stem}-{when:%Y-%m-%d}.docx"
