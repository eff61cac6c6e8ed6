"""Shared fixtures. Keep this small and generic: synthetic data only.

``store`` is a fresh, empty returns database: a SQLite file always, and
PostgreSQL too when ``TEST_DATABASE_URL`` is set (each test gets its own
schema there). Start a throwaway server with ``eval "$(bash .ci/postgres.sh start)"``.
With ``REQUIRE_POSTGRES=1`` (CI) a missing ``TEST_DATABASE_URL`` is an error, not a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from models.returns import AuthorityReturn, SurveyRound
from store import Store
from store.engine import normalise_url

FAKE_ROUND = "fake-round"


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not url and os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set (see .ci/postgres.sh).")
    return url or None


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty database: SQLite, then PostgreSQL (skipped without TEST_DATABASE_URL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'returns.db'}"
        return
    base = _postgres_url()
    if base is None:
        pytest.skip('PostgreSQL tests need TEST_DATABASE_URL (eval "$(bash .ci/postgres.sh start)").')
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(normalise_url(base), poolclass=sa.NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = normalise_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """An empty Store on each backend, with the synthetic round ``fake-round`` open."""
    s = Store(database_url)
    s.ensure_schema()
    s.add_round(fake_round())
    try:
        yield s
    finally:
        s.dispose()


def fake_round(round_id: str = FAKE_ROUND, *, is_open: bool = True) -> SurveyRound:
    return SurveyRound(
        id=round_id,
        title="A synthetic round for tests",
        source="synthetic",
        kind="questionnaire",
        open_for_submissions=is_open,
    )


def fake_return(authority: str = "Northshire", round_id: str = FAKE_ROUND, **changes: Any) -> AuthorityReturn:
    """A complete, valid synthetic return; ``changes`` override top-level fields."""
    data: dict[str, Any] = {
        "authority": authority,
        "round": round_id,
        "combined_role": False,
        "iro": {
            "caseload": {"text": "About 60 children", "low": 60, "high": 60, "unit": "children"},
            "expectations": "Chair reviews.",
            "quality_inputs": "Midway reviews.",
            "impact": "Audit findings.",
            "qa_activities": ["midway_review"],
            "impact_evidence": ["audit_findings"],
        },
        "cp_chair": {
            "caseload": {"text": "40-50 families", "low": 40, "high": 50, "unit": "families"},
            "expectations": "Chair conferences.",
            "quality_inputs": "A QA form after each conference.",
            "impact": "Feedback from parents.",
            "qa_activities": ["post_meeting_qa_form"],
            "impact_evidence": ["service_user_feedback"],
        },
        "provenance": {"source": "synthetic"},
    }
    data.update(changes)
    return AuthorityReturn.model_validate(data, context={"require_answers": True})


@pytest.fixture
def make_return() -> Callable[..., AuthorityReturn]:
    """``make_return("Eastshire", combined_role=True, cp_chair=None)``: a synthetic return."""
    return fake_return


@pytest.fixture(autouse=True, scope="session")
def _app_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Pages rendered by AppTest use a throwaway database, never the developer's var/returns.db."""
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('app-db') / 'returns.db'}"
    yield
    if old is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = old


@pytest.fixture(autouse=True)
def _keep_main_module() -> Iterator[None]:
    """AppTest replaces ``sys.modules["__main__"]`` with the page script it ran; put it back.

    Otherwise a later test that starts processes with multiprocessing's "spawn"
    would re-run that page script in each child.
    """
    import sys

    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main


# ---------------------------------------------------------------------------
# The browser, one for the whole run: the browser tests (tests/browser/) and the deployment tests
# (tests/deployment/) share it, since Playwright drives one browser per thread.


def _missing_browser_reason() -> str | None:
    from tools.serving import CHROMIUM

    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright)"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium is not installed at {CHROMIUM} (run: bash .ci/browser_deps.sh)"
    return None


@pytest.fixture(scope="session")
def browser_required():
    """Skip (or, with REQUIRE_BROWSER=1, fail) when there is no browser to drive."""
    reason = _missing_browser_reason()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium(browser_required):
    from playwright.sync_api import sync_playwright

    from tools.serving import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
