"""Plain modules behind the pages: loading, analysis, storage and export.

Nothing in this package imports streamlit, so all of it is tested without it.
"""
