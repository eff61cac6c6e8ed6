"""A coordinator's work on a round's own questions: add from the library, write one's own, copy
from an earlier round, correct the wording, hide, remove (only if unanswered), list.

Pure functions plus ``Store`` calls; no Streamlit. The Coordinator page
(``ui/round_questions.py``) and ``cli.py round questions`` both call these. Every change is
checked and saved in one transaction (``store.questions``); a refusal raises
``QuestionChangeError`` with a plain message and leaves the round as it was.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from models.errors import explain
from models.questions import Question, QuestionError, library, library_question
from models.returns import SurveyRound
from store import Store
from store.questions import QuestionChangeError

__all__ = ["QuestionChangeError", "add_from_library", "add_own", "copy_from_round", "hide", "remove"]


def _refused(exc: QuestionError) -> QuestionChangeError:
    return QuestionChangeError(exc.code, str(exc))


def _adding(question: Question) -> Any:
    def change(qs: list[Question]) -> list[Question]:
        if any(q.id == question.id for q in qs):
            raise QuestionError(
                "question_id_repeated",
                f"The round already asks question '{question.id}'. Nothing was changed.",
            )
        return [*qs, question]

    return change


def add_from_library(store: Store, round_id: str, question_id: str, *, who: Any = None) -> SurveyRound:
    try:
        question = library_question(question_id)
    except QuestionError as exc:
        raise _refused(exc) from None
    return store.change_round_questions(round_id, _adding(question), earlier=list(library()), who=who)


def parse_question(data: dict[str, Any]) -> Question:
    """A coordinator's own question from its fields; refused with messages naming each field."""
    try:
        return Question.model_validate(data)
    except ValidationError as exc:
        lines = "; ".join(
            p.message if p.code != "enum" and not p.path else f"{p.path or 'Question'}: {p.message}"
            for p in explain(exc)
        )
        raise QuestionChangeError("question_invalid", f"{lines} Nothing was changed.") from None


def add_own(store: Store, round_id: str, data: dict[str, Any], *, who: Any = None) -> SurveyRound:
    question = parse_question(data)
    return store.change_round_questions(round_id, _adding(question), earlier=list(library()), who=who)


def copy_from_round(
    store: Store, round_id: str, from_round: str, question_id: str, *, who: Any = None
) -> SurveyRound:
    """The same question as an earlier round's (same id: one series over the years), shown again."""
    source = store.get_round(from_round)
    found = next((q for q in source.questions if q.id == question_id), None)
    if found is None:
        asked = ", ".join(q.id for q in source.questions) or "none"
        raise QuestionChangeError(
            "question_unknown",
            f"The round '{from_round}' has no question '{question_id}' (it asks: {asked}). Nothing was changed.",
        )
    question = found.model_copy(update={"hidden": False})
    return store.change_round_questions(round_id, _adding(question), earlier=list(library()), who=who)


def _changing(question_id: str, **update: Any) -> Any:
    def change(qs: list[Question]) -> list[Question]:
        if not any(q.id == question_id for q in qs):
            raise QuestionError(
                "question_unknown",
                f"The round has no question '{question_id}' (it asks: {', '.join(q.id for q in qs) or 'none'}).",
            )
        out = []
        for q in qs:
            if q.id == question_id:
                q = Question.model_validate({**q.model_dump(), **update})
            out.append(q)
        return out

    return change


def hide(
    store: Store, round_id: str, question_id: str, hidden: bool = True, *, who: Any = None
) -> SurveyRound:
    return store.change_round_questions(round_id, _changing(question_id, hidden=hidden), who=who)


def correct_wording(
    store: Store, round_id: str, question_id: str, text: str, help: str | None = None, *, who: Any = None
) -> SurveyRound:
    """A corrected wording (every saved answer keeps the wording it was answered under)."""
    update: dict[str, Any] = {"text": text}
    if help is not None:
        update["help"] = help or None
    try:
        return store.change_round_questions(round_id, _changing(question_id, **update), who=who)
    except ValidationError as exc:
        raise QuestionChangeError(
            "question_invalid", f"{explain(exc)[0].message} Nothing was changed."
        ) from None


def remove(store: Store, round_id: str, question_id: str, *, who: Any = None) -> SurveyRound:
    def change(qs: list[Question]) -> list[Question]:
        _changing(question_id)(qs)  # known
        return [q for q in qs if q.id != question_id]

    return store.change_round_questions(round_id, change, who=who)


def shown_questions(rnd: SurveyRound) -> list[Question]:
    """The questions a lead is asked (hidden ones are kept, with their answers, but not asked)."""
    return [q for q in rnd.questions if not q.hidden]
