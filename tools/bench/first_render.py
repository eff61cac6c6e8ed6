"""First render: from starting ``streamlit run app.py`` to its first page's content in Chromium,
against a one-line Streamlit app started the same way."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from config import settings
from tools.bench.pages import APP
from tools.bench.results import FirstRender
from tools.serving import CHROMIUM, CHROMIUM_ARGS, start_server


def _time_first_render(browser, script: Path, env: dict, timeout: float = 120.0) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        server = start_server(script, env, Path(tmp) / "streamlit.log", timeout=timeout)
        try:
            return _first_content(browser, server.url, t0, timeout)
        finally:
            server.stop()


def _first_content(browser, url: str, t0: float, timeout: float) -> float:
    """Seconds from ``t0`` until the page at ``url`` shows its content and has finished running."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(url)
    ms = int(timeout * 1000)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=ms)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=ms, state="attached"
    )
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=ms)
    elapsed = time.perf_counter() - t0
    context.close()
    return elapsed


def measure_first_render(database_url: str, runs: int, workdir: Path) -> FirstRender:
    res = FirstRender()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        res.notes.append("Playwright is not installed: first render not measured")
        return res
    if not os.path.exists(CHROMIUM):
        res.notes.append(f"no Chromium at {CHROMIUM} (bash .ci/browser_deps.sh): first render not measured")
        return res
    one_line = workdir / "one_line_app.py"
    one_line.write_text('import streamlit as st\n\nst.title("Hello")\n')
    env = settings.child_environment(DATABASE_URL=database_url, PYTHONWARNINGS="ignore")
    app_times, base_times = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(runs):  # alternate, so neither side gets the warmer machine
                base_times.append(_time_first_render(browser, one_line, env))
                app_times.append(_time_first_render(browser, APP, env))
        except Exception as exc:
            res.notes.append(f"first render failed: {exc}"[:300])
        finally:
            browser.close()
    if app_times and base_times:
        res.app_s = statistics.median(app_times)
        res.one_line_s = statistics.median(base_times)
        res.runs = len(app_times)
    return res
