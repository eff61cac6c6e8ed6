"""Every word the product uses in more than one place, declared once.

Pages, charts, workbooks, the meeting pack, messages and tests read these
names from here; nothing else spells them out:

* the models (combined, separate, not stated): codes, labels, order, colours and shapes;
* the roles (IRO, CP chair): codes and titles;
* the taxonomies (QA activities, impact evidence): field, codes, titles and nouns;
* the four questions asked of each role;
* how an authority is named on the pages (``display_name``) and ``plural``;
* units and how a caseload was reported;
* the IRO Handbook band: its figures, wording and source.

No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from models.taxonomy import IMPACT_EVIDENCE, QA_ACTIVITIES, Code


class AuthorityReturn(Protocol):
    """What the names below read of a return (``models.returns.AuthorityReturn`` has it all)."""

    authority: str
    round: str
    combined_role: bool | None


# ---------------------------------------------------------------------------
# Models: combined or separate roles


@dataclass(frozen=True)
class Model:
    code: str  # in links and data: 'combined', 'separate', 'not_stated'
    label: str  # short, on charts and tables: 'Combined'
    long: str  # in filters: 'Combined (IRO and CP chair)'
    colour: str  # Okabe–Ito, colour-blind safe; always paired with ``shape``
    shape: str  # Vega-Lite point shape


MODELS: tuple[Model, ...] = (
    Model("combined", "Combined", "Combined (IRO and CP chair)", "#0072B2", "circle"),
    Model("separate", "Separate", "Separate roles", "#E69F00", "square"),
    Model("not_stated", "Not stated", "Not stated", "#7F7F7F", "diamond"),
)
MODEL_BY_CODE: dict[str, Model] = {m.code: m for m in MODELS}
MODEL_ORDER: list[str] = [m.label for m in MODELS]
#: Model code -> short label ('Combined').
MODEL_SHORT: dict[str, str] = {m.code: m.label for m in MODELS}
#: Model code -> the label users read in filters.
MODEL_LABELS: dict[str, str] = {m.code: m.long for m in MODELS}
MODEL_COLOURS: dict[str, str] = {m.label: m.colour for m in MODELS}
MODEL_SHAPES: dict[str, str] = {m.label: m.shape for m in MODELS}


def model_code(ret: AuthorityReturn) -> str:
    """'combined', 'separate' or 'not_stated': the answer as reported."""
    return {True: "combined", False: "separate", None: "not_stated"}[ret.combined_role]


def model_label(ret: AuthorityReturn) -> str:
    """'Combined', 'Separate' or 'Not stated'."""
    return MODEL_SHORT[model_code(ret)]


# ---------------------------------------------------------------------------
# Roles


@dataclass(frozen=True)
class Role:
    code: str  # 'iro', 'cp_chair'
    short: str  # 'IRO', 'CP chair'
    section: str  # the questionnaire's section title: 'IRO role', 'CP chairs'
    plural: str  # 'IROs', 'CP chairs'


ROLES: tuple[Role, ...] = (
    Role("iro", "IRO", "IRO role", "IROs"),
    Role("cp_chair", "CP chair", "CP chairs", "CP chairs"),
)
ROLE_BY_CODE: dict[str, Role] = {r.code: r for r in ROLES}
#: Role code -> 'IRO' / 'CP chair'.
ROLE_LABELS: dict[str, str] = {r.code: r.short for r in ROLES}
#: Role code -> the questionnaire's section title ('IRO role' / 'CP chairs').
ROLE_SECTIONS: dict[str, str] = {r.code: r.section for r in ROLES}
#: The role filter: both roles, or one.
ROLE_CHOICES: dict[str, str] = {"both": "Both roles", **ROLE_LABELS}

#: The four questions asked of each role, in questionnaire order: (field, question path in the role).
ROLE_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("caseload", "caseload.text"),
    ("expectations", "expectations"),
    ("quality_inputs", "quality_inputs"),
    ("impact", "impact"),
)
NARRATIVE_FIELDS: tuple[str, ...] = ("expectations", "quality_inputs", "impact")

# ---------------------------------------------------------------------------
# Taxonomies


@dataclass(frozen=True)
class Taxonomy:
    key: str  # 'qa' | 'impact'
    field: str  # the RoleSection field holding the codes
    codes: tuple[Code, ...]
    title: str  # 'Quality assurance activities'
    short: str  # 'QA activities' (a heading)
    phrase: str  # 'QA activities' / 'impact evidence' (inside a sentence)
    noun: str  # 'quality assurance activity' (one of them, in sentences)
    one: str  # 'activity' (in "Read the sentences behind an activity")
    answer: str  # the narrative answer it is mainly coded from

    @property
    def labels(self) -> dict[str, str]:
        """Code -> label, in taxonomy order."""
        return {c.code: c.label for c in self.codes}

    @property
    def by_code(self) -> dict[str, Code]:
        return {c.code: c for c in self.codes}


TAXONOMIES: dict[str, Taxonomy] = {
    "qa": Taxonomy(
        "qa",
        "qa_activities",
        QA_ACTIVITIES,
        "Quality assurance activities",
        "QA activities",
        "QA activities",
        "quality assurance activity",
        "activity",
        "quality_inputs",
    ),
    "impact": Taxonomy(
        "impact",
        "impact_evidence",
        IMPACT_EVIDENCE,
        "How impact is evidenced",
        "Impact evidence",
        "impact evidence",
        "kind of impact evidence",
        "kind of evidence",
        "impact",
    ),
}

# ---------------------------------------------------------------------------
# Units and how a caseload was reported

#: Unit names as the chart and tables say them.
UNIT_NAMES: dict[str, str] = {
    "children": "children",
    "families": "families",
    "cases": "cases (unit not stated)",
}
#: Children and cases are summarised together (named as such); families never are.
UNIT_GROUPS: dict[str, str] = {
    "children": "children or cases",
    "cases": "children or cases",
    "families": "families",
}
#: How a caseload was reported, in the words the chart legend uses.
REPORTED_AS: dict[str, str] = {
    "single": "One figure",
    "range": "A range",
    "up_to": "A cap (up to a figure)",
    "or_more": "A figure or more",
    "none": "No figure given",
}

# ---------------------------------------------------------------------------
# The IRO Handbook band


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    unit: str
    source: str

    @property
    def range_text(self) -> str:
        """'50–70'."""
        return f"{self.low}–{self.high}"

    @property
    def text(self) -> str:
        """'50–70 children looked after per full-time IRO'."""
        return f"{self.range_text} {self.unit}"

    @property
    def label(self) -> str:
        """The band as every chart, page, workbook and pack names it."""
        return f"IRO Handbook good practice: {self.text}"

    @property
    def sentence(self) -> str:
        """The band with its source, in one sentence."""
        return f"{self.label} ({self.source})."

    def position(self, figure: float | None) -> str | None:
        """'below', 'within' or 'above' the band; None without a figure."""
        if figure is None:
            return None
        if figure < self.low:
            return "below"
        if figure > self.high:
            return "above"
        return "within"

    def contains(self, figure: float | None) -> bool | None:
        pos = self.position(figure)
        return None if pos is None else pos == "within"


IRO_BAND = Band(
    low=50,
    high=70,
    unit="children looked after per full-time IRO",
    source="IRO Handbook (Department for Children, Schools and Families, 2010)",
)

# ---------------------------------------------------------------------------
# Names and counts

#: How a published service description is marked beside the authority's name.
PUBLISHED_MARK = "published description"


def display_name(ret: AuthorityReturn, published_rounds: Iterable[str] = ()) -> str:
    """The authority's name as pages show it, marked where the return is a published description."""
    if ret.round in set(published_rounds):
        return f"{ret.authority} ({PUBLISHED_MARK})"
    return ret.authority


def plural(n: int, word: str) -> str:
    """'1 authority', '3 authorities', '2 returns'."""
    if n == 1:
        return f"1 {word}"
    if word.endswith("y") and word[-2:-1] not in set("aeiou"):
        return f"{n} {word[:-1]}ies"
    return f"{n} {word}s"


def format_figure(x: float | None) -> str:
    """'65', '67.5', or '–' for no figure (None, NaN or a missing value)."""
    try:
        f = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    if f != f:  # NaN
        return "–"
    return str(int(f)) if f.is_integer() else f"{f:.1f}"


#: The command line as a hint on a page, in a template or in a message gives it: the README's own form
#: (the project's virtual environment), so it can be copied into a shell as it stands.
CLI = ".venv/bin/python cli.py"
