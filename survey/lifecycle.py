"""A round's life for the coordinator and for leads: its state in words, and what a lead is told.

``store.Store.round_step`` checks and writes each step; these functions say what it means.
The Coordinator page (``ui/coordinator_lifecycle.py``) and ``cli.py round status`` use them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.lifecycle import CLOSED, COLLECTING, STATE_LABELS, STATE_MEANING, RoundLife
from models.uktime import uk_day, uk_today
from store import Store
from survey import rounds as rr


@dataclass(frozen=True)
class RoundSummary:
    round_id: str
    title: str
    state: str
    life: RoundLife
    submitted: int
    expected: int
    today: dt.date

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def dates(self) -> list[str]:
        return self.life.dates(self.today)

    def line(self) -> str:
        """'State: Closed (no more returns; …). Closed 2 December 2026. Returns so far: 3 of 19.'"""
        return f"State: {self.label}. {self.details()}"

    def details(self) -> str:
        """What the state means, its dates and the returns so far (the page shows the state above it)."""
        meaning = STATE_MEANING[self.state]
        out = f"{meaning[0].upper()}{meaning[1:]}."
        if self.dates:
            text = "; ".join(self.dates)
            out += f" {text[0].upper()}{text[1:]}."
        if self.state == COLLECTING and self.life.provisional:
            out += " Shown to members as provisional."
        if self.expected:
            out += f" Returns so far: {self.submitted} of {self.expected}."
        return out


def summary(store: Store, round_id: str, today: dt.date | None = None) -> RoundSummary:
    today = today or uk_today()
    rnd = store.get_round(round_id)
    life = store.life(round_id)
    statuses = rr.member_status(store, round_id) if rnd.is_questionnaire else []
    return RoundSummary(
        round_id=round_id,
        title=rnd.title,
        state=life.state_on(today),
        life=life,
        submitted=sum(m.state == "submitted" for m in statuses),
        expected=len(statuses),
        today=today,
    )


def closed_message(life: RoundLife, title: str, contact: str) -> str | None:
    """What a lead is told when the round no longer takes returns (None while it is collecting)."""
    if life.state == COLLECTING:
        return None
    since = f" since {uk_day(life.closed_at)}" if life.closed_at else ""
    what = "closed" if life.state == CLOSED else f"closed and {STATE_LABELS[life.state].lower()}"
    return (
        f"The round '{title}' has been {what}{since}: it no longer takes returns or amendments. "
        f"If a figure needs correcting, ask {contact}, who can reopen the round."
    )


def closed_messages(rounds: dict, lives: dict[str, RoundLife], contact: str, limit: int = 2) -> list[str]:
    """For the Submit page: what a lead holding an invitation to a round that closed is told
    (rounds a coordinator closed, the most recently closed first)."""
    closed = [
        (life.closed_at, rid)
        for rid, life in lives.items()
        if rid in rounds and life.closed_at is not None and life.state != COLLECTING
    ]
    out = []
    for _, rid in sorted(closed, reverse=True)[:limit]:
        text = closed_message(lives[rid], rounds[rid].title, contact)
        if text:
            out.append(text)
    return out
