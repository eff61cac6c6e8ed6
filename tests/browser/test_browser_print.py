"""Printing a page from Chromium on A4 (``page.pdf``): the print stylesheet of ``ui/print.py``.

A tiny app (a sidebar, a button, an interactive table, its print copy, an expander, a chart and
the print header) is printed to PDF; ``pdftotext`` reads what a reader of the paper would see.
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap

import pytest

from .browser_helpers import wait_for_render
from .conftest import start_app, stop

APP = textwrap.dedent(
    """
    import datetime as dt
    import pandas as pd
    import streamlit as st
    from ui.print import print_header, print_styles, print_table

    st.set_page_config(page_title="Print test", layout="wide")
    print_styles()
    with st.sidebar:
        st.write("Sidebar words that must not print")
        st.selectbox("Round", ["Round one"])
    st.title("Caseloads")
    print_header(
        ["Round: A synthetic round", "Authorities: Northshire <b>and</b> Southshire"],
        dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC),
    )
    st.button("A button that must not print")
    rows = [
        {"Authority": f"Shire{i:03d}", "IRO caseload": 40 + i % 40, "Answer": "Midway reviews by the IRO " * 5}
        for i in range(60)
    ]
    df = pd.DataFrame(rows)
    st.dataframe(df)
    print_table(df, "IRO caseloads by authority")
    with st.expander("Full table"):
        st.write("Inside the expander, printed even when closed")
    st.download_button("Download this view", b"x", file_name="x.txt")
    """
)


@pytest.fixture(scope="module")
def printed(browser_required, chromium, tmp_path_factory):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    work = tmp_path_factory.mktemp("print")
    script = work / "print_app.py"
    script.write_text(APP, encoding="utf-8")
    server = start_app(script, work)
    try:
        context = chromium.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.goto(server.url)
        wait_for_render(page)
        page.get_by_text("Caseloads").first.wait_for()
        screen_text = page.locator('[data-testid="stMain"]').inner_text()
        pdf = work / "page.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        context.close()
    finally:
        stop(server.process)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(work / "page")], check=True)
    return {"text": " ".join(text.split()), "info": info, "screen": screen_text, "folder": work}


def test_prints_on_a4(printed):
    size = next(line for line in printed["info"].splitlines() if line.startswith("Page size"))
    assert "A4" in size or "595" in size, size


def test_the_table_prints_whole(printed):
    text = printed["text"]
    for i in range(60):  # every row, not the grid's visible rows
        assert f"Shire{i:03d}" in text, i
    for header in ("Authority", "IRO caseload", "Answer"):
        assert header in text


def test_the_filters_and_the_date_print_at_the_top_as_typed(printed):
    text = printed["text"]
    assert "Printed 4 March 2026 at 09:30 UTC." in text
    assert "Authorities: Northshire <b>and</b> Southshire" in text  # escaped: shown as typed
    assert text.index("Printed 4 March 2026") < text.index("Shire000")


def test_sidebar_buttons_and_controls_do_not_print(printed):
    text = printed["text"]
    assert "Caseloads" in text
    for hidden in ("Sidebar words", "must not print", "Download this view", "Round one"):
        assert hidden not in text, hidden


def test_expander_contents_print_even_when_closed(printed):
    assert "Inside the expander, printed even when closed" in printed["text"]


def test_print_only_copies_are_hidden_on_screen(printed):
    assert "Printed 4 March 2026" not in printed["screen"]
    assert "Sidebar words" not in printed["screen"]  # (the sidebar is not in the main area either)
