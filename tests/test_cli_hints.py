"""Every hint that tells a person to run a command gives it as the README does
(``.venv/bin/python cli.py …``), so it can be copied into a shell as it stands: on the Submit page,
in the template's instructions, in the command line's own messages, and nowhere a bare
``python cli.py`` or ``cli.py`` on its own.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from exports.template_writer import template_workbook
from models.vocabulary import CLI
from tests.support.cli import Cli
from tests.support.pages import open_page

ROOT = Path(__file__).resolve().parent.parent
FAKE = Path(__file__).parent / "fake_data" / "good"
#: Where text a person reads is written.
SOURCES = ("app.py", "ui", "pages", "views", "exports", "analysis", "store", "survey", "commands", "official")
#: A command named, not a command to run ("not a backup made by cli.py backup").
NAMING = re.compile(r"made by '?cli\.py backup")
BARE = re.compile(r"(?<!\.venv/bin/python )\bcli\.py\b")


def test_the_readme_gives_the_command_line_as_the_hints_do():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{CLI} issue-code" in readme
    assert not re.search(r"(?<![/\w])python cli\.py", readme)


def test_the_submit_page_gives_the_readme_s_command_for_a_code(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'returns.db'}")
    at = open_page("submit").run()
    hint = next(c.value for c in at.caption if "No code?" in c.value)
    assert '`.venv/bin/python cli.py issue-code "Your authority" --round ROUND`' in hint


def test_the_template_s_instructions_give_the_readme_s_command_for_an_import():
    from excel_helpers import ROUND, open_both

    wb = open_both(template_workbook(ROUND.id, "Northshire"))
    text = "\n".join(str(v) for row in wb["Instructions"].iter_rows(values_only=True) for v in row if v)
    assert "(or: .venv/bin/python cli.py import FILE.xlsx --authority NAME --code CODE)" in text


def test_the_command_line_s_own_hints_give_the_whole_command(tmp_path, capsys):
    cli = Cli(capsys, database_url=f"sqlite:///{tmp_path / 'r.db'}", data=FAKE)
    result = cli("pack", "--authority", "Nowhereshire", "--out", str(tmp_path / "p.docx"))
    assert result.code == 2
    assert "Check the names (.venv/bin/python cli.py list)." in result.err


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _bare_hints() -> list[str]:
    """Every string a person may read (docstrings and comments aside) naming cli.py without the venv."""
    found = []
    files = [ROOT / "app.py", *(p for d in SOURCES[1:] for p in sorted((ROOT / d).rglob("*.py")))]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                text = NAMING.sub("", node.value)
                if BARE.search(text):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:80]!r}")
    return found


def test_no_hint_anywhere_gives_a_bare_cli_py():
    assert _bare_hints() == []


@pytest.mark.parametrize("text", ["run python cli.py validate", "(`cli.py coordinator add EMAIL`)"])
def test_the_scan_finds_a_bare_command(text):
    assert BARE.search(NAMING.sub("", text))
