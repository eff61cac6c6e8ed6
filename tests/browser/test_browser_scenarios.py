"""What a member or an authority's lead does, in a real browser, against ``streamlit run app.py``.

The app under test has its own fresh database, seeded from survey_data/ on first start.
"""

from __future__ import annotations

import re
import time

import openpyxl
import pytest

from .browser_helpers import (
    axe_violations,
    choose_option,
    expect,
    grid_rows,
    main_area,
    open_page,
    save_screenshot,
    sidebar,
    wait_for_render,
)

pytestmark = pytest.mark.browser

QUESTIONNAIRE = "seslip-qa-june"
COMBINED = {"Hampshire", "Southampton", "Surrey", "West Berkshire", "Windsor and Maidenhead"}


def open_table(page, label: str):
    """Open the expander holding a chart's table (if it is not open already: it stays open from one
    rerun to the next); return its data grid."""
    expander = main_area(page).locator('[data-testid="stExpander"]').filter(has_text=label).first
    grid = expander.locator('[data-testid="stDataFrame"]')
    if not grid.is_visible():
        expander.get_by_text(label).click()
    expect(grid).to_be_visible()
    return grid


def test_filter_to_combined_role_authorities_changes_the_charts_and_tables(page, screenshot_dir):
    open_page(page, "Caseloads")
    chart = main_area(page).locator('[data-testid="stVegaLiteChart"]').first
    before = chart.get_attribute("aria-label")
    expect(sidebar(page).get_by_text("9 returns shown.")).to_be_visible()
    table = open_table(page, "Table of IRO caseloads")
    assert "Kent" in {row[0] for row in grid_rows(table)}

    choose_option(page, sidebar(page), "Model", "Combined (IRO and CP chair)")

    expect(sidebar(page).get_by_text(f"{len(COMBINED)} returns shown.")).to_be_visible()
    expect(chart).not_to_have_attribute("aria-label", before)
    words = chart.get_attribute("aria-label")
    # Hampshire's and Southampton's figures are compared; Surrey's and West Berkshire's caseloads are
    # mixed (looked after and CP together) and Windsor and Maidenhead's is a cap: each said apart.
    assert "across 2 authorities" in words and "mixed" in words
    assert "A cap, not an average" in words and "Windsor and Maidenhead (up to 50)" in words
    table = open_table(page, "Table of IRO caseloads")
    # The table redraws a moment after the chart: read it until it settles (at most 15 s).
    deadline = time.monotonic() + 15
    rows = grid_rows(table)
    while {row[0] for row in rows} != COMBINED and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        rows = grid_rows(table)
    assert {row[0] for row in rows} == COMBINED
    assert {row[1] for row in rows} == {"Combined"}
    # The filter is in the address, so the view can be shared.
    assert "combined" in page.url.lower()
    main_area(page).locator("h1").first.scroll_into_view_if_needed()
    save_screenshot(page, "caseloads-combined", screenshot_dir)


def test_open_kent_and_medway_side_by_side(page, screenshot_dir):
    open_page(page, "Authorities side by side")
    choose_option(page, main_area(page), "Authorities (up to four)", "Kent")
    choose_option(page, main_area(page), "Authorities (up to four)", "Medway")
    main = main_area(page)
    expect(main.get_by_role("heading", name="What differs")).to_be_visible()
    expect(main.get_by_role("heading", name="Question by question")).to_be_visible()
    # Both authorities' answers are on the page, each under its name.
    body = main.inner_text()
    assert "Kent" in body and "Medway" in body
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    save_screenshot(page, "authority-profile-kent-medway", screenshot_dir)


def test_search_for_plymouth_university_finds_southampton(page, screenshot_dir):
    open_page(page, "Search answers")
    box = main_area(page).get_by_label("Search for", exact=True)
    box.fill("Plymouth University")
    box.press("Enter")
    wait_for_render(page)
    main = main_area(page)
    expect(main.get_by_role("heading", name="Southampton")).to_be_visible()
    expect(main.get_by_text(re.compile(r"\d+ answers? from 1 authority"))).to_be_visible()
    save_screenshot(page, "search-plymouth-university", screenshot_dir)


def test_download_a_views_workbook_and_read_it_back(page, tmp_path):
    button = main_area(page).get_by_role("button", name=re.compile(r"Download this view \(\.xlsx\)"))
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    cells = {
        str(value)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
        for value in row
        if value is not None
    }
    # Every authority of the round on screen is a row of the workbook.
    for name in ("Kent", "Medway", "Southampton", "West Sussex"):
        assert name in cells, f"{name} is not in the downloaded workbook"


# ---------------------------------------------------------------------------
# The form: unlock with a code issued by the coordinator, amend, save, see it.


def _label(path: str) -> re.Pattern:
    """A question's label as the form shows it (the question, maybe marked '(required)')."""
    from models.questionnaire import by_path

    return re.compile("^" + re.escape(by_path()[path].question))


CASELOAD_TEXT = _label("iro.caseload.text")
LOWEST = _label("iro.caseload.low")
HIGHEST = _label("iro.caseload.high")


def issue(app_server, authority: str) -> str:
    from store import Store
    from store.access import issue_code

    store = Store(app_server.database_url)
    try:
        return issue_code(store, QUESTIONNAIRE, authority)
    finally:
        store.dispose()


def unlock(page, authority: str, code: str) -> None:
    open_page(page, "Submit or amend a return")
    main = main_area(page)
    choose_option(page, main, "Your authority", authority)
    main.get_by_label("Access code", exact=True).fill(code)
    main.get_by_role("button", name="Unlock the form").click()
    wait_for_render(page)


def test_a_wrong_code_is_refused_with_a_message(page, app_server):
    issue(app_server, "Medway")
    unlock(page, "Medway", "AAAA-BBBB-CCCC")
    main = main_area(page)
    expect(main.get_by_text(re.compile(r"^Access code:\u2060? "))).to_be_visible()
    expect(main.get_by_role("button", name="Unlock the form")).to_be_visible()
    expect(main.get_by_text(re.compile("Unlocked for"))).to_have_count(0)


def test_amend_a_caseload_and_see_it_on_the_caseload_page(page, app_server, screenshot_dir):
    code = issue(app_server, "Kent")
    unlock(page, "Kent", code)
    main = main_area(page)
    expect(main.get_by_text(re.compile("Unlocked for Kent"))).to_be_visible()
    save_screenshot(page, "submit-unlocked", screenshot_dir)
    # The unlocked form is accessible too (the page checks in test_browser_accessibility see it locked).
    problems = axe_violations(page)
    assert not problems, "\n".join(problems)

    # A bad caseload first: the lowest figure above the highest.
    main.get_by_label(CASELOAD_TEXT).first.fill("IRO average caseload 80 to 60")
    low = main.get_by_label(LOWEST).first
    high = main.get_by_label(HIGHEST).first
    low.fill("80")
    low.press("Tab")
    high.fill("60")
    high.press("Tab")
    wait_for_render(page)
    main.get_by_role("button", name="Check and preview").click()
    wait_for_render(page)
    expect(main.get_by_text(re.compile(r"Nothing has been saved"))).to_be_visible()
    expect(
        main.get_by_text(re.compile(r"lowest figure \(80\) is above the highest \(60\)")).first
    ).to_be_visible()
    save_screenshot(page, "submit-bad-caseload", screenshot_dir)

    # Then a good one: 58 children looked after per IRO.
    main.get_by_label(CASELOAD_TEXT).first.fill("IRO average caseload 58")
    low.fill("58")
    low.press("Tab")
    high.fill("58")
    high.press("Tab")
    wait_for_render(page)
    main.get_by_role("button", name="Check and preview").click()
    wait_for_render(page)
    expect(main.get_by_text("Preview: your return as members will see it")).to_be_visible()
    main.get_by_role("button", name="Save this return").click()
    wait_for_render(page)
    expect(main.get_by_text(re.compile(r"Saved\. This is version 2 of Kent's return"))).to_be_visible()

    open_page(page, "Caseloads")
    table = open_table(page, "Table of IRO caseloads")
    kent = next(row for row in grid_rows(table) if row[0] == "Kent")
    assert "IRO average caseload 58" in kent
    assert "58 cases" in kent  # the figure as read from the new answer


def test_upload_a_filled_template_and_save_it(page, app_server, tmp_path):
    # A lead who prefers a spreadsheet: fill the template, upload it, read the preview, save.
    import io

    from openpyxl import load_workbook

    from exports.template_writer import template_workbook
    from store import Store

    store = Store(app_server.database_url)
    try:
        current = store.current(QUESTIONNAIRE, "Medway")
        wb = load_workbook(io.BytesIO(template_workbook(QUESTIONNAIRE, "Medway", current)))
    finally:
        store.dispose()
    sheet = wb["Return"]
    for row in sheet.iter_rows(min_row=2):
        field = row[0].value
        if field == "cp_chair.caseload.text":
            row[2].value = "CP chair average caseload 47"
        elif field in ("cp_chair.caseload.low", "cp_chair.caseload.high"):
            row[2].value = 47
    filled = tmp_path / "medway-return.xlsx"
    wb.save(filled)

    code = issue(app_server, "Medway")
    unlock(page, "Medway", code)
    main = main_area(page)
    main.get_by_role("tab", name="Upload a spreadsheet").click()
    main.locator('input[type="file"]').set_input_files(str(filled))
    wait_for_render(page)
    expect(main.get_by_text("Preview: your return as members will see it")).to_be_visible()
    expect(main.get_by_text("CP chair average caseload 47").first).to_be_visible()
    main.get_by_role("button", name="Save the uploaded return").click()
    wait_for_render(page)
    expect(main.get_by_text(re.compile(r"Saved\. This is version 2 of Medway's return"))).to_be_visible()

    store = Store(app_server.database_url)
    try:
        saved = store.current(QUESTIONNAIRE, "Medway")
    finally:
        store.dispose()
    assert saved.provenance.channel == "upload"
    assert (saved.cp_chair.caseload.low, saved.cp_chair.caseload.high) == (47, 47)
    # Everything the spreadsheet did not change is as it was.
    assert saved.iro == current.iro
