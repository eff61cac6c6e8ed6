"""Sign-in end to end: a real OpenID Connect provider (oidc-provider-mock) on loopback, st.login, Chromium.

The app runs from a temporary folder holding a generated ``.streamlit/secrets.toml``
(``VIEW_ACCESS = "members"`` and an ``[auth]`` section pointing at the mock provider)
and a main script that puts ``ui.auth``'s gate in front of the real Overview page, as
``app.py`` will. Kent's domain is linked to Kent in the app's database before it starts.
"""

from __future__ import annotations

import os
import subprocess
import textwrap

import pytest

from dashboard.storage import Store, open_store
from tools.serving import free_port, streamlit_command

from .browser_helpers import ROOT, axe_violations, main_area, sidebar, wait_for_render
from .conftest import stop, wait_for_health

LEAD = "lead@kent.gov.uk"
STRANGER = "someone@example.org"


@pytest.fixture(scope="module")
def provider():
    """The mock provider on a free loopback port, with two one-click users (verified emails)."""
    oidc = pytest.importorskip("oidc_provider_mock")
    users = [
        oidc.User(sub=LEAD, claims={"email": LEAD, "email_verified": True, "name": "Kent lead"}),
        oidc.User(sub=STRANGER, claims={"email": STRANGER, "email_verified": True, "name": "Someone"}),
    ]
    with oidc.run_server_in_thread(port=free_port(), user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def signed_app(browser_required, provider, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("signin-app")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    database_url = f"sqlite:///{workdir / 'returns.db'}"
    store = open_store(database_url)
    store.add_domain("kent.gov.uk", "Kent", who="test set-up")
    store.dispose()
    (workdir / ".streamlit").mkdir()
    (workdir / ".streamlit" / "secrets.toml").write_text(
        textwrap.dedent(
            f"""\
            VIEW_ACCESS = "members"

            [auth]
            redirect_uri = "{url}/oauth2callback"
            cookie_secret = "a-cookie-secret-for-the-browser-test-only"
            client_id = "dashboard"
            client_secret = "dashboard-secret"
            server_metadata_url = "{provider}/.well-known/openid-configuration"
            """
        ),
        encoding="utf-8",
    )
    script = workdir / "signin_app.py"
    script.write_text(
        textwrap.dedent(
            f"""\
            import sys

            sys.path.insert(0, {str(ROOT)!r})
            import streamlit as st

            st.set_page_config(page_title="IRO and CP chair benchmarking", layout="wide")
            from ui.auth import sidebar_identity, sign_in_gate

            who = sign_in_gate()
            sidebar_identity(who)
            st.navigation([st.Page({str(ROOT / "pages" / "overview.py")!r}, title="Overview", default=True)]).run()
            """
        ),
        encoding="utf-8",
    )
    env = dict(os.environ)
    env.update({"DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"})
    for name in ("VIEW_ACCESS", "COORDINATOR_SECRET"):
        env.pop(name, None)
    log = workdir / "streamlit.log"
    process = subprocess.Popen(
        [*streamlit_command(script, port), "--server.fileWatcherType", "none"],
        cwd=workdir,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    try:
        wait_for_health(url, process, log)
        yield url, database_url, log
    finally:
        stop(process)


@pytest.fixture
def tab(chromium):
    """A fresh browser profile per test: no cookie carried over."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="en-GB")
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()


def _sign_in(tab, url: str, who: str) -> None:
    tab.goto(url)
    wait_for_render(tab)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url("**/oauth2/authorize**")
    tab.get_by_role("button", name=who, exact=True).click()
    tab.wait_for_url(f"{url}/**")
    wait_for_render(tab)


def test_a_visitor_sees_only_the_sign_in_page(signed_app, tab):
    url, _, _ = signed_app
    tab.goto(url)
    wait_for_render(tab)
    main = main_area(tab)
    assert main.get_by_role("heading", name="Sign in to see the returns").is_visible()
    text = main.inner_text()
    assert "Kent" not in text and "Every return" not in text
    assert tab.locator('[data-testid="stDataFrame"], [data-testid="stDownloadButton"]').count() == 0
    assert tab.locator('[data-testid="stSidebarNav"]').count() == 0
    assert axe_violations(tab) == []


def test_a_signed_in_lead_sees_the_overview_and_can_sign_out(signed_app, tab):
    url, _, log = signed_app
    _sign_in(tab, url, LEAD)
    main = main_area(tab)
    assert main.get_by_role("heading", name="Overview").is_visible(), log.read_text()[-3000:]
    assert main.get_by_role("heading", name="Every return").is_visible()
    assert "Lead for Kent" in sidebar(tab).inner_text()
    sidebar(tab).get_by_role("button", name="Sign out").click()
    # Streamlit clears its cookie, then asks the provider to end its session too.
    tab.wait_for_url("**/oauth2/end_session**")
    tab.get_by_role("button", name="End session").click()
    tab.wait_for_url(f"{url}/**")
    wait_for_render(tab)
    assert main_area(tab).get_by_role("heading", name="Sign in to see the returns").is_visible()
    assert "Every return" not in main_area(tab).inner_text()


def test_an_unlinked_account_is_told_so_and_sees_no_data(signed_app, tab):
    url, database_url, _ = signed_app
    _sign_in(tab, url, STRANGER)
    text = main_area(tab).inner_text()
    assert "Your account (domain example.org) is not linked to any authority." in text.replace("\u2060", "")
    assert "Every return" not in text
    store = Store(database_url)
    refused = [
        e.who for e in __import__("dashboard.audit").audit.entries(store) if e.action == "sign_in_refused"
    ]
    store.dispose()
    assert refused == [STRANGER]


def test_a_tampered_session_cookie_gets_the_sign_in_page(signed_app, tab):
    url, _, _ = signed_app
    _sign_in(tab, url, LEAD)
    cookies = tab.context.cookies()
    auth = [c for c in cookies if c["name"].startswith("_streamlit_user")]
    assert auth, [c["name"] for c in cookies]
    tab.context.clear_cookies()
    tab.context.add_cookies([{**c, "value": c["value"][:-6] + "AAAAAA"} for c in auth])
    tab.goto(url)
    wait_for_render(tab)
    assert main_area(tab).get_by_role("heading", name="Sign in to see the returns").is_visible()
