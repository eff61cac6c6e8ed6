"""Small Streamlit pieces the comparison pages share.

The rule for authorities' text: it is always shown through ``plain`` (or
``plain_highlighted``), which escapes every Markdown and HTML character first
(``dashboard.search.escape_markdown``), so nothing an authority wrote can
change the page.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import analysis, guidance, tables
from dashboard.search import escape_markdown, highlight
from models.returns import AuthorityReturn

#: Okabe–Ito colour-blind-safe colours, one per model, always paired with a shape.
MODEL_COLOURS = {"Combined": "#0072B2", "Separate": "#E69F00", "Not stated": "#7F7F7F"}
MODEL_SHAPES = {"Combined": "circle", "Separate": "square", "Not stated": "diamond"}
BAND_COLOUR = "#009E73"


def model_colour_scale() -> alt.Scale:
    return alt.Scale(domain=list(MODEL_COLOURS), range=list(MODEL_COLOURS.values()))


def model_shape_scale() -> alt.Scale:
    return alt.Scale(domain=list(MODEL_SHAPES), range=list(MODEL_SHAPES.values()))


def plain(text: str | None, *, empty: str = "Not answered.") -> None:
    """Show an authority's text exactly as written, as inert text (line breaks kept)."""
    if text and text.strip():
        st.markdown(escape_markdown(text))
    else:
        st.caption(empty)


def plain_highlighted(text: str, words: Sequence[str]) -> None:
    """Show text with the search terms marked; the text is escaped before the marks are added."""
    st.markdown(highlight(text, words), unsafe_allow_html=True)


def published_badge() -> None:
    st.badge("Published description – not a questionnaire answer", icon=":material/article:", color="gray")


def empty_state(message: str) -> None:
    """A plain message saying why nothing is shown and what to do."""
    st.info(message, icon=":material/filter_alt_off:")


def chart_block(
    charts: alt.TopLevelMixin | list[alt.TopLevelMixin],
    text: str,
    table: pd.DataFrame,
    *,
    table_label: str,
    key: str,
) -> None:
    """A chart (or a few on one scale), its text alternative underneath (and as the charts' alt
    text), and its data as a table in an expander."""
    for i, chart in enumerate(charts if isinstance(charts, list) else [charts]):
        chart = chart.configure_legend(
            orient="bottom", direction="horizontal", titleFontSize=12, labelFontSize=12
        )
        st.altair_chart(chart, width="stretch", key=f"{key}_{i}", alt=text[:1000])
    st.markdown(f"**In words:** {escape_markdown(text)}")
    with st.expander(table_label):
        st.dataframe(table, hide_index=True, width="stretch", height=table_height(len(table)))


def table_height(rows: int, *, most: int = 30) -> int:
    """A dataframe height showing every row (up to ``most``) without an inner scroll bar."""
    return 35 * (min(rows, most) + 1) + 3


def yes_no(flag: bool) -> str:
    return "✓ Yes" if flag else "— No"


# ---------------------------------------------------------------------------
# Cached frames: keyed on each return's identity and version, not its whole text.


def _return_key(ret: AuthorityReturn) -> tuple:
    p = ret.provenance
    return (ret.round, ret.authority, p.version, str(p.submitted_at))


def cached(fn):
    """``st.cache_data`` for functions taking returns: a return hashes by round, authority and version."""
    return st.cache_data(show_spinner=False, max_entries=64, hash_funcs={AuthorityReturn: _return_key})(fn)


@cached
def caseload_frame(returns: list[AuthorityReturn], role: str, published: frozenset[str]) -> pd.DataFrame:
    return analysis.caseload_frame(returns, role, published)


@cached
def summary(returns: list[AuthorityReturn], rounds: dict) -> pd.DataFrame:
    return tables.summary_table(returns, rounds)


@cached
def matrix(returns: list[AuthorityReturn], taxonomy: str, role: str) -> pd.DataFrame:
    return tables.matrix_table(returns, taxonomy, role)


@cached
def code_shares(returns: list[AuthorityReturn], taxonomy: str, role: str) -> pd.DataFrame:
    return analysis.code_shares(returns, taxonomy, role)


# ---------------------------------------------------------------------------
# Charts

ROW_HEIGHT = 34


def _tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("Authority:N"),
        alt.Tooltip("Model:N"),
        alt.Tooltip("Answer (as reported):N", title="Answer (as reported)"),
        alt.Tooltip("As numbers:N"),
        alt.Tooltip("Unit:N", title="Counts"),
        alt.Tooltip("Reported as:N"),
        alt.Tooltip("Which children:N"),
        alt.Tooltip("Parts:N", title="Split"),
    ]


def _model_colour() -> alt.Color:
    return alt.Color("Model:N", scale=model_colour_scale(), legend=alt.Legend(title="Model"))


PANEL_WIDTH = 480


def _panel(data: pd.DataFrame, order: list[str], x_max: float, title: str, band: bool) -> alt.LayerChart:
    labels = [o for o in order if o in set(data["Label"])]
    x = alt.X("Start:Q", title="Caseload per officer", scale=alt.Scale(domain=[0, x_max], nice=False))
    y = alt.Y("Label:N", sort=labels, title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False))
    base = alt.Chart(data).encode(y=y)
    layers: list[alt.Chart] = []
    if band:
        layers.append(
            alt.Chart(pd.DataFrame({"band": [guidance.IRO_BAND_LABEL]}))
            .mark_rect(color=BAND_COLOUR, opacity=0.18)
            .encode(
                x=alt.X(datum=guidance.IRO_BAND_LOW, scale=alt.Scale(domain=[0, x_max], nice=False)),
                x2=alt.X2(datum=guidance.IRO_BAND_HIGH),
                tooltip=alt.Tooltip("band:N", title="Shaded band"),
            )
        )
        layers.append(
            alt.Chart(pd.DataFrame({"band": [guidance.IRO_BAND_LABEL]}))
            .mark_text(
                text=f"IRO Handbook: {guidance.IRO_BAND_LOW}–{guidance.IRO_BAND_HIGH} children looked after "
                "per full-time IRO",
                align="left",
                baseline="bottom",
                dy=-4,
                color="#00573F",
                fontSize=12,
            )
            .encode(x=alt.X(datum=guidance.IRO_BAND_LOW), y=alt.value(0))
        )
    intervals = data[data["Reported as"].isin([analysis.REPORTED_AS["range"], analysis.REPORTED_AS["up_to"]])]
    if not intervals.empty:
        layers.append(
            alt.Chart(intervals)
            .mark_bar(height=14, strokeWidth=1.5)
            .encode(
                x=x,
                x2="End:Q",
                y=y,
                color=_model_colour(),
                stroke=alt.Stroke("Model:N", scale=model_colour_scale(), legend=None),
                fillOpacity=alt.FillOpacity(
                    "Reported as:N",
                    scale=alt.Scale(
                        domain=[analysis.REPORTED_AS["range"], analysis.REPORTED_AS["up_to"]],
                        range=[0.55, 0.12],
                    ),
                    legend=alt.Legend(title="Bar shows"),
                ),
                strokeDash=alt.StrokeDash(
                    "Reported as:N",
                    scale=alt.Scale(
                        domain=[analysis.REPORTED_AS["range"], analysis.REPORTED_AS["up_to"]],
                        range=[[1, 0], [5, 3]],
                    ),
                    legend=None,
                ),
                tooltip=_tooltip(),
            )
        )
    layers.append(
        base.mark_point(filled=True, size=150, opacity=1, stroke="black", strokeWidth=0.6).encode(
            x=alt.X("Figure:Q", title="Caseload per officer", scale=alt.Scale(domain=[0, x_max], nice=False)),
            color=_model_colour(),
            shape=alt.Shape("Model:N", scale=model_shape_scale(), legend=alt.Legend(title="Model")),
            tooltip=_tooltip(),
        )
    )
    layers.append(
        base.transform_calculate(value_label="datum['As numbers'] + ' ' + datum['Unit short']")
        .mark_text(align="left", dx=12, fontSize=12, color="#333333")
        .encode(x=alt.X("End:Q", title="Caseload per officer"), text="value_label:N")
    )
    return alt.layer(*layers).properties(
        title=alt.TitleParams(title, anchor="start", fontSize=13),
        height=alt.Step(ROW_HEIGHT),
    )


def caseload_charts(frame: pd.DataFrame, role: str, order: list[str]) -> list[alt.LayerChart]:
    """One role's caseloads: a chart for children or cases (with the IRO band for IROs) and, where
    any authority counts families, a separate chart for families, on the same scale."""
    data = frame[frame["Figure"].notna()].copy()
    data["Unit short"] = data["Unit"].str.replace(" (unit not stated)", "", regex=False)
    data["Start"] = data["Start"].fillna(data["Figure"])
    data["End"] = data["End"].fillna(data["Figure"])
    x_max = max(float(data["End"].max()) * 1.25, 100.0) if not data.empty else 100.0
    charts = []
    for group, title in (
        ("children or cases", "Counted in children, or in cases where the answer does not say"),
        ("families", "Counted in families – not comparable with figures in children"),
    ):
        part = data[data["Unit group"] == group]
        if part.empty:
            continue
        charts.append(
            _panel(part, order, x_max, title, band=(role == "iro" and group == "children or cases"))
        )
    return charts


def model_strip_chart(frame: pd.DataFrame, role: str) -> alt.LayerChart:
    """Caseloads in children or cases grouped by model: one row per authority, models one after another."""
    data = frame[frame["Figure"].notna() & (frame["Unit group"] == "children or cases")].copy()
    data["_m"] = data["Model"].map({m: i for i, m in enumerate(analysis.MODEL_ORDER)})
    data = data.sort_values(["_m", "Figure"], ascending=[True, False]).drop(columns="_m")
    data["Row"] = data["Model"] + " · " + data["Label"]
    x_max = max(float(data["Figure"].max()) * 1.2, 100.0) if not data.empty else 100.0
    scale = alt.Scale(domain=[0, x_max], nice=False)
    layers = []
    if role == "iro":
        layers.append(
            alt.Chart(pd.DataFrame({"band": [guidance.IRO_BAND_LABEL]}))
            .mark_rect(color=BAND_COLOUR, opacity=0.18)
            .encode(
                x=alt.X(datum=guidance.IRO_BAND_LOW, scale=scale),
                x2=alt.X2(datum=guidance.IRO_BAND_HIGH),
                tooltip=alt.Tooltip("band:N", title="Shaded band"),
            )
        )
    layers.append(
        alt.Chart(data)
        .mark_point(filled=True, size=150, opacity=0.9, stroke="black", strokeWidth=0.6)
        .encode(
            x=alt.X(
                "Figure:Q", title="Caseload per officer (one figure, or the middle of a range)", scale=scale
            ),
            y=alt.Y(
                "Row:N", sort=list(data["Row"]), title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)
            ),
            color=_model_colour(),
            shape=alt.Shape("Model:N", scale=model_shape_scale(), legend=alt.Legend(title="Model")),
            tooltip=_tooltip(),
        )
    )
    return alt.layer(*layers).properties(height=alt.Step(ROW_HEIGHT - 6))
