"""Overview: the headline figures and every return in one table."""

from __future__ import annotations

import streamlit as st

from dashboard import analysis
from ui import components as c
from ui.download import download_view_button
from ui.filters import require_returns, sidebar_filters

st.title("Overview")
st.caption(
    "How authorities organise their Independent Reviewing Officers (IROs) and Child Protection (CP) "
    "chairs: combined or separate roles, caseloads, quality assurance and impact. Use the filters in "
    "the sidebar; every page follows them, and the address bar holds them so you can share the view."
)

state = sidebar_filters(show_role=False)
require_returns(state)
returns = state.returns
rounds = [state.dataset.rounds[r] for r in dict.fromkeys(r.round for r in returns)]
for rnd in rounds:
    when = rnd.held_on_text or (rnd.held_on.isoformat() if rnd.held_on else "date not stated")
    st.markdown(f"**{c.escape_markdown(rnd.title)}** – {c.escape_markdown(when)}")

head = c.headline(state)
cols = st.columns(4 if head.not_stated else 3)
cols[0].metric("Authorities", head.authorities)
cols[1].metric(
    "Combined role", head.combined, help="The same officers review care plans and chair CP conferences."
)
cols[2].metric("Separate roles", head.separate)
if head.not_stated:
    cols[3].metric(
        "Model not stated", head.not_stated, help="The source does not say whether the roles are combined."
    )

MEDIAN_HELP = (
    "Each authority counts once: its single figure, or the midpoint of its range, or N where it says "
    "'up to N'. Figures in children and figures where the answer does not say (cases) are summarised "
    "together; figures in families are never mixed with them and are shown separately."
)


def _median_metric(col, role: str, medians: list[analysis.Median]) -> None:
    who = "IRO" if role == "iro" else "CP chair"
    main = next((m for m in medians if m.unit_group == "children or cases"), None)
    if main is None:
        col.metric(f"Median {who} caseload", "–", help=MEDIAN_HELP)
        col.caption("No figure in children or cases under these filters.")
    else:
        col.metric(
            f"Median {who} caseload (children or cases)",
            analysis.format_figure(main.median),
            help=MEDIAN_HELP,
        )
        col.caption(f"Per officer, from {main.n} authorit{'y' if main.n == 1 else 'ies'}.")
    for m in medians:
        if m.unit_group == "families":
            col.caption(
                f"Counted in families, kept apart: median {analysis.format_figure(m.median)} families "
                f"({', '.join(m.authorities)})."
            )


mcols = st.columns(2)
_median_metric(mcols[0], "iro", head.iro)
_median_metric(mcols[1], "cp_chair", head.cp_chair)
st.caption(
    "Medians count each authority once, using its single figure or the midpoint of its range "
    "('up to N' counts as N). Caseloads in children and those that do not say what they count (cases) "
    "are summarised together; caseloads in families are never mixed in."
)
if head.published:
    st.caption(
        f"{head.published} of these are published service descriptions, not questionnaire answers; "
        "they are marked in the table."
    )

st.header("Every return")
columns = ["Authority", "Model"]
if state.filters.include_published:
    columns += ["Kind"]
if sum(r.is_questionnaire for r in rounds) > 1:
    columns += ["Round"]
for who in ("IRO", "CP chair"):
    columns += [f"{who} caseload (as reported)", f"{who} low", f"{who} high", f"{who} unit"]
shown = c.summary(state, columns)
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    height=c.table_height(len(shown)),
    column_config={
        "IRO caseload (as reported)": st.column_config.TextColumn(width="large"),
        "CP chair caseload (as reported)": st.column_config.TextColumn(width="large"),
    },
)
st.caption(
    "'As reported' is the answer in the authority's words. Low and high are the numbers read from it: "
    "one figure gives the same low and high; 'up to N' has no low. The unit says what is counted: "
    "children, families, or cases where the answer does not say."
)
download_view_button(
    "Overview", [state.description], {"Returns": shown}, key="dl_overview", view=f"{state.key}|{columns}"
)
