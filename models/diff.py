"""What changed between two versions of a return, question by question.

Derived from ``models.questionnaire.flatten`` so that every question of the
questionnaire is covered and none is typed here. Multiple-choice answers (the
taxonomy codes) are compared as sets: picking the same codes in another order
is not a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from models.questionnaire import by_path, field_title, flatten
from models.returns import AuthorityReturn

#: Longest piece of a text answer quoted in a one-line description.
QUOTE_CHARS = 60
NO_ANSWER = "(no answer)"


@dataclass(frozen=True)
class Change:
    """One question whose answer differs. ``before``/``after`` are the stored values."""

    path: str
    question: str
    before: Any
    after: Any

    @property
    def kind(self) -> str:
        q = by_path().get(self.path)
        return q.kind if q is not None else "text"

    @property
    def added(self) -> list[str]:
        """For a multiple-choice question: the labels of the choices added."""
        if self.kind != "multi_choice":
            return []
        old = set(self.before or [])
        return [_label(self.path, c) for c in (self.after or []) if c not in old]

    @property
    def removed(self) -> list[str]:
        """For a multiple-choice question: the labels of the choices removed."""
        if self.kind != "multi_choice":
            return []
        new = set(self.after or [])
        return [_label(self.path, c) for c in (self.before or []) if c not in new]

    @property
    def before_text(self) -> str:
        return show_value(self.path, self.before)

    @property
    def after_text(self) -> str:
        return show_value(self.path, self.after)

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "question": self.question, "before": self.before, "after": self.after}

    def describe(self) -> str:
        """One plain line, e.g. 'IRO role: Case holding: highest figure: 65 → 70'."""
        if self.kind == "multi_choice":
            bits = []
            if self.added:
                bits.append("added " + "; ".join(self.added))
            if self.removed:
                bits.append("removed " + "; ".join(self.removed))
            return f"{self.question}: {', '.join(bits)}"
        return f"{self.question}: {_short(self.before_text)} → {_short(self.after_text)}"


def _label(path: str, value: Any) -> str:
    q = by_path().get(path)
    return q.choice_label(value) if q is not None else str(value)


def show_value(path: str, value: Any) -> str:
    """A stored answer as a person reads it (labels for codes, Yes/No, '(no answer)')."""
    if value is None or value == "" or value == []:
        return NO_ANSWER
    q = by_path().get(path)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(_label(path, v) for v in value)
    if q is not None and q.kind == "choice":
        return q.choice_label(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _short(text: str) -> str:
    if text == NO_ANSWER:
        return text
    one_line = " ".join(text.split())
    if len(one_line) <= QUOTE_CHARS:
        return one_line if "\n" not in text else f"“{one_line}”"
    return f"“{one_line[: QUOTE_CHARS - 1].rstrip()}…”"


def _same(kind: str, a: Any, b: Any) -> bool:
    if kind == "multi_choice":
        return set(a or []) == set(b or [])
    empty_a = a is None or a == ""
    empty_b = b is None or b == ""
    if empty_a or empty_b:
        return empty_a and empty_b
    return a == b


def diff_returns(old: AuthorityReturn | None, new: AuthorityReturn) -> list[Change]:
    """Every question whose answer differs, in questionnaire order.

    ``old`` is ``None`` for a first return: every answered question is then a change.
    """
    before = flatten(old) if old is not None else {}
    after = flatten(new)
    changes: list[Change] = []
    for path, new_value in after.items():
        q = by_path()[path]
        old_value = before.get(path, [] if q.kind == "multi_choice" else None)
        if _same(q.kind, old_value, new_value):
            continue
        changes.append(Change(path=path, question=field_title(path), before=old_value, after=new_value))
    changes += _commentary_changes(old, new)
    return changes


def _commentary_changes(old: AuthorityReturn | None, new: AuthorityReturn) -> list[Change]:
    """A commentary on a flagged figure added, changed or removed (by its measure)."""
    before = {c.measure: c for c in (old.commentaries if old is not None else [])}
    after = {c.measure: c for c in new.commentaries}
    out = []
    for measure in [*before, *(m for m in after if m not in before)]:
        b, a = before.get(measure), after.get(measure)
        if b is not None and a is not None and b.text == a.text:
            continue
        label = (a or b).label
        out.append(
            Change(
                path=f"commentaries.{measure}",
                question=f"Commentary on a flagged figure: {label}",
                before=b.text if b else None,
                after=a.text if a else None,
            )
        )
    return out


def describe(changes: list[Change]) -> list[str]:
    """One plain line per change; a single line saying so when nothing changed."""
    if not changes:
        return ["No answers changed."]
    return [c.describe() for c in changes]


def changes_table(changes: list[Change]) -> pd.DataFrame:
    """What changed, one row per answer: Question, Before, After."""
    return pd.DataFrame(
        [{"Question": c.question, "Before": c.before_text, "After": c.after_text} for c in changes],
        columns=["Question", "Before", "After"],
    )
