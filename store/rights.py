"""Who is acting, as verified, and their right checked in the same transaction that uses it.

An ``Actor`` is made only from what was verified: a signed-in email the provider vouched for
(``signed_in``), an access code that was checked (``by_code``, with the code's row id), the
coordinator secret where the page accepted it (``COORDINATOR_SECRET``), the shell's user
(``shell``) or the seeding of ``survey_data/`` (``SEED``). The audit log names each from the
Actor itself (``audit_name``), never from free text a page was given, so no entry can pass for
another. Anything claimed but not verified is written as ``unverified(…)``: "unverified: " and
the claim with every control character shown as its escape.

The checks run inside the caller's transaction, so a right taken away a moment ago counts:

* ``check_save``: a signed-in lead's domain is still linked to the authority; a code is still the
  authority's current, unrevoked code for the round;
* ``check_coordinate``: a signed-in coordinator is still named as one (issuing and revoking
  codes, creating, opening and closing rounds, managing domains and coordinators).

A ``str`` (or None) given where an Actor is expected comes from the project's own code (tests,
the benchmark) and is written as it is, unchecked; no page or command passes one.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from models.names import authority_key, normalise_email, one_line
from models.safe_text import escape_visible
from store.errors import StorageError
from store.schema import codes_table, coordinators_table, domains_table

EMAIL, CODE, SECRET, SHELL, SEED_KIND, CLAIM = "email", "code", "secret", "shell", "seed", "claim"
UNVERIFIED = "unverified: "
#: How much of an unverified claim is kept.
CLAIM_LIMIT = 200


class RightsError(StorageError):
    """The person's right was taken away before they used it (nothing was changed)."""


@dataclass(frozen=True)
class Actor:
    """Someone acting, as verified (see the module docstring); build one with the functions below."""

    kind: str
    #: The email (EMAIL), the authority (CODE), the shell's user (SHELL), the claim as it will be
    #: shown (CLAIM: unverified), else "".
    name: str = ""
    #: The row id of the access code that was checked (CODE).
    code_id: int | None = None
    round_id: str | None = None
    #: A verified email of whoever used the code, or the shell's user, shown with the code.
    via: str | None = None

    @property
    def audit_name(self) -> str:
        """How the audit log and the version history name them."""
        if self.kind == EMAIL:
            return self.name
        if self.kind == CODE:
            base = f"access code for {self.name}"
            return f"{self.via} ({base})" if self.via else base
        if self.kind == SECRET:
            return "coordinator secret"
        if self.kind == SHELL:
            return f"command line ({self.name})"
        if self.kind == CLAIM:
            return UNVERIFIED + self.name
        return "survey_data (loaded on start)"

    def __str__(self) -> str:
        return self.audit_name


def signed_in(email: str) -> Actor:
    """A signed-in person whose provider vouched for ``email`` (``InvalidInputError`` if it is not one)."""
    return Actor(EMAIL, normalise_email(email))


def by_code(authority: str, round_id: str, code_id: int, *, via: str | None = None) -> Actor:
    """Whoever unlocked ``authority``'s return in ``round_id`` with the access code ``code_id``."""
    return Actor(CODE, " ".join(authority.split()), code_id=code_id, round_id=round_id, via=via)


def shell_user() -> str:
    """The operating system's name for whoever runs the command line."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        user = ""
    return one_line(escape_visible(user), 64) or "unknown user"


def shell() -> Actor:
    """Whoever runs the command line, by the operating system's user name."""
    return Actor(SHELL, shell_user())


def via_shell() -> str:
    return f"command line, {shell_user()}"


COORDINATOR_SECRET = Actor(SECRET)
SEED = Actor(SEED_KIND)


def unverified(claim: object) -> Actor:
    """Someone not verified, named by what they claimed (an address, a browser session): logged as
    'unverified: kate@example.org', on one line, every control character shown as its escape. They
    have no right to save or coordinate."""
    text = one_line(escape_visible(str(claim or "")), CLAIM_LIMIT) or "nothing claimed"
    return Actor(CLAIM, text)


# ---------------------------------------------------------------------------
# Checks, in the caller's transaction


def _domain_of(email: str) -> str:
    return email.rpartition("@")[2]


def check_save(conn: Connection, actor: Actor, round_id: str, authority: str) -> None:
    """Refuse the save unless ``actor`` still has the right to save ``authority``'s return in
    ``round_id`` (read in the save's own transaction)."""
    name = " ".join(authority.split())
    if actor.kind in (SHELL, SEED_KIND):
        return
    if actor.kind == EMAIL:
        domain = _domain_of(actor.name)
        linked = conn.execute(
            sa.select(domains_table.c.authority, domains_table.c.authority_key).where(
                domains_table.c.domain == domain
            )
        ).first()
        if linked is None:
            raise RightsError(
                f"Save: your email domain {domain} is no longer linked to {name} (the coordinator has "
                "changed it since you opened the form), so your answers have not been saved. Ask the "
                "coordinator, or unlock the form with an access code."
            )
        if linked.authority_key != authority_key(name) and not _same_authority(linked.authority, name):
            raise RightsError(
                f"Save: your email domain {domain} is now linked to {linked.authority}, not {name}, so "
                "your answers have not been saved. Ask the coordinator."
            )
        return
    if actor.kind == CODE:
        c = codes_table
        row = None
        if actor.code_id is not None:
            row = conn.execute(sa.select(c).where(c.c.id == actor.code_id)).first()
        if (
            row is None
            or row.round_id != round_id
            or row.authority_key != authority_key(name)
            or row.revoked_at is not None
        ):
            raise RightsError(
                f"Save: the access code this form was unlocked with is no longer {name}'s code for "
                "this round (the coordinator has revoked it or issued a new one), so your answers have "
                "not been saved. Ask the coordinator for a new code."
            )
        return
    raise RightsError(f"Save: only {name}'s lead may save its return, so nothing was saved.")


def _same_authority(a: str, b: str) -> bool:
    """Two names of one authority in the register (its official name and its usual one)."""
    from official.register import entry_for

    ea, eb = entry_for(a), entry_for(b)
    return ea is not None and eb is not None and ea.ons_code == eb.ons_code


def check_coordinate(conn: Connection, actor: Actor, what: str) -> None:
    """Refuse ``what`` ("issue a code to Kent") unless ``actor`` may still coordinate."""
    if actor.kind in (SHELL, SEED_KIND, SECRET):
        return
    if actor.kind == EMAIL:
        c = coordinators_table
        if conn.execute(sa.select(c.c.email).where(c.c.email == actor.name)).first() is None:
            raise RightsError(
                f"{actor.name} is no longer a coordinator, so this was not done ({what}). "
                "Ask another coordinator."
            )
        return
    raise RightsError(f"Only a coordinator may {what}; nothing was changed.")


def checked(conn: Connection, who: Actor | str | None, what: str) -> None:
    """``check_coordinate`` for an Actor; a string (the project's own code) passes unchecked."""
    if isinstance(who, Actor):
        check_coordinate(conn, who, what)


__all__ = [
    "COORDINATOR_SECRET",
    "SEED",
    "Actor",
    "RightsError",
    "by_code",
    "check_coordinate",
    "check_save",
    "checked",
    "shell",
    "signed_in",
    "unverified",
]
