"""The second round the scenario tests start: SESLIP survey 2027, for the South East, due in 2099 so it
is never late while a test runs."""

from __future__ import annotations

from survey import rounds as rr

ROUND_2027 = "seslip-2027"
TITLE_2027 = "SESLIP survey 2027"


def start_2027(store, *, from_round: str | None = None):
    """Create seslip-2027 as a coordinator would (``from_round``: the round carried forward from)."""
    return rr.create_round(
        store,
        round_id=ROUND_2027,
        title=TITLE_2027,
        group_id="south-east",
        deadline="2099-06-30",
        from_round=from_round,
    )
