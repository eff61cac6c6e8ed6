"""Where a request comes from, for throttling (``store.access``).

``client_source()`` names the source of a try of an access code or the
coordinator secret: the visitor's address where Streamlit exposes it, else the
browser session. The command line is its own source (``store.access.COMMAND_LINE``).
"""

from __future__ import annotations

import streamlit as st


def client_source() -> str:
    """'address:203.0.113.5', or 'session:<id>' where the address is not known."""
    try:
        address = st.context.ip_address
    except Exception:  # not in a browser session (tests, bare mode)
        address = None
    if address:
        return f"address:{address}"
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is not None:
            return f"session:{ctx.session_id}"
    except Exception:
        pass
    return "unknown"
