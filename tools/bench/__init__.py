"""The benchmark behind ``python cli.py bench``: how fast the dashboard is, and how it grows.

It generates synthetic returns (``tools.synthetic``) for N authorities over R rounds, seeds a
temporary SQLite database with them (``data``), and measures:

* **Pages** (``pages``): each page's median *warm* render time through Streamlit's AppTest,
  against an empty page rendered the same way in the same run. The ratio is what counts:
  absolute times depend on the machine.
* **Export and pack** (``files``): the full workbook against writing the same tables with plain
  pandas (openpyxl); the meeting pack for the latest round; one authority's report.
* **Saves** (``saves``): ``Store.save`` latency one after another, and fifty saves at once from
  separate processes: landed, refused as conflicts, or lost (must be none).
* **First render** (``first_render``): from starting ``streamlit run app.py`` to its first page
  in Chromium, against a one-line Streamlit app started the same way.
* On ``streamlit run app.py`` with ``BENCH_EMPTY_PAGE=1`` (``served``):
  - **what each page sends** a new session over Streamlit's protocol (``anatomy``): elements,
    blocks, widgets, messages, bytes, and its warm rerun;
  - **a meeting at once** (``load``, over ``protocol``: no browser): 1, 20 and 50 sessions
    opening Overview, Caseloads and QA inputs at once and then changing a filter, p50 and p95
    against the empty page, the server's CPU per view, memory per extra session held open,
    errors;
  - **click to settled** in Chromium (``browser``): the figure a person feels;
  - **two servers** on one database: a save on A shown by B on its next rerun.
* **Two servers behind the proxy** (``proxy``): the same protocol sessions opening each page at
  once through HAProxy in front of two servers (``deploy/``), against one server alone.

The run (``run``) ends with one line scripts can read (``BenchReport.summary_fields``)::

    bench: worst_page_ratio=R worst_click_ratio=R export_ratio=R save_p95_ms=N lost=N
    first_render_ratio=R proto50_p95_ratio=R proto_cpu_ms=N mem_per_session_mb=N proto_errors=N
    pack_s=S report_s=S proxy50_p95_ratio=R

(on one line). No test asserts a time: ``TARGETS`` are printed, with the ones missed.
"""

from __future__ import annotations

import importlib
from typing import Any

#: What ``from tools.bench import X`` gives, and the module it comes from. Loaded when first asked
#: for, so that ``python -m tools.bench.load`` (or a test of one module) loads only what it needs.
_EXPORTS = {
    "TARGETS": "tools.bench.results",
    "BenchReport": "tools.bench.results",
    "FirstRender": "tools.bench.results",
    "SaveResult": "tools.bench.results",
    "SizeResult": "tools.bench.results",
    "AppPage": "tools.bench.pages",
    "app_pages": "tools.bench.pages",
    "page_worker": "tools.bench.pages",
    "BenchPlan": "tools.bench.run",
    "run_bench": "tools.bench.run",
    "seed_database": "tools.bench.data",
    "_browser_missing": "tools.bench.browser",
    "percentile": "tools.stats",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'tools.bench' has no attribute {name!r}")
