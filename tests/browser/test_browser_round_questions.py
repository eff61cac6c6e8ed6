"""This round's own questions in a real browser: seslip-2027 with six library questions answered by
Kent, Medway and Surrey; the page shows each figure beside its counting rule, with the group median and
Kent's neighbours', and says that Medway's figure counted differently is kept out of the median."""

from __future__ import annotations

import pytest

from store import open_store
from tests.support.round_questions import seed_2027

from .browser_helpers import (
    axe_violations,
    choose_option,
    expect,
    main_area,
    open_page,
    save_screenshot,
    wait_for_render,
)
from .conftest import start_app, stop

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def questions_server(browser_required, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("questions-app")
    store = open_store(f"sqlite:///{workdir / 'returns.db'}")
    seed_2027(store)
    # Still collecting: the page shows it only because the coordinator shows it, labelled provisional.
    store.round_step("seslip-2027", "provisional", provisional=True)
    store.dispose()
    server = start_app("app.py", workdir)
    yield server
    stop(server.process)


def test_the_round_page_compares_the_round_questions(browser_context, questions_server, screenshot_dir):
    page = browser_context.new_page()
    page.goto(questions_server.url)
    wait_for_render(page)
    open_page(page, "This round's own questions")
    main = main_area(page)
    choose_option(page, main, "Show the statistical neighbours of", "Kent")
    wait_for_render(page)
    expect(
        main.get_by_text("Independent reviewing officers appointed under section 25A").first
    ).to_be_visible()
    expect(main.get_by_text("Counted differently, so kept out of the median").first).to_be_visible()
    expect(main.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()
    main.get_by_text(
        "Independent reviewing officers appointed under section 25A"
    ).first.scroll_into_view_if_needed()
    page.mouse.wheel(0, 200)
    save_screenshot(page, "round-questions", screenshot_dir)
    assert axe_violations(page) == []
    page.close()
