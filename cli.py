"""Command line for the IRO and CP chair benchmarking dashboard.

Run ``python cli.py --help`` for the commands. Each command lives in a module of
``commands`` that registers itself here, and runs through ``commands.common.runner``
(one way to report an error, output cleaned for the terminal).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from commands import MODULES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cli.py",
        description="IRO and CP chair benchmarking: check, list, store and export authorities' returns.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in MODULES:
        module = importlib.import_module(f"commands.{name}")
        module.register(sub)
    return parser


def _quiet_closed_pipe() -> int:
    """Whoever read the output has gone (``cli.py round status … | head``): stop without a traceback.

    Standard output is pointed at /dev/null so that Python's own flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file (a test's capture)
        pass
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()
    except BrokenPipeError:
        return _quiet_closed_pipe()
    return code


if __name__ == "__main__":
    sys.exit(main())
