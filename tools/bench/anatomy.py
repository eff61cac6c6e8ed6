"""What each page sends a new session, and its warm rerun: the page's anatomy, over the protocol.

For each page: one warm-up visit (the first visit fills the server's caches), then a new
session opens it and is counted (elements, blocks, widgets, messages, bytes), then reruns it
with nothing changed (the frontend's message cache in use: large elements come back as
references). These are the figures ``docs/performance.md`` keeps per page, before and after.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from tools.bench import aio
from tools.bench.load import _f, _navigation
from tools.bench.protocol import VIEW_TIMEOUT_S, Session, View, check_loopback


@dataclass
class Anatomy:
    """One page as a new session receives it (after a warm-up visit), and its warm rerun."""

    title: str
    url_path: str
    opened: View | None = None
    rerun_ms: float | None = None  # median of the reruns of the same session (nothing changed)
    rerun_bytes: float | None = None
    error: str = ""


async def _anatomy(base_url: str, titles: Sequence[str], reruns: int, timeout: float) -> list[Anatomy]:
    nav, _ = await _navigation(base_url, timeout)
    out: list[Anatomy] = []
    for title in titles:
        a = Anatomy(title=title, url_path=nav.get(title, ""))
        out.append(a)
        if title not in nav:
            a.error = "not in the app's navigation"
            continue
        warm = Session(base_url, timeout=timeout)
        try:
            await warm.open(a.url_path)
        finally:
            await warm.close()
        s = Session(base_url, timeout=timeout)
        try:
            a.opened = await s.open(a.url_path)
            views = [await s.rerun() for _ in range(reruns)] if a.opened.ok else []
            good = [v for v in views if v.ok and v.ms is not None]
            if good:
                a.rerun_ms = statistics.median(v.ms for v in good)
                a.rerun_bytes = statistics.median(v.bytes for v in good)
            a.error = a.opened.error or next((v.error for v in views if v.error), "")
        finally:
            await s.close()
    return out


def anatomy(
    base_url: str, titles: Sequence[str], *, reruns: int = 5, timeout: float = VIEW_TIMEOUT_S
) -> list[Anatomy]:
    """For each page: what a new session is sent (elements, blocks, widgets, messages, bytes) and the
    median time of its reruns with nothing changed (the frontend's message cache in use)."""
    check_loopback(base_url)
    return aio.run(_anatomy(base_url, titles, reruns, timeout))


def anatomy_lines(pages: Sequence[Anatomy]) -> list[str]:
    lines = [
        f"   {'page (one session, warm)':<34} {'elements':>8} {'blocks':>6} {'widgets':>7} {'msgs':>5} "
        f"{'KB sent':>8} {'rerun ms':>8} {'rerun KB':>8}"
    ]
    for a in pages:
        v = a.opened
        if v is None or not v.ok:
            lines.append(f"   {a.title[:34]:<34} not measured: {a.error}")
            continue
        lines.append(
            f"   {a.title[:34]:<34} {v.elements:>8} {v.blocks:>6} {v.widgets:>7} {v.messages:>5} "
            f"{v.bytes / 1024:>8.0f} {_f(a.rerun_ms):>8} {_f(a.rerun_bytes / 1024 if a.rerun_bytes else None):>8}"
        )
    return lines
