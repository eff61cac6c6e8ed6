"""Where pages get their data: loaded once and cached.

Pages call ``current_dataset()``; it is cached by Streamlit and rebuilt only
when the data changes.
"""

from __future__ import annotations

import streamlit as st

from dashboard.loading import Dataset, load_survey_data


@st.cache_data(show_spinner=False)
def _load() -> Dataset:
    return load_survey_data()


def current_dataset() -> Dataset:
    """Every round and the current version of every return."""
    return _load()
