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

The run (``run``) ends with one line scripts can read (``BenchReport.summary_fields``)::

    bench: worst_page_ratio=R worst_click_ratio=R export_ratio=R save_p95_ms=N lost=N
    first_render_ratio=R proto50_p95_ratio=R proto_cpu_ms=N mem_per_session_mb=N proto_errors=N
    pack_s=S report_s=S

(on one line). No test asserts a time: ``TARGETS`` are printed, with the ones missed.
"""

from __future__ import annotations

from tools.bench.browser import _browser_missing
from tools.bench.data import seed_database
from tools.bench.pages import AppPage, app_pages, page_worker
from tools.bench.results import TARGETS, BenchReport, FirstRender, SaveResult, SizeResult
from tools.bench.run import BenchPlan, run_bench
from tools.stats import percentile

__all__ = [
    "TARGETS",
    "AppPage",
    "BenchPlan",
    "BenchReport",
    "FirstRender",
    "SaveResult",
    "SizeResult",
    "_browser_missing",
    "app_pages",
    "page_worker",
    "percentile",
    "run_bench",
    "seed_database",
]
