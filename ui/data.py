"""Where pages get their data: the database, loaded once and cached.

On first use the database (``DATABASE_URL`` from the environment or Streamlit
secrets, else ``var/returns.db``) gets its tables and is seeded from
``survey_data/`` (idempotent: a newer submitted version is never overwritten).
Pages call ``current_dataset()``; the cache is keyed on the database's data
version, so a save shows on every page at once and nothing is reloaded
otherwise.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from config import settings
from store import Store, open_store
from store.errors import StorageUnavailable
from store.loading import DEFAULT_DATA_DIR, Dataset


def database_url() -> str | None:
    """``DATABASE_URL`` (``config.settings``); None for the embedded default."""
    return settings.get("DATABASE_URL") or None


def seed_dir() -> Path:
    return Path(settings.get("SURVEY_DATA_DIR") or DEFAULT_DATA_DIR)


@st.cache_resource(show_spinner="Opening the database…")
def _store(url: str | None, data_dir: str) -> Store:
    return open_store(url, Path(data_dir))


def get_store() -> Store:
    """The shared store, created and seeded once per server process.

    Stops the page with a plain message (never a traceback) if the database
    cannot be reached.
    """
    try:
        return _store(database_url(), str(seed_dir()))
    except StorageUnavailable as exc:
        _store.clear()
        unavailable(exc)
        raise AssertionError("unreachable") from exc  # st.stop() above ends the run


def unavailable(exc: Exception) -> None:
    st.error(
        f"**The returns database cannot be reached.** {exc}\n\n"
        "Nothing has been saved or lost. Try again in a minute; if it keeps happening, "
        "tell the coordinator.",
        icon=":material/cloud_off:",
    )
    st.stop()


@st.cache_resource(show_spinner=False, max_entries=4)
def _dataset(url: str | None, data_dir: str, data_version: str) -> Dataset:
    # cache_resource shares one Dataset between reruns and sessions instead of
    # unpickling a copy on every rerun (most of a warm render at 150 authorities).
    # Pages treat it as read-only; it is rebuilt whenever data_version changes.
    return _store(url, data_dir).dataset()


def current_dataset() -> Dataset:
    """Every round and the current version of every return."""
    store = get_store()
    try:
        version = str(store.data_version())
        return _dataset(database_url(), str(seed_dir()), version)
    except StorageUnavailable as exc:
        unavailable(exc)
        raise AssertionError("unreachable") from exc


@st.cache_data(show_spinner=False, max_entries=16)
def _authorities(url: str | None, data_dir: str, data_version: str, round_id: str) -> list[str]:
    return _store(url, data_dir).authorities(round_id)


def authorities(round_id: str) -> list[str]:
    """Authorities with a return or an access code in the round (cached on the data version)."""
    store = get_store()
    try:
        return _authorities(database_url(), str(seed_dir()), str(store.data_version()), round_id)
    except StorageUnavailable as exc:
        unavailable(exc)
        raise AssertionError("unreachable") from exc


def coordinator_secret() -> str | None:
    """``COORDINATOR_SECRET`` (``config.settings``); None if not set."""
    return settings.get("COORDINATOR_SECRET") or None
