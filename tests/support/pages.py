"""The one AppTest opener: a page of the app (or the whole app, or a script function), not yet run.

at = open_page("submit").run()
at = open_app().run()
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "pages"
APP = ROOT / "app.py"


def page_path(name: str) -> str:
    """The file of page ``name`` ('submit', 'coordinator'); a clear error for one that does not exist."""
    path = PAGES / f"{name}.py"
    if not path.is_file():
        raise FileNotFoundError(
            f"There is no page {path}. Pages: {sorted(p.stem for p in PAGES.glob('*.py'))}"
        )
    return str(path)


def open_page(name: str, *, timeout: float = 60) -> AppTest:
    """Page ``name`` as AppTest, not yet run."""
    return AppTest.from_file(page_path(name), default_timeout=timeout)


def open_app(*, timeout: float = 120) -> AppTest:
    """The whole app (``app.py``: navigation and sign-in gate), not yet run."""
    return AppTest.from_file(str(APP), default_timeout=timeout)


def open_script(script: Callable[[], None], *, timeout: float = 30) -> AppTest:
    """A script function as a page (it imports what it needs inside), not yet run."""
    return AppTest.from_function(script, default_timeout=timeout)


def unlock_with_code(at: AppTest, authority: str, code: str) -> AppTest:
    """On the Submit page: choose the authority, type its code and press the unlock button."""
    at.selectbox(key="sub_authority").set_value(authority)
    at.text_input(key="sub_code").input(code)
    at.get("form_submit_button")[0].click().run()
    return at
