"""Submit or amend a return: unlock with the authority's code, answer, preview, save.

The flow (unlock → check and preview → save, and what happens on a conflict) lives in
``dashboard.submit_flow``; this page draws it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import submit_flow as flow
from dashboard.diff import diff_returns
from dashboard.loading import slugify
from dashboard.safe_text import escape_markdown
from dashboard.submission import build_return, field_problems
from dashboard.template import read_template, template_workbook
from models.questionnaire import questions
from models.vocabulary import plural
from ui import form
from ui.coordinator_rounds import deadline_line
from ui.data import authorities, current_dataset, get_store
from ui.render import XLSX_MIME, download_bytes_button
from ui.return_form import conflict_banner, preview, problems_list, return_form, unlock_form
from ui.return_view import render_changes

STATE = "sub_state"

st.title("Submit or amend your authority's return")
store = get_store()
dataset = current_dataset()  # cached on the database's data version: no queries on a rerun
rounds = {r.id: r for r in dataset.rounds.values() if r.is_questionnaire and r.open_for_submissions}
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


def _error(outcome: flow.Outcome, icon: str = ":material/error:") -> None:
    st.error(escape_markdown(f"{outcome.label}: {outcome.message}"), icon=icon)


if not state.unlocked:  # Step 1: unlock the form for one authority with its access code.
    st.markdown(
        "Each authority's lead can change **their own authority's return and no other**. "
        "Enter your authority and the access code the coordinator sent you."
    )
    round_id, authority, code, go = unlock_form(rounds, authorities)
    if go:
        outcome = flow.unlock(store, state, round_id, authority, code)
        if outcome.ok:
            form.load_answers(outcome.answers or {})
            st.session_state["sub_ask_cp"] = state.ask_cp
            st.rerun()
        _error(outcome, ":material/lock:")
    st.caption(
        'No code? The coordinator issues one per authority and round (`python cli.py issue-code "Your authority" '
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
top = st.columns([3, 1])
amending = (
    f"You are amending version {state.base_version}."
    if state.base_version
    else "This will be its first return."
)
top[0].success(
    f"Unlocked for **{escape_markdown(state.authority)}** in *{escape_markdown(rnd.title)}*. {amending}",
    icon=":material/lock_open:",
)
top[1].button(
    "Lock the form", on_click=_lock, key="sub_lock", help="Forget the code and your unsaved answers."
)
if state.flash:
    st.success(escape_markdown(state.flash), icon=":material/check_circle:")
    state.flash = None
due = deadline_line(store, rnd.id)
if due:
    st.markdown(f"**Deadline.** {escape_markdown(due)}")


def carried_unchanged(state: flow.SubmitState) -> None:
    """Each answer still as carried forward: 'carried forward from <round title>; unchanged'."""
    notes = [(q.full_question, flow.carried_note(state, q.path)) for q in questions()]
    notes = [(q, n) for q, n in notes if n]
    if notes:
        st.markdown("### Answers carried forward")
        st.dataframe(
            pd.DataFrame(notes, columns=["Question", "Answer"]),
            hide_index=True,
            width="stretch",
            key="sub_carried",
        )


def _save(ret, channel: str) -> None:
    outcome = flow.save(store, state, ret, channel, rnd.title)
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
carried = flow.track_carried(state, answers)
if carried:
    st.info(
        escape_markdown(
            f"{len(carried)} answers are carried forward from {state.carry.round_title}, your last return. "
            "Check each one and change what has changed; saving confirms the rest."
        ),
        icon=":material/history:",
    )
started_from = current or (state.carry.ret if state.carry is not None else None)
state.ask_cp = answers.get("combined_role") is not True or st.session_state.get("sub_ask_cp", True)
tab_form, tab_sheet = st.tabs(["Fill in the form", "Upload a spreadsheet"])
with tab_form:
    full = build_return(
        answers, authority=state.authority, round_id=rnd.id, base=current, ask_cp_chair=state.ask_cp
    )
    if state.checked:
        messages = {p.path: p.message for p in reversed(full.problems)}
    else:
        messages = field_problems(
            answers, authority=state.authority, round_id=rnd.id, ask_cp_chair=state.ask_cp
        )
    return_form(answers, messages, ask_cp=state.ask_cp)
    st.divider()
    if st.button("Check and preview", type="primary", key="sub_preview"):
        flow.check(state, answers, full.ok)
        if not full.ok:
            st.rerun()  # show every message beside its question
    status = flow.preview_status(state, answers, full.ok)
    if status == "problems":
        n = len(full.problems)
        needs = f"{n} answer needs" if n == 1 else f"{n} answers need"
        problems_list(
            f"Nothing has been saved: {needs} attention. Each is marked beside its question:", full.problems
        )
    elif status == "stale":
        st.info("You have changed answers since the preview. Check and preview again before saving.")
    elif status == "ready":
        preview(full.ret, diff_returns(started_from, full.ret))
        carried_unchanged(state)
        if st.button("Save this return", type="primary", key="sub_save"):
            _save(full.ret, "form")

with tab_sheet:
    st.markdown(
        "Prefer a spreadsheet? Download the template (filled in with your current return), answer in the "
        "`answer` column, and upload it here. It is checked exactly like the form."
    )
    download_bytes_button(
        "Download the return template (.xlsx)",
        template_workbook(rnd.id, state.authority, started_from),
        f"return-template-{slugify(state.authority)}-{rnd.id}.xlsx",
        XLSX_MIME,
        key="sub_template",
    )
    upload = st.file_uploader("Upload your filled template (.xlsx)", type=["xlsx"], key="sub_upload")
    if upload is not None:
        result = read_template(upload.getvalue(), round_id=rnd.id, authority=state.authority, base=current)
        if not result.ok:
            n = plural(len(result.problems), "problem")
            problems_list(f"Nothing has been saved: the spreadsheet has {n}.", result.problems)
        else:
            preview(result.ret, diff_returns(started_from, result.ret))
            if st.button("Save the uploaded return", type="primary", key="sub_save_upload"):
                _save(result.ret, "upload")
