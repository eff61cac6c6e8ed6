"""Sign-in from the command line: email domains, coordinators, and the audit log.

``domain add DOMAIN --authority NAME | remove DOMAIN | list``,
``coordinator add EMAIL | remove EMAIL | list`` and ``audit [--since DATE]``.
Each takes ``--database-url`` and ``--data`` like the storage commands (the
database is seeded first), and each change is written to the audit log as done
by the shell's user ("command line (alice)").

``domain add`` refuses a free-mail domain (gmail.com, outlook.com…: anyone can have an address
there) unless ``--force`` is given, and ``--new-authority`` refuses a name the register knows under
another spelling.
"""

from __future__ import annotations

import argparse
import datetime as dt

from commands.common import Refused, database_args, known_authority, new_authority, print_json, runner, table
from models.names import free_mail_problem, normalise_domain, normalise_email
from store import Store, audit


def _format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "json"), default="table")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "domain",
        help="link council email domains to authorities, for sign-in",
        description="Someone who signs in with an address at a linked domain is a member of the group "
        "and the lead for that authority (they may submit its return without a code). A domain "
        "belongs to one authority only.",
    )
    dsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = dsub.add_parser("add", help="link DOMAIN to an authority", description="Link an email domain.")
    a.add_argument("domain", metavar="DOMAIN", help="the part of the address after the @, e.g. kent.gov.uk")
    a.add_argument("--authority", required=True, help="the authority's usual name, e.g. 'Kent'")
    a.add_argument(
        "--new-authority",
        action="store_true",
        help="the authority has no return or code in the database yet (its name is used as typed)",
    )
    a.add_argument(
        "--force",
        action="store_true",
        help="link a free-mail domain (gmail.com, outlook.com…) all the same: anyone with an address "
        "there would then be that authority's lead",
    )
    database_args(a)
    a.set_defaults(func=runner(cmd_domain_add))
    r = dsub.add_parser("remove", help="unlink DOMAIN", description="Unlink an email domain.")
    r.add_argument("domain", metavar="DOMAIN")
    database_args(r)
    r.set_defaults(func=runner(cmd_domain_remove))
    lst = dsub.add_parser("list", help="every linked domain and its authority")
    _format(lst)
    database_args(lst)
    lst.set_defaults(func=runner(cmd_domain_list))

    p = sub.add_parser(
        "coordinator",
        help="name the coordinators (by the email they sign in with)",
        description="A coordinator who signs in may run rounds, issue codes and manage domains.",
    )
    csub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = csub.add_parser("add", help="make EMAIL a coordinator")
    a.add_argument("email", metavar="EMAIL")
    database_args(a)
    a.set_defaults(func=runner(cmd_coordinator_add))
    r = csub.add_parser("remove", help="EMAIL is no longer a coordinator")
    r.add_argument("email", metavar="EMAIL")
    database_args(r)
    r.set_defaults(func=runner(cmd_coordinator_remove))
    lst = csub.add_parser("list", help="every coordinator")
    _format(lst)
    database_args(lst)
    lst.set_defaults(func=runner(cmd_coordinator_list))

    p = sub.add_parser(
        "audit",
        help="the audit log: who saved, issued, opened, closed, added or was refused what, and when",
        description="Print the audit log, oldest first. Codes and secrets are never in it.",
    )
    p.add_argument("--since", type=_date, help="only entries on or after this day (YYYY-MM-DD, UTC)")
    _format(p)
    database_args(p)
    p.set_defaults(func=runner(cmd_audit))


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2026-06-30."
        ) from None


def cmd_domain_add(store: Store, args: argparse.Namespace) -> int:
    if args.new_authority and store.resolve_authority(args.authority) is None:
        authority = new_authority(args.authority)
    else:
        hint = " To link a domain to an authority with no return or code yet, add --new-authority."
        authority = known_authority(store, args.authority, None, hint=hint)
    domain = normalise_domain(args.domain)
    problem = free_mail_problem(domain)
    if problem and not args.force:
        raise Refused(f"{problem} (To link it all the same, add --force.)")
    if store.add_domain(args.domain, authority, force=args.force):
        print(f"{domain} is linked to {authority}.")
    else:
        print(f"{domain} was already linked to {authority}; nothing changed.")
    return 0


def cmd_domain_remove(store: Store, args: argparse.Namespace) -> int:
    domain = normalise_domain(args.domain)
    was = store.remove_domain(args.domain)
    if was is None:
        raise Refused(f"{domain} is not linked to any authority; nothing changed.")
    print(f"{domain} is no longer linked to {was}.")
    return 0


def cmd_domain_list(store: Store, args: argparse.Namespace) -> int:
    rows = store.domains()
    if args.format == "json":
        print_json([{"domain": d, "authority": a} for d, a in rows])
        return 0
    if not rows:
        print(
            "No email domain is linked to an authority yet (add one with: domain add DOMAIN --authority NAME)."
        )
        return 0
    table([("Domain", "Authority"), *rows])
    return 0


def cmd_coordinator_add(store: Store, args: argparse.Namespace) -> int:
    email = normalise_email(args.email)
    if store.add_coordinator(args.email):
        print(f"{email} is a coordinator.")
    else:
        print(f"{email} was already a coordinator; nothing changed.")
    return 0


def cmd_coordinator_remove(store: Store, args: argparse.Namespace) -> int:
    email = normalise_email(args.email)
    if not store.remove_coordinator(args.email):
        raise Refused(f"{email} is not a coordinator; nothing changed.")
    print(f"{email} is no longer a coordinator.")
    return 0


def cmd_coordinator_list(store: Store, args: argparse.Namespace) -> int:
    emails = store.coordinators()
    if args.format == "json":
        print_json([{"email": e} for e in emails])
        return 0
    if not emails:
        print("No coordinator is named yet (add one with: coordinator add EMAIL).")
        return 0
    for e in emails:
        print(e)
    return 0


def cmd_audit(store: Store, args: argparse.Namespace) -> int:
    rows = audit.entries(store, since=args.since)
    if args.format == "json":
        print_json([e.as_dict() for e in rows])
        return 0
    if not rows:
        print("The audit log has no entries" + (f" since {args.since}." if args.since else "."))
        return 0
    table(
        [("When (UTC)", "Who", "What", "Round", "Authority", "Detail")]
        + [
            (
                e.at.strftime("%Y-%m-%d %H:%M"),
                e.who,
                e.what,
                e.round_id or "",
                e.authority or "",
                e.detail or "",
            )
            for e in rows
        ]
    )
    return 0
