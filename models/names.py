"""Names the whole product compares: authorities, email addresses and domains, and the plain error.

Every layer needs these, so they live at the bottom: the store matches authorities with
``authority_key``, sign-in and the directory check addresses with ``normalise_email`` and
``normalise_domain``, and every refusal a person may read is a ``PlainError``.
"""

from __future__ import annotations

import re


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


_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"^(?:{_LABEL}\.)+[a-z]{{2,63}}$")
_LOCAL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")


def normalise_domain(text: str) -> str:
    """'@Kent.GOV.uk ' → 'kent.gov.uk'; a plain message naming the field if it is not an email domain."""
    domain = (text or "").strip().lower().lstrip("@").rstrip(".")
    if len(domain) > 253 or not _DOMAIN.match(domain):
        shown = " ".join(str(text).split())[:80]
        raise InvalidInputError(
            f"Domain: '{shown}' is not an email domain. Give the part after the @, for example kent.gov.uk."
        )
    return domain


def normalise_email(text: str) -> str:
    """'Lead@Kent.gov.uk' → 'lead@kent.gov.uk'; a plain message naming the field if it is not an address."""
    email = (text or "").strip().lower()
    local, at, domain = email.rpartition("@")
    shown = " ".join(str(text).split())[:80]
    problem = InvalidInputError(
        f"Email: '{shown}' is not an email address. Give the whole address, for example name@kent.gov.uk."
    )
    if not at or not _LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        raise problem
    try:
        return f"{local}@{normalise_domain(domain)}"
    except InvalidInputError:
        raise problem from None


def submitter_role(text: str) -> str:
    return " ".join(text.split())[:200]
