"""The form's section for the round's own questions (``models.questions``): one widget each, checked
as it is typed by the same reading as the template (``models.question_answers``).

Widget keys are ``q:q.<id>`` (and ``q:q.<id>.how`` for "counted differently: how"). A figure is a
text box holding what was typed, so an emptied box is no answer, never 0. The section starts from
the return being amended, or the one carried forward from an earlier round (the same id: the same
question), so last year's answer is there to confirm or change.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from models.question_answers import answer_path, flat_from_answers, how_path
from models.questions import ROLE_LABELS, Kind, Role, describe
from models.safe_text import escape_markdown

PREFIX = "q:q."
LOADED = "sub_own_loaded"
YES, NO = "Yes", "No"


def _key(path: str) -> str:
    return f"q:{path}"


def _to_widget(q, value: Any) -> Any:
    if q.kind == Kind.yes_no:
        return {True: YES, False: NO}.get(value)
    if q.kind == Kind.choices:
        return list(value or [])
    if q.kind == Kind.choice:
        return value
    return "" if value is None else str(value)


def load(questions: list, started_from) -> None:
    """Fill the widgets once per unlock from the return amended or carried forward."""
    if st.session_state.get(LOADED):
        return
    flat = flat_from_answers(questions, started_from.answers if started_from is not None else {})
    for q in questions:
        st.session_state[_key(answer_path(q.id))] = _to_widget(q, flat.get(answer_path(q.id)))
        if q.is_figure:
            st.session_state[_key(how_path(q.id))] = flat.get(how_path(q.id)) or ""
    st.session_state[LOADED] = True


def forget() -> None:
    """Locking the form forgets what was typed here too."""
    for k in [k for k in st.session_state if str(k).startswith(PREFIX)]:
        st.session_state.pop(k, None)
    st.session_state.pop(LOADED, None)


def values(questions: list) -> dict[str, Any]:
    """The section's answers as the flat ``q.<id>`` values ``survey.submission.build_return`` reads."""
    out: dict[str, Any] = {}
    for q in questions:
        if q.hidden:
            continue
        raw = st.session_state.get(_key(answer_path(q.id)))
        if q.kind == Kind.yes_no:
            raw = {YES: True, NO: False}.get(raw)
        out[answer_path(q.id)] = raw
        if q.is_figure:
            out[how_path(q.id)] = st.session_state.get(_key(how_path(q.id)))
    return out


def section(questions: list, messages: dict[str, str]) -> None:
    """The round's own questions, by role, each with its counting rule and its message under it."""
    shown = [q for q in questions if not q.hidden]
    if not shown:
        return
    st.subheader("This round's questions")
    st.caption(
        "Questions the coordinator added for this round. Count each figure as its counting rule says; if "
        "you counted differently, say how in the box under it (the figure is then shown, but kept out of "
        "the group median)."
    )
    for role in Role:
        group = [q for q in shown if q.role == role]
        if group:
            st.markdown(f"**{ROLE_LABELS[role]}**")
        for q in group:
            _widget(q, messages)


def _widget(q, messages: dict[str, str]) -> None:
    k = _key(answer_path(q.id))
    label = q.text + (" (required)" if q.required else "")
    help_text = escape_markdown(q.help) if q.help else None
    if q.kind == Kind.yes_no:
        st.radio(label, [YES, NO], key=k, index=None, horizontal=True, help=help_text)
    elif q.kind == Kind.choice:
        st.selectbox(label, q.choices, key=k, index=None, placeholder="Choose…", help=help_text)
    elif q.kind == Kind.choices:
        st.multiselect(label, q.choices, key=k, placeholder="Choose all that apply", help=help_text)
    elif q.kind == Kind.long_text:
        st.text_area(label, key=k, help=help_text, height=120)
    else:
        placeholder = describe(q) if q.is_figure else None
        st.text_input(label, key=k, help=help_text, placeholder=placeholder)
    if q.counting_rule is not None:
        st.caption(escape_markdown(f"Counting rule: {q.counting_rule.words()}"))
    if messages.get(answer_path(q.id)):
        st.error(escape_markdown(f"{q.text}: {messages[answer_path(q.id)]}"), icon=":material/error:")
    if q.is_figure:
        st.text_input(
            f"{q.text}: counted differently? How", key=_key(how_path(q.id)), placeholder="Leave empty if not"
        )
        if messages.get(how_path(q.id)):
            st.error(escape_markdown(messages[how_path(q.id)]), icon=":material/error:")
