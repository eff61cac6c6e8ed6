"""The Export page's files (the full workbook and CSVs), built once per selection.

A comparison page's own download ("Download this view") is drawn from its View
by ``ui.render.download_view``; both label the button with the file's size.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from exports.csv_files import matrix_csv, summary_csv
from exports.text import human_size
from exports.workbooks import full_workbook
from models.returns import AuthorityReturn, SurveyRound
from ui.cache import export_files_for

BUILDING = "Building the workbook…"


def size_label(text: str, data: bytes) -> str:
    """'Download this view (.xlsx) – 12 KB'."""
    return f"{text} – {human_size(len(data))}"


@dataclass(frozen=True)
class ExportFiles:
    """The Export page's files, built together."""

    stem: str
    workbook: bytes
    summary_csv: bytes
    qa_csv: bytes
    impact_csv: bytes


def _digest(returns: Sequence[AuthorityReturn]) -> str:
    h = hashlib.sha256()
    for r in returns:
        h.update(r.model_dump_json().encode("utf-8"))
    return h.hexdigest()


def _build_files(returns, rounds, filters, history) -> ExportFiles:
    full_history = history(returns) if history is not None else None
    return ExportFiles(
        stem="iro-cp-chair-returns",
        workbook=full_workbook(returns, rounds, filters_description=list(filters), history=full_history),
        summary_csv=summary_csv(returns, rounds),
        qa_csv=matrix_csv(returns, "qa"),
        impact_csv=matrix_csv(returns, "impact"),
    )


def build_export_files(
    returns: Sequence[AuthorityReturn],
    rounds: Mapping[str, SurveyRound],
    filters: Sequence[str],
    history: Callable[[Sequence[AuthorityReturn]], list] | None = None,
    *,
    selection: str | None = None,
) -> ExportFiles:
    """The full workbook and CSVs for a selection, cached on the returns' content and the filters.

    ``history(returns)`` gives the version history for the Versions sheet; it is called only
    when the files are built (a new version changes the returns, so the cache key too).
    ``selection``, where given, names the data set and the selection (a new version makes a
    new data set, so a new name): the files are cached on it instead of on a digest of every
    return, which would be worked out again on each rerun.
    """
    if selection is not None:
        digest = "selection:" + selection
    else:
        rounds_key = "".join(sorted(r.model_dump_json() for r in rounds.values()))
        digest = hashlib.sha256((_digest(returns) + rounds_key).encode()).hexdigest()
    return export_files_for(
        digest=digest,
        filters=tuple(filters),
        with_history=history is not None,
        _build=_build_files,
        _returns=tuple(returns),
        _rounds=dict(rounds),
        _history=history,
    )


def build_pack_for(
    dataset,
    round_id: str,
    selected: Sequence[AuthorityReturn],
    filters: Sequence[str],
    *,
    appendix: bool = False,
):
    """(the meeting pack's bytes, its file name) for the chosen returns of one round; with ``appendix``,
    each authority's answers in full after the short pack."""
    import datetime as dt

    from survey.rounds import previous_round
    from ui.data import get_store
    from views.pack import build_pack
    from views.word import pack_file_name

    returns = [r for r in selected if r.round == round_id]
    names = {r.authority for r in returns}
    before = previous_round(get_store(), round_id)
    previous = [
        r for r in dataset.returns if before is not None and r.round == before.id and r.authority in names
    ]
    when = dt.datetime.now(dt.UTC)
    round_filter = [f"Round: {dataset.rounds[round_id].title}"]
    data = build_pack(
        returns,
        dataset.rounds,
        round_id,
        filters=[*round_filter, *filters],
        generated_at=when,
        previous=previous,
        appendix=appendix,
    )
    return data, pack_file_name(round_id, when)
