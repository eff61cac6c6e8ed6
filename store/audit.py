"""The audit log: who did what, when, and to which round or authority.

Entries are only ever added; the database refuses to change or delete one
(triggers, as for return versions). Each entry records

* **who**, from what was verified (``store.rights.Actor``): a signed-in email, "access code for
  Kent", "command line (alice)" (the shell's user), "coordinator secret", "survey_data (loaded
  on start)"; or, for a refusal, "unverified: …" and the claim, its control characters shown as
  escapes, kept apart from every verified name;
* **when** (UTC), **what** (an action below) and **for what** (round, authority,
  and a detail such as "version 3 (form)" or the domain added).

Codes and secrets never appear in it: the writers pass only names.

Writers pass ``who=`` where they know it; otherwise the person acting in this
thread is named once with ``acting_as(actor)`` (the command line and the pages do). Every
refusal is logged too: a wrong, revoked or unknown code, a save refused (round closed, not a
member, a right taken away), a refused sign-in, the coordinator secret, a refused page.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from store.engine import now_utc, utc
from store.rights import Actor
from store.schema import audit_table

if TYPE_CHECKING:
    from store import Store

# ---------------------------------------------------------------------------
# Who is acting

#: Who is acting in this thread when no ``who`` is passed: set with ``store.audit.acting_as``.
ACTOR: contextvars.ContextVar[Actor | str | None] = contextvars.ContextVar("audit_actor", default=None)
#: Recorded when nobody said who was acting (never a guess).
UNKNOWN_ACTOR = "not recorded"
SEED_ACTOR = "survey_data (loaded on start)"


def current(who: Actor | str | None = None) -> Actor | str | None:
    """``who`` if given, else whoever ``acting_as`` names in this thread (None if nobody)."""
    if isinstance(who, Actor) or (who is not None and who.strip()):
        return who
    return ACTOR.get()


def actor(who: Actor | str | None = None) -> str:
    """How the log names ``current(who)``: an Actor's own name, a string as given (one line, at most
    320 characters), else "not recorded"."""
    found = current(who)
    if isinstance(found, Actor):
        return found.audit_name[:320]
    if found is None or not found.strip():
        return UNKNOWN_ACTOR
    return " ".join(found.split())[:320]


def record_audit(
    conn: Connection,
    action: str,
    *,
    who: Actor | str | None = None,
    round_id: str | None = None,
    authority: str | None = None,
    detail: str | None = None,
) -> None:
    """Add one entry to the audit log, in the caller's transaction. Never pass a code or secret."""
    conn.execute(
        audit_table.insert().values(
            at=now_utc(),
            who=actor(who),
            action=action[:40],
            round_id=round_id,
            authority=" ".join(authority.split())[:200] if authority else None,
            detail=" ".join(detail.split())[:500] if detail else None,
        )
    )


__all__ = ["ACTIONS", "Entry", "acting_as", "entries", "frame", "record_audit"]


#: Every action, as a person would say it.
ACTIONS: dict[str, str] = {
    "return_saved": "Saved a version of a return",
    "code_issued": "Issued an access code",
    "code_revoked": "Revoked an access code",
    "code_refused": "Refused an access code",
    "save_refused": "Refused a save",
    "round_added": "Created a round",
    "round_opened": "Opened a round",
    "round_closed": "Closed a round",
    "round_shared": "Shared a round with members",
    "round_published": "Published a round",
    "round_reopened": "Reopened a round",
    "round_provisional": "Showed or hid a collecting round",
    "domain_added": "Added an email domain",
    "domain_removed": "Removed an email domain",
    "coordinator_added": "Added a coordinator",
    "coordinator_removed": "Removed a coordinator",
    "sign_in_refused": "Refused a sign-in",
    "secret_refused": "Refused the coordinator secret",
    "page_refused": "Refused a page",
    "action_refused": "Refused a coordinator's action",
    "round_questions_changed": "Changed a round's own questions",
}

COLUMNS = ["When (UTC)", "Who", "What", "Round", "Authority", "Detail"]


def access_code_for(authority: str) -> str:
    """How someone who unlocked the form with a code is named: "access code for Kent"."""
    return f"access code for {' '.join(authority.split())}"


@contextmanager
def acting_as(who: Actor | str | None) -> Iterator[None]:
    """Name who is acting for every audit entry written in this block without its own ``who``."""
    token = ACTOR.set(who)
    try:
        yield
    finally:
        ACTOR.reset(token)


@contextmanager
def refusal_logged(
    store: Store,
    action: str,
    *,
    who: Actor | str | None = None,
    round_id: str | None = None,
    authority: str | None = None,
) -> Iterator[None]:
    """A right refused in this block (``store.rights.RightsError``) is logged as ``action``, with the
    reason, once its transaction has been rolled back; then the refusal goes on to the caller."""
    from store.rights import RightsError

    try:
        yield
    except RightsError as exc:
        store.record(action, who=who, round_id=round_id, authority=authority, detail=str(exc)[:300])
        raise


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    who: str
    action: str
    round_id: str | None
    authority: str | None
    detail: str | None

    @property
    def what(self) -> str:
        return ACTIONS.get(self.action, self.action.replace("_", " ").capitalize())

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "who": self.who,
            "action": self.action,
            "what": self.what,
            "round": self.round_id,
            "authority": self.authority,
            "detail": self.detail,
        }


def _since(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return utc(value)
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)


def entries(store: Store, *, since: dt.date | dt.datetime | None = None) -> list[Entry]:
    """Every entry (from ``since``, a date meaning its midnight UTC), oldest first."""
    a = audit_table
    q = sa.select(a).order_by(a.c.at, a.c.id)
    start = _since(since)
    if start is not None:
        q = q.where(a.c.at >= start)
    with store.transaction("the audit log") as conn:
        rows = list(conn.execute(q))
    return [Entry(utc(r.at), r.who, r.action, r.round_id, r.authority, r.detail) for r in rows]


def frame(
    store: Store,
    *,
    since: dt.date | dt.datetime | None = None,
    until: dt.date | None = None,
    who: str | None = None,
    actions: list[str] | None = None,
    authority: str | None = None,
    round_id: str | None = None,
) -> pd.DataFrame:
    """The log as a table for the Coordinator page (newest first), filtered.

    ``until`` is inclusive (a whole day); ``who`` matches part of who acted, any
    case; ``actions`` are keys of ``ACTIONS``; ``authority`` matches any case.
    """
    rows = entries(store, since=since)
    if until is not None:
        end = _since(until + dt.timedelta(days=1))
        rows = [e for e in rows if e.at < end]
    if who:
        needle = who.casefold().strip()
        rows = [e for e in rows if needle in e.who.casefold()]
    if actions:
        rows = [e for e in rows if e.action in set(actions)]
    if authority:
        wanted = " ".join(authority.split()).casefold()
        rows = [e for e in rows if (e.authority or "").casefold() == wanted]
    if round_id:
        rows = [e for e in rows if e.round_id == round_id]
    data = [
        {
            "When (UTC)": e.at.replace(tzinfo=None),
            "Who": e.who,
            "What": e.what,
            "Round": e.round_id or "",
            "Authority": e.authority or "",
            "Detail": e.detail or "",
        }
        for e in reversed(rows)
    ]
    return pd.DataFrame(data, columns=COLUMNS)
