"""Submit or amend a return: unlock with the authority's code, answer, preview, save."""

from __future__ import annotations

import hashlib
import json

import streamlit as st

from dashboard.access import AccessError, verify_code
from dashboard.diff import diff_returns
from dashboard.loading import slugify
from dashboard.safe_text import escape_markdown
from dashboard.storage import ConflictError, StorageError
from dashboard.submission import (
    SUBMITTER_ROLE,
    build_return,
    describe_proposal,
    field_problems,
    proposal_answers,
    proposal_for,
    starting_answers,
)
from dashboard.template import read_template, template_workbook
from models.questionnaire import by_path, questions
from models.returns import ROLE_LABELS
from ui import form
from ui.data import authorities, current_dataset, get_store
from ui.download import download_bytes_button
from ui.return_view import render_changes, render_return

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNLOCKED = "sub_unlocked"  # {"round": id, "authority": name}
BASE = "sub_base_version"
CHECKED = "sub_checked"  # the lead has asked to check the whole return at least once
PREVIEW = "sub_preview_sig"
FLASH = "sub_flash"
CONFLICT = "sub_conflict"

st.title("Submit or amend your authority's return")
store = get_store()
dataset = current_dataset()  # cached on the database's data version: no queries on a rerun

rounds = [r for r in dataset.rounds.values() if r.is_questionnaire and r.open_for_submissions]
if not rounds:
    st.info(
        "No survey round is open for returns at the moment. The coordinator opens a round when "
        "it starts; ask them if you expected one to be open.",
        icon=":material/event_busy:",
    )
    st.stop()


def _lock() -> None:
    for k in [UNLOCKED, BASE, CHECKED, PREVIEW, CONFLICT, form.ANSWERS, "sub_ask_cp"]:
        st.session_state.pop(k, None)
    for q in questions():
        st.session_state.pop(form.key(q.path), None)


unlocked = st.session_state.get(UNLOCKED)

# ---------------------------------------------------------------------------
# Step 1: unlock the form for one authority with its access code.

if unlocked is None:
    st.markdown(
        "Each authority's lead can change **their own authority's return and no other**. "
        "Enter your authority and the access code the coordinator sent you."
    )
    round_titles = {r.id: r.title for r in rounds}
    with st.form("unlock"):
        round_id = st.selectbox(
            "Survey round", list(round_titles), format_func=round_titles.get, key="sub_round"
        )
        known = authorities(round_id)
        authority = st.selectbox(
            "Your authority",
            known,
            index=None,
            key="sub_authority",
            accept_new_options=True,
            placeholder="Choose or type your authority's name",
            help="Choose from the list, or type the name the coordinator used when issuing your code.",
        )
        code = st.text_input(
            "Access code",
            type="password",
            key="sub_code",
            help="Twelve letters and digits, for example ABCD-EFGH-JKMN.",
        )
        go = st.form_submit_button("Unlock the form", type="primary")
    if go:
        if not authority or not authority.strip():
            st.error("Your authority: choose or type your authority's name.", icon=":material/error:")
        elif not code or not code.strip():
            st.error("Access code: enter the code the coordinator sent you.", icon=":material/error:")
        else:
            name = store.resolve_authority(authority, round_id) or " ".join(authority.split())
            try:
                verify_code(store, round_id, name, code)
            except AccessError as exc:
                st.error(f"Access code: {exc}", icon=":material/lock:")
            except StorageError as exc:
                st.error(str(exc), icon=":material/cloud_off:")
            else:
                current = store.current(round_id, name)
                st.session_state[UNLOCKED] = {"round": round_id, "authority": name}
                st.session_state[BASE] = current.provenance.version if current else None
                form.load_answers(starting_answers(current))
                st.session_state["sub_ask_cp"] = current is None or current.cp_chair is not None
                st.rerun()
    st.caption(
        "No code? The coordinator issues one per authority and round "
        '(`python cli.py issue-code "Your authority" --round ROUND`).'
    )
    st.stop()

# ---------------------------------------------------------------------------
# Step 2: the form (or a spreadsheet), checked as it is typed.

round_id, authority = unlocked["round"], unlocked["authority"]
rnd = next((r for r in rounds if r.id == round_id), None)
if rnd is None:
    st.error(
        "This round has been closed by the coordinator, so returns can no longer be saved. "
        "Your answers on this page have not been saved.",
        icon=":material/lock_clock:",
    )
    st.button("Lock the form", on_click=_lock, key="sub_lock_closed")
    st.stop()

current = dataset.get(round_id, authority)
base_version = st.session_state.get(BASE)

top = st.columns([3, 1])
with top[0]:
    st.success(
        f"Unlocked for **{authority}** in *{rnd.title}*. "
        + (f"You are amending version {base_version}." if base_version else "This will be its first return."),
        icon=":material/lock_open:",
    )
with top[1]:
    st.button(
        "Lock the form", on_click=_lock, key="sub_lock", help="Forget the code and your unsaved answers."
    )

if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH), icon=":material/check_circle:")

answers = form.answers()
ask_cp = answers.get("combined_role") is not True or st.session_state.get("sub_ask_cp", True)


def _use_proposal(prefix: str) -> None:
    text = form.answers().get(f"{prefix}.text")
    form.set_answers(proposal_answers(prefix, proposal_for(text)))


def _caseload(role: str, messages: dict[str, str]) -> None:
    prefix = f"{role}.caseload"
    q = by_path()
    form.widget(q[f"{prefix}.text"], message=messages.get(f"{prefix}.text"))
    proposal = proposal_for(answers.get(f"{prefix}.text"))
    hint = describe_proposal(proposal)
    if hint:
        c1, c2 = st.columns([3, 1])
        c1.caption(f"From your answer we read: **{hint}**. Check the numbers below, or use these.")
        c2.button("Use these figures", key=f"sub_propose_{role}", on_click=_use_proposal, args=(prefix,))
    cols = st.columns(4)
    for col, name in zip(cols, ["low", "high", "unit", "population"], strict=True):
        with col:
            form.widget(q[f"{prefix}.{name}"], message=messages.get(f"{prefix}.{name}"))
    with st.expander("Split caseload (only if your figure is split by population)"):
        st.caption("The whole caseload above should be the sum of the parts.")
        for i in range(3):
            cols = st.columns([2, 1, 1, 2])
            for col, name in zip(cols, ["label", "low", "high", "population"], strict=True):
                path = f"{prefix}.parts.{i}.{name}"
                with col:
                    form.widget(
                        q[path], label=f"Part {i + 1}: {q[path].question}", message=messages.get(path)
                    )


def _section(role: str, messages: dict[str, str]) -> None:
    st.subheader("IRO role" if role == "iro" else "CP chairs")
    _caseload(role, messages)
    for q in questions():
        if q.role == role and not q.path.startswith(f"{role}.caseload"):
            form.widget(q, message=messages.get(q.path))
    # Messages for a whole section (e.g. separate roles must answer it).
    if role in messages:
        st.error(f"{ROLE_LABELS[role]}: {messages[role]}", icon=":material/error:")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _signature(values: dict) -> str:
    return hashlib.sha256(json.dumps([values, ask_cp], sort_keys=True, default=str).encode()).hexdigest()


def _save(ret, channel: str) -> None:
    try:
        saved = store.save(ret, based_on=base_version, channel=channel, submitted_by=SUBMITTER_ROLE)
    except ConflictError as exc:
        st.session_state[CONFLICT] = {"message": str(exc), "version": exc.current_version}
        st.session_state[PREVIEW] = None
        st.error(str(exc), icon=":material/sync_problem:")
        st.markdown("**What changed in the version saved meanwhile**")
        render_changes(exc.changes)
        return
    except StorageError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    st.session_state[BASE] = saved.provenance.version
    st.session_state[PREVIEW] = None
    st.session_state.pop(CONFLICT, None)
    st.session_state[FLASH] = (
        f"Saved. This is version {saved.provenance.version} of {authority}'s return for {rnd.title}. "
        "Members see it on every page now."
    )
    st.rerun()


def _rebase(version: int) -> None:
    st.session_state[BASE] = version
    st.session_state.pop(CONFLICT, None)


def _discard() -> None:
    latest = store.current(round_id, authority)
    st.session_state[BASE] = latest.provenance.version if latest else None
    form.load_answers(starting_answers(latest))
    st.session_state.pop(CONFLICT, None)


conflict = st.session_state.get(CONFLICT)
if conflict:
    st.warning(
        f"{conflict['message']} Choose what to do: keep your answers and save them as the next version "
        f"after version {conflict['version']}, or discard them and start from version {conflict['version']}.",
        icon=":material/sync_problem:",
    )
    c1, c2 = st.columns(2)
    c1.button("Keep my answers", key="sub_rebase", on_click=_rebase, args=(conflict["version"],))
    c2.button(
        f"Discard my answers and load version {conflict['version']}", key="sub_discard", on_click=_discard
    )

tab_form, tab_sheet = st.tabs(["Fill in the form", "Upload a spreadsheet"])

with tab_form:
    checked = st.session_state.get(CHECKED, False)
    full = build_return(answers, authority=authority, round_id=round_id, base=current, ask_cp_chair=ask_cp)
    if checked:
        messages = {p.path: p.message for p in reversed(full.problems)}
    else:
        messages = field_problems(answers, authority=authority, round_id=round_id, ask_cp_chair=ask_cp)

    st.subheader("About the return")
    form.widget(by_path()["combined_role"], message=messages.get("combined_role"))
    if answers.get("combined_role") is True:
        st.checkbox(
            "Our CP chairs' answers differ from the IRO answers: answer the CP chair questions as well",
            key="sub_ask_cp",
            help="With a combined role you may answer once, in the IRO section.",
        )
    _section("iro", messages)
    if ask_cp:
        _section("cp_chair", messages)
    else:
        st.caption("CP chair questions are not asked: the roles are combined and answered once above.")
    st.subheader("Workforce (optional)")
    cols = st.columns(2)
    for col, path in zip(cols, ["workforce.iro_fte", "workforce.cp_chair_fte"], strict=True):
        with col:
            form.widget(by_path()[path], message=messages.get(path))

    st.divider()
    if st.button("Check and preview", type="primary", key="sub_preview"):
        st.session_state[CHECKED] = True
        st.session_state[PREVIEW] = _signature(answers) if full.ok else None
        if not full.ok:
            st.rerun()  # show every message beside its question
    if checked and not full.ok:
        st.error(
            f"Nothing has been saved: {_count(len(full.problems), 'answer needs', 'answers need')} attention. "
            "Each is marked beside its question:",
            icon=":material/error:",
        )
        for p in full.problems:
            st.markdown(f"- {p}")
    elif st.session_state.get(PREVIEW):
        if st.session_state[PREVIEW] != _signature(answers):
            st.info("You have changed answers since the preview. Check and preview again before saving.")
        else:
            st.markdown("### Preview: your return as members will see it")
            render_return(full.ret, show_provenance=False)
            st.markdown("### What differs from the current version")
            render_changes(diff_returns(current, full.ret), none="Nothing differs from the current version.")
            if st.button("Save this return", type="primary", key="sub_save"):
                _save(full.ret, "form")

with tab_sheet:
    st.markdown(
        "Prefer a spreadsheet? Download the template (filled in with your current return), "
        "answer in the `answer` column, and upload it here. It is checked exactly like the form."
    )
    download_bytes_button(
        "Download the return template (.xlsx)",
        template_workbook(round_id, authority, current),
        f"return-template-{slugify(authority)}-{round_id}.xlsx",
        XLSX,
        key="sub_template",
    )
    upload = st.file_uploader("Upload your filled template (.xlsx)", type=["xlsx"], key="sub_upload")
    if upload is not None:
        result = read_template(upload.getvalue(), round_id=round_id, authority=authority, base=current)
        if not result.ok:
            st.error(
                f"Nothing has been saved: the spreadsheet has {_count(len(result.problems), 'problem', 'problems')}.",
                icon=":material/error:",
            )
            for p in result.problems:
                st.markdown(f"- {escape_markdown(str(p))}")
        else:
            st.markdown("### Preview: your return as members will see it")
            render_return(result.ret, show_provenance=False)
            st.markdown("### What differs from the current version")
            render_changes(
                diff_returns(current, result.ret), none="Nothing differs from the current version."
            )
            if st.button("Save the uploaded return", type="primary", key="sub_save_upload"):
                _save(result.ret, "upload")
