"""The data set as the person looking may see it (``survey.visibility``): every Compare page, the
Export page and Change between rounds read it; the Submit and Coordinator pages read the store."""

from __future__ import annotations

import streamlit as st

import ui.data
from config import settings
from models.lifecycle import FOI_STATEMENT, PROVISIONAL_NOTE
from models.safe_text import escape_markdown
from models.uktime import uk_today
from store.loading import Dataset
from survey import visibility
from survey.identity import Role, is_coordinator
from ui.auth import current_who
from ui.cache import per_dataset


def audience() -> str:
    who = current_who()
    return visibility.audience(
        coordinator=is_coordinator(who),
        member=bool(who.roles & {Role.member, Role.lead}),
        public=not who.settings.members_only,
    )


def shown_dataset(*, notice: bool = True) -> Dataset:
    """Only the rounds this person may see, a round still collecting labelled provisional."""
    ds = ui.data.current_dataset(notice=notice)  # (looked up on the module: tests replace it)
    who, today = audience(), uk_today()
    return per_dataset(ds, ("shown", who, today), lambda: visibility.shown(ds, who, today))


def provisional_notice(ds: Dataset, round_id: str | None) -> None:
    """Under a page's title: the round shown is still collecting, so its figures are provisional."""
    life = ds.lives.get(round_id or "")
    if life is not None and life.state_on(uk_today()) == "collecting":
        st.warning(PROVISIONAL_NOTE, icon=":material/pending:")


def collecting_rounds(ds: Dataset) -> set[str]:
    """The rounds shown that are still collecting returns (provisional)."""
    today = uk_today()
    return {rid for rid, life in ds.lives.items() if life.state_on(today) == "collecting"}


def publication_statement() -> str:
    """The statement on what is published and when (section 22): ``PUBLICATION_STATEMENT`` if the
    coordinator set it, else the wording kept in ``models.lifecycle``."""
    return " ".join(str(settings.get("PUBLICATION_STATEMENT") or "").split()) or FOI_STATEMENT


def publication_section() -> None:
    """The statement at the foot of a page, as plain text (never markup)."""
    st.caption(escape_markdown(publication_statement()))
