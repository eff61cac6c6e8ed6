"""Export to Excel: the whole data set, or a selection, as a workbook and CSVs."""

from __future__ import annotations

import streamlit as st

from exports.text import CSV_MIME, XLSX_MIME
from ui.cache import already_worked_out, dataset_token, per_dataset
from ui.data import get_store
from ui.download import build_export_files, build_pack_for
from ui.render import download_bytes_button
from ui.shown import shown_dataset
from views.word import DOCX_MIME

st.title("Export to Excel")
st.write(
    "Download the returns as an Excel workbook: an About sheet (what it holds, the sources, how "
    "caseloads were read), a Summary with one row per return, the QA and impact-evidence matrices, "
    "every answer in full and every saved version. Each data sheet is a filterable table. The "
    "Summary and the matrices are also available as CSV."
)

ds = shown_dataset()
if not ds.returns:
    st.info("There are no returns to export yet.")
    st.stop()


def _round_ids() -> list[str]:
    with_returns = {r.round for r in ds.returns}
    return [rid for rid in ds.rounds if rid in with_returns]


round_ids = per_dataset(ds, ("export_rounds",), _round_ids)
chosen_rounds = st.multiselect(
    "Rounds",
    round_ids,
    default=round_ids,
    format_func=lambda rid: ds.rounds[rid].title,
    help="The survey round(s) to include.",
)


def _in_rounds() -> tuple[list, list[str]]:
    wanted = set(chosen_rounds)
    returns = [r for r in ds.returns if r.round in wanted]
    return returns, sorted({r.authority for r in returns})


in_rounds, names = per_dataset(ds, ("export_in_rounds", tuple(chosen_rounds)), _in_rounds)
which = st.radio(
    "Authorities",
    ["All authorities", "Choose authorities"],
    horizontal=True,
    help="Export every authority in the chosen rounds, or only some.",
)
chosen_names = names
if which == "Choose authorities":
    chosen_names = st.multiselect("Authorities to include", names, default=[])

wanted = set(chosen_names)
selected = [r for r in in_rounds if r.authority in wanted]
if not selected:
    st.warning("Choose at least one round and one authority to export.")
    st.stop()

filters = []
if set(chosen_rounds) != set(round_ids):
    filters.append("Rounds: " + "; ".join(ds.rounds[rid].title for rid in chosen_rounds))
if which == "Choose authorities":
    filters.append("Authorities: " + ", ".join(chosen_names))


def history(returns):
    """Every saved version of the chosen returns (for the Versions sheet)."""
    store = get_store()
    return [v for r in returns for v in store.history(r.round, r.authority)]


# build_export_files shows "Building the workbook…" while it builds (not on a cached rerun).
files = build_export_files(
    selected,
    ds.rounds,
    filters,
    history,
    selection=f"{dataset_token(ds)}|{chosen_rounds}|{chosen_names}",
)

st.header("Download")
st.write(f"{len(selected)} return(s) from {len(chosen_rounds)} round(s).")
download_bytes_button(
    "Download the workbook (.xlsx)", files.workbook, files.stem + ".xlsx", XLSX_MIME, key="export_xlsx"
)
st.caption("CSV files (UTF-8; text that a spreadsheet could read as a formula starts with ').")
cols = st.columns(3)
with cols[0]:
    download_bytes_button(
        "Summary (.csv)", files.summary_csv, files.stem + "-summary.csv", CSV_MIME, key="export_csv_summary"
    )
with cols[1]:
    download_bytes_button(
        "QA matrix (.csv)", files.qa_csv, files.stem + "-qa-matrix.csv", CSV_MIME, key="export_csv_qa"
    )
with cols[2]:
    download_bytes_button(
        "Impact evidence matrix (.csv)",
        files.impact_csv,
        files.stem + "-impact-evidence-matrix.csv",
        CSV_MIME,
        key="export_csv_impact",
    )

st.header("Meeting pack (Word)")
st.write(
    "A Word document for the sub-group's meeting, made from the same views as the pages: a title page with "
    "contents, the headline table, the caseload, QA and impact-evidence charts with their tables, the "
    "exception table, change since the last round, and sources and method (about 15 pages for 9 "
    "authorities). It holds the authorities chosen above."
)
pack_rounds = [rid for rid in chosen_rounds if ds.rounds[rid].is_questionnaire] or list(chosen_rounds)
pack_round = st.selectbox(
    "Round for the pack", pack_rounds, format_func=lambda rid: ds.rounds[rid].title, key="export_pack_round"
)
appendix = st.checkbox(
    "Add each authority's answers in full as an appendix",
    key="export_pack_appendix",
    help="About 3 more pages per authority.",
)
pack_key = ("export_pack", pack_round, tuple(chosen_names), appendix)
if st.button("Build the meeting pack", key="export_pack_build", icon=":material/description:"):
    with st.spinner("Building the meeting pack…"):
        per_dataset(
            ds, pack_key, lambda: build_pack_for(ds, pack_round, selected, filters, appendix=appendix)
        )
packed = already_worked_out(ds, pack_key)
if packed is not None:
    data, file_name = packed
    download_bytes_button("Download meeting pack (Word)", data, file_name, DOCX_MIME, key="export_pack")
