"""Quality assurance inputs: authorities by activity, and the sentences behind each mark."""

from __future__ import annotations

import streamlit as st

from dashboard import analysis
from models.returns import ROLE_LABELS
from ui import components as c
from ui.download import download_view_button
from ui.filters import require_returns, sidebar_filters

st.title("Quality assurance inputs")
st.caption(
    "Which formal quality assurance activities each authority reports, and how it evidences impact. "
    "Each mark is coded from the authority's own answer: choose an activity (or click a cell) to read "
    "the sentences behind it."
)
state = sidebar_filters()
require_returns(state)

TAXONOMY_TITLES = {"qa": "Quality assurance activities", "impact": "How impact is evidenced"}
taxonomy = st.radio(
    "Show",
    list(TAXONOMY_TITLES),
    format_func=TAXONOMY_TITLES.get,
    key="qa_taxonomy",
    horizontal=True,
)
labels = analysis.code_labels(taxonomy)
by_label = {v: k for k, v in labels.items()}
st.caption(
    "✓ Yes: the authority's answer describes it. — No: it does not (which may mean it was not mentioned)."
)


def _selected_cell(event) -> tuple[int, str] | None:
    try:
        cells = event.selection.get("cells", []) if event else []
    except AttributeError:
        return None
    if not cells:
        return None
    cell = cells[0]
    if isinstance(cell, dict):
        return cell.get("row"), cell.get("column")
    return cell[0], cell[1]


downloads = {}
for role in state.filters.roles:
    who = ROLE_LABELS[role]
    st.header(f"{who}: {TAXONOMY_TITLES[taxonomy].lower()}")
    shown = c.marked_matrix(state, taxonomy, role)
    if shown.empty:
        c.empty_state(
            f"None of the returns shown answered the {who} questions. Combined-role authorities often "
            "answered once, in the IRO section: choose the IRO role or both roles in the sidebar."
        )
        continue
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-cell",
        height=c.table_height(len(shown)),
        key=f"qa_matrix_{taxonomy}_{role}",
        column_config={"Authority": st.column_config.TextColumn(pinned=True)},
    )
    downloads[f"{who} {TAXONOMY_TITLES[taxonomy]}"] = shown

    picked = _selected_cell(event)
    default_label = None
    picked_authority = None
    if picked and picked[1] in by_label and picked[0] is not None and picked[0] < len(shown):
        default_label = picked[1]
        picked_authority = shown.iloc[picked[0]]["Authority"]
    options = list(labels.values())
    key = f"qa_pick_{taxonomy}_{role}"
    if default_label is not None and st.session_state.get(f"{key}_cell") != (picked_authority, default_label):
        st.session_state[key] = default_label
        st.session_state[f"{key}_cell"] = (picked_authority, default_label)
    label = st.selectbox(
        f"Read the sentences behind an {'activity' if taxonomy == 'qa' else 'kind of evidence'} ({who})",
        options,
        index=None,
        placeholder="Choose one…",
        key=key,
    )
    if label is None:
        st.caption("Choose one above, or click a cell of the table.")
        continue
    code = by_label[label]
    details = analysis.code_detail(state.returns, taxonomy, role, code, state.published_rounds)
    reporting = [d for d in details if d.reports]
    others = [d.authority for d in details if not d.reports]
    if picked_authority:
        reporting.sort(key=lambda d: d.authority != picked_authority)
    st.markdown(
        f"**{c.escape_markdown(label)}**: {len(reporting)} of "
        f"{analysis.plural(len(details), 'authority')} report it."
    )
    definition = next(x.definition for x in analysis.TAXONOMIES[taxonomy][1] if x.code == code)
    st.caption(f"What counts: {c.escape_markdown(definition)}")
    for d in reporting:
        with st.container(border=True):
            st.markdown(f"**{c.escape_markdown(d.authority)}**")
            if d.sentences:
                for sentence in d.sentences:
                    c.plain(sentence)
            else:
                st.caption(
                    "No supporting sentence was recorded for this mark. Read the full answer below, or "
                    "open the authority on the 'Authorities side by side' page."
                )
                with st.expander("Full answer"):
                    c.plain(d.full_answer)
    if others:
        st.markdown("**Does not report it:** " + c.escape_markdown(", ".join(others)))
    if picked_authority in others:
        answer = next(d.full_answer for d in details if d.authority == picked_authority)
        with st.expander(f"{picked_authority}'s full answer, to check", expanded=True):
            c.plain(answer)

if downloads:
    download_view_button(
        "Quality assurance inputs",
        [state.description],
        downloads,
        key="dl_qa",
        view=f"{state.key}|{taxonomy}",
    )
