"""Every page opens from the sidebar navigation in a real browser, without an error.

A screenshot of each page at laptop size is saved (see conftest.save_screenshot).
"""

from __future__ import annotations

import re

import pytest

from tools.bench import app_pages

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


def test_a_shared_link_opened_first_after_start_shows_the_app(browser_context, tmp_path):
    # The very first visitor after a server start follows a link to a filtered page. Streamlit
    # would run that page on its own (no app navigation, no title); ui/__init__.py mends it.
    from .conftest import start_app, stop

    server = start_app("app.py", tmp_path)
    try:
        tab = browser_context.new_page()
        tab.goto(f"{server.url}/caseloads?model=combined")
        wait_for_render(tab)
        nav = tab.locator('[data-testid="stSidebarNav"]')
        expect(nav.get_by_role("link", name="Caseloads", exact=True)).to_be_visible()
        expect(nav.get_by_text("Compare", exact=True)).to_be_visible()
        assert "IRO and CP chair benchmarking" in tab.title()
        expect(main_area(tab).get_by_text("IRO caseloads counted in").first).to_be_visible()
        tab.close()
    finally:
        stop(server.process)
