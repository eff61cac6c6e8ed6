"""One return as members read it, and the changes between two versions.

Used by the Submit page's preview and the Coordinator page, so a lead sees
their return exactly as it will be shown. Authorities' text always goes
through ``ui.components.plain`` (escaped, inert).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.diff import Change
from models.returns import NARRATIVE_FIELDS, POPULATION_LABELS, ROLE_LABELS, AuthorityReturn, RoleSection
from models.taxonomy import IMPACT_BY_CODE, QA_BY_CODE
from ui.components import plain

ROLE_HEADINGS = {"iro": "IRO role", "cp_chair": "CP chairs"}


def _section(section: RoleSection) -> None:
    c = section.caseload
    st.markdown("**Case holding**")
    if c is None:
        st.caption("Not stated.")
    else:
        plain(c.text)
        numbers = c.as_numbers()
        if numbers:
            population = POPULATION_LABELS.get(c.population or "", "not stated")
            st.caption(f"As numbers: {numbers} {c.unit} · population: {population}")
            for part in c.parts:
                lo_hi = f"{part.low}–{part.high}" if part.low != part.high else str(part.low)
                st.caption(f"Part: {part.label}: {lo_hi}")
    for name in NARRATIVE_FIELDS:
        st.markdown(f"**{RoleSection.model_fields[name].title}**")
        plain(getattr(section, name))
    qa = [QA_BY_CODE[c].label for c in section.qa_activities]
    ev = [IMPACT_BY_CODE[c].label for c in section.impact_evidence]
    st.markdown("**Formal QA inputs:** " + ("; ".join(qa) if qa else "none chosen"))
    st.markdown("**How impact is evidenced:** " + ("; ".join(ev) if ev else "none chosen"))


def render_return(ret: AuthorityReturn) -> None:
    """The whole return: model, each role's answers and codes, workforce, notes."""
    st.markdown(f"**Combined role (IRO & CP Chair):** {ret.model_label}")
    cols = st.columns(2)
    for col, (role, section) in zip(cols, ret.sections(), strict=False):
        with col, st.container(border=True):
            st.markdown(f"#### {ROLE_HEADINGS[role]}")
            _section(section)
    if ret.cp_chair is None:
        with cols[1], st.container(border=True):
            st.markdown(f"#### {ROLE_HEADINGS['cp_chair']}")
            st.caption("Not answered: one section for the combined role.")
    w = ret.workforce
    if w.iro_fte is not None or w.cp_chair_fte is not None:
        st.markdown(
            f"**Workforce:** IROs {w.iro_fte if w.iro_fte is not None else 'not stated'} FTE; "
            f"CP chairs {w.cp_chair_fte if w.cp_chair_fte is not None else 'not stated'} FTE"
        )
    if ret.notes:
        st.markdown("**Data-quality notes**")
        for note in ret.notes:
            plain(note)


def changes_table(changes: list[Change]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Question": c.question, "Before": c.before_text, "After": c.after_text} for c in changes],
        columns=["Question", "Before", "After"],
    )


def render_changes(changes: list[Change], *, none: str = "No answers differ.") -> None:
    if not changes:
        st.caption(none)
        return
    st.dataframe(changes_table(changes), hide_index=True, width="stretch")


__all__ = ["ROLE_LABELS", "changes_table", "render_changes", "render_return"]
