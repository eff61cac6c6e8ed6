"""The benchmark's load client speaks Streamlit's protocol to a running app, with no browser.

Three sessions open each Compare page at once and then choose a model in the sidebar;
every one of them must finish, and what they received must look like the page a person sees.
No time is asserted: speed is what ``cli.py bench`` reports, not what a test checks.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

from tools.bench.load import EMPTY_TITLE, measure, report_lines, summary_fields
from tools.bench.protocol import Session, check_loopback
from tools.serving import Server, start_server

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["Overview", "Caseloads", "Quality assurance inputs"]


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[Server]:
    """``streamlit run app.py`` on loopback with the empty page added, on a fresh SQLite database
    (the app seeds it from survey_data/ when it starts)."""
    workdir = tmp_path_factory.mktemp("protocol")
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{workdir / 'returns.db'}",
        BENCH_EMPTY_PAGE="1",
        PYTHONWARNINGS="ignore",
    )
    env.pop("COORDINATOR_SECRET", None)
    server = start_server(ROOT / "app.py", env, workdir / "server.log")
    yield server
    server.stop()


def test_three_sessions_open_each_page_and_change_a_filter_and_every_one_finishes(app):
    lines: list[str] = []
    # The survey data has one questionnaire round, so the filter changed is the model (the
    # benchmark's synthetic data changes the round).
    res = measure(
        app.url,
        PAGES,
        pid=app.process.pid,
        counts=[3],
        single_repeats=1,
        held=2,
        change=("Model", 0),
        out=lines.append,
    )
    report = "\n".join(lines + report_lines(res))
    assert not res.notes, report
    assert [p.title for p in res.pages] == PAGES
    assert res.errors == 0, report
    assert res.views == 4 * 2 * 3  # the empty page and three pages, opened then changed, by 3 sessions
    empty_open = res.empty.wave("open", 3)
    assert len(empty_open.ok) == 3
    for view in empty_open.ok:  # the title alone (and the print styles every page has)
        assert view.kinds["heading"] == 1 and view.elements <= 3 and view.widgets == 0, view
    for page in res.pages:
        opened, changed = page.wave("open", 3), page.wave("change", 3)
        assert len(opened.ok) == 3 and len(changed.ok) == 3, report
        for view in opened.ok:
            # The sidebar's filters are widgets the session now holds a value for, and the page
            # sent much more than the empty page did.
            assert view.widgets >= 4 and view.elements > 10, (page.title, view)
            assert view.bytes > 5 * max(v.bytes for v in empty_open.ok), (page.title, view)
            assert 0 < view.messages < 2000
        for view in changed.ok:
            # Choosing a model puts it in the page's link, as a person sees.
            assert "model=" in view.query, (page.title, view)
        assert opened.cpu_s is not None and opened.cpu_s >= 0
        assert opened.p50_ms <= opened.p95_ms
    assert res.mib_per_session is not None and 0 <= res.mib_per_session < 50, report
    # Every figure goes into `cli.py bench --json` as it is.
    assert json.loads(json.dumps(asdict(res)))["pages"][0]["title"] == "Overview"
    fields = dict(summary_fields(res))
    assert fields["proto_errors"] == "0"
    # With three sessions the line reports the largest count measured.
    assert fields["proto50_p95_ratio"] != "nan" and float(fields["proto50_p95_ratio"]) > 0
    assert fields["proto_cpu_ms"] != "nan"


def test_a_session_reads_the_navigation_and_a_missing_widget_is_an_error_not_a_crash(app):
    from tools.bench import aio

    async def go():
        s = Session(app.url)
        try:
            first = await s.open("caseloads")
            missing = await s.change("No such filter", 1)
            no_option = await s.change("Survey round", 99)
            again = await s.rerun()
            return s, first, missing, no_option, again
        finally:
            await s.close()

    session, first, missing, no_option, again = aio.run(go())
    assert first.ok and again.ok
    assert EMPTY_TITLE in session.pages and all(title in session.pages for title in PAGES)
    assert session.pages["Caseloads"] == "caseloads"
    assert session.option_count("Survey round") >= 1
    assert not missing.ok and "No such filter" in missing.error
    assert not no_option.ok and "no option 100" in no_option.error
    # The rerun sent the hashes of the charts and tables the session holds: the server sent
    # references to them instead of the same bytes again.
    assert again.cached > 0 and again.bytes < first.bytes


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8501", True),
        ("http://localhost:8501", True),
        ("http://[::1]:8501", True),
        ("http://example.org:8501", False),  # never another host
        ("http://10.0.0.1:8501", False),
        ("https://127.0.0.1:8501", True),  # the proxy in front of two servers speaks TLS on loopback
        ("ftp://127.0.0.1:8501", False),
        ("https://example.org:443", False),
        ("http://127.0.0.1", False),  # no port: not a local Streamlit server
    ],
)
def test_the_client_talks_only_to_loopback(url, allowed):
    if allowed:
        check_loopback(url)
        Session(url)
    else:
        with pytest.raises(ValueError, match="local server"):
            Session(url)
        with pytest.raises(ValueError):
            measure(url, PAGES)
