"""The benchmark behind ``python cli.py bench``: how fast the dashboard is, and how it grows.

It generates synthetic returns (``tools.synthetic``) for N authorities over R
rounds, seeds a temporary SQLite database with them, and measures:

* **Pages**: each page's median *warm* render time through Streamlit's AppTest
  (``AppTest.from_file("app.py")``, then ``switch_page``), against an empty page
  rendered the same way in the same run (a temporary app with the same page
  set-up and navigation over one page holding only a title). The ratio is what
  counts: absolute times depend on the machine.
* **Export**: ``exports.xlsx.full_workbook`` for the whole data set, against
  writing the same tables (summary, QA and impact matrices, responses) with plain
  ``pandas.DataFrame.to_excel`` (openpyxl engine).
* **Saves**: ``Store.save`` latency in a loop (median and 95th percentile), and
  fifty concurrent saves from separate processes: how many versions landed, were
  refused as conflicts (the person is told and nothing is saved), or were lost
  (reported saved but not found afterwards; must be zero).
* **First render**: from starting ``streamlit run app.py`` to the first page
  showing its content in Chromium, against a one-line Streamlit app started the
  same way.
* **Click to settled** (``tools.bench_browser``): in Chromium, against ``streamlit
  run app.py`` with ``BENCH_EMPTY_PAGE=1`` (app.py then adds an "Empty page"), the
  time from clicking each page's sidebar link until the page stops changing,
  against clicking the empty page's link.
* **Concurrency**: twenty sessions (one Chromium, a context each) click Caseloads
  at once on one server: p50 and p95 against one session alone, and the server's
  resident memory per extra session.
* **Two servers**: a second ``streamlit run app.py`` on the same database (server
  B); a save made as server A would make it (``Store.save``) is shown by B on its
  next rerun, and the delay is reported. On PostgreSQL with ``--postgres URL`` (or
  ``TEST_DATABASE_URL``), else on the SQLite file.

The run ends with one line scripts can read (``BenchReport.summary_fields``)::

    bench: worst_page_ratio=R worst_click_ratio=R export_ratio=R save_p95_ms=N lost=N first_render_ratio=R concurrent_p95_ratio=R

Pages are rendered in a separate process for each size, with ``DATABASE_URL``
pointing at that size's database, so caches never mix sizes. That worker is
the only code here that touches Streamlit (its test harness), and only
inside the worker process.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import math
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from config import settings
from tools.bench_browser import (
    ClickResult,
    ConcurrencyResult,
    TwoServersResult,
    measure_clicks,
    measure_concurrency,
    measure_two_servers,
)
from tools.serving import CHROMIUM, CHROMIUM_ARGS, start_server
from tools.stats import percentile

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
PLACEHOLDER_MARK = "This page is being built."


TARGETS = {
    "page_ratio": 4.0,
    "export_ratio": 3.0,
    "export_seconds": 2.0,
    "save_p95_ms": 50.0,
    "first_render_ratio": 1.5,
    "click_ratio": 1.5,
    "concurrent_p95_ratio": 2.0,
    "pack_seconds": 5.0,
}

# ---------------------------------------------------------------------------
# The pages, as app.py declares them.


@dataclass(frozen=True)
class AppPage:
    path: str  # relative to the repo, e.g. "pages/caseloads.py"
    title: str
    section: str
    url: str = ""  # st.Page(url_path=...), if app.py gives one

    @property
    def url_path(self) -> str:
        return self.url or Path(self.path).stem

    @property
    def is_placeholder(self) -> bool:
        try:
            return PLACEHOLDER_MARK in (ROOT / self.path).read_text(encoding="utf-8")
        except OSError:
            return True


def app_pages(app: Path = APP) -> list[AppPage]:
    """Every ``st.Page("pages/x.py", title=...)`` in app.py, in navigation order, with its section."""
    tree = ast.parse(app.read_text(encoding="utf-8"))
    pages: list[AppPage] = []

    def visit(node: ast.AST, section: str) -> None:
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=False):
                name = key.value if isinstance(key, ast.Constant) else section
                visit(value, str(name))
            return
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page":
            if node.args and isinstance(node.args[0], ast.Constant):
                path = str(node.args[0].value)
                given = {
                    kw.arg: str(kw.value.value) for kw in node.keywords if isinstance(kw.value, ast.Constant)
                }
                title = given.get("title", Path(path).stem.replace("_", " ").capitalize())
                pages.append(AppPage(path=path, title=title, section=section, url=given.get("url_path", "")))
            return
        for child in ast.iter_child_nodes(node):
            visit(child, section)

    visit(tree, "")
    return pages


# ---------------------------------------------------------------------------
# Results.


@dataclass
class PageTiming:
    title: str
    path: str
    median_ms: float | None
    ratio: float | None
    note: str = ""


@dataclass
class SizeResult:
    authorities: int
    rounds: int
    returns: int
    seed_s: float | None = None
    empty_ms: float | None = None
    pages: list[PageTiming] = field(default_factory=list)
    export_s: float | None = None
    pandas_s: float | None = None
    workbook_bytes: int | None = None
    pack_s: float | None = None  # the meeting pack for the latest round (one round of the data)
    notes: list[str] = field(default_factory=list)

    @property
    def export_ratio(self) -> float | None:
        if self.export_s is None or not self.pandas_s:
            return None
        return self.export_s / self.pandas_s

    @property
    def worst_page(self) -> PageTiming | None:
        rated = [p for p in self.pages if p.ratio is not None]
        return max(rated, key=lambda p: p.ratio) if rated else None


@dataclass
class SaveResult:
    n: int = 0
    median_ms: float | None = None
    p95_ms: float | None = None
    concurrent: int = 0
    landed: int = 0
    refused: int = 0
    failed: int = 0
    lost: int = 0
    concurrent_s: float | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class FirstRender:
    app_s: float | None = None
    one_line_s: float | None = None
    runs: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.app_s is None or not self.one_line_s:
            return None
        return self.app_s / self.one_line_s


@dataclass
class BenchReport:
    machine: dict[str, str]
    sizes: list[SizeResult]
    main: SizeResult
    saves: SaveResult
    first_render: FirstRender
    clicks: ClickResult = field(default_factory=ClickResult)
    concurrency: ConcurrencyResult = field(default_factory=ConcurrencyResult)
    two_servers: TwoServersResult = field(default_factory=TwoServersResult)

    def summary_fields(self) -> list[tuple[str, str]]:
        """The summary line's fields, in order: a new measure is one more line here."""
        worst = self.main.worst_page
        click = self.clicks.worst
        return [
            ("worst_page_ratio", _fmt(worst.ratio if worst else None, 2)),
            ("worst_click_ratio", _fmt(click.ratio if click else None, 2)),
            ("export_ratio", _fmt(self.main.export_ratio, 2)),
            ("save_p95_ms", _fmt(self.saves.p95_ms, 1)),
            ("lost", str(self.saves.lost)),
            ("first_render_ratio", _fmt(self.first_render.ratio, 2)),
            ("concurrent_p95_ratio", _fmt(self.concurrency.p95_ratio, 2)),
            ("pack_s", _fmt(self.main.pack_s, 2)),
        ]

    def summary_line(self) -> str:
        return "bench: " + " ".join(f"{name}={value}" for name, value in self.summary_fields())

    def misses(self) -> list[str]:
        """The targets missed at the main size, in words."""
        out = []
        for p in self.main.pages:
            if p.ratio is not None and p.ratio > TARGETS["page_ratio"]:
                out.append(f"page '{p.title}' renders in {p.ratio:.1f}× the empty page (target 4×)")
        ps = self.main.pack_s
        if ps is not None and ps > TARGETS["pack_seconds"]:
            out.append(f"the meeting pack takes {ps:.1f} s (target under 5 s)")
        er = self.main.export_ratio
        if er is not None and er > TARGETS["export_ratio"]:
            out.append(f"export takes {er:.1f}× plain pandas (target 3×)")
        if self.main.export_s is not None and self.main.export_s > TARGETS["export_seconds"]:
            out.append(f"export takes {self.main.export_s:.2f} s (target under 2 s)")
        if self.saves.p95_ms is not None and self.saves.p95_ms > TARGETS["save_p95_ms"]:
            out.append(f"save p95 is {self.saves.p95_ms:.1f} ms (target under 50 ms)")
        if self.saves.lost:
            out.append(f"{self.saves.lost} concurrent save(s) lost (must be 0)")
        fr = self.first_render.ratio
        if fr is not None and fr > TARGETS["first_render_ratio"]:
            out.append(f"first render takes {fr:.2f}× the one-line app (target 1.5×)")
        for c in self.clicks.pages:
            if c.ratio is not None and c.ratio > TARGETS["click_ratio"]:
                out.append(f"clicking '{c.title}' settles in {c.ratio:.1f}× the empty page (target 1.5×)")
        cr = self.concurrency.p95_ratio
        if cr is not None and cr > TARGETS["concurrent_p95_ratio"]:
            out.append(
                f"{self.concurrency.sessions} sessions at once: p95 is {cr:.1f}× one session alone (target 2×)"
            )
        if self.two_servers.backend and not self.two_servers.shown:
            out.append("server B did not show server A's save")
        return out


def _fmt(value: float | None, digits: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "nan"
    return f"{value:.{digits}f}"


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    return {
        "cpus": str(os.cpu_count() or "?"),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "os": platform.platform(terse=True),
    }


# ---------------------------------------------------------------------------
# The database for a size.


def seed_database(url: str, authorities: int, rounds: int, seed: int = 1):
    """A Store at ``url`` holding the synthetic returns; returns (store, dataset)."""
    from store import Store
    from tools.synthetic import synthetic_dataset

    dataset = synthetic_dataset(authorities, rounds, seed)
    store = Store(url)
    store.ensure_schema()
    store.seed(dataset)
    return store, dataset


# ---------------------------------------------------------------------------
# Pages through AppTest, in a worker process.

EMPTY_APP = """\
import streamlit as st

st.set_page_config(page_title="Empty", layout="wide")
st.navigation([st.Page("empty_page.py", title="Empty", default=True)]).run()
"""
EMPTY_PAGE = """\
import streamlit as st

st.title("Empty")
"""


def page_worker() -> None:
    """Run in a subprocess: read a job from stdin, print timings as JSON on stdout."""
    import logging

    job = json.loads(sys.stdin.read())
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from streamlit.testing.v1 import AppTest  # the worker is the only place that touches Streamlit

    repeats = int(job["repeats"])
    timeout = float(job.get("timeout", 300))
    out: dict[str, Any] = {"pages": {}}

    def timed(at) -> list[float]:
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            at.run(timeout=timeout)
            times.append((time.perf_counter() - t0) * 1000)
        return times

    def problem(at) -> str:
        if at.exception:
            first = at.exception[0]
            return f"error: {getattr(first, 'message', '') or first.value}"[:200]
        return ""

    # The empty page takes a few milliseconds, so it is measured more often, and again at the end
    # (below), so that a busy moment of the machine does not make every ratio look worse or better.
    empty = AppTest.from_file(job["empty_app"], default_timeout=timeout)
    empty.run()
    out["empty"] = {"times": timed(empty) + timed(empty), "note": problem(empty)}

    for path in job["pages"]:
        try:
            at = AppTest.from_file(str(APP), default_timeout=timeout)
            at.run()
            at.switch_page(path)
            t0 = time.perf_counter()
            at.run()  # cold: fills the caches
            cold = (time.perf_counter() - t0) * 1000
            note = problem(at)
            out["pages"][path] = {"times": [] if note else timed(at), "cold": cold, "note": note}
        except Exception as exc:  # a page that cannot run is reported, not fatal
            out["pages"][path] = {"times": [], "note": f"error: {exc.__class__.__name__}: {exc}"[:200]}
    out["empty"]["times"] += timed(empty) + timed(empty)
    print("BENCH-JSON " + json.dumps(out))


def render_pages(
    pages: list[AppPage], database_url: str, repeats: int, workdir: Path, profile: Path | None = None
) -> tuple[float | None, list[PageTiming], list[str]]:
    (workdir / "empty_app.py").write_text(EMPTY_APP)
    (workdir / "empty_page.py").write_text(EMPTY_PAGE)
    job = {"pages": [p.path for p in pages], "empty_app": str(workdir / "empty_app.py"), "repeats": repeats}
    env = settings.child_environment(DATABASE_URL=database_url, PYTHONWARNINGS="ignore")
    cmd = [sys.executable, "-c", "from tools.bench import page_worker; page_worker()"]
    if profile is not None:  # py-spy samples the worker: every page's cold and warm renders
        cmd = [_py_spy(), "record", "--rate", "250", "--nonblocking", "-o", str(profile), "--", *cmd]
    proc = subprocess.run(
        cmd,
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=3600,
    )
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH-JSON ")), None)
    if line is None:
        tail = (proc.stderr or proc.stdout)[-1500:]
        return None, [], [f"the page worker failed (exit {proc.returncode}): {tail}"]
    data = json.loads(line[len("BENCH-JSON ") :])
    empty_times = data["empty"]["times"]
    empty_ms = statistics.median(empty_times) if empty_times else None
    timings = []
    for p in pages:
        d = data["pages"].get(p.path, {"times": [], "note": "not run"})
        med = statistics.median(d["times"]) if d["times"] else None
        ratio = med / empty_ms if med is not None and empty_ms else None
        timings.append(PageTiming(p.title, p.path, med, ratio, d.get("note", "")))
    return empty_ms, timings, []


def _py_spy() -> str:
    here = Path(sys.executable).with_name("py-spy")
    return str(here) if here.exists() else "py-spy"


# ---------------------------------------------------------------------------
# Export.


def _export_frames(returns, rounds) -> dict[str, Any]:
    """The tables full_workbook writes, built the same way (not timed)."""
    from analysis import tables as tbl

    return {
        "Summary": tbl.summary_table(returns, rounds),
        "QA inputs": tbl.matrix_sheet_table(returns, "qa"),
        "Impact evidence": tbl.matrix_sheet_table(returns, "impact"),
        "Responses": tbl.responses_table(returns),
    }


def _frames_from_workbook(data: bytes) -> dict[str, Any]:
    import pandas as pd

    return pd.read_excel(io.BytesIO(data), sheet_name=None, engine="openpyxl")


def measure_pack(dataset) -> float:
    """Seconds to build the meeting pack (Word) for the latest round's returns, the chart renderer
    already started (a running app has paid its start-up)."""
    import vl_convert

    from views.pack import build_pack

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{"a": 1}]}})
    round_id = max(r.round for r in dataset.returns)
    returns = [r for r in dataset.returns if r.round == round_id]
    started = time.perf_counter()
    build_pack(returns, dataset.rounds, round_id, filters=[f"Round: {round_id}"])
    return time.perf_counter() - started


def measure_export(dataset, repeats: int) -> tuple[float, float, int, list[str]]:
    import pandas as pd

    from exports.workbooks import full_workbook

    notes = []
    returns, rounds = dataset.returns, dataset.rounds
    times = []
    data = b""
    for _ in range(repeats):
        t0 = time.perf_counter()
        data = full_workbook(returns, rounds)
        times.append(time.perf_counter() - t0)
    try:
        frames = _export_frames(returns, rounds)
    except Exception as exc:
        notes.append(f"pandas baseline reads the workbook's sheets back ({exc.__class__.__name__})")
        frames = _frames_from_workbook(data)
    ptimes = []
    for _ in range(repeats):
        buf = io.BytesIO()
        t0 = time.perf_counter()
        with pd.ExcelWriter(buf, engine="openpyxl") as writer:
            for name, df in frames.items():
                df.to_excel(writer, sheet_name=name[:31], index=False)
        ptimes.append(time.perf_counter() - t0)
    return statistics.median(times), statistics.median(ptimes), len(data), notes


# ---------------------------------------------------------------------------
# Saves.


def measure_save_latency(store, dataset, n: int) -> list[float]:
    """Save ``n`` amended returns one after another (round-robin over the open round's authorities)."""
    round_id = max(dataset.rounds)  # the last round is open for submissions
    current = {r.authority: r for r in dataset.returns if r.round == round_id}
    names = sorted(current)
    times = []
    for i in range(n):
        name = names[i % len(names)]
        ret = current[name]
        amended = ret.model_copy(update={"notes": [f"bench save {i}"]})
        t0 = time.perf_counter()
        saved = store.save(amended, based_on=ret.provenance.version, channel="form", submitted_by="bench")
        times.append((time.perf_counter() - t0) * 1000)
        current[name] = saved
    return times


def _concurrent_saver(url: str, round_id: str, authority: str, marker: str, barrier, results) -> None:
    from store import Store
    from store.errors import ConflictError, StorageError

    outcome: dict[str, Any] = {"marker": marker, "authority": authority}
    try:
        store = Store(url)
        ret = store.current(round_id, authority)
        based_on = ret.provenance.version
        amended = ret.model_copy(update={"notes": [marker]})
        barrier.wait(timeout=120)
        try:
            saved = store.save(amended, based_on=based_on, channel="form", submitted_by="bench")
            outcome.update(result="landed", version=saved.provenance.version)
        except ConflictError:
            outcome.update(result="refused")
        except StorageError as exc:
            outcome.update(result="failed", message=str(exc)[:200])
        store.dispose()
    except Exception as exc:
        outcome.update(result="failed", message=f"{exc.__class__.__name__}: {exc}"[:200])
    results.put(outcome)


def measure_concurrent_saves(store, dataset, url: str, n: int = 50) -> SaveResult:
    """``n`` processes save at once: half amend the same return (one should land, the rest be
    refused as conflicts), half amend different returns (all should land). Then every save
    reported as landed is looked up: one missing or holding someone else's answers is lost."""
    round_id = max(dataset.rounds)
    names = sorted({r.authority for r in dataset.returns if r.round == round_id})
    shared = names[0]
    others = names[1:] or names
    targets = [shared if i % 2 == 0 else others[(i // 2) % len(others)] for i in range(n)]
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    barrier = ctx.Barrier(n)
    results = ctx.Queue()
    store.dispose()
    procs = [
        ctx.Process(
            target=_concurrent_saver,
            args=(url, round_id, target, f"bench concurrent save {i}", barrier, results),
        )
        for i, target in enumerate(targets)
    ]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    elapsed = time.perf_counter() - t0
    res = SaveResult(concurrent=n, concurrent_s=elapsed)
    lost: set[str] = set()
    for o in outcomes:
        if o["result"] == "landed":
            res.landed += 1
            # The version it was told it saved must hold its own answers...
            stored = store.version(round_id, o["authority"], o["version"])
            if stored.notes != [o["marker"]]:
                lost.add(o["marker"])
        elif o["result"] == "refused":
            res.refused += 1
        else:
            res.failed += 1
            res.notes.append(o.get("message", "failed"))
    # ... and still be in the return's history once everyone has finished.
    for name in set(targets):
        kept = {m for h in store.history(round_id, name) for m in h.ret.notes}
        for o in outcomes:
            if o["result"] == "landed" and o["authority"] == name and o["marker"] not in kept:
                lost.add(o["marker"])
    res.lost = len(lost)
    return res


# ---------------------------------------------------------------------------
# First render in Chromium.


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


# ---------------------------------------------------------------------------
# In Chromium against `streamlit run app.py`: clicks, concurrent sessions, two servers.


def _browser_missing() -> str | None:
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed"
    if not os.path.exists(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (bash .ci/browser_deps.sh)"
    return None


def _fresh_postgres_schema(base: str) -> tuple[str, Callable[[], None]]:
    """A new schema on the PostgreSQL at ``base``: its URL, and how to drop it."""
    import uuid

    import sqlalchemy as sa

    from store.engine import normalise_url

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(normalise_url(base), poolclass=sa.NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = normalise_url(base).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()

    return url.render_as_string(hide_password=False), drop


def highest_caseload_save(url: str, round_id: str) -> tuple[str, int, Callable[[], None]]:
    """Server A's save for the two-server measure: the first authority (A to Z) with an IRO
    caseload gets a new version whose IRO caseload is above every other in the round.
    Returns the authority, the figure and the save (run later, when server B is watching)."""
    from models.returns import AuthorityReturn
    from store import Store

    store = Store(url)
    try:
        current = [r for r in store.current_returns(round_id) if r.iro is not None and r.iro.caseload]
    finally:
        store.dispose()
    if not current:
        raise RuntimeError(f"no return in {round_id} has an IRO caseload")
    figures = [
        x for r in current for x in (r.iro.caseload.low, r.iro.caseload.high) if isinstance(x, int | float)
    ]
    figure = int(max(figures, default=0)) + 11
    ret = min(current, key=lambda r: r.authority.casefold())
    data = ret.model_dump(mode="json")
    data["iro"]["caseload"].update(
        text=f"IRO average caseload {figure}",
        low=figure,
        high=figure,
        unit="children",
        population="looked_after",
        parts=[],
    )
    amended = AuthorityReturn.model_validate(data)

    def save() -> None:
        s = Store(url)
        try:
            s.save(amended, based_on=ret.provenance.version, channel="form", submitted_by="bench server A")
        finally:
            s.dispose()

    return ret.authority, figure, save


def measure_browser(
    plan: BenchPlan, url: str, round_id: str, pages: list[AppPage], workdir: Path, out: Callable[[str], None]
) -> tuple[ClickResult, ConcurrencyResult, TwoServersResult]:
    clicks, conc, two = ClickResult(), ConcurrencyResult(), TwoServersResult()
    missing = _browser_missing()
    if missing:
        note = f"{missing}: clicks, concurrency and two servers not measured"
        clicks.notes.append(note)
        return clicks, conc, two
    target = next((p for p in pages if p.url_path == "caseloads"), pages[0])
    env = settings.child_environment(DATABASE_URL=url, BENCH_EMPTY_PAGE="1", PYTHONWARNINGS="ignore")
    env.pop("COORDINATOR_SECRET", None)
    try:
        server = start_server(APP, env, workdir / "server-a.log")
    except RuntimeError as exc:
        clicks.notes.append(
            f"the app did not start: clicks, concurrency and two servers not measured: {exc}"[:500]
        )
        _print_clicks(clicks, out)
        return clicks, conc, two
    try:
        out(f"   click to settled in Chromium ({plan.click_repeats} round(s) after a warm-up) ...")
        clicks = measure_clicks(server.url, [p.title for p in pages], plan.click_repeats)
        _print_clicks(clicks, out)
        out(f"   {plan.sessions} sessions clicking {target.title} at once ...")
        conc = measure_concurrency(server, target.title, plan.sessions, plan.alone_runs)
        _print_concurrency(conc, out)
        out("   two servers on one database ...")
        two = _measure_two_servers(plan, url, round_id, target, workdir)
        _print_two_servers(two, out)
    finally:
        server.stop()
    return clicks, conc, two


def _measure_two_servers(plan: BenchPlan, url: str, round_id: str, target: AppPage, workdir: Path):
    drop: Callable[[], None] | None = None
    backend = "SQLite (one file)"
    try:
        if plan.postgres_url:
            url, drop = _fresh_postgres_schema(plan.postgres_url)
            backend = "PostgreSQL"
            store, _ = seed_database(url, plan.authorities, plan.rounds, plan.seed)
            store.dispose()
        authority, figure, save = highest_caseload_save(url, round_id)
        env = settings.child_environment(DATABASE_URL=url, PYTHONWARNINGS="ignore")
        servers = [start_server(APP, env, workdir / f"two-{n}.log") for n in ("a", "b")]
        try:
            two = measure_two_servers(servers[1].url, target.url_path, target.title, save, authority, figure)
        finally:
            for srv in servers:
                srv.stop()
        two.backend = backend
        return two
    except Exception as exc:
        return TwoServersResult(
            backend=backend, notes=[f"not measured: {exc.__class__.__name__}: {exc}"[:300]]
        )
    finally:
        if drop is not None:
            drop()


# ---------------------------------------------------------------------------
# The whole run.


@dataclass
class BenchPlan:
    authorities: int = 153
    rounds: int = 5
    quick: bool = False
    growth: bool = True
    seed: int = 1
    sessions: int = 20
    postgres_url: str | None = None  # the two-server measure's PostgreSQL; SQLite without it
    profile_dir: Path | None = None  # py-spy flame graphs of the page renders go here

    @property
    def sizes(self) -> list[tuple[int, int]]:
        if self.quick or not self.growth:
            return [(self.authorities, self.rounds)]
        small = max(1, round(self.authorities / 10))
        return [(small, self.rounds), (self.authorities, self.rounds), (self.authorities * 10, self.rounds)]

    def page_repeats(self, returns: int) -> int:
        if self.quick:
            return 3
        return 5 if returns > 2000 else 15

    @property
    def export_repeats(self) -> int:
        return 1 if self.quick else 3

    @property
    def save_loop(self) -> int:
        return 30 if self.quick else 200

    @property
    def concurrent(self) -> int:
        return 50

    @property
    def render_runs(self) -> int:
        return 1 if self.quick else 3

    @property
    def click_repeats(self) -> int:
        return 1 if self.quick else 5

    @property
    def alone_runs(self) -> int:
        return 2 if self.quick else 5


def run_bench(plan: BenchPlan, out: Callable[[str], None] = print) -> BenchReport:
    machine = machine_info()
    out(
        f"Machine: {machine['cpus']} CPU(s), {machine['cpu']}, {machine['memory']} memory, "
        f"Python {machine['python']}, {machine['os']}"
    )
    pages = app_pages()
    runnable = [p for p in pages if not p.is_placeholder]
    skipped = [p for p in pages if p.is_placeholder]
    if skipped:
        out("Skipped (still placeholders): " + ", ".join(p.title for p in skipped))
    sizes: list[SizeResult] = []
    main: SizeResult | None = None
    saves = SaveResult()
    first = FirstRender()
    clicks, conc, two = ClickResult(), ConcurrencyResult(), TwoServersResult()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmpdir = Path(tmp)
        for authorities, rounds in plan.sizes:
            out(f"\n== {authorities} authorities × {rounds} rounds")
            size = SizeResult(authorities, rounds, authorities * rounds)
            url = f"sqlite:///{tmpdir / f'returns-{authorities}x{rounds}.db'}"
            t0 = time.perf_counter()
            store, dataset = seed_database(url, authorities, rounds, plan.seed)
            size.seed_s = time.perf_counter() - t0
            size.returns = len(dataset.returns)
            out(f"   seeded {size.returns} returns in {size.seed_s:.1f} s")
            profile = None
            if plan.profile_dir is not None:
                plan.profile_dir.mkdir(parents=True, exist_ok=True)
                profile = plan.profile_dir / f"pages-{authorities}x{rounds}.svg"
            size.empty_ms, size.pages, notes = render_pages(
                runnable, url, plan.page_repeats(size.returns), tmpdir, profile
            )
            if profile is not None:
                out(f"   profile of the page renders (py-spy flame graph): {profile}")
            size.notes += notes
            size.pages += [
                PageTiming(p.title, p.path, None, None, "placeholder: not measured") for p in skipped
            ]
            try:
                size.export_s, size.pandas_s, size.workbook_bytes, notes = measure_export(
                    dataset, plan.export_repeats
                )
                size.notes += notes
            except Exception as exc:
                size.notes.append(f"export not measured: {exc.__class__.__name__}: {exc}"[:300])
            try:
                size.pack_s = measure_pack(dataset)
            except Exception as exc:
                size.notes.append(f"pack not measured: {exc.__class__.__name__}: {exc}"[:300])
            _print_size(size, out)
            if size.pack_s is not None:
                out(f"   meeting pack for the latest round ({authorities} authorities): {size.pack_s:.2f} s")
            sizes.append(size)
            is_main = (authorities, rounds) == (plan.authorities, plan.rounds)
            if is_main:
                main = size
                out("   saves ...")
                saves = SaveResult()
                try:
                    times = measure_save_latency(store, dataset, plan.save_loop)
                    saves.n = len(times)
                    saves.median_ms = statistics.median(times)
                    saves.p95_ms = percentile(times, 95)
                    conc = measure_concurrent_saves(store, dataset, url, plan.concurrent)
                    conc.n, conc.median_ms, conc.p95_ms = saves.n, saves.median_ms, saves.p95_ms
                    saves = conc
                except Exception as exc:
                    saves.notes.append(f"saves not measured: {exc.__class__.__name__}: {exc}"[:300])
                _print_saves(saves, out)
                out("   first render in Chromium ...")
                first = measure_first_render(url, plan.render_runs, tmpdir)
                _print_first(first, out)
                store.dispose()
                clicks, conc, two = measure_browser(plan, url, max(dataset.rounds), runnable, tmpdir, out)
            store.dispose()
    assert main is not None
    report = BenchReport(
        machine=machine,
        sizes=sizes,
        main=main,
        saves=saves,
        first_render=first,
        clicks=clicks,
        concurrency=conc,
        two_servers=two,
    )
    if len(sizes) > 1:
        _print_growth(sizes, out)
    misses = report.misses()
    out("")
    if misses:
        out(f"Targets missed at {main.authorities} × {main.rounds}:")
        for m in misses:
            out(f" - {m}")
    else:
        out(f"Every measured target met at {main.authorities} × {main.rounds}.")
    out(report.summary_line())
    return report


def _print_size(size: SizeResult, out: Callable[[str], None]) -> None:
    for note in size.notes:
        out(f"   note: {note}")
    out(f"   {'Page':<34} {'median ms':>10} {'× empty':>8}  note")
    out(f"   {'(empty page)':<34} {_fmt(size.empty_ms, 1):>10} {'1.00':>8}")
    for p in size.pages:
        flag = " (over target)" if p.ratio is not None and p.ratio > TARGETS["page_ratio"] else ""
        out(f"   {p.title:<34} {_fmt(p.median_ms, 1):>10} {_fmt(p.ratio, 2):>8}  {p.note}{flag}")
    if size.export_s is not None:
        out(
            f"   Export full workbook: {size.export_s:.3f} s ({(size.workbook_bytes or 0) / 1024:.0f} KiB); "
            f"plain pandas to_excel: {size.pandas_s:.3f} s; ratio {_fmt(size.export_ratio, 2)}"
        )


def _print_saves(s: SaveResult, out: Callable[[str], None]) -> None:
    if s.median_ms is not None:
        out(f"   Save latency ({s.n} saves, SQLite): median {s.median_ms:.1f} ms, p95 {s.p95_ms:.1f} ms")
    if s.concurrent:
        out(
            f"   {s.concurrent} concurrent saves from separate processes ({_fmt(s.concurrent_s, 1)} s): "
            f"landed {s.landed}, refused as conflicts {s.refused}, failed {s.failed}, lost {s.lost}"
        )
    for note in s.notes[:5]:
        out(f"   note: {note}")


def _print_first(f: FirstRender, out: Callable[[str], None]) -> None:
    if f.app_s is not None:
        out(
            f"   First render (process start to content, median of {f.runs}): app {f.app_s:.2f} s, "
            f"one-line app {f.one_line_s:.2f} s, ratio {_fmt(f.ratio, 2)}"
        )
    for note in f.notes:
        out(f"   note: {note}")


def _print_clicks(c: ClickResult, out: Callable[[str], None]) -> None:
    for note in c.notes:
        out(f"   note: {note}")
    if c.empty_ms is None:
        return
    out(f"   {'Click to settled (median)':<34} {'ms':>10} {'× empty':>8}  note")
    out(f"   {'(empty page)':<34} {c.empty_ms:>10.0f} {'1.00':>8}")
    for p in c.pages:
        flag = " (over target)" if p.ratio is not None and p.ratio > TARGETS["click_ratio"] else ""
        out(f"   {p.title:<34} {_fmt(p.median_ms, 0):>10} {_fmt(p.ratio, 2):>8}  {p.note}{flag}")


def _print_concurrency(c: ConcurrencyResult, out: Callable[[str], None]) -> None:
    if c.alone_ms is not None and c.p50_ms is not None:
        out(
            f"   {c.page}, click to settled: alone {c.alone_ms:.0f} ms; {c.settled} of {c.sessions} at once "
            f"p50 {c.p50_ms:.0f} ms, p95 {c.p95_ms:.0f} ms ({_fmt(c.p95_ratio, 2)}× alone); "
            f"to the server's last message: alone {_fmt(c.alone_server_ms, 0)} ms, "
            f"p95 {_fmt(c.server_p95_ms, 0)} ms"
        )
    if c.mib_per_session is not None:
        out(
            f"   Server memory (RSS): {c.rss_before_mib:.0f} MiB with one session, "
            f"{c.rss_after_mib:.0f} MiB with {c.sessions + 1}: {c.mib_per_session:.2f} MiB per extra session"
        )
    for note in c.notes:
        out(f"   note: {note}")


def _print_two_servers(t: TwoServersResult, out: Callable[[str], None]) -> None:
    if t.shown:
        out(
            f"   Two servers on {t.backend}: {t.authority}'s save (IRO caseload {t.figure}) shown by "
            f"server B {t.delay_ms:.0f} ms after the save began, on rerun {t.reruns}"
        )
    for note in t.notes:
        out(f"   note: {note}")


def _print_growth(sizes: list[SizeResult], out: Callable[[str], None]) -> None:
    out("\n== Growth (median warm render ms; export s)")
    header = f"   {'':<34}" + "".join(f"{f'{s.authorities}×{s.rounds}':>12}" for s in sizes)
    out(header)
    out(f"   {'returns':<34}" + "".join(f"{s.returns:>12}" for s in sizes))
    out(f"   {'(empty page)':<34}" + "".join(f"{_fmt(s.empty_ms, 1):>12}" for s in sizes))
    for i, p in enumerate(sizes[0].pages):
        cells = []
        for s in sizes:
            q = s.pages[i] if i < len(s.pages) else None
            cells.append(f"{_fmt(q.median_ms if q else None, 1):>12}")
        out(f"   {p.title:<34}" + "".join(cells))
    out(f"   {'export (s)':<34}" + "".join(f"{_fmt(s.export_s, 3):>12}" for s in sizes))


def report_json(report: BenchReport) -> str:
    return json.dumps(asdict(report), indent=2, default=str)
