"""Each page's warm render through Streamlit's AppTest, against an empty page, in a worker process.

Pages are rendered in a separate process for each size, with ``DATABASE_URL`` pointing at that
size's database, so caches never mix sizes. That worker is the only code of the benchmark that
runs Streamlit in-process (its test harness). Pages are found by reading app.py's navigation
(``app_pages``), never by importing them.
"""

from __future__ import annotations

import ast
import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config import settings

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
PLACEHOLDER_MARK = "This page is being built."


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


@dataclass
class PageTiming:
    title: str
    path: str
    median_ms: float | None
    ratio: float | None
    note: str = ""


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
