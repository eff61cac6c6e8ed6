"""Identity compared exactly: email addresses and domains, as a table of (input, expected) cases.

One function decides (``models.names.normalise_email`` and ``normalise_domain``), used by
sign-in, ``cli.py domain`` and ``coordinator``, and the Coordinator page.
"""

from __future__ import annotations

import pytest

from models.names import InvalidInputError, normalise_domain, normalise_email
from survey.identity import Person, Settings, gate, identify, is_coordinator
from tests.support.cli import Cli

KELVIN = "\u212a"  # K, KELVIN SIGN: lower-cased by str.lower() to a plain "k"

# (case, typed, the address compared, or the start of the message)
EMAILS = [
    ("plain", "kate@example.org", "kate@example.org"),
    ("ASCII capitals folded", "Kate@Example.ORG", "kate@example.org"),
    ("spaces around", "  kate@example.org\t", "kate@example.org"),
    (
        "Kelvin sign for K",
        f"{KELVIN}ate@example.org",
        f"Email: '{KELVIN}ate@example.org' is not an email address that can be checked: the part before "
        f"the @ holds '{KELVIN}' (U+212A KELVIN SIGN), and only plain ASCII characters are accepted there",
    ),
    (
        "Cyrillic a",
        "k\u0430te@example.org",
        "Email: 'k\u0430te@example.org' is not an email address that can be checked: the part before the @ "
        "holds '\u0430' (U+0430 CYRILLIC SMALL LETTER A)",
    ),
    (
        "Kelvin sign in the domain",
        f"kate@{KELVIN}ent.gov.uk",
        f"Email: 'kate@{KELVIN}ent.gov.uk' is not an email address: its domain holds '{KELVIN}' (U+212A KELVIN "
        "SIGN), which an internationalised domain name cannot hold (IDNA 2008)",
    ),
    (
        "full-width letter in the domain",
        "kate@\uff4bent.gov.uk",
        "Email: 'kate@\uff4bent.gov.uk' is not an email address: its domain holds '\uff4b' (U+FF4B FULLWIDTH",
    ),
    ("internationalised domain", "kate@bücher.example", "kate@xn--bcher-kva.example"),
    ("internationalised domain, as ASCII", "kate@xn--bcher-kva.example", "kate@xn--bcher-kva.example"),
    (
        "no-break space after",
        "kate@example.org\u00a0",
        "Email: 'kate@example.org' is not an email address: its domain holds U+00A0 NO-BREAK SPACE",
    ),
    ("two @", "kate@@example.org", "Email: 'kate@@example.org' is not an email address. Give the whole"),
    ("no @", "kate.example.org", "Email: 'kate.example.org' is not an email address."),
    (
        "a control character",
        "kate\x1b[2J@example.org",
        "Email: 'kate\x1b[2J@example.org' is not an email address. Give the whole address",
    ),
]

DOMAINS = [
    ("plain", "kent.gov.uk", "kent.gov.uk"),
    ("@ and capitals", "@Kent.GOV.uk.", "kent.gov.uk"),
    (
        "Kelvin sign",
        f"{KELVIN}ent.gov.uk",
        f"Domain: '{KELVIN}ent.gov.uk' is not an email domain: it holds '{KELVIN}' (U+212A KELVIN SIGN)",
    ),
    (
        "ideographic full stop",
        "kent\u3002gov.uk",
        "Domain: 'kent\u3002gov.uk' is not an email domain: it would read differently, written in ASCII",
    ),
    ("German sharp s (IDNA 2008 keeps it)", "straße.de", "xn--strae-oqa.de"),
    (
        "a broken A-label",
        "xn--zz.example",
        "Domain: 'xn--zz.example' is not an email domain: it has a part, 'xn--zz', that is not a valid",
    ),
    ("an internationalised top-level domain", "kent.xn--p1ai", "kent.xn--p1ai"),
    ("no dot", "kent", "Domain: 'kent' is not an email domain. Give the part after the @"),
]


def _outcome(fn, typed):
    try:
        return fn(typed)
    except InvalidInputError as exc:
        return str(exc)


@pytest.mark.parametrize(("case", "typed", "expected"), EMAILS, ids=[c[0] for c in EMAILS])
def test_email_addresses_are_compared_exactly(case, typed, expected):
    assert _outcome(normalise_email, typed).startswith(expected)


@pytest.mark.parametrize(("case", "typed", "expected"), DOMAINS, ids=[c[0] for c in DOMAINS])
def test_domains_are_compared_exactly(case, typed, expected):
    assert _outcome(normalise_domain, typed).startswith(expected)


SIGNED_IN = Settings(view_access="members", auth_configured=True, providers=("default",))


def test_a_verified_kelvin_sign_address_is_not_the_coordinator_kate(store):
    """The issue's case: coordinator kate@example.org; a verified sign-in as K(elvin)ate@example.org."""
    store.add_coordinator("kate@example.org", who="test")
    store.add_domain("example.org", "Northshire", who="test")
    real = identify(Person(email="Kate@example.org", email_verified=True), SIGNED_IN, store)
    assert is_coordinator(real) and real.email == "kate@example.org"
    fake = identify(Person(email=f"{KELVIN}ate@example.org", email_verified=True), SIGNED_IN, store)
    assert not is_coordinator(fake) and fake.email is None and fake.authority is None
    shown = gate(fake)
    assert shown.kind == "email_not_usable"
    assert "U+212A KELVIN SIGN" in shown.text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("coordinator", "add", f"{KELVIN}ate@example.org"), "Email: '"),
        (("domain", "add", f"{KELVIN}ent.gov.uk", "--authority", "Northshire"), "Domain: '"),
        (("domain", "remove", f"{KELVIN}ent.gov.uk"), "Domain: '"),
    ],
)
def test_the_command_line_refuses_look_alikes_the_same_way(tmp_path, capsys, argv, message):
    from pathlib import Path

    cli = Cli(
        capsys,
        database_url=f"sqlite:///{tmp_path / 'r.db'}",
        data=Path(__file__).parent / "fake_data" / "good",
    )
    result = cli(*argv)
    assert result.code == 2
    assert result.err.startswith(message) and "KELVIN SIGN" in result.err
