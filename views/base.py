"""What a reader sees, as plain data: the View every page, workbook and meeting pack renders.

A comparison page is built once, by a pure ``build(...)`` in its own module of
``views/``, from the returns and the page's choices. The result is a ``View``:

* a title and an introduction;
* sections, each with its headline figures, charts (Altair charts, drawn by
  ``views/charts.py``), tables (DataFrames with captions), the text alternative
  ("In words: …") and notes;
* the notes that apply to the whole view (sources, licence lines);
* ``sheets()``: the tables that "Download this view" writes, by sheet name.

Renderers never compute: ``ui/render.py`` draws a View in Streamlit,
``exports/workbooks.py`` writes its sheets to a workbook, and the meeting pack
writes it to Word. No Streamlit here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import altair as alt

    from models.returns import AuthorityReturn, SurveyRound


@dataclass(frozen=True, eq=False)
class Selection:
    """The returns a view is built from, and what the reader chose to see.

    ``ui`` makes one from the sidebar filters; the command line and the meeting pack make
    their own. ``description`` is the filters in force, in words (shown on downloads and print).
    """

    returns: tuple[AuthorityReturn, ...]
    rounds: Mapping[str, SurveyRound]
    published_rounds: frozenset[str] = frozenset()
    roles: tuple[str, ...] = ("iro", "cp_chair")
    models: tuple[str, ...] = ()
    description: str = ""

    def is_published(self, ret: AuthorityReturn) -> bool:
        return ret.round in self.published_rounds

    @property
    def filters(self) -> tuple[str, ...]:
        return (self.description,) if self.description else ()


@dataclass(frozen=True)
class Figure:
    """One headline figure: 'Authorities: 9'."""

    label: str
    value: str
    help: str | None = None
    caption: str | None = None  # a line under the figure ("Per officer, from 8 authorities.")


@dataclass(eq=False)
class Chart:
    """A chart, its text alternative and where its data comes from.

    ``chart`` is an Altair chart (data inline). Renderers convert it once and may keep the result
    in ``cache`` (a Vega-Lite spec for the page, a PNG for the pack), so a cached View is never
    converted twice.
    """

    key: str
    title: str
    chart: alt.TopLevelMixin
    alt: str
    source: str | None = None
    cache: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Table:
    """A table as the reader sees it, with its caption.

    ``sheet`` is its sheet name in "Download this view" (None: shown, not exported). ``wide``
    names the columns of long text (shown wider, wrapped in print).
    """

    key: str
    caption: str
    frame: pd.DataFrame
    sheet: str | None = None
    wide: tuple[str, ...] = ()
    percent: tuple[str, ...] = ()  # columns holding a share from 0 to 1 (drawn as bars on the page)
    expanded: bool = False  # shown open on the page (otherwise behind "Table of …")
    in_pack: bool = True  # False: a table for the download only (the pack shows the same as text)
    #: The columns printed (in the pack and the report), where fewer than on the page; () is every one.
    print_columns: tuple[str, ...] = ()
    #: A light fill per cell ("high", "low" or None), row by row, for renderers that colour cells; the
    #: cell's own text always says the same (colour is never the only signal).
    fills: tuple[tuple[str | None, ...], ...] | None = None
    #: What renderers derive from the table, kept with it (its Arrow copy, its print copy).
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def printed(self) -> pd.DataFrame:
        """The frame as printed: ``print_columns`` only, where given."""
        if not self.print_columns:
            return self.frame
        return self.frame[[c for c in self.print_columns if c in self.frame.columns]]

    def printed_fills(self) -> tuple[tuple[str | None, ...], ...] | None:
        if self.fills is None or not self.print_columns:
            return self.fills
        keep = [list(self.frame.columns).index(c) for c in self.print_columns if c in self.frame.columns]
        return tuple(tuple(row[j] for j in keep) for row in self.fills)


@dataclass(frozen=True)
class Passage:
    """Untrusted text (an answer, a quotation) with a heading, always shown inert.

    ``marks`` are search words to mark; ``more`` is the whole answer, behind "The whole answer".
    """

    text: str
    heading: str | None = None
    caption: str | None = None
    marks: tuple[str, ...] = ()
    more: str | None = None
    quote: bool = False


@dataclass(frozen=True)
class Columns:
    """Short texts side by side: (heading, text) pairs in columns, e.g. one per authority."""

    items: tuple[tuple[str, str], ...]
    heading: str | None = None
    bullets: bool = False  # each line of a text is a list item


_SAFE_URL = re.compile(r"https://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~%/+=&?-]*)?")


def safe_url(url: str) -> bool:
    """True for a plain https address (letters, digits and ``/._~%+=&?-`` only): safe to link in Markdown."""
    return bool(_SAFE_URL.fullmatch(url or ""))


@dataclass(frozen=True)
class Link:
    """A link to an official document (an Ofsted report): its label and its https address.

    Only addresses from the committed reference data are linked; renderers show any other as text.
    """

    label: str
    url: str


@dataclass(frozen=True)
class Section:
    """One part of a view (for example the IRO caseloads), rendered in order."""

    heading: str | None = None
    intro: str | None = None
    figures: tuple[Figure, ...] = ()
    charts: tuple[Chart, ...] = ()
    text: str | None = None  # the charts' text alternative, shown as "In words: …"
    tables: tuple[Table, ...] = ()
    bullets: tuple[str, ...] = ()  # short sentences, shown as a list
    blocks: tuple[Passage | Columns | Link, ...] = ()  # answers, quotations and links, in order
    notes: tuple[str, ...] = ()
    empty: str | None = None  # why nothing is shown, and what to do (replaces charts and tables)
    level: int = 2  # heading level: 2 for a part of the page, 3 for a part of a part
    #: The words printed instead of ``intro`` and ``empty`` where those speak of the screen (a sidebar,
    #: a click): a View's words for paper are its own.
    print_intro: str | None = None
    print_empty: str | None = None


@dataclass(frozen=True)
class View:
    """Everything a reader sees on one comparison page, for one set of choices."""

    key: str  # the page's stable name: 'caseloads', 'qa_inputs', ...
    title: str
    intro: str | None = None
    sections: tuple[Section, ...] = ()
    filters: tuple[str, ...] = ()  # the filters in force, as sentences
    notes: tuple[str, ...] = ()  # notes on the whole view (sources, licence)
    empty: str | None = None  # nothing to show at all, and why
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    #: The introduction printed instead of ``intro`` where it speaks of the screen (filters, clicks).
    print_intro: str | None = None
    #: Printed on landscape pages (a wide table read whole, with its words).
    print_landscape: bool = False

    def sheets(self) -> dict[str, pd.DataFrame]:
        """The tables that "Download this view" writes, by sheet name, in order."""
        out: dict[str, pd.DataFrame] = {}
        for section in self.sections:
            for table in section.tables:
                if table.sheet and table.sheet not in out:
                    out[table.sheet] = table.frame
        return out

    def charts(self) -> list[Chart]:
        return [c for s in self.sections for c in s.charts]

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]

    def words(self) -> list[str]:
        """Every text alternative of the view, in order."""
        return [s.text for s in self.sections if s.text]
