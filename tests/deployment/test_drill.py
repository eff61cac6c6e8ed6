"""The restore drill: fill a database through the app, back it up while the app runs, destroy it,
restore it into a fresh database of the other backend, and check that every version, audit entry and
setting is identical and that the app shows the same pages. Then back again.

Filled through the app's own doors: sign-ins in Chromium (a lead who saves their return, a stranger
who is refused), and the command line for a round, a code, a wrong code, a domain and a coordinator.
Needs PostgreSQL and Chromium; no proxy (one server is enough for a drill).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.run import ROOT, Stack, deployment_env
from store.backup import contents
from store.backup_file import describe_counts
from tests.browser.browser_helpers import expect, main_area, sidebar, wait_for_render

from .conftest import COORDINATOR, LEAD, STRANGER, fresh_schema, write_secrets
from .test_proxy import open_in_sidebar, save_expectations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

PAGES = ("Overview", "Caseloads", "Change between rounds", "Search answers", "Coordinator")


def cli(database_url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=database_url)
    return subprocess.run(
        [sys.executable, "cli.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, input=stdin
    )


def one_server(run_dir: Path, database_url: str, provider: str) -> Stack:
    env = deployment_env(
        run_dir, {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VIEW_ACCESS")}
    )
    env.update(DATABASE_URL=database_url, IRO_CERT="not used")
    url = f"http://127.0.0.1:{env['APP1_PORT']}"
    secrets = write_secrets(run_dir / "secrets", url, provider)
    env["STREAMLIT_SECRETS_FILES"] = str(secrets)
    stack = Stack(env, run_dir)
    stack.start("app1")
    return stack


def page_texts(chromium, url: str) -> dict[str, str]:
    """What the coordinator sees on each page."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="en-GB")
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        sign_in(page, url, COORDINATOR)
        out = {}
        for title in PAGES:
            open_in_sidebar(page, title)
            out[title] = main_area(page).inner_text()
        return out
    finally:
        context.close()


def fill_through_the_app(chromium, url: str, database_url: str, tmp_path: Path) -> None:
    deadline = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    for args in (
        ("domain", "add", "kent.gov.uk", "--authority", "Kent"),
        ("coordinator", "add", COORDINATOR),
        (
            "round",
            "create",
            "south-east-2027",
            "--title",
            "South East survey 2027",
            "--group",
            "south-east",
            "--deadline",
            deadline,
        ),
        ("issue-code", "Medway", "--round", "south-east-2027"),
        (
            "template",
            "--out",
            str(tmp_path / "medway.xlsx"),
            "--authority",
            "Medway",
            "--round",
            "south-east-2027",
        ),
    ):
        done = cli(database_url, *args)
        assert done.returncode == 0, done.stdout + done.stderr
    wrong = cli(
        database_url,
        "import",
        str(tmp_path / "medway.xlsx"),
        "--authority",
        "Medway",
        "--round",
        "south-east-2027",
        "--code",
        "AAAA-BBBB-CCCC",
    )
    assert wrong.returncode != 0
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="en-GB")
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        sign_in(page, url, LEAD)
        open_in_sidebar(page, "Submit or amend a return")
        main_area(page).get_by_role("button", name="Open Kent's return").click()
        wait_for_render(page)
        assert save_expectations(page, "Drill: IROs meet every child before each review.") == 1
        sidebar(page).get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/oauth2/end_session**")
        context.clear_cookies()
        sign_in(page, url, STRANGER)
        expect(main_area(page).get_by_text("is not linked to any authority")).to_be_visible()
    finally:
        context.close()


def _settle(texts: dict[str, str]) -> dict[str, str]:
    return {k: " ".join(v.split()) for k, v in texts.items()}


def test_the_restore_drill(browser_required, chromium, oidc_provider, tmp_path):
    sqlite_file = tmp_path / "returns.db"
    sqlite_url = f"sqlite:///{sqlite_file}"
    first = one_server(tmp_path / "first", sqlite_url, oidc_provider)
    try:
        url = first.server_url("app1")
        fill_through_the_app(chromium, url, sqlite_url, tmp_path)
        before = contents(sqlite_url)
        pages_before = page_texts(chromium, url)
        # Backed up while the app runs.
        done = cli(sqlite_url, "backup", "--out", str(tmp_path / "drill.iro-backup"))
        assert done.returncode == 0, done.stdout
    finally:
        first.stop_all()
    for suffix in ("", "-wal", "-shm"):  # destroyed
        Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)

    counts = {name: len(rows) for name, rows in before.items() if name != "alembic_version"}
    assert counts["return_versions"] >= 14 and counts["round_settings"] == 1
    actions = {row[3] for row in before["audit_log"]}  # (id, at, who, action, ...)
    assert {
        "return_saved",
        "code_issued",
        "code_refused",
        "sign_in_refused",
        "round_added",
        "domain_added",
    } <= actions

    with fresh_schema("drill") as pg_url:
        done = cli(pg_url, "restore", str(tmp_path / "drill.iro-backup"))
        assert done.returncode == 0, done.stdout
        after = contents(pg_url)
        assert after == before  # every row of every table, exactly
        second = one_server(tmp_path / "second", pg_url, oidc_provider)
        try:
            pages_after = page_texts(chromium, second.server_url("app1"))
        finally:
            second.stop_all()
        assert _settle(pages_after) == _settle(pages_before)
        assert "Every return" in pages_after["Overview"] and "Kent" in pages_after["Caseloads"]
        assert (
            "Audit log" in pages_after["Coordinator"]
            and "Members and their state" in pages_after["Coordinator"]
        )

        # ... and back: PostgreSQL to a new SQLite file.
        done = cli(pg_url, "backup", "--out", str(tmp_path / "drill-from-postgres.iro-backup"))
        assert done.returncode == 0, done.stdout
    back = f"sqlite:///{tmp_path / 'back.db'}"
    done = cli(back, "restore", str(tmp_path / "drill-from-postgres.iro-backup"))
    assert done.returncode == 0, done.stdout
    assert contents(back) == before
    print(f"drill: {describe_counts(counts)}; identical after SQLite → PostgreSQL → SQLite")
