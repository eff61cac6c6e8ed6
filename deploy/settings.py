"""The deployment's settings, read in one place (issue 18 moves them to config/settings.py)."""

from __future__ import annotations

import os


def database_url() -> str:
    """``DATABASE_URL`` (environment, then .streamlit/secrets.toml), else the embedded SQLite file."""
    from store._storage import default_database_url

    url = os.environ.get("DATABASE_URL")
    if not url:
        try:
            import streamlit as st

            url = st.secrets.get("DATABASE_URL") or None
        except Exception:
            url = None
    return url or default_database_url()


def instance_name() -> str:
    """``INSTANCE_NAME``: this server's name in the proxy's configuration (``app1``), for its log lines."""
    return os.environ.get("INSTANCE_NAME", "").strip() or "app"
