"""Sensible limits: free-mail domains, another spelling of a known authority, and ``context`` from the
stored returns. Tables of (command, exit code, the start of the message)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.names import InvalidInputError
from store import Store
from store.loading import DEFAULT_DATA_DIR
from tests.support.cli import Cli

FAKE = Path(__file__).parent / "fake_data" / "good"


@pytest.fixture
def cli(tmp_path, capsys):
    return Cli(capsys, database_url=f"sqlite:///{tmp_path / 'r.db'}", data=FAKE)


FREE_MAIL = [
    "gmail.com",
    "GMail.com",
    "outlook.com",
    "hotmail.co.uk",
    "yahoo.com",
    "icloud.com",
    "@proton.me",
]


@pytest.mark.parametrize("domain", FREE_MAIL)
def test_a_free_mail_domain_is_refused_unless_forced(cli, domain):
    result = cli("domain", "add", domain, "--authority", "Northshire")
    assert result.code == 2
    assert result.err.startswith(f"Domain: {domain.lower().lstrip('@')} is a free email service")
    assert "add --force" in result.err
    assert cli("domain", "list", "--format", "json").out.strip() == "[]"
    forced = cli("domain", "add", domain, "--authority", "Northshire", "--force")
    assert forced.code == 0, forced.text


def test_the_store_refuses_a_free_mail_domain_for_the_coordinator_page_too(store):
    with pytest.raises(InvalidInputError, match=r"gmail\.com is a free email service"):
        store.add_domain("gmail.com", "Northshire", who="test")
    assert store.domains() == []


# (command, the start of the message)
SPELLINGS = [
    (
        ("issue-code", "Brighton & Hove", "--round", "fake-round", "--new-authority"),
        "Authority: the register of English authorities knows 'Brighton & Hove' as 'Brighton and Hove'",
    ),
    (
        ("issue-code", "City of Bristol", "--round", "fake-round", "--new-authority"),
        "Authority: the register of English authorities knows 'City of Bristol' as 'Bristol'",
    ),
    (
        ("domain", "add", "brighton-hove.gov.uk", "--authority", "Brighton & Hove", "--new-authority"),
        "Authority: the register of English authorities knows 'Brighton & Hove' as 'Brighton and Hove'",
    ),
]


@pytest.mark.parametrize(("argv", "message"), SPELLINGS, ids=[" ".join(a[:2]) for a, _ in SPELLINGS])
def test_new_authority_refuses_another_spelling_of_a_register_name(cli, argv, message):
    result = cli(*argv)
    assert result.code == 2 and result.err.startswith(message), result.text
    assert "Brighton & Hove" not in cli("domain", "list").out


def test_new_authority_with_the_register_s_own_name_works(cli):
    assert cli("issue-code", "Brighton and Hove", "--round", "fake-round", "--new-authority").code == 0
    # ...and the other spelling now finds it instead of making a second one.
    again = cli("revoke-code", "Brighton & Hove", "--round", "fake-round")
    assert again.code == 0 and "Brighton and Hove" in again.out


def test_context_uses_the_current_stored_return(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    cli = Cli(capsys, database_url=url, data=DEFAULT_DATA_DIR)
    before = json.loads(cli("context", "Kent", "--format", "json", data=False).out)
    assert before["implied"]["iro"]["midpoint"] == 65
    store = Store(url)
    kent = store.current("seslip-qa-june", "Kent").model_copy(deep=True)
    kent.iro.caseload.text, kent.iro.caseload.low, kent.iro.caseload.high = "IRO average case load 79", 79, 79
    store.save(kent, based_on=1, channel="form", submitted_by="lead")
    store.dispose()
    after = json.loads(cli("context", "Kent", "--format", "json", data=False).out)
    assert after["implied"]["iro"]["midpoint"] == 79  # the saved correction, not the data file's 65
    assert after["implied"]["iro"]["implied_fte"] == round(1896 / 79, 1)
