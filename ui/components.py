"""Small Streamlit pieces the comparison pages share.

The rule for authorities' text: it is always shown through ``plain`` (or
``plain_highlighted``), which escapes every Markdown and HTML character first
(``dashboard.safe_text.escape_markdown``), so nothing an authority wrote can
change the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from dashboard import analysis, guidance, tables
from dashboard.safe_text import escape_markdown
from dashboard.search import highlight
from models.returns import AuthorityReturn

if TYPE_CHECKING:  # altair is imported where a chart is built (1–2 s at start-up otherwise)
    import altair as alt

    from ui.filters import FilterState

#: Okabe–Ito colour-blind-safe colours, one per model, always paired with a shape.
MODEL_COLOURS = {"Combined": "#0072B2", "Separate": "#E69F00", "Not stated": "#7F7F7F"}
MODEL_SHAPES = {"Combined": "circle", "Separate": "square", "Not stated": "diamond"}
BAND_COLOUR = "#009E73"


def model_colour_scale() -> alt.Scale:
    import altair as alt

    return alt.Scale(domain=list(MODEL_COLOURS), range=list(MODEL_COLOURS.values()))


def model_shape_scale() -> alt.Scale:
    import altair as alt

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
    specs: dict[str, Any] | list[dict[str, Any]],
    text: str,
    table: pd.DataFrame,
    *,
    table_label: str,
    key: str,
) -> None:
    """A chart (or a few on one scale), its text alternative underneath (and as the charts' alt
    text), and its data as a table in an expander.

    ``specs`` are Vega-Lite specs from ``chart_spec`` (built once per data and cached), so a
    rerun draws them without rebuilding or re-validating the charts.
    """
    for i, spec in enumerate(specs if isinstance(specs, list) else [specs]):
        st.vega_lite_chart(spec=dict(spec), width="stretch", key=f"{key}_{i}", alt=text[:1000])
    st.markdown(f"**In words:** {escape_markdown(text)}")
    with st.expander(table_label):
        st.dataframe(table, hide_index=True, width="stretch", height=table_height(len(table)))


def chart_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """An Altair chart as the Vega-Lite spec ``st.altair_chart`` would send (legend at the bottom).

    Done once per data by the cached builders below: converting and validating a layered chart
    is most of a rerun otherwise.
    """
    chart = chart.configure_legend(
        orient="bottom", direction="horizontal", titleFontSize=12, labelFontSize=12
    )
    try:  # Streamlit's own conversion: the data as Arrow datasets, its theme settings
        from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
    except ImportError:  # a Streamlit without it: plain Vega-Lite, data inline
        import altair as alt

        with alt.theme.enable("none"):
            return chart.to_dict()
    return _convert_altair_to_vega_lite_spec(chart)


def table_height(rows: int, *, most: int = 30) -> int:
    """A dataframe height showing every row (up to ``most``) without an inner scroll bar."""
    return 35 * (min(rows, most) + 1) + 3


def yes_no(flag: bool) -> str:
    return "✓ Yes" if flag else "— No"


# ---------------------------------------------------------------------------
# Cached views: keyed on ``FilterState.key`` (a token for the data set and the filters, one
# short string) and small options; the returns are passed unhashed (``_``-prefixed). A rerun
# neither hashes nor recomputes anything per return, and gets the very objects built the first
# time (``st.cache_resource``: no copy to unpickle), so callers treat them as read-only.


def _view_cache(fn):
    # The cached functions take keyword-only arguments: Streamlit looks up the name of each
    # positional argument with inspect.signature on every call, a cost on every rerun.
    return st.cache_resource(show_spinner=False, max_entries=128)(fn)


@_view_cache
def _caseload_frame(*, view: str, role: str, _returns: list[AuthorityReturn], _published: frozenset[str]):
    return analysis.caseload_frame(_returns, role, _published)


def caseload_frame(state: FilterState, role: str) -> pd.DataFrame:
    """``analysis.caseload_frame`` for the returns the filters select (read-only)."""
    return _caseload_frame(
        view=state.key, role=role, _returns=state.returns, _published=state.published_rounds
    )


@_view_cache
def _summary(*, view: str, _returns: list[AuthorityReturn], _rounds: dict) -> pd.DataFrame:
    return tables.summary_table(_returns, _rounds)


@_view_cache
def _summary_columns(
    *, view: str, columns: tuple[str, ...], _returns: list[AuthorityReturn], _rounds: dict
) -> pd.DataFrame:
    return _summary(view=view, _returns=_returns, _rounds=_rounds)[list(columns)]


def summary(state: FilterState, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """``tables.summary_table`` of the returns the filters select, or those of its ``columns``
    (read-only)."""
    if columns is None:
        return _summary(view=state.key, _returns=state.returns, _rounds=state.dataset.rounds)
    return _summary_columns(
        view=state.key, columns=tuple(columns), _returns=state.returns, _rounds=state.dataset.rounds
    )


@_view_cache
def _matrix(*, view: str, taxonomy: str, role: str, _returns: list[AuthorityReturn]) -> pd.DataFrame:
    return tables.matrix_table(_returns, taxonomy, role)


def matrix(state: FilterState, taxonomy: str, role: str) -> pd.DataFrame:
    """``tables.matrix_table`` of the returns the filters select (read-only)."""
    return _matrix(view=state.key, taxonomy=taxonomy, role=role, _returns=state.returns)


@_view_cache
def _headline(*, view: str, _returns: list[AuthorityReturn], _published: frozenset[str]) -> analysis.Headline:
    return analysis.headline(_returns, _published)


def headline(state: FilterState) -> analysis.Headline:
    """``analysis.headline`` of the returns the filters select."""
    return _headline(view=state.key, _returns=state.returns, _published=state.published_rounds)


@_view_cache
def _authorities_by_model(*, view: str, _returns: list[AuthorityReturn], _published: frozenset[str]):
    return analysis.authorities_by_model(_returns, _published)


def authorities_by_model(state: FilterState) -> dict[str, list[str]]:
    """``analysis.authorities_by_model`` of the returns the filters select (read-only)."""
    return _authorities_by_model(view=state.key, _returns=state.returns, _published=state.published_rounds)


@dataclass(frozen=True)
class ModelGroups:
    """The authorities in each model group, as the Combined or separate page shows them."""

    names: dict[str, list[str]]  # model -> authorities (published descriptions marked)
    lists: dict[str, str]  # model -> the names as an escaped Markdown list
    table: pd.DataFrame  # one row per authority: Model, Authority


@_view_cache
def _model_groups(*, view: str, _returns: list[AuthorityReturn], _published: frozenset[str]) -> ModelGroups:
    names = _authorities_by_model(view=view, _returns=_returns, _published=_published)
    return ModelGroups(
        names,
        {m: "\n".join(f"- {escape_markdown(n)}" for n in group) for m, group in names.items()},
        pd.DataFrame([{"Model": m, "Authority": n} for m, group in names.items() for n in group]),
    )


def model_groups(state: FilterState) -> ModelGroups:
    """``analysis.authorities_by_model`` with each group as a Markdown list and as a table (read-only)."""
    return _model_groups(view=state.key, _returns=state.returns, _published=state.published_rounds)


@_view_cache
def _shares(
    *, view: str, taxonomy: str, role: str, _returns: list[AuthorityReturn]
) -> tuple[pd.DataFrame, str]:
    shares = analysis.code_shares(_returns, taxonomy, role)
    return analysis.shares_table(shares), analysis.shares_text(shares, taxonomy)


def shares(state: FilterState, taxonomy: str, role: str) -> tuple[pd.DataFrame, str]:
    """``analysis.shares_table`` of ``code_shares`` and its text alternative (``shares_text``)."""
    return _shares(view=state.key, taxonomy=taxonomy, role=role, _returns=state.returns)


# ---------------------------------------------------------------------------
# Charts

ROW_HEIGHT = 34


def _tooltip() -> list[alt.Tooltip]:
    import altair as alt

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
    import altair as alt

    return alt.Color("Model:N", scale=model_colour_scale(), legend=alt.Legend(title="Model"))


PANEL_WIDTH = 480


def _panel(data: pd.DataFrame, order: list[str], x_max: float, title: str, band: bool) -> alt.LayerChart:
    import altair as alt

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
    import altair as alt

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


# ---------------------------------------------------------------------------
# Whole chart views, built once per data, filters and options (see "Cached views" above).

#: The columns of a role's caseload table (the chart's data as a table).
CASELOAD_TABLE_COLUMNS = [
    "Authority",
    "Model",
    "Answer (as reported)",
    "As numbers",
    "Unit",
    "Which children",
    "Parts",
    "Figure",
]


def caseload_table(frame: pd.DataFrame, role: str) -> pd.DataFrame:
    """The table under a role's caseload chart: each answer as reported, its numbers and the figure
    compared (for IROs, whether it is within the IRO Handbook band)."""
    table = frame[CASELOAD_TABLE_COLUMNS + (["Within IRO Handbook band"] if role == "iro" else [])].rename(
        columns={"Figure": "Figure compared"}
    )
    if role == "iro":
        table = table.assign(
            **{
                "Within IRO Handbook band": table["Within IRO Handbook band"].map(
                    lambda v: "Not comparable (families)" if pd.isna(v) else yes_no(bool(v))
                )
            }
        )
    return table


@dataclass(frozen=True)
class CaseloadView:
    """What the Caseloads page draws for one role."""

    answered: bool  # some return shown answered the role's questions
    specs: list[dict[str, Any]]  # Vega-Lite specs; empty when no figure is stated
    text: str  # the charts' text alternative
    table: pd.DataFrame | None  # the charts' data as a table
    missing: list[str]  # labels of the returns that give no figure


@_view_cache
def _caseload_view(
    *, view: str, role: str, sort: str, _returns: list[AuthorityReturn], _published: frozenset[str]
) -> CaseloadView:
    frame = _caseload_frame(view=view, role=role, _returns=_returns, _published=_published)
    if frame.empty:
        return CaseloadView(False, [], "", None, [])
    missing = list(frame[frame["Figure"].isna()]["Label"])
    if not frame["Figure"].notna().any():
        return CaseloadView(True, [], "", None, missing)
    order = analysis.sort_caseloads(frame, sort)
    specs = [chart_spec(chart) for chart in caseload_charts(frame, role, order)]
    return CaseloadView(
        True, specs, analysis.caseload_text(frame, role), caseload_table(frame, role), missing
    )


def caseload_view(state: FilterState, role: str, sort: str) -> CaseloadView:
    """A role's caseload charts (as specs), text alternative, table and missing figures."""
    return _caseload_view(
        view=state.key, role=role, sort=sort, _returns=state.returns, _published=state.published_rounds
    )


@dataclass(frozen=True)
class ModelCaseloadView:
    """What the Combined or separate page draws for one role's caseloads."""

    answered: bool  # some return shown answered the role's questions
    summary: pd.DataFrame  # ``analysis.caseload_by_model``
    text: str  # its text alternative
    spec: dict[str, Any] | None  # the strip chart by model; None when no figure is stated
    families: str  # figures in families, left out of the chart ("" if none)


@_view_cache
def _model_caseload_view(
    *, view: str, role: str, _returns: list[AuthorityReturn], _published: frozenset[str]
) -> ModelCaseloadView:
    frame = _caseload_frame(view=view, role=role, _returns=_returns, _published=_published)
    summary = analysis.caseload_by_model(_returns, role)
    if frame.empty or summary.empty:
        return ModelCaseloadView(not frame.empty, summary, "", None, "")
    families = frame[(frame["Unit group"] == "families") & frame["Figure"].notna()]
    note = "; ".join(
        f"{r['Authority']} ({r['Model'].lower()}): {r['As numbers']} families" for _, r in families.iterrows()
    )
    return ModelCaseloadView(
        True,
        summary,
        analysis.caseload_by_model_text(summary, role),
        chart_spec(model_strip_chart(frame, role)),
        note,
    )


def model_caseload_view(state: FilterState, role: str) -> ModelCaseloadView:
    """A role's caseloads by model: the summary table, its text, the strip chart and families apart."""
    return _model_caseload_view(
        view=state.key, role=role, _returns=state.returns, _published=state.published_rounds
    )


@_view_cache
def _marked_matrix(
    *, view: str, taxonomy: str, role: str, _returns: list[AuthorityReturn], _published: frozenset[str]
) -> pd.DataFrame:
    shown = _matrix(view=view, taxonomy=taxonomy, role=role, _returns=_returns).copy()
    if shown.empty:
        return shown
    shown["Authority"] = [
        analysis.display_name(r, _published) for r in _returns if getattr(r, role) is not None
    ]
    for label in analysis.code_labels(taxonomy).values():
        shown[label] = shown[label].map(yes_no)
    return shown


def marked_matrix(state: FilterState, taxonomy: str, role: str) -> pd.DataFrame:
    """``matrix`` as members read it: authorities named (published descriptions marked) and each
    code '✓ Yes' or '— No'. Empty when no return shown answered the role (read-only)."""
    return _marked_matrix(
        view=state.key,
        taxonomy=taxonomy,
        role=role,
        _returns=state.returns,
        _published=state.published_rounds,
    )
