"""Answers to a round's own questions: read from a form or a spreadsheet cell, checked, kept.

The form and the template hold answers flat, as the fixed questionnaire does: ``q.<id>`` for the
answer and ``q.<id>.how`` for "counted differently: how" (figures only). ``read_answer`` reads one
value by the question's kind (an emptied box is no answer, never 0); ``answers_from_flat`` turns
the flat mapping into the return's ``answers`` with a ``Problem`` naming the question for each
answer refused, and keeps every earlier answer the form did not ask (a hidden question's).
"""

from __future__ import annotations

import math
import re
from typing import Any

from models.errors import Problem
from models.questions import FIGURES, Answers, Kind, Question, QuestionAnswer

PREFIX = "q."
MAX_SHORT = 200
MAX_LONG = 2000
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
YES = ("yes", "y", "true")
NO = ("no", "n", "false")


def answer_path(qid: str) -> str:
    return f"{PREFIX}{qid}"


def how_path(qid: str) -> str:
    return f"{PREFIX}{qid}.how"


def is_answer_path(path: str) -> bool:
    return path.startswith(PREFIX)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _figure(q: Question, value: Any) -> tuple[Any, str | None]:
    low, high = q.bounds
    unit = "per cent" if q.kind == Kind.percentage else q.unit_words
    ask = f"Write a number from {low:g} to {high:g} ({unit})"
    if isinstance(value, bool):
        return None, f"{ask}, not yes or no."
    if isinstance(value, (int, float)):
        number = float(value)
        if not math.isfinite(number):
            return None, f"{ask}."
    else:
        text = str(value).strip().replace(",", "")
        if text.endswith("%") and q.kind == Kind.percentage:
            text = text[:-1].strip()
        if not _NUMBER.match(text):
            return None, f"{ask} (you wrote '{str(value).strip()[:40]}')."
        number = float(text)
    if number < low or number > high:
        return None, f"{ask} (you wrote {number:g})."
    if q.kind == Kind.whole_number:
        if number != int(number):
            return None, f"{ask}, without decimals (you wrote {number:g})."
        return int(number), None
    if round(number, 1) != number:
        return None, f"{ask}, to one decimal place at most (you wrote {number:g})."
    return (int(number) if number == int(number) else number), None


def read_answer(q: Question, value: Any) -> tuple[Any, str | None]:
    """One answer read by the question's kind: (value, None), or (None, a plain message)."""
    if _blank(value):
        return None, None
    if isinstance(value, str) and any("\ud800" <= ch <= "\udfff" for ch in value):
        return None, "This answer holds a character that is not valid text. Type that part again."
    if q.kind in FIGURES:
        return _figure(q, value)
    if q.kind == Kind.yes_no:
        if isinstance(value, bool):
            return value, None
        word = str(value).strip().casefold()
        if word in YES or word in NO:
            return word in YES, None
        return None, f"Answer yes or no (you wrote '{str(value).strip()[:40]}')."
    if q.kind in (Kind.choice, Kind.choices):
        raw = value if isinstance(value, list) else [p for p in re.split(r"[;\n]", str(value)) if p.strip()]
        canon = {c.casefold(): c for c in q.choices}
        picked = []
        for item in raw:
            found = canon.get(str(item).strip().casefold())
            if found is None:
                return None, f"'{str(item).strip()[:60]}' is not one of the choices: {'; '.join(q.choices)}."
            if found not in picked:
                picked.append(found)
        if q.kind == Kind.choice:
            if len(picked) > 1:
                return None, "Choose one answer only."
            return picked[0], None
        return picked, None
    text = str(value).strip()
    most = MAX_SHORT if q.kind == Kind.short_text else MAX_LONG
    if len(text) > most:
        return None, f"Keep this answer to {most:,} characters (it has {len(text):,})."
    return text, None


def problem(q: Question, message: str, *, how: bool = False, code: str = "answer") -> Problem:
    path = how_path(q.id) if how else answer_path(q.id)
    name = f"{q.text}: counted differently" if how else q.text
    return Problem(code, path, name, message)


def answers_from_flat(
    questions: list[Question],
    flat: dict[str, Any],
    base: Answers | None = None,
    *,
    require_answers: bool = False,
) -> tuple[Answers, list[Problem]]:
    """The return's answers from the flat ``q.<id>`` values, and a Problem for each refused.

    Each answer records the wording it was answered under (``asked``). Answers in ``base`` to
    questions the form does not show (hidden, or no longer in the round) are kept unchanged."""
    out: Answers = dict(base or {})
    problems: list[Problem] = []
    for q in questions:
        if q.hidden:
            continue
        path = answer_path(q.id)
        if path not in flat and how_path(q.id) not in flat:
            continue
        value, message = read_answer(q, flat.get(path))
        if message:
            problems.append(problem(q, message))
            continue
        how = flat.get(how_path(q.id)) if q.is_figure else None
        how = how.strip() if isinstance(how, str) and how.strip() else None
        if how and len(how) > MAX_LONG:
            problems.append(problem(q, f"Keep this to {MAX_LONG:,} characters.", how=True))
            continue
        if value is None:
            if require_answers and q.required:
                problems.append(problem(q, "This answer is required.", code="answer_required"))
            out.pop(q.id, None)
            continue
        old = out.get(q.id)
        asked = (
            old.asked if old is not None and old.value == value and old.counted_differently == how else None
        )
        out[q.id] = QuestionAnswer(value=value, counted_differently=how, asked=asked or q.text)
    return out, problems


def flat_from_answers(questions: list[Question], answers: Answers) -> dict[str, Any]:
    """The flat ``q.<id>`` values a form or template starts from (blank where unanswered)."""
    flat: dict[str, Any] = {}
    for q in questions:
        if q.hidden:
            continue
        a = answers.get(q.id)
        flat[answer_path(q.id)] = (
            (a.value if a else None) if q.kind != Kind.choices else (a.value if a else [])
        )
        if q.is_figure:
            flat[how_path(q.id)] = a.counted_differently if a else None
    return flat


def shown(q: Question, value: Any) -> str:
    """An answer as a reader sees it: '12.5 full-time equivalent', '85%', 'Yes', 'A; B'."""
    if value is None or value == []:
        return "(no answer)"
    if q.kind == Kind.percentage:
        return f"{value:g}%"
    if q.kind in (Kind.whole_number, Kind.number):
        return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
    if q.kind == Kind.yes_no:
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)
