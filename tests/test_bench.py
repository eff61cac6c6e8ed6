"""The benchmark runs end to end at a tiny size and ends with the line scripts read.

No timing is asserted here: speed is what the benchmark reports, not what tests check.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tools.bench import AppPage, _browser_missing, app_pages
from tools.bench.proxy import _proxy_missing
from tools.stats import percentile

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(
    r"^bench: worst_page_ratio=(?P<page>\S+) worst_click_ratio=(?P<click>\S+) export_ratio=(?P<export>\S+) "
    r"save_p95_ms=(?P<save>\S+) lost=(?P<lost>\d+) first_render_ratio=(?P<first>\S+) "
    r"proto50_p95_ratio=(?P<proto>\S+) proto_cpu_ms=(?P<cpu>\S+) mem_per_session_mb=(?P<mem>\S+) "
    r"proto_errors=(?P<errors>\d+) pack_s=(?P<pack>\S+) report_s=(?P<report>\S+) "
    r"proxy50_p95_ratio=(?P<proxy>\S+)$"
)


def test_quick_bench_prints_the_table_and_ends_with_the_summary_line():
    # Two protocol sessions at once instead of fifty: CI runs this, and only the line's shape is checked.
    proc = subprocess.run(
        [
            sys.executable,
            "cli.py",
            "bench",
            "--quick",
            "--authorities",
            "3",
            "--rounds",
            "1",
            "--sessions",
            "2",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.strip().splitlines()
    match = SUMMARY.match(lines[-1])
    assert match, f"last line is not the summary line: {lines[-1]!r}"
    assert match["lost"] == "0"  # no concurrent save was lost
    # Over Streamlit's protocol, with no browser: every session finished and was measured.
    assert match["errors"] == "0", proc.stdout[-3000:]
    assert match["proto"] != "nan" and match["cpu"] != "nan" and match["mem"] != "nan", proc.stdout[-3000:]
    assert "page (one session, warm)" in proc.stdout  # what each page sends
    assert match["report"] != "nan" and "one authority's report" in proc.stdout, proc.stdout[-3000:]
    if _browser_missing() is None:
        # In Chromium: every page clicked, server B shown server A's save.
        assert match["click"] != "nan", proc.stdout[-3000:]
        assert "Click to settled (median)" in proc.stdout
        assert "shown by server B" in proc.stdout, proc.stdout[-3000:]
    if _proxy_missing() is None:
        # Through HAProxy, in front of two servers: every session finished, the ratio measured.
        assert match["proxy"] != "nan", proc.stdout[-3000:]
        assert "The proxy's spread" in proc.stdout
    assert "3 authorities × 1 rounds" in proc.stdout
    assert "(empty page)" in proc.stdout
    assert "50 concurrent saves" in proc.stdout
    assert "Export full workbook" in proc.stdout
    # Every page in the navigation has a row, measured or marked as a placeholder.
    for page in app_pages():
        assert page.title in proc.stdout


def test_pages_come_from_the_app_navigation():
    pages = app_pages()
    assert pages[0] == AppPage("pages/overview.py", "Overview", "Compare")
    assert {p.section for p in pages} == {"Compare", "Submit", "Export"}
    assert all((ROOT / p.path).is_file() for p in pages)


def test_percentile_between_closest_ranks():
    # (values, q, expected)
    cases = [
        ([5.0], 95, 5.0),  # one value is every percentile
        ([1.0, 2.0, 3.0, 4.0, 5.0], 50, 3.0),  # the median
        ([1.0, 2.0, 3.0, 4.0, 5.0], 100, 5.0),  # the largest
        (list(map(float, range(1, 101))), 95, 95.05),  # between 95 and 96
    ]
    for values, q, expected in cases:
        assert abs(percentile(values, q) - expected) < 1e-9, (values, q)


def test_a_measure_not_taken_shows_as_nan_in_the_summary_line():
    from tools.bench import BenchReport, FirstRender, SaveResult, SizeResult

    report = BenchReport(
        machine={}, sizes=[], main=SizeResult(1, 1, 1), saves=SaveResult(), first_render=FirstRender()
    )
    match = SUMMARY.match(report.summary_line())
    assert match, report.summary_line()
    assert match["click"] == "nan" and match["proto"] == "nan" and match["lost"] == "0"
