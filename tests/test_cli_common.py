"""The command line's one runner, refusal and table printer (``commands.common``).

Every command reports an error the same way (its message on standard error, exit 2 for bad input,
1 when something could not be done), prints stored text with its control characters made visible,
gives the exact text in JSON, and ends quietly when whoever reads its output has gone.
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from commands.common import json_text, table_lines
from tests.support.cli import Cli
from tests.support.hostile import HOSTILE, names

ROOT = Path(__file__).resolve().parent.parent
FAKE = ROOT / "tests" / "fake_data" / "good"


@pytest.mark.parametrize(("name", "stored", "shown", "terminal"), HOSTILE, ids=names(HOSTILE))
def test_the_table_printer_shows_control_characters_as_escapes(name, stored, shown, terminal):
    lines = table_lines([("Authority", "Answer"), ("Northshire", stored), ("Southshire", "plain")])
    assert len(lines) == 4  # header, rule, two rows: every cell on one line
    assert lines[2] == f"Northshire  {terminal}"
    assert not [c for line in lines for c in line if unicodedata.category(c) in ("Cc", "Cf", "Cs")]


def test_the_table_printer_keeps_a_cell_s_line_breaks_on_one_line():
    assert table_lines([("A", "B"), ("x", "one\ntwo\tthree")])[2] == "x  one\\ntwo\\tthree"


@pytest.mark.parametrize(("name", "stored", "shown", "terminal"), HOSTILE, ids=names(HOSTILE))
def test_json_carries_the_exact_text_escaped_by_json_itself(name, stored, shown, terminal):
    text = json_text({"answer": stored, "list": [stored]})
    assert json.loads(text) == {"answer": stored, "list": [stored]}
    assert text.isascii() or not [c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf")]


def test_json_keeps_a_lone_surrogate_exact():
    assert json.loads(json_text("a\ud800b")) == "a\ud800b"
    assert json_text("a\ud800b") == '"a\\ud800b"'


@pytest.fixture
def cli(tmp_path, capsys):
    return Cli(capsys, database_url=f"sqlite:///{tmp_path / 'r.db'}", data=FAKE)


# (command, exit code, the start of the message on standard error)
ERRORS = [
    (("list", "--round", "nope"), 2, "There is no round 'nope'."),
    (("history", "Nowhereshire", "--round", "fake-round"), 2, "There is no authority 'Nowhereshire'"),
    (("issue-code", "Kent", "--round", "nope"), 2, "There is no round 'nope'."),
    (("round", "create", "r-2027"), 2, "round create needs --title, --group, --deadline."),
    (("round", "close", "nope"), 2, "There is no round 'nope'."),
    (("changes", "--from", "nope", "--to", "fake-round"), 2, "--from: there is no round 'nope'."),
    (("domain", "add", "gmail.com", "--authority", "Northshire"), 2, "Domain: gmail.com is a free email"),
    (("coordinator", "remove", "x@example.org"), 2, "x@example.org is not a coordinator"),
    (("export", "--out", "x.xlsx", "--round", "nope"), 2, "There is no round 'nope'."),
    (("template", "--out", "x.xlsx", "--round", "nope"), 2, "There is no round 'nope'."),
    (("import", "nope.xlsx", "--authority", "Northshire", "--code", "X"), 2, "There is no file nope.xlsx."),
    (
        ("pack", "--out", "p.docx", "--round", "fake-round", "--authority", "Nowhere"),
        2,
        "No return for: Nowhere",
    ),
]


@pytest.mark.parametrize(("argv", "code", "message"), ERRORS, ids=[" ".join(e[0][:2]) for e in ERRORS])
def test_every_command_reports_an_error_the_same_way(cli, tmp_path, monkeypatch, argv, code, message):
    monkeypatch.chdir(tmp_path)
    result = cli(*argv)
    assert (result.code, result.out) == (code, "")
    assert result.err.startswith(message), result.err
    assert "Traceback" not in result.err


def test_a_database_that_cannot_be_reached_is_exit_1_on_standard_error(capsys):
    result = Cli(capsys, database_url="postgresql://nobody@127.0.0.1:1/none", data=FAKE)("domain", "list")
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("The returns database at postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_a_refusal_quoting_hostile_input_shows_it_escaped(cli):
    result = cli("history", "North\x1b[2Jshire\u202e", "--round", "fake-round")
    assert result.code == 2
    assert "North\\x1b[2Jshire\\u202e" in result.err and "\x1b" not in result.err


def test_a_closed_pipe_ends_quietly(tmp_path):
    """``cli.py round status … | head``: the reader goes away before the command has written."""
    url = f"sqlite:///{tmp_path / 'r.db'}"
    argv = [sys.executable, "cli.py", "authorities", "--format", "json"]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # nobody reads: the first write finds the pipe closed
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()
    assert proc.returncode == 1
    # And a real pipe into head, as a person would type it.
    shell = f"{sys.executable} cli.py round status seslip-qa-june --database-url {url} | head -1"
    done = subprocess.run(["sh", "-c", shell], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith("Authority") and done.stderr == ""


@pytest.mark.parametrize(
    "argv",
    [
        ("history", "Northshire", "--round", "r" * 10_000),
        ("issue-code", "Northshire", "--round", "r" * 10_000),
        ("round", "status", "r" * 10_000),
        ("list", "--round", "r" * 10_000),
        ("history", "N" * 10_000, "--round", "fake-round"),
    ],
    ids=["history --round", "issue-code --round", "round status", "list --round", "history AUTHORITY"],
)
def test_an_id_or_name_over_its_limit_is_quoted_at_most_80_characters(cli, argv):
    result = cli(*argv)
    assert result.code == 2, result.text
    quoted_part = result.err.split("'")[1]
    assert len(quoted_part) <= 80 and quoted_part.endswith("…")
    assert len(result.err) < 400


# (case, arguments of round create, the start of the message)
ROUND_INPUT = [
    ("a 10,000-character title", ("r-2027", "--title", "T" * 10_000), "Title: '" + "T" * 79 + "…' is 10,000"),
    (
        "a 10,000-character id",
        ("r" * 10_000, "--title", "Survey"),
        "Round id: '" + "r" * 79 + "…' is not a usable id",
    ),
    ("a title with a noncharacter, kept as typed", ("r-2027", "--title", "Survey \ufffe 2027"), None),
    (
        "a title holding a byte that is not UTF-8 (a lone surrogate)",
        ("r-2027", "--title", "Survey \udcff"),
        "Title: the title holds a character that is not valid text (a lone surrogate).",
    ),
    (
        "a --from of 10,000 characters",
        ("r-2027", "--title", "Survey", "--from", "f" * 10_000),
        "From round: there is no round 'fff",
    ),
]


@pytest.mark.parametrize(("case", "argv", "message"), ROUND_INPUT, ids=[c[0] for c in ROUND_INPUT])
def test_round_create_refuses_input_over_its_limits_with_a_short_quote(cli, case, argv, message):
    result = cli("round", "create", *argv, "--group", "south-east", "--deadline", "2099-06-30")
    if message is None:
        assert result.code == 0, result.text
        assert "Survey \\ufffe 2027" in result.out  # stored as typed, shown escaped
        return
    assert result.code == 2 and result.out == "", result.text
    assert result.err.startswith(message), result.err
    assert len(result.err) < 400 and "Nothing was created." in result.err
