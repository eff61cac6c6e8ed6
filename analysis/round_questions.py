"""A round's own questions, summarised: each figure's answers and median, each choice's shares.

``summaries(rnd, returns)`` is the one summary that the round's page (``views.round_questions``),
the profile, the pack, Change between rounds and the workbook read. A figure an authority says it
counted differently ("counted differently: how") is listed with its figure but kept out of the
median, so that the median is of figures counted the same way.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from models.question_answers import shown
from models.questions import CHOOSING, ROLE_LABELS, Kind, Question, describe
from models.returns import AuthorityReturn, SurveyRound

IN_MEDIAN = "Counted by the rule"
NOT_IN_MEDIAN = "Counted differently (not in the median)"
KEPT_OUT = (
    "A figure its authority says was counted differently is shown, but kept out of the median: the median "
    "is of figures counted as the rule says."
)


@dataclass(frozen=True)
class AnswerRow:
    authority: str
    value: object
    text: str  # the answer as a reader sees it
    how: str | None  # counted differently: how (figures only)
    asked: str | None

    @property
    def in_median(self) -> bool:
        return self.how is None and isinstance(self.value, int | float) and not isinstance(self.value, bool)


@dataclass(frozen=True)
class QuestionSummary:
    question: Question
    rows: list[AnswerRow] = field(default_factory=list)
    asked_of: int = 0  # returns in the round

    @property
    def median(self) -> float | None:
        values = [float(r.value) for r in self.rows if r.in_median]  # type: ignore[arg-type]
        return statistics.median(values) if values else None

    @property
    def counted_differently(self) -> list[AnswerRow]:
        return [r for r in self.rows if r.how]

    def median_of(self, authorities: Iterable[str]) -> float | None:
        names = set(authorities)
        values = [float(r.value) for r in self.rows if r.in_median and r.authority in names]  # type: ignore[arg-type]
        return statistics.median(values) if values else None

    def shares(self) -> list[tuple[str, int]]:
        """Yes/no and choice questions: (answer, how many authorities gave it), in the question's order."""
        q = self.question
        options = ["Yes", "No"] if q.kind == Kind.yes_no else list(q.choices)
        counts = dict.fromkeys(options, 0)
        for r in self.rows:
            picked = r.value if isinstance(r.value, list) else [r.value]
            for p in picked:
                key = ("Yes" if p else "No") if q.kind == Kind.yes_no else p
                if key in counts:
                    counts[key] += 1
        return list(counts.items())

    def words(self) -> str:
        q = self.question
        n = len(self.rows)
        if not n:
            return f"No authority has answered '{q.text}' yet."
        lead = f"{n} of {self.asked_of} returns answer '{q.text}'."
        if q.is_figure:
            differ = self.counted_differently
            m = self.median
            middle = (
                f" The median of those counted by the rule is {shown(q, _tidy(m))}." if m is not None else ""
            )
            out = ", ".join(f"{r.authority} ({r.how})" for r in differ)
            kept = f" Counted differently, so kept out of the median: {out}." if differ else ""
            return lead + middle + kept
        if q.kind in (Kind.yes_no, *CHOOSING):
            parts = "; ".join(f"{label}: {count}" for label, count in self.shares() if count)
            return f"{lead} {parts}."
        return lead

    def table(self) -> pd.DataFrame:
        cols = ["Authority", "Answer"]
        if self.question.is_figure:
            cols += ["Counted differently: how", "In the median"]
        rows = []
        for r in self.rows:
            row = {"Authority": r.authority, "Answer": r.text}
            if self.question.is_figure:
                row["Counted differently: how"] = r.how or ""
                row["In the median"] = "Yes" if r.in_median else "No"
            rows.append(row)
        return pd.DataFrame(rows, columns=cols)

    def shares_table(self) -> pd.DataFrame:
        n = len(self.rows)
        return pd.DataFrame(
            [
                {"Answer": label, "Authorities": c, "Share": (c / n if n else 0.0)}
                for label, c in self.shares()
            ],
            columns=["Answer", "Authorities", "Share"],
        )


def _tidy(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else round(x, 1)


def summaries(
    rnd: SurveyRound, returns: Iterable[AuthorityReturn], *, hidden: bool = False
) -> list[QuestionSummary]:
    """Each of the round's questions (not hidden ones unless asked) with its answers, by authority."""
    mine = sorted((r for r in returns if r.round == rnd.id), key=lambda r: r.authority.casefold())
    out = []
    for q in rnd.questions:
        if q.hidden and not hidden:
            continue
        rows = []
        for ret in mine:
            a = ret.answers.get(q.id)
            if a is None or a.value in (None, "", []):
                continue
            rows.append(AnswerRow(ret.authority, a.value, shown(q, a.value), a.counted_differently, a.asked))
        out.append(QuestionSummary(q, rows, len(mine)))
    return out


def answers_frame(rnd: SurveyRound, returns: Iterable[AuthorityReturn]) -> pd.DataFrame:
    """Every answer to the round's questions, one row each (the workbook's sheet of them)."""
    rows = []
    for s in summaries(rnd, returns, hidden=True):
        q = s.question
        for r in s.rows:
            rows.append(
                {
                    "Round": rnd.id,
                    "Question id": q.id,
                    "Question": r.asked or q.text,
                    "Role": ROLE_LABELS[q.role],
                    "Authority": r.authority,
                    "Answer": r.text,
                    "Counted differently: how": r.how or "",
                    "In the median": ("Yes" if r.in_median else "No") if q.is_figure else "",
                }
            )
    cols = ["Round", "Question id", "Question", "Role", "Authority", "Answer", "Counted differently: how"]
    return pd.DataFrame(rows, columns=[*cols, "In the median"])


def rules_lines(rnd: SurveyRound) -> list[str]:
    """Each question of the round with its kind and counting rule, for the About sheet."""
    out = []
    for q in rnd.questions:
        rule = f" Counting rule: {q.counting_rule.words()}" if q.counting_rule else ""
        out.append(f"{q.text} ({describe(q)}).{rule}")
    return out
