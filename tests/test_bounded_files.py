"""Data files that try to exhaust the machine are refused by name and field; ``dump`` writes back exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FAKE_ROUND, fake_return

from store import Store
from store.loading import (
    MAX_FILE_BYTES,
    load_return_file,
    load_survey_data,
    return_to_yaml,
)
from tests.support.cli import run_cli

FAKE = Path(__file__).parent / "fake_data" / "good"

ALIAS_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
authority: *i
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the synthetic data folder (two good returns) to add hostile files to."""
    folder = tmp_path / "survey_data"
    shutil.copytree(FAKE, folder)
    return folder


def hostile(data: Path, name: str, text: str) -> Path:
    path = data / FAKE_ROUND / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_1kb_alias_bomb_is_refused_by_name_and_the_others_still_load(data, capsys):
    hostile(data, "bomb.yaml", ALIAS_BOMB)
    assert len(ALIAS_BOMB) < 1024
    ds = load_survey_data(data)
    assert sorted(r.authority for r in ds.returns) == ["Northshire", "Southshire"]
    [problem] = ds.problems
    assert str(problem).startswith(
        "survey_data/fake-round/bomb.yaml: line 1: This is not valid YAML: anchors"
    )
    result = run_cli(capsys, "validate", data)
    assert result.code == 1
    out = result.out
    assert "bomb.yaml: line 1:" in out and "write the value out in full" in out
    assert len(out) < 1000


def test_an_alias_without_an_anchor_mark_is_refused_too():
    # Belt and braces: the alias check stands on its own (here the anchor is in a flow list).
    from store.loading import parse_yaml

    with pytest.raises(Exception, match="not accepted"):
        parse_yaml("x: [&a 1, *a]")


def test_deep_nesting_is_refused_not_a_crash(data):
    hostile(data, "deep.yaml", "authority: " + "[" * 5000 + "]" * 5000 + "\n")
    hostile(data, "deep2.yaml", "authority:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 40)))
    ds = load_survey_data(data)
    messages = {p.file.split("/")[-1]: p.message for p in ds.problems}
    assert "nested more than 20 levels deep" in messages["deep.yaml"]
    assert "nested more than 20 levels deep" in messages["deep2.yaml"]
    assert len(ds.returns) == 2


def test_a_file_of_80_mb_with_400000_notes_is_refused_before_it_is_read(data, capsys):
    good = (data / FAKE_ROUND / "northshire.yaml").read_text(encoding="utf-8")
    note = "  - " + "A note that goes on and on. " * 7 + "\n"
    path = data / FAKE_ROUND / "huge.yaml"
    with path.open("w", encoding="utf-8") as f:
        f.write(good.replace("authority: Northshire", "authority: Hugeshire"))
        f.write("notes:\n")
        f.write(note * 400_000)
    assert path.stat().st_size > 80_000_000
    ds = load_survey_data(data)
    [problem] = [p for p in ds.problems if p.file.endswith("huge.yaml")]
    assert problem.field == "(file)"
    assert problem.message.startswith(f"The file is too large ({path.stat().st_size:,} bytes)")
    assert f"the limit is {MAX_FILE_BYTES // 1024:,} KB" in problem.message
    assert sorted(r.authority for r in ds.returns) == ["Northshire", "Southshire"]


def test_a_long_value_is_never_quoted_whole_in_a_message(data):
    good = (data / FAKE_ROUND / "northshire.yaml").read_text(encoding="utf-8")
    hostile(data, "long.yaml", good.replace("combined_role: false", "combined_role: " + "x" * 100_000))
    ds = load_survey_data(data)
    [problem] = ds.problems
    assert problem.field == "combined_role"
    assert "xxxx" in problem.message
    assert len(problem.message) < 200


def test_start_up_seeding_goes_on_past_a_hostile_file(data, tmp_path):
    hostile(data, "bomb.yaml", ALIAS_BOMB)
    from store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'r.db'}", data)
    try:
        assert sorted(r.authority for r in store.current_returns()) == ["Northshire", "Southshire"]
    finally:
        store.dispose()


# ---------------------------------------------------------------------------
# dump is exact

AWKWARD = {
    "trailing spaces": "First line   \nsecond line\t \nthird",
    "tabs": "a\tb\t\tc",
    "line separator": "before\u2028after and more text",
    "next line": "before\u0085after",
    "paragraph separator": "one\u2029two",
    "byte order mark": "\ufeffstarts with a BOM",
    "emoji": "We 💙 our IROs 👩‍⚖️",
    "long with trailing spaces": ("word " * 30) + "  \n" + "next   \nend",
    "carriage return": "one\r\ntwo",
    "blank lines": "one\n\n\ntwo\n  indented",
}


@pytest.mark.parametrize("name", AWKWARD)
def test_yaml_written_back_is_exact(tmp_path, name):
    text = AWKWARD[name]
    ret = fake_return()
    ret.iro.expectations = text
    ret.notes = [text]
    out = tmp_path / "r.yaml"
    out.write_text(return_to_yaml(ret), encoding="utf-8")
    again, problems = load_return_file(out)
    assert problems == []
    assert again.iro.expectations == text
    assert again.notes == [text]
    assert again == ret


def test_dump_round_trips_every_stored_version_field_by_field(store, tmp_path):
    first = fake_return()
    saved = [store.save(first, based_on=None, channel="form", submitted_by="lead")]
    for i, (name, text) in enumerate(AWKWARD.items(), start=1):
        nxt = saved[-1].model_copy(deep=True)
        nxt.iro.impact = f"{name}: {text}"
        nxt.cp_chair.quality_inputs = text + " " + str(i)
        saved.append(store.save(nxt, based_on=i, channel="form", submitted_by="lead"))
    history = store.history(FAKE_ROUND, "Northshire")
    assert len(history) == len(AWKWARD) + 1
    for info in history:
        path = tmp_path / f"v{info.version}.yaml"
        path.write_text(return_to_yaml(info.ret), encoding="utf-8")
        back, problems = load_return_file(path)
        assert problems == []
        stored = info.ret.model_dump(mode="json")
        for field, value in back.model_dump(mode="json").items():
            assert value == stored[field], (info.version, field)


def test_cli_dump_writes_exactly_what_is_stored(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    data = tmp_path / "survey_data"
    shutil.copytree(FAKE, data)
    store = Store(url)
    store.ensure_schema()
    store.seed(load_survey_data(data))
    cur = store.current(FAKE_ROUND, "Northshire")
    new = cur.model_copy(deep=True)
    new.iro.expectations = "\n".join(AWKWARD.values())
    store.save(new, based_on=cur.provenance.version, channel="form", submitted_by="lead")
    expected = store.current(FAKE_ROUND, "Northshire")
    store.dispose()
    out = tmp_path / "out"
    shutil.copytree(data / "rounds", out / "rounds")
    shutil.copy(data / "authorities.csv", out / "authorities.csv")  # the invented authorities' register
    assert run_cli(capsys, "dump", "--out", out, "--database-url", url, "--data", data).code == 0
    ds = load_survey_data(out)
    assert ds.problems == []
    assert ds.get(FAKE_ROUND, "Northshire") == expected


def test_a_lone_surrogate_in_a_file_is_refused_with_its_field(data):
    good = (data / FAKE_ROUND / "northshire.yaml").read_text(encoding="utf-8")
    hostile(data, "surrogate.yaml", good.replace("authority: Northshire", 'authority: "North\\ud800shire"'))
    ds = load_survey_data(data)
    [problem] = ds.problems
    assert problem.field == "authority"
    assert "lone surrogate" in problem.message
