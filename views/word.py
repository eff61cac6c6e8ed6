"""The meeting pack: Views written to a Word document (.docx) with python-docx.

``meeting_pack(views, ...)`` renders the same ``views.base.View`` objects the pages draw,
never a second copy of their logic. It computes nothing: what a View says is what the pack
says. The document has, in order:

* a title page: the group, the round, the date and the filters in force;
* contents: a Word table-of-contents field (Word fills it in when fields are updated, F9), whose
  stored text is the plain list of parts, so a reader who never updates it (or LibreOffice,
  printing to PDF) still sees the contents;
* each View: its title (Heading 1), its sections (Heading 2) with their headline figures, charts
  as pictures (``views.images``) with alt text, the text alternative ("In words: …"),
  tables (Heading 3 caption; the header row repeats on every page) and notes;
* one page per authority (``authority_pages``: any Views, one per authority, each starting on
  a new page under the Heading 1 "Authorities");
* sources and method: the lines given in ``method``, then every View's notes (sources, licence
  lines), each once.

Accessible: headings use Word's own heading styles (the navigation pane and screen readers list
them), every picture has alt text (``wp:docPr/@descr``) and every table a header row marked to
repeat (``w:tblHeader``). Safe: every text is written as a plain run, never interpreted, and
cleaned at this edge (``exports.text.for_word``), so no stored answer or title can break the file.
No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from exports.text import for_word

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from views.base import Chart, Columns, Link, Passage, Section, Table, View

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: A4 portrait with 2 cm margins: 17 × 25.7 cm of text; pictures use up to 16 × 22 cm of it.
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.0
PICTURE_WIDTH_CM = 16.0
#: The tallest a picture is drawn (a chart of a whole region is long): it fits one page.
PICTURE_HEIGHT_CM = 22.0
#: Table text size (points): smaller for wide tables, never under 7.
TABLE_POINTS = 9
WIDE_TABLE_POINTS = 7.5
WIDE_TABLE_COLUMNS = 7
CONTENTS_TITLE = "Contents"
AUTHORITIES_TITLE = "Authorities"
SOURCES_TITLE = "Sources and method"


def _text(value: Any) -> str:
    """A value as plain text for the document: empty for missing, lists joined, and cleaned
    (``exports.text.for_word``: no character that would break the file or hide text)."""
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
    return for_word(str(value))


def _lines(text: str | None) -> list[str]:
    """An answer's lines, split at its line breaks only (a control character that ``str.splitlines``
    would also split at is marked by ``for_word`` instead)."""
    return for_word(text).split("\n") if text else []


def _short(text: str, most: int = 70) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _when_text(when: dt.datetime) -> str:
    return when.strftime("%d %B %Y").lstrip("0")


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: A4 text width in twentieths of a point (Word's table widths), upright and landscape.
TEXT_WIDTH_TWIPS = round((PAGE_WIDTH_CM - 2 * MARGIN_CM) / 2.54 * 1440)
LANDSCAPE_TEXT_WIDTH_TWIPS = round((PAGE_HEIGHT_CM - 2 * MARGIN_CM) / 2.54 * 1440)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run(text: str, *, bold: bool = False, half_points: int | None = None) -> str:
    """One run of plain text as WordprocessingML (line breaks kept as ``w:br``)."""
    props = ("<w:b/>" if bold else "") + (
        f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>' if half_points else ""
    )
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    texts = "<w:br/>".join(f'<w:t xml:space="preserve">{_esc(t)}</w:t>' for t in text.split("\n"))
    return f"<w:r>{rpr}{texts}</w:r>"


class _Pack:
    """One document being written.

    Paragraphs and tables are written as WordprocessingML and added before the body's closing
    section properties: python-docx's ``add_paragraph`` looks styles up by name and scans the
    whole body on every call, which made a region's pack (hundreds of pages) quadratic.
    """

    def __init__(self) -> None:
        from docx import Document
        from docx.shared import Cm

        self.doc: DocxDocument = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(MARGIN_CM))
        self._end = self.doc.element.body.sectPr
        self._style_ids: dict[str, str] = {}
        self.pictures = 0

    def style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    def append(self, xml: str) -> Any:
        """Parse one block (paragraph or table) and add it at the end of the body."""
        from docx.oxml import parse_xml

        el = parse_xml(xml)
        self._end.addprevious(el)
        return el

    def paragraph(
        self,
        runs: str,
        *,
        style: str | None = None,
        new_page: bool = False,
        indent_twips: int | None = None,
    ) -> Any:
        ppr = ""
        if style:
            ppr += f'<w:pStyle w:val="{self.style_id(style)}"/>'
        if new_page:
            ppr += "<w:pageBreakBefore/>"
        if indent_twips:
            ppr += f'<w:ind w:left="{indent_twips}"/>'
        ppr = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
        return self.append(f'<w:p xmlns:w="{W_NS}">{ppr}{runs}</w:p>')

    # -- text -----------------------------------------------------------------

    def heading(self, text: str, level: int, *, new_page: bool = False) -> None:
        style = "Title" if level == 0 else f"Heading {min(level, 9)}"
        self.paragraph(_run(_text(text)), style=style, new_page=new_page)

    def para(self, text: str | None, *, style: str | None = None, bold_lead: str | None = None) -> None:
        if not text and not bold_lead:
            return
        runs = (_run(_text(bold_lead), bold=True) if bold_lead else "") + (_run(_text(text)) if text else "")
        self.paragraph(runs, style=style)

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            if item:
                self.paragraph(_run(_text(item)), style="List Bullet")

    def page_break(self) -> None:
        self.paragraph('<w:r><w:br w:type="page"/></w:r>')

    # -- parts ------------------------------------------------------------------

    def contents(self, titles: Sequence[tuple[int, str]]) -> None:
        """A TOC field whose stored result is the plain list of parts (level, title)."""
        self.paragraph(_run(CONTENTS_TITLE, bold=True, half_points=32))
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve">TOC \\o "1-2" \\h \\z \\u</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        items = list(titles) or [(1, "")]
        for n, (level, title) in enumerate(items):
            runs = (begin if n == 0 else "") + _run(_text(title)) + (end if n == len(items) - 1 else "")
            self.paragraph(runs, indent_twips=454 if level > 1 else None)

    def figures(self, section: Section) -> None:
        for f in section.figures:
            runs = _run(f"{_text(f.label)}: ") + _run(_text(f.value), bold=True)
            if f.caption:
                runs += _run(f" ({_text(f.caption)})")
            self.paragraph(runs)

    def chart(self, chart: Chart) -> None:
        from docx.oxml.ns import qn

        from views.images import chart_png, png_size

        png = chart_png(chart)
        width, height = png_size(png)
        from docx.text.paragraph import Paragraph

        para = Paragraph(self.paragraph(""), self.doc._body)
        if height * PICTURE_WIDTH_CM > PICTURE_HEIGHT_CM * width:  # a tall chart fits the page's height
            shape = para.add_run().add_picture(io.BytesIO(png), height=_cm(PICTURE_HEIGHT_CM))
        else:
            shape = para.add_run().add_picture(io.BytesIO(png), width=_cm(PICTURE_WIDTH_CM))
        doc_pr = shape._inline.find(qn("wp:docPr"))
        doc_pr.set("descr", _text(chart.alt))
        doc_pr.set("title", _text(chart.title))
        self.pictures += 1

    def table(self, table: Table, heading_level: int) -> None:
        frame = table.frame
        if frame.index.name is not None or not isinstance(frame.index, pd.RangeIndex):
            frame = frame.reset_index()
        wide = len(frame.columns) >= WIDE_TABLE_COLUMNS
        if wide:  # a wide table gets landscape pages of its own
            self.end_section(landscape=False)
        self.heading(table.caption, min(heading_level, 9))
        if frame.empty:
            self.para("No rows.")
        else:
            width = LANDSCAPE_TEXT_WIDTH_TWIPS if wide else TEXT_WIDTH_TWIPS
            self.append(_table_xml(frame, self.style_id("Table Grid"), width))
            self.paragraph("")
        if wide:
            self.end_section(landscape=True)

    def end_section(self, *, landscape: bool) -> None:
        """End the current section (its pages upright or landscape); what follows starts a new page.

        The section's properties are a copy of the document's own (so its footer carries on),
        turned on their side for landscape.
        """
        import copy

        from docx.oxml.ns import qn

        sect = copy.deepcopy(self._end)
        size = sect.find(qn("w:pgSz"))
        w, h = int(size.get(qn("w:w"))), int(size.get(qn("w:h")))
        if landscape:
            size.set(qn("w:w"), str(max(w, h)))
            size.set(qn("w:h"), str(min(w, h)))
            size.set(qn("w:orient"), "landscape")
        p = self.paragraph("")
        ppr = p.get_or_add_pPr()
        ppr.append(sect)

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
                if table.in_pack:
                    self.table(table, level + 1 if section.heading else level)
        self.bullets(section.bullets)
        for block in section.blocks:
            self.block(block)
        for note in section.notes:
            self.para(note, style="List Bullet")

    def block(self, block: Passage | Columns | Link) -> None:
        """Answers and quotations: each heading in bold, the words as written (line by line)."""
        from views.base import Columns, Link

        if isinstance(block, Link):
            self.para(block.url, bold_lead=f"{block.label}: ")
            return
        if isinstance(block, Columns):
            if block.heading:
                self.para(None, bold_lead=block.heading)
            for heading, text in block.items:
                self.para(None, bold_lead=heading)
                if block.bullets:
                    self.bullets(_lines(text))
                else:
                    for line in _lines(text) or [""]:
                        self.para(line)
            return
        if block.heading:
            self.para(None, bold_lead=block.heading)
        if block.caption:
            self.para(block.caption)
        for line in _lines(block.text):
            self.para(line, style="Quote" if block.quote else None)

    def footer(self, text: str) -> None:
        """'text – page N' at the foot of every page (a PAGE field)."""
        from docx.oxml import parse_xml

        footer = self.doc.sections[0].footer
        p = footer.paragraphs[0]._p
        runs = (
            _run(_text(text) + " – page ")
            + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            + '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )
        for el in parse_xml(f'<w:p xmlns:w="{W_NS}">{runs}</w:p>'):
            p.append(el)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def _cm(n: float) -> Any:
    from docx.shared import Cm

    return Cm(n)


def _column_twips(frame: pd.DataFrame, headers: Sequence[str], width: int) -> list[int]:
    """Column widths sharing the text width: by the length of their text (long answers widest)."""
    weights = []
    for j, h in enumerate(headers):
        sample = frame.iloc[:200, j]
        lengths = [len(_text(v)) for v in sample]
        typical = max(sum(lengths) / max(len(lengths), 1), max((len(w) for w in h.split()), default=1))
        weights.append(min(max(typical, 4), 60))
    total = sum(weights)
    return [max(int(width * w / total), 400) for w in weights]


def _table_xml(frame: pd.DataFrame, style_id: str, width: int = TEXT_WIDTH_TWIPS) -> str:
    """``frame`` as a Word table: a bold header row that repeats on every page (``w:tblHeader``),
    rows that do not split across pages, plain text cells."""
    headers = [_text(c) for c in frame.columns]
    size = round(2 * (WIDE_TABLE_POINTS if len(headers) >= WIDE_TABLE_COLUMNS else TABLE_POINTS))
    widths = _column_twips(frame, headers, width)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    tc_pr = [f'<w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>' for w in widths]
    parts = [
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblStyle w:val="{style_id}"/>'
        '<w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>",
        '<w:tr><w:trPr><w:cantSplit/><w:tblHeader w:val="true"/></w:trPr>',
    ]
    for pr, h in zip(tc_pr, headers, strict=True):
        parts.append(f"<w:tc>{pr}<w:p>{_run(h, bold=True, half_points=size)}</w:p></w:tc>")
    parts.append("</w:tr>")
    for values in frame.itertuples(index=False, name=None):
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for pr, value in zip(tc_pr, values, strict=True):
            text = _text(value)
            parts.append(f"<w:tc>{pr}<w:p>{_run(text, half_points=size) if text else ''}</w:p></w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


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
    # First, so that every section (landscape pages for wide tables) carries it on.
    pack.footer(f"{_short(round_title)} – {_when_text(when)}")
    # Title page
    pack.heading(f"{group}: meeting pack", 0)
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
    return pack.to_bytes()


def pack_file_name(round_id: str | None, when: dt.datetime) -> str:
    """'meeting-pack-seslip-qa-june-2026-03-04.docx'."""
    from exports.text import file_stem

    stem = "meeting-pack" + (f"-{file_stem(round_id)}" if round_id else "")
    return f"{stem}-{when:%Y-%m-%d}.docx"
