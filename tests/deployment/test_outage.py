"""The database goes away for 30 seconds under load: saves are refused with a message, none is
half-written, and once it is back the lead saves what they had typed.

While eight writers save returns as fast as they can and a lead has a checked return ready to save
on one server, the database is taken away from everything (each server's relay and the writers'
are cut; the PostgreSQL server itself is never touched) for 30 seconds, then given back.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter

import pytest

from tests.browser.browser_helpers import expect, main_area, save_screenshot, wait_for_render

from .conftest import LEAD, MEMBER, postgres_port, through
from .relay import Relay
from .test_proxy import expectations_box, open_in_sidebar, open_kents_return, request, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

ROUND = "seslip-qa-june"
WRITERS = (
    "Medway",
    "Surrey",
    "Hampshire",
    "Southampton",
    "West Sussex",
    "West Berkshire",
    "Brighton and Hove",
    "Windsor and Maidenhead",
)
OUTAGE_SECONDS = 30


class Writer(threading.Thread):
    """Saves new versions of one authority's return in a loop, counting what the store said."""

    def __init__(self, url: str, authority: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.url, self.authority, self.stop_event = url, authority, stop
        self.outcomes: Counter[str] = Counter()
        self.messages: set[str] = set()

    def run(self) -> None:
        from store import Store
        from store.errors import ConflictError, StorageError

        store = Store(self.url)
        n = 0
        try:
            while not self.stop_event.is_set():
                n += 1
                try:
                    current = store.current(ROUND, self.authority)
                    amended = current.model_copy(deep=True)
                    amended.iro.expectations = f"Load test save {n} for {self.authority}."
                    store.save(
                        amended,
                        based_on=current.provenance.version,
                        channel="form",
                        submitted_by="Service manager",
                        who=f"load test for {self.authority}",
                    )
                    self.outcomes["saved"] += 1
                except ConflictError:
                    self.outcomes["conflict"] += 1  # an earlier save that did land after all
                except StorageError as exc:
                    self.outcomes["refused"] += 1
                    self.messages.add(re.sub(r"\(.*\)", "(…)", str(exc))[:160])
                    time.sleep(0.2)
        finally:
            store.dispose()


def test_the_database_away_for_30_seconds_under_load(deployed, browser, shots):
    stack, url = deployed.stack, deployed.url
    load_relay = Relay(postgres_port(deployed.database_url))
    stop = threading.Event()
    writers = [Writer(through(deployed.database_url, load_relay), a, stop) for a in WRITERS]
    lead_page = browser("app1", url).new_page()
    member_page = browser("app2", url).new_page()
    sign_in(lead_page, url, LEAD)
    sign_in(member_page, url, MEMBER)
    open_kents_return(lead_page)
    text = f"Outage test {time.time_ns()}: typed before the database went away."
    box = expectations_box(lead_page)
    box.fill(text)
    box.press("Tab")
    wait_for_render(lead_page)
    main = main_area(lead_page)
    main.get_by_role("button", name="Check and preview").click()
    wait_for_render(lead_page)
    version_before = int(re.search(r"amending version (\d+)", main.inner_text()).group(1))
    for w in writers:
        w.start()
    relays = [*deployed.relays.values(), load_relay]
    try:
        time.sleep(3)  # under load
        cut_at = time.monotonic()
        for relay in relays:
            relay.cut()
        stack.wait_for("app1", up=False, timeout=20)
        stack.wait_for("app2", up=False, timeout=20)
        # The lead saves: refused, plainly, with what they typed kept for when the database is back.
        main.get_by_role("button", name="Save this return").click()
        wait_for_render(lead_page)
        expect(main.get_by_text(re.compile("The returns database cannot be reached"))).to_be_visible()
        assert "anything you had typed into the form is kept" in main.inner_text()
        save_screenshot(lead_page, "save-refused-database-away", shots)
        # Someone opening a page is told the database cannot be reached (the proxy still sends people
        # to the servers when every one fails its check), and the proxy answers, not a blank error.
        open_in_sidebar(member_page, "Caseloads")
        expect(
            main_area(member_page).get_by_text(re.compile("The returns database cannot be reached"))
        ).to_be_visible()
        status, _, body = request(url + "/")
        assert status == 200 and "The dashboard cannot open its connection" in body
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - cut_at)))
    finally:
        for relay in relays:
            relay.restore()
    back = max(stack.wait_for("app1", up=True, timeout=60), stack.wait_for("app2", up=True, timeout=60))
    time.sleep(2)
    stop.set()
    for w in writers:
        w.join(timeout=30)

    # The lead opens the form again: still unlocked, with what they typed; saved as the next version.
    open_in_sidebar(lead_page, "Submit or amend a return")
    assert expectations_box(lead_page).input_value() == text
    main.get_by_role("button", name="Check and preview").click()
    wait_for_render(lead_page)
    main.get_by_role("button", name="Save this return").click()
    wait_for_render(lead_page)
    expect(
        main.get_by_text(re.compile(rf"Saved\. This is version {version_before + 1} of Kent's return"))
    ).to_be_visible()

    # None is half-written: every version has its audit entry, versions run 1, 2, 3 ... with no gap,
    # each reads back as a whole return, and every save reported as done is there.
    from store import Store

    store = Store(deployed.database_url)
    try:
        assert store.current(ROUND, "Kent").iro.expectations == text
        audit = Counter(
            (e.authority, e.detail)
            for e in __import__("store.audit", fromlist=["entries"]).entries(store)
            if e.action == "return_saved"
        )
        for w in writers:
            history = store.history(ROUND, w.authority)  # each version read back and validated
            numbers = [v.version for v in history]
            assert numbers == list(range(1, len(numbers) + 1)), w.authority
            assert len(numbers) - 1 >= w.outcomes["saved"]  # nothing reported saved is missing
            assert len(numbers) - 1 <= w.outcomes["saved"] + w.outcomes["conflict"] + w.outcomes["refused"]
            for v in history[1:]:
                assert audit[(w.authority, f"version {v.version} (form)")] == 1, (w.authority, v.version)
            assert w.outcomes["refused"] > 0 and w.outcomes["saved"] > 0, w.outcomes
    finally:
        store.dispose()
    log = stack.processes["app1"].log_text()
    assert "iro_cp.database database unreachable" in log
    assert 'return_saved who="lead@kent.gov.uk" authority="Kent"' in log
    assert text not in log  # never an answer in the log
    totals = sum((w.outcomes for w in writers), Counter())
    messages = sorted(set().union(*(w.messages for w in writers)))
    print(
        f"outage: {OUTAGE_SECONDS} s; back in rotation {back:.1f} s after the database returned; writers "
        f"{dict(totals)}; refusals said: {messages[:2]}"
    )
