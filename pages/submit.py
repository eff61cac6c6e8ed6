"""Submit or amend a return: unlock with the authority's code, answer, preview, save.

The flow (unlock → check and preview → save, and what happens on a conflict) lives in
``survey.submit_flow``; this page draws it.
"""

from __future__ import annotations

import streamlit as st

from analysis.filters import questionnaire_rounds
from models.questionnaire import questions
from models.safe_text import escape_markdown
from models.vocabulary import CLI
from survey import submit_flow as flow
from survey.identity import authorities_for
from survey.lifecycle import closed_messages
from survey.rounds import previous_round
from ui import form
from ui import round_questions_form as own_form
from ui.auth import acting, actor_for, current_who
from ui.commentary_form import group_peers
from ui.coordinator_rounds import deadline_line
from ui.data import authorities, current_dataset, get_store
from ui.request import client_source
from ui.return_form import carried_notice, conflict_banner, form_tab, sheet_tab, unlock_form, unlocked_banner
from ui.return_view import render_changes

STATE = "sub_state"

st.title("Submit or amend your authority's return")
store = get_store()
dataset = current_dataset()  # cached on the database's data version: no queries on a rerun
open_ids = [rid for rid in questionnaire_rounds(dataset) if dataset.rounds[rid].open_for_submissions]
rounds = {rid: dataset.rounds[rid] for rid in open_ids}  # the newest round first
for closed in closed_messages(dataset.rounds, dataset.lives, current_who().settings.contact):
    st.info(escape_markdown(closed), icon=":material/event_busy:")  # an invitation to a closed round
if not rounds:
    st.info(
        "No survey round is open for returns at the moment. The coordinator opens a round when it starts; "
        "ask them if you expected one to be open.",
        icon=":material/event_busy:",
    )
    st.stop()
state: flow.SubmitState = st.session_state.setdefault(STATE, flow.SubmitState())


def _lock() -> None:
    flow.lock(state)
    for k in [form.ANSWERS, "sub_ask_cp", *(form.key(q.path) for q in questions())]:
        st.session_state.pop(k, None)
    own_form.forget()


def _error(outcome: flow.Outcome, icon: str = ":material/error:") -> None:
    st.error(escape_markdown(f"{outcome.label}: {outcome.message}"), icon=icon)


who = current_who()
own = authorities_for(who)  # a signed-in lead's own authority: no code needed
if own and not state.unlocked:
    st.markdown(
        f"Signed in for **{escape_markdown(own[0])}**: you may submit or amend its return, and no other."
    )
    round_id = st.selectbox(
        "Survey round", list(rounds), format_func=lambda r: rounds[r].title, key="sub_round"
    )
    if st.button(f"Open {own[0]}'s return", type="primary", key="sub_open_own"):
        outcome = flow.unlock_as_lead(store, state, round_id, own[0])
        if outcome.ok:
            form.load_answers(outcome.answers or {})
            st.session_state["sub_ask_cp"] = state.ask_cp
            st.rerun()
        _error(outcome)
    st.stop()
if not state.unlocked:  # Step 1: unlock the form for one authority with its access code.
    st.markdown(
        "Each authority's lead can change **their own authority's return and no other**. "
        "Enter your authority and the access code the coordinator sent you."
    )
    round_id, authority, code, go = unlock_form(rounds, authorities)
    if go:
        with acting(who):  # a refused code is logged under who they are (or their session)
            outcome = flow.unlock(store, state, round_id, authority, code, source=client_source())
        if outcome.ok:
            form.load_answers(outcome.answers or {})
            st.session_state["sub_ask_cp"] = state.ask_cp
            st.rerun()
        _error(outcome, ":material/lock:")
    st.caption(
        f'No code? The coordinator issues one per authority and round (`{CLI} issue-code "Your authority" '
        "--round ROUND`)."
    )
    st.stop()

rnd = rounds.get(state.round_id)  # Step 2: the form (or a spreadsheet), checked as it is typed.
if rnd is None:
    st.error(
        "This round has been closed by the coordinator, so returns can no longer be saved. Your answers on this "
        "page have not been saved.",
        icon=":material/lock_clock:",
    )
    st.button("Lock the form", on_click=_lock, key="sub_lock_closed")
    st.stop()
current = dataset.get(rnd.id, state.authority)
unlocked_banner(state, rnd, deadline_line(store, rnd.id), on_lock=_lock)


def _save(ret, channel: str) -> None:
    outcome = flow.save(store, state, ret, channel, rnd.title, who=actor_for(who, code=state.code))
    if outcome.ok:
        st.rerun()
    _error(outcome, ":material/sync_problem:")
    if outcome.changes:
        st.markdown("**What changed in the version saved meanwhile**")
        render_changes(outcome.changes)


if state.conflict:
    conflict_banner(
        state.conflict,
        on_keep=lambda: flow.keep_mine(state),
        on_discard=lambda: form.load_answers(flow.discard_mine(store, state)),
    )

answers = form.answers()
carried_notice(state, flow.track_carried(state, answers))
started_from = current or (state.carry.ret if state.carry is not None else None)
state.ask_cp = answers.get("combined_role") is not True or st.session_state.get("sub_ask_cp", True)
tab_form, tab_sheet = st.tabs(["Fill in the form", "Upload a spreadsheet"])
before = previous_round(store, rnd.id)
peers = group_peers(dataset.returns, rnd.id, before.id if before else None)  # whose figures flag which
with tab_form:
    form_tab(
        state, rnd.id, current, answers, save=_save, started_from=started_from, peers=peers, own=rnd.questions
    )
with tab_sheet:
    sheet_tab(state, rnd.id, current, save=_save, started_from=started_from, own=rnd.questions)
