"""Accessibility of every page in a real browser: axe-core, headings, language, keyboard, charts.

What Streamlit's own markup gets wrong (and we cannot change) is listed in
docs/accessibility.md, and only those rules, only inside the Streamlit element
named there, are excused below. Everything the app's own content causes must pass.
"""

from __future__ import annotations

import re

import pytest

from tools.bench import app_pages

from .browser_helpers import axe_violations, expect, main_area, wait_for_render

pytestmark = pytest.mark.browser

PAGES = app_pages()
IDS = [p.url_path for p in PAGES]


def headings(page, region: str) -> list[tuple[int, str]]:
    """(level, text) of each visible heading in a region, in document order."""
    return page.evaluate(
        """(sel) => {
            const root = document.querySelector(sel);
            if (!root) return [];
            return [...root.querySelectorAll('h1,h2,h3,h4,h5,h6')]
                .filter(h => h.getClientRects().length > 0)
                .map(h => [Number(h.tagName[1]), h.textContent.trim()]);
        }""",
        region,
    )


def skipped_levels(found: list[tuple[int, str]], start: int) -> list[str]:
    """Headings that go down more than one level from the one before (e.g. h1 then h3)."""
    out = []
    previous = start - 1
    for level, text in found:
        if level > previous + 1:
            out.append(f"h{level} '{text}' follows h{previous}")
        previous = level
    return out


@pytest.fixture(scope="module", params=PAGES, ids=IDS)
def page_tab(request, browser_context, app_server):
    """One tab per page, opened at the page's address and shared by the checks below (they only read,
    but for the chart check, the last, which opens each chart's table)."""
    app_page = request.param
    tab = browser_context.new_page()
    tab.goto(f"{app_server.url}/{'' if app_page.path == PAGES[0].path else app_page.url_path}")
    wait_for_render(tab)
    expect(main_area(tab).locator("h1").first).to_be_visible()
    yield app_page, tab
    tab.close()


#: Findings in the app's own pages, reported to the pages' owners and not yet fixed: page -> the
#: start of each finding's line. Only these exact findings turn the test into an expected failure
#: (xfail) naming them; anything else fails. Remove an entry once its page is fixed.
KNOWN_APP_FINDINGS: dict[str, list[str]] = {
    # Open findings in the app's own pages, by url path: none at present.
}


def page_problems(page) -> list[str]:
    """Every accessibility problem of the page in view, one line each."""
    problems = axe_violations(page)
    # The page language is English (Streamlit sets <html lang="en">).
    lang = page.evaluate("document.documentElement.lang") or ""
    if not lang.lower().startswith("en"):
        problems.append(f"page language is '{lang}', not English")
    # Exactly one h1, first in the main area, and no level skipped after it.
    main = headings(page, '[data-testid="stMain"]')
    if not main or main[0][0] != 1:
        problems.append(f"the main area should start with its h1: {main[:3]}")
    if len([h for h in main if h[0] == 1]) != 1:
        problems.append(f"the main area should have exactly one h1: {[h for h in main if h[0] == 1]}")
    problems += [f"heading order: {p}" for p in skipped_levels(main, 1)]
    # The sidebar's own headings (e.g. "Filters") sit under the page's h1: h2 or deeper, none skipped.
    side = headings(page, '[data-testid="stSidebarUserContent"]')
    problems += [f"sidebar heading h1 '{t}'" for level, t in side if level == 1]
    problems += [f"sidebar heading order: {p}" for p in skipped_levels(side, 2)]
    return problems


def test_no_serious_axe_violation_headings_in_order_and_english(page_tab):
    app_page, page = page_tab
    problems = page_problems(page)
    known = KNOWN_APP_FINDINGS.get(app_page.url_path, [])
    unknown = [p for p in problems if not any(p.startswith(k) for k in known)]
    assert not unknown, f"{app_page.title}:\n" + "\n".join(unknown)
    if problems:
        pytest.xfail(f"{app_page.title}: known, reported to the page's owner: " + "; ".join(problems))


CHART_ALTERNATIVES = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')]
    .map(chart => {
        // ui/render.py draws a section's charts (each with its image downloads), then their text in
        // words, then the data as a table in an expander: look at what follows the chart in its
        // section, up to the next heading.
        let box = chart.closest('[data-testid="stElementContainer"]');
        const after = [];
        for (let el = box && box.nextElementSibling; el && after.length < 12; el = el.nextElementSibling) {
            if (el.querySelector('[data-testid="stHeading"]')) break;
            after.push(el);
        }
        return {
            label: chart.getAttribute('aria-label') || '',
            words: after.some(el => el.textContent.includes('In words:')),
            // The expander holding its data as a table (filled once opened): its place among the
            // page's expanders, or -1.
            table: (() => {
                const all = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stExpander"]')];
                const el = after.find(e => e.matches('[data-testid="stExpander"], :has([data-testid="stExpander"])'));
                const box = el && (el.matches('[data-testid="stExpander"]') ? el : el.querySelector('[data-testid="stExpander"]'));
                return box ? all.indexOf(box) : -1;
            })(),
        };
    })"""


#: Pages that must draw charts (so losing a chart, or the check finding none, fails).
CHART_PAGES = {"caseloads", "combined_vs_separate"}


def test_every_chart_has_a_text_alternative_and_a_table(page_tab):
    app_page, page = page_tab
    charts = page.evaluate(CHART_ALTERNATIVES)
    if app_page.url_path in CHART_PAGES:
        assert charts, f"{app_page.title} should draw charts but none were found"
    if not charts:
        pytest.skip(f"{app_page.title} draws no chart")
    for i, chart in enumerate(charts, 1):
        name = f"chart {i} on {app_page.title} ({chart['label'][:60]!r})"
        assert len(chart["label"]) > 20, f"{name} has no text alternative (alt)"
        assert chart["words"], f"{name} is not followed by its text alternative in words"
        assert chart["table"] >= 0, f"{name} is not followed by its data as a table"
        # Opened as a person would, the expander shows the table (it is filled once opened).
        box = main_area(page).locator('[data-testid="stExpander"]').nth(chart["table"])
        grid = box.locator('[data-testid="stDataFrame"], [data-testid="stTable"]')
        if not grid.first.is_visible():
            box.locator("summary").first.click()
        expect(grid.first).to_be_visible()


def test_tab_reaches_the_navigation_and_enter_opens_a_page(page):
    target = next(p for p in PAGES if p.path != PAGES[0].path)
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const a = document.activeElement;"
            " return a && a.dataset.testid === 'stSidebarNavLink' ? a.getAttribute('href') : null; }"
        )
        if focused and focused.rstrip("/").endswith("/" + target.url_path):
            break
    else:
        pytest.fail(f"Tab never reached the '{target.title}' link in the navigation")
    page.keyboard.press("Enter")
    wait_for_render(page)
    # The page's address, with its link's query (a Compare page's link names its round).
    base = page.url.split("?")[0].rsplit("/", 1)[0]
    expect(page).to_have_url(re.compile(re.escape(f"{base}/{target.url_path}") + r"(\?.*)?$"))
    expect(main_area(page).locator("h1").first).to_be_visible()


# Controls a keyboard user must reach by Tab: what the page itself draws, in the main area and
# the sidebar's own content (the navigation links are checked above).
FOCUSABLE = (
    "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]),"
    " textarea:not([disabled]), [tabindex]:not([tabindex='-1'])"
)
TAG_CONTROLS = """(selector) => {
    const roots = [...document.querySelectorAll(
        '[data-testid="stMain"], [data-testid="stSidebarUserContent"]')];
    const seenRadio = new Set();
    let n = 0;
    for (const root of roots) {
        for (const el of root.querySelectorAll(selector)) {
            if (!el.getClientRects().length) continue;            // not displayed
            if (el.tabIndex < 0) continue;  // operated by arrow keys from its widget (roving focus)
            if (el.closest('[aria-hidden="true"], [inert]')) continue;
            // A radio group is one Tab stop (arrow keys move within it): tag the group.
            const group = el.closest('[role="radiogroup"]');
            if (group) {
                if (!group.hasAttribute('data-kbd')) group.setAttribute('data-kbd', String(n++));
                continue;
            }
            if (el.type === 'radio') {
                if (seenRadio.has(el.name)) continue;
                seenRadio.add(el.name);
            }
            el.setAttribute('data-kbd', String(n++));
        }
    }
    return n;
}"""
FOCUSED_TAG = """() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    const tagged = a && a.closest ? a.closest('[data-kbd]') : null;
    if (tagged) return tagged.getAttribute('data-kbd');
    if (a && a.type === 'radio') {
        const same = document.querySelector(`[data-kbd][name="${a.name}"]`);
        return same ? same.getAttribute('data-kbd') : null;
    }
    return null;
}"""
DESCRIBE = """(i) => { const el = document.querySelector(`[data-kbd="${i}"]`);
    return el ? (el.getAttribute('aria-label') || el.textContent.trim().slice(0, 60)
                 || el.getAttribute('placeholder') || el.outerHTML.slice(0, 120)) : i; }"""


def _tab_through(page, total: int) -> list[str]:
    """Press Tab until every tagged control has had the focus; the tags never reached."""
    page.locator("body").focus()
    reached: set[str] = set()
    for _ in range(total * 3 + 60):
        page.keyboard.press("Tab")
        tag = page.evaluate(FOCUSED_TAG)
        if tag is not None:
            reached.add(tag)
        if len(reached) == total:
            break
    return [str(i) for i in range(total) if str(i) not in reached]


STILL_THERE = """(tags) => tags.filter(t => document.querySelector(`[data-kbd="${t}"]`))"""


def test_tab_reaches_every_control_on_the_page(page_tab):
    app_page, page = page_tab
    for attempt in range(3):
        total = page.evaluate(TAG_CONTROLS, FOCUSABLE)
        if total == 0:
            pytest.skip(f"{app_page.title} has no control")
        missing = _tab_through(page, total)
        # A control that is no longer on the page was redrawn while we tabbed (a chart resizing on a
        # busy machine): tag the page afresh and tab through again; a control still there but never
        # reached is a real failure.
        if not missing or page.evaluate(STILL_THERE, missing) or attempt == 2:
            break
        wait_for_render(page)
    missing = [page.evaluate(DESCRIBE, i) for i in missing]
    assert not missing, f"{app_page.title}: Tab never reaches {missing}"
