"""Every page opens from the sidebar navigation in a real browser, without an error.

A screenshot of each page at laptop size is saved (see conftest.save_screenshot).
"""

from __future__ import annotations

import pytest
from browser_helpers import expect, main_area, open_page, save_screenshot, wait_for_render

from dashboard.bench import app_pages

pytestmark = pytest.mark.browser

PAGES = app_pages()


def test_the_navigation_lists_every_page_in_its_section(page):
    nav = page.locator('[data-testid="stSidebarNav"]')
    for p in PAGES:
        expect(nav.get_by_role("link", name=p.title, exact=True)).to_be_visible()
    for section in sorted({p.section for p in PAGES}):
        expect(nav.get_by_text(section, exact=True)).to_be_visible()


@pytest.mark.parametrize("app_page", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_opens_from_the_navigation(page, app_page, screenshot_dir):
    if app_page.path != PAGES[0].path:
        open_page(page, app_page.title)
        expect(page).to_have_url(f"{page.url.split('/')[0]}//{page.url.split('/')[2]}/{app_page.url_path}")
    main = main_area(page)
    expect(main.locator("h1").first).to_be_visible()
    # The page ran to the end: no Python error shown in its place.
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    # The browser tab names the app.
    assert "IRO and CP chair benchmarking" in page.title()
    wait_for_render(page)
    save_screenshot(page, app_page.url_path, screenshot_dir)
