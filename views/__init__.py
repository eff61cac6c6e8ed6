"""Comparison views: one module per page, each with a pure ``build(...)`` returning a ``View``
(``views.base``). Never imports Streamlit."""
