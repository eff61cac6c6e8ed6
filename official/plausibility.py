"""Plausibility flags: figures in a return that do not sit well with each other or with official figures.

One rule per function. Each rule has a stable code, a plain message, the fields it concerns, and
its cases beside it: ``(input, expected)`` pairs that ``tests/test_plausibility.py`` runs, where
``expected`` is True when the rule should flag. A rule takes plain numbers, so it can be read and
tested without a return; ``flags(ret, ctx)`` gathers the numbers from a return and the official
figures and runs every rule.

A flag is a question for a person to look at, never a verdict: the figures may all be right.

One rule links the return to what Ofsted's inspectors wrote (``official.ofsted``): where the report
held says IRO caseloads are high, or that IROs lack capacity, and the return's IRO caseload is within
the IRO Handbook's band (or below it), the flag quotes the sentence. ``pressure_sentence`` finds it,
with its own cases (``PRESSURE_CASES``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from models.caseload import CHILDREN, FAMILIES, role_figure
from models.questionnaire import field_title
from models.vocabulary import IRO_BAND
from official import ofsted
from official.context import Context, implied_role, load_context
from official.register import is_not_named

#: The rule that quotes Ofsted's inspectors (its flag carries Ofsted's licence line wherever shown).
INSPECTORS_RULE = "inspectors_say_iro_caseloads_high"
#: How far an implied caseload may be from the reported one before it is flagged (a ratio).
FAR_RATIO = 1.5


@dataclass(frozen=True)
class Rule:
    code: str
    title: str  # what a reader sees instead of the code
    message: str  # a template filled with the rule's inputs
    fields: tuple[str, ...]
    check: Callable[..., bool]
    cases: list[tuple[dict[str, Any], bool]] = field(default_factory=list)


@dataclass(frozen=True)
class Flag:
    code: str
    message: str
    fields: tuple[str, ...]
    title: str = ""

    @property
    def questions(self) -> tuple[str, ...]:
        """The questions the flag concerns, as the questionnaire asks them (never their codes)."""
        return tuple(field_title(f) for f in self.fields)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "message": self.message, "fields": list(self.fields)}


RULES: dict[str, Rule] = {}


def rule(
    code: str, title: str, message: str, fields: tuple[str, ...], cases: list[tuple[dict[str, Any], bool]]
):
    def register(fn: Callable[..., bool]) -> Callable[..., bool]:
        RULES[code] = Rule(code, title, message, fields, fn, cases)
        return fn

    return register


# ---------------------------------------------------------------------------
# The rules


@rule(
    code="implied_caseload_far_from_reported",
    title="Caseload far from the one the official count implies",
    message=(
        "The {role} caseload reported ({reported:g}) is far from the caseload implied by the official "
        "count and the stated full-time equivalents ({implied:g})."
    ),
    fields=("{role_field}.caseload", "workforce.{role_field}_fte"),
    cases=[
        ({"reported": 65, "implied": 64.0}, False),
        ({"reported": 65, "implied": 100.0}, True),  # more than 1.5 times
        ({"reported": 65, "implied": 40.0}, True),  # less than 1/1.5
        ({"reported": 65, "implied": 97.0}, False),  # within 1.5 times
        ({"reported": None, "implied": 70.0}, False),  # nothing reported: nothing to compare
        ({"reported": 65, "implied": None}, False),  # no official figure or no FTE
    ],
)
def implied_caseload_far_from_reported(reported: float | None, implied: float | None) -> bool:
    if not reported or not implied:
        return False
    ratio = implied / reported
    return ratio > FAR_RATIO or ratio < 1 / FAR_RATIO


@rule(
    code="cp_caseload_implies_under_one_chair",
    title="CP chair caseload above the children on plans",
    message=(
        "The CP chair caseload ({caseload:g}) is more than the authority's {plans:,.0f} children on child "
        "protection plans: it implies fewer than one full-time CP chair."
    ),
    fields=("cp_chair.caseload",),
    cases=[
        ({"caseload": 64, "plans": 1150}, False),
        ({"caseload": 80, "plans": 50}, True),
        ({"caseload": 80, "plans": 80}, False),  # exactly one chair
        ({"caseload": None, "plans": 50}, False),
        ({"caseload": 80, "plans": None}, False),
    ],
)
def cp_caseload_implies_under_one_chair(caseload: float | None, plans: float | None) -> bool:
    if not caseload or plans is None:
        return False
    return plans / caseload < 1


@rule(
    code="combined_role_different_figures",
    title="Combined role with two different caseloads",
    message=(
        "The role is reported as combined, but the IRO caseload ({iro}) and the CP chair caseload ({cp}) "
        "differ: say whether they are one caseload or two parts of it."
    ),
    fields=("combined_role", "iro.caseload", "cp_chair.caseload"),
    cases=[
        ({"combined": True, "iro": "50", "cp": "17"}, True),
        ({"combined": True, "iro": "60", "cp": "60"}, False),
        ({"combined": False, "iro": "65", "cp": "64"}, False),  # separate roles: different figures expected
        ({"combined": True, "iro": "45–60", "cp": ""}, False),  # CP chair caseload not given
        ({"combined": None, "iro": "65", "cp": "64"}, False),
    ],
)
def combined_role_different_figures(combined: bool | None, iro: str, cp: str) -> bool:
    return combined is True and bool(iro) and bool(cp) and iro != cp


@rule(
    code=INSPECTORS_RULE,
    title="Inspectors wrote of high IRO caseloads",
    message=(
        "Ofsted's inspectors wrote that IRO caseloads are high or that IROs lack capacity ({reference}): "
        "“{sentence}” The return's IRO caseload ({reported:g}) is {position} the IRO Handbook's band of "
        "{band}. A question to look at, not a finding: the report may be older than the return, and both may "
        "be right."
    ),
    fields=("iro.caseload",),
    cases=[
        ({"said": True, "position": "within"}, True),
        ({"said": True, "position": "below"}, True),
        ({"said": True, "position": "above"}, False),  # the return agrees: caseloads are high
        ({"said": False, "position": "within"}, False),  # inspectors say nothing of the kind
        ({"said": True, "position": "not comparable (families)"}, False),
        ({"said": True, "position": "no figure"}, False),
    ],
)
def inspectors_say_iro_caseloads_high(said: bool, position: str | None) -> bool:
    return said and position in ("within", "below")


# ---------------------------------------------------------------------------
# What inspectors wrote about IROs' caseloads and capacity

#: A sentence names IROs (or says "their"/"they" just after one that does, naming no other role).
_NAMES_IROS = re.compile(r"\bIROs?(?:’|')?s?\b|(?i:\bindependent\s+reviewing\s+officers?\b)")
_HIGH = re.compile(
    r"(?i)\b(?:high|higher|too\s+high|rising|increasing|increased|large|heavy|excessive|unmanageable)\s+"
    r"(?:\w+\s+){0,2}?(?:case|work)loads?\b"
    r"|\b(?:case|work)loads?\b(?:\s+\w+){0,8}?\s+(?:(?:too|very|remain|remaining|are|is|were)\s+)?"
    r"(?:high|higher|too\s+high|rising|increasing|excessive|unmanageable)\b"
)
_CAPACITY = re.compile(
    r"(?i)\b(?:lack|lacks|lacking|shortage)\s+(?:of\s+)?(?:\w+\s+){0,2}?capacity\b"
    r"|\b(?:insufficient|limited|not\s+enough)\s+(?:\w+\s+){0,2}?capacity\b"
    r"|\bcapacity\s+(?:\w+\s+){0,2}?(?:pressures?|is\s+limited|is\s+insufficient|is\s+stretched)\b"
    r"|\bcompeting\s+demands\b|\bstretched\b"
)
_BETTER = re.compile(
    r"(?i)\b(?:not|no\s+longer|never)\s+(?:too\s+)?high\b|\breduced\s+(?:case|work)loads?\b"
    r"|\b(?:case|work)loads?\s+(?:\w+\s+){0,3}(?:reduced|manageable|lower)\b"
)
_OTHER_ROLES = re.compile(
    r"(?i)\bsocial\s+workers?\b|\bpersonal\s+advisers?\b|\bmanagers?\b|\bfoster\s+carers?\b|\bpractitioners?\b"
)
_THEY = re.compile(r"(?i)\b(?:their|they|them)\b")
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘“])")

#: (passage, whether it says IRO caseloads are high or IROs lack capacity).
PRESSURE_CASES: list[tuple[str, bool]] = [
    ("IROs’ caseloads are too high for them to consistently monitor children’s circumstances.", True),
    ("In addition, the workloads of child protection chairs and IROs are too high, which limits them.", True),
    ("Social work turnover and lack of IRO capacity adversely impact on IROs’ ability to recommend.", True),
    ("IROs have competing demands with a combined caseload of child protection reviews.", True),
    (
        "IROs seek to engage children in their reviews. However, high caseloads impact on their oversight.",
        True,
    ),
    ("Reduced caseloads have improved IRO oversight of care planning.", False),
    ("IROs lead high-quality reviews which actively prevent drift and delay.", False),
    ("IROs know children well. Social workers’ caseloads are high and they feel stretched.", False),
    ("IRO caseloads are manageable and they visit children between reviews.", False),
    ("Caseloads are too high in parts of the service.", False),
]


def pressure_sentence(text: str) -> str | None:
    """The first sentence saying IRO caseloads are high or IROs lack capacity, or None."""
    after_iros = False
    for sentence in _SENTENCES.split(text):
        names = bool(_NAMES_IROS.search(sentence))
        about = names or (after_iros and _THEY.search(sentence) and not _OTHER_ROLES.search(sentence))
        if about and (_HIGH.search(sentence) or _CAPACITY.search(sentence)) and not _BETTER.search(sentence):
            return sentence
        after_iros = names
    return None


def inspectors_on_pressure(
    authority: str, data: ofsted.OfstedData | None = None
) -> tuple[ofsted.Passage, str] | None:
    """The first passage (and its sentence) of the authority's report saying IRO caseloads are high."""
    ins, _ = ofsted.inspection_of(authority, data)
    if ins is None:
        return None
    for passage in (data or ofsted.load_ofsted()).passages(ins.dfe_code, ofsted.IRO):
        sentence = pressure_sentence(passage.text)
        if sentence:
            return passage, sentence
    return None


# ---------------------------------------------------------------------------
# Rules for the figures of a round's own questions (``models.questions``), read by their library ids


@rule(
    code="iro_fte_implies_caseload_far_from_reported",
    title="IRO count far from the caseload reported",
    message=(
        "The full-time IROs reported ({fte:g}) and the official count of children looked after ({children:,.0f}) "
        "imply a caseload of {implied:g} per IRO, far from the caseload reported ({reported:g})."
    ),
    fields=("answers.iro_fte", "iro.caseload"),
    cases=[
        ({"reported": 65, "implied": 60.0}, False),
        ({"reported": 65, "implied": 110.0}, True),
        ({"reported": 65, "implied": 30.0}, True),
        ({"reported": None, "implied": 60.0}, False),
        ({"reported": 65, "implied": None}, False),
    ],
)
def iro_fte_implies_caseload_far_from_reported(reported: float | None, implied: float | None) -> bool:
    return implied_caseload_far_from_reported(reported, implied)


@rule(
    code="percentage_over_100",
    title="A percentage over 100",
    message="The answer to '{question}' is {value:g}%, more than 100%.",
    fields=("answers.{question_id}",),
    cases=[({"value": 101}, True), ({"value": 100}, False), ({"value": 0}, False), ({"value": None}, False)],
)
def percentage_over_100(value: float | None) -> bool:
    return value is not None and value > 100


@rule(
    code="more_notices_resolved_than_raised",
    title="More dispute-resolution notices resolved than raised",
    message=(
        "More dispute-resolution notices are reported resolved within 20 working days ({resolved:,}) than "
        "raised in the year ({raised:,})."
    ),
    fields=("answers.dispute_notices_raised", "answers.dispute_notices_resolved_20_days"),
    cases=[
        ({"raised": 10, "resolved": 8}, False),
        ({"raised": 10, "resolved": 10}, False),
        ({"raised": 10, "resolved": 12}, True),
        ({"raised": None, "resolved": 3}, False),
        ({"raised": 4, "resolved": None}, False),
    ],
)
def more_notices_resolved_than_raised(raised: int | None, resolved: int | None) -> bool:
    return raised is not None and resolved is not None and resolved > raised


@rule(
    code="fte_zero_with_caseload",
    title="No full-time officers, but a caseload",
    message="The full-time {role}s reported are 0, but the return reports {role} caseloads ({caseload:g}).",
    fields=("answers.{question_id}", "{role_field}.caseload"),
    cases=[
        ({"fte": 0, "caseload": 60}, True),
        ({"fte": 0, "caseload": None}, False),
        ({"fte": 4.5, "caseload": 60}, False),
        ({"fte": None, "caseload": 60}, False),
    ],
)
def fte_zero_with_caseload(fte: float | None, caseload: float | None) -> bool:
    return fte == 0 and bool(caseload)


def _answer(ret: Any, question_id: str) -> float | None:
    a = (getattr(ret, "answers", None) or {}).get(question_id)
    value = a.value if a is not None else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def question_flags(ret: Any, ctx: Context | None) -> list[Flag | None]:
    """The rules above, on a return's answers to its round's own questions (none where not answered)."""
    from models.questions import Kind, library

    out: list[Flag | None] = []
    for q in library():
        if q.kind == Kind.percentage and (v := _answer(ret, q.id)) is not None:
            out.append(_flag("percentage_over_100", value=v, question=q.text, question_id=q.id))
    raised, resolved = (
        _answer(ret, "dispute_notices_raised"),
        _answer(ret, "dispute_notices_resolved_20_days"),
    )
    if raised is not None and resolved is not None:
        out.append(_flag("more_notices_resolved_than_raised", raised=int(raised), resolved=int(resolved)))
    for role, label, qid in (("iro", "IRO", "iro_fte"), ("cp_chair", "CP chair", "cp_chair_fte")):
        fig = role_figure(ret, role)
        fte = _answer(ret, qid)
        if fte is not None:
            caseload = fig.value if fig.figure is not None else None
            out.append(
                _flag(
                    "fte_zero_with_caseload",
                    fte=fte,
                    caseload=caseload,
                    role=label,
                    role_field=role,
                    question_id=qid,
                )
            )
    fte = _answer(ret, "iro_fte")
    fig = role_figure(ret, "iro")
    if fte and ctx is not None and fig.value is not None and fig.group == CHILDREN:
        entry = ctx.register.find(ret.authority)
        children = ctx.latest(entry.dfe_code, "LACnum") if entry else None
        if children is not None and children.value:
            implied = round(children.value / fte)
            out.append(
                _flag(
                    "iro_fte_implies_caseload_far_from_reported",
                    reported=fig.value,
                    implied=implied,
                    fte=fte,
                    children=children.value,
                )
            )
    return out


# ---------------------------------------------------------------------------
# Applying the rules to a return


def _flag(code: str, **inputs: Any) -> Flag | None:
    r = RULES[code]
    args = {k: v for k, v in inputs.items() if k in r.check.__code__.co_varnames}
    if not r.check(**args):
        return None
    fields = tuple(f.format(**inputs) for f in r.fields)
    return Flag(code, r.message.format(**inputs), fields, r.title)


def flags(ret: Any, ctx: Context | None = None) -> list[Flag]:
    """Every plausibility flag of a return (official figures from ``ctx``; none for an unnamed authority).

    Each caseload is read once (``models.caseload.caseload_figure``): a range by its midpoint, a dual
    role's stated parts by their sum; a cap ("up to N") and a caseload in families are not checked
    against official counts of children (a cap is not what officers hold)."""
    out: list[Flag | None] = []
    iro_fig, cp_fig = role_figure(ret, "iro"), role_figure(ret, "cp_chair")
    iro_numbers = iro_fig.numbers if iro_fig.figure is not None else ""
    cp_numbers = cp_fig.numbers if cp_fig.figure is not None else ""
    out.append(
        _flag("combined_role_different_figures", combined=ret.combined_role, iro=iro_numbers, cp=cp_numbers)
    )
    if not is_not_named(ret.authority):
        ctx = ctx or load_context()
        for role, label in (("iro", "IRO"), ("cp_chair", "CP chair")):
            implied = implied_role(ret, role, ctx)
            fig = role_figure(ret, role)
            reported = fig.value if fig.group != FAMILIES else None
            out.append(
                _flag(
                    "implied_caseload_far_from_reported",
                    role=label,
                    role_field=role,
                    reported=reported,
                    implied=implied.implied_caseload,
                )
            )
            if role == "cp_chair" and fig.value is not None and fig.group == CHILDREN:
                population = ret.cp_chair.caseload.population
                if population in (None, "child_protection"):
                    entry = ctx.register.find(ret.authority)
                    plans = ctx.latest(entry.dfe_code, "CPP_Num") if entry else None
                    out.append(
                        _flag(
                            "cp_caseload_implies_under_one_chair",
                            caseload=fig.value,
                            plans=plans.value if plans else None,
                        )
                    )
        out += question_flags(ret, ctx)
        found = inspectors_on_pressure(ret.authority)
        if found is not None and ret.iro is not None:
            compared = role_figure(ret, "iro")
            passage, sentence = found
            out.append(
                _flag(
                    INSPECTORS_RULE,
                    said=True,
                    position=compared.band("iro"),
                    reported=compared.figure or 0,
                    reference=passage.reference[:1].lower() + passage.reference[1:],
                    sentence=sentence,
                    band=IRO_BAND.range_text,
                )
            )
    return [f for f in out if f is not None]
