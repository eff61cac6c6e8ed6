"""Two app servers on one PostgreSQL, the way a hosted deployment scales out: a save made through
server A is shown by server B on its next rerun.

Needs PostgreSQL (``TEST_DATABASE_URL``; with ``REQUIRE_POSTGRES=1``, as in CI, a missing one is a
failure, not a skip) and Chromium. Each test gets its own schema, seeded from survey_data/.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator

import pytest

from tools.serving import Server, start_server

from .browser_helpers import ROOT, expect, grid_rows, main_area, open_page, wait_for_render
from .conftest import LAPTOP

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

QUESTIONNAIRE = "seslip-qa-june"
TABLE = "Table of IRO caseloads"


@pytest.fixture
def shared_database() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL, seeded from survey_data/ (dropped afterwards)."""
    import sqlalchemy as sa

    from store import open_store
    from store.engine import normalise_url

    base = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not base:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set (see .ci/postgres.sh).")
        pytest.skip(
            'Two servers on one PostgreSQL need TEST_DATABASE_URL (eval "$(bash .ci/postgres.sh start)").'
        )
    schema = f"two_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(normalise_url(base), poolclass=sa.NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = normalise_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    url = url.render_as_string(hide_password=False)
    try:
        open_store(url).dispose()  # seeded once here, so the two servers start on the same returns
        yield url
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def two_servers(browser_required, shared_database, tmp_path) -> Iterator[tuple[Server, Server]]:
    env = dict(os.environ, DATABASE_URL=shared_database, PYTHONUNBUFFERED="1")
    env.pop("SURVEY_DATA_DIR", None)
    servers: list[Server] = []
    try:
        for name in ("a", "b"):
            servers.append(start_server(ROOT / "app.py", env, tmp_path / f"server-{name}.log"))
        yield servers[0], servers[1]
    finally:
        for server in servers:
            server.stop()


def kent_row(page) -> list[str]:
    """Kent's row in the Caseloads page's IRO table (opening the table if it is closed)."""
    expander = main_area(page).locator('[data-testid="stExpander"]').filter(has_text=TABLE).first
    grid = expander.locator('[data-testid="stDataFrame"]')
    if not grid.is_visible():
        expander.get_by_text(TABLE).click()
    expect(grid).to_be_visible()
    return next(row for row in grid_rows(grid) if row and row[0] == "Kent")


def save_through_server_a(database_url: str) -> None:
    """Kent's lead saves a new version with a new IRO caseload: the save server A's form makes."""
    from store import Store

    store = Store(database_url)
    try:
        kent = store.current(QUESTIONNAIRE, "Kent")
        amended = kent.model_copy(deep=True)
        amended.iro.caseload.text = "IRO average caseload 58"
        amended.iro.caseload.low = amended.iro.caseload.high = 58
        saved = store.save(
            amended, based_on=kent.provenance.version, channel="form", submitted_by="Kent lead"
        )
        assert saved.provenance.version == kent.provenance.version + 1
    finally:
        store.dispose()


def test_a_save_through_one_server_is_shown_by_the_other_on_its_next_rerun(
    chromium, two_servers, shared_database
):
    server_a, server_b = two_servers
    context = chromium.new_context(viewport=LAPTOP, locale="en-GB")
    try:
        page_a, page_b = context.new_page(), context.new_page()
        for page, server in ((page_a, server_a), (page_b, server_b)):
            page.goto(server.url)
            wait_for_render(page)
            open_page(page, "Caseloads")
        # Both servers have read the returns and show Kent's caseload as it was.
        before = kent_row(page_b)
        assert "IRO average case load 65 (since 01/04/20)" in before
        assert "IRO average caseload 58" not in before
        assert "IRO average case load 65 (since 01/04/20)" in kent_row(page_a)

        save_through_server_a(shared_database)

        # Server B's next rerun (clicking the page again in its sidebar) shows the new figure. The grid
        # redraws a moment after the rerun ends: read it until it settles (at most 15 s), no further rerun.
        open_page(page_b, "Caseloads")
        deadline = time.monotonic() + 15
        after = kent_row(page_b)
        while "IRO average caseload 58" not in after and time.monotonic() < deadline:
            page_b.wait_for_timeout(250)
            after = kent_row(page_b)
        assert "IRO average caseload 58" in after
        assert "58 cases" in after  # the chart table's figure, as its own cell
        assert "IRO average case load 65 (since 01/04/20)" not in after
    finally:
        context.close()
