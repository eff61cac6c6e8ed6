"""A Word document (.docx) written block by block: headings, paragraphs, lists, pictures, tables.

The meeting pack and the "how we compare" report (``views.word``) are written with this. Each
block is WordprocessingML added before the body's closing section properties: python-docx's
``add_paragraph`` looks styles up by name and scans the whole body on every call, which made a
region's pack (hundreds of pages) quadratic; python-docx still packages the file.

* Headings use Word's own heading styles (the navigation pane and screen readers list them).
* A picture carries alt text (``wp:docPr/@descr``) and a title.
* A table's header row repeats on every page (``w:tblHeader``); its columns are as wide as their
  text needs (``exports.docx_layout``), so no word or figure is broken; a table too wide for an
  upright page gets landscape pages of its own.
* Every text is cleaned at this edge (``exports.text.for_word``: no character that would break
  the file or hide text) and written as a plain run, never interpreted.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from exports.docx_layout import MARGIN_CM, PAGE_HEIGHT_CM, PAGE_WIDTH_CM, TableLayout, layout_table
from exports.text import for_word

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: Pictures use up to 16 × 22 cm of the 17 × 25.7 cm of text on an upright page.
PICTURE_WIDTH_CM = 16.0
PICTURE_HEIGHT_CM = 22.0
#: The document's font: Arial in Word; LibreOffice uses its metric twin, or DejaVu Sans.
FONT = "Arial"
BODY_POINTS = 10
#: A row with more text than this may split over two pages (a page could not hold it whole).
SPLIT_ROW_CHARS = 900
#: A light fill behind a table cell that a word or symbol also marks (colour is never the only signal).
FILLS = {"high": "DDEBF7", "low": "FCE4D6", "header": "F2F2F2"}


def plain_text(value: Any) -> str:
    """A value as plain text for the document: empty for missing, lists joined, XML-safe."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(plain_text(v) for v in value)
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10000:
        return f"{value:,}"
    return for_word(str(value))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def run(text: str, *, bold: bool = False, italic: bool = False, half_points: int | None = None) -> str:
    """One run of plain text as WordprocessingML (line breaks kept as ``w:br``)."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    if half_points:
        props += f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    texts = "<w:br/>".join(f'<w:t xml:space="preserve">{_esc(t)}</w:t>' for t in text.split("\n"))
    return f"<w:r>{rpr}{texts}</w:r>"


def _cm(n: float) -> Any:
    from docx.shared import Cm

    return Cm(n)


class DocxDocument:
    """One document being written, A4 upright with 2 cm margins; ``to_bytes()`` gives the file."""

    def __init__(self) -> None:
        from docx import Document
        from docx.shared import Cm, Pt

        self.doc: DocxDocument = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(MARGIN_CM))
        for name in (
            "Normal",
            "Title",
            "Heading 1",
            "Heading 2",
            "Heading 3",
            "Heading 4",
            "List Bullet",
            "Quote",
        ):
            style = self.doc.styles[name]
            style.font.name = FONT
            rpr = style.element.get_or_add_rPr()
            fonts = rpr.find(f"{{{W_NS}}}rFonts")
            if fonts is not None:  # the theme's fonts would win over the name otherwise
                for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                    fonts.attrib.pop(f"{{{W_NS}}}{attr}", None)
        self.doc.styles["Normal"].font.size = Pt(BODY_POINTS)
        self._end = self.doc.element.body.sectPr
        self._style_ids: dict[str, str] = {}
        self.pictures = 0
        self.tables = 0
        self.landscape = False  # between begin_landscape() and end_landscape()

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
        keep_next: bool = False,
    ) -> Any:
        ppr = ""
        if style:
            ppr += f'<w:pStyle w:val="{self.style_id(style)}"/>'
        if keep_next:
            ppr += "<w:keepNext/>"
        if new_page:
            ppr += "<w:pageBreakBefore/>"
        if indent_twips:
            ppr += f'<w:ind w:left="{indent_twips}"/>'
        ppr = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
        return self.append(f'<w:p xmlns:w="{W_NS}">{ppr}{runs}</w:p>')

    # -- text -----------------------------------------------------------------

    def heading(self, text: str, level: int, *, new_page: bool = False) -> None:
        style = "Title" if level == 0 else f"Heading {min(level, 9)}"
        self.paragraph(run(plain_text(text)), style=style, new_page=new_page)

    def para(
        self,
        text: str | None,
        *,
        style: str | None = None,
        bold_lead: str | None = None,
        keep_next: bool = False,
    ) -> None:
        if not text and not bold_lead:
            return
        runs = (run(plain_text(bold_lead), bold=True) if bold_lead else "") + (
            run(plain_text(text)) if text else ""
        )
        self.paragraph(runs, style=style, keep_next=keep_next)

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            if item:
                self.paragraph(run(plain_text(item)), style="List Bullet")

    def page_break(self) -> None:
        self.paragraph('<w:r><w:br w:type="page"/></w:r>')

    def contents(self, titles: Sequence[tuple[int, str]], title: str = "Contents") -> None:
        """A TOC field whose stored result is the plain list of parts (level, title), so a reader who
        never updates fields (or LibreOffice, printing to PDF) still sees the contents."""
        self.paragraph(run(title, bold=True, half_points=28))
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve">TOC \\o "1-2" \\h \\z \\u</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        items = list(titles) or [(1, "")]
        for n, (level, text) in enumerate(items):
            runs = (begin if n == 0 else "") + run(plain_text(text)) + (end if n == len(items) - 1 else "")
            self.paragraph(runs, indent_twips=454 if level > 1 else None)

    # -- pictures ----------------------------------------------------------------

    def picture(
        self, png: bytes, *, alt: str, title: str, size: tuple[int, int], width_cm: float = PICTURE_WIDTH_CM
    ) -> None:
        """A PNG as wide as ``width_cm`` (a tall one as tall as a page allows), with alt text and title."""
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        width, height = size
        para = Paragraph(self.paragraph(""), self.doc._body)
        if height * width_cm > PICTURE_HEIGHT_CM * width:
            shape = para.add_run().add_picture(io.BytesIO(png), height=_cm(PICTURE_HEIGHT_CM))
        else:
            shape = para.add_run().add_picture(io.BytesIO(png), width=_cm(width_cm))
        doc_pr = shape._inline.find(qn("wp:docPr"))
        doc_pr.set("descr", plain_text(alt))
        doc_pr.set("title", plain_text(title))
        self.pictures += 1

    # -- tables --------------------------------------------------------------------

    def needs_landscape(self, frame: pd.DataFrame) -> bool:
        """Whether ``frame`` would be printed on landscape pages (to start them before its heading)."""
        if frame.index.name is not None or not isinstance(frame.index, pd.RangeIndex):
            frame = frame.reset_index()
        headers = [plain_text(c) for c in frame.columns]
        cells = [[plain_text(v) for v in frame.iloc[:, j]] for j in range(len(headers))]
        return layout_table(headers, cells).landscape

    def table(
        self,
        frame: pd.DataFrame,
        caption: str | None,
        heading_level: int,
        *,
        fills: Sequence[Sequence[str | None]] | None = None,
    ) -> TableLayout | None:
        """``frame`` as a table under its caption (a heading). A table too wide for an upright page gets
        landscape pages of its own. ``fills`` names a light fill per cell ('high', 'low' or None)."""
        if frame.index.name is not None or not isinstance(frame.index, pd.RangeIndex):
            frame = frame.reset_index()
        headers = [plain_text(c) for c in frame.columns]
        cells = [[plain_text(v) for v in frame.iloc[:, j]] for j in range(len(headers))]
        layout = layout_table(headers, cells, landscape=self.landscape)
        own_pages = layout.landscape and not self.landscape
        if own_pages:
            self.end_section(landscape=False)
        if caption:
            self.heading(caption, min(heading_level, 9))
        if frame.empty:
            self.para("No rows.")
        else:
            self.append(_table_xml(headers, cells, layout, self.style_id("Table Grid"), fills))
            self.tables += 1
            self.paragraph("")
        if own_pages:
            self.end_section(landscape=True)
        return layout

    def begin_landscape(self) -> None:
        """What follows is on landscape pages (until ``end_landscape``), starting a new page."""
        if not self.landscape:
            self.end_section(landscape=False)
            self.landscape = True

    def end_landscape(self) -> None:
        if self.landscape:
            self.end_section(landscape=True)
            self.landscape = False

    def end_section(self, *, landscape: bool) -> None:
        """End the current section (its pages upright or landscape); what follows starts a new page.

        The section's properties are a copy of the document's own (so its footer carries on),
        turned on their side for landscape.
        """
        from docx.oxml.ns import qn

        sect = copy.deepcopy(self._end)
        size = sect.find(qn("w:pgSz"))
        w, h = int(size.get(qn("w:w"))), int(size.get(qn("w:h")))
        if landscape:
            size.set(qn("w:w"), str(max(w, h)))
            size.set(qn("w:h"), str(min(w, h)))
            size.set(qn("w:orient"), "landscape")
        p = self.paragraph("")
        p.get_or_add_pPr().append(sect)

    def footer(self, text: str) -> None:
        """'text – page N' at the foot of every page (a PAGE field)."""
        from docx.oxml import parse_xml

        p = self.doc.sections[0].footer.paragraphs[0]._p
        runs = (
            run(plain_text(text) + " – page ", half_points=16)
            + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            + '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t>1</w:t></w:r>'
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )
        for el in parse_xml(f'<w:p xmlns:w="{W_NS}">{runs}</w:p>'):
            p.append(el)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def _cell(
    width: int,
    text: str,
    size: int,
    *,
    bold: bool = False,
    fill: str | None = None,
) -> str:
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{FILLS[fill]}"/>' if fill in FILLS else ""
    body = run(text, bold=bold, half_points=size) if text else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr><w:p>{body}</w:p></w:tc>'


def _table_xml(
    headers: Sequence[str],
    cells: Sequence[Sequence[str]],
    layout: TableLayout,
    style_id: str,
    fills: Sequence[Sequence[str | None]] | None = None,
) -> str:
    """The table as WordprocessingML: a bold header row that repeats on every page (``w:tblHeader``),
    fixed column widths from ``layout``, rows kept whole on a page unless very long, plain text cells."""
    size = round(2 * layout.points)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in layout.widths)
    parts = [
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblStyle w:val="{style_id}"/>'
        f'<w:tblW w:w="{layout.total}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>",
        '<w:tr><w:trPr><w:cantSplit/><w:tblHeader w:val="true"/></w:trPr>',
    ]
    for w, h in zip(layout.widths, headers, strict=True):
        parts.append(_cell(w, h, size, bold=True, fill="header"))
    parts.append("</w:tr>")
    n_rows = len(cells[0]) if cells else 0
    for i in range(n_rows):
        texts = [col[i] for col in cells]
        split = sum(len(t) for t in texts) > SPLIT_ROW_CHARS
        parts.append("<w:tr>" + ("" if split else "<w:trPr><w:cantSplit/></w:trPr>"))
        row_fills = fills[i] if fills is not None and i < len(fills) else None
        for j, (w, text) in enumerate(zip(layout.widths, texts, strict=True)):
            parts.append(_cell(w, text, size, fill=row_fills[j] if row_fills else None))
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)
