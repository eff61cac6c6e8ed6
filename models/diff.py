"""What changed between two versions of a return, question by question.

Derived from ``models.questionnaire.flatten`` so that every question of the
questionnaire is covered and none is typed here. Multiple-choice answers (the
taxonomy codes) are compared as sets: picking the same codes in another order
is not a change.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from models.questionnaire import by_path, field_title, flatten
from models.returns import AuthorityReturn

#: Longest piece of a text answer quoted in a one-line description.
QUOTE_CHARS = 60
NO_ANSWER = "(no answer)"
#: Words of unchanged text shown on either side of a change, and the marks around the words changed
#: (in plain text: the terminal, the workbook's Versions sheet).
CONTEXT_WORDS = 6
ADDED = ("[+", "+]")
REMOVED = ("[-", "-]")
ELLIPSIS = "…"


@dataclass(frozen=True)
class Piece:
    """Part of an excerpt: words as written, and whether they changed."""

    text: str
    changed: bool = False


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"(\s+)", text) if t]


def excerpt(before: str, after: str, context: int = CONTEXT_WORDS) -> tuple[list[Piece], list[Piece]]:
    """Where two texts differ: each as pieces, the changed words marked, with ``context`` words of what
    did not change on either side (the rest left out, as '…'); long unchanged stretches between two
    changes are shortened the same way. Two identical openings are never all that is shown."""
    a, b = _tokens(before or ""), _tokens(after or "")
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    ops = matcher.get_opcodes()
    out_a: list[Piece] = []
    out_b: list[Piece] = []
    last = len(ops) - 1

    def keep(tokens: list[str], where: str) -> str:
        words = [i for i, t in enumerate(tokens) if not t.isspace()]
        if len(words) <= (context if where != "middle" else 2 * context):
            return "".join(tokens)
        if where == "start":
            return ELLIPSIS + "".join(tokens[words[-context] :])
        if where == "end":
            return "".join(tokens[: words[context - 1] + 1]) + ELLIPSIS
        return (
            "".join(tokens[: words[context - 1] + 1])
            + " "
            + ELLIPSIS
            + " "
            + "".join(tokens[words[-context] :])
        )

    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            where = "start" if n == 0 else "end" if n == last else "middle"
            text = keep(a[i1:i2], where)
            out_a.append(Piece(text))
            out_b.append(Piece(text))
            continue
        if i2 > i1:
            out_a.append(Piece("".join(a[i1:i2]), changed=True))
        if j2 > j1:
            out_b.append(Piece("".join(b[j1:j2]), changed=True))
    return out_a, out_b


def marked(pieces: list[Piece], marks: tuple[str, str]) -> str:
    """Pieces as plain text, the changed ones between ``marks``: '…days. [+We audit plans.+]'."""
    out = []
    for p in pieces:
        if not p.changed:
            out.append(p.text)
            continue
        core = p.text.strip()
        lead, trail = p.text[: len(p.text) - len(p.text.lstrip())], p.text[len(p.text.rstrip()) :]
        out.append(f"{lead}{marks[0]}{core}{marks[1]}{trail}" if core else p.text)
    return "".join(out).strip()


def change_line(before: str, after: str) -> str:
    """One line saying where a text changed: the words removed and added, marked, in their context."""
    old, new = excerpt(before, after)
    merged: list[str] = []
    ia = ib = 0
    # Walk both: unchanged pieces are shared; a removal comes before the addition that replaces it.
    while ia < len(old) or ib < len(new):
        pa = old[ia] if ia < len(old) else None
        pb = new[ib] if ib < len(new) else None
        if pa is not None and pa.changed:
            merged.append(f"{REMOVED[0]}{pa.text.strip()}{REMOVED[1]}")
            ia += 1
        elif pb is not None and pb.changed:
            merged.append(f"{ADDED[0]}{pb.text.strip()}{ADDED[1]}")
            ib += 1
        else:
            merged.append((pa or pb).text)
            ia += 1
            ib += 1
    return " ".join(" ".join(merged).split())


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

    @property
    def is_text(self) -> bool:
        """A text answer changed (both before and after given, and one of them long): shown as an excerpt."""
        return (
            isinstance(self.before, str)
            and isinstance(self.after, str)
            and bool(self.before and self.after)
            and (
                len(self.before) > QUOTE_CHARS
                or len(self.after) > QUOTE_CHARS
                or "\n" in self.before + self.after
            )
        )

    def excerpts(self) -> tuple[list[Piece], list[Piece]]:
        """Before and after as pieces, the changed words marked, a little context either side."""
        if self.is_text:
            return excerpt(self.before_text, self.after_text)
        return [Piece(self.before_text, changed=True)], [Piece(self.after_text, changed=True)]

    def describe(self) -> str:
        """One plain line, e.g. 'IRO role: Case holding: highest figure: 65 → 70', or for a long text
        where it changed: 'IRO role: Impact: …annual report. [+We also audit ten plans a month.+]'."""
        if self.kind == "multi_choice":
            bits = []
            if self.added:
                bits.append("added " + "; ".join(self.added))
            if self.removed:
                bits.append("removed " + "; ".join(self.removed))
            return f"{self.question}: {', '.join(bits)}"
        if self.is_text:
            return f"{self.question}: {change_line(self.before_text, self.after_text)}"
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
    changes += _answer_changes(old, new)
    return changes


def _answer_changes(old: AuthorityReturn | None, new: AuthorityReturn) -> list[Change]:
    """An answer to one of the round's own questions added, changed or removed (and its "counted
    differently" note), named by the wording it was answered under."""
    before = old.answers if old is not None else {}
    after = new.answers
    out = []
    for qid in [*before, *(i for i in after if i not in before)]:
        b, a = before.get(qid), after.get(qid)
        name = (a or b).asked or qid
        for part, label in (("value", name), ("counted_differently", f"{name}: counted differently")):
            was, now = getattr(b, part, None), getattr(a, part, None)
            if not _same("multi_choice" if isinstance(now or was, list) else "text", was, now):
                out.append(Change(path=f"answers.{qid}.{part}", question=label, before=was, after=now))
    return out


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
    """What changed, one row per answer: Question, Before, After; a long text as an excerpt around the
    change, the words removed marked [-so-] and those added [+so+]."""
    rows = []
    for c in changes:
        old, new = c.excerpts()
        if c.is_text:
            rows.append({"Question": c.question, "Before": marked(old, REMOVED), "After": marked(new, ADDED)})
        else:
            rows.append({"Question": c.question, "Before": c.before_text, "After": c.after_text})
    return pd.DataFrame(rows, columns=["Question", "Before", "After"])
