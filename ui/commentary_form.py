"""The Submit page's commentary boxes: one per figure of the authority that the exception table flags.

Which figures are flagged comes from ``analysis.exceptions`` (the group's latest returns, with the
lead's draft in place of the saved one); what a save keeps is ``models.commentary.merge_commentaries``.
A commentary carried forward from last year's return is shown in its box, marked, until it is changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from analysis.exceptions import exception_table
from models.commentary import is_carried, merge_commentaries
from models.safe_text import escape_markdown

PREFIX = "sub_comment_"
CARRIED = "Last year's commentary, carried forward: change it to make it this year's."


def _key(measure: str) -> str:
    return PREFIX + measure.replace(".", "__")


def _name(ret: Any) -> str:
    return " ".join(ret.authority.split()).casefold()


def group_peers(returns: Sequence[Any], round_id: str, previous_round_id: str | None) -> list[Any]:
    """The group's latest figures: this round's returns, and last round's for members not in yet (early
    in a round, so that a figure flagged last year is still open to comment)."""
    here = [r for r in returns if r.round == round_id]
    keys = {_name(r) for r in here}
    before = [
        r for r in returns if previous_round_id and r.round == previous_round_id and _name(r) not in keys
    ]
    return here + before


def flagged_for(authority: str, draft: Any, peers: Sequence[Any]) -> list:
    """The draft's flagged figures among the other returns of the group."""
    key = " ".join(authority.split()).casefold()
    returns = [*(r for r in peers if _name(r) != key), draft]
    return exception_table(returns).flagged_for(authority)


def commentary_boxes(
    authority: str, round_id: str, draft: Any, existing: Sequence[Any], peers: Sequence[Any]
):
    """A box per flagged figure, and per commentary already written (prefilled); the commentaries the
    save will keep (``merge_commentaries``)."""
    flagged = flagged_for(authority, draft, peers) if draft is not None else []
    st.markdown("### Commentaries on flagged figures")
    if not flagged and not existing:
        st.caption(
            "None of your figures is in the top or bottom fifth of the group at present, so there is nothing "
            "to comment on."
        )
        return []
    st.caption(
        "These figures are in the top or bottom fifth of the group on the exception table. Members see your "
        "commentary beside the figure, and it goes into your authority's 'how we compare' report. Optional; "
        "an emptied box removes the commentary."
    )
    by_measure = {c.measure: c for c in existing}
    boxes = [
        (
            f.measure.key,
            f.measure.label,
            f"{f.measure.label}: {f.cell.cell.text} ({f.cell.words})",
            f.measure.detail,
        )
        for f in flagged
    ]
    shown = {key for key, *_ in boxes}
    boxes += [
        (c.measure, c.label, f"{c.label} (not flagged at present)", None)
        for c in existing
        if c.measure not in shown
    ]
    typed: dict[str, str | None] = {}
    labels: dict[str, str] = {}
    for key, short, label, detail in boxes:
        old = by_measure.get(key)
        labels[key] = short
        typed[key] = st.text_area(
            label, value=old.text if old else "", key=_key(key), max_chars=2000, help=detail
        )
        if old is not None and is_carried(old, round_id) and (typed[key] or "").strip() == old.text.strip():
            st.caption(escape_markdown(CARRIED))
    return merge_commentaries(existing, typed, labels, round_id)
