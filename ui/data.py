"""Where pages get their data: the database, loaded once and cached.

On first use the database (``DATABASE_URL`` from the environment or Streamlit
secrets, else ``var/returns.db``) gets its tables and is seeded from
``survey_data/`` (idempotent: a newer submitted version is never overwritten).
Pages call ``current_dataset()``; the cache is keyed on the database's data
version, so a save shows on every page at once and nothing is reloaded
otherwise.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from config import settings
from models.safe_text import escape_markdown
from store import Store
from store.errors import StorageUnavailable
from store.loading import DEFAULT_DATA_DIR, Dataset
from store.versions import UNREADABLE_FIELD
from ui.cache import authorities_for, clear_store, dataset_for, store_for


def database_url() -> str | None:
    """``DATABASE_URL`` (``config.settings``); None for the embedded default."""
    return settings.get("DATABASE_URL") or None


def seed_dir() -> Path:
    return Path(settings.get("SURVEY_DATA_DIR") or DEFAULT_DATA_DIR)


def get_store() -> Store:
    """The shared store, created and seeded once per server process.

    Stops the page with a plain message (never a traceback) if the database
    cannot be reached.
    """
    try:
        return store_for(database_url(), str(seed_dir()))
    except StorageUnavailable as exc:
        clear_store()
        unavailable(exc)
        raise AssertionError("unreachable") from exc  # st.stop() above ends the run


LOG = logging.getLogger("iro_cp.database")
#: What everyone sees while the database is away (the details go to the log and an expander).
DATABASE_AWAY = (
    "**The returns database cannot be reached.** The dashboard cannot show or save returns until it is "
    "back. Nothing has been saved or lost, and anything you had typed into the form is kept for when it "
    "is. Open the page again in a minute (you may be moved to a server that can reach it); if it keeps "
    "happening, tell the coordinator."
)


#: Set when a run was cut short because the database could not be reached (``ui.form`` then puts
#: back what was typed, rather than what the browser holds for the widgets it no longer drew).
INTERRUPTED = "run_interrupted_by_database"


def unavailable(exc: Exception) -> None:
    """The plain page for a database that cannot be reached; the run stops here."""
    LOG.warning("database unreachable: %s", exc)
    st.session_state[INTERRUPTED] = True
    st.error(DATABASE_AWAY, icon=":material/cloud_off:")
    with st.expander("Details for whoever runs the dashboard"):
        st.text(str(exc))
    st.stop()


@contextmanager
def database_guard() -> Iterator[None]:
    """Whatever runs inside: if the database cannot be reached, the plain page instead of an error."""
    try:
        yield
    except StorageUnavailable as exc:
        unavailable(exc)


def current_dataset(*, notice: bool = True) -> Dataset:
    """Every round and the current version of every return.

    A version this release cannot read (stored by a newer release) is left out, untouched, and
    named at the top of the page (``notice``), so every other return still shows."""
    store = get_store()
    try:
        version = str(store.data_version())
        ds = dataset_for(database_url(), str(seed_dir()), version)
    except StorageUnavailable as exc:
        unavailable(exc)
        raise AssertionError("unreachable") from exc
    if notice:
        for problem in ds.problems:
            if problem.field == UNREADABLE_FIELD:
                st.warning(escape_markdown(f"Not shown: {problem.message}"), icon=":material/update:")
    return ds


def authorities(round_id: str) -> list[str]:
    """Authorities with a return or an access code in the round (cached on the data version)."""
    store = get_store()
    try:
        return authorities_for(database_url(), str(seed_dir()), str(store.data_version()), round_id)
    except StorageUnavailable as exc:
        unavailable(exc)
        raise AssertionError("unreachable") from exc


def coordinator_secret() -> str | None:
    """``COORDINATOR_SECRET`` (``config.settings``); None if not set."""
    return settings.get("COORDINATOR_SECRET") or None
