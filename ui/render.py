"""Draw a View (``views.base``) in Streamlit. Nothing here computes a figure.

Every string of a View is treated as untrusted: it reaches the page through
``models.safe_text.escape_markdown`` (or a Streamlit call that does not
interpret Markdown), so an answer, an authority's name or a value from the
address bar can never become a link, an image or HTML. The only HTML added here
is the ``<mark>`` around search matches, after the text is escaped.

Each element costs the server (and the browser) work on every rerun, so a View goes out in as
few as it reads well in: consecutive passages, paragraphs and lists as one Markdown element,
consecutive notes as one caption, a chart's two downloads side by side in one row, a closed
"Table of …" filled only once it is opened (its print copy, outside it, prints it whole).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from analysis.search import highlight
from models.safe_text import escape_inline, escape_markdown
from ui.print import Html
from views.base import Chart, Columns, Link, Passage, Section, Table, View, safe_url

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_height(rows: int, *, most: int = 30) -> int:
    """A dataframe height showing every row (up to ``most``) without an inner scroll bar."""
    return 35 * (min(rows, most) + 1) + 3


def plain(text: str | None, *, empty: str = "Not answered.") -> None:
    """Untrusted text exactly as written, as inert text (line breaks kept)."""
    if text and text.strip():
        st.markdown(escape_markdown(text))
    else:
        st.caption(empty)


def empty_state(message: str) -> None:
    """A plain message saying why nothing is shown and what to do."""
    st.info(escape_markdown(message), icon=":material/filter_alt_off:")


def chart_spec(chart: Chart) -> dict[str, Any]:
    """The chart as the Vega-Lite spec Streamlit sends (converted once per chart, kept on it)."""
    spec = chart.cache.get("streamlit")
    if spec is None:
        try:  # Streamlit's own conversion: data as Arrow datasets, its theme settings
            from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

            spec = _convert_altair_to_vega_lite_spec(chart.chart)
        except ImportError:  # a Streamlit without it: plain Vega-Lite, data inline
            spec = chart.chart.to_dict()
        chart.cache["streamlit"] = spec
    return spec


def render_chart(chart: Chart) -> None:
    """The chart, and "Download chart (PNG)" / "(SVG)": made only when clicked, with its title and
    source in the image."""
    from views.images import PNG_MIME, SVG_MIME, chart_png, chart_svg, image_file_name

    st.vega_lite_chart(spec=dict(chart_spec(chart)), width="stretch", key=chart.key, alt=chart.alt[:1000])
    row = st.container(horizontal=True)  # one block, not a row of three columns (four blocks)
    row.download_button(
        "Download chart (PNG)",
        data=lambda: chart_png(chart),
        file_name=image_file_name(chart, "png"),
        mime=PNG_MIME,
        key=f"{chart.key}_png",
        icon=":material/image:",
        on_click="ignore",
        help="An image fit for slides, with the chart's title and source in it.",
    )
    row.download_button(
        "Download chart (SVG)",
        data=lambda: chart_svg(chart),
        file_name=image_file_name(chart, "svg"),
        mime=SVG_MIME,
        key=f"{chart.key}_svg",
        icon=":material/image:",
        on_click="ignore",
        help="The same chart as a scalable drawing, for documents.",
    )


def _column_config(table: Table) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for col in table.wide:
        if col in table.frame.columns:
            config[col] = st.column_config.TextColumn(width="large")
    for col in table.percent:
        config[col] = st.column_config.ProgressColumn(col, min_value=0, max_value=1, format="percent")
    return config


def render_table(table: Table, *, on_select: bool = False):
    """A table (open, or behind "Table of …"); returns the selection event where ``on_select``."""
    kwargs: dict[str, Any] = {
        "hide_index": True,
        "width": "stretch",
        "height": table_height(len(table.frame)),
        "column_config": _column_config(table),
        "key": table.key,
    }
    if on_select:
        kwargs.update(on_select="rerun", selection_mode="single-cell")
    if table.expanded:
        st.caption(escape_markdown(table.caption))
        event = st.dataframe(table_data(table), **kwargs)
        print_copy(table)
        return event
    # Filled only once opened (opening it reruns the page): a closed table sends nothing but its
    # label. Its print copy, after the expander, prints it whole whether it was opened or not.
    box = st.expander(escape_markdown(table.caption), key=f"open_{table.key}", on_change="rerun")
    event = None
    if box.open:
        with box:
            event = st.dataframe(table_data(table), **kwargs)
    print_copy(table)  # after the expander: printed whole, never a second copy inside it
    return event


def table_data(table: Table) -> Any:
    """What ``st.dataframe`` is given: the table styled where it marks cells, else its Arrow table."""
    return styled(table) if table.fills else arrow_of(table)


#: Light fills behind cells a table marks (its text says the same: colour is never the only signal).
FILL_COLOURS = {"high": "#DDEBF7", "low": "#FCE4D6"}


def styled(table: Table) -> Any:
    """The frame with each cell's light fill (``Table.fills``), styled once and kept on the table."""
    if "styled" not in table.cache:
        fills = table.fills or ()

        def colours(frame):
            import pandas as pd

            out = pd.DataFrame("", index=frame.index, columns=frame.columns)
            for i, row in enumerate(fills[: len(frame)]):
                for j, fill in enumerate(row[: len(frame.columns)]):
                    if fill in FILL_COLOURS:
                        out.iat[i, j] = f"background-color: {FILL_COLOURS[fill]}; color: #000000"
            return out

        table.cache["styled"] = table.frame.style.apply(colours, axis=None)
    return table.cache["styled"]


def arrow_of(table: Table) -> Any:
    """The table's frame as an Arrow table, converted once and kept on the table (a cached View's
    tables are shared by every rerun): converting on every rerun was the largest cost of a warm
    page. Where Arrow cannot hold a column as it is, the frame itself is given to Streamlit."""
    if "arrow" not in table.cache:
        import pyarrow as pa

        try:
            data: Any = pa.Table.from_pandas(table.frame, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError, TypeError):
            data = table.frame
        table.cache["arrow"] = data
    return table.cache["arrow"]


def print_copy(table: Table) -> None:
    """A static copy of the table, printed whole in place of the grid (hidden on screen); made once
    and kept on the table."""
    from ui.print import print_table_html

    if "print" not in table.cache:
        table.cache["print"] = Html(print_table_html(table.frame, table.caption))
    st.html(table.cache["print"])


def print_frame(view: View) -> None:
    """The line printed at the top of the page: the filters in force and the date (the print
    stylesheet itself is added once for every page, in app.py)."""
    from ui.print import print_header

    print_header(view.filters, dt.datetime.now(dt.UTC))


class Flow:
    """Text waiting to be drawn. Consecutive pieces of one kind (Markdown, or captions) go out as one
    element, as paragraphs of it: the same words and order, a fraction of the elements. Every piece
    is escaped before it gets here; anything drawn in between calls ``flush()`` first."""

    def __init__(self) -> None:
        self._kind: str | None = None
        self._parts: list[str] = []
        self._html = False

    def add(self, kind: str, text: str, *, html: bool = False) -> None:
        if self._parts and kind != self._kind:
            self.flush()
        self._kind = kind
        self._parts.append(text)
        self._html = self._html or html

    def markdown(self, text: str, *, html: bool = False) -> None:
        """Escaped Markdown; ``html`` where it carries the ``<mark>`` of a search match (every other
        piece is escaped to the last character, so allowing HTML in the joined element adds none)."""
        self.add("markdown", text, html=html)

    def caption(self, text: str) -> None:
        self.add("caption", text)

    def flush(self) -> None:
        if self._parts:
            body = "\n\n".join(self._parts)
            if self._kind == "caption":
                st.caption(body)
            else:
                st.markdown(body, unsafe_allow_html=self._html)
        self._kind, self._parts, self._html = None, [], False


def _plain(flow: Flow, text: str | None, *, empty: str = "Not answered.") -> None:
    if text and text.strip():
        flow.markdown(escape_markdown(text))
    else:
        flow.caption(empty)


def render_passage(p: Passage, flow: Flow | None = None) -> None:
    own = flow is None
    flow = flow or Flow()
    if p.heading:
        flow.markdown(f"**{escape_markdown(p.heading)}**")
    if p.caption:
        flow.caption(escape_markdown(p.caption))
    if p.text:
        if p.marks:
            flow.markdown(highlight(p.text, p.marks), html=True)
        elif p.quote:
            flow.markdown("> " + escape_markdown(p.text).replace("\n", "\n> "))
        else:
            _plain(flow, p.text)
    if p.more:
        flow.flush()
        with st.expander("The whole answer" if p.marks else "Full answer"):
            if p.marks:
                st.markdown(highlight(p.more, p.marks), unsafe_allow_html=True)
            else:
                plain(p.more)
    if own:
        flow.flush()


def render_columns(block: Columns) -> None:
    if block.heading:
        st.subheader(escape_markdown(block.heading))
    cols = st.columns(len(block.items))
    for col, (heading, text) in zip(cols, block.items, strict=True):
        with col:
            if block.bullets:
                st.subheader(escape_markdown(heading))
                st.markdown("\n".join(f"- {escape_markdown(line)}" for line in text.splitlines()))
            else:
                flow = Flow()
                flow.markdown(f"**{escape_markdown(heading)}**")
                _plain(flow, text)
                flow.flush()


def render_link(block: Link, flow: Flow | None = None) -> None:
    """'Label: address' with the address as a link (only an https address of the kind ``safe_url`` allows).

    A link is its own element, never joined to the escaped text around it."""
    if flow is not None:
        flow.flush()
    if safe_url(block.url):
        st.markdown(f"{escape_inline(block.label)}: [{escape_inline(block.url)}]({block.url})")
    else:
        plain(f"{block.label}: {block.url}")


def render_section(
    section: Section, *, select: frozenset[str] = frozenset(), flow: Flow | None = None
) -> dict[str, Any]:
    """One section in order: heading, intro, figures, charts, words, tables, lists, answers, notes.

    ``flow`` carries text on to what follows (``render_view`` passes one for the whole view)."""
    own = flow is None
    flow = flow or Flow()
    events: dict[str, Any] = {}
    if section.heading:
        flow.flush()
        (st.header if section.level <= 2 else st.subheader)(escape_markdown(section.heading))
    if section.intro:
        flow.markdown(escape_markdown(section.intro))
    if section.empty:
        flow.flush()
        empty_state(section.empty)
        for note in section.notes:
            flow.caption(escape_markdown(note))
        if own:
            flow.flush()
        return events
    if section.figures:
        flow.flush()
        cols = st.columns(len(section.figures))
        for col, fig in zip(cols, section.figures, strict=True):
            col.metric(fig.label, fig.value, help=fig.help)
            if fig.caption:
                col.caption(escape_markdown(fig.caption))
    for chart in section.charts:
        flow.flush()
        render_chart(chart)
    if section.text:
        flow.markdown(f"**In words:** {escape_markdown(section.text)}")
    for table in section.tables:
        flow.flush()
        events[table.key] = render_table(table, on_select=table.key in select)
    if section.bullets:
        flow.markdown("\n".join(f"- {escape_markdown(b)}" for b in section.bullets))
    for block in section.blocks:
        if isinstance(block, Columns):
            flow.flush()
            render_columns(block)
        elif isinstance(block, Link):
            render_link(block, flow)
        elif block.quote or not block.heading:
            render_passage(block, flow)
        else:
            flow.flush()
            with st.container(border=True):
                render_passage(block)
    for note in section.notes:
        flow.caption(escape_markdown(note))
    if own:
        flow.flush()
    return events


def render_view(view: View, *, select: frozenset[str] = frozenset(), download: bool = True) -> dict[str, Any]:
    """Every section of the view, its notes, and "Download this view" for its tables.

    ``select`` names tables whose cells can be clicked; their selection events are returned by key.
    """
    print_frame(view)
    if view.empty:
        empty_state(view.empty)
        return {}
    events: dict[str, Any] = {}
    flow = Flow()
    for section in view.sections:
        events.update(render_section(section, select=select, flow=flow))
    for note in view.notes:
        flow.caption(escape_markdown(note))
    flow.flush()
    if download and view.sheets():
        download_view(view)
    return events


# ---------------------------------------------------------------------------
# Downloads: the label states the size of a file already made.


def human_size(n: int) -> str:
    from exports.text import human_size as size

    return size(n)


def view_workbook_bytes(view: View) -> bytes:
    """The view's workbook, built once per View (the View is cached, so once per data and choices).
    Pure: it runs when the button is clicked, outside the page's run."""
    data = view.cache.get("xlsx")
    if data is None:
        from exports.workbooks import view_workbook

        data = view_workbook(
            view.title,
            list(view.filters),
            view.sheets(),
            generated_at=dt.datetime.now(dt.UTC),
            notes=view.notes,
        )
        view.cache["xlsx"] = data
    return data


def download_bytes_button(
    text: str, data: bytes, file_name: str, mime: str, key: str, *, help: str | None = None
) -> None:
    """A download button whose label ends with the file's size."""
    st.download_button(
        f"{text} – {human_size(len(data))}",
        data=data,
        file_name=file_name,
        mime=mime,
        key=key,
        help=help,
        icon=":material/download:",
        on_click="ignore",
    )


def download_view(view: View) -> None:
    """'Download this view (.xlsx)' for the tables the view shows. The workbook is made when the
    button is clicked (and kept on the View for everyone after); once made, the label ends with its
    size: 'Download this view (.xlsx) – 12 KB'."""
    from exports.text import file_stem

    made = view.cache.get("xlsx")
    text = "Download this view (.xlsx)"
    st.download_button(
        f"{text} – {human_size(len(made))}" if made else text,
        data=lambda: view_workbook_bytes(view),
        file_name=f"{file_stem(view.title)}.xlsx",
        mime=XLSX_MIME,
        key=f"dl_{view.key}",
        help="An Excel workbook of the table(s) on this page, with the filters applied listed on its About sheet.",
        icon=":material/download:",
        on_click="ignore",
    )
