"""No request leaves the server's own address: councils block outside requests, and each one tells
another host who is reading what.

A fresh browser profile (nothing cached) opens every page of the app's navigation, opens a chart's
table and waits for each page to settle; every request it makes (the page, its scripts, fonts,
icons, the favicon, the WebSocket) must go to the app's own address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tools.bench import app_pages

from .browser_helpers import main_area, wait_for_render
from .conftest import LAPTOP

pytestmark = pytest.mark.browser

#: Not requests to a host at all.
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-extension"}


def test_every_page_asks_only_the_apps_own_address(chromium, app_server):
    own = urlsplit(app_server.url).netloc
    context = chromium.new_context(viewport=LAPTOP, locale="en-GB")
    outside: list[str] = []

    def check(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in LOCAL_SCHEMES and parts.netloc != own:
            outside.append(request.url)

    context.on("request", check)
    page = context.new_page()
    try:
        for app_page in app_pages():
            page.goto(f"{app_server.url}/{'' if app_page.path == app_pages()[0].path else app_page.url_path}")
            wait_for_render(page)
            page.wait_for_timeout(500)  # the favicon and late fonts are asked for after the page draws
        # A table opened (its grid loads its own code): still nothing from elsewhere.
        page.goto(f"{app_server.url}/caseloads")
        wait_for_render(page)
        expander = main_area(page).locator('[data-testid="stExpander"]').first
        expander.locator("summary").click()
        main_area(page).locator('[data-testid="stDataFrame"]').first.wait_for()
        page.wait_for_timeout(500)
    finally:
        context.close()
    assert not outside, "requests to another host:\n" + "\n".join(sorted(set(outside)))
