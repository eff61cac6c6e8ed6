"""The meeting pack: Views written to a Word document (.docx) with python-docx.

``meeting_pack(views, ...)`` renders the same ``views.base.View`` objects the pages draw,
never a second copy of their logic. It computes nothing: what a View says is what the pack
says. The document has, in order:

* a title page: the group, the round, the date and the filters in force;
* contents: a Word table-of-contents field (Word fills it in when fields are updated, F9), whose
  stored text is the plain list of parts, so a reader who never updates it (or LibreOffice,
  printing to PDF) still sees the contents;
* each View: its title (Heading 1), its sections (Heading 2) with their headline figures, charts
  as pictures (``dashboard.chart_images``) with alt text, the text alternative ("In words: …"),
  tables (Heading 3 caption; the header row repeats on every page) and notes;
* one page per authority (``authority_pages``: any Views, one per authority, each starting on
  a new page under the Heading 1 "Authorities");
* sources and method: the lines given in ``method``, then every View's notes (sources, licence
  lines), each once.

Accessible: headings use Word's own heading styles (the navigation pane and screen readers list
them), every picture has alt text (``wp:docPr/@descr``) and every table a header row marked to
repeat (``w:tblHeader``). Safe: every text is written as a plain run, never interpreted.
No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from dashboard.export import clean_text

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table as DocxTable

    from views.base import Chart, Section, Table, View

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: A4 portrait with 2 cm margins: 17 cm of text width; pictures use 16 cm of it.
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.0
PICTURE_WIDTH_CM = 16.0
#: Table text size (points): smaller for wide tables, never under 7.
TABLE_POINTS = 9
WIDE_TABLE_POINTS = 7.5
WIDE_TABLE_COLUMNS = 7
CONTENTS_TITLE = "Contents"
AUTHORITIES_TITLE = "Authorities"
SOURCES_TITLE = "Sources and method"


def _text(value: Any) -> str:
    """A value as plain text for the document: empty for missing, lists joined, XML-safe."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(_text(v) for v in value)
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value))


def _when_text(when: dt.datetime) -> str:
    return when.strftime("%d %B %Y").lstrip("0")


class _Pack:
    """One document being written."""

    def __init__(self) -> None:
        from docx import Document
        from docx.shared import Cm

        self.doc: DocxDocument = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(MARGIN_CM))
        self.pictures = 0

    # -- text -----------------------------------------------------------------

    def heading(self, text: str, level: int, *, new_page: bool = False) -> None:
        p = self.doc.add_heading(_text(text), level=level)
        if new_page:
            p.paragraph_format.page_break_before = True

    def para(self, text: str | None, *, style: str | None = None, bold_lead: str | None = None) -> None:
        if not text and not bold_lead:
            return
        p = self.doc.add_paragraph(style=style)
        if bold_lead:
            p.add_run(_text(bold_lead)).bold = True
        if text:
            p.add_run(_text(text))

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            if item:
                self.doc.add_paragraph(_text(item), style="List Bullet")

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # -- parts ------------------------------------------------------------------

    def contents(self, titles: Sequence[tuple[int, str]]) -> None:
        """A TOC field whose stored result is the plain list of parts (level, title)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        p = self.doc.add_paragraph()
        p.add_run(CONTENTS_TITLE).bold = True
        p.runs[0].font.size = _pt(16)

        def field_char(kind: str) -> Any:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            return el

        first = self.doc.add_paragraph()
        first.add_run()._r.append(field_char("begin"))
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = 'TOC \\o "1-2" \\h \\z \\u'
        first.add_run()._r.append(instr)
        first.add_run()._r.append(field_char("separate"))
        paragraphs = [first]
        for n, (level, title) in enumerate(titles):
            p = first if n == 0 else self.doc.add_paragraph()
            if level > 1:
                p.paragraph_format.left_indent = _cm(0.8)
            p.add_run(_text(title))
            if n:
                paragraphs.append(p)
        paragraphs[-1].add_run()._r.append(field_char("end"))

    def figures(self, section: Section) -> None:
        for f in section.figures:
            p = self.doc.add_paragraph()
            p.add_run(f"{_text(f.label)}: ")
            p.add_run(_text(f.value)).bold = True
            if f.caption:
                p.add_run(f" ({_text(f.caption)})")

    def chart(self, chart: Chart) -> None:
        from dashboard.chart_images import chart_png

        png = chart_png(chart)
        self.doc.add_picture(io.BytesIO(png), width=_cm(PICTURE_WIDTH_CM))
        inline = self.doc.inline_shapes[-1]._inline
        inline.docPr.set("descr", _text(chart.alt))
        inline.docPr.set("title", _text(chart.title))
        self.pictures += 1

    def table(self, table: Table, heading_level: int) -> None:
        frame = table.frame
        if frame.index.name is not None or not isinstance(frame.index, pd.RangeIndex):
            frame = frame.reset_index()
        self.heading(table.caption, min(heading_level, 9))
        if frame.empty:
            self.para("No rows.")
            return
        _write_table(self.doc, frame)

    def view(self, view: View, *, level: int = 1, new_page: bool = False) -> None:
        self.heading(view.title, level, new_page=new_page)
        self.para(view.intro)
        if view.empty:
            self.para(view.empty)
            return
        for section in view.sections:
            self.section(section, level + 1)
        if view.notes and level == 1:
            self.para(None, bold_lead="Notes")
            self.bullets(view.notes)

    def section(self, section: Section, level: int) -> None:
        if section.heading:
            self.heading(section.heading, level)
        self.para(section.intro)
        self.figures(section)
        if section.empty:
            self.para(section.empty)
        else:
            for chart in section.charts:
                self.chart(chart)
            if section.text:
                self.para(section.text, bold_lead="In words: ")
            for table in section.tables:
                self.table(table, level + 1 if section.heading else level)
        for note in section.notes:
            self.para(note, style="List Bullet")

    def footer(self, text: str) -> None:
        """'text – page N' at the foot of every page (a PAGE field)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        p = self.doc.sections[0].footer.paragraphs[0]
        p.add_run(_text(text) + " – page ")
        run = p.add_run()
        for kind, text_ in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
                run._r.append(el)
            elif text_ == "PAGE":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = " PAGE "
                run._r.append(el)
            else:
                el = OxmlElement("w:t")
                el.text = text_
                run._r.append(el)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def _pt(n: float) -> Any:
    from docx.shared import Pt

    return Pt(n)


def _cm(n: float) -> Any:
    from docx.shared import Cm

    return Cm(n)


def _write_table(doc: DocxDocument, frame: pd.DataFrame) -> DocxTable:
    """``frame`` as a Word table: a bold header row that repeats on every page, plain text cells.

    Built row by row from the table's XML (python-docx's cell lookup walks the whole grid for
    every cell, which is slow for the long tables of a whole region).
    """
    import copy

    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    headers = [_text(c) for c in frame.columns]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    size = _pt(WIDE_TABLE_POINTS if len(headers) >= WIDE_TABLE_COLUMNS else TABLE_POINTS)
    header_row = table.rows[0]
    for cell, text in zip(header_row.cells, headers, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = size
    tr_pr = header_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    # A template row: its cells' paragraphs, emptied; each data row is a copy with its texts.
    template = copy.deepcopy(header_row._tr)
    for el in template.findall(qn("w:trPr")):
        template.remove(el)
    for r in template.iter(qn("w:r")):
        r.getparent().remove(r)
    half_points = str(round(size.pt * 2))
    tbl = table._tbl
    for values in frame.itertuples(index=False, name=None):
        tr = copy.deepcopy(template)
        cant_split = OxmlElement("w:trPr")
        cant_split.append(OxmlElement("w:cantSplit"))
        tr.insert(0, cant_split)
        for tc, value in zip(tr.findall(qn("w:tc")), values, strict=True):
            text = _text(value)
            if not text:
                continue
            p = tc.find(qn("w:p"))
            for k, line in enumerate(text.split("\n")):
                r = OxmlElement("w:r")
                rpr = OxmlElement("w:rPr")
                sz = OxmlElement("w:sz")
                sz.set(qn("w:val"), half_points)
                rpr.append(sz)
                r.append(rpr)
                if k:
                    r.append(OxmlElement("w:br"))
                t = OxmlElement("w:t")
                t.set(qn("xml:space"), "preserve")
                t.text = line
                r.append(t)
                p.append(r)
        tbl.append(tr)
    doc.add_paragraph()
    return table


def _titles(
    views: Sequence[View], authority_pages: Sequence[View], has_sources: bool
) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for view in views:
        out.append((1, view.title))
        out += [(2, s.heading) for s in view.sections if s.heading]
    if authority_pages:
        out.append((1, AUTHORITIES_TITLE))
        out += [(2, v.title) for v in authority_pages]
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
    authority_pages: Sequence[View] = (),
    method: Sequence[str] = (),
) -> bytes:
    """The meeting pack as .docx bytes: see the module docstring.

    ``views`` are the comparison pages' Views in the order to print; ``authority_pages`` one View
    per authority (its model, caseloads, activities, answers in full); ``method`` the lines of
    "Sources and method" (with the licence line where official figures are shown). Every View's
    own notes are added there too, each once.
    """
    pack = _Pack()
    when = generated_at if generated_at.tzinfo else generated_at.replace(tzinfo=dt.UTC)
    # Title page
    pack.doc.add_heading(_text(f"{group}: meeting pack"), level=0)
    pack.para(round_title, bold_lead="Round: ")
    pack.para(_when_text(when), bold_lead="Date: ")
    pack.para(None, bold_lead="Filters in force:")
    pack.bullets(list(filters) or ["None: every authority and answer is included."])
    pack.page_break()
    # Contents
    notes: list[str] = list(dict.fromkeys([*method, *(n for v in views for n in v.notes)]))
    pack.contents(_titles(views, authority_pages, bool(notes)))
    # The views
    for view in views:
        pack.view(view, level=1, new_page=True)
    if authority_pages:
        pack.heading(AUTHORITIES_TITLE, 1, new_page=True)
        for n, view in enumerate(authority_pages):
            pack.view(view, level=2, new_page=n > 0)
    if notes:
        pack.heading(SOURCES_TITLE, 1, new_page=True)
        pack.bullets(notes)
    pack.footer(f"{group} – {round_title} – {_when_text(when)}")
    return pack.to_bytes()


def pack_file_name(round_id: str | None, when: dt.datetime) -> str:
    """'meeting-pack-seslip-qa-june-2026-03-04.docx'."""
    from dashboard.export import file_stem

    stem = "meeting-pack" + (f"-{file_stem(round_id)}" if round_id else "")
    return f"{stem}-{when:%Y-%m-%d}.docx"
