"""The register of English authorities, groups, and linking each return to its authority."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from official.build import common as rb
from official.build.register import build_register
from official.groups import GroupFileProblem, UnknownGroup, load_groups
from official.register import (
    DEFAULT_REGISTER,
    NOT_NAMED_TEXT,
    OGL_ATTRIBUTION,
    display_name,
    entry_for,
    load_register,
)
from store.loading import DEFAULT_DATA_DIR, load_survey_data
from tests.support.cli import run_cli

SHARED = rb.SHARED_REFERENCE
needs_shared = pytest.mark.skipif(
    not (SHARED / "dfe-published-data-qa" / "las.csv").is_file(), reason="no ../shared"
)


@pytest.fixture(scope="module")
def reg():
    return load_register()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    result = run_cli(capsys, *argv)
    return result.code, result.out, result.err


# -- the register ------------------------------------------------------------------------------


@needs_shared
def test_building_from_the_shared_file_reproduces_the_committed_register_byte_for_byte():
    assert build_register(rb.DEFAULT_LAS, rb.DEFAULT_CODE_LIST) == DEFAULT_REGISTER.read_text(
        encoding="utf-8"
    )


def test_every_live_english_authority_with_childrens_services_is_listed_once(reg):
    live = reg.live()
    assert len(live) == 153
    assert len({a.ons_code for a in live}) == 153
    assert {a.ons_code[:3] for a in live} == {"E06", "E08", "E09", "E10"}
    assert all(len(a.dfe_code) == 3 and a.dfe_code.isdigit() for a in live)


def test_the_south_east_has_19_authorities_including_oxfordshire(reg):
    names = [a.name for a in reg.members("South East")]
    assert len(names) == 19
    assert "Oxfordshire" in names and "Kent" in names and "Windsor and Maidenhead" in names
    assert reg.members("south-east") == reg.members("E12000008")


def test_every_region_keeps_its_name(reg):
    assert {r.code: r.name for r in reg.regions()}["E12000008"] == "South East"
    assert [r.slug for r in reg.regions()][:3] == ["north-east", "north-west", "yorkshire-and-the-humber"]
    assert sum(len(reg.members(r.code)) for r in reg.regions()) == 153


def test_usual_names_not_the_official_ones(reg):
    assert reg.by_ons("E06000023").name == "Bristol"
    assert reg.by_ons("E06000023").official_name == "Bristol, City of"
    assert reg.by_ons("E06000010").name == "Kingston upon Hull"
    assert reg.by_ons("E06000043").name == "Brighton and Hove"
    assert reg.by_ons("E06000019").name == "Herefordshire"
    assert not [a.name for a in reg.authorities if "City of" in a.name and a.name != "City of London"]


@pytest.mark.parametrize(
    ("text", "ons"),
    [
        ("Brighton & Hove", "E06000043"),
        ("brighton  and   HOVE", "E06000043"),
        ("Bristol, City of", "E06000023"),
        ("Windsor and Maidenhead", "E06000040"),
        ("Royal Borough of Windsor and Maidenhead", "E06000040"),
        ("Kingston Upon Hull, City of", "E06000010"),
        ("Hull", "E06000010"),
        ("Kent County Council", "E10000016"),
        ("St. Helens", "E08000013"),
        ("E10000016", "E10000016"),
        ("886", "E10000016"),
    ],
)
def test_lookup_by_name_alias_or_code(reg, text, ons):
    assert reg.lookup(text).ons_code == ons


def test_an_unknown_name_is_not_guessed(reg):
    assert reg.find("Northshire") is None
    assert reg.find("London") is None  # a region, not an authority
    assert reg.find("City of London").ons_code == "E09000001"


def test_joint_rows_are_notes_on_their_members_not_authorities(reg):
    assert reg.find("Kingston upon Thames / Richmond upon Thames") is None
    for name, partner in [
        ("Kingston upon Thames", "Richmond upon Thames"),
        ("North Northamptonshire", "West Northamptonshire"),
        ("Cumberland", "Westmorland and Furness"),
    ]:
        a = reg.get(name)
        assert a.is_live and partner in a.joint_name
        assert reg.get(partner).joint_ons_code == a.joint_ons_code


def test_barnsley_and_sheffield_are_recoded_in_2025_keeping_their_dfe_code(reg):
    for name, old, new, dfe in [
        ("Barnsley", "E08000016", "E08000038", "370"),
        ("Sheffield", "E08000019", "E08000039", "373"),
    ]:
        current = reg.get(name)
        assert (current.ons_code, current.dfe_code, current.status) == (new, dfe, "live")
        assert str(current.date_of_operation) == "2025-05-01"
        ended = reg.by_ons(old)
        assert (ended.status, str(ended.date_of_termination)) == ("terminated", "2025-04-30")
        assert ended.successor_ons_codes == (new,)
        assert reg.by_dfe(dfe) == current


def test_ended_authorities_name_their_successors(reg):
    cumbria = reg.by_ons("E10000006")
    assert [a.name for a in reg.successors(cumbria)] == ["Cumberland", "Westmorland and Furness"]
    assert [a.name for a in reg.predecessors(reg.get("West Northamptonshire"))] == ["Northamptonshire"]


def test_the_attribution_is_one_constant():
    assert OGL_ATTRIBUTION.startswith("Contains public sector information licensed under the Open Government")
    assert "LAIT" in OGL_ATTRIBUTION
    readme = (DEFAULT_REGISTER.parent / "README.md").read_text(encoding="utf-8")
    assert OGL_ATTRIBUTION in " ".join(readme.split())


# -- building ------------------------------------------------------------------------------------


def test_a_codes_file_with_the_wrong_columns_is_refused_and_the_register_is_untouched(tmp_path, capsys):
    bad = tmp_path / "las.csv"
    bad.write_text("code,name\nE10000016,Kent\n", encoding="utf-8")
    out = tmp_path / "authorities.csv"
    out.write_text("the committed register\n", encoding="utf-8")
    code, _, err = run(capsys, "authorities", "build", "--las", str(bad), "--out", str(out))
    assert code == 1
    assert "Expected: new_la_code, la_name" in err and "old_la_code" in err
    assert out.read_text(encoding="utf-8") == "the committed register\n"


@needs_shared
def test_authorities_build_writes_the_register(tmp_path, capsys):
    out = tmp_path / "authorities.csv"
    code, text, _ = run(capsys, "authorities", "build", "--out", str(out))
    assert code == 0 and "153 live" in text
    assert out.read_bytes() == DEFAULT_REGISTER.read_bytes()


# -- the CLI ---------------------------------------------------------------------------------------


def test_authorities_json_lists_the_region(capsys):
    code, text, _ = run(capsys, "authorities", "--region", "South East", "--format", "json")
    assert code == 0
    rows = json.loads(text)
    assert len(rows) == 19
    assert set(rows[0]) == {"name", "ons_code", "dfe_code", "region", "status"}
    kent = next(r for r in rows if r["name"] == "Kent")
    assert kent == {
        "name": "Kent",
        "ons_code": "E10000016",
        "dfe_code": "886",
        "region": "South East",
        "status": "live",
    }


def test_authorities_table_and_unknown_region(capsys):
    code, text, _ = run(capsys, "authorities")
    assert code == 0 and text.strip().endswith("153 authorities.")
    assert "Brighton and Hove" in text
    code, _, err = run(capsys, "authorities", "--region", "Atlantis")
    assert code == 2 and "'Atlantis' is not a region" in err and "South East" in err


# -- groups ----------------------------------------------------------------------------------------


def test_every_region_is_a_group(tmp_path):
    groups = load_groups(tmp_path / "none")
    g = groups.group("south-east")
    assert (g.title, g.is_region) == ("South East", True)
    assert len(groups.members("south-east")) == 19
    assert "Oxfordshire" in [a.name for a in groups.members("south-east")]
    assert len(groups.ids()) == 9


def test_a_custom_group_names_members_by_ons_code(tmp_path):
    (tmp_path / "kent-and-medway.yaml").write_text(
        "id: kent-and-medway\ntitle: Kent and Medway\nmembers:\n  - E10000016\n  - E06000035\n",
        encoding="utf-8",
    )
    groups = load_groups(tmp_path)
    assert [a.name for a in groups.members("kent-and-medway")] == ["Kent", "Medway"]
    assert [g.id for g in groups.groups_of(load_register().get("Medway"))] == [
        "south-east",
        "kent-and-medway",
    ]


def test_an_unknown_group_is_named(tmp_path):
    with pytest.raises(UnknownGroup, match=r"There is no group 'seslip'\. Groups: north-east"):
        load_groups(tmp_path).group("seslip")


def test_a_group_file_with_an_unknown_code_names_the_file_and_field(tmp_path):
    (tmp_path / "odd.yaml").write_text(
        "id: odd\ntitle: Odd\nmembers: [E10000016, E99999999]\n", encoding="utf-8"
    )
    with pytest.raises(GroupFileProblem, match=r"odd.yaml: members.1: 'E99999999' is not the ONS code"):
        load_groups(tmp_path)


# -- linking returns ----------------------------------------------------------------------------------


def test_every_return_in_survey_data_links_to_the_register_or_is_not_named():
    ds = load_survey_data()
    assert ds.problems == []
    linked = {r.authority: entry_for(r.authority) for r in ds.returns}
    assert linked["Dudley"].ons_code == "E08000027"
    assert linked["Walsall"].ons_code == "E08000030"
    assert linked["Stockport"].ons_code == "E08000007"
    assert linked["Windsor and Maidenhead"].ons_code == "E06000040"
    assert linked["Unnamed authority (Briefing 6)"] is None
    assert display_name("Unnamed authority (Briefing 6)") == NOT_NAMED_TEXT == "an authority (not named)"
    assert display_name("Kent") == "Kent"
    windsor = ds.get("seslip-qa-june", "Windsor and Maidenhead")
    assert "AfC" in windsor.authority_note  # the delivery body stays a note; the authority is the council
    assert all(linked[name] is not None for name in linked if not name.startswith("Unnamed"))


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "survey_data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def test_an_authority_not_in_the_register_is_refused_by_file_and_field(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "seslip-qa-june" / "kent.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("authority: Kent\n", "authority: Kentish Town\n")
    )
    ds = load_survey_data(data)
    assert [str(p) for p in ds.problems] == [
        "survey_data/seslip-qa-june/kent.yaml: authority: 'Kentish Town' is not an English local authority "
        "in the register: use the authority's usual name, for example 'Kent' or 'Brighton and Hove' "
        "(see .venv/bin/python cli.py authorities)."
    ]
    assert ds.get("seslip-qa-june", "Kentish Town") is None
    assert len(ds.returns) == 12  # the others still load


def test_only_a_published_document_may_leave_its_authority_unnamed(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "seslip-qa-june" / "medway.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("authority: Medway\n", "authority: Unnamed authority\n")
    )
    ds = load_survey_data(data)
    assert len(ds.problems) == 1
    assert ds.problems[0].field == "authority"
    assert "Only a published document may leave its authority unnamed" in ds.problems[0].message
