"""Command line for the IRO and CP chair benchmarking dashboard.

Run ``python cli.py --help`` for the commands. Each command lives in a module of
``commands`` that registers itself here.
"""

from __future__ import annotations

import argparse
import importlib
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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
