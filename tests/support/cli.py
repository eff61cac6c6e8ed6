"""The one CLI runner of the tests: ``cli.main`` in this process, its output captured by pytest.

    result = run_cli(capsys, "list", "--data", path)
    assert result.code == 0 and "2 return(s)." in result.out

    cli = Cli(capsys, database_url=url, data=folder)   # adds --database-url and --data to each call
    assert cli("domain", "list").code == 0

Errors are reported on standard error (``commands.common.error``); ``result.text`` is both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cli import main


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        """Standard output then standard error, as a person at a terminal reads them."""
        return self.out + self.err


def run_cli(capsys: Any, *argv: object) -> Result:
    """Run ``cli.py ARGV`` and capture what it printed (``capsys``: pytest's fixture)."""
    capsys.readouterr()  # anything printed before belongs to someone else
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


class Cli:
    """``run_cli`` with ``--database-url`` (and ``--data``) added to every call."""

    def __init__(self, capsys: Any, *, database_url: str, data: Path | str | None = None) -> None:
        self.capsys = capsys
        self.database_url = database_url
        self.data = data

    def options(self, *, data: bool = True) -> list[str]:
        out = ["--database-url", self.database_url]
        if data and self.data is not None:
            out += ["--data", str(self.data)]
        return out

    def __call__(self, *argv: object, data: bool = True) -> Result:
        return run_cli(self.capsys, *argv, *self.options(data=data))
