"""Sign-in from the command line: email domains, coordinators, and the audit log.

``domain add DOMAIN --authority NAME | remove DOMAIN | list``,
``coordinator add EMAIL | remove EMAIL | list`` and ``audit [--since DATE]``.
Each takes ``--database-url`` and ``--data`` like the storage commands (the
database is seeded first), and each change is written to the audit log as done
by "command line".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from commands.storage import _authority, _Refused, _run, database_args
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
    database_args(a)
    a.set_defaults(func=_run(cmd_domain_add))
    r = dsub.add_parser("remove", help="unlink DOMAIN", description="Unlink an email domain.")
    r.add_argument("domain", metavar="DOMAIN")
    database_args(r)
    r.set_defaults(func=_run(cmd_domain_remove))
    lst = dsub.add_parser("list", help="every linked domain and its authority")
    _format(lst)
    database_args(lst)
    lst.set_defaults(func=_run(cmd_domain_list))

    p = sub.add_parser(
        "coordinator",
        help="name the coordinators (by the email they sign in with)",
        description="A coordinator who signs in may run rounds, issue codes and manage domains.",
    )
    csub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = csub.add_parser("add", help="make EMAIL a coordinator")
    a.add_argument("email", metavar="EMAIL")
    database_args(a)
    a.set_defaults(func=_run(cmd_coordinator_add))
    r = csub.add_parser("remove", help="EMAIL is no longer a coordinator")
    r.add_argument("email", metavar="EMAIL")
    database_args(r)
    r.set_defaults(func=_run(cmd_coordinator_remove))
    lst = csub.add_parser("list", help="every coordinator")
    _format(lst)
    database_args(lst)
    lst.set_defaults(func=_run(cmd_coordinator_list))

    p = sub.add_parser(
        "audit",
        help="the audit log: who saved, issued, opened, closed, added or was refused what, and when",
        description="Print the audit log, oldest first. Codes and secrets are never in it.",
    )
    p.add_argument("--since", type=_date, help="only entries on or after this day (YYYY-MM-DD, UTC)")
    _format(p)
    database_args(p)
    p.set_defaults(func=_run(cmd_audit))


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2026-06-30."
        ) from None


def _table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def cmd_domain_add(store: Store, args: argparse.Namespace) -> int:
    authority = _authority(store, args.authority, None, allow_new=args.new_authority)
    if store.add_domain(args.domain, authority):
        print(f"{args.domain.strip().lower().lstrip('@')} is linked to {authority}.")
    else:
        print(
            f"{args.domain.strip().lower().lstrip('@')} was already linked to {authority}; nothing changed."
        )
    return 0


def cmd_domain_remove(store: Store, args: argparse.Namespace) -> int:
    was = store.remove_domain(args.domain)
    domain = args.domain.strip().lower().lstrip("@")
    if was is None:
        raise _Refused(f"{domain} is not linked to any authority; nothing changed.")
    print(f"{domain} is no longer linked to {was}.")
    return 0


def cmd_domain_list(store: Store, args: argparse.Namespace) -> int:
    rows = store.domains()
    if args.format == "json":
        print(json.dumps([{"domain": d, "authority": a} for d, a in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print(
            "No email domain is linked to an authority yet (add one with: domain add DOMAIN --authority NAME)."
        )
        return 0
    _table([("Domain", "Authority"), *rows])
    return 0


def cmd_coordinator_add(store: Store, args: argparse.Namespace) -> int:
    email = args.email.strip().lower()
    if store.add_coordinator(args.email):
        print(f"{email} is a coordinator.")
    else:
        print(f"{email} was already a coordinator; nothing changed.")
    return 0


def cmd_coordinator_remove(store: Store, args: argparse.Namespace) -> int:
    email = args.email.strip().lower()
    if not store.remove_coordinator(args.email):
        raise _Refused(f"{email} is not a coordinator; nothing changed.")
    print(f"{email} is no longer a coordinator.")
    return 0


def cmd_coordinator_list(store: Store, args: argparse.Namespace) -> int:
    emails = store.coordinators()
    if args.format == "json":
        print(json.dumps([{"email": e} for e in emails], indent=2, ensure_ascii=False))
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
        print(json.dumps([e.as_dict() for e in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("The audit log has no entries" + (f" since {args.since}." if args.since else "."))
        return 0
    _table(
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
