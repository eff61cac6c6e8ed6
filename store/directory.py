"""The sign-in directory: which email domain belongs to which authority, and who the coordinators are."""

from __future__ import annotations

import sqlalchemy as sa

from models.names import (
    InvalidInputError,
    authority_key,
    free_mail_problem,
    normalise_domain,
    normalise_email,
)
from store import rights
from store.audit import current, record_audit, refusal_logged
from store.engine import now_utc
from store.rights import Actor
from store.schema import codes_table, coordinators_table, domains_table, versions_table


class DirectoryMixin:
    """The directory part of ``store.Store``: authorities known to the store, domains, coordinators."""

    # -- authorities ---------------------------------------------------------

    def authorities(self, round_id: str | None = None) -> list[str]:
        """Every authority with a return or an access code (in ``round_id`` if given), by name."""
        names: dict[str, str] = {}
        with self.transaction("the authorities") as conn:
            for table in (versions_table, codes_table):
                q = sa.select(table.c.authority_key, table.c.authority).order_by(table.c.id)
                if round_id is not None:
                    q = q.where(table.c.round_id == round_id)
                for key, name in conn.execute(q):
                    names[key] = name  # the latest spelling wins
        return sorted(names.values(), key=authority_key)

    def resolve_authority(self, name: str, round_id: str | None = None) -> str | None:
        """The stored name of an authority, matched without regard to case or spacing."""
        key = authority_key(name)
        for known in self.authorities(round_id):
            if authority_key(known) == key:
                return known
        return None

    # -- sign-in: email domains and coordinators ------------------------------

    def domains(self) -> list[tuple[str, str]]:
        """Every (domain, authority) pair, by domain."""
        d = domains_table
        with self.transaction("the email domains") as conn:
            return [(r.domain, r.authority) for r in conn.execute(sa.select(d).order_by(d.c.domain))]

    def authority_for_domain(self, domain: str) -> str | None:
        """The authority an email domain belongs to, or None (also for anything that is not a domain)."""
        try:
            domain = normalise_domain(domain)
        except InvalidInputError:
            return None
        d = domains_table
        with self.transaction("the email domains") as conn:
            return conn.execute(sa.select(d.c.authority).where(d.c.domain == domain)).scalar()

    def add_domain(
        self, domain: str, authority: str, *, force: bool = False, who: Actor | str | None = None
    ) -> bool:
        """Link an email domain to an authority. False if it already was; refused if it is another's,
        or a free-mail domain (gmail.com…) unless ``force``.

        ``who`` (default: whoever ``acting_as`` names) must still be allowed to coordinate,
        checked in the same transaction; so for each change below."""
        domain = normalise_domain(domain)
        problem = free_mail_problem(domain)
        if problem and not force:
            raise InvalidInputError(problem)
        name = " ".join(authority.split())
        if len(name) < 2:
            raise InvalidInputError("Authority: give the authority's name, for example 'Kent'.")
        d = domains_table
        who = current(who)
        with (
            refusal_logged(self, "action_refused", who=who, authority=name),
            self.transaction(f"add the domain {domain}", write=True) as conn,
        ):
            rights.checked(conn, who, f"link the domain {domain}")
            row = conn.execute(sa.select(d).where(d.c.domain == domain)).first()
            if row is not None:
                if row.authority_key == authority_key(name):
                    return False
                raise InvalidInputError(
                    f"Domain: {domain} already belongs to {row.authority}; a domain belongs to one "
                    f"authority only. Remove it first (domain remove {domain}) if it has moved."
                )
            conn.execute(
                d.insert().values(
                    domain=domain, authority=name, authority_key=authority_key(name), added_at=now_utc()
                )
            )
            record_audit(conn, "domain_added", who=who, authority=name, detail=domain)
        return True

    def remove_domain(self, domain: str, *, who: Actor | str | None = None) -> str | None:
        """Unlink an email domain; the authority it belonged to, or None if it was not linked."""
        domain = normalise_domain(domain)
        d = domains_table
        who = current(who)
        with (
            refusal_logged(self, "action_refused", who=who),
            self.transaction(f"remove the domain {domain}", write=True) as conn,
        ):
            rights.checked(conn, who, f"unlink the domain {domain}")
            authority = conn.execute(sa.select(d.c.authority).where(d.c.domain == domain)).scalar()
            if authority is None:
                return None
            conn.execute(d.delete().where(d.c.domain == domain))
            record_audit(conn, "domain_removed", who=who, authority=authority, detail=domain)
        return authority

    def coordinators(self) -> list[str]:
        """Every coordinator's email address, sorted."""
        c = coordinators_table
        with self.transaction("the coordinators") as conn:
            return list(conn.execute(sa.select(c.c.email).order_by(c.c.email)).scalars())

    def is_coordinator(self, email: str) -> bool:
        try:
            email = normalise_email(email)
        except InvalidInputError:
            return False
        c = coordinators_table
        with self.transaction("the coordinators") as conn:
            return conn.execute(sa.select(c.c.email).where(c.c.email == email)).first() is not None

    def add_coordinator(self, email: str, *, who: Actor | str | None = None) -> bool:
        """Name a coordinator by email. False if they already were one."""
        email = normalise_email(email)
        c = coordinators_table
        who = current(who)
        with (
            refusal_logged(self, "action_refused", who=who),
            self.transaction(f"add the coordinator {email}", write=True) as conn,
        ):
            rights.checked(conn, who, f"add the coordinator {email}")
            if conn.execute(sa.select(c.c.email).where(c.c.email == email)).first() is not None:
                return False
            conn.execute(c.insert().values(email=email, added_at=now_utc()))
            record_audit(conn, "coordinator_added", who=who, detail=email)
        return True

    def remove_coordinator(self, email: str, *, who: Actor | str | None = None) -> bool:
        """Stop an email being a coordinator. False if it was not one."""
        email = normalise_email(email)
        c = coordinators_table
        who = current(who)
        with (
            refusal_logged(self, "action_refused", who=who),
            self.transaction(f"remove the coordinator {email}", write=True) as conn,
        ):
            rights.checked(conn, who, f"remove the coordinator {email}")
            gone = conn.execute(c.delete().where(c.c.email == email)).rowcount
            if gone:
                record_audit(conn, "coordinator_removed", who=who, detail=email)
        return bool(gone)

    def record(
        self,
        action: str,
        *,
        who: Actor | str | None = None,
        round_id: str | None = None,
        authority: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Add one entry to the audit log in its own transaction (for refusals: nothing else changes)."""
        with self.transaction("write to the audit log", write=True) as conn:
            record_audit(conn, action, who=who, round_id=round_id, authority=authority, detail=detail)
