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

from dashboard import analysis, tables
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


def chart_block(chart: alt.Chart, text: str, table: pd.DataFrame, *, table_label: str, key: str) -> None:
    """A chart, its text alternative underneath, and its data as a table in an expander."""
    st.altair_chart(chart, width="stretch", key=key)
    st.markdown(f"**In words:** {escape_markdown(text)}")
    with st.expander(table_label):
        st.dataframe(table, hide_index=True, width="stretch")


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
