"""Form widgets drawn from the questionnaire (``models.questionnaire.questions()``).

Each question gets one widget with the key ``q:<path>`` (for example
``q:iro.caseload.low``). Caseload figures are text boxes holding exactly what
was typed: the answer is that text, read by ``models.numbers`` when the return
is built (``survey.submission``), so an emptied box is "no figure", and
``6o``, ``1e3`` or ``65.7`` get a message naming the field while the box keeps
what was typed. Answers also live in a shadow copy in session state,
so nothing typed is lost when a section is hidden (a combined role), a
message appears, or the lead visits another page and comes back.
"""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from models.numbers import read_whole_number
from models.questionnaire import Question, questions
from models.returns import MAX_ANSWER_CHARS, MAX_CASELOAD
from ui.data import INTERRUPTED

ANSWERS = "sub_answers"
#: This run draws the widgets from the shadow copy (the run before was cut short).
RESTORE = "sub_restore_answers"
YES, NO = "Yes", "No"


def key(path: str) -> str:
    return f"q:{path}"


def _to_widget(q: Question, value: Any) -> Any:
    if q.kind == "bool":
        return {True: YES, False: NO}.get(value)
    if q.kind == "multi_choice":
        return list(value or [])
    if q.kind in ("text", "long_text"):
        return value or ""
    if q.kind == "int":
        return "" if value is None else str(value)
    if q.kind == "float" and isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _from_widget(q: Question, value: Any) -> Any:
    if q.kind == "bool":
        return {YES: True, NO: False}.get(value)
    if q.kind in ("text", "long_text"):
        return value if value and value.strip() else None
    if q.kind == "int":
        # The text as typed: a whole number becomes an int, an empty box no figure; anything else
        # stays text, which survey.submission refuses with a message naming the field.
        if value is None:
            return None
        reading = read_whole_number(
            value, minimum=int(q.minimum or 0), maximum=int(q.maximum or MAX_CASELOAD)
        )
        if reading.ok:
            return reading.value
        return value if isinstance(value, str) else str(value)
    return value


def load_answers(values: dict[str, Any]) -> None:
    """Start the form from ``values`` (the current version, or empty answers)."""
    st.session_state[ANSWERS] = dict(values)
    for q in questions():
        st.session_state[key(q.path)] = _to_widget(q, values.get(q.path))


def set_answers(values: dict[str, Any]) -> None:
    """Change some answers (from a callback, before the widgets are drawn)."""
    by = {q.path: q for q in questions()}
    answers = st.session_state.setdefault(ANSWERS, {})
    for path, value in values.items():
        if path in by:
            answers[path] = value
            st.session_state[key(path)] = _to_widget(by[path], value)


def answers() -> dict[str, Any]:
    """The current answers: what the widgets hold, and the shadow copy for hidden ones.

    After a run cut short because the database was away, the widgets were not drawn and the browser
    no longer holds what was typed in them: the shadow copy is the answer, and the widgets are drawn
    from it."""
    shadow = st.session_state.setdefault(ANSWERS, {})
    st.session_state.pop(RESTORE, None)
    if st.session_state.pop(INTERRUPTED, False):
        st.session_state[RESTORE] = True
        return dict(shadow)
    for q in questions():
        k = key(q.path)
        if k in st.session_state:
            shadow[q.path] = _from_widget(q, st.session_state[k])
    return dict(shadow)


def _restore(q: Question) -> None:
    # Streamlit forgets a widget's value when the widget is not drawn; put it back.
    k = key(q.path)
    if k not in st.session_state or st.session_state.get(RESTORE):
        st.session_state[k] = _to_widget(q, st.session_state.get(ANSWERS, {}).get(q.path))


def _help(q: Question) -> str:
    parts = [q.help] if q.help else []
    if q.choice_help:
        parts.append("\n".join(f"- **{q.choice_label(c)}**: {d}" for c, d in q.choice_help.items()))
    return "\n\n".join(parts)


def widget(q: Question, *, label: str | None = None, message: str | None = None) -> None:
    """Draw the widget for ``q`` with its key; show ``message`` under it if there is one."""
    _restore(q)
    k = key(q.path)
    text = label or q.question
    if q.required:
        text += " (required)"
    help_text = _help(q) or None
    if q.kind == "bool":
        st.radio(text, [YES, NO], key=k, help=help_text, horizontal=True)
    elif q.kind == "choice":
        st.selectbox(
            text,
            [c for c, _ in q.choices],
            key=k,
            format_func=q.choice_label,
            placeholder="Choose…",
            help=help_text,
        )
    elif q.kind == "multi_choice":
        st.multiselect(
            text,
            [c for c, _ in q.choices],
            key=k,
            format_func=q.choice_label,
            placeholder="Choose all that apply",
            help=help_text,
        )
    elif q.kind == "int":
        # A text box, not a number box: a number box turns an emptied box into 0 and cuts 65.7 to 65.
        st.text_input(
            text,
            key=k,
            help=help_text,
            placeholder=f"A whole number from {int(q.minimum or 0)} to {int(q.maximum or MAX_CASELOAD)}",
            max_chars=20,
        )
    elif q.kind == "float":
        # value=None: an emptied box is no figure (None), not the smallest value.
        st.number_input(
            text,
            key=k,
            value=None,
            step=0.5,
            format="%.1f",
            help=help_text,
            placeholder="For example 7.5",
        )
    elif q.kind == "long_text":
        st.text_area(text, key=k, help=help_text, height=140)
        length = len(st.session_state.get(k) or "")
        limit = q.max_length or MAX_ANSWER_CHARS
        over = " – over the limit" if length > limit else ""
        st.caption(f"{length:,} of {limit:,} characters{over}")
    else:
        st.text_input(text, key=k, help=help_text, max_chars=None)
    if message:
        st.error(f"{q.full_question}: {message}", icon=":material/error:")
