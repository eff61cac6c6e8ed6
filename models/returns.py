"""The model of an authority's return: the questionnaire, defined once.

Every question's text (``title``), help (``description``) and rules live on the
field below. The form, the Excel template, the export columns and the
validation messages are all derived from these fields (see
``models.questionnaire``), so a question is never written twice.

Validation errors raised here carry stable codes (``caseload_low_above_high``,
``caseload_parts_sum``, ...) and plain messages; ``models.errors.explain``
turns any validation error into ``field: message`` lines that name the
question as users read it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from models.caseload import midpoint, numbers_text
from models.questions import Answers, Question, omitting, unique_questions
from models.taxonomy import IMPACT_BY_CODE, IMPACT_RULE, QA_BY_CODE, QA_RULE, ImpactEvidence, QAActivity
from models.vocabulary import MODEL_SHORT, NARRATIVE_FIELDS, ROLE_SECTIONS, TAXONOMIES, model_code

#: Longest narrative answer accepted, in characters. The longest answer in the
#: source documents is about 4,000 characters.
MAX_ANSWER_CHARS = 8000
#: Largest caseload figure accepted (per officer). Anything above is a typing error.
MAX_CASELOAD = 500
#: How many split parts a caseload may have (e.g. "30-40 CP, 38-45 in care").
MAX_CASELOAD_PARTS = 3

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def ask(question: str, help: str | None = None, *, form: bool = True, **kw: Any) -> Any:
    """A model field carrying its question text and help.

    ``form=False`` keeps a field out of the form and the template (it is set by
    the coordinator or the system, not by the authority's lead).
    """
    extra = dict(kw.pop("json_schema_extra", {}) or {})
    extra["form"] = form
    return Field(title=question, description=help, json_schema_extra=extra, **kw)


Answer = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_ANSWER_CHARS)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False, use_enum_values=True)


class Unit(StrEnum):
    children = "children"
    families = "families"
    cases = "cases"


UNIT_LABELS = {
    "children": "children",
    "families": "families",
    "cases": "cases (the answer does not say children or families)",
}


class Population(StrEnum):
    looked_after = "looked_after"
    child_protection = "child_protection"
    mixed = "mixed"


POPULATION_LABELS = {
    "looked_after": "children looked after",
    "child_protection": "child protection",
    "mixed": "mixed (looked after and child protection)",
}


Taxonomy = Literal["qa", "impact"]

#: Taxonomy key -> the RoleSection field holding its codes (from the vocabulary).
TAXONOMY_FIELDS: dict[str, str] = {key: tax.field for key, tax in TAXONOMIES.items()}
TAXONOMY_LABELS: dict[str, str] = {key: tax.phrase for key, tax in TAXONOMIES.items()}


class RoundKind(StrEnum):
    questionnaire = "questionnaire"
    published_descriptions = "published_descriptions"


class Channel(StrEnum):
    seed = "seed"
    form = "form"
    upload = "upload"


Figure = Annotated[int, Field(ge=0, le=MAX_CASELOAD)]


def _check_range(low: int | None, high: int | None, where: str) -> None:
    if low is not None and high is not None and low > high:
        raise PydanticCustomError(
            "caseload_low_above_high",
            "The lowest figure ({low}) is above the highest ({high}). "
            "Swap them, or enter one figure in both boxes.",
            {"low": low, "high": high, "field": where},
        )


class CaseloadPart(_Strict):
    """One population's share of a split caseload (e.g. "30-40 – children on CP plans")."""

    label: ShortText = ask("Part of the caseload", "The words the answer uses for this part.")
    low: Figure | None = ask("Lowest figure for this part", default=None)
    high: Figure | None = ask("Highest figure for this part", default=None)
    population: Population = ask("Which children this part counts")

    @model_validator(mode="after")
    def _range(self) -> CaseloadPart:
        _check_range(self.low, self.high, "low")
        return self


class Caseload(_Strict):
    """A caseload as reported, and as numbers.

    Rules (each tested in ``tests/test_models.py``):

    * ``text`` is the answer verbatim and is always kept.
    * A single figure N gives ``low = high = N``.
    * "up to N" (a cap) gives ``low = None`` and ``high = N``.
    * A range "N-M" gives ``low = N`` and ``high = M``.
    * A figure split by population keeps each part in ``parts``; the whole
      is their sum (``low`` is the sum of the parts' lows, ``high`` of their highs).
      Parts that count different children (a dual role) make a mixed caseload.
    * A figure that is not a caseload (a total cap, a date) stays in the text,
      never in the numbers.
    * Numbers are whole, from 0 to 500, and ``low <= high``.
    * ``unit`` is "cases" where the answer does not say children or families.
    """

    text: Answer | None = ask(
        "Case holding (please include average no. of cases)",
        "Your answer in your own words, for example '65' or '20-25 families'.",
        default=None,
        json_schema_extra={"kind": "long_text", "required": True},
    )
    low: Figure | None = ask(
        "Case holding: lowest figure",
        "A whole number. For a single figure enter it here and in the highest figure; "
        "for 'up to N' leave this empty.",
        default=None,
    )
    high: Figure | None = ask(
        "Case holding: highest figure",
        "A whole number. For a single figure enter the same number as the lowest.",
        default=None,
    )
    unit: Unit = ask(
        "Case holding: what the figure counts",
        "Children, families, or cases where your answer does not say.",
        default=Unit.cases,
    )
    population: Population | None = ask(
        "Case holding: which children",
        "Children looked after, child protection, or a mixed caseload.",
        default=None,
    )
    parts: list[CaseloadPart] = ask(
        "Split caseload",
        "Only where the figure is split by population; the whole is the sum of the parts.",
        default_factory=list,
        max_length=MAX_CASELOAD_PARTS,
        json_schema_extra={"slots": MAX_CASELOAD_PARTS},
    )

    @model_validator(mode="after")
    def _rules(self) -> Caseload:
        _check_range(self.low, self.high, "low")
        if self.parts:
            for bound in ("low", "high"):
                values = [getattr(p, bound) for p in self.parts]
                if any(v is None for v in values):
                    continue
                total, mine = sum(values), getattr(self, bound)
                if mine != total:
                    word = "lowest" if bound == "low" else "highest"
                    raise PydanticCustomError(
                        "caseload_parts_sum",
                        "The {bound} figure ({mine}) should be the sum of the parts ({total}).",
                        {"bound": word, "mine": mine, "total": total, "field": bound},
                    )
        return self

    @property
    def has_numbers(self) -> bool:
        return self.low is not None or self.high is not None

    @property
    def midpoint(self) -> float | None:
        """The middle of a range, or the one figure given (``models.caseload.midpoint``). What is
        compared, and how, is ``models.caseload.caseload_figure``: a cap is never summarised."""
        return midpoint(self.low, self.high)

    def as_numbers(self) -> str:
        """The numbers as a person reads them: '65', '20–25', 'up to 50', or ''."""
        return numbers_text(self.low, self.high) if self.has_numbers else ""


class RoleSection(_Strict):
    """The four questions asked of one role (IRO, or CP chair), and how they were coded."""

    caseload: Caseload | None = ask("Case holding", default=None)
    expectations: Answer | None = ask(
        "Expectations of role",
        "What officers in this role are expected to do. Bullets are fine, one per line.",
        default=None,
        json_schema_extra={"kind": "long_text", "required": True},
    )
    quality_inputs: Answer | None = ask(
        "Input into quality i.e. formal roles within your quality assurance framework",
        "The formal quality assurance work the officers do: midway reviews, QA forms, audits, "
        "dispute resolution and so on.",
        default=None,
        json_schema_extra={"kind": "long_text", "required": True},
    )
    impact: Answer | None = ask(
        "Impact – how can you evidence impact",
        "How your authority shows the difference the role makes.",
        default=None,
        json_schema_extra={"kind": "long_text", "required": True},
    )
    qa_activities: list[QAActivity] = ask(
        "Formal QA inputs (choose all that apply)",
        "Pick every activity your answers for this role describe, in any of the three boxes. " + QA_RULE,
        default_factory=list,
        json_schema_extra={"taxonomy": "qa"},
    )
    impact_evidence: list[ImpactEvidence] = ask(
        "How impact is evidenced (choose all that apply)",
        "Pick every kind of evidence your answer about impact describes. " + IMPACT_RULE,
        default_factory=list,
        json_schema_extra={"taxonomy": "impact"},
    )
    evidence: dict[Taxonomy, dict[str, list[Answer]]] = ask(
        "Supporting sentences",
        "For each taxonomy ('qa', 'impact') and each code chosen in it, the sentences of the "
        "answers (verbatim) that support it.",
        default_factory=dict,
        form=False,
    )

    @field_validator("qa_activities", "impact_evidence")
    @classmethod
    def _no_repeats(cls, v: list[str]) -> list[str]:
        seen: list[str] = []
        for c in v:
            if c not in seen:
                seen.append(c)
        return seen

    @model_validator(mode="before")
    @classmethod
    def _evidence_by_taxonomy(cls, data: Any) -> Any:
        """Older files and stored versions key the evidence by code alone: key it by taxonomy too.

        Each code's sentences go under the taxonomy (or both) where the code is
        chosen; a code chosen in neither goes where the vocabulary has it, so
        that the usual message about evidence without a code is given.
        """
        if not isinstance(data, dict) or not isinstance(data.get("evidence"), dict):
            return data
        evidence = data["evidence"]
        if all(isinstance(v, dict) for v in evidence.values()):
            return data
        chosen = {
            taxonomy: {str(getattr(c, "value", c)) for c in data.get(field) or []}
            for taxonomy, field in TAXONOMY_FIELDS.items()
        }
        nested: dict[str, dict[str, Any]] = {}
        for code, quotes in evidence.items():
            if isinstance(quotes, dict):  # already keyed by taxonomy: leave as it is
                nested.setdefault(code, {}).update(quotes)
                continue
            homes = [t for t in TAXONOMY_FIELDS if code in chosen[t]]
            if not homes:
                homes = ["impact"] if code in IMPACT_BY_CODE and code not in QA_BY_CODE else ["qa"]
            for taxonomy in homes:
                nested.setdefault(taxonomy, {})[code] = list(quotes) if isinstance(quotes, list) else quotes
        return {**data, "evidence": nested}

    @model_validator(mode="after")
    def _evidence_codes(self) -> RoleSection:
        for taxonomy, by_code in self.evidence.items():
            vocabulary = QA_BY_CODE if taxonomy == "qa" else IMPACT_BY_CODE
            coded = set(getattr(self, TAXONOMY_FIELDS[taxonomy]))
            for code in by_code:
                if code not in vocabulary:
                    raise PydanticCustomError(
                        "unknown_code",
                        "'{code}' is not a code in the {taxonomy} taxonomy.",
                        {"code": code, "taxonomy": TAXONOMY_LABELS[taxonomy], "field": "evidence"},
                    )
                if code not in coded:
                    raise PydanticCustomError(
                        "evidence_without_code",
                        "There are supporting sentences for '{code}' ({taxonomy}) but the code is not chosen.",
                        {"code": code, "taxonomy": TAXONOMY_LABELS[taxonomy], "field": "evidence"},
                    )
        return self

    def quotes(self, taxonomy: str, code: str) -> list[str]:
        """The verbatim sentences recorded for ``code`` of ``taxonomy`` ("qa" or "impact").

        Every reader of the evidence goes through here, so how it is stored can change in one place.
        """
        return list(self.evidence.get(taxonomy, {}).get(code, []))

    def answers(self) -> dict[str, str]:
        """The narrative answers that were given, by field name."""
        out = {}
        if self.caseload and self.caseload.text:
            out["caseload"] = self.caseload.text
        for name in NARRATIVE_FIELDS:
            text = getattr(self, name)
            if text:
                out[name] = text
        return out


class WorkforceFigure(_Strict):
    """Any other workforce figure a source states, kept with its words."""

    label: ShortText = ask("What the figure counts")
    value: Annotated[float, Field(ge=0, le=10000)] = ask("Figure")
    text: ShortText = ask("The words of the source")


class Workforce(_Strict):
    iro_fte: Annotated[float, Field(ge=0, le=1000)] | None = ask(
        "Full-time equivalent IROs",
        "Optional. How many full-time equivalent IRO posts, for example 7.5.",
        default=None,
    )
    cp_chair_fte: Annotated[float, Field(ge=0, le=1000)] | None = ask(
        "Full-time equivalent CP chairs",
        "Optional. How many full-time equivalent CP chair posts, for example 4.",
        default=None,
    )
    other: list[WorkforceFigure] = ask("Other workforce figures", default_factory=list, form=False)


class Provenance(_Strict):
    source: ShortText = ask("Source document", form=False)
    channel: Channel = ask("How it arrived", form=False, default=Channel.seed)
    submitted_at: dt.datetime | None = ask("Submitted", form=False, default=None)
    submitted_by: ShortText | None = ask(
        "Submitted by (role)",
        form=False,
        default=None,
    )
    version: Annotated[int, Field(ge=1)] = ask("Version", form=False, default=1)
    confirmed: list[ShortText] = ask(
        "Confirmed by the lead",
        "Disagreements between an answer's words and its figures that the lead confirmed when saving.",
        form=False,
        default_factory=list,
    )
    carried_from: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)] | None = ask(
        "Carried forward from",
        "The earlier round whose return the lead started from (carry-forward), if any.",
        form=False,
        default=None,
    )


MEASURE_KEY = r"^[a-z0-9_]+\.[A-Za-z0-9_.:-]+$"


class Commentary(_Strict):
    """The authority's lead on one flagged figure (a top or bottom fifth of the group's exception table):
    stored with the return, so versioned with it, and shown to members beside the figure.

    ``round`` is the round it was written for: carried into a later round it stays as it was and is
    marked as last year's until the lead changes it."""

    measure: Annotated[str, StringConstraints(pattern=MEASURE_KEY, max_length=80)] = ask(
        "Measure", "The measure's key, e.g. 'official.CP_conf_15days'.", form=False
    )
    label: ShortText = ask(
        "Measure (as shown)", "The measure's name when the commentary was written.", form=False
    )
    text: Answer = ask(
        "Commentary",
        "What lies behind this figure, for members and for your board: in your own words.",
        min_length=1,
        form=False,
    )
    round: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)] = ask(
        "Written for the round", form=False
    )


class EarlierNote(_Strict):
    """A data-quality note written for an earlier version: the answer it explains has changed since, so it
    is kept (nothing is lost) and shown as such, never as current (``models.notes``)."""

    text: Answer = ask("Note", form=False)
    version: Annotated[int, Field(ge=1)] = ask("Written for version", form=False)
    about: list[ShortText] = ask(
        "The questions whose answers changed", default_factory=list, max_length=5, form=False
    )


class AuthorityReturn(_Strict):
    """One authority's answers in one survey round.

    ``cp_chair`` is ``None`` where the authority answered only the IRO section
    (some combined-role authorities did). ``combined_role`` is the answer as
    reported: ``None`` where the source does not state it.

    Validate a submitted return with ``context={"require_answers": True}``: every
    question of each section given must then be answered, and the CP chair
    section must be given when the roles are separate.
    """

    authority: ShortText = ask(
        "Local authority",
        "The authority's usual name, for example 'Kent' or 'Brighton and Hove'.",
        min_length=2,
        form=False,
    )
    authority_note: ShortText | None = ask(
        "About the authority's return",
        "For example the body that delivers the service.",
        default=None,
        form=False,
    )
    round: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)] = ask(
        "Survey round", form=False
    )
    combined_role: bool | None = ask(
        "Combined role (IRO & CP Chair)",
        "Yes if the same officers both review care plans of children looked after and "
        "chair child protection conferences. If yes, the CP chair questions are optional.",
        default=None,
        json_schema_extra={"required": True},
    )
    iro: RoleSection = ask(ROLE_SECTIONS["iro"], default_factory=RoleSection)
    cp_chair: RoleSection | None = ask(ROLE_SECTIONS["cp_chair"], default=None)
    workforce: Workforce = ask("Workforce", default_factory=Workforce)
    notes: list[Answer] = ask(
        "Data-quality notes",
        "How an ambiguous answer was read, and why.",
        default_factory=list,
        form=False,
    )
    earlier_notes: list[EarlierNote] = ask(
        "Notes written for an earlier version",
        "Data-quality notes whose answer has changed since they were written.",
        default_factory=list,
        max_length=100,
        form=False,
    )
    commentaries: list[Commentary] = ask(
        "Commentaries on flagged figures",
        "The lead's words on each figure in the top or bottom fifth of the group.",
        default_factory=list,
        max_length=40,
        form=False,
    )
    provenance: Provenance = ask("Provenance", form=False)
    answers: Answers = ask("The round's own questions", default_factory=dict, form=False)
    _dump = omitting("answers")  # a return saved before questions existed dumps exactly as it did

    @field_validator("authority")
    @classmethod
    def _authority_name(cls, v: str) -> str:
        if not any(ch.isalpha() for ch in v):
            raise PydanticCustomError(
                "authority_name", "Enter the authority's name in words, for example 'Kent'."
            )
        return v

    @model_validator(mode="after")
    def _complete(self, info: ValidationInfo) -> AuthorityReturn:
        ctx = info.context or {}
        if not ctx.get("require_answers"):
            return self
        if self.combined_role is None:
            raise PydanticCustomError(
                "answer_required",
                "Answer yes or no.",
                {"field": "combined_role"},
            )
        sections = [("iro", self.iro)]
        if self.cp_chair is not None:
            sections.append(("cp_chair", self.cp_chair))
        elif self.combined_role is False:
            raise PydanticCustomError(
                "answer_required",
                "The roles are separate, so answer the CP chair questions too.",
                {"field": "cp_chair"},
            )
        for name, section in sections:
            if section.caseload is None or not section.caseload.text:
                raise PydanticCustomError(
                    "answer_required",
                    "This answer is required. Describe the caseload in words, for example '65'.",
                    {"field": f"{name}.caseload.text"},
                )
            for field in NARRATIVE_FIELDS:
                if not getattr(section, field):
                    raise PydanticCustomError(
                        "answer_required",
                        "This answer is required.",
                        {"field": f"{name}.{field}"},
                    )
        return self

    @property
    def key(self) -> tuple[str, str]:
        return (self.round, self.authority)

    def commentary(self, measure: str) -> Commentary | None:
        """The lead's commentary on ``measure`` (its key), if any."""
        return next((c for c in self.commentaries if c.measure == measure), None)

    @property
    def model_label(self) -> str:
        """'Combined', 'Separate' or 'Not stated': the answer as reported."""
        return MODEL_SHORT[model_code(self)]

    def sections(self) -> list[tuple[str, RoleSection]]:
        out = [("iro", self.iro)]
        if self.cp_chair is not None:
            out.append(("cp_chair", self.cp_chair))
        return out


class SurveyRound(_Strict):
    """A collection of returns: a questionnaire round, or a set of published documents.

    Like a collection year, each round declares what it adds or changes
    relative to the questionnaire (``changes``), so that comparisons across
    rounds know which questions were asked.
    """

    id: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)]
    title: ShortText
    group: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)] | None = Field(
        default=None,
        description="The region or group the round belongs to, as a code from the register "
        "(for example 'south-east'); the register holds its display name.",
    )
    region: ShortText | None = Field(
        default=None,
        description="Older files only: a region in words. New rounds use ``group``.",
    )
    held_on: dt.date | None = None
    held_on_text: ShortText | None = Field(
        default=None, description="When it was held, in the source's words (e.g. 'June meeting')."
    )
    source: ShortText | list[ShortText]
    kind: RoundKind = RoundKind.questionnaire
    description: Answer | None = None
    changes: list[Answer] = Field(default_factory=list)
    open_for_submissions: bool = False
    deadline: dt.date | None = Field(
        default=None, description="The date returns are due by (set by the coordinator)."
    )
    carried_from: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)] | None = Field(
        default=None, description="The round whose returns each lead's form starts from."
    )
    questions: list[Question] = Field(default_factory=list, description="The round's own (models.questions).")
    _one_id_each, _dump = field_validator("questions")(unique_questions), omitting("questions")

    @property
    def sources(self) -> list[str]:
        return [self.source] if isinstance(self.source, str) else list(self.source)

    @property
    def is_questionnaire(self) -> bool:
        return self.kind == RoundKind.questionnaire
