"""Every page in the app's navigation renders with the real data, without an exception."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.pages import open_app

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
#: The page files the navigation lists, read from app.py so a new page is tested as soon as it is added.
PAGES = re.findall(r'st\.Page\(\s*"([^"]+\.py)"', APP.read_text(encoding="utf-8"))


def test_navigation_lists_pages():
    assert "pages/overview.py" in PAGES
    assert len(PAGES) >= 8


@pytest.mark.parametrize("page", PAGES)
def test_page_renders(page):
    at = open_app()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, f"{page} shows no title"


#: A hostile value for every key a page reads from the address bar: filters, search, sort, taxonomy,
#: activity, authorities side by side, context, the rounds compared, and keys no page knows.
HOSTILE = "[click](http://evil.example) ![img](http://evil.example/i.png) <img src=x onerror=alert(1)> **b** :red[x]"
LINK_KEYS = [
    "round",
    "model",
    "authority",
    "role",
    "published",
    "neighbours",
    "q",
    "sort",
    "taxonomy",
    "iro_activity",
    "cp_chair_activity",
    "pick",
    "context",
    "from",
    "to",
    "unknown",
]


def _rendered_texts(at: AppTest) -> list[str]:
    kinds = ["markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader"]
    return [e.value for kind in kinds for e in getattr(at, kind)]


@pytest.mark.parametrize("page", PAGES)
def test_a_hostile_link_never_becomes_markup_on_any_page(page):
    """Every value from the address bar is quoted back (if at all) as inert text: no link, picture,
    HTML or Streamlit directive reaches any page."""
    at = open_app()
    for key in LINK_KEYS:
        at.query_params[key] = HOSTILE
    at.run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    for text in _rendered_texts(at):
        source = re.sub(r"</?mark>", "", text)
        assert "](http" not in source, (page, source)
        assert "<img" not in source and "<b>" not in source, (page, source)
        assert ":red[" not in source and "**b**" not in source, (page, source)
