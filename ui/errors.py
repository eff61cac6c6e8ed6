"""The app's error boundary: a user never sees a traceback.

``run_safely(page)`` runs a page (``st.navigation(...).run`` in ``app.py``). An
unexpected exception is logged with its traceback and a short reference (8 hex
characters), and the page shows one plain sentence with that reference for the
coordinator to look up in the log. Streamlit's own control flow (``st.stop()``,
``st.rerun()``, ``st.switch_page()``) passes through untouched.
``.streamlit/config.toml`` sets ``client.showErrorDetails = "none"`` as well, so
anything that escapes this boundary shows no details either.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

LOG = logging.getLogger("iro_cp.errors")


def new_reference() -> str:
    """A short reference such as '3F9A0C1E' (8 hex characters)."""
    return secrets.token_hex(4).upper()


def error_message(reference: str) -> str:
    return (
        f"Something went wrong on this page, and it could not be shown. Nothing you saved has been lost. "
        f"If it happens again, tell the coordinator the reference {reference}."
    )


def run_safely(page: Callable[[], Any]) -> str | None:
    """Run ``page``; on an unexpected error log it and show a plain message. Returns the reference, if any."""
    from store.errors import StorageUnavailable
    from ui.data import unavailable

    try:
        page()
    except ScriptControlException:
        raise  # st.stop(), st.rerun(), st.switch_page(): Streamlit's own, not errors
    except StorageUnavailable as exc:  # the database has gone away: say so plainly, not "went wrong"
        unavailable(exc)
    except Exception as exc:  # the boundary: everything else is logged, never shown
        reference = new_reference()
        LOG.error("Unexpected error on a page, reference %s", reference, exc_info=exc)
        st.error(error_message(reference), icon=":material/error:")
        return reference
    return None
