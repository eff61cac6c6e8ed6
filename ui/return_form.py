"""The return form's sections, drawn from the questionnaire (``models.questionnaire``).

Each question's widget comes from ``ui.form.widget``; this module lays them out
(about the return, each role with its caseload and the parser's proposal, the
workforce) and shows each message beside its question.
"""

from __future__ import annotations

import streamlit as st

from exports.template_format import MAX_BYTES
from models.questionnaire import by_path, questions
from models.safe_text import escape_markdown
from models.vocabulary import ROLE_LABELS, ROLE_SECTIONS
from survey.submission import describe_proposal, proposal_answers, proposal_for
from ui import form

SPLIT_PARTS = 3


def _widget(q, notes: dict[str, str], *, label: str | None = None, message: str | None = None) -> None:
    """The question's widget, with its message; and, under it, its note where there is one (for
    example "carried forward from <round>; unchanged")."""
    form.widget(q, label=label, message=message)
    note = notes.get(q.path)
    if note:
        st.caption(escape_markdown(note))


def _use_proposal(prefix: str) -> None:
    text = form.answers().get(f"{prefix}.text")
    form.set_answers(proposal_answers(prefix, proposal_for(text)))


def _caseload(role: str, answers: dict, messages: dict[str, str], notes: dict[str, str]) -> None:
    prefix = f"{role}.caseload"
    q = by_path()
    _widget(q[f"{prefix}.text"], notes, message=messages.get(f"{prefix}.text"))
    hint = describe_proposal(proposal_for(answers.get(f"{prefix}.text")))
    if hint:
        c1, c2 = st.columns([3, 1])
        c1.caption(
            f"From your answer we read: **{escape_markdown(hint)}**. Check the numbers below, or use these."
        )
        c2.button("Use these figures", key=f"sub_propose_{role}", on_click=_use_proposal, args=(prefix,))
    for col, name in zip(st.columns(4), ["low", "high", "unit", "population"], strict=True):
        with col:
            _widget(q[f"{prefix}.{name}"], notes, message=messages.get(f"{prefix}.{name}"))
    with st.expander("Split caseload (only if your figure is split by population)"):
        st.caption("The whole caseload above should be the sum of the parts.")
        for i in range(SPLIT_PARTS):
            for col, name in zip(
                st.columns([2, 1, 1, 2]), ["label", "low", "high", "population"], strict=True
            ):
                path = f"{prefix}.parts.{i}.{name}"
                with col:
                    _widget(
                        q[path], notes, label=f"Part {i + 1}: {q[path].question}", message=messages.get(path)
                    )


def role_section(role: str, answers: dict, messages: dict[str, str], notes: dict[str, str]) -> None:
    st.subheader(ROLE_SECTIONS[role])
    _caseload(role, answers, messages, notes)
    for q in questions():
        if q.role == role and not q.path.startswith(f"{role}.caseload"):
            _widget(q, notes, message=messages.get(q.path))
    if role in messages:  # a message for the whole section (separate roles must answer it)
        st.error(escape_markdown(f"{ROLE_LABELS[role]}: {messages[role]}"), icon=":material/error:")


def return_form(
    answers: dict, messages: dict[str, str], *, ask_cp: bool, notes: dict[str, str] | None = None
) -> None:
    """Every question of the return, in questionnaire order, with its message beside it and, for an
    answer carried forward from the last round and not yet changed, a note saying so."""
    notes = notes or {}
    st.subheader("About the return")
    _widget(by_path()["combined_role"], notes, message=messages.get("combined_role"))
    if answers.get("combined_role") is True:
        st.checkbox(
            "Our CP chairs' answers differ from the IRO answers: answer the CP chair questions as well",
            key="sub_ask_cp",
            help="With a combined role you may answer once, in the IRO section.",
        )
    role_section("iro", answers, messages, notes)
    if ask_cp:
        role_section("cp_chair", answers, messages, notes)
    else:
        st.caption("CP chair questions are not asked: the roles are combined and answered once above.")
    st.subheader("Workforce (optional)")
    for col, path in zip(st.columns(2), ["workforce.iro_fte", "workforce.cp_chair_fte"], strict=True):
        with col:
            _widget(by_path()[path], notes, message=messages.get(path))


def unlock_form(rounds: dict, authorities_of) -> tuple[str, str | None, str | None, bool]:
    """The unlock form: (round id, authority typed or chosen, code, pressed)."""
    with st.form("unlock"):
        round_id = st.selectbox(
            "Survey round", list(rounds), format_func=lambda r: rounds[r].title, key="sub_round"
        )
        authority = st.selectbox(
            "Your authority",
            authorities_of(round_id),
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
    return round_id, authority, code, go


def problems_list(lead: str, problems: list) -> None:
    """'Nothing has been saved: …' and every problem, each naming its question (all inert)."""
    st.error(escape_markdown(lead), icon=":material/error:")
    st.markdown("\n".join(f"- {escape_markdown(str(p))}" for p in problems))


def conflict_banner(conflict: dict, on_keep, on_discard) -> None:
    """After a refused save: what happened, and the lead's two choices."""
    v = conflict["version"]
    st.warning(
        escape_markdown(
            f"{conflict['message']} Choose what to do: keep your answers and save them as the next version "
            f"after version {v}, or discard them and start from version {v}."
        ),
        icon=":material/sync_problem:",
    )
    c1, c2 = st.columns(2)
    c1.button("Keep my answers", key="sub_rebase", on_click=on_keep)
    c2.button(f"Discard my answers and load version {v}", key="sub_discard", on_click=on_discard)


def preview(ret, changes) -> None:
    """The return as members will see it, and what differs from the current version."""
    from ui.return_view import render_changes, render_return

    st.markdown("### Preview: your return as members will see it")
    render_return(ret, show_provenance=False)
    st.markdown("### What differs from the current version")
    render_changes(changes, none="Nothing differs from the current version.")


def confirm_mismatches(mismatches: list, key: str) -> list[str] | None:
    """Where the words and the figures of a caseload disagree: say so, naming both readings, and ask
    the lead to confirm. The confirmed keys (recorded in the provenance), or None until confirmed."""
    if not mismatches:
        return []
    for m in mismatches:
        st.warning(escape_markdown(m.message), icon=":material/warning:")
    sure = st.checkbox("I have checked: the figures are right as entered", key=key)
    return [m.key for m in mismatches] if sure else None


def carried_unchanged(state) -> None:
    """Each answer still as carried forward: 'carried forward from <round title>; unchanged'."""
    import pandas as pd

    from survey import submit_flow as flow

    notes = [(q.full_question, flow.carried_note(state, q.path)) for q in questions()]
    notes = [(q, n) for q, n in notes if n]
    if notes:
        st.markdown("### Answers carried forward")
        st.dataframe(pd.DataFrame(notes, columns=["Question", "Answer"]), hide_index=True, width="stretch")


def form_tab(
    state, round_id: str, current, answers: dict, *, save, started_from=None, peers=(), own=()
) -> None:
    """The form, checked as it is typed; the commentary boxes on flagged figures; "Check and preview";
    the preview and "Save this return"."""
    from models.diff import diff_returns
    from survey import submit_flow as flow
    from survey.submission import build_return, field_problems, figure_mismatches
    from ui import round_questions_form as own_form
    from ui.commentary_form import commentary_boxes

    own_form.load(list(own), started_from or current)
    answers = {**answers, **own_form.values(list(own))}
    mismatches = figure_mismatches(answers)
    confirmed = [m.key for m in mismatches] if st.session_state.get("sub_confirm_form") else []
    who = {"authority": state.authority, "round_id": round_id, "ask_cp_chair": state.ask_cp, "own": own}
    full = build_return(answers, base=current, confirmed=confirmed, **who)
    if state.checked:
        messages = {p.path: p.message for p in reversed(full.problems)}
    else:
        messages = field_problems(answers, **who)
    notes = {q.path: n for q in questions() if (n := flow.carried_note(state, q.path))}
    return_form(answers, messages, ask_cp=state.ask_cp, notes=notes)
    own_form.section(list(own), messages)
    st.divider()
    start = started_from or current
    draft = full.ret if full.ret is not None else start
    kept = commentary_boxes(state.authority, round_id, draft, start.commentaries if start else [], peers)
    if full.ret is not None:
        full = build_return(answers, base=current, confirmed=confirmed, commentaries=kept, **who)
    checked_answers = {**answers, "_commentaries": [(c.measure, c.text) for c in kept]}
    st.divider()
    if st.button("Check and preview", type="primary", key="sub_preview"):
        flow.check(state, checked_answers, full.ok)
        if not full.ok:
            st.rerun()  # show every message beside its question
    status = flow.preview_status(state, checked_answers, full.ok)
    if status == "problems":
        problems_list(flow.problems_lead(len(full.problems)), full.problems)
    elif status == "stale":
        st.info("You have changed answers since the preview. Check and preview again before saving.")
    elif status == "ready":
        preview(full.ret, diff_returns(started_from or current, full.ret))
        carried_unchanged(state)
        sure = confirm_mismatches(mismatches, "sub_confirm_form")
        if st.button("Save this return", type="primary", key="sub_save", disabled=sure is None):
            save(full.ret, "form")


def sheet_tab(state, round_id: str, current, *, save, started_from=None, own=()) -> None:
    """The template to download (pre-filled), and an upload checked exactly like the form."""
    from exports.template_reader import read_template
    from exports.template_writer import template_workbook
    from models.diff import diff_returns
    from models.vocabulary import plural
    from store.loading import slugify
    from ui.render import XLSX_MIME, download_bytes_button

    st.markdown(
        "Prefer a spreadsheet? Download the template (filled in with your current return), answer in the "
        "`answer` column, and upload it here. It is checked exactly like the form."
    )
    download_bytes_button(
        "Download the return template (.xlsx)",
        template_workbook(round_id, state.authority, started_from or current, own=own),
        f"return-template-{slugify(state.authority)}-{round_id}.xlsx",
        XLSX_MIME,
        key="sub_template",
    )
    upload = st.file_uploader(
        "Upload your filled template (.xlsx)",
        type=["xlsx"],
        key="sub_upload",
        max_upload_size=MAX_BYTES // (1024 * 1024),  # refused in the browser, and by the proxy
    )
    st.caption(
        f"A file of at most {MAX_BYTES // (1024 * 1024)} MB. A larger one is refused (marked in red) and "
        "nothing is saved; a filled-in template is far smaller."
    )
    if upload is None:
        return
    result = read_template(
        upload.getvalue(), round_id=round_id, authority=state.authority, base=current, own=own
    )
    if not result.ok:
        n = plural(len(result.problems), "problem")
        problems_list(f"Nothing has been saved: the spreadsheet has {n}.", result.problems)
        return
    ret = result.ret
    if current is None and started_from is not None:  # carried forward: last year's commentaries come too
        ret = ret.model_copy(update={"commentaries": list(started_from.commentaries)})
    preview(ret, diff_returns(started_from or current, ret))
    sure = confirm_mismatches(result.mismatches, "sub_confirm_upload")
    if st.button("Save the uploaded return", type="primary", key="sub_save_upload", disabled=sure is None):
        provenance = ret.provenance.model_copy(update={"confirmed": sure or []})
        save(ret.model_copy(update={"provenance": provenance}), "upload")


def unlocked_banner(state, rnd, deadline: str | None, *, on_lock) -> None:
    """Whose return is open, in which round, which version; the message after a save; the deadline."""
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
        "Lock the form", on_click=on_lock, key="sub_lock", help="Forget the code and your unsaved answers."
    )
    if state.flash:
        st.success(escape_markdown(state.flash), icon=":material/check_circle:")
        state.flash = None
    if deadline:
        st.markdown(f"**Deadline.** {escape_markdown(deadline)}")


def carried_notice(state, carried: set[str]) -> None:
    """How many answers still stand as carried forward from the last return."""
    if carried:
        st.info(
            escape_markdown(
                f"{len(carried)} answers are carried forward from {state.carry.round_title}, your last return. "
                "Check each one and change what has changed; saving confirms the rest."
            ),
            icon=":material/history:",
        )
