"""The audit log: each change names who, when, what and for what; codes and secrets never appear."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from models.names import InvalidInputError
from store import audit, rights
from store.access import ThrottledError, WrongCodeError, issue_code, revoke_code, verify_code
from tests.conftest import FAKE_ROUND, fake_round


def _log(store):
    return [(e.who, e.action, e.round_id, e.authority, e.detail) for e in audit.entries(store)]


def test_a_save_names_who_saved_it_in_the_history_and_the_log(store, make_return):
    first = store.save(
        make_return("Northshire"),
        based_on=None,
        channel="form",
        submitted_by="Manager",
        who="lead@northshire.gov.uk",
    )
    with audit.acting_as(audit.access_code_for("Northshire")):
        store.save(
            make_return("Northshire"),
            based_on=first.provenance.version,
            channel="upload",
            submitted_by="Manager",
        )
    assert [(v.version, v.submitted_by, v.saved_by) for v in store.history(FAKE_ROUND, "Northshire")] == [
        (1, "Manager", "lead@northshire.gov.uk"),
        (2, "Manager", "access code for Northshire"),
    ]
    assert store.history(FAKE_ROUND, "Northshire")[1].as_dict()["saved_by"] == "access code for Northshire"
    assert _log(store)[-2:] == [
        ("lead@northshire.gov.uk", "return_saved", FAKE_ROUND, "Northshire", "version 1 (form)"),
        ("access code for Northshire", "return_saved", FAKE_ROUND, "Northshire", "version 2 (upload)"),
    ]
    # The email is kept with the version, not in the return (which dumps and exports carry).
    assert "northshire.gov.uk" not in store.current(FAKE_ROUND, "Northshire").model_dump_json()


def test_a_save_with_nobody_named_says_so(store, make_return):
    store.save(make_return(), based_on=None, channel="form", submitted_by="Manager")
    assert _log(store)[-1][0] == "not recorded"


def test_rounds_codes_and_refusals_are_logged_without_the_code(store):
    with audit.acting_as("coord@example.org"):
        store.add_round(fake_round("second-round"))
        store.set_round_open("second-round", False)
        store.set_round_open("second-round", True)
        code = issue_code(store, FAKE_ROUND, "Northshire")
        revoke_code(store, FAKE_ROUND, "Northshire")
        code = issue_code(store, FAKE_ROUND, "Northshire")
    with audit.acting_as("visitor"):
        for _ in range(5):
            with pytest.raises(WrongCodeError):
                verify_code(store, FAKE_ROUND, "Northshire", "AAAA-AAAA-AAAA")
        with pytest.raises(ThrottledError):
            verify_code(store, FAKE_ROUND, "Northshire", code)
    log = _log(store)
    assert log[1:7] == [
        ("coord@example.org", "round_added", "second-round", None, None),
        ("coord@example.org", "round_closed", "second-round", None, None),
        ("coord@example.org", "round_opened", "second-round", None, None),
        ("coord@example.org", "code_issued", FAKE_ROUND, "Northshire", None),
        ("coord@example.org", "code_revoked", FAKE_ROUND, "Northshire", None),
        ("coord@example.org", "code_issued", FAKE_ROUND, "Northshire", None),
    ]
    assert log[7:] == [("visitor", "code_refused", FAKE_ROUND, "Northshire", "wrong code")] * 5 + [
        ("visitor", "code_refused", FAKE_ROUND, "Northshire", "too many wrong codes")
    ]
    text = repr(log) + audit.frame(store).to_csv()
    assert code not in text and code.replace("-", "") not in text
    assert "AAAA" not in text


def test_domains_and_coordinators_are_logged(store):
    assert store.add_domain("@Northshire.GOV.uk", "Northshire", who="command line")
    assert not store.add_domain("northshire.gov.uk", "northshire", who="command line")  # already: no entry
    with pytest.raises(InvalidInputError, match=r"Domain: northshire\.gov\.uk already belongs to Northshire"):
        store.add_domain("northshire.gov.uk", "Southshire", who="command line")
    assert store.remove_domain("northshire.gov.uk", who="command line") == "Northshire"
    assert store.remove_domain("northshire.gov.uk", who="command line") is None
    assert store.add_coordinator("Coord@Example.org", who="command line")
    assert store.coordinators() == ["coord@example.org"]
    assert store.remove_coordinator("coord@example.org", who="command line")
    assert _log(store)[1:] == [
        ("command line", "domain_added", None, "Northshire", "northshire.gov.uk"),
        ("command line", "domain_removed", None, "Northshire", "northshire.gov.uk"),
        ("command line", "coordinator_added", None, None, "coord@example.org"),
        ("command line", "coordinator_removed", None, None, "coord@example.org"),
    ]


@pytest.mark.parametrize("bad", ["kent", "kent gov uk", "http://kent.gov.uk", "-kent.gov.uk", ""])
def test_a_bad_domain_gets_a_plain_message(store, bad):
    with pytest.raises(InvalidInputError, match=r"^Domain: .* is not an email domain"):
        store.add_domain(bad, "Northshire")
    assert store.domains() == []


def test_the_coordinator_page_table_filters(store, make_return):
    store.save(
        make_return("Northshire"), based_on=None, channel="form", submitted_by="M", who="a@north.gov.uk"
    )
    store.save(
        make_return("Southshire"), based_on=None, channel="form", submitted_by="M", who="b@south.gov.uk"
    )
    store.add_coordinator("c@example.org", who="command line")
    df = audit.frame(store)
    assert list(df.columns) == audit.COLUMNS
    assert df["Who"].tolist()[:3] == ["command line", "b@south.gov.uk", "a@north.gov.uk"]  # newest first
    assert audit.frame(store, authority="southshire")["Who"].tolist() == ["b@south.gov.uk"]
    assert audit.frame(store, who="NORTH")["Detail"].tolist() == ["version 1 (form)"]
    assert audit.frame(store, actions=["coordinator_added"])["What"].tolist() == ["Added a coordinator"]
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    assert audit.frame(store, since=tomorrow).empty
    assert len(audit.frame(store, until=tomorrow)) == len(df)


# -- Who: what was verified, never what was claimed -------------------------------------------------


@pytest.mark.parametrize(
    ("case", "actor", "who"),
    [
        ("a signed-in lead", lambda: rights.signed_in("Lead@Northshire.GOV.uk"), "lead@northshire.gov.uk"),
        ("an access code", lambda: rights.by_code("Northshire", FAKE_ROUND, 1), "access code for Northshire"),
        (
            "a code used by someone signed in",
            lambda: rights.by_code("Northshire", FAKE_ROUND, 1, via="a@b.org"),
            "a@b.org (access code for Northshire)",
        ),
        ("the shell", rights.shell, f"command line ({rights.shell_user()})"),
        ("the coordinator secret", lambda: rights.COORDINATOR_SECRET, "coordinator secret"),
        (
            "an unverified address",
            lambda: rights.unverified("coord@example.org"),
            "unverified: coord@example.org",
        ),
        (
            "an unverified formula and escape codes",
            lambda: rights.unverified('=HYPERLINK("http://x","y")\x1b[2J\u202e'),
            'unverified: =HYPERLINK("http://x","y")\\x1b[2J\\u202e',
        ),
        (
            "an unverified line break",
            lambda: rights.unverified("a@b.org\nWho: c@d.org"),
            "unverified: a@b.org\\nWho: c@d.org",
        ),
    ],
)
def test_who_is_named_from_what_was_verified(store, case, actor, who):
    store.record("sign_in_refused", who=actor())
    assert audit.entries(store)[-1].who == who


def test_an_unverified_claim_never_reads_as_the_coordinator_it_claims(store):
    store.record("coordinator_added", who=rights.signed_in("coord@example.org"))
    store.record("sign_in_refused", who=rights.unverified("coord@example.org"))
    assert audit.frame(store)["Who"].tolist()[:2] == ["unverified: coord@example.org", "coord@example.org"]


# -- Every refusal is logged; credentials are counted by the throttle ------------------------------

REFUSALS = [
    ("a wrong code", "wrong", "wrong code"),
    ("a revoked code", "revoked", "a revoked code"),
    ("a code never issued", "never", "no code issued"),
]


@pytest.mark.parametrize(("case", "kind", "detail"), REFUSALS, ids=[c[0] for c in REFUSALS])
def test_each_refused_code_is_logged_and_counted(store, case, kind, detail):
    from store.access import NoCodeError

    if kind in ("wrong", "revoked"):
        issue_code(store, FAKE_ROUND, "Northshire", who="test")
    if kind == "revoked":
        revoke_code(store, FAKE_ROUND, "Northshire", who="test")
    with audit.acting_as(rights.unverified("session:visitor")):
        for _ in range(5):
            with pytest.raises((WrongCodeError, NoCodeError)):
                verify_code(store, FAKE_ROUND, "Northshire", "AAAA-AAAA-AAAA", source="session:visitor")
    refused = [e for e in audit.entries(store) if e.action == "code_refused"]
    assert [(e.who, e.detail) for e in refused] == [("unverified: session:visitor", detail)] * 5
    # Counted: the sixth try from there waits, even with a right code issued since.
    code = issue_code(store, FAKE_ROUND, "Northshire", who="test")
    with pytest.raises(ThrottledError):
        verify_code(store, FAKE_ROUND, "Northshire", code, source="session:visitor")


def test_a_save_to_a_closed_round_is_logged(store, make_return):
    store.add_domain("b.org", "Northshire", who="test")
    store.set_round_open(FAKE_ROUND, False, who="test")
    with pytest.raises(Exception, match="is closed"):
        store.save(
            make_return(), based_on=None, channel="form", submitted_by="M", who=rights.signed_in("a@b.org")
        )
    last = audit.entries(store)[-1]
    assert (last.who, last.action, last.authority) == ("a@b.org", "save_refused", "Northshire")
    assert "is closed" in last.detail


# -- The log as text: CSV cells neutralised, the terminal shown escapes, JSON exact ----------------

HOSTILE_WHO = '=HYPERLINK("http://evil.example","click")'


def test_the_audit_csv_neutralises_formulas_and_marks_control_characters(store):
    from exports.csv_files import frame_to_csv

    store.record("sign_in_refused", who=HOSTILE_WHO, detail="\x1b[2J+1")
    rows = list(csv.reader(io.StringIO(frame_to_csv(audit.frame(store)).decode("utf-8-sig"))))
    assert rows[1][1] == "'" + HOSTILE_WHO
    assert rows[1][5] == "\ufffd[2J+1"


def test_cli_audit_shows_escapes_in_the_table_and_the_exact_text_in_json(tmp_path, capsys):
    from pathlib import Path

    from tests.support.cli import Cli

    url = f"sqlite:///{tmp_path / 'r.db'}"
    cli = Cli(capsys, database_url=url, data=Path(__file__).parent / "fake_data" / "good")
    cli("seed")
    from store import Store

    s = Store(url)
    s.record("sign_in_refused", who=rights.unverified("x@y.org"), detail="\x1b]0;owned\x07\x1b[2J\u202eevil")
    s.dispose()
    table = cli("audit")
    assert "\x1b" not in table.out and "\u202e" not in table.out
    assert "\\x1b]0;owned\\x07\\x1b[2J\\u202eevil" in table.out
    rows = json.loads(cli("audit", "--format", "json").out)
    assert rows[-1]["detail"] == "\x1b]0;owned\x07\x1b[2J\u202eevil"
