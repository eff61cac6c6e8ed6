"""The benchmark's tables, as it prints them while it runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tools.bench.results import TARGETS, FirstRender, SaveResult, SizeResult, _fmt

if TYPE_CHECKING:
    from tools.bench.browser import ClickResult, TwoServersResult


def print_size(size: SizeResult, out: Callable[[str], None]) -> None:
    for note in size.notes:
        out(f"   note: {note}")
    out(f"   {'Page':<34} {'median ms':>10} {'× empty':>8}  note")
    out(f"   {'(empty page)':<34} {_fmt(size.empty_ms, 1):>10} {'1.00':>8}")
    for p in size.pages:
        flag = " (over target)" if p.ratio is not None and p.ratio > TARGETS["page_ratio"] else ""
        out(f"   {p.title:<34} {_fmt(p.median_ms, 1):>10} {_fmt(p.ratio, 2):>8}  {p.note}{flag}")
    if size.export_s is not None:
        out(
            f"   Export full workbook: {size.export_s:.3f} s ({(size.workbook_bytes or 0) / 1024:.0f} KiB); "
            f"plain pandas to_excel: {size.pandas_s:.3f} s; ratio {_fmt(size.export_ratio, 2)}"
        )


def print_saves(s: SaveResult, out: Callable[[str], None]) -> None:
    if s.median_ms is not None:
        out(f"   Save latency ({s.n} saves, SQLite): median {s.median_ms:.1f} ms, p95 {s.p95_ms:.1f} ms")
    if s.concurrent:
        out(
            f"   {s.concurrent} concurrent saves from separate processes ({_fmt(s.concurrent_s, 1)} s): "
            f"landed {s.landed}, refused as conflicts {s.refused}, failed {s.failed}, lost {s.lost}"
        )
    for note in s.notes[:5]:
        out(f"   note: {note}")


def print_first(f: FirstRender, out: Callable[[str], None]) -> None:
    if f.app_s is not None:
        out(
            f"   First render (process start to content, median of {f.runs}): app {f.app_s:.2f} s, "
            f"one-line app {f.one_line_s:.2f} s, ratio {_fmt(f.ratio, 2)}"
        )
    for note in f.notes:
        out(f"   note: {note}")


def print_clicks(c: ClickResult, out: Callable[[str], None]) -> None:
    for note in c.notes:
        out(f"   note: {note}")
    if c.empty_ms is None:
        return
    out(f"   {'Click to settled (median)':<34} {'ms':>10} {'× empty':>8}  note")
    out(f"   {'(empty page)':<34} {c.empty_ms:>10.0f} {'1.00':>8}")
    for p in c.pages:
        flag = " (over target)" if p.ratio is not None and p.ratio > TARGETS["click_ratio"] else ""
        out(f"   {p.title:<34} {_fmt(p.median_ms, 0):>10} {_fmt(p.ratio, 2):>8}  {p.note}{flag}")


def print_two_servers(t: TwoServersResult, out: Callable[[str], None]) -> None:
    if t.shown:
        out(
            f"   Two servers on {t.backend}: {t.authority}'s save (IRO caseload {t.figure}) shown by "
            f"server B {t.delay_ms:.0f} ms after the save began, on rerun {t.reruns}"
        )
    for note in t.notes:
        out(f"   note: {note}")


def print_growth(sizes: list[SizeResult], out: Callable[[str], None]) -> None:
    out("\n== Growth (median warm render ms; export s)")
    header = f"   {'':<34}" + "".join(f"{f'{s.authorities}×{s.rounds}':>12}" for s in sizes)
    out(header)
    out(f"   {'returns':<34}" + "".join(f"{s.returns:>12}" for s in sizes))
    out(f"   {'(empty page)':<34}" + "".join(f"{_fmt(s.empty_ms, 1):>12}" for s in sizes))
    for i, p in enumerate(sizes[0].pages):
        cells = []
        for s in sizes:
            q = s.pages[i] if i < len(s.pages) else None
            cells.append(f"{_fmt(q.median_ms if q else None, 1):>12}")
        out(f"   {p.title:<34}" + "".join(cells))
    out(f"   {'export (s)':<34}" + "".join(f"{_fmt(s.export_s, 3):>12}" for s in sizes))
