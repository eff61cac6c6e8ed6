"""Each comparison page printed from Chromium on A4 (``page.pdf``), as a member would print it for a
meeting: every authority of the view and every column header of its main table are on the paper,
with the filters in force and the date at the top, and no sidebar."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .browser_helpers import wait_for_render

pytestmark = pytest.mark.browser

JUNE = [
    "Brighton and Hove",
    "Hampshire",
    "Kent",
    "Medway",
    "Southampton",
    "Surrey",
    "West Berkshire",
    "West Sussex",
    "Windsor and Maidenhead",
]
#: Page (its address), and the headers of its main table.
PAGES = {
    "": ["Authority", "Model", "IRO caseload", "CP chair caseload"],
    "caseloads": ["Authority", "Model", "Answer (as reported)", "What is compared", "Against the band"],
    "qa_inputs": ["Authority", "Dispute resolution or escalation", "Midway or progress reviews"],
    "combined_vs_separate": ["Model", "Median", "Authorities with a figure"],
}


def _text(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


@pytest.mark.parametrize("url_path", list(PAGES), ids=[p or "overview" for p in PAGES])
def test_a_page_prints_whole_on_a4(browser_context, app_server, url_path, tmp_path, screenshot_dir):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    tab = browser_context.new_page()
    try:
        tab.goto(f"{app_server.url}/{url_path}")
        wait_for_render(tab)
        tab.locator('[data-testid="stMain"] h1').first.wait_for()
        # Printed only: the header line and each table's static copy (hidden on screen).
        tab.locator(".print-header").first.wait_for(state="attached")
        tab.locator("table.print-table").first.wait_for(state="attached")
        wait_for_render(tab)
        pdf = tmp_path / "page.pdf"
        tab.pdf(path=str(pdf), format="A4", print_background=True)
    finally:
        tab.close()
    name = url_path or "overview"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            "-f",
            "1",
            "-l",
            "3",
            str(pdf),
            str(screenshot_dir / f"print-{name}"),
        ],
        check=True,
    )
    shutil.copy(pdf, screenshot_dir / f"print-{name}.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info, info
    text = _text(pdf)
    assert "Filters in force:" in text and "Printed " in text
    # A narrow column wraps a long name over lines (and the PDF's text runs cell by cell): every word
    # of each name and header must be on the paper.
    words = set(text.replace("(", " ").replace(")", " ").split())
    for name in [*JUNE, *PAGES[url_path]]:
        missing = [w for w in name.replace("(", " ").replace(")", " ").split() if w not in words]
        assert not missing, f"'{name}' is not whole on the printed {url_path or 'overview'}: {missing}"
    assert "Clear filters" not in text  # the sidebar is not printed
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            "-f",
            "1",
            "-l",
            "2",
            str(pdf),
            str(screenshot_dir / f"print-{url_path or 'overview'}"),
        ],
        check=True,
    )
