"""Sign-in end to end: a real OpenID Connect provider (oidc-provider-mock) on loopback, st.login, Chromium.

The app runs from a temporary folder holding a generated ``.streamlit/secrets.toml``
(``VIEW_ACCESS = "members"`` and an ``[auth]`` section pointing at the mock provider)
and a main script that puts ``ui.auth``'s gate in front of the real Overview, Submit and
Coordinator pages, as ``app.py`` does. Kent's and Medway's domains are linked in the app's
database before it starts.
"""

from __future__ import annotations

import os
import re
import textwrap
import uuid

import pytest
import sqlalchemy as sa

from config import settings
from store import Store, open_store
from store.engine import normalise_url
from tools.serving import free_port, start_server

from .browser_helpers import ROOT, axe_violations, expect, main_area, sidebar, wait_for_render
from .conftest import stop

LEAD = "lead@kent.gov.uk"
MEMBER = "member@medway.gov.uk"
COORDINATOR = "coordinator@seslip.example"
STRANGER = "someone@example.org"
QUESTIONNAIRE = "seslip-qa-june"
SUBMIT = "Submit or amend a return"


@pytest.fixture(scope="module")
def provider():
    """The mock provider on a free loopback port, with two one-click users (verified emails)."""
    oidc = pytest.importorskip("oidc_provider_mock")
    users = [
        oidc.User(sub=LEAD, claims={"email": LEAD, "email_verified": True, "name": "Kent lead"}),
        oidc.User(sub=MEMBER, claims={"email": MEMBER, "email_verified": True, "name": "Medway member"}),
        oidc.User(
            sub=COORDINATOR, claims={"email": COORDINATOR, "email_verified": True, "name": "Coordinator"}
        ),
        oidc.User(sub=STRANGER, claims={"email": STRANGER, "email_verified": True, "name": "Someone"}),
    ]
    with oidc.run_server_in_thread(port=free_port(), user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


def _start_signed_app(workdir, provider: str, database_url: str, port: int | None = None):
    """The app (the sign-in gate in front of the Overview, Submit and Coordinator pages) from ``workdir`` with a generated secrets.toml."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    (workdir / ".streamlit").mkdir(parents=True, exist_ok=True)
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
            st.navigation(
                [
                    st.Page({str(ROOT / "pages" / "overview.py")!r}, title="Overview", default=True),
                    st.Page({str(ROOT / "pages" / "submit.py")!r}, title={SUBMIT!r}),
                    st.Page({str(ROOT / "pages" / "coordinator.py")!r}, title="Coordinator"),
                ]
            ).run()
            """
        ),
        encoding="utf-8",
    )
    env = settings.child_environment(DATABASE_URL=database_url, PYTHONUNBUFFERED="1")
    for name in ("VIEW_ACCESS", "COORDINATOR_SECRET"):
        env.pop(name, None)
    server = start_server(
        script,
        env,
        workdir / "streamlit.log",
        cwd=workdir,
        port=port,
        extra_args=("--server.fileWatcherType", "none"),
    )
    return server.url, server.process, server.log


def _link_kent(database_url: str) -> None:
    _link(database_url, "kent.gov.uk", "Kent")


def _link(database_url: str, domain: str, authority: str) -> None:
    store = open_store(database_url)
    store.add_domain(domain, authority, who="test set-up")
    store.dispose()


@pytest.fixture(scope="module")
def signed_app(browser_required, provider, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("signin-app")
    database_url = f"sqlite:///{workdir / 'returns.db'}"
    _link_kent(database_url)
    _link(database_url, "medway.gov.uk", "Medway")
    url, process, log = _start_signed_app(workdir, provider, database_url)
    try:
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
    # The session is over, not just hidden: opening a page again (here the Submit page) gets the
    # sign-in page, with no data and no pages to go to.
    tab.goto(f"{url}/submit")
    wait_for_render(tab)
    assert main_area(tab).get_by_role("heading", name="Sign in to see the returns").is_visible()
    assert "Every return" not in main_area(tab).inner_text()
    assert "Open Kent's return" not in main_area(tab).inner_text()
    assert tab.locator('[data-testid="stDataFrame"], [data-testid="stSidebarNav"]').count() == 0


def test_an_unlinked_account_is_told_so_and_sees_no_data(signed_app, tab):
    url, database_url, _ = signed_app
    _sign_in(tab, url, STRANGER)
    text = main_area(tab).inner_text()
    assert "Your account (domain example.org) is not linked to any authority." in text.replace("\u2060", "")
    assert "Every return" not in text
    store = Store(database_url)
    refused = [e.who for e in __import__("store.audit").audit.entries(store) if e.action == "sign_in_refused"]
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


def _open(tab, title: str) -> None:
    """Open a page by its link in the sidebar navigation, as a person would."""
    sidebar(tab).locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True).click()
    wait_for_render(tab)


def _expectations_label() -> re.Pattern:
    from models.questionnaire import by_path

    return re.compile("^" + re.escape(by_path()["iro.expectations"].question))


def test_a_lead_saves_their_own_return_without_a_code(signed_app, tab):
    url, database_url, log = signed_app
    _sign_in(tab, url, LEAD)
    _open(tab, SUBMIT)
    main = main_area(tab)
    # Only their own authority, and no code to type.
    expect(main.get_by_role("button", name="Open Kent's return")).to_be_visible()
    assert main.get_by_role("button", name=re.compile(r"^Open .*'s return$")).count() == 1
    assert main.get_by_label("Access code").count() == 0
    assert "Medway" not in main.inner_text()
    main.get_by_role("button", name="Open Kent's return").click()
    wait_for_render(tab)

    new_text = "Signed-in test: IROs see every child before each review."
    box = main.get_by_label(_expectations_label()).first
    box.fill(new_text)
    box.press("Tab")
    wait_for_render(tab)
    main.get_by_role("button", name="Check and preview").click()
    wait_for_render(tab)
    expect(main.get_by_text("Preview: your return as members will see it")).to_be_visible()
    main.get_by_role("button", name="Save this return").click()
    wait_for_render(tab)
    expect(main.get_by_text(re.compile(r"Saved\. This is version 2 of Kent's return"))).to_be_visible()

    store = Store(database_url)
    try:
        history = store.history(QUESTIONNAIRE, "Kent")
    finally:
        store.dispose()
    assert [v.version for v in history] == [1, 2], log.read_text()[-2000:]
    assert history[-1].saved_by == LEAD
    assert history[-1].ret.iro.expectations == new_text


def test_a_member_sees_the_comparisons_and_may_submit_only_for_their_own_authority(signed_app, tab):
    url, _, log = signed_app
    _sign_in(tab, url, MEMBER)
    main = main_area(tab)
    expect(main.get_by_role("heading", name="Every return")).to_be_visible()
    expect(main.locator('[data-testid="stMetric"]').filter(has_text="Authorities")).to_be_visible()
    assert "Lead for Medway" in sidebar(tab).inner_text(), log.read_text()[-2000:]
    _open(tab, SUBMIT)
    main = main_area(tab)
    expect(main.get_by_role("button", name="Open Medway's return")).to_be_visible()
    assert main.get_by_role("button", name="Open Kent's return").count() == 0
    assert main.get_by_role("button", name=re.compile(r"^Open .*'s return$")).count() == 1
    assert main.get_by_label("Access code").count() == 0
    assert "Kent" not in main.inner_text()


def test_a_coordinator_adds_a_domain_and_issues_a_code_without_a_secret(signed_app, tab):
    url, database_url, log = signed_app
    store = open_store(database_url)
    try:
        store.add_coordinator(COORDINATOR, who="test set-up")
    finally:
        store.dispose()
    _sign_in(tab, url, COORDINATOR)
    assert "Coordinator" in sidebar(tab).inner_text(), log.read_text()[-2000:]
    _open(tab, "Coordinator")
    main = main_area(tab)
    expect(main.get_by_role("heading", name="Sign-in: email domains")).to_be_visible()
    assert main.get_by_label("Coordinator secret").count() == 0
    assert "surrey.gov.uk" not in main.inner_text()

    # Link a domain to an authority.
    form = main.locator('[data-testid="stForm"]').filter(has=tab.get_by_label("Email domain"))
    form.get_by_label("Email domain").fill("surrey.gov.uk")
    form.get_by_label("Email domain").press("Tab")
    box = form.get_by_role("combobox", name="Authority")
    box.click()
    box.fill("Surrey")
    tab.get_by_role("option", name="Surrey", exact=True).first.click()
    wait_for_render(tab)
    form.get_by_role("button", name="Link the domain").click()
    wait_for_render(tab)
    expect(main.get_by_text(re.compile(r"surrey\.gov\.uk\u2060? is linked to Surrey"))).to_be_visible()

    # Issue a code for the authority the codes section offers first.
    main.get_by_role("button", name="Issue a new code").click()
    wait_for_render(tab)
    expect(
        main.get_by_text(re.compile(r"Code issued for .+ It is shown only here, only now"))
    ).to_be_visible()
    invitation = main.locator('[data-testid="stCode"]').last
    expect(invitation).to_contain_text(re.compile(r"Dear .+ lead,"))
    expect(invitation).to_contain_text(re.compile(r"Enter this access code: \S+"))

    # The domain is listed afterwards, on a fresh run of the page (offered to unlink), and stored.
    _open(tab, "Overview")
    _open(tab, "Coordinator")
    unlink = main_area(tab).get_by_role("combobox", name="Unlink a domain")
    unlink.click()
    unlink.fill("surrey")
    expect(tab.get_by_role("option", name="surrey.gov.uk", exact=True)).to_be_visible()
    tab.keyboard.press("Escape")
    store = open_store(database_url)
    try:
        assert ("surrey.gov.uk", "Surrey") in [tuple(r) for r in store.domains()]
    finally:
        store.dispose()


@pytest.fixture
def postgres_url():
    """A fresh schema on the PostgreSQL server of TEST_DATABASE_URL (skipped without it)."""
    base = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not base:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip(
            'Two servers on one PostgreSQL need TEST_DATABASE_URL (eval "$(bash .ci/postgres.sh start)").'
        )
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(normalise_url(base), poolclass=sa.NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield (
            normalise_url(base)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def test_another_server_on_the_same_postgresql_honours_the_session(
    browser_required, provider, postgres_url, tmp_path, tab
):
    """Servers behind one address share PostgreSQL and the cookie secret; the cookie is bound to the address.

    The first server signs the lead in and is stopped; a second process, which never saw the
    sign-in, serves the same address and database and shows the lead the data.
    """
    _link_kent(postgres_url)
    port = free_port()
    url, first, _ = _start_signed_app(tmp_path / "one", provider, postgres_url, port)
    try:
        _sign_in(tab, url, LEAD)
        assert main_area(tab).get_by_role("heading", name="Overview").is_visible()
    finally:
        stop(first)
    _, second, log = _start_signed_app(tmp_path / "two", provider, postgres_url, port)
    try:
        tab.goto(url)
        wait_for_render(tab)
        assert main_area(tab).get_by_role("heading", name="Every return").is_visible(), log.read_text()[
            -2000:
        ]
        assert "Lead for Kent" in sidebar(tab).inner_text()
    finally:
        stop(second)
