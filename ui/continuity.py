"""Saying so when someone's connection was lost and the page opened afresh (``app.py``).

Streamlit keeps each session in one server process. When that server stops (an upgrade, a crash),
the proxy sends the browser to another server, where the page starts a new session: what was saved
is all there, but the page itself starts afresh (an unlocked form locks again, say). The browser
tells the new server which session it had (the third entry of the WebSocket's protocol header,
which Streamlit uses to reconnect to a session it still has); when that is not the session it now
has, the earlier one was lost, and the page says so, once, until dismissed.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

CHECKED = "continuity_checked"
SHOW = "continuity_show"
MESSAGE = (
    "**Your connection to the dashboard was interrupted**, so this page has been opened afresh "
    "(perhaps on another of its servers, if the one you were using was stopped). Everything that was "
    "saved is kept. If you were part-way through a form, open it again and check your answers before "
    "saving; sign in again if you are asked."
)


def previous_session(headers: Mapping[str, str]) -> str | None:
    """The session the browser had before, from its WebSocket request's headers, or None."""
    proto = next((v for k, v in headers.items() if k.lower() == "sec-websocket-protocol"), "") or ""
    parts = [p.strip() for p in proto.split(",")]
    return parts[2] if len(parts) >= 3 and parts[2] else None


def was_reconnected(headers: Mapping[str, str], session_id: str | None) -> bool:
    before = previous_session(headers)
    return bool(before and session_id and before != session_id)


def _dismiss() -> None:
    st.session_state[SHOW] = False


def reconnected_notice() -> None:
    if CHECKED not in st.session_state:
        st.session_state[CHECKED] = True
        ctx = get_script_run_ctx()
        try:
            headers = dict(st.context.headers)
        except Exception:  # no request behind this run (a test): nothing to say
            headers = {}
        st.session_state[SHOW] = was_reconnected(headers, ctx.session_id if ctx else None)
    if st.session_state.get(SHOW):
        st.info(MESSAGE, icon=":material/sync_problem:")
        st.button("Dismiss this message", key="continuity_dismiss", on_click=_dismiss)
