"""Every page opens from the sidebar navigation in a real browser, without an error.

A screenshot of each page at laptop size is saved (see conftest.save_screenshot).
"""

from __future__ import annotations

import re

import pytest

from dashboard.bench import app_pages

from .browser_helpers import expect, main_area, open_page, save_screenshot, wait_for_render

pytestmark = pytest.mark.browser

PAGES = app_pages()


def test_the_navigation_lists_every_page_in_its_section(page):
    nav = page.locator('[data-testid="stSidebarNav"]')
    for p in PAGES:
        expect(nav.get_by_role("link", name=p.title, exact=True)).to_be_visible()
    for section in sorted({p.section for p in PAGES}):
        expect(nav.get_by_text(section, exact=True)).to_be_visible()


@pytest.fixture(scope="module")
def nav_tab(browser_context, app_server):
    """One tab for the tour below: each test opens the next page from wherever the last one left."""
    tab = browser_context.new_page()
    tab.goto(app_server.url)
    wait_for_render(tab)
    yield tab
    tab.close()


@pytest.mark.parametrize("app_page", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_opens_from_the_navigation(nav_tab, app_server, app_page, screenshot_dir):
    page = nav_tab
    if app_page.path != PAGES[0].path:
        open_page(page, app_page.title)
        expect(page).to_have_url(re.compile(re.escape(f"{app_server.url}/{app_page.url_path}") + r"(\?.*)?$"))
    main = main_area(page)
    expect(main.locator("h1").first).to_be_visible()
    # The page ran to the end: no Python error shown in its place.
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    # The browser tab names the app.
    assert "IRO and CP chair benchmarking" in page.title()
    wait_for_render(page)
    save_screenshot(page, app_page.url_path, screenshot_dir)
