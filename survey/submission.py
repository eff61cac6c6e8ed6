"""Turning a lead's answers into a valid return: the logic behind the Submit page.

The page holds answers as a flat ``{path: value}`` mapping (one widget per
question of ``models.questionnaire``); these functions build and check the
return from it without Streamlit, so they are tested on their own.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from models.caseload import StatedPart, figure_words, numbers_text
from models.caseload_parser import CaseloadProposal, parse_caseload
from models.errors import Problem, explain
from models.notes import refresh_notes
from models.numbers import read_whole_number
from models.question_answers import answers_from_flat, flat_from_answers, is_answer_path
from models.questionnaire import by_path, flatten, questions, unflatten
from models.returns import MAX_CASELOAD, AuthorityReturn

SUBMITTER_ROLE = "authority lead"


def starting_answers(current: AuthorityReturn | None, own: list | tuple = ()) -> dict[str, Any]:
    """The answers a form starts from: the current version's, or empty ones (``own``: the round's
    own questions, ``q.<id>``, answered as the return answered them)."""
    mine = flat_from_answers(list(own), current.answers if current is not None else {})
    if current is not None:
        return {**flatten(current), **mine}
    return {**{q.path: ([] if q.kind == "multi_choice" else None) for q in questions()}, **mine}


def clean_answers(values: dict[str, Any]) -> dict[str, Any]:
    """Trim text, treat blank text as unanswered, and keep only known questions."""
    out: dict[str, Any] = {}
    for path, value in values.items():
        if path not in by_path():
            continue
        if isinstance(value, str):
            value = value.strip() or None
        out[path] = value
    return out


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def entry_problems(answers: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Figures read exactly (``models.numbers``) and text checked for characters no file can store.

    Returns the answers with each figure as an int or None, and a Problem for each answer
    refused here; a refused answer is left out (None) so the rest can still be checked.
    """
    out = dict(answers)
    problems: list[Problem] = []
    known = by_path()
    for path, value in answers.items():
        q = known.get(path)
        if q is None:
            continue
        if _has_lone_surrogate(value):
            out[path] = None
            problems.append(
                Problem(
                    "lone_surrogate",
                    path,
                    q.full_question,
                    "This answer holds a character that is not valid text (a lone surrogate, often left "
                    "by a bad copy and paste). Type that part again.",
                )
            )
        elif q.kind == "int":
            reading = read_whole_number(
                value,
                minimum=int(q.minimum or 0),
                maximum=int(q.maximum if q.maximum is not None else MAX_CASELOAD),
            )
            out[path] = reading.value
            if not reading.ok:
                problems.append(Problem("whole_number", path, q.full_question, reading.problem or ""))
        elif q.kind == "float" and isinstance(value, float) and not math.isfinite(value):
            out[path] = None
            problems.append(
                Problem("finite_number", path, q.full_question, "Enter a number, for example 7.5.")
            )
    return out, problems


@dataclass
class BuildResult:
    ret: AuthorityReturn | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.ret is not None and not self.problems

    def by_path(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for p in self.problems:
            out.setdefault(p.path, []).append(p.message)
        return out


def build_return(
    values: dict[str, Any],
    *,
    authority: str,
    round_id: str,
    base: AuthorityReturn | None = None,
    ask_cp_chair: bool = True,
    channel: str = "form",
    require_answers: bool = True,
    now: dt.datetime | None = None,
    confirmed: list[str] | None = None,
    commentaries: list | None = None,
    own: list | tuple = (),
) -> BuildResult:
    """Validate the answers as a whole return for ``authority`` in ``round_id``.

    ``base`` is the current version: what the form does not ask (the
    coordinator's data-quality notes, supporting sentences for codes still
    chosen, other workforce figures) is carried over from it, never dropped.
    ``ask_cp_chair=False`` (a combined role answered in one section) leaves the
    CP chair section out. ``confirmed`` lists the keys of the ``figure_mismatches`` the
    lead confirmed; they are recorded in the provenance. ``commentaries`` (``models.commentary.
    merge_commentaries``) replaces the base's commentaries on flagged figures where given.

    A figure that is not a plain whole number, or text holding a lone surrogate, is
    refused here with a message naming its question (``entry_problems``). ``own`` are the round's own
    questions (``models.questions``): their answers (``q.<id>``) are read by their kind, each refusal
    naming the question, and answers to questions not asked (hidden) are kept from ``base``.
    """
    flat_own = {p: v for p, v in values.items() if is_answer_path(p)}
    answers, refused = entry_problems(clean_answers(values))
    own_answers, own_refused = answers_from_flat(
        list(own), flat_own, base.answers if base is not None else None, require_answers=require_answers
    )
    refused = refused + own_refused
    if not ask_cp_chair:
        answers = {p: v for p, v in answers.items() if not p.startswith("cp_chair.")}
    base_data = base.model_dump(mode="json") if base is not None else {}
    data = unflatten(answers, base_data)
    if not ask_cp_chair:
        data["cp_chair"] = None
    data["authority"] = authority
    data["round"] = round_id
    data.setdefault("notes", [])
    data["answers"] = {k: a.model_dump(mode="json") for k, a in own_answers.items()}
    if commentaries is not None:
        data["commentaries"] = [c.model_dump(mode="json") for c in commentaries]
    data["provenance"] = {
        "source": "Submitted through the dashboard" if channel == "form" else "Uploaded spreadsheet",
        "channel": channel,
        "submitted_at": (now or dt.datetime.now(dt.UTC)).isoformat(),
        "submitted_by": SUBMITTER_ROLE,
        "version": (base.provenance.version if base is not None else 1),
        "confirmed": list(confirmed or []),
    }
    try:
        ret = AuthorityReturn.model_validate(data, context={"require_answers": require_answers})
    except ValidationError as exc:
        refused_paths = {p.path for p in refused}
        # A refused figure was left out: do not also say "this answer is required" about it.
        others = [p for p in explain(exc) if p.path not in refused_paths]
        return BuildResult(problems=refused + others)
    if refused:
        return BuildResult(problems=refused)
    # A data-quality note on an answer that changed is marked as written for an earlier version.
    return BuildResult(ret=refresh_notes(base, ret))


def field_problems(
    values: dict[str, Any], *, authority: str, round_id: str, ask_cp_chair: bool, own: list | tuple = ()
) -> dict[str, str]:
    """Messages for answers already typed, without complaining about unanswered questions.

    Used to check answers as they are typed: a rule broken by what is there
    (a low above a high, a negative figure, an answer over the limit) shows at
    once; "this answer is required" waits until the lead asks to preview or save.
    """
    result = build_return(
        values,
        authority=authority,
        round_id=round_id,
        ask_cp_chair=ask_cp_chair,
        require_answers=False,
        own=own,
    )
    return {p.path: p.message for p in result.problems if p.code not in ("missing", "answer_required")}


def proposal_for(text: str | None) -> CaseloadProposal:
    """Numbers proposed from a caseload answer (the lead decides whether to use them)."""
    return parse_caseload(text)


def proposal_answers(prefix: str, proposal: CaseloadProposal) -> dict[str, Any]:
    """The form answers a proposal would set, for the caseload at ``prefix`` (e.g. ``iro.caseload``)."""
    out: dict[str, Any] = {
        f"{prefix}.low": proposal.low,
        f"{prefix}.high": proposal.high,
        f"{prefix}.unit": proposal.unit,
    }
    if proposal.population:
        out[f"{prefix}.population"] = proposal.population
    slots = [
        q.path for q in questions() if q.path.startswith(f"{prefix}.parts.") and q.path.endswith(".label")
    ]
    for i in range(len(slots)):
        part = proposal.parts[i] if i < len(proposal.parts) else None
        out[f"{prefix}.parts.{i}.label"] = part.label if part else None
        out[f"{prefix}.parts.{i}.low"] = part.low if part else None
        out[f"{prefix}.parts.{i}.high"] = part.high if part else None
        out[f"{prefix}.parts.{i}.population"] = part.population if part else None
    return out


def describe_proposal(proposal: CaseloadProposal) -> str:
    """'20–25 families' / 'up to 50 children (a cap)' / '68–85 children (the sum of the stated parts:
    30–40 children on CP plans; 38–45 children in care)' / '' for the form's hint: the words every
    page uses for a figure (``models.caseload.figure_words``)."""
    if not proposal.found:
        return ""
    parts = [StatedPart(p.label, p.low, p.high) for p in proposal.parts]
    return figure_words(proposal.low, proposal.high, proposal.unit, parts, summed=bool(parts))


# ---------------------------------------------------------------------------
# Words and figures: when the answer's text and the figures disagree, the lead is asked.


@dataclass(frozen=True)
class FigureMismatch:
    """The caseload parser reads the answer one way and the figures say another."""

    prefix: str  # e.g. "iro.caseload"
    question: str  # e.g. "IRO role: Case holding"
    text_reading: str  # e.g. "65 cases"
    figures: str  # e.g. "0–60"

    @property
    def message(self) -> str:
        return (
            f"{self.question}: the answer reads as {self.text_reading}, but the figures say "
            f"{self.figures}. Check the figures, or confirm that they are right."
        )

    @property
    def key(self) -> str:
        """What the provenance records when the lead confirms it (``build_return(confirmed=...)``)."""
        return f"{self.prefix}: words {self.text_reading}; figures {self.figures}"[:200]


def figure_mismatches(values: dict[str, Any]) -> list[FigureMismatch]:
    """Each caseload whose figures disagree with what the caseload parser reads in its text.

    Nothing is reported where the text has no figure, where no figure is entered, or where
    a figure is not yet a valid whole number (that has its own message).
    """
    answers, _ = entry_problems(clean_answers(values))
    known = by_path()
    out: list[FigureMismatch] = []
    prefixes = sorted({p[: -len(".text")] for p in known if p.endswith("caseload.text")})
    for prefix in prefixes:
        low, high = answers.get(f"{prefix}.low"), answers.get(f"{prefix}.high")
        if low is None and high is None:
            continue
        proposal = parse_caseload(answers.get(f"{prefix}.text"))
        if not proposal.found:
            continue
        if (proposal.low, proposal.high) == (low, high):
            continue
        figures = f"{low} (lowest) and no highest figure" if high is None else numbers_text(low, high)
        out.append(
            FigureMismatch(
                prefix=prefix,
                question=known[f"{prefix}.text"].full_question,
                text_reading=describe_proposal(proposal),
                figures=figures,
            )
        )
    return out
