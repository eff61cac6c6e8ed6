"""Helpers the browser tests share: waiting for Streamlit, opening pages, screenshots."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_required fixture skips (or fails) the tests with the reason
    expect = None

ROOT = Path(__file__).resolve().parents[2]
#: How long to wait for a page to finish rendering (Streamlit renders client-side). Generous:
#: CI machines have two cores shared with everything else; a passing test never waits this long.
RENDER_TIMEOUT_MS = 30_000
if expect is not None:
    expect.set_options(timeout=RENDER_TIMEOUT_MS)


def wait_for_render(page, timeout: int = RENDER_TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished running the script and nothing on the page is stale."""
    # After a click the rerun may not have started yet: give it a moment to start.
    with contextlib.suppress(Exception):
        page.wait_for_selector(
            '[data-testid="stApp"][data-test-script-state="running"]', timeout=1000, state="attached"
        )
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout, state="attached"
    )
    page.wait_for_function(
        "() => !document.querySelector('[data-stale=\"true\"]')"
        " && !document.querySelector('[data-testid=\"stSkeleton\"]')",
        timeout=timeout,
    )


def open_page(page, title: str) -> None:
    """Open a page by clicking its link in the sidebar navigation, as a person would (a long page
    list is folded behind "View more": unfold it first)."""
    nav = page.locator('[data-testid="stSidebarNav"]')
    link = nav.get_by_role("link", name=title, exact=True)
    more = nav.locator('[data-testid="stSidebarNavViewButton"]')
    if not link.is_visible() and more.count() and "more" in more.first.inner_text().lower():
        more.first.click()
    link.click()
    wait_for_render(page)


def main_area(page):
    return page.locator('[data-testid="stMain"]')


def save_screenshot(page, name: str, folder: Path) -> Path:
    """Save a screenshot into ``folder`` and, with SAVE_SCREENSHOTS set, there too."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    target = os.environ.get("SAVE_SCREENSHOTS")
    if target:
        dest = Path(target)
        if not dest.is_absolute():
            dest = ROOT / dest
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest / path.name)
    return path


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def choose_option(page, scope, label: str, option: str) -> None:
    """Pick ``option`` in the select box or multiselect labelled ``label`` (inside ``scope``)."""
    box = scope.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).first.click()
    # A multiselect stays open for more choices: close it (a select box closes by itself, and
    # Escape there would undo the choice).
    if page.get_by_role("listbox").count():
        page.keyboard.press("Escape")
    wait_for_render(page)


GRID_ROWS = """(grid) => [...grid.querySelectorAll('tr[role="row"]')]
    .map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent.trim()))
    .filter(cells => cells.length > 0)"""


def grid_rows(grid) -> list[list[str]]:
    """The rows of an st.dataframe, read from the accessible table the data grid keeps in the page."""
    grid.locator('td[role="gridcell"]').first.wait_for(state="attached")
    return grid.evaluate(GRID_ROWS)


# ---------------------------------------------------------------------------
# Accessibility (see docs/accessibility.md).

#: Violations that come from Streamlit's own markup: rule id -> the Streamlit element they occur in.
#: Each is described in docs/accessibility.md. Nothing else is excused.
STREAMLIT_OWNED = {
    # The sidebar navigation with sections puts each section's <div> (holding a <header> and the
    # <li> links) directly inside the <ul>: "list" flags the <ul>, "listitem" each <li>.
    "list": ['[data-testid="stSidebarNav"]'],
    "listitem": ['[data-testid="stSidebarNav"]'],
}
BLOCKING = ("serious", "critical")
#: axe-core's default rules, plus WCAG 2.2's target size (2.5.8), which axe leaves off by default.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


def axe_violations(page) -> list[str]:
    """Serious or critical axe-core violations, less those excused above, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    found = []
    for v in results.response["violations"]:
        if v["impact"] not in BLOCKING:
            continue
        owners = STREAMLIT_OWNED.get(v["id"], [])
        for node in v["nodes"]:
            target = node["target"][0]
            if owners and page.evaluate(
                "([sel, owners]) => { const el = document.querySelector(sel);"
                " return !!el && owners.some(o => el.closest(o)); }",
                [target if isinstance(target, str) else target[0], owners],
            ):
                continue
            summary = " ".join(node.get("failureSummary", "").split())
            found.append(f"{v['id']} ({v['impact']}): {v['help']} — {node['html'][:160]} — {summary[:300]}")
    return found
