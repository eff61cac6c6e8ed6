"""The round's own questions compared: each figure beside its counting rule, with the group median,
the statistical neighbours' median, a table and words; each yes/no and choice question's shares.

``build(sel, round_id=…, authority=…)`` is the page (``pages/round_questions.py``); the same
sections go into the pack (``views.pack``), the profile (``profile_section``) and Change between
rounds (``changes_section``). The summary behind them is ``analysis.round_questions``.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.round_questions import IN_MEDIAN, KEPT_OUT, NOT_IN_MEDIAN, QuestionSummary, summaries
from models.question_answers import shown
from models.questions import CHOOSING, ROLE_LABELS, Kind, describe
from models.returns import AuthorityReturn, SurveyRound
from models.vocabulary import CLI
from views import charts
from views.base import Chart, Section, Selection, Table, View

TITLE = "This round's own questions"
INTRO = (
    "The questions the coordinator added for this round, compared. Each figure is shown beside its "
    "counting rule, so that it is read as it was counted; the median is of the figures counted by the rule."
)
NONE_YET = (
    "No round has questions of its own yet. The coordinator adds them on the Coordinator page "
    f"(This round's questions) or with `{CLI} round questions ROUND add QUESTION`."
)
PRINT_NONE_YET = "No round has questions of its own yet: the coordinator adds them to a round."
SOURCE = "Source: the authorities' returns to this round."


def rounds_with_questions(rounds: Iterable[SurveyRound]) -> list[SurveyRound]:
    return [r for r in rounds if any(not q.hidden for q in r.questions)]


def neighbour_names(authority: str | None, returns: Iterable[AuthorityReturn]) -> list[str]:
    """The statistical neighbours of ``authority`` that have a return among ``returns`` (their names)."""
    if not authority:
        return []
    from official.context import load_context, neighbours

    ctx = load_context()
    codes = {n.authority.ons_code for n in neighbours(ctx, authority) if n.authority is not None}
    out = []
    for r in returns:
        entry = ctx.register.find(r.authority)
        if entry is not None and entry.ons_code in codes:
            out.append(r.authority)
    return out


def _figure_section(s: QuestionSummary, focus: str | None, near: list[str], level: int) -> Section:
    q = s.question
    rule = q.counting_rule
    intro = f"Counting rule: {rule.words()}" if rule else None
    if not s.rows:
        return Section(heading=q.text, intro=intro, level=level, empty=s.words())
    medians = []
    if s.median is not None:
        medians.append((f"Group median {shown(q, _tidy(s.median))}", s.median))
    near_median = s.median_of(near)
    if focus and near_median is not None:
        medians.append((f"{focus}'s neighbours' median {shown(q, _tidy(near_median))}", near_median))
    data = pd.DataFrame(
        [
            {
                "Authority": r.authority,
                "Label": r.authority
                + (" (counted differently)" if r.how else "")
                + (" ◆" if r.authority == focus else ""),
                "Value": float(r.value),  # type: ignore[arg-type]
                "Answer": r.text,
                "Status": IN_MEDIAN if r.in_median else NOT_IN_MEDIAN,
            }
            for r in s.rows
        ]
    )
    words = s.words()
    if focus and near:
        nm = shown(q, _tidy(near_median)) if near_median is not None else "none counted by the rule"
        words += f" {focus}'s statistical neighbours with an answer: {', '.join(near)} (median {nm})."
    notes = [KEPT_OUT] if s.counted_differently else []
    if focus:
        notes.append(f"◆ marks {focus}.")
    if q.source:
        notes.append(f"The counting rule follows: {q.source}")
    unit = "per cent" if q.kind == Kind.percentage else q.unit_words
    return Section(
        heading=q.text,
        intro=intro,
        level=level,
        charts=(
            Chart(
                key=f"rq_{q.id}",
                title=q.text,
                chart=charts.question_chart(data, q.text, unit, medians),
                alt=words,
                source=SOURCE,
            ),
        ),
        text=words,
        tables=(
            Table(key=f"rq_table_{q.id}", caption=f"Table of {q.text}", frame=s.table(), sheet=_sheet(q.id)),
        ),
        notes=tuple(notes),
    )


def _sheet(qid: str) -> str:
    return f"Q {qid}"[:31]


def _tidy(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else round(x, 1)


def _shares_section(s: QuestionSummary, level: int) -> Section:
    q = s.question
    frame = s.shares_table()
    return Section(
        heading=q.text,
        intro=describe(q),
        level=level,
        text=s.words(),
        tables=(
            Table(
                key=f"rq_shares_{q.id}",
                caption=f"{q.text}: how many authorities gave each answer",
                frame=frame,
                sheet=_sheet(q.id),
                percent=("Share",),
                expanded=True,
            ),
            Table(key=f"rq_answers_{q.id}", caption=f"Answers to {q.text}, by authority", frame=s.table()),
        ),
        empty=None if s.rows else s.words(),
    )


def _text_section(s: QuestionSummary, level: int) -> Section:
    q = s.question
    return Section(
        heading=q.text,
        level=level,
        text=s.words(),
        tables=(
            Table(
                key=f"rq_text_{q.id}",
                caption=f"Answers to {q.text}",
                frame=s.table(),
                sheet=_sheet(q.id),
                expanded=True,
            ),
        ),
        empty=None if s.rows else s.words(),
    )


def question_sections(
    rnd: SurveyRound,
    returns: Iterable[AuthorityReturn],
    focus: str | None = None,
    level: int = 2,
    role: str | None = None,
) -> list[Section]:
    returns = [r for r in returns if r.round == rnd.id]
    near = [n for n in neighbour_names(focus, returns) if n != focus]
    out = []
    for s in summaries(rnd, returns):
        q = s.question
        if role is not None and q.role != role:
            continue
        if q.is_figure:
            out.append(_figure_section(s, focus, near, level))
        elif q.kind in (Kind.yes_no, *CHOOSING):
            out.append(_shares_section(s, level))
        else:
            out.append(_text_section(s, level))
    return out


def build(sel: Selection, *, round_id: str | None = None, authority: str | None = None) -> View:
    rounds = rounds_with_questions(sel.rounds.values())
    if not rounds:
        return View(key="round_questions", title=TITLE, intro=INTRO, empty=NONE_YET)
    rnd = next((r for r in rounds if r.id == round_id), rounds[-1])
    returns = [r for r in sel.returns if r.round == rnd.id]
    by_role = []
    for role, label in ROLE_LABELS.items():
        sections = question_sections(rnd, returns, authority, level=3, role=role)
        if sections:
            by_role.append(Section(heading=label, level=2))
            by_role += sections
    return View(
        key="round_questions",
        title=f"{TITLE}: {rnd.title}",
        intro=INTRO + f" {len(returns)} returns in this round.",
        sections=tuple(by_role),
        notes=(KEPT_OUT,),
        filters=sel.filters,
    )


def profile_section(rnd: SurveyRound, ret: AuthorityReturn) -> Section | None:
    """One authority's answers to its round's questions, each with the wording it was answered under."""
    rows = []
    for q in rnd.questions:
        a = ret.answers.get(q.id)
        if a is None:
            continue
        how = f" (counted differently: {a.counted_differently})" if a.counted_differently else ""
        rows.append({"Question": a.asked or q.text, "Answer": shown(q, a.value) + how})
    if not rows:
        return None
    frame = pd.DataFrame(rows, columns=["Question", "Answer"])
    return Section(
        heading="This round's own questions",
        level=3,
        tables=(
            Table(
                key="profile_round_questions",
                caption="Answers to this round's own questions",
                frame=frame,
                expanded=True,
            ),
        ),
    )


def changes_section(a: SurveyRound, b: SurveyRound, returns: Iterable[AuthorityReturn]) -> Section | None:
    """Questions asked in both rounds (the same id: one series), each authority's answer in each."""
    both = [q for q in b.questions if any(p.id == q.id for p in a.questions)]
    if not both:
        return None
    returns = list(returns)
    before = {r.authority: r for r in returns if r.round == a.id}
    after = {r.authority: r for r in returns if r.round == b.id}
    first, second = (a.title, b.title) if a.title != b.title else (a.id, b.id)
    rows = []
    for q in both:
        for name in sorted(set(before) & set(after), key=str.casefold):
            was, now = before[name].answers.get(q.id), after[name].answers.get(q.id)
            if was is None and now is None:
                continue
            rows.append(
                {
                    "Question": q.text,
                    "Authority": name,
                    first: shown(q, was.value) if was else "(no answer)",
                    second: shown(q, now.value) if now else "(no answer)",
                }
            )
    frame = pd.DataFrame(rows, columns=["Question", "Authority", first, second])
    return Section(
        heading="The rounds' own questions asked in both",
        intro="The same question (the same id, the same counting rule) asked in both rounds.",
        tables=(
            Table(
                key="changes_round_questions",
                caption="Answers in each round",
                frame=frame,
                sheet="Own questions in both",
                expanded=True,
            ),
        ),
        empty=None if rows else "No authority answered a question asked in both rounds.",
    )
