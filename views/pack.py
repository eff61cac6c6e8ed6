"""The meeting pack's contents: the same Views the pages show, in the order a meeting reads them.

``pack_views(selection)`` gives the views (headline figures, caseloads, QA activities and impact
evidence), one view per authority (its whole return), and the lines of "Sources and method".
``views.word.meeting_pack`` writes them to Word; nothing here is computed twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from exports.workbooks import caseload_rules
from models.returns import AuthorityReturn, SurveyRound
from models.taxonomy import CODING_RULE
from models.vocabulary import IRO_BAND
from official.groups import group_name
from views import caseloads, changes, coded, overview, profile
from views.base import Selection, View

DEFAULT_GROUP = "IRO and CP chair benchmarking"


def pack_views(
    sel: Selection, *, previous: Sequence[AuthorityReturn] = ()
) -> tuple[list[View], list[View], list[str]]:
    """(views, one view per authority, sources and method lines) for the meeting pack.

    ``previous`` are the returns of the group's round before this one, where there is one: the pack
    then shows the change since that round (the Change between rounds view)."""
    views = [
        overview.build(sel),
        caseloads.build(sel, sort="caseload"),
        *(coded.build(sel, taxonomy=t) for t in ("qa", "impact")),
    ]
    rounds_here = list(dict.fromkeys(r.round for r in sel.returns))
    rounds_before = list(dict.fromkeys(r.round for r in previous))
    if previous and len(rounds_here) == 1 and len(rounds_before) == 1:
        both = Selection(returns=(*previous, *sel.returns), rounds=sel.rounds, description=sel.description)
        change = changes.build(both, from_round=rounds_before[0], to_round=rounds_here[0])
        if not change.empty:
            views.append(change)
    names = sorted(profile.choices(sel), key=str.casefold)
    pages = [profile.build(sel, chosen=(name,)) for name in names]
    round_ids = list(dict.fromkeys(r.round for r in sel.returns))
    method = [
        *(f"Source ({rid}): " + "; ".join(sel.rounds[rid].sources) for rid in round_ids if rid in sel.rounds),
        "Caseloads are kept as reported, in words, and as numbers: " + " ".join(caseload_rules()),
        f"Reference band: {IRO_BAND.sentence} Only IRO caseloads in children (or cases) are compared with it; "
        "caseloads in families and mixed caseloads are not, and a split caseload is compared by its "
        "looked-after part.",
        "How activities are coded: " + CODING_RULE,
    ]
    return views, pages, method


def build_pack(
    returns: Sequence[AuthorityReturn],
    rounds: Mapping[str, SurveyRound],
    round_id: str,
    *,
    filters: Sequence[str] = (),
    generated_at: dt.datetime | None = None,
    previous: Sequence[AuthorityReturn] = (),
) -> bytes:
    """The meeting pack for ``returns`` of one round: the pages' own Views (``views.pack``)."""
    from views.word import meeting_pack

    rnd = rounds[round_id]
    published = frozenset(r.id for r in rounds.values() if not r.is_questionnaire)
    sel = Selection(
        returns=tuple(returns), rounds=rounds, published_rounds=published, description="; ".join(filters)
    )
    views, authority_pages, method = pack_views(sel, previous=previous)
    return meeting_pack(
        views,
        round_title=rnd.title,
        group=group_name(rnd.group) if rnd.group else DEFAULT_GROUP,
        generated_at=generated_at or dt.datetime.now(dt.UTC),
        filters=filters,
        authority_pages=authority_pages,
        method=method,
    )
