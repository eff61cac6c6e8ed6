"""Plausibility flags: figures in a return that do not sit well with each other or with official figures.

One rule per function. Each rule has a stable code, a plain message, the fields it concerns, and
its cases beside it: ``(input, expected)`` pairs that ``tests/test_plausibility.py`` runs, where
``expected`` is True when the rule should flag. A rule takes plain numbers, so it can be read and
tested without a return; ``flags(ret, ctx)`` gathers the numbers from a return and the official
figures and runs every rule.

A flag is a question for a person to look at, never a verdict: the figures may all be right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from models.caseload import CHILDREN, FAMILIES, role_figure
from models.questionnaire import field_title
from official.context import Context, implied_role, load_context
from official.register import is_not_named

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
    return [f for f in out if f is not None]
