"""IRO and CP chair benchmarking: the app's entry point.

Run with ``streamlit run app.py``. The pages live in ``pages/``; each reads its
widgets, builds its View (``views/``) through ``ui.cache`` and renders it.
"""

from __future__ import annotations

import streamlit as st

from config import settings
from ui.auth import sidebar_identity, sign_in_gate
from ui.continuity import reconnected_notice
from ui.data import database_guard
from ui.errors import run_safely
from ui.filters import shared_filters
from ui.icon import PAGE_ICON
from ui.print import print_styles
from ui.tcp import no_delay

no_delay()  # each message sent at once, not 40 ms later (Streamlit's own socket leaves Nagle on)

st.set_page_config(
    page_title="IRO and CP chair benchmarking",
    page_icon=PAGE_ICON,  # inline: no request to another host
    layout="wide",
)

print_styles()  # A4, no sidebar or buttons, tables whole: every page prints well (Ctrl+P)
reconnected_notice()  # moved to another server (or this one restarted): said once, plainly
with database_guard():  # the database unreachable: a plain page saying so
    who = sign_in_gate()  # with VIEW_ACCESS=members, a visitor sees the sign-in page only
sidebar_identity(who)

PAGES = {
    "Compare": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/caseloads.py", title="Caseloads", icon=":material/bar_chart:"),
        st.Page("pages/combined_vs_separate.py", title="Combined or separate", icon=":material/compare:"),
        st.Page("pages/qa_inputs.py", title="Quality assurance inputs", icon=":material/fact_check:"),
        st.Page("pages/exceptions.py", title="Exception table", icon=":material/grid_on:"),
        st.Page(
            "pages/authority_profile.py", title="Authorities side by side", icon=":material/view_column:"
        ),
        st.Page("pages/report.py", title="How we compare", icon=":material/summarize:"),
        st.Page("pages/changes.py", title="Change between rounds", icon=":material/history:"),
        st.Page("pages/round_questions.py", title="This round's own questions", icon=":material/quiz:"),
        st.Page("pages/search.py", title="Search answers", icon=":material/search:"),
        st.Page("pages/guidance.py", title="Guidance and timescales", icon=":material/menu_book:"),
    ],
    "Submit": [
        st.Page("pages/submit.py", title="Submit or amend a return", icon=":material/edit_note:"),
        st.Page("pages/coordinator.py", title="Coordinator", icon=":material/admin_panel_settings:"),
    ],
    "Export": [
        st.Page("pages/export.py", title="Export to Excel", icon=":material/download:"),
    ],
}

if settings.get("BENCH_EMPTY_PAGE") == "1":  # `cli.py bench` only: a title alone, to measure pages against
    PAGES["Bench"] = [st.Page(lambda: st.title("Empty page"), title="Empty page", url_path="bench-empty")]

#: The Compare pages that share the sidebar's filters, and whether each offers the role filter.
FILTERED = {
    "Overview": False,
    "Caseloads": True,
    "Combined or separate": True,
    "Quality assurance inputs": True,
    "Exception table": True,
    "Authorities side by side": True,
    "How we compare": True,
    "Search answers": True,
}
page = st.navigation(PAGES, expanded=True)  # every page listed: Submit, Coordinator and Export too


def show_page() -> None:
    if page.title in FILTERED:  # drawn once here for every Compare page; the page reads them
        shared_filters(show_role=FILTERED[page.title])
    page.run()


# The error boundary: an unexpected error is logged with a reference, never shown as a traceback.
run_safely(show_page)
