"""The benchmark's measures in Chromium: click-to-settled (the figure a person feels) and two servers.

Every figure here is timed inside the browser (``performance.now()``) by a MutationObserver
that an init script installs in every page before Streamlit loads (``SETTLE_INIT``). A page
has *settled* when Streamlit's script is not running, nothing on the page is stale or a
skeleton, the server has answered (a message on Streamlit's WebSocket) and the DOM has
changed since the clock started, and neither has happened for ``QUIET_MS``; the time reported
is that of the last change, not the end of the quiet spell.

Many people at once are measured without a browser, by ``tools.bench.load`` (twenty Chromium
contexts on the server's own two cores timed Chromium drawing pages, not the server).

The app is driven only through what app.py declares (the sidebar links by title, the pages'
URLs), never by importing a page, so these measures keep working when pages are rewritten.
``BENCH_EMPTY_PAGE=1`` makes app.py add an "Empty page" (a title alone) to the navigation:
the page every click is measured against.
"""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass, field
from typing import Any

from config import settings
from tools.bench import aio
from tools.serving import CHROMIUM, CHROMIUM_ARGS

#: How long the DOM must stay unchanged before a page counts as settled.
QUIET_MS = 300
#: The longest a click or a page load may take before it is reported as not settling.
SETTLE_TIMEOUT_MS = int(settings.get("BENCH_SETTLE_TIMEOUT_MS"))
EMPTY_TITLE = "Empty page"
EMPTY_URL_PATH = "bench-empty"
VIEWPORT = {"width": 1366, "height": 768}

SETTLE_INIT = """
(() => {
  if (window.__bench) return;
  const b = window.__bench = {count: 0, last: performance.now(), msgs: 0, lastMsg: 0};
  // Streamlit talks to its server over one WebSocket: count what the server sends, so that a
  // page counts as settled only once the server has answered and then gone quiet.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { b.msgs += 1; b.lastMsg = performance.now(); });
    }
  };
  const observer = new MutationObserver((records) => {
    b.count += records.length;
    b.last = performance.now();
  });
  const watch = () => observer.observe(document.documentElement,
    {subtree: true, childList: true, attributes: true, characterData: true});
  if (document.documentElement) watch(); else document.addEventListener('readystatechange', watch, {once: true});
  // Resolves with the time of the last change since t0, once the page has settled.
  b.settle = (t0, count0, msgs0, quiet, timeout, needTitle) => new Promise((resolve, reject) => {
    const tick = () => {
      const now = performance.now();
      const app = document.querySelector('[data-testid="stApp"]');
      const ok = app && app.getAttribute('data-test-script-state') === 'notRunning'
        && b.count > count0 && b.last > t0 && b.msgs > msgs0 && now - b.lastMsg >= quiet
        && (!needTitle || document.querySelector('[data-testid="stMain"] h1'))
        && !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')
        && now - b.last >= quiet;
      if (ok) { resolve({ms: b.last - t0, serverMs: b.lastMsg - t0, mutations: b.count - count0}); return; }
      if (now - t0 > timeout) { reject(new Error('the page did not settle within ' + timeout + ' ms')); return; }
      setTimeout(tick, 10);
    };
    tick();
  });
})();
"""

CLICK = """
async ({title, quiet, timeout}) => {
  const b = window.__bench;
  const find = () => [...document.querySelectorAll('[data-testid="stSidebarNav"] a')].find(
    (a) => a.textContent.trim() === title
      || [...a.querySelectorAll('span')].some((s) => s.textContent.trim() === title));
  let link = find();
  if (!link) {  // a long navigation is folded behind "View more"
    const more = document.querySelector('[data-testid="stSidebarNavViewButton"]');
    if (more) { more.click(); await new Promise((r) => setTimeout(r, 200)); link = find(); }
  }
  if (!link) throw new Error('no link "' + title + '" in the sidebar navigation');
  const count0 = b.count, msgs0 = b.msgs;
  const t0 = performance.now();
  link.click();
  return await b.settle(t0, count0, msgs0, quiet, timeout, false);
}
"""

# After page.goto: the clock is the navigation's start (performance.now() counts from it).
LOADED = "({quiet, timeout}) => window.__bench.settle(0, 0, 0, quiet, timeout, true)"


def _browser_missing() -> str | None:
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed"
    if not os.path.exists(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (bash .ci/browser_deps.sh)"
    return None


async def _launch(pw):
    return await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


async def _new_page(browser):
    context = await browser.new_context(viewport=VIEWPORT, locale="en-GB")
    await context.add_init_script(SETTLE_INIT)
    return context, await context.new_page()


async def _open(page, url: str, timeout: int = SETTLE_TIMEOUT_MS) -> float:
    """Open ``url`` in ``page``; milliseconds from navigation start until it settled."""
    await page.goto(url, timeout=timeout)
    res = await page.evaluate(LOADED, {"quiet": QUIET_MS, "timeout": timeout})
    return float(res["ms"])


async def _click(page, title: str, timeout: int = SETTLE_TIMEOUT_MS) -> float:
    """Click ``title`` in the sidebar; milliseconds from the click until the page settled."""
    return (await _click_timed(page, title, timeout))[0]


async def _click_timed(page, title: str, timeout: int = SETTLE_TIMEOUT_MS) -> tuple[float, float]:
    """Milliseconds from clicking ``title`` until the page settled, and until the server's last message."""
    res = await page.evaluate(CLICK, {"title": title, "quiet": QUIET_MS, "timeout": timeout})
    return float(res["ms"]), float(res["serverMs"])


def _error(exc: BaseException) -> str:
    return f"{exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:200]


# ---------------------------------------------------------------------------
# Click to settled.


@dataclass
class ClickTiming:
    title: str
    median_ms: float | None
    ratio: float | None
    note: str = ""


@dataclass
class ClickResult:
    empty_ms: float | None = None
    pages: list[ClickTiming] = field(default_factory=list)
    repeats: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def worst(self) -> ClickTiming | None:
        rated = [p for p in self.pages if p.ratio is not None]
        return max(rated, key=lambda p: p.ratio) if rated else None


async def _clicks(url: str, titles: list[str], repeats: int) -> ClickResult:
    from playwright.async_api import async_playwright

    res = ClickResult(repeats=repeats)
    times: dict[str, list[float]] = {t: [] for t in titles}
    errors: dict[str, str] = {}
    empty: list[float] = []
    async with async_playwright() as pw:
        browser = await _launch(pw)
        try:
            context, page = await _new_page(browser)
            await _open(page, f"{url}/{EMPTY_URL_PATH}")
            # Warm up: the first visit to a page fills the server's caches.
            for title in titles:
                try:
                    await _click(page, title)
                    await _click(page, EMPTY_TITLE)
                except Exception as exc:
                    errors[title] = _error(exc)
                    await _open(page, f"{url}/{EMPTY_URL_PATH}")
            # Measured: from the empty page to each page, and back.
            for _ in range(repeats):
                for title in titles:
                    if title in errors:
                        continue
                    try:
                        times[title].append(await _click(page, title))
                        empty.append(await _click(page, EMPTY_TITLE))
                    except Exception as exc:
                        errors[title] = _error(exc)
                        await _open(page, f"{url}/{EMPTY_URL_PATH}")
            await context.close()
        finally:
            await browser.close()
    res.empty_ms = statistics.median(empty) if empty else None
    for title in titles:
        med = statistics.median(times[title]) if times[title] else None
        ratio = med / res.empty_ms if med is not None and res.empty_ms else None
        res.pages.append(ClickTiming(title, med, ratio, errors.get(title, "")))
    return res


def measure_clicks(url: str, titles: list[str], repeats: int) -> ClickResult:
    """Click each page's sidebar link from the empty page (and the empty page's link back),
    ``repeats`` times after one warm-up round; medians and ratios to the empty page."""
    try:
        return aio.run(_clicks(url, titles, repeats))
    except Exception as exc:
        return ClickResult(notes=[f"click-to-settled not measured: {_error(exc)}"])


# ---------------------------------------------------------------------------
# Two servers on one database.


@dataclass
class TwoServersResult:
    backend: str = ""
    authority: str = ""
    figure: int | None = None
    delay_ms: float | None = None
    reruns: int = 0
    shown: bool = False
    notes: list[str] = field(default_factory=list)


SHOWS = """([name, figure]) => {
  const main = document.querySelector('[data-testid="stMain"]');
  // The text alternative names the highest caseload: "Highest: Kent (80)" (with word joiners).
  return !!main && main.textContent.replace(/\u2060/g, '').includes(name + ' (' + figure + ')');
}"""


async def _two_servers(
    url_b: str, url_path: str, title: str, save: Any, authority: str, figure: int
) -> TwoServersResult:
    import time

    from playwright.async_api import async_playwright

    res = TwoServersResult(authority=authority, figure=figure)
    async with async_playwright() as pw:
        browser = await _launch(pw)
        try:
            context, page = await _new_page(browser)
            await _open(page, f"{url_b}/{url_path}")
            if await page.evaluate(SHOWS, [authority, figure]):
                res.notes.append(f"server B showed {authority} ({figure}) before the save")
                return res
            t0 = time.perf_counter()
            save()  # server A's save
            deadline = t0 + 30
            while time.perf_counter() < deadline:
                # The next rerun: click the page's own link, as a person refreshing the view would.
                await _click(page, title)
                res.reruns += 1
                if await page.evaluate(SHOWS, [authority, figure]):
                    res.delay_ms = (time.perf_counter() - t0) * 1000
                    res.shown = True
                    break
            else:
                res.notes.append("server B did not show the save within 30 s")
            await context.close()
        finally:
            await browser.close()
    return res


def measure_two_servers(
    url_b: str, url_path: str, title: str, save: Any, authority: str, figure: int
) -> TwoServersResult:
    """Open ``url_path`` on server B; run ``save`` (server A's save, giving ``authority`` the highest
    IRO caseload, ``figure``); rerun B's page until its text alternative names ``authority`` as the
    highest with ``figure``. The delay is from the start of the save to the end of the rerun that shows it."""
    try:
        return aio.run(_two_servers(url_b, url_path, title, save, authority, figure))
    except Exception as exc:
        return TwoServersResult(authority=authority, figure=figure, notes=[f"not measured: {_error(exc)}"])
