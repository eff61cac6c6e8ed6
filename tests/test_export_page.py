"""The Export page (AppTest): it renders, offers the workbook and CSVs with their sizes, and filters."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from store import open_store
from tests.support.pages import open_page, open_script
from ui.download import size_label

ROOT = Path(__file__).resolve().parent.parent
FAKE = ROOT / "tests" / "fake_data" / "good"


@pytest.fixture
def db(tmp_path, monkeypatch):
    """A throwaway database seeded from the synthetic returns in tests/fake_data/good."""
    url = f"sqlite:///{tmp_path / 'returns.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SURVEY_DATA_DIR", str(FAKE))
    store = open_store(url, FAKE)
    yield store
    store.dispose()


def buttons(at) -> dict[str, object]:
    return {b.proto.label: b for b in at.get("download_button")}


def test_page_renders_and_offers_the_downloads(db):
    at = open_page("export").run()
    assert not at.exception
    assert at.title[0].value == "Export to Excel"
    labels = list(buttons(at))
    assert any(
        label.startswith("Download the workbook (.xlsx) – ") and label.endswith("KB") for label in labels
    )
    assert any(label.startswith("Summary (.csv) – ") for label in labels)
    assert any(label.startswith("QA matrix (.csv) – ") for label in labels)
    assert any(label.startswith("Impact evidence matrix (.csv) – ") for label in labels)
    assert "2 return(s) from 1 round(s)." in [m.value for m in at.markdown]


def test_choosing_authorities(db):
    at = open_page("export").run()
    at.radio[0].set_value("Choose authorities").run()
    # Nothing chosen yet: a plain warning, no download.
    assert [w.value for w in at.warning] == ["Choose at least one round and one authority to export."]
    assert not buttons(at)
    at.multiselect[1].set_value(["Southshire"]).run()
    assert not at.exception
    assert "1 return(s) from 1 round(s)." in [m.value for m in at.markdown]
    assert buttons(at)


def test_the_workbook_offered_is_the_selection(db):
    """The page's builder (cached) gives a workbook with the chosen authority and the filter stated."""
    from store.loading import load_survey_data
    from ui.download import build_export_files

    ds = load_survey_data(FAKE)
    chosen = [r for r in ds.returns if r.authority == "Southshire"]
    files = build_export_files(chosen, ds.rounds, ["Authorities: Southshire"])
    df = pd.read_excel(io.BytesIO(files.workbook), sheet_name="Summary")
    assert list(df["Authority"]) == ["Southshire"]
    about = pd.read_excel(io.BytesIO(files.workbook), sheet_name="About", header=None)
    assert "Authorities: Southshire" in about.astype(str).to_string()
    assert files.summary_csv.startswith(b"\xef\xbb\xbf")
    assert "Versions" not in pd.ExcelFile(io.BytesIO(files.workbook)).sheet_names
    with_history = build_export_files(
        chosen,
        ds.rounds,
        ["Authorities: Southshire"],
        lambda rs: [v for r in rs for v in db.history(r.round, r.authority)],
    )
    versions = pd.read_excel(io.BytesIO(with_history.workbook), sheet_name="Versions")
    assert list(versions["Authority"]) == ["Southshire"] and list(versions["Version"]) == [1]


def test_size_label():
    assert size_label("Download this view (.xlsx)", b"x" * 12 * 1024) == "Download this view (.xlsx) – 12 KB"


def test_no_returns_says_so(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    (empty / "rounds").mkdir(parents=True)
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SURVEY_DATA_DIR", str(empty))
    at = open_page("export").run()
    assert not at.exception
    assert [i.value for i in at.info] == ["There are no returns to export yet."]


def _view_page():
    import pandas as pd
    import streamlit as st

    from ui.render import download_view
    from views.base import Section, Table, View

    if "view" not in st.session_state:  # a cached View, shared from one rerun to the next
        table = pd.DataFrame({"Authority": ["Northshire", "Southshire"], "IRO high": [60, 55]})
        st.session_state["view"] = View(
            key="caseloads",
            title="Caseloads by authority",
            sections=(
                Section(tables=(Table(key="t", caption="Caseloads", frame=table, sheet="Caseloads"),)),
            ),
            filters=("Role: IRO",),
        )
    download_view(st.session_state["view"])
    st.write("after")


def test_download_view_is_made_when_clicked_and_then_states_its_size():
    import openpyxl

    from exports.text import human_size
    from ui.render import view_workbook_bytes

    at = open_script(_view_page, timeout=60).run()
    assert not at.exception
    # Drawing the page makes no workbook: the button says what it gives, without a size.
    assert list(buttons(at)) == ["Download this view (.xlsx)"]
    view = at.session_state["view"]
    assert "xlsx" not in view.cache
    # The click makes it (what the button's callable does), a workbook of the view's table...
    data = view_workbook_bytes(view)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert "Caseloads" in book.sheetnames
    # ... kept on the View: from then on the label ends with its size.
    at.run()
    (label,) = list(buttons(at))
    assert label == f"Download this view (.xlsx) – {human_size(len(data))}" and label.endswith(" KB")
    assert view_workbook_bytes(view) is data
