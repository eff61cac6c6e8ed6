"""The Coordinator page's 'Round's life' section: the state and its dates, and the next steps.

collecting → closed → shared with members → published (on a date set ahead; as it is or
anonymised); a closed or shared round reopened with a reason. Each button calls
``Store.round_step``, which checks and writes the step in one transaction; the page then reruns,
so the state, the members' states and the chase list shown are those after the step.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from models.lifecycle import CLOSED, COLLECTING, PUBLISHED, SHARED, STATE_LABELS
from models.names import PlainError
from models.returns import SurveyRound
from models.safe_text import escape_markdown
from models.uktime import uk_today
from store import Store
from survey import lifecycle as lc
from ui.shown import publication_statement

FLASH = "coord_life_flash"
DONE = {
    "share": "is shared with members: it is what they now see.",
    "publish": "is published.",
    "reopen": "is reopened: it takes returns again, and members see the round before it.",
    "provisional": "is changed: what members see follows.",
}


def _step(store: Store, rnd: SurveyRound, step: str, **fields) -> None:
    try:
        store.round_step(rnd.id, step, **fields)
    except PlainError as exc:
        st.error(escape_markdown(str(exc)), icon=":material/error:")
        return
    st.session_state[FLASH] = f"The round '{rnd.title}' {DONE[step]}"
    st.rerun()


def lifecycle_section(store: Store, rnd: SurveyRound) -> None:
    """The round's state, its dates, returns so far, and the buttons for the steps it can take."""
    if not rnd.is_questionnaire:
        return
    st.subheader("The round's life")
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(escape_markdown(flash), icon=":material/check_circle:")
    about = lc.summary(store, rnd.id)
    st.markdown(f"State: **{about.label}**.")
    st.caption(escape_markdown(about.details()))
    state = about.state
    st.caption(
        escape_markdown(
            f"Shown on the Overview: “{publication_statement()}” Change it with the setting "
            "PUBLICATION_STATEMENT."
        )
    )
    if state == COLLECTING:
        shown = st.toggle(
            "Show this round to members now, labelled provisional",
            value=about.life.provisional,
            key=f"coord_provisional_{rnd.id}",
            help="Members otherwise see the last round shared with them until this one is closed and shared.",
        )
        if shown != about.life.provisional:
            _step(store, rnd, "provisional", provisional=shown)
        st.caption("Close the round (above) when every return is in; then share it with members.")
        return
    if state == CLOSED and st.button("Share with members", key="coord_share", type="primary"):
        _step(store, rnd, "share")
    if state in (CLOSED, SHARED) and about.life.state != PUBLISHED:
        with st.form(f"coord_publish_{rnd.id}"):
            day = st.date_input(
                "Publication date",
                value=uk_today(),
                min_value=dt.date(2000, 1, 1),
                max_value=dt.date(2100, 12, 31),
                format="YYYY-MM-DD",
                key="coord_pub_on",
                help="Today, or a date ahead: until then the round is shared with members only.",
            )
            anon = st.checkbox(
                "Anonymised (each authority shown as 'Authority A', 'Authority B'…)",
                value=True,
                key="coord_pub_anon",
            )
            if st.form_submit_button("Publish"):
                _step(store, rnd, "publish", publish_on=day, anonymised=anon)
    if state in (CLOSED, SHARED):
        with st.form(f"coord_reopen_{rnd.id}"):
            reason = st.text_input("Reason for reopening", key="coord_reopen_reason", max_chars=300)
            if st.form_submit_button("Reopen the round"):
                _step(store, rnd, "reopen", reason=reason)
    if state == PUBLISHED:
        st.caption(f"{STATE_LABELS[PUBLISHED]}: a published round cannot be reopened.")
