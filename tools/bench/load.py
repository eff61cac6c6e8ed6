"""How the server holds up when a whole meeting opens the same link at once, with no browser.

``measure`` opens N protocol sessions (``tools.bench.protocol.Session``), waits until every one
is connected and idle, then has all of them ask for a page at the same moment; each is timed
from sending its request to its ``script_finished``. Then all change a filter at once and are
timed again. The same is done for the empty page (``BENCH_EMPTY_PAGE=1`` in app.py), and the
figures are set against it. Around each wave the server's CPU time is read from
``/proc/<pid>/stat``, and, at the end, its resident memory with sessions held open.

Bounds: at most ``MAX_SESSIONS`` sessions, every wait has a timeout, the whole load has a
deadline, and only a loopback address is accepted.

Run it on its own against a running app (``streamlit run app.py`` with ``BENCH_EMPTY_PAGE=1``)::

    python -m tools.bench.load --url http://127.0.0.1:8501 --pid PID --pages Overview,Caseloads
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tools.bench import aio
from tools.bench.protocol import VIEW_TIMEOUT_S, Session, View, check_loopback, cpu_seconds, rss_bytes
from tools.stats import percentile

#: The most sessions one load may open, whatever is asked.
MAX_SESSIONS = 200
#: How long one whole load (every page, every wave) may take before the rest is skipped.
LOAD_DEADLINE_S = 900.0
EMPTY_TITLE = "Empty page"
EMPTY_URL_PATH = "bench-empty"


@dataclass
class Wave:
    """N sessions doing the same thing at the same moment."""

    page: str
    action: str  # "open" or "change"
    sessions: int
    views: list[View] = field(default_factory=list)
    cpu_s: float | None = None  # the server's CPU time during the wave
    wall_s: float | None = None

    @property
    def ok(self) -> list[View]:
        return [v for v in self.views if v.ok and v.ms is not None]

    @property
    def errors(self) -> int:
        return self.sessions - len(self.ok)

    def _q(self, q: float) -> float | None:
        times = [v.ms for v in self.ok]
        return percentile(times, q) if times else None

    @property
    def p50_ms(self) -> float | None:
        return self._q(50)

    @property
    def p95_ms(self) -> float | None:
        return self._q(95)

    @property
    def cpu_ms_per_view(self) -> float | None:
        return self.cpu_s * 1000 / len(self.views) if self.cpu_s is not None and self.views else None

    def mean(self, name: str) -> float | None:
        values = [getattr(v, name) for v in self.ok]
        return statistics.fmean(values) if values else None

    def first_error(self) -> str:
        return next((v.error for v in self.views if v.error), "")


@dataclass
class PageLoad:
    title: str
    url_path: str
    waves: list[Wave] = field(default_factory=list)

    def wave(self, action: str, sessions: int) -> Wave | None:
        return next((w for w in self.waves if w.action == action and w.sessions == sessions), None)


@dataclass
class ProtocolResult:
    counts: list[int] = field(default_factory=list)
    empty: PageLoad | None = None
    pages: list[PageLoad] = field(default_factory=list)
    change: str = ""  # the widget changed, in words
    memory_page: str = ""
    held: int = 0
    rss_one_mib: float | None = None
    rss_held_mib: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def mib_per_session(self) -> float | None:
        if self.rss_one_mib is None or self.rss_held_mib is None or not self.held:
            return None
        return max(0.0, self.rss_held_mib - self.rss_one_mib) / self.held

    def ratio(self, page: PageLoad, action: str, sessions: int, q: str = "p95_ms") -> float | None:
        """``page``'s figure against the empty page's at the same count (a change against the empty
        page's rerun)."""
        if self.empty is None:
            return None
        mine = page.wave(action, sessions)
        base = self.empty.wave(action, sessions)
        a = getattr(mine, q) if mine else None
        b = getattr(base, q) if base else None
        return a / b if a is not None and b else None

    def worst_ratio(self, sessions: int) -> tuple[float | None, str]:
        """The worst p95 ratio at ``sessions``, over every page opened or changed, and which it was."""
        best: tuple[float | None, str] = (None, "")
        for page in self.pages:
            for action in ("open", "change"):
                r = self.ratio(page, action, sessions)
                if r is not None and (best[0] is None or r > best[0]):
                    best = (r, f"{page.title} ({'opened' if action == 'open' else 'filter changed'})")
        return best

    def worst_cpu_ms(self) -> tuple[float | None, str]:
        """The most server CPU per view of any page (at the largest count measured), and which."""
        n = max(self.counts) if self.counts else 0
        best: tuple[float | None, str] = (None, "")
        for page in self.pages:
            for action in ("open", "change"):
                w = page.wave(action, n)
                c = w.cpu_ms_per_view if w else None
                if c is not None and (best[0] is None or c > best[0]):
                    best = (c, page.title)
        return best

    @property
    def errors(self) -> int:
        loads = [self.empty, *self.pages] if self.empty else self.pages
        return sum(w.errors for p in loads for w in p.waves)

    @property
    def views(self) -> int:
        loads = [self.empty, *self.pages] if self.empty else self.pages
        return sum(w.sessions for p in loads for w in p.waves)


async def _wave(sessions: list[Session], page: str, action: str, do, pid: int | None) -> Wave:
    wave = Wave(page=page, action=action, sessions=len(sessions))
    cpu0 = cpu_seconds(pid) if pid else None
    t0 = time.perf_counter()
    wave.views = list(await asyncio.gather(*(do(s) for s in sessions)))
    wave.wall_s = time.perf_counter() - t0
    cpu1 = cpu_seconds(pid) if pid else None
    if cpu0 is not None and cpu1 is not None:
        wave.cpu_s = cpu1 - cpu0
    return wave


async def _connect_all(base_url: str, n: int, path: str, timeout: float) -> tuple[list[Session], list[str]]:
    """``n`` sessions, connected (a few at a time, as people arrive) and idle."""
    sessions = [Session(base_url, timeout=timeout) for _ in range(n)]
    gate = asyncio.Semaphore(8)
    errors: list[str] = []

    async def one(s: Session) -> None:
        async with gate:
            try:
                await s.connect(path)
            except Exception as exc:
                errors.append(f"{exc.__class__.__name__}: {exc}"[:200])

    await asyncio.gather(*(one(s) for s in sessions))
    return sessions, errors


async def _load_page(
    base_url: str,
    title: str,
    path: str,
    counts: Sequence[int],
    single_repeats: int,
    change: tuple[str, int] | None,
    pid: int | None,
    timeout: float,
    deadline: float,
    notes: list[str],
) -> PageLoad:
    load = PageLoad(title=title, url_path=path)
    for n in counts:
        repeats = single_repeats if n == 1 else 1
        opens = Wave(page=title, action="open", sessions=0)
        changes = Wave(page=title, action="change", sessions=0)
        for _ in range(repeats):
            if time.monotonic() > deadline:
                notes.append(f"{title}, {n} at once: skipped (the load's deadline has passed)")
                break
            sessions, errors = await _connect_all(base_url, n, path, timeout)
            try:
                for err in errors:
                    opens.views.append(View(page=title, error=f"did not connect: {err}"))
                live = [s for s in sessions if s.ws is not None]
                w = await _wave(live, title, "open", lambda s: s.open(path), pid)
                _merge(opens, w)
                opened = [s for s in live if s.ws is not None]
                if change is None:  # the empty page: its rerun is what a change is set against
                    w = await _wave(opened, title, "change", lambda s: s.rerun(), pid)
                else:
                    w = await _wave(opened, title, "change", lambda s: s.change(*change), pid)
                w.views += [View(page=title, error="did not open") for _ in range(n - len(opened))]
                _merge(changes, w)
            finally:
                await asyncio.gather(*(s.close() for s in sessions))
        opens.sessions, changes.sessions = len(opens.views), len(changes.views)
        if opens.views:
            load.waves.append(opens)
        if changes.views:
            load.waves.append(changes)
    return load


def _merge(into: Wave, w: Wave) -> None:
    into.views += w.views
    if w.cpu_s is not None:
        into.cpu_s = (into.cpu_s or 0.0) + w.cpu_s
    into.wall_s = (into.wall_s or 0.0) + (w.wall_s or 0.0)


async def _navigation(base_url: str, timeout: float) -> tuple[dict[str, str], View]:
    """The app's pages (title -> URL path), read from the navigation of one run of the empty page."""
    s = Session(base_url, timeout=timeout)
    try:
        await s.connect(EMPTY_URL_PATH)
        view = await s.open(EMPTY_URL_PATH)
        return dict(s.pages), view
    finally:
        await s.close()


async def _quiet_rss(pid: int, samples: int = 6) -> float:
    """The server's resident memory (MiB) at its lowest over a second: a single reading catches
    garbage not yet collected, or a buffer not yet freed."""
    seen = []
    for _ in range(samples):
        rss = rss_bytes(pid)
        if rss is not None:
            seen.append(rss / 2**20)
        await asyncio.sleep(0.2)
    return min(seen) if seen else 0.0


async def _hold_sessions(
    base_url: str, path: str, held: int, pid: int, timeout: float
) -> tuple[float, float]:
    """RSS (MiB) with one session on ``path``, then with ``held`` more opened one by one and kept open."""
    first = Session(base_url, timeout=timeout)
    others: list[Session] = []
    try:
        await first.open(path)
        before = await _quiet_rss(pid)
        for _ in range(held):
            s = Session(base_url, timeout=timeout)
            others.append(s)
            await s.open(path)
        after = await _quiet_rss(pid)
        return before, after
    finally:
        await asyncio.gather(first.close(), *(s.close() for s in others))


async def _measure(
    base_url: str,
    titles: Sequence[str],
    *,
    pid: int | None,
    counts: Sequence[int],
    single_repeats: int,
    change: tuple[str, int],
    held: int,
    memory_page: str | None,
    timeout: float,
    deadline_s: float,
    out: Callable[[str], None],
) -> ProtocolResult:
    check_loopback(base_url)
    counts = [max(1, min(int(n), MAX_SESSIONS)) for n in counts]
    res = ProtocolResult(counts=list(counts), change=f"'{change[0]}' set to its option {change[1] + 1}")
    deadline = time.monotonic() + deadline_s
    nav, first = await _navigation(base_url, timeout)
    if not first.ok:
        res.notes.append(f"the empty page did not open: {first.error}")
        return res
    if EMPTY_TITLE not in nav:
        res.notes.append("the app has no empty page (start it with BENCH_EMPTY_PAGE=1)")
        return res
    missing = [t for t in titles if t not in nav]
    if missing:
        res.notes.append("not in the app's navigation: " + ", ".join(missing))
    wanted = [(t, nav[t]) for t in titles if t in nav]
    # Warm-up: every page and its filter change once, so the waves time a warm server (the Views
    # are built once per data and choices, on the first visit) and not the first visit.
    for title, path in [(EMPTY_TITLE, nav[EMPTY_TITLE]), *wanted]:
        s = Session(base_url, timeout=timeout)
        try:
            v = await s.open(path)
            label, option = change
            if v.ok and title != EMPTY_TITLE and isinstance(option, int) and s.option_count(label) <= option:
                # Too few rounds to choose another: a person would narrow the model instead.
                res.notes.append(f"'{label}' has no option {option + 1} on {title}: 'Model' changed instead")
                change = ("Model", 0)
                res.change = f"'{change[0]}' set to its option {change[1] + 1}"
            if v.ok and title != EMPTY_TITLE:
                v = await s.change(*change)
            if not v.ok:
                res.notes.append(f"warm-up of {title}: {v.error}")
        finally:
            await s.close()
    out(
        f"   protocol sessions (no browser): {', '.join(map(str, counts))} at once, each page opened, then {res.change}"
    )
    res.empty = await _load_page(
        base_url,
        EMPTY_TITLE,
        nav[EMPTY_TITLE],
        counts,
        single_repeats,
        None,
        pid,
        timeout,
        deadline,
        res.notes,
    )
    for title, path in wanted:
        res.pages.append(
            await _load_page(
                base_url, title, path, counts, single_repeats, change, pid, timeout, deadline, res.notes
            )
        )
    if pid and held and time.monotonic() < deadline:
        mem_title = memory_page if memory_page in nav else (wanted[-1][0] if wanted else EMPTY_TITLE)
        res.memory_page, res.held = mem_title, held
        try:
            res.rss_one_mib, res.rss_held_mib = await _hold_sessions(
                base_url, nav[mem_title], held, pid, timeout
            )
        except Exception as exc:
            res.notes.append(f"memory not measured: {exc.__class__.__name__}: {exc}"[:300])
    elif not pid:
        res.notes.append("no server process id: CPU and memory not measured")
    return res


def measure(
    base_url: str,
    titles: Sequence[str],
    *,
    pid: int | None = None,
    counts: Sequence[int] = (1, 20, 50),
    single_repeats: int = 5,
    change: tuple[str, int] = ("Survey round", 1),
    held: int = 40,
    memory_page: str | None = None,
    timeout: float = VIEW_TIMEOUT_S,
    deadline_s: float = LOAD_DEADLINE_S,
    out: Callable[[str], None] = print,
) -> ProtocolResult:
    """Open each page in ``titles`` (and the empty page) with each count of sessions at once, then
    change a filter in all of them at once; ``pid`` is the server's process, for its CPU and memory.
    Never raises for a view that fails: it is counted in the errors. Refuses (ValueError) any
    address but loopback."""
    check_loopback(base_url)
    try:
        return aio.run(
            _measure(
                base_url,
                titles,
                pid=pid,
                counts=counts,
                single_repeats=single_repeats,
                change=change,
                held=held,
                memory_page=memory_page,
                timeout=timeout,
                deadline_s=deadline_s,
                out=out,
            )
        )
    except Exception as exc:
        return ProtocolResult(
            counts=list(counts), notes=[f"not measured: {exc.__class__.__name__}: {exc}"[:300]]
        )


# ---------------------------------------------------------------------------
# The report.


def _f(value: float | None, digits: int = 0) -> str:
    return "nan" if value is None else f"{value:,.{digits}f}"


def report_lines(res: ProtocolResult) -> list[str]:
    lines = []
    head = (
        f"   {'page':<28} {'action':<7} {'n':>3} {'p50 ms':>8} {'p95 ms':>8} {'×empty':>7} "
        f"{'cpu ms/view':>11} {'msgs':>5} {'KB':>6} {'elems':>5} {'widgets':>7} {'errors':>6}"
    )
    lines.append(head)
    loads = [res.empty, *res.pages] if res.empty else res.pages
    for page in loads:
        for w in page.waves:
            ratio = 1.0 if page is res.empty else res.ratio(page, w.action, w.sessions)
            kb = w.mean("bytes")
            lines.append(
                f"   {page.title[:28]:<28} {w.action:<7} {w.sessions:>3} {_f(w.p50_ms):>8} {_f(w.p95_ms):>8} "
                f"{_f(ratio, 2):>7} {_f(w.cpu_ms_per_view, 1):>11} {_f(w.mean('messages')):>5} "
                f"{_f(kb / 1024 if kb is not None else None):>6} {_f(w.mean('elements')):>5} "
                f"{_f(w.mean('widgets')):>7} {w.errors:>6}"
            )
            if w.errors:
                lines.append(f"      first error: {w.first_error()}")
    if res.mib_per_session is not None:
        lines.append(
            f"   Server memory (RSS) on {res.memory_page}: {res.rss_one_mib:.0f} MiB with one session, "
            f"{res.rss_held_mib:.0f} MiB with {res.held} more held open: {res.mib_per_session:.2f} MiB per extra session"
        )
    n = max(res.counts) if res.counts else 0
    worst, which = res.worst_ratio(n)
    if worst is not None:
        lines.append(f"   Worst at {n} at once: {which}, p95 {worst:.2f}× the empty page's")
    lines.append(f"   Views: {res.views}, errors: {res.errors}")
    lines += [f"   note: {note}" for note in res.notes]
    return lines


def summary_fields(res: ProtocolResult) -> list[tuple[str, str]]:
    """The bench summary line's protocol fields."""
    n = 50 if 50 in res.counts else (max(res.counts) if res.counts else 0)
    worst, _ = res.worst_ratio(n)
    cpu, _ = res.worst_cpu_ms()
    return [
        ("proto50_p95_ratio", _f(worst, 2).replace(",", "")),
        ("proto_cpu_ms", _f(cpu, 1).replace(",", "")),
        ("mem_per_session_mb", _f(res.mib_per_session, 2)),
        ("proto_errors", str(res.errors)),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench.load",
        description="Load a running app (streamlit run app.py with BENCH_EMPTY_PAGE=1) with sessions "
        "speaking Streamlit's protocol: each page opened by N sessions at once, then a filter changed.",
    )
    parser.add_argument("--url", required=True, help="the app, on loopback: http://127.0.0.1:PORT")
    parser.add_argument("--pid", type=int, default=None, help="the server's process id (for CPU and memory)")
    parser.add_argument(
        "--pages", default="Overview,Caseloads,Quality assurance inputs", help="page titles, comma-separated"
    )
    parser.add_argument(
        "--counts", default="1,20,50", help="sessions at once, comma-separated (default 1,20,50)"
    )
    parser.add_argument("--repeats", type=int, default=5, help="repeats of the single session (default 5)")
    parser.add_argument(
        "--held", type=int, default=40, help="sessions held open for the memory figure (default 40)"
    )
    args = parser.parse_args(argv)
    res = measure(
        args.url,
        [t.strip() for t in args.pages.split(",") if t.strip()],
        pid=args.pid,
        counts=[int(c) for c in args.counts.split(",")],
        single_repeats=args.repeats,
        held=args.held,
    )
    for line in report_lines(res):
        print(line)
    print("proto: " + " ".join(f"{k}={v}" for k, v in summary_fields(res)))
    return 0 if res.errors == 0 and res.pages else 1


if __name__ == "__main__":
    sys.exit(main())
