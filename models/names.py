"""Names the whole product compares: authorities, email addresses and domains, and the plain error.

Every layer needs these, so they live at the bottom: the store matches authorities with
``authority_key``; sign-in, the directory (``domain``, ``coordinator``) and the Coordinator page
check addresses with ``normalise_email`` and ``normalise_domain``, the one place that decides
whether two addresses are the same (exactly: ASCII checked before anything is lower-cased,
internationalised domains by IDNA 2008); and every refusal a person may read is a ``PlainError``.
"""

from __future__ import annotations

import re
import string
import unicodedata

import idna


class PlainError(Exception):
    """A refusal whose message is plain English and safe to show on a page or in the shell."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInputError(PlainError):
    """A domain, email address or name that cannot be used; the message names the field."""


def authority_key(name: str) -> str:
    """How authorities are matched: case and spacing do not matter ('brighton  and hove')."""
    return " ".join(name.split()).casefold()


def one_line(text: str, limit: int) -> str:
    """``text`` on one line (white space folded), at most ``limit`` characters."""
    return " ".join(text.split())[:limit]


#: The most of a person's own input a message quotes back.
QUOTE_LIMIT = 80


def quoted(text: object, limit: int = QUOTE_LIMIT) -> str:
    """Typed input as a message quotes it: on one line, at most ``limit`` characters, '…' where cut."""
    one = " ".join(str(text).split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
#: An ASCII domain: labels, then a top-level domain of letters or an internationalised one (xn--…).
_DOMAIN = re.compile(rf"^(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})$")
_LOCAL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
#: White space a person may leave around an address (ASCII only: anything else is a character to check).
_AROUND = " \t\r\n"


def ascii_lower(text: str) -> str:
    """Only the ASCII letters A–Z lower-cased: no other character is folded (the Kelvin sign U+212A
    would become a plain 'k' under ``str.lower``, and so match another mailbox)."""
    return text.translate(_ASCII_LOWER)


def describe_character(ch: str) -> str:
    """'K' (U+212A KELVIN SIGN): the character itself only where it is safe to show."""
    name = unicodedata.name(ch, "")
    code = f"U+{ord(ch):04X}" + (f" {name}" if name else "")
    printable = ch.isprintable() and unicodedata.category(ch) not in ("Cf", "Co", "Cn", "Cs")
    return f"'{ch}' ({code})" if printable else code


def _shown(text: object) -> str:
    return quoted(text)


def _domain_problem(text: str) -> tuple[str | None, str]:
    """(the domain in ASCII, "") or (None, why it cannot be used)."""
    tidy = ascii_lower(text.strip(_AROUND).lstrip("@")).rstrip(".")
    if tidy.isascii():
        domain = tidy
        for label in domain.split("."):
            if label.startswith("xn--"):
                try:
                    idna.decode(label)
                except (idna.IDNAError, UnicodeError):
                    return None, f"has a part, '{label}', that is not a valid internationalised name"
    else:
        try:
            domain = idna.encode(tidy, uts46=False).decode("ascii")
        except (idna.IDNAError, UnicodeError):
            bad = next((ch for ch in tidy if not ch.isascii() and not _label_ok(ch)), None)
            if bad is not None:
                return None, (
                    f"holds {describe_character(bad)}, which an internationalised domain name cannot "
                    "hold (IDNA 2008), or which stands for another character"
                )
            return None, "is not a valid internationalised domain name (IDNA 2008)"
        if idna.decode(domain) != tidy:
            return None, "would read differently, written in ASCII, from what was typed"
    if len(domain) > 253 or not _DOMAIN.match(domain):
        return None, ""
    return domain, ""


def _label_ok(ch: str) -> bool:
    try:
        idna.encode(ch, uts46=False)
    except (idna.IDNAError, UnicodeError):
        return False
    return True


def normalise_domain(text: str) -> str:
    """'@Kent.GOV.uk ' → 'kent.gov.uk'; a plain message naming the field if it is not an email domain.

    Compared exactly: only ASCII letters are lower-cased, and an internationalised name
    ('bücher.example') is converted with IDNA 2008 ('xn--bcher-kva.example') and refused where the
    conversion would change how it reads (a look-alike such as the Kelvin sign, a full-width letter).
    """
    domain, why = _domain_problem(str(text or ""))
    if domain is None:
        raise InvalidInputError(
            f"Domain: '{_shown(text)}' is not an email domain"
            + (f": it {why}" if why else "")
            + ". Give the part after the @, for example kent.gov.uk."
        )
    return domain


def normalise_email(text: str) -> str:
    """'Lead@Kent.gov.uk' → 'lead@kent.gov.uk'; a plain message naming the field if it is not an address.

    The part before the @ must be plain ASCII, checked before anything is lower-cased, so that no
    other character can be folded into a letter of someone else's address; the domain is checked
    by ``normalise_domain``.
    """
    raw = str(text or "")
    local, at, domain = raw.strip(_AROUND).rpartition("@")
    example = " Give the whole address, for example name@kent.gov.uk."
    if at and not local.isascii():
        bad = next(ch for ch in local if not ch.isascii())
        raise InvalidInputError(
            f"Email: '{_shown(raw)}' is not an email address that can be checked: the part before the @ "
            f"holds {describe_character(bad)}, and only plain ASCII characters are accepted there, so "
            "that no address can pass for another."
        )
    local = ascii_lower(local)
    if not at or not _LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        raise InvalidInputError(f"Email: '{_shown(raw)}' is not an email address.{example}")
    found, why = _domain_problem(domain)
    if found is None:
        raise InvalidInputError(
            f"Email: '{_shown(raw)}' is not an email address"
            + (f": its domain {why}" if why else "")
            + f".{example}"
        )
    return f"{local}@{found}"


#: Email services anyone can sign up to: linking one to an authority would make anyone with an
#: address there its lead, so ``domain add`` refuses them unless forced.
FREE_MAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "btinternet.com",
        "gmail.com",
        "gmx.co.uk",
        "gmx.com",
        "googlemail.com",
        "hotmail.co.uk",
        "hotmail.com",
        "icloud.com",
        "live.co.uk",
        "live.com",
        "mac.com",
        "mail.com",
        "me.com",
        "msn.com",
        "outlook.com",
        "proton.me",
        "protonmail.com",
        "sky.com",
        "talktalk.net",
        "virginmedia.com",
        "yahoo.co.uk",
        "yahoo.com",
        "ymail.com",
        "zoho.com",
    }
)


def free_mail_problem(domain: str) -> str | None:
    """A plain message if ``domain`` (as ``normalise_domain`` gives it) is a free email service, else None."""
    if domain not in FREE_MAIL_DOMAINS:
        return None
    return (
        f"Domain: {domain} is a free email service that anyone can sign up to, so linking it would let "
        "anyone with an address there submit that authority's return. Link the council's own domain "
        "instead; nothing was linked."
    )


def submitter_role(text: str) -> str:
    return " ".join(text.split())[:200]
