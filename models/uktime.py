"""UK time (Europe/London, with summer time): every time a person reads is given in it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def uk(at: dt.datetime) -> dt.datetime:
    """``at`` (a naive time is taken as UTC) in UK time."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(UK)


def uk_time(at: dt.datetime) -> str:
    """'14:05 on 2 December 2026 (UK time)'."""
    local = uk(at)
    return f"{local.strftime('%H:%M')} on {local.strftime('%-d %B %Y')} (UK time)"


def uk_today(now: dt.datetime | None = None) -> dt.date:
    return uk(now or dt.datetime.now(dt.UTC)).date()


def uk_day(at: dt.datetime) -> str:
    """'2 December 2026': the day ``at`` falls on in the UK."""
    return uk(at).strftime("%-d %B %Y")
