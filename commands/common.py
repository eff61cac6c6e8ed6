"""What every command shares: the one runner, the one refusal, the one table printer, JSON, and the
options of the returns database.

* ``runner(command, store=True)``: the one way a command runs. With ``store`` it opens the returns
  database (``--database-url``), seeds it from ``--data`` (never overwriting a saved version) and
  calls ``command(store, args)``; otherwise ``command(args)``. Everything is done as the shell's
  user (``store.rights.shell``: the audit log names them). Whatever the command prints goes
  through ``exports.text.for_terminal`` (``TerminalWriter``), so no stored text can send the
  terminal an escape sequence. Every error is reported the same way: its plain message on
  standard error; exit 2 for a refusal (``Refused``: bad input, an unknown round or authority),
  1 when something could not be done (the database, a file).
* ``table(rows)``: a header, a rule and aligned columns; each cell on one line, every control
  character shown as its escape.
* ``json_text(value)`` / ``print_json``: JSON for scripts, the exact text (control, format and
  hostile characters written as ``\\uXXXX`` escapes, which a JSON reader turns back into them).

A closed pipe (``cli.py round status … | head``) ends the command quietly (``cli.main``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from config.settings import default_database_url
from exports.text import for_terminal
from models.names import InvalidInputError, PlainError, quoted
from models.safe_text import HOSTILE
from models.vocabulary import CLI
from store import Store
from store.audit import acting_as
from store.errors import UnknownRoundError
from store.loading import DEFAULT_DATA_DIR, load_survey_data
from store.rights import shell

#: Exit codes: a refusal (bad input) and a failure (something could not be done).
REFUSED, FAILED = 2, 1


class Refused(PlainError):
    """A plain refusal: bad input, an unknown round or authority (exit 2). The message says what to do."""


def database_args(p: argparse.ArgumentParser, *, data: bool = True) -> None:
    """--database-url (and --data), the same for every command that uses the returns database."""
    p.add_argument(
        "--database-url",
        default=None,
        help="the returns database (default: the DATABASE_URL environment variable, else var/returns.db)",
    )
    if data:
        p.add_argument(
            "--data",
            default=str(DEFAULT_DATA_DIR),
            help="data folder seeded into the database first (default: survey_data/)",
        )


# ---------------------------------------------------------------------------
# What reaches the terminal


class TerminalWriter:
    """A text stream that shows every control character it is given as its escape (tabs and line
    breaks kept): the terminal's edge (``exports.text.for_terminal``)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(for_terminal(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return bool(getattr(self.stream, "isatty", lambda: False)())

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", "utf-8")


@contextmanager
def terminal_edge() -> Iterator[None]:
    """Standard output and error cleaned (``TerminalWriter``) for the duration of a command."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalWriter(out), TerminalWriter(err)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def error(message: object) -> None:
    """Report an error the one way: its plain message on standard error."""
    print(for_terminal(str(message)), file=sys.stderr)


def table_lines(rows: Sequence[Sequence[Any]]) -> list[str]:
    """The lines of ``table(rows)``: the header, the rule, then one line per row."""
    if not rows:
        return []
    cells = [["" if c is None else for_terminal(str(c), cell=True) for c in row] for row in rows]
    n = max(len(r) for r in cells)
    cells = [r + [""] * (n - len(r)) for r in cells]
    widths = [max(len(r[i]) for r in cells) for i in range(n)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return [lines[0], "  ".join("-" * w for w in widths), *lines[1:]]


def table(rows: Sequence[Sequence[Any]], *, file: TextIO | None = None) -> None:
    """The first row as a header, a rule under it, the rest aligned; every cell on one line with its
    control characters shown as escapes (``for_terminal(cell=True)``)."""
    for line in table_lines(rows):
        print(line, file=file or sys.stdout)


def _json_escape(ch: str) -> str:
    n = ord(ch)
    if n <= 0xFFFF:
        return f"\\u{n:04x}"
    n -= 0x10000
    return f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}"


_JSON_ESCAPED = ("Cc", "Cf", "Cs", "Zl", "Zp")


def json_text(value: Any) -> str:
    """``value`` as indented JSON holding the exact text: characters a terminal could act on (controls,
    format and bidirectional characters, noncharacters, lone surrogates) are written as ``\\u`` escapes."""
    import unicodedata

    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    if HOSTILE.search(text) is None and all(ch == "\n" or ch.isprintable() for ch in text):
        return text
    return "".join(
        _json_escape(ch)
        if ch != "\n" and (HOSTILE.match(ch) or unicodedata.category(ch) in _JSON_ESCAPED)
        else ch
        for ch in text
    )


def print_json(value: Any) -> None:
    print(json_text(value))


# ---------------------------------------------------------------------------
# The runner


def _seeded_store(args: argparse.Namespace) -> Store:
    store = Store(getattr(args, "database_url", None) or default_database_url())
    data = getattr(args, "data", None)
    if data is not None:
        try:
            ds = load_survey_data(Path(data))
            args.seed_report = store.seed(ds)
        except BaseException:
            store.dispose()
            raise
        if ds.problems:
            error(
                f"Note: {len(ds.problems)} problem(s) in {data}; those files were not loaded "
                f"(run '{CLI} validate' to see them)."
            )
    return store


def runner(command: Callable[..., int | None], *, store: bool = True) -> Callable[[argparse.Namespace], int]:
    """The one way a command runs (see the module docstring)."""

    def run(args: argparse.Namespace) -> int:
        try:
            with terminal_edge(), acting_as(shell()):
                if not store:
                    return int(command(args) or 0)
                s = _seeded_store(args)
                try:
                    return int(command(s, args) or 0)
                finally:
                    s.dispose()
        except (Refused, UnknownRoundError, InvalidInputError) as exc:
            error(exc)
            return REFUSED
        except ValidationError as exc:  # input no model accepts: each field named, never a traceback
            from models.errors import explain

            for problem in explain(exc)[:5]:
                error(f"{problem.question}: {problem.message}")
            return REFUSED
        except PlainError as exc:
            error(exc)
            return FAILED

    run.command = command  # type: ignore[attr-defined]
    return run


# ---------------------------------------------------------------------------
# Rounds and authorities named on the command line


def pick_round(store: Store, round_id: str | None, *, prefer_open: bool = False) -> str:
    """The round named (``Refused`` if there is none), else the one round open for submissions
    (``prefer_open``), else the only questionnaire round; else ``Refused`` asking for ``--round``."""
    rounds = store.rounds()
    ids = [r.id for r in rounds]
    known = ", ".join(ids) or "none"
    if round_id is not None:
        if round_id not in ids:
            raise Refused(f"There is no round '{quoted(round_id)}'. Rounds: {known}.")
        return round_id
    if prefer_open:
        open_rounds = [r.id for r in rounds if r.open_for_submissions]
        if len(open_rounds) == 1:
            return open_rounds[0]
    questionnaires = [r.id for r in rounds if r.is_questionnaire]
    if len(questionnaires) == 1:
        return questionnaires[0]
    raise Refused(f"Name the round with --round. Rounds: {known}.")


def new_authority(name: str) -> str:
    """A name typed with ``--new-authority``, tidied; ``Refused`` where the register knows that
    authority under another spelling ('Brighton & Hove' is 'Brighton and Hove'), so that no
    authority is entered twice."""
    from models.names import authority_key
    from official.register import entry_for

    tidy = " ".join(name.split())
    entry = entry_for(tidy)
    if entry is not None and authority_key(entry.name) != authority_key(tidy):
        raise Refused(
            f"Authority: the register of English authorities knows '{tidy}' as '{entry.name}' "
            f"({entry.ons_code}). Use that name, so that it is not entered twice; nothing was changed."
        )
    return tidy


def known_authority(store: Store, name: str, round_id: str | None, *, hint: str = "") -> str:
    """The stored name of an authority (any case or spacing), else ``Refused`` listing those known."""
    found = store.resolve_authority(name, round_id) or store.resolve_authority(name)
    if found is not None:
        return found
    from official.register import entry_for

    entry = entry_for(name)
    if entry is not None:  # another spelling of a stored authority ('Brighton & Hove')
        for stored in store.authorities(round_id) or store.authorities():
            other = entry_for(stored)
            if other is not None and other.ons_code == entry.ons_code:
                return stored
    known = ", ".join(store.authorities(round_id)) or "none"
    where = f" in round '{round_id}'" if round_id else ""
    raise Refused(f"There is no authority '{quoted(name)}'{where}. Authorities: {known}.{hint}")
