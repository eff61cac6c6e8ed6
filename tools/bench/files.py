"""The files people take away: the full workbook against plain pandas, and the meeting pack."""

from __future__ import annotations

import io
import statistics
import time
from typing import Any


def _export_frames(returns, rounds) -> dict[str, Any]:
    """The tables full_workbook writes, built the same way (not timed)."""
    from analysis import tables as tbl

    return {
        "Summary": tbl.summary_table(returns, rounds),
        "QA inputs": tbl.matrix_sheet_table(returns, "qa"),
        "Impact evidence": tbl.matrix_sheet_table(returns, "impact"),
        "Responses": tbl.responses_table(returns),
    }


def _frames_from_workbook(data: bytes) -> dict[str, Any]:
    import pandas as pd

    return pd.read_excel(io.BytesIO(data), sheet_name=None, engine="openpyxl")


def measure_pack(dataset) -> float:
    """Seconds to build the meeting pack (Word) for the latest round's returns, the chart renderer
    already started and the chart library imported (a running app has paid its start-up)."""
    import vl_convert

    import views.charts  # noqa: F401 - Altair's import (a second or two) is the app's start-up, not the pack's
    from views.pack import build_pack

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{"a": 1}]}})
    round_id = max(r.round for r in dataset.returns)
    returns = [r for r in dataset.returns if r.round == round_id]
    started = time.perf_counter()
    build_pack(returns, dataset.rounds, round_id, filters=[f"Round: {round_id}"])
    return time.perf_counter() - started


def measure_export(dataset, repeats: int) -> tuple[float, float, int, list[str]]:
    import pandas as pd

    from exports.workbooks import full_workbook

    notes = []
    returns, rounds = dataset.returns, dataset.rounds
    times = []
    data = b""
    for _ in range(repeats):
        t0 = time.perf_counter()
        data = full_workbook(returns, rounds)
        times.append(time.perf_counter() - t0)
    try:
        frames = _export_frames(returns, rounds)
    except Exception as exc:
        notes.append(f"pandas baseline reads the workbook's sheets back ({exc.__class__.__name__})")
        frames = _frames_from_workbook(data)
    ptimes = []
    for _ in range(repeats):
        buf = io.BytesIO()
        t0 = time.perf_counter()
        with pd.ExcelWriter(buf, engine="openpyxl") as writer:
            for name, df in frames.items():
                df.to_excel(writer, sheet_name=name[:31], index=False)
        ptimes.append(time.perf_counter() - t0)
    return statistics.median(times), statistics.median(ptimes), len(data), notes


def measure_report(dataset) -> float:
    """Seconds to build one authority's "how we compare" report (Word, ``views.report.build_report``)
    for the latest round: the first authority, A to Z, against the group and its previous round, the
    chart renderer started and the chart library imported (a running app has paid both)."""
    import vl_convert

    import views.charts  # noqa: F401 - the app's start-up, not the report's
    from views.report import build_report

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{"a": 1}]}})
    order = [rid for rid in dataset.rounds if any(r.round == rid for r in dataset.returns)]
    round_id = max(r.round for r in dataset.returns)
    returns = [r for r in dataset.returns if r.round == round_id]
    at = order.index(round_id) if round_id in order else 0
    previous = [r for r in dataset.returns if at > 0 and r.round == order[at - 1]]
    authority = min(r.authority for r in returns)
    started = time.perf_counter()
    build_report(returns, dataset.rounds, authority, previous=previous)
    return time.perf_counter() - started
