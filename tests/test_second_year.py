"""The whole second year, on a copy of the real data (a temporary database seeded from survey_data/):

1. the coordinator creates seslip-2027 from seslip-qa-june;
2. Kent, Medway and Surrey carry forward and amend; Kent changes its IRO caseload 65 → 70;
3. members still see June throughout;
4. the coordinator closes and shares seslip-2027, and members now see it;
5. Change between rounds compares the three, and the pack, the workbook and ``cli.py changes`` agree;
6. the round is published anonymised, and a visitor (``VIEW_ACCESS = "members"``) sees it without a
   single authority name, ONS or DfE code, on the page, in the workbook and in the pack.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from exports.workbooks import full_workbook
from models.lifecycle import FOI_STATEMENT
from models.uktime import uk_today
from official.groups import group_members
from official.register import load_register
from store import open_store
from survey import rounds as rr
from survey import visibility as vis
from tests.support.cli import Cli
from tests.support.pages import open_app, open_page
from tests.test_rounds_pages import coordinator, create_round, frame_with, texts
from views.pack import build_pack

THREE = ("Kent", "Medway", "Surrey")


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'returns.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("COORDINATOR_SECRET", "right-secret")
    store = open_store(url)
    yield store, url
    store.dispose()


def carry_and_amend(store, name: str, caseload: int | None = None) -> None:
    """The lead's form starts from last year's return; they amend it and save."""
    carry = rr.carry_forward(store, "seslip-2027", name)
    assert carry is not None and carry.round_id == "seslip-qa-june"
    ret = carry.ret.model_copy(update={"round": "seslip-2027"}, deep=True)
    if caseload is not None:
        ret.iro.caseload.text = f"IRO average case load {caseload}"
        ret.iro.caseload.low = ret.iro.caseload.high = caseload
    store.save(rr.stamp_carried(ret, carry), based_on=None, channel="form", submitted_by="authority lead")


def member_round() -> str:
    at = open_app().run()
    assert not at.exception, [e.value for e in at.exception]
    return at.selectbox(key="flt_round").value


def all_words(at) -> str:
    parts = texts(at.markdown) + texts(at.caption) + texts(at.info) + texts(at.warning)
    for d in at.dataframe:
        parts += [str(v) for v in d.value.astype(str).to_numpy().ravel()] + [str(c) for c in d.value.columns]
    return " ".join(parts)


def identifying(register) -> re.Pattern:
    """The group's authorities' names (usual and official) and DfE codes, and every ONS code, as words."""
    members = {ons for _, ons in group_members("south-east")}
    words = {a.ons_code for a in register.authorities}
    for a in register.authorities:
        if a.ons_code in members:
            words |= {a.name, a.official_name, a.dfe_code}
    words.discard("")
    return re.compile("|".join(rf"\b{re.escape(w)}\b" for w in sorted(words, key=len, reverse=True)))


def test_the_second_year(db, capsys, monkeypatch):
    store, url = db
    at = create_round(coordinator(), "seslip-2027", dt.date(2099, 6, 30))  # 1. from June
    assert store.get_round("seslip-2027").carried_from == "seslip-qa-june"
    carry_and_amend(store, "Kent", caseload=70)  # 2. three leads carry forward and amend
    carry_and_amend(store, "Medway")
    carry_and_amend(store, "Surrey")
    assert {r.authority for r in store.current_returns("seslip-2027")} == set(THREE)

    assert member_round() == "seslip-qa-june"  # 3. members still see June
    assert rounds_for(store, vis.MEMBER) == ["seslip-qa-june"]

    at = coordinator()  # 4. the coordinator closes and shares it
    at.selectbox(key="coord_round").set_value("seslip-2027").run()
    assert any("Returns so far: 3 of 19." in c for c in texts(at.caption))
    at.button(key="coord_toggle").click().run()
    assert member_round() == "seslip-qa-june"  # closed, not yet shared
    at.button(key="coord_share").click().run()
    assert not at.exception
    assert member_round() == "seslip-2027"

    page = open_page("changes").run()  # 5. Change between rounds: the three, like for like
    table = frame_with(page, "IRO caseload before")
    assert list(table["Authority"]) == list(THREE)
    kent = table[table["Authority"] == "Kent"].iloc[0]
    assert (kent["IRO caseload before"], kent["IRO caseload after"]) == ("65", "70")
    words = all_words(page)
    assert "Compared on like for like: the 3 authorities with a return in both" in words
    medians = frame_with(page, "Median caseload")
    iro = medians[(medians["Role"] == "IRO") & (medians["Counted in"] == "children or cases")]
    # Kent and Medway count in children or cases (Surrey's mixed figure apart): 65 and 68, then 70 and 68.
    assert list(zip(iro["Median caseload"], iro["Authorities"], strict=True)) == [("66.5", 2), ("69", 2)]
    iro_all = medians[medians["Role"] == "IRO"].groupby("Round", sort=False)["Authorities"].sum()
    assert list(iro_all) == [3, 3]  # each of the three counted once a round, and no one else
    ds = store.dataset()
    june = ds.for_round("seslip-qa-june")
    pack = Document(
        io.BytesIO(build_pack(ds.for_round("seslip-2027"), ds.rounds, "seslip-2027", previous=june))
    )
    pack_text = "\n".join(p.text for p in pack.paragraphs) + "\n".join(
        c.text for t in pack.tables for row in t.rows for c in row.cells
    )
    assert "Compared on like for like: the 3 authorities with a return in both" in pack_text
    book = load_workbook(io.BytesIO(full_workbook(ds.returns, ds.rounds)))
    rows = [r for r in book["Changes"].iter_rows(values_only=True) if r and r[0] in THREE]
    assert {r[0] for r in rows} == {"Kent"}  # only Kent changed an answer: its caseload
    shell = Cli(capsys, database_url=url)
    out = shell("changes", "--from", "seslip-qa-june", "--to", "seslip-2027")
    assert out.code == 0, out.text
    assert "the 3 authorities with a return in both" in out.out
    assert "Kent: iro.caseload.low: 65 → 70" in out.out and "3 answer(s) changed." in out.out
    assert "No return in 'seslip-2027': Brighton and Hove, Hampshire, Southampton" in out.out
    assert "New in 'seslip-2027': none." in out.out

    at = coordinator()  # 6. published anonymised; a visitor sees it without a name
    at.selectbox(key="coord_round").set_value("seslip-2027").run()
    at.checkbox(key="coord_pub_anon").check()
    next(b for b in at.get("form_submit_button") if b.label == "Publish").click().run()
    assert not at.exception
    assert store.life("seslip-2027").anonymised
    visitor = open_app()
    visitor.secrets["VIEW_ACCESS"] = "members"
    visitor.run()
    assert not visitor.exception, [e.value for e in visitor.exception]
    assert visitor.selectbox(key="flt_round").options == ["SESLIP survey 2027 (anonymised)"]
    seen = all_words(visitor)
    assert "Authority A" in seen and FOI_STATEMENT[:40] in seen
    names = identifying(load_register())
    assert not names.findall(seen), names.findall(seen)[:5]
    shown = vis.shown(store.dataset(), vis.VISITOR, uk_today())
    book = load_workbook(io.BytesIO(full_workbook(shown.returns, shown.rounds)))
    cells = " ".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "Authority A" in cells and not names.findall(cells), names.findall(cells)[:5]
    pack = Document(io.BytesIO(build_pack(shown.returns, shown.rounds, "seslip-2027")))
    pack_text = "\n".join(p.text for p in pack.paragraphs) + "\n".join(
        c.text for t in pack.tables for row in t.rows for c in row.cells
    )
    assert "Authority A" in pack_text and not names.findall(pack_text), names.findall(pack_text)[:5]


def rounds_for(store, who) -> list[str]:
    return sorted(r for r in vis.shown(store.dataset(), who, uk_today()).rounds if r.startswith("seslip"))
