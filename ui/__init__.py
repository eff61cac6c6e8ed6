"""Streamlit helpers shared by the pages (the only package besides pages/ that imports streamlit).

Every page imports from ``ui``, so this is also where a Streamlit quirk is
mended. The pages live in ``pages/`` (the layout the design card asks for),
and Streamlit treats a ``pages/`` folder as an old-style multipage app until
the first session runs ``app.py`` and so calls ``st.navigation``. If the
first visitor after a server start opens a shared link to a page (say
``/caseloads?model=combined``), Streamlit would run that page on its own,
without the app's navigation, title or layout. When that happens we switch
Streamlit to the app's navigation and rerun, so the link opens as it should.
"""

from __future__ import annotations


def _use_app_navigation() -> None:
    try:
        import streamlit as st
        from streamlit.runtime.pages_manager import PagesManager
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:  # a Streamlit without this internal: nothing to mend
        return
    if PagesManager.uses_pages_directory and get_script_run_ctx() is not None:
        PagesManager.uses_pages_directory = False
        st.rerun()


_use_app_navigation()
