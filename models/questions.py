"""A round's own questions: asked next year, defined once, counted the same way everywhere.

The fixed questionnaire lives on the model (``models.returns``); a round may add questions of its
own (``SurveyRound.questions``), picked from the library (``models/question_library.yaml``) or
written by the coordinator. Each ``Question`` carries its text, help, role, kind and, for a
figure, its **counting rule** (what counts, the period, the unit), so that a figure from one
authority can be compared with another's.

Answers are kept on the return (``AuthorityReturn.answers``: question id → ``QuestionAnswer``),
each with the wording it was answered under and, for a figure, a "counted differently: how" box.

Bad input gets a stable code and a plain message naming the question (``QuestionError``):

* ``counting_rule_missing`` — a figure with no counting rule;
* ``choices_missing`` / ``choices_repeated`` / ``choices_too_many`` — a choice list that is too
  short, has duplicates or has more than ``MAX_CHOICES`` entries;
* ``bounds_exclude_every_answer`` — a lowest value above the highest;
* ``question_id_repeated`` — two questions of one round with the same id;
* ``question_kind_changed`` — an id reused with another kind or counting rule (one id, one series);
* ``question_frozen`` — a kind or counting rule changed once the round has a return;
* ``question_removed_answered`` — a question removed that has answers (hide it instead).
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_serializer, model_validator
from pydantic_core import PydanticCustomError

#: The most entries a choice list may have (a longer list is a different kind of question).
MAX_CHOICES = 30
#: The largest whole number accepted where a question sets no highest value.
MAX_FIGURE = 1_000_000
QUESTION_ID = r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$"
LIBRARY_FILE = Path(__file__).with_name("question_library.yaml")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
QuestionId = Annotated[str, StringConstraints(pattern=QUESTION_ID, max_length=60)]


class Kind(StrEnum):
    whole_number = "whole_number"
    number = "number"  # a figure with one decimal place, e.g. full-time equivalents
    percentage = "percentage"
    yes_no = "yes_no"
    choice = "choice"
    choices = "choices"
    short_text = "short_text"
    long_text = "long_text"


class Role(StrEnum):
    iro = "iro"
    cp_chair = "cp_chair"
    service = "service"


KIND_LABELS = {
    Kind.whole_number: "Whole number",
    Kind.number: "Number (one decimal place)",
    Kind.percentage: "Percentage",
    Kind.yes_no: "Yes or no",
    Kind.choice: "One of several choices",
    Kind.choices: "Several choices",
    Kind.short_text: "Short text",
    Kind.long_text: "Long text",
}
ROLE_LABELS = {Role.iro: "IROs", Role.cp_chair: "CP chairs", Role.service: "The service as a whole"}
FIGURES = (Kind.whole_number, Kind.number, Kind.percentage)
CHOOSING = (Kind.choice, Kind.choices)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True, frozen=True)


class CountingRule(_Strict):
    """How a figure is counted, the same way by everyone."""

    counts: LongText = Field(description="What counts (and what does not).")
    period: Text = Field(description="The day or period counted, e.g. 'on 31 March 2027'.")
    unit: Text = Field(description="The unit, e.g. 'children' or 'full-time equivalent'.")

    def words(self) -> str:
        return f"{self.counts} Period: {self.period}. Unit: {self.unit}."


class Question(_Strict):
    """One question a round asks: its wording, kind and rules."""

    id: QuestionId
    text: Text
    help: LongText | None = None
    role: Role
    kind: Kind
    required: bool = False
    unit: Text | None = None
    min: int | None = None
    max: int | None = None
    choices: list[Text] = Field(default_factory=list)
    counting_rule: CountingRule | None = None
    source: LongText | None = None
    hidden: bool = False

    @model_validator(mode="after")
    def _rules(self) -> Question:
        where = {"question": self.id}
        if self.kind in FIGURES and self.counting_rule is None:
            raise PydanticCustomError(
                "counting_rule_missing",
                "Question '{question}' is a figure: give its counting rule (what counts, the period, "
                "the unit), so that everyone counts it the same way.",
                where,
            )
        if self.kind in CHOOSING:
            folded = [c.casefold() for c in self.choices]
            if len(self.choices) < 2:
                raise PydanticCustomError(
                    "choices_missing", "Question '{question}' needs at least two choices.", where
                )
            if len(set(folded)) != len(folded):
                dup = next(c for i, c in enumerate(self.choices) if folded.index(c.casefold()) != i)
                raise PydanticCustomError(
                    "choices_repeated",
                    "Question '{question}' lists the choice '{choice}' twice; give each choice once.",
                    {**where, "choice": dup},
                )
            if len(self.choices) > MAX_CHOICES:
                raise PydanticCustomError(
                    "choices_too_many",
                    "Question '{question}' has {count} choices; at most {most} are allowed.",
                    {**where, "count": len(self.choices), "most": MAX_CHOICES},
                )
        elif self.choices:
            raise PydanticCustomError(
                "choices_not_asked",
                "Question '{question}' is not a choice question: remove its choices.",
                where,
            )
        low, high = self.bounds
        if low > high:
            raise PydanticCustomError(
                "bounds_exclude_every_answer",
                "Question '{question}': the lowest value ({low}) is above the highest ({high}), so no "
                "answer could be given.",
                {**where, "low": low, "high": high},
            )
        return self

    @property
    def is_figure(self) -> bool:
        return self.kind in FIGURES

    @property
    def bounds(self) -> tuple[float, float]:
        if self.kind == Kind.percentage:
            return (max(0, self.min or 0), min(100, 100 if self.max is None else self.max))
        return (0 if self.min is None else self.min, MAX_FIGURE if self.max is None else self.max)

    @property
    def unit_words(self) -> str:
        if self.kind == Kind.percentage:
            return "%"
        return self.unit or (self.counting_rule.unit if self.counting_rule else "")

    def series_key(self) -> tuple[Any, ...]:
        """What one id means across rounds: its kind and counting rule (wording may be corrected)."""
        return (self.kind, self.counting_rule, self.unit)


class QuestionAnswer(_Strict):
    """A lead's answer to one of the round's questions, with the wording it was answered under."""

    value: int | float | bool | str | list[str] | None = None
    counted_differently: LongText | None = Field(
        default=None, description="Counted differently: how (figures only). Kept out of the median."
    )
    asked: Text | None = Field(default=None, description="The question's wording when it was answered.")


#: A return's answers to its round's own questions, by question id.
Answers = dict[QuestionId, QuestionAnswer]


class QuestionError(ValueError):
    """A question, or a change to a round's questions, that cannot be accepted; ``code`` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_round_questions(questions: list[Question]) -> None:
    """Each id once in a round."""
    seen: set[str] = set()
    for q in questions:
        if q.id in seen:
            raise QuestionError(
                "question_id_repeated", f"Question '{q.id}' is listed twice in the round; give each id once."
            )
        seen.add(q.id)


def check_series(question: Question, earlier: list[Question]) -> None:
    """A question whose id was used before (in the library or an earlier round) must be the same series:
    the same kind, counting rule and unit. A different figure needs a new id."""
    for old in earlier:
        if old.id == question.id and old.series_key() != question.series_key():
            what = "kind" if old.kind != question.kind else "counting rule"
            raise QuestionError(
                "question_kind_changed",
                f"Question '{question.id}' was asked before as {KIND_LABELS[Kind(old.kind)].lower()} with "
                f"another {what}; one id is one series, so give the new question a new id.",
            )


def check_change(
    before: list[Question], after: list[Question], answered: set[str], has_returns: bool
) -> None:
    """Refuse a change to a round's questions that would break what is already answered.

    A question with answers cannot be removed (hide it). Once the round has a return, no question's
    kind or counting rule may change (its wording and help may be corrected)."""
    check_round_questions(after)
    now = {q.id: q for q in after}
    for q in before:
        if q.id not in now:
            if q.id in answered:
                raise QuestionError(
                    "question_removed_answered",
                    f"Question '{q.id}' has answers, so it cannot be removed; hide it instead. "
                    "Nothing was changed.",
                )
            continue
        if has_returns and q.series_key() != now[q.id].series_key():
            raise QuestionError(
                "question_frozen",
                f"Question '{q.id}': the round already has returns, so its kind and counting rule are "
                "frozen (its wording may be corrected). Nothing was changed.",
            )


def _library_questions(path: Path) -> tuple[Question, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    qs = tuple(Question.model_validate(item) for item in data.get("questions", []))
    check_round_questions(list(qs))
    return qs


@cache
def library() -> tuple[Question, ...]:
    """The library of well-defined questions a coordinator picks from."""
    return _library_questions(LIBRARY_FILE)


def library_question(question_id: str) -> Question:
    for q in library():
        if q.id == question_id:
            return q
    known = ", ".join(q.id for q in library())
    raise QuestionError(
        "question_unknown", f"There is no question '{question_id}' in the library. It has: {known}."
    )


def describe(q: Question) -> str:
    """The kind in words, with its unit and bounds or choices."""
    kind = KIND_LABELS[Kind(q.kind)]
    if q.kind in (Kind.whole_number, Kind.number):
        low, high = q.bounds
        return f"{kind}, in {q.unit_words} ({low:g} to {high:g})"
    if q.kind in CHOOSING:
        return f"{kind}: " + "; ".join(q.choices)
    return kind


def questions_markdown(questions: tuple[Question, ...] | None = None) -> str:
    """``docs/questions.md``: the library, written from ``models/question_library.yaml``."""
    qs = library() if questions is None else questions
    lines = [
        "# The question library",
        "",
        "Questions a coordinator can add to a round (`cli.py round questions ID add QUESTION`, or the",
        "Coordinator page). Each figure has a counting rule, so that every authority counts it the same",
        "way; an authority that counted differently says how, and its figure is kept out of the median.",
        "Written from `models/question_library.yaml` by `models.questions.write_questions_doc`; do not",
        "edit by hand.",
        "",
    ]
    for role in Role:
        group = [q for q in qs if q.role == role]
        if not group:
            continue
        lines += [f"## {ROLE_LABELS[role]}", ""]
        for q in group:
            lines += [f"### {q.text}", "", f"- Id: `{q.id}`", f"- Kind: {describe(q)}"]
            if q.counting_rule is not None:
                r = q.counting_rule
                lines += [f"- What counts: {r.counts}", f"- Period: {r.period}", f"- Unit: {r.unit}"]
            if q.help:
                lines.append(f"- Help: {q.help}")
            if q.source:
                lines.append(f"- Source: {q.source}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def write_questions_doc(path: str = "docs/questions.md") -> None:
    Path(path).write_text(questions_markdown(), encoding="utf-8")


def unique_questions(questions: list[Question]) -> list[Question]:
    """A round's questions, each id once (a field validator of ``SurveyRound.questions``)."""
    try:
        check_round_questions(questions)
    except QuestionError as exc:
        raise PydanticCustomError(exc.code, str(exc)) from None
    return questions


def omit_empty(data: Any, key: str) -> Any:
    """A dump without ``key`` when it is empty, so that data saved before it existed dumps the same."""
    if isinstance(data, dict) and not data.get(key):
        data.pop(key, None)
    return data


def omitting(key: str) -> Any:
    """A model's serializer that leaves ``key`` out of its dump when it is empty."""
    return model_serializer(mode="wrap")(lambda self, handler: omit_empty(handler(self), key))
