"""The filters shared by every comparison page, and how they travel in a link.

A ``Filters`` value says which returns a page compares: one survey round (or
all of them), which models (combined, separate, not stated), which
authorities, which role, and whether the published service descriptions are
included (they are not by default: they are published documents, not
questionnaire returns).

The filters are written to the URL query string so a filtered view can be
shared by link::

    ?round=seslip-qa-june&model=combined&authority=kent,medway&role=iro&published=1&neighbours=kent&grade=good

``grade`` keeps the authorities whose latest Ofsted overall effectiveness grade is one of those named
(``official.ofsted.GRADE_FILTER``: outstanding, good, requires_improvement, inadequate, no_grade).

``neighbours`` keeps an authority and its ten statistical neighbours (LAIT, May 2025), whether or
not that authority has a return itself; ``neighbour_coverage`` says which of them have a return in
the round and which do not.

Reading a link never fails: a value the dashboard does not know (an authority
that is not in the data, a misspelt model) is dropped and a plain note says
so. No Streamlit here; ``ui/filters.py`` draws the widgets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from models.lifecycle import COLLECTING
from models.returns import AuthorityReturn
from models.uktime import uk_today
from models.vocabulary import MODEL_LABELS, ROLE_CHOICES, ROLE_LABELS, model_code
from official import ofsted
from store.loading import Dataset, slugify

ALL_ROUNDS = "all"

_TRUE = {"1", "true", "yes", "on", "y"}
_FALSE = {"0", "false", "no", "off", "n", ""}

PARAM_KEYS = ("round", "model", "authority", "role", "published", "neighbours", "grade")


@dataclass(frozen=True)
class Filters:
    """What a comparison page shows. Empty ``models``/``authorities`` mean "all"."""

    round_id: str = ALL_ROUNDS
    models: tuple[str, ...] = ()
    authorities: tuple[str, ...] = ()
    role: str = "both"
    include_published: bool = False
    neighbours_of: str | None = None  # a register name: that authority and its statistical neighbours
    grades: tuple[str, ...] = ()  # codes of ofsted.GRADE_FILTER: the latest overall grades kept

    @property
    def roles(self) -> list[str]:
        """The role sections to show, in questionnaire order."""
        return list(ROLE_LABELS) if self.role == "both" else [self.role]

    def apply(self, dataset: Dataset) -> list[AuthorityReturn]:
        return apply(self, dataset)

    def describe(self, dataset: Dataset | None = None) -> str:
        """The filters in one plain sentence, for a page or a downloaded workbook."""
        parts = []
        if self.round_id == ALL_ROUNDS:
            parts.append("All questionnaire rounds")
        else:
            title = self.round_id
            if dataset is not None and self.round_id in dataset.rounds:
                title = dataset.rounds[self.round_id].title
            parts.append(f"Round: {title}")
        parts.append("models: " + (", ".join(MODEL_LABELS[m] for m in self.models) if self.models else "all"))
        parts.append("authorities: " + (", ".join(self.authorities) if self.authorities else "all"))
        parts.append("role: " + ROLE_CHOICES[self.role])
        parts.append(
            "published service descriptions included"
            if self.include_published
            else "published service descriptions left out"
        )
        if self.neighbours_of:
            parts.append(f"{self.neighbours_of} and its statistical neighbours")
        if self.grades:
            parts.append(
                "Ofsted overall grade: "
                + ", ".join(ofsted.GRADE_FILTER[g] for g in self.grades if g in ofsted.GRADE_FILTER)
            )
        return "; ".join(parts) + "."


def questionnaire_rounds(dataset: Dataset) -> list[str]:
    """Ids of the questionnaire rounds, newest first: by the date held where there is one, else by
    the order the rounds were added (a round a coordinator created this year comes before last year's)."""
    position = {rid: i for i, rid in enumerate(dataset.rounds)}
    rounds = [r for r in dataset.rounds.values() if r.is_questionnaire]
    rounds.sort(key=lambda r: (r.held_on is not None, r.held_on or dt.date.min, position[r.id]), reverse=True)
    return [r.id for r in rounds]


def published_rounds(dataset: Dataset) -> list[str]:
    return sorted(r.id for r in dataset.rounds.values() if not r.is_questionnaire)


def default_filters(dataset: Dataset, today: dt.date | None = None) -> Filters:
    """The newest questionnaire round that is not still collecting (a round shown provisionally is
    chosen only by hand), every model, every authority, both roles, no published."""
    rounds = questionnaire_rounds(dataset)
    today = today or uk_today()
    done = [
        rid for rid in rounds if rid not in dataset.lives or dataset.lives[rid].state_on(today) != COLLECTING
    ]
    first = done[0] if done else rounds[0] if rounds else ALL_ROUNDS
    return Filters(round_id=first)


def authority_names(dataset: Dataset, filters: Filters | None = None) -> list[str]:
    """Authorities a user can pick under ``filters``' round and published choice (all if None)."""
    if filters is None:
        names = {r.authority for r in dataset.returns}
    else:
        names = {r.authority for r in _in_scope(replace(filters, models=(), authorities=()), dataset)}
    return sorted(names, key=str.casefold)


def _in_scope(filters: Filters, dataset: Dataset) -> list[AuthorityReturn]:
    published = set(published_rounds(dataset))
    out = []
    for ret in dataset.returns:
        if ret.round in published:
            if not filters.include_published:
                continue
        elif filters.round_id != ALL_ROUNDS and ret.round != filters.round_id:
            continue
        out.append(ret)
    return out


def apply(filters: Filters, dataset: Dataset) -> list[AuthorityReturn]:
    """The returns the filters select, published descriptions last, each group by authority."""
    published = set(published_rounds(dataset))
    wanted_models = set(filters.models)
    wanted_names = {a.casefold() for a in filters.authorities}
    out = [
        r
        for r in _in_scope(filters, dataset)
        if (not wanted_models or model_code(r) in wanted_models)
        and (not wanted_names or r.authority.casefold() in wanted_names)
    ]
    if filters.neighbours_of:
        out = in_neighbourhood(filters.neighbours_of, out)
    if filters.grades:
        wanted_grades = set(filters.grades)
        out = [r for r in out if ofsted.grade_code(ofsted.overall_of(r.authority)) in wanted_grades]
    out.sort(key=lambda r: (r.round in published, r.authority.casefold(), r.round))
    return out


# ---------------------------------------------------------------------------
# Statistical neighbours


def neighbourhood(name: str) -> tuple[Any, list[Any]]:
    """The register entry of ``name`` and its statistical neighbours (closest first)."""
    from official.context import load_context, neighbours

    ctx = load_context()
    entry = ctx.register.lookup(name)
    return entry, (neighbours(ctx, entry) if entry is not None else [])


def in_neighbourhood(name: str, returns: list[AuthorityReturn]) -> list[AuthorityReturn]:
    """The returns of ``name`` and of its ten statistical neighbours, in the order given."""
    from official.context import load_context

    entry, near = neighbourhood(name)
    if entry is None:
        return []
    wanted = {entry.ons_code} | {n.authority.ons_code for n in near if n.authority is not None}
    register = load_context().register
    return [r for r in returns if (e := register.find(r.authority)) is not None and e.ons_code in wanted]


def neighbour_names() -> list[str]:
    """Every live authority in the register (any of them can be the centre of the filter), by name."""
    from official.context import load_context

    return [a.name for a in load_context().register.live()]


def neighbour_coverage(filters: Filters, dataset: Dataset) -> str | None:
    """Which of the authority's neighbours have a return in the round and which do not, in words."""
    if not filters.neighbours_of:
        return None
    from official.context import load_context, neighbours_with_returns

    entry, near = neighbourhood(filters.neighbours_of)
    if entry is None:
        return None
    scope = _in_scope(replace(filters, models=(), authorities=(), neighbours_of=None), dataset)
    cover = neighbours_with_returns(load_context(), entry, scope)
    mine = any(load_context().register.find(r.authority) == entry for r in scope)

    def graded(name: str) -> str:
        return f"{name} ({ofsted.overall_of(name)})"

    have = ", ".join(graded(n) for n in cover["with_return"]) or "none"
    lacks = ", ".join(graded(n) for n in cover["without_return"]) or "none"
    return (
        f"{entry.name} and its {len(near)} statistical neighbours (DfE, May 2025). "
        f"{entry.name} {'has a' if mine else 'has no'} return in the round; its latest Ofsted overall "
        f"grade is {ofsted.overall_of(entry.name)}. "
        f"Neighbours with a return in the round: {have}. Without one: {lacks}. "
        "(In brackets: each one's latest Ofsted overall effectiveness grade, a judgement of its children's "
        "services as a whole, not of its IRO service.)"
    )


def is_published(ret: AuthorityReturn, dataset: Dataset) -> bool:
    rnd = dataset.rounds.get(ret.round)
    return rnd is not None and not rnd.is_questionnaire


# ---------------------------------------------------------------------------
# Query string


def _values(raw: Any) -> list[str]:
    """A query value as a list of non-empty strings ('a,b' and ['a', 'b'] both give ['a', 'b'])."""
    if raw is None:
        return []
    items: Iterable[str] = [raw] if isinstance(raw, str) else raw
    out: list[str] = []
    for item in items:
        out += [v.strip() for v in str(item).split(",") if v.strip()]
    return out


def from_query_params(params: Mapping[str, Any], dataset: Dataset) -> tuple[Filters, list[str]]:
    """Filters from a link's query values, and a plain note for every value that was dropped.

    ``params`` maps a key to a string or a list of strings (``st.query_params.to_dict()``
    gives the last value of each key; comma-separated values are accepted).
    """
    notes: list[str] = []
    base = default_filters(dataset)

    round_id = base.round_id
    asked = _values(params.get("round"))
    if asked:
        wanted = asked[-1]
        if wanted == ALL_ROUNDS or wanted in questionnaire_rounds(dataset):
            round_id = wanted
        elif wanted in published_rounds(dataset):
            notes.append(
                f"'{wanted}' is the published service descriptions, not a questionnaire round: "
                "they are included alongside the questionnaire round instead."
            )
        else:
            notes.append(f"The link asks for a survey round '{wanted}' that is not in the data; ignored.")

    models: list[str] = []
    for value in _values(params.get("model")):
        code = value.lower().replace(" ", "_").replace("-", "_")
        if code in MODEL_LABELS:
            if code not in models:
                models.append(code)
        else:
            notes.append(
                f"The link asks for a model '{value}'; the models are combined, separate and "
                "not_stated. Ignored."
            )

    by_slug = {slugify(name): name for name in authority_names(dataset)}
    authorities: list[str] = []
    for value in _values(params.get("authority")):
        name = by_slug.get(slugify(value))
        if name is None:
            notes.append(f"The link names an authority '{value}' that is not in the data; it was left out.")
        elif name not in authorities:
            authorities.append(name)

    role = base.role
    asked = _values(params.get("role"))
    if asked:
        value = asked[-1].lower().replace("-", "_")
        if value in ROLE_CHOICES:
            role = value
        else:
            notes.append(
                f"The link asks for a role '{asked[-1]}'; the roles are iro, cp_chair and both. Ignored."
            )

    include_published = base.include_published
    asked_round = _values(params.get("round"))
    if asked_round and asked_round[-1] in published_rounds(dataset):
        include_published = True
    asked = _values(params.get("published"))
    if asked:
        value = asked[-1].lower()
        if value in _TRUE:
            include_published = True
        elif value in _FALSE:
            include_published = False
        else:
            notes.append(
                f"The link has published='{asked[-1]}'; use 1 to include them or 0 to leave them out."
            )

    neighbours_of = None
    asked = _values(params.get("neighbours"))
    if asked:
        by_neighbour_slug = {slugify(n): n for n in neighbour_names()}
        neighbours_of = by_neighbour_slug.get(slugify(asked[-1]))
        if neighbours_of is None:
            notes.append(
                f"The link asks for the statistical neighbours of '{asked[-1]}', which is not an English "
                "authority in the register; ignored."
            )

    grades: list[str] = []
    for value in _values(params.get("grade")):
        code = value.lower().replace(" ", "_").replace("-", "_")
        if code in ofsted.GRADE_FILTER:
            if code not in grades:
                grades.append(code)
        else:
            notes.append(
                f"The link asks for an Ofsted grade '{value}'; the grades are "
                + ", ".join(ofsted.GRADE_FILTER)
                + ". Ignored."
            )

    filters = Filters(
        round_id=round_id,
        models=tuple(models),
        authorities=tuple(authorities),
        role=role,
        include_published=include_published,
        neighbours_of=neighbours_of,
        grades=tuple(grades),
    )
    # An authority outside the chosen round (or a published one left out) shows nothing: say so.
    available = set(authority_names(dataset, filters))
    missing = [a for a in filters.authorities if a not in available]
    if missing:
        notes.append(
            "Not in the chosen round"
            + ("" if filters.include_published else " (published service descriptions are left out)")
            + ": "
            + ", ".join(missing)
            + "."
        )
    return filters, notes


def to_query_params(filters: Filters, dataset: Dataset | None = None) -> dict[str, str]:
    """The query values for ``filters``; values at their default are left out so links stay short."""
    base = default_filters(dataset) if dataset is not None else Filters()
    out: dict[str, str] = {}
    if filters.round_id != base.round_id or filters.round_id != ALL_ROUNDS:
        out["round"] = filters.round_id  # always named: an old link keeps its meaning in a new round
    if filters.models:
        out["model"] = ",".join(filters.models)
    if filters.authorities:
        out["authority"] = ",".join(slugify(a) for a in filters.authorities)
    if filters.role != "both":
        out["role"] = filters.role
    if filters.include_published:
        out["published"] = "1"
    if filters.neighbours_of:
        out["neighbours"] = slugify(filters.neighbours_of)
    if filters.grades:
        out["grade"] = ",".join(filters.grades)
    return out


@dataclass
class FilterChoices:
    """What the widgets offer, derived from the data (kept here so it is tested without Streamlit)."""

    rounds: dict[str, str] = field(default_factory=dict)  # id -> label
    authorities: list[str] = field(default_factory=list)
    has_published: bool = False
    neighbour_authorities: list[str] = field(default_factory=list)  # every live authority in the register


def choices(dataset: Dataset, filters: Filters) -> FilterChoices:
    rounds = {rid: dataset.rounds[rid].title for rid in questionnaire_rounds(dataset)}
    if len(rounds) > 1:
        rounds[ALL_ROUNDS] = "All questionnaire rounds"
    return FilterChoices(
        rounds=rounds,
        authorities=authority_names(dataset, filters),
        has_published=bool(published_rounds(dataset)),
        neighbour_authorities=neighbour_names(),
    )
