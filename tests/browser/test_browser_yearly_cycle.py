"""The yearly cycle in a real browser: the coordinator starts seslip-2027 for the South East and
issues Kent's code; Kent's lead finds 65 carried forward, changes it to 70 and saves; the status
says submitted; the Overview still opens on June; the coordinator closes and shares the round;
Change between rounds shows 65 → 70, on like for like.

Runs against its own ``streamlit run app.py`` with its own database, so the round it creates
never reaches the other browser tests.
"""

from __future__ import annotations

import re

import pytest

from .browser_helpers import (
    choose_option,
    expect,
    grid_rows,
    main_area,
    open_page,
    save_screenshot,
    wait_for_render,
)
from .conftest import COORDINATOR_SECRET, start_app, stop

pytestmark = pytest.mark.browser
CODE = re.compile(r"access code: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})")


@pytest.fixture(scope="module")
def cycle_server(browser_required, tmp_path_factory):
    server = start_app("app.py", tmp_path_factory.mktemp("cycle-app"))
    yield server
    stop(server.process)


@pytest.fixture
def tab(browser_context, cycle_server):
    page = browser_context.new_page()
    page.goto(cycle_server.url)
    wait_for_render(page)
    yield page
    page.close()


def _label(path: str) -> re.Pattern:
    """A question's label as the form shows it."""
    from models.questionnaire import by_path

    return re.compile("^" + re.escape(by_path()[path].question))


def rows_of_grid_with(page, cell: str) -> dict[str, list[str]]:
    """The rows (by first cell) of the first table on the page holding ``cell``."""
    grids = main_area(page).locator('[data-testid="stDataFrame"]')
    grids.first.wait_for()
    for i in range(grids.count()):
        rows = grid_rows(grids.nth(i))
        if any(cell in row for row in rows):
            return {r[0]: r for r in rows}
    raise AssertionError(f"No table holds '{cell}'")


def test_the_yearly_cycle_in_the_browser(tab, screenshot_dir):
    page = tab
    main = main_area(page)
    open_page(page, "Coordinator")
    main.get_by_label("Coordinator secret").fill(COORDINATOR_SECRET)
    main.get_by_role("button", name="Open the coordinator page").click()
    wait_for_render(page)

    # Start the round.
    main.get_by_text("Start a new round").click()
    main.get_by_role("textbox", name="Round id").fill("seslip-2027")
    main.get_by_role("textbox", name="Title").fill("SESLIP survey 2027")
    # The date field: year, month and day, each typed as a person would.
    main.get_by_role("spinbutton", name="year, Deadline").click()
    page.keyboard.type("2099")
    main.get_by_role("spinbutton", name="month, Deadline").click()
    page.keyboard.type("06")
    main.get_by_role("spinbutton", name="day, Deadline").click()
    page.keyboard.type("30")
    page.keyboard.press("Tab")
    main.get_by_role("button", name="Create the round").click()
    wait_for_render(page)
    expect(main.get_by_text(re.compile("Round seslip-2027 is created and open"))).to_be_visible()
    rows = rows_of_grid_with(page, "E10000025")
    expect(main.get_by_text("0 of 19 members have submitted.")).to_be_visible()
    assert "not_invited" in rows["Oxfordshire"]
    save_screenshot(page, "coordinator-new-round", screenshot_dir)

    # Issue Kent's code; the invitation is on the coordinator's screen.
    choose_option(page, main, "Authority to invite", "Kent")
    main.get_by_role("button", name="Issue a new code").click()
    wait_for_render(page)
    invitation = main.locator('[data-testid="stCode"]').first.inner_text()
    assert "30 June 2099" in invitation
    code = CODE.search(invitation).group(1)

    # Kent's lead: 65 carried forward, changed to 70, saved.
    open_page(page, "Submit or amend a return")
    choose_option(page, main, "Survey round", "SESLIP survey 2027")
    choose_option(page, main, "Your authority", "Kent")
    main.get_by_label("Access code", exact=True).fill(code)
    main.get_by_role("button", name="Unlock the form").click()
    wait_for_render(page)
    expect(main.get_by_text(re.compile("carried forward from SESLIP QA Sub Group")).first).to_be_visible()
    expect(main.get_by_text("Returns are due by 30 June 2099.")).to_be_visible()
    low = main.get_by_label(_label("iro.caseload.low")).first
    expect(low).to_have_value("65")
    text_box = main.get_by_label(_label("iro.caseload.text")).first
    text_box.fill("IRO average case load 70")
    text_box.press("Tab")
    wait_for_render(page)
    low.fill("70")
    low.press("Tab")
    high = main.get_by_label(_label("iro.caseload.high")).first
    high.fill("70")
    high.press("Tab")
    wait_for_render(page)
    main.get_by_role("button", name="Check and preview").click()
    wait_for_render(page)
    # Words and figures agree (70 and 70): nothing to confirm, so the save button is there to press.
    expect(main.get_by_role("button", name="Save this return")).to_be_enabled()
    main.get_by_role("button", name="Save this return").click()
    wait_for_render(page)
    expect(main.get_by_text(re.compile(r"Saved\. This is version 1 of Kent's return"))).to_be_visible()

    # The status says submitted.
    open_page(page, "Coordinator")
    choose_option(page, main, "Round", "SESLIP survey 2027")
    rows = rows_of_grid_with(page, "E10000025")
    assert "submitted" in rows["Kent"]

    # Still collecting, the round is not what members (here, anyone: the data is public) see.
    open_page(page, "Overview")
    wait_for_render(page)
    assert "round=seslip-qa-june" in page.url  # the link names the round it shows

    # Close it and share it with members: the state and its dates on the Coordinator page.
    open_page(page, "Coordinator")
    choose_option(page, main, "Round", "SESLIP survey 2027")
    main.get_by_role("button", name="Close the round").click()
    wait_for_render(page)
    expect(main.get_by_text("State: Closed.")).to_be_visible()
    main.get_by_role("button", name="Share with members").click()
    wait_for_render(page)
    expect(main.get_by_text("State: Shared with members.")).to_be_visible()
    expect(main.get_by_text(re.compile(r"Returns so far:\W*1 of 19"))).to_be_visible()
    main.get_by_text("The round's life").scroll_into_view_if_needed()
    save_screenshot(page, "coordinator-round-shared", screenshot_dir)

    # Change between rounds: Kent 65 → 70, on like for like.
    open_page(page, "Change between rounds")
    expect(main.get_by_text(re.compile(r"Compared on like for like:\W*the 1 authority")).last).to_be_visible()
    rows = rows_of_grid_with(page, "Kent")
    assert rows["Kent"][2:4] == ["65", "70"]
    save_screenshot(page, "change-between-rounds", screenshot_dir)
