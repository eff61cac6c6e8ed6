"""Through the proxy, in Chromium: sign-in on the proxy's address, two servers sharing one database,
a server stopped mid-session, a server that loses its database, uploads over 5 MB, and a proxy
that strips the WebSocket upgrade.

One deployment (``deployed``: HAProxy, two app servers, one PostgreSQL schema) serves every test
here; a test that stops a server or cuts its database puts it back before it ends.
"""

from __future__ import annotations

import re
import ssl
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.browser.browser_helpers import expect, main_area, save_screenshot, sidebar, wait_for_render
from tools.serving import free_port

from .conftest import LEAD, MEMBER

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

QUESTIONNAIRE = "seslip-qa-june"
SUBMIT = "Submit or amend a return"


def _insecure() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def request(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    """(status, headers, body) of one request, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=_insecure()))
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with opener.open(req, timeout=20) as r:
            return r.status, dict(r.headers), r.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode(errors="replace")


def put_upload(url: str, size: int, sent: int | None = None) -> tuple[int, dict, str]:
    """PUT a body of ``size`` bytes to ``url`` as a script would, sending only ``sent`` of them before
    reading the answer (the proxy answers a body that is too large from its length alone)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=30, context=_insecure())
    try:
        conn.putrequest("PUT", parts.path)
        conn.putheader("Content-Type", "application/octet-stream")
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        chunk = b"x" * 65536
        todo = size if sent is None else sent
        try:
            while todo > 0:
                conn.send(chunk[: min(todo, len(chunk))])
                todo -= len(chunk)
        except OSError:
            pass  # the proxy stopped reading: its answer is waiting
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode(errors="replace")
    finally:
        conn.close()


def sign_in(page, url: str, who: str) -> None:
    page.goto(url)
    wait_for_render(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.get_by_role("button", name=who, exact=True).click()
    page.wait_for_url(f"{url}/**")
    wait_for_render(page)


def open_in_sidebar(page, title: str) -> None:
    """Click the page's link in the sidebar, opening the list first when Streamlit has folded it."""
    nav = sidebar(page).locator('[data-testid="stSidebarNav"]')
    expect(nav).to_be_visible()
    link = nav.get_by_role("link", name=title, exact=True)
    more = nav.locator('[data-testid="stSidebarNavViewButton"]')
    if not link.count() and more.count() and "more" in more.inner_text():
        more.click()
    link.click()
    wait_for_render(page)


def served_by(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == "IROSRV"), None)


def expectations_box(page):
    from models.questionnaire import by_path

    label = re.compile("^" + re.escape(by_path()["iro.expectations"].question))
    return main_area(page).get_by_label(label).first


def save_expectations(page, text: str) -> int:
    """On the open Submit form: change the IRO expectations to ``text``, preview, save; the new version."""
    main = main_area(page)
    box = expectations_box(page)
    box.fill(text)
    box.press("Tab")
    wait_for_render(page)
    main.get_by_role("button", name="Check and preview").click()
    wait_for_render(page)
    main.get_by_role("button", name="Save this return").click()
    wait_for_render(page)
    saved = main.get_by_text(re.compile(r"Saved\. This is version (\d+) of Kent's return"))
    expect(saved).to_be_visible()
    return int(re.search(r"version (\d+)", saved.inner_text()).group(1))


def open_kents_return(page) -> None:
    open_in_sidebar(page, SUBMIT)
    main_area(page).get_by_role("button", name="Open Kent's return").click()
    wait_for_render(page)
    expect(main_area(page).get_by_text(re.compile("Unlocked for Kent"))).to_be_visible()


def kent_history(database_url: str):
    from store import Store

    store = Store(database_url)
    try:
        return store.history(QUESTIONNAIRE, "Kent")
    finally:
        store.dispose()


# ---------------------------------------------------------------------------


def test_the_proxy_serves_https_only_and_keeps_the_health_check_to_itself(deployed):
    stack = deployed.stack
    status, headers, _ = request(f"http://{stack.env['IRO_PUBLIC_HTTP']}/caseloads")
    assert status == 301 and headers["location"].startswith("https://")
    status, headers, body = request(deployed.url + "/")
    assert status == 200 and "max-age" in headers.get("strict-transport-security", "")
    assert "The dashboard cannot open its connection" in body  # the WebSocket check rides on every page
    assert request(deployed.url + "/healthz")[0] == 404
    for name in ("app1", "app2"):
        status, _, body = request(stack.server_url(name) + "/healthz")
        assert (status, body) == (200, "ok: database reachable (postgresql)")
    assert stack.server_states() == {"app1": True, "app2": True}


def test_a_member_signs_in_through_the_proxy_on_its_own_address(deployed, browser):
    context = browser()
    page = context.new_page()
    callbacks: list[str] = []
    page.on("request", lambda r: callbacks.append(r.url) if "/oauth2callback" in r.url else None)
    sign_in(page, deployed.url, MEMBER)
    expect(main_area(page).get_by_role("heading", name="Every return")).to_be_visible()
    assert "Lead for Medway" in sidebar(page).inner_text()
    # The provider sent the browser back to the proxy's address, never to a server's own.
    assert callbacks and all(u.startswith(f"{deployed.url}/oauth2callback?") for u in callbacks)
    names = {c["name"]: c for c in context.cookies()}
    assert names["IROSRV"]["value"] in ("app1", "app2") and names["IROSRV"]["secure"]
    assert "_streamlit_user" in names
    assert page.locator("#iro-connection-notice").count() == 0


def test_a_save_through_one_server_is_seen_by_a_session_on_the_other(deployed, browser):
    url = deployed.url
    lead = browser("app1", url).new_page()
    member_context = browser("app2", url)
    member = member_context.new_page()
    sign_in(lead, url, LEAD)
    sign_in(member, url, MEMBER)
    open_in_sidebar(member, "Caseloads")  # the member's session on app2 is open before the save

    text = f"Two-server test {time.time_ns()}: IROs meet each child before every review."
    open_kents_return(lead)
    version = save_expectations(lead, text)
    assert kent_history(deployed.database_url)[-1].ret.iro.expectations == text

    open_in_sidebar(member, "Search answers")  # the member's next page, on app2
    search = main_area(member).get_by_role("textbox", name="Search for")
    search.fill(text.split(":")[0])
    search.press("Enter")
    wait_for_render(member)
    expect(main_area(member).get_by_text(re.compile("1 answer from 1 authority"))).to_be_visible()
    assert "Kent" in main_area(member).inner_text()
    assert served_by(lead.context) == "app1" and served_by(member_context) == "app2"
    assert version >= 2


def test_a_server_stopped_mid_session_moves_its_people_to_the_other_and_loses_nothing(
    deployed, browser, shots
):
    stack, url = deployed.stack, deployed.url
    context = browser("app1", url)
    page = context.new_page()
    sign_in(page, url, LEAD)
    open_kents_return(page)
    before = save_expectations(page, f"Failover test {time.time_ns()}: saved on the first server.")
    assert served_by(context) == "app1"
    try:
        started = time.monotonic()
        stack.stop("app1")
        # The page reconnects by itself through the proxy, to app2, says so plainly, and the person
        # is still signed in (every server shares the cookie secret).
        notice = main_area(page).get_by_text("Your connection to the dashboard was interrupted")
        expect(notice).to_be_visible(timeout=60_000)
        moved_after = time.monotonic() - started
        assert "Everything that was saved is kept" in main_area(page).inner_text()
        assert served_by(context) == "app2"
        expect(sidebar(page).get_by_text("Lead for Kent")).to_be_visible()
        notice.scroll_into_view_if_needed()  # the picture shows the notice, not the foot of the form
        save_screenshot(page, "moved-to-another-server", shots)
        main_area(page).get_by_role("button", name="Dismiss this message").click()
        wait_for_render(page)
        expect(notice).to_have_count(0)
        # Nothing saved is lost: the version saved on app1 is there, and the lead saves again on app2.
        open_kents_return(page)
        expect(main_area(page).get_by_text(f"You are amending version {before}.")).to_be_visible()
        after = save_expectations(page, "Failover test: saved on the second server.")
        assert after == before + 1
        history = kent_history(deployed.database_url)
        assert [v.version for v in history][-2:] == [before, after]
        assert {v.saved_by for v in history[-2:]} == {LEAD}
        print(f"failover: the page was served by app2 {moved_after:.1f} s after app1 was stopped")
    finally:
        stack.start("app1")
        stack.wait_for("app1", up=True)


def test_a_server_that_cannot_reach_the_database_leaves_rotation_and_says_so(deployed, browser, shots):
    stack, url = deployed.stack, deployed.url
    context = browser("app1", url)
    page = context.new_page()
    sign_in(page, url, MEMBER)
    relay = deployed.relays["app1"]
    try:
        relay.cut()
        took = stack.wait_for("app1", up=False, timeout=30)
        status, _, body = request(stack.server_url("app1") + "/healthz")
        assert status == 503 and body.startswith("database unreachable")
        assert stack.server_states()["app2"] is True
        # Someone already on app1 is told plainly, on their next click.
        open_in_sidebar(page, "Caseloads")
        expect(
            main_area(page).get_by_text(re.compile("The returns database cannot be reached"))
        ).to_be_visible()
        assert "Nothing has been saved or lost" in main_area(page).inner_text()
        assert "postgresql" not in main_area(page).inner_text()  # the details only when asked for
        save_screenshot(page, "database-unreachable", shots)
        # Opening the dashboard again sends them to app2, which can reach the database.
        page.goto(url)
        wait_for_render(page)
        expect(main_area(page).get_by_role("heading", name="Every return")).to_be_visible()
        assert served_by(context) == "app2"
        print(f"health check: app1 out of rotation {took:.1f} s after its database went away")
    finally:
        relay.restore()
        stack.wait_for("app1", up=True, timeout=60)


def test_an_upload_over_5_mb_is_refused_by_the_proxy_with_a_message(deployed, browser, tmp_path, shots):
    stack, url = deployed.stack, deployed.url
    six_mb = 6 * 1024 * 1024
    status, headers, body = put_upload(
        f"{url}/_stcore/upload_file/some-session/some-file", six_mb, sent=65536
    )
    assert status == 413
    assert headers["content-type"].startswith("text/html")
    assert "This file is too large" in body and "at most 5 MB" in body
    log = stack.processes["proxy"].log_text()
    refused = [line for line in log.splitlines() if "upload_file/some-session" in line]
    assert refused and " 413 " in refused[-1] and "<NOSRV>" in refused[-1]  # no server ever saw it
    # A file of exactly 5 MB is let through to the app (which answers for itself).
    assert put_upload(f"{url}/_stcore/upload_file/s/f", 5 * 1024 * 1024)[0] != 413

    # In the browser: the lead's upload is refused with a message on the page, which keeps working.
    big = tmp_path / "return-template-kent.xlsx"
    big.write_bytes(b"x" * six_mb)
    page = browser().new_page()
    sign_in(page, url, LEAD)
    open_kents_return(page)
    main = main_area(page)
    main.get_by_role("tab", name="Upload a spreadsheet").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(big))
    chip = main.locator('[data-testid="stFileChip"]')
    expect(chip).to_have_attribute("aria-invalid", "true")
    why = page.locator(f"[id='{chip.get_attribute('aria-describedby')}']")
    expect(why).to_have_text(re.compile(r"File must be 5(\.0)? ?MB or smaller"))
    expect(main.get_by_text(re.compile("A file of at most 5 MB. A larger one is refused"))).to_be_visible()
    expect(main.get_by_role("button", name="Save the uploaded return")).to_have_count(0)
    save_screenshot(page, "upload-too-large", shots)
    main.get_by_role("tab", name="Fill in the form").click()
    expect(expectations_box(page)).to_be_visible()


STRIPPING_PROXY = """
global
    log stdout format raw local0 info
defaults
    mode http
    log global
    option httplog
    timeout connect 3s
    timeout client 30s
    timeout server 30s
frontend council
    bind 127.0.0.1:{port}
    # What a badly set-up proxy does: it drops the header that asks for a WebSocket.
    http-request del-header Upgrade
    default_backend dashboard
backend dashboard
    server proxy {target} ssl verify none sni str(localhost)
"""


def test_a_proxy_that_strips_the_websocket_upgrade_gets_a_page_saying_so(deployed, browser, tmp_path, shots):
    port = free_port()
    config = tmp_path / "stripping.cfg"
    config.write_text(STRIPPING_PROXY.format(port=port, target=deployed.stack.env["IRO_PUBLIC"]))
    log = tmp_path / "stripping.log"
    with log.open("wb") as fh:
        proxy = subprocess.Popen(
            [deployed.stack.env["HAPROXY"], "-db", "-f", str(config)], stdout=fh, stderr=fh
        )
    try:
        page = browser().new_page()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                page.goto(f"http://127.0.0.1:{port}/")
                break
            except Exception:
                page.wait_for_timeout(200)
        notice = page.locator("#iro-connection-notice")
        expect(notice).to_be_visible(timeout=30_000)
        expect(notice.get_by_role("heading", name="The dashboard cannot open its connection")).to_be_visible()
        assert "Ask your IT team to allow WebSocket connections" in notice.inner_text()
        assert notice.get_attribute("role") == "alert"
        save_screenshot(page, "websocket-refused", shots)
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)


def test_the_load_client_speaks_to_the_proxy_and_the_proxy_spreads_the_sessions(deployed):
    """The bench's protocol sessions through HAProxy (TLS on loopback): every one finishes, and the
    proxy itself puts them on both servers."""
    import asyncio

    from tools.bench import aio
    from tools.bench.protocol import Session

    log = deployed.stack.processes["proxy"]
    before = len(log.log_text().splitlines())

    async def go():
        sessions = [Session(deployed.url, timeout=60) for _ in range(6)]
        try:
            return await asyncio.gather(*(s.open("") for s in sessions))
        finally:
            await asyncio.gather(*(s.close() for s in sessions))

    views = aio.run(go())
    assert all(v.ok for v in views), [v.error for v in views]
    streams = [line for line in log.log_text().splitlines()[before:] if "/_stcore/stream" in line]
    used = {name for name in ("app/app1", "app/app2") for line in streams if name in line}
    assert used == {"app/app1", "app/app2"}, streams
