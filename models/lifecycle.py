"""A round's life: collecting → closed → shared with members → published (as it is, or anonymised).

Pure: no database, no Streamlit. ``RoundLife`` is what the database holds about a round's state
(``store.lifecycle``); ``next_life`` checks one step and returns the round's new life, or raises
``LifecycleError`` naming the field, so that the store checks and writes a step in one transaction.

* collecting: open for returns (the coordinator may show it to members, labelled provisional);
* closed: no more returns; the coordinator checks them;
* shared: the complete round is what members see;
* published: visible to everyone, from a date that may be set ahead (until then it is shared).

A closed or shared round may be reopened with a reason; a published one never.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from models.names import PlainError
from models.uktime import uk_day

COLLECTING = "collecting"
CLOSED = "closed"
SHARED = "shared"
PUBLISHED = "published"
STATES = (COLLECTING, CLOSED, SHARED, PUBLISHED)
STATE_LABELS = {
    COLLECTING: "Collecting",
    CLOSED: "Closed",
    SHARED: "Shared with members",
    PUBLISHED: "Published",
}
STATE_MEANING = {
    COLLECTING: "open for returns; members do not see it unless you show it to them as provisional",
    CLOSED: "no more returns; you check them before sharing; members still see the round before",
    SHARED: "the complete round is what members see; visitors do not see it",
    PUBLISHED: "visible to everyone",
}
#: The word on every page, export and pack that shows a round still collecting.
PROVISIONAL = "provisional"
PROVISIONAL_NOTE = "Provisional: this round is still collecting returns. Figures may change before it closes."
#: What is published, when, and what a request under the Freedom of Information Act for returns not
#: yet published is told. The one wording; the coordinator replaces it with ``PUBLICATION_STATEMENT``.
FOI_STATEMENT = (
    "What is published, and when: each round's returns are shared with the group's members once the round "
    "has closed and the coordinator has checked them, and published to everyone on the date the coordinator "
    "sets, as they are or anonymised. Until then they are held for future publication. A request under the "
    "Freedom of Information Act for returns not yet published may be refused under section 22 (information "
    "intended for future publication): tell the requester when the round is due to be published."
)
#: The steps a coordinator can take, and the audit action each is logged as.
STEPS = {
    "close": "round_closed",
    "share": "round_shared",
    "publish": "round_published",
    "reopen": "round_reopened",
    "provisional": "round_provisional",
}
MAX_REASON = 300


class LifecycleError(PlainError):
    """A step that cannot be taken; ``field`` names the field at fault. Nothing is changed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message} Nothing was changed.")
        self.field = field


@dataclass(frozen=True)
class RoundLife:
    """What the database holds about a round's state (dates in UTC; ``publish_on`` a UK date)."""

    round_id: str
    state: str = COLLECTING
    closed_at: dt.datetime | None = None
    shared_at: dt.datetime | None = None
    publish_on: dt.date | None = None
    anonymised: bool = False
    provisional: bool = False
    reopened_at: dt.datetime | None = None
    reopen_reason: str | None = None

    def state_on(self, today: dt.date) -> str:
        """The state on ``today``: a publication set for a later date is still only shared."""
        if self.state == PUBLISHED and self.publish_on is not None and self.publish_on > today:
            return SHARED
        return self.state

    def scheduled(self, today: dt.date) -> dt.date | None:
        """The date publication is set for, if it is still ahead."""
        if self.state == PUBLISHED and self.publish_on is not None and self.publish_on > today:
            return self.publish_on
        return None

    def dates(self, today: dt.date) -> list[str]:
        """The state's dates in words (UK dates), for ``round status`` and the Coordinator page."""
        out = []
        if self.closed_at:
            out.append(f"closed {uk_day(self.closed_at)}")
        if self.shared_at:
            out.append(f"shared with members {uk_day(self.shared_at)}")
        if self.state == PUBLISHED and self.publish_on:
            how = "anonymised" if self.anonymised else "as it is"
            verb = "to be published" if self.publish_on > today else "published"
            out.append(f"{verb} {self.publish_on.strftime('%-d %B %Y')} ({how})")
        if self.reopened_at:
            out.append(f"reopened {uk_day(self.reopened_at)}: {self.reopen_reason or 'no reason given'}")
        return out


def default_life(round_id: str, *, is_open: bool, created_in_app: bool) -> RoundLife:
    """A round with no state recorded: a round a coordinator created is collecting while open and
    closed once closed; a round seeded from ``survey_data/`` is a complete round, shared."""
    if created_in_app:
        return RoundLife(round_id, COLLECTING if is_open else CLOSED)
    return RoundLife(round_id, SHARED)


def _day(value: dt.date | str | None, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise LifecycleError(field, f"'{str(value)[:40]}' is not a date. Write it as YYYY-MM-DD.") from None


def next_life(
    life: RoundLife,
    step: str,
    *,
    now: dt.datetime,
    today: dt.date,
    publish_on: dt.date | str | None = None,
    anonymised: bool = False,
    reason: str | None = None,
    provisional: bool = False,
) -> RoundLife:
    """The round's life after ``step`` (close, share, publish, reopen, provisional), or LifecycleError."""
    state = life.state_on(today)
    rid = life.round_id
    if step == "close":
        if state != COLLECTING:
            raise LifecycleError(
                "Round", f"the round '{rid}' is {STATE_LABELS[state].lower()}, not collecting."
            )
        return replace(life, state=CLOSED, closed_at=now, provisional=False)
    if step == "share":
        if state == COLLECTING:
            raise LifecycleError(
                "Round", f"the round '{rid}' is still collecting returns: close it before sharing it."
            )
        if state != CLOSED:
            raise LifecycleError("Round", f"the round '{rid}' is already {STATE_LABELS[state].lower()}.")
        return replace(life, state=SHARED, shared_at=now)
    if step == "publish":
        if state == COLLECTING:
            raise LifecycleError(
                "Round", f"the round '{rid}' is still collecting returns: close it before publishing it."
            )
        if life.state == PUBLISHED and state == PUBLISHED:
            raise LifecycleError("Round", f"the round '{rid}' is already published.")
        day = _day(publish_on, "Publication date") or today
        if day < today:
            raise LifecycleError(
                "Publication date",
                f"{day.isoformat()} is in the past (today is {today.isoformat()}). Choose today or a later date.",
            )
        closed = life.closed_at.date() if life.closed_at else None
        if closed is not None and day < closed:
            raise LifecycleError(
                "Publication date",
                f"{day.isoformat()} is before the round closed ({closed.isoformat()}). Choose a later date.",
            )
        return replace(
            life,
            state=PUBLISHED,
            publish_on=day,
            anonymised=bool(anonymised),
            shared_at=life.shared_at or now,
        )
    if step == "reopen":
        if state == PUBLISHED:
            raise LifecycleError(
                "Round", f"the round '{rid}' is published: a published round cannot be reopened."
            )
        if state == COLLECTING:
            raise LifecycleError("Round", f"the round '{rid}' is already collecting returns.")
        tidy = " ".join(str(reason or "").split())
        if not tidy:
            raise LifecycleError("Reason", "say why the round is reopened (it goes in the audit log).")
        if len(tidy) > MAX_REASON:
            raise LifecycleError(
                "Reason", f"the reason is {len(tidy):,} characters long; at most {MAX_REASON}. Shorten it."
            )
        return replace(
            life,
            state=COLLECTING,
            closed_at=None,
            shared_at=None,
            reopened_at=now,
            reopen_reason=tidy,
            publish_on=None,
            provisional=False,
        )
    if step == "provisional":
        if state != COLLECTING:
            raise LifecycleError(
                "Show to members", f"the round '{rid}' is not collecting: members see it as it is."
            )
        return replace(life, provisional=bool(provisional))
    raise LifecycleError("Step", f"'{step}' is not a step; use one of {', '.join(STEPS)}.")
