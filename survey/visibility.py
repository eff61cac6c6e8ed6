"""What each person sees by default: the one rule, used by every page, the workbook and the pack.

Pure: no database, no Streamlit. Given the data set (its rounds and each round's life) and who is
looking, ``shown`` keeps only the rounds they may see and the returns in them:

* a coordinator sees every round; one still collecting is labelled provisional;
* a member sees rounds shared with members or published, never one still collecting or closed,
  except a collecting round the coordinator chose to show (labelled provisional);
* a visitor sees published rounds only (anonymised where the round was published so); with
  ``VIEW_ACCESS = "public"`` (the embedded demo) a visitor sees what a member sees.

Published service descriptions (documents the authorities published themselves) go with whatever
else is shown. A page opens on the newest round shown that is not collecting
(``analysis.filters.default_filters``). A link names its round (``?round=``), so an old link keeps
its meaning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from models.lifecycle import COLLECTING, PROVISIONAL, PUBLISHED, SHARED, RoundLife, default_life
from models.returns import SurveyRound
from store.loading import Dataset

COORDINATOR = "coordinator"
MEMBER = "member"
VISITOR = "visitor"
AUDIENCES = (COORDINATOR, MEMBER, VISITOR)


@dataclass(frozen=True)
class Shown:
    """How one round is shown to one audience."""

    round_id: str
    provisional: bool = False
    anonymised: bool = False


def audience(*, coordinator: bool, member: bool, public: bool) -> str:
    """Who is looking: a coordinator, a member (or anyone, where the data is public), or a visitor."""
    if coordinator:
        return COORDINATOR
    if member or public:
        return MEMBER
    return VISITOR


def life_of(ds: Dataset, rnd: SurveyRound) -> RoundLife:
    found = ds.lives.get(rnd.id)
    if found is not None:
        return found
    # A data set read from files alone: every round as the seed gives it (shared).
    return default_life(rnd.id, is_open=bool(rnd.open_for_submissions), created_in_app=False)


def round_shown(ds: Dataset, rnd: SurveyRound, who: str, today: dt.date) -> Shown | None:
    """How ``rnd`` is shown to ``who`` on ``today``, or None if it is not shown to them at all."""
    if not rnd.is_questionnaire:
        return Shown(rnd.id)
    life = life_of(ds, rnd)
    state = life.state_on(today)
    if who == COORDINATOR:
        return Shown(rnd.id, provisional=state == COLLECTING)
    if who == MEMBER:
        if state in (SHARED, PUBLISHED):
            return Shown(rnd.id)
        if state == COLLECTING and life.provisional:
            return Shown(rnd.id, provisional=True)
        return None
    if state == PUBLISHED:
        return Shown(rnd.id, anonymised=life.anonymised)
    return None


def shown_rounds(ds: Dataset, who: str, today: dt.date) -> dict[str, Shown]:
    out = {}
    for rnd in ds.rounds.values():
        found = round_shown(ds, rnd, who, today)
        if found is not None:
            out[rnd.id] = found
    # Beside rounds published anonymised only, the named documents would sit next to 'Authority A':
    # they go with a round shown as it is, never with anonymised ones alone.
    named = [rid for rid, how in out.items() if ds.rounds[rid].is_questionnaire and not how.anonymised]
    if who == VISITOR and not named:
        out = {rid: how for rid, how in out.items() if ds.rounds[rid].is_questionnaire}
    return out


def any_questionnaire_shown(ds: Dataset, who: str, today: dt.date) -> bool:
    rounds = shown_rounds(ds, who, today)
    return any(ds.rounds[rid].is_questionnaire for rid in rounds)


def label(rnd: SurveyRound, how: Shown) -> SurveyRound:
    """The round as titled where it is shown: '… (provisional)' while collecting (on every page,
    in the workbook and the pack, which all name the round by its title)."""
    if how.provisional:
        return rnd.model_copy(update={"title": f"{rnd.title} ({PROVISIONAL})"})
    return rnd


def shown(ds: Dataset, who: str, today: dt.date) -> Dataset:
    """The data set as ``who`` may see it: only the rounds shown to them, labelled, and their returns.

    Anonymised rounds are anonymised by ``survey.anonymise`` (its ``anonymise_dataset``)."""
    rounds = shown_rounds(ds, who, today)
    kept = {rid: label(rnd, rounds[rid]) for rid, rnd in ds.rounds.items() if rid in rounds}
    out = replace(
        ds,
        rounds=kept,
        returns=[r for r in ds.returns if r.round in kept],
        lives={rid: life for rid, life in ds.lives.items() if rid in kept},
        token=f"{ds.token}:{who}:{today.isoformat()}",  # its own name in every cache
    )
    anonymised = [rid for rid, how in rounds.items() if how.anonymised]
    if anonymised:
        from survey.anonymise import anonymise_dataset

        out = anonymise_dataset(out, set(anonymised))
    return out


def provisional_rounds(ds: Dataset, who: str, today: dt.date) -> set[str]:
    return {rid for rid, how in shown_rounds(ds, who, today).items() if how.provisional}
