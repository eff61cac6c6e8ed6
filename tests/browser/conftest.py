"""Fixtures for the end-to-end tests: the app under ``streamlit run`` and Debian's Chromium.

The server is started once per test session on a free loopback port, with a fresh
SQLite database in a temporary folder (the app seeds it from ``survey_data/`` on
first start). Playwright drives the Chromium that ``.ci/browser_deps.sh`` installs
from Debian's packages: no browser is downloaded.

Without Chromium or Playwright the browser tests are skipped with the reason,
except when ``REQUIRE_BROWSER=1`` (as in CI), where they fail instead.

Set ``SAVE_SCREENSHOTS=docs/screenshots`` to also copy each page's screenshot
there (the tests always save them into pytest's temporary folder).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from config import settings
from tools.serving import Server, start_server

from .browser_helpers import RENDER_TIMEOUT_MS, ROOT, wait_for_render

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: A council laptop.
LAPTOP = {"width": 1366, "height": 768}
COORDINATOR_SECRET = "browser-test-coordinator-secret"
SERVER_START_TIMEOUT = 60.0


@dataclass
class AppServer:
    url: str
    database_url: str
    env: dict
    server: Server

    @property
    def process(self):
        return self.server.process

    @property
    def log(self) -> Path:
        return self.server.log

    def log_text(self) -> str:
        return self.server.log_text()


def start_app(script: str | Path, workdir: Path, env_extra: dict | None = None) -> AppServer:
    """``streamlit run SCRIPT`` from the project on a free port, on a fresh SQLite database in ``workdir``."""
    database_url = f"sqlite:///{workdir / 'returns.db'}"
    env = settings.child_environment(
        DATABASE_URL=database_url,
        COORDINATOR_SECRET=COORDINATOR_SECRET,
        PYTHONUNBUFFERED="1",
        **(env_extra or {}),
    )
    server = start_server(script, env, workdir / "streamlit.log", timeout=SERVER_START_TIMEOUT)
    return AppServer(url=server.url, database_url=database_url, env=env, server=server)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def app_server(browser_required, tmp_path_factory) -> AppServer:
    """``streamlit run app.py`` on a free loopback port, with a fresh database."""
    workdir = tmp_path_factory.mktemp("app")
    server = start_app("app.py", workdir)
    yield server
    stop(server.process)


@pytest.fixture(scope="session")
def browser_context(chromium):
    """One laptop-sized browser profile for the session, so the app's scripts are cached once."""
    context = chromium.new_context(viewport=LAPTOP, accept_downloads=True, locale="en-GB")
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(browser_context, app_server):
    """A fresh tab (a new Streamlit session) on the app's default page, fully rendered."""
    tab = browser_context.new_page()
    tab.goto(app_server.url)
    wait_for_render(tab)
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")
