"""A round published anonymised, in a real browser, as a visitor sees it where the data is members'
only (``VIEW_ACCESS = "members"``, nobody signed in): the Overview opens on it, each authority as
'Authority A'…, and no member's name anywhere on the page."""

from __future__ import annotations

import re

import pytest

from store import open_store
from survey import rounds as rr
from tests.support.rounds import start_2027

from .browser_helpers import expect, main_area, save_screenshot, wait_for_render
from .conftest import start_app, stop

pytestmark = pytest.mark.browser
THREE = ("Kent", "Medway", "Surrey")


@pytest.fixture(scope="module")
def published_server(browser_required, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("published-app")
    store = open_store(f"sqlite:///{workdir / 'returns.db'}")
    start_2027(store)
    for name in THREE:
        carry = rr.carry_forward(store, "seslip-2027", name)
        ret = carry.ret.model_copy(update={"round": "seslip-2027"}, deep=True)
        store.save(ret, based_on=None, channel="form", submitted_by="authority lead")
    store.set_round_open("seslip-2027", False)
    store.round_step("seslip-2027", "publish", anonymised=True)
    store.dispose()
    server = start_app("app.py", workdir, {"VIEW_ACCESS": "members"})
    yield server
    stop(server.process)


def test_a_visitor_sees_the_anonymised_round_without_a_name(
    browser_context, published_server, screenshot_dir
):
    page = browser_context.new_page()
    page.goto(published_server.url)
    wait_for_render(page)
    main = main_area(page)
    expect(main.locator("h1").first).to_be_visible()
    assert "round=seslip-2027" in page.url
    text = page.locator("body").inner_text()
    assert not [n for n in (*THREE, "Hampshire", "West Sussex") if n in text]
    assert "section 22" in text and re.search(r"\(Authority [ABC]\)", main.inner_text())
    save_screenshot(page, "published-anonymised-visitor", screenshot_dir)
    page.close()
