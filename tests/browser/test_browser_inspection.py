"""Kent's Inspection card on the authority profile, in a real browser: grades, dates, the report's link,
the inspectors' words quoted as text. A screenshot of the card is saved (``inspection-card.png``)."""

from __future__ import annotations

import re

import pytest

from .browser_helpers import expect, main_area, save_screenshot, wait_for_render

pytestmark = pytest.mark.browser


def test_kents_inspection_card_reads_as_a_member_would(page, app_server, screenshot_dir):
    page.goto(f"{app_server.url}/authority_profile?authority=kent")
    wait_for_render(page)
    main = main_area(page)
    heading = main.get_by_role("heading", name=re.compile(r"^Inspection:\W*Kent$"))
    expect(heading).to_be_visible()
    heading.scroll_into_view_if_needed()
    expect(
        main.get_by_text("Short inspection, 3 to 7 November 2025, published 2 February 2026", exact=False)
    ).to_be_visible()
    link = main.locator('a[href="https://files.ofsted.gov.uk/v1/file/50294428"]')
    expect(link).to_have_count(1)
    expect(link).to_be_visible()
    quote = main.locator("blockquote").filter(has_text="IROs lead high-quality reviews")
    expect(quote).to_be_visible()
    expect(
        main.get_by_text(
            "Paragraph 21 of the report of the earlier inspection (9 to 20 May 2022)", exact=False
        )
    ).to_be_visible()
    expect(main.get_by_text("never a verdict on the authority's IRO", exact=False).first).to_be_visible()
    # The card, from its heading to paragraph 21, in one picture: a tall window, the heading at the top.
    page.set_viewport_size({"width": 1366, "height": 1500})
    wait_for_render(page)
    heading.evaluate("(el) => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    save_screenshot(page, "inspection-card", screenshot_dir)
    top, bottom = heading.bounding_box(), quote.bounding_box()
    assert top and bottom and 0 <= top["y"] < bottom["y"] + bottom["height"] <= 1500  # all in the picture
