"""The Coordinator page's "This round's questions": list them, add from the library, write one's own,
copy one from an earlier round, hide or show, remove one nobody has answered.

The work (each change checked and saved in one transaction) is ``survey.round_questions``; this
module reads widgets and draws the result.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models.names import PlainError
from models.questions import KIND_LABELS, ROLE_LABELS, describe, library
from models.returns import SurveyRound
from models.safe_text import escape_markdown
from store import Store
from survey import round_questions as rq

FLASH = "coord_q_flash"
FIGURE_KINDS = ("whole_number", "number", "percentage")


def _run(change, done: str) -> None:
    try:
        change()
    except PlainError as exc:
        st.error(escape_markdown(str(exc)), icon=":material/error:")
    else:
        st.session_state[FLASH] = done
        st.rerun()


def questions_section(store: Store, rnd: SurveyRound) -> None:
    """The round's own questions and the ways to change them."""
    if not rnd.is_questionnaire:
        return
    st.subheader("This round's questions")
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(escape_markdown(flash), icon=":material/check_circle:")
    if rnd.questions:
        frame = pd.DataFrame(
            [
                {
                    "Id": q.id,
                    "Question": q.text,
                    "For": ROLE_LABELS[q.role],
                    "Kind": describe(q),
                    "Counting rule": q.counting_rule.words() if q.counting_rule else "",
                    "Shown": "Hidden" if q.hidden else "Asked",
                }
                for q in rnd.questions
            ]
        )
        st.dataframe(frame, hide_index=True, width="stretch")
    else:
        st.caption("This round asks only the questionnaire. Add questions of its own below.")
    asked = {q.id for q in rnd.questions}
    pick = [q for q in library() if q.id not in asked]
    with st.form("coord_q_library"):
        chosen = st.multiselect(
            "Add questions from the library",
            [q.id for q in pick],
            format_func=lambda i: next(q.text for q in pick if q.id == i),
            key="coord_q_pick",
            help="Each has its counting rule and source (docs/questions.md).",
        )
        go = st.form_submit_button("Add the questions chosen")
    if go and chosen:

        def add_all() -> None:
            for qid in chosen:
                rq.add_from_library(store, rnd.id, qid)

        _run(add_all, f"Added {len(chosen)} question(s) from the library to {rnd.id}.")
    _own_form(store, rnd)
    _copy_form(store, rnd)
    if rnd.questions:
        c1, c2 = st.columns([3, 1])
        qid = c1.selectbox("A question of this round", [q.id for q in rnd.questions], key="coord_q_one")
        q = next(q for q in rnd.questions if q.id == qid)
        action = c2.radio("Do", ["Hide" if not q.hidden else "Show", "Remove"], key="coord_q_do")
        if st.button("Apply", key="coord_q_apply"):
            if action == "Remove":
                _run(lambda: rq.remove(store, rnd.id, qid), f"Removed {qid}.")
            else:
                _run(
                    lambda: rq.hide(store, rnd.id, qid, action == "Hide"),
                    f"{qid} is hidden: no longer asked, its answers kept."
                    if action == "Hide"
                    else f"{qid} is asked again.",
                )


def _own_form(store: Store, rnd: SurveyRound) -> None:
    with st.expander("Write a question of your own", icon=":material/edit:"), st.form("coord_q_own"):
        qid = st.text_input("Id", placeholder="foster_carer_reviews", key="coord_q_id",
                            help="Lower-case letters, digits and underscores. The same id in a later round is the same question.")  # fmt: skip
        text = st.text_input("Question", key="coord_q_text")
        help_text = st.text_input("Help (optional)", key="coord_q_help")
        role = st.selectbox("For", list(ROLE_LABELS), format_func=ROLE_LABELS.get, key="coord_q_role")
        kind = st.selectbox("Kind", list(KIND_LABELS), format_func=KIND_LABELS.get, key="coord_q_kind")
        unit = st.text_input("Unit (whole numbers)", key="coord_q_unit", placeholder="reviews")
        choices = st.text_area("Choices (one a line)", key="coord_q_choices", height=90)
        counts = st.text_area("Counting rule: what counts (figures)", key="coord_q_counts", height=90)
        period = st.text_input(
            "Counting rule: the period", key="coord_q_period", placeholder="1 April to 31 March"
        )
        rule_unit = st.text_input("Counting rule: the unit", key="coord_q_rule_unit")
        required = st.checkbox("Required", key="coord_q_required")
        go = st.form_submit_button("Add this question")
    if go:
        data = {
            "id": qid.strip(),
            "text": text,
            "help": help_text or None,
            "role": role,
            "kind": kind,
            "required": required,
            "unit": unit or None,
            "choices": [c.strip() for c in choices.splitlines() if c.strip()],
        }
        if counts or period or rule_unit or kind in FIGURE_KINDS:
            data["counting_rule"] = (
                {"counts": counts, "period": period, "unit": rule_unit or unit} if counts else None
            )
        _run(lambda: rq.add_own(store, rnd.id, data), f"Added {qid.strip()} to {rnd.id}.")


def _copy_form(store: Store, rnd: SurveyRound) -> None:
    earlier = [r for r in store.rounds() if r.id != rnd.id and r.questions]
    if not earlier:
        return
    options = [
        (r.id, q.id) for r in earlier for q in r.questions if q.id not in {p.id for p in rnd.questions}
    ]
    if not options:
        return
    with st.form("coord_q_copy"):
        pair = st.selectbox(
            "Ask again a question from an earlier round (the same id: one series)",
            options,
            format_func=lambda p: f"{p[1]} (from {p[0]})",
            key="coord_q_copy_pick",
        )
        go = st.form_submit_button("Copy it into this round")
    if go and pair:
        _run(lambda: rq.copy_from_round(store, rnd.id, pair[0], pair[1]), f"Copied {pair[1]} from {pair[0]}.")
