"""Commentaries on flagged figures: the lead's words, kept with the return and versioned with it.

A commentary (``models.returns.Commentary``) is written on the Submit page beside a figure the
exception table flags (the top or bottom fifth of the group). It names the round it was written for:
carried into a later round it is kept as it was, and marked as last year's until the lead changes
it. ``merge_commentaries`` is the one rule for what a save keeps. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from models.returns import MAX_ANSWER_CHARS, Commentary


def merge_commentaries(
    existing: Sequence[Commentary],
    typed: Mapping[str, str | None],
    labels: Mapping[str, str],
    round_id: str,
) -> list[Commentary]:
    """The commentaries a save keeps.

    ``typed`` is what the boxes hold now, by measure key: text unchanged from the existing
    commentary keeps it as it was (so last year's stays last year's); new or changed text is this
    round's; an emptied box removes the commentary (an empty box is no commentary, never ""). Existing
    commentaries on measures with no box (a figure no longer flagged) are kept as they are."""
    by_measure = {c.measure: c for c in existing}
    out: list[Commentary] = []
    for c in existing:
        if c.measure not in typed:
            out.append(c)
    for measure, raw in typed.items():
        text = (raw or "").strip()
        old = by_measure.get(measure)
        if not text:
            continue
        if old is not None and old.text.strip() == text:
            out.append(old)
            continue
        out.append(
            Commentary(
                measure=measure,
                label=labels.get(measure, old.label if old else measure)[:200],
                text=text[:MAX_ANSWER_CHARS],
                round=round_id,
            )
        )
    return out


def is_carried(c: Commentary, round_id: str) -> bool:
    """Written for an earlier round (carried forward, not yet changed)."""
    return c.round != round_id
