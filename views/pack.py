"""The meeting pack's contents: the same Views the pages show, in the order a meeting reads them.

The pack is short by default: the headline table, the comparison charts with their tables, the
exception table, and change since the last round. Each authority's answers in full are an
appendix, added only where whoever builds the pack asks for it.

Each part of the pack is a function of the ``PackInput`` returning the Views it adds (none where it
has nothing to say), registered once in ``PARTS`` (the short pack) or ``APPENDIX_PARTS``, in
reading order. A new part is its own function, ideally in its own module, and one line here.
``views.word.meeting_pack`` writes them; nothing here is computed twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from exports.workbooks import caseload_rules
from models.returns import AuthorityReturn, SurveyRound
from models.taxonomy import CODING_RULE
from models.vocabulary import IRO_BAND
from official.groups import group_name
from views import caseloads, changes, coded, exceptions, overview, profile, round_questions
from views.base import Selection, View

DEFAULT_GROUP = "IRO and CP chair benchmarking"


@dataclass(frozen=True)
class PackInput:
    """What every part of the pack is built from: the round's returns (``sel``), those of the group's
    round before it (``previous``, where there is one) and the round itself."""

    sel: Selection
    previous: tuple[AuthorityReturn, ...] = ()
    round: SurveyRound | None = None


@dataclass(frozen=True)
class Part:
    key: str
    build: Callable[[PackInput], Sequence[View]]


# ---------------------------------------------------------------------------
# The parts, each a function of the input


def headline_part(inp: PackInput) -> list[View]:
    """The Overview: the round, the headline figures, each authority in brief, the plausibility flags."""
    return [overview.build(inp.sel)]


def comparison_part(inp: PackInput) -> list[View]:
    """Caseloads against the band and the group; QA activities and impact evidence, by how many report each."""
    return [
        caseloads.build(inp.sel, sort="caseload"),
        *(coded.build(inp.sel, taxonomy=t, grid=False) for t in ("qa", "impact")),
    ]


def round_questions_part(inp: PackInput) -> list[View]:
    """The round's own questions, each figure beside its counting rule (where the round has any)."""
    if inp.round is None or not round_questions.rounds_with_questions([inp.round]):
        return []
    return [round_questions.build(inp.sel, round_id=inp.round.id)]


def exceptions_part(inp: PackInput) -> list[View]:
    """The exception table: each authority's figures and fifths, and the leads' commentaries on flags."""
    view = exceptions.build(inp.sel)
    return [] if view.empty else [view]


def change_part(inp: PackInput) -> list[View]:
    """Change since the group's last round, where the pack's authorities have returns in both."""
    rounds_here = list(dict.fromkeys(r.round for r in inp.sel.returns))
    rounds_before = list(dict.fromkeys(r.round for r in inp.previous))
    if not inp.previous or len(rounds_here) != 1 or len(rounds_before) != 1:
        return []
    sel = inp.sel
    both = Selection(returns=(*inp.previous, *sel.returns), rounds=sel.rounds, description=sel.description)
    change = changes.build(both, from_round=rounds_before[0], to_round=rounds_here[0])
    return [] if change.empty else [change]


def answers_part(inp: PackInput) -> list[View]:
    """Each authority's return in full, one View each, A to Z."""
    sel = inp.sel
    names = sorted(profile.choices(sel), key=str.casefold)
    return [profile.answers_view(sel, name) for name in names]


#: The short pack, in reading order.
PARTS: list[Part] = [
    Part("headline", headline_part),
    Part("comparisons", comparison_part),
    Part("round_questions", round_questions_part),
    Part("exceptions", exceptions_part),
    Part("changes", change_part),
]
#: Added only when the appendix is asked for.
APPENDIX_PARTS: list[Part] = [Part("answers", answers_part)]


def method_lines(sel: Selection) -> list[str]:
    """The lines of "Sources and method": each round's sources, how caseloads are read, the band, the coding."""
    round_ids = list(dict.fromkeys(r.round for r in sel.returns))
    return [
        *(
            f"Source ({sel.rounds[rid].title}): " + "; ".join(sel.rounds[rid].sources)
            for rid in round_ids
            if rid in sel.rounds
        ),
        "Caseloads are kept as reported, in words, and as numbers: " + " ".join(caseload_rules()),
        f"Reference band: {IRO_BAND.sentence} Only IRO caseloads in children (or cases) that are an average or a "
        "range are compared with it; caseloads in families, mixed caseloads (including a dual role's stated parts "
        "and their sum) and caps ('up to', 'no more than') are not.",
        "How activities are coded: " + CODING_RULE,
    ]


def pack_views(inp: PackInput, *, appendix: bool = False) -> tuple[list[View], list[View], list[str]]:
    """(the short pack's Views, the appendix's Views, the lines of sources and method)."""
    views = [v for part in PARTS for v in part.build(inp)]
    extra = [v for part in APPENDIX_PARTS for v in part.build(inp)] if appendix else []
    return views, extra, method_lines(inp.sel)


def build_pack(
    returns: Sequence[AuthorityReturn],
    rounds: Mapping[str, SurveyRound],
    round_id: str,
    *,
    filters: Sequence[str] = (),
    generated_at: dt.datetime | None = None,
    previous: Sequence[AuthorityReturn] = (),
    appendix: bool = False,
) -> bytes:
    """The meeting pack for ``returns`` of one round: the pages' own Views; with ``appendix``, each
    authority's answers in full after them."""
    from views.word import meeting_pack

    rnd = rounds[round_id]
    published = frozenset(r.id for r in rounds.values() if not r.is_questionnaire)
    sel = Selection(
        returns=tuple(returns), rounds=rounds, published_rounds=published, description="; ".join(filters)
    )
    views, extra, method = pack_views(PackInput(sel, tuple(previous), rnd), appendix=appendix)
    return meeting_pack(
        views,
        round_title=rnd.title,
        group=group_name(rnd.group) if rnd.group else DEFAULT_GROUP,
        generated_at=generated_at or dt.datetime.now(dt.UTC),
        filters=filters,
        appendix=extra,
        method=method,
    )
