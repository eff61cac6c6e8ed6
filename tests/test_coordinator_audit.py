"""Every action on the Coordinator page is in the audit log under who did it (AppTest)."""

from __future__ import annotations

import datetime as dt

import pytest

from store import audit, open_store
from tests.support.pages import open_page


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'returns.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("COORDINATOR_SECRET", "right-secret")
    store = open_store(url)
    yield store
    store.dispose()


def test_each_action_on_the_coordinator_page_names_who_did_it(db):
    at = open_page("coordinator").run()
    at.text_input(key="coord_secret").input("wrong-secret")
    at.get("form_submit_button")[0].click().run()
    at.text_input(key="coord_secret").input("right-secret")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    at.text_input(key="coord_new_id").input("seslip-2027")
    at.text_input(key="coord_new_title").input("SESLIP survey 2027")
    at.date_input(key="coord_new_deadline").set_value(dt.date(2099, 6, 30))
    at.get("form_submit_button")[0].click().run()
    at.selectbox(key="coord_code_authority").set_value("Kent").run()
    at.button(key="coord_issue").click().run()
    at.selectbox(key="coord_code_authority").set_value("Kent").run()
    at.button(key="coord_revoke").click().run()
    at.button(key="coord_toggle").click().run()  # close the round
    assert not at.exception, [e.value for e in at.exception]
    log = [(e.who, e.action) for e in audit.entries(db) if e.round_id == "seslip-2027"]
    assert log == [
        ("coordinator secret", "round_added"),
        ("coordinator secret", "code_issued"),
        ("coordinator secret", "code_revoked"),
        ("coordinator secret", "round_closed"),
    ]
    refused = [e for e in audit.entries(db) if e.action == "secret_refused"]
    assert len(refused) == 1 and refused[0].who.startswith("unverified: ")
    assert "not recorded" not in {e.who for e in audit.entries(db)}
    assert db.round_settings()["seslip-2027"]["created_by"] == "coordinator secret"
