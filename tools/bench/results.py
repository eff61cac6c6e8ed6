"""What the benchmark found: one result type per measure, the report, its summary line and the
targets it is held to (``TARGETS``; the issue's targets, printed, never asserted by a test)."""

from __future__ import annotations

import contextlib
import math
import os
import platform
from dataclasses import dataclass, field
from pathlib import Path

from tools.bench.anatomy import Anatomy
from tools.bench.browser import ClickResult, TwoServersResult
from tools.bench.load import ProtocolResult
from tools.bench.pages import PageTiming
from tools.bench.proxy import ProxyResult

TARGETS = {
    "page_ratio": 4.0,
    "export_ratio": 3.0,
    "export_seconds": 2.0,
    "save_p95_ms": 50.0,
    "first_render_ratio": 1.5,
    "click_ratio": 1.5,
    "proto50_p95_ratio": 1.3,
    "mem_per_session_mb": 5.0,
    "pack_seconds": 5.0,
    "report_seconds": 2.0,
    "proxy50_p95_ratio": 0.6,
}


@dataclass
class SizeResult:
    authorities: int
    rounds: int
    returns: int
    seed_s: float | None = None
    empty_ms: float | None = None
    pages: list[PageTiming] = field(default_factory=list)
    export_s: float | None = None
    pandas_s: float | None = None
    workbook_bytes: int | None = None
    pack_s: float | None = None  # the meeting pack for the latest round (one round of the data)
    report_s: float | None = None  # one authority's "how we compare" report (issue 22), where there is one
    notes: list[str] = field(default_factory=list)

    @property
    def export_ratio(self) -> float | None:
        if self.export_s is None or not self.pandas_s:
            return None
        return self.export_s / self.pandas_s

    @property
    def worst_page(self) -> PageTiming | None:
        rated = [p for p in self.pages if p.ratio is not None]
        return max(rated, key=lambda p: p.ratio) if rated else None


@dataclass
class SaveResult:
    n: int = 0
    median_ms: float | None = None
    p95_ms: float | None = None
    concurrent: int = 0
    landed: int = 0
    refused: int = 0
    failed: int = 0
    lost: int = 0
    concurrent_s: float | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class FirstRender:
    app_s: float | None = None
    one_line_s: float | None = None
    runs: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.app_s is None or not self.one_line_s:
            return None
        return self.app_s / self.one_line_s


@dataclass
class BenchReport:
    machine: dict[str, str]
    sizes: list[SizeResult]
    main: SizeResult
    saves: SaveResult
    first_render: FirstRender
    clicks: ClickResult = field(default_factory=ClickResult)
    protocol: ProtocolResult = field(default_factory=ProtocolResult)
    anatomy: list[Anatomy] = field(default_factory=list)
    two_servers: TwoServersResult = field(default_factory=TwoServersResult)
    proxy: ProxyResult = field(default_factory=ProxyResult)

    def summary_fields(self) -> list[tuple[str, str]]:
        """The summary line's fields, in order: a new measure is one more line here."""
        from tools.bench.load import summary_fields as protocol_fields
        from tools.bench.proxy import summary_fields as proxy_fields

        worst = self.main.worst_page
        click = self.clicks.worst
        proto = dict(protocol_fields(self.protocol))
        return [
            ("worst_page_ratio", _fmt(worst.ratio if worst else None, 2)),
            ("worst_click_ratio", _fmt(click.ratio if click else None, 2)),
            ("export_ratio", _fmt(self.main.export_ratio, 2)),
            ("save_p95_ms", _fmt(self.saves.p95_ms, 1)),
            ("lost", str(self.saves.lost)),
            ("first_render_ratio", _fmt(self.first_render.ratio, 2)),
            ("proto50_p95_ratio", proto["proto50_p95_ratio"]),
            ("proto_cpu_ms", proto["proto_cpu_ms"]),
            ("mem_per_session_mb", proto["mem_per_session_mb"]),
            ("proto_errors", proto["proto_errors"]),
            ("pack_s", _fmt(self.main.pack_s, 2)),
            ("report_s", _fmt(self.main.report_s, 2)),
            *proxy_fields(self.proxy),
        ]

    def summary_line(self) -> str:
        return "bench: " + " ".join(f"{name}={value}" for name, value in self.summary_fields())

    def misses(self) -> list[str]:
        """The targets missed at the main size, in words."""
        out = []
        for p in self.main.pages:
            if p.ratio is not None and p.ratio > TARGETS["page_ratio"]:
                out.append(f"page '{p.title}' renders in {p.ratio:.1f}× the empty page (target 4×)")
        ps = self.main.pack_s
        if ps is not None and ps > TARGETS["pack_seconds"]:
            out.append(f"the meeting pack takes {ps:.1f} s (target under 5 s)")
        rs = self.main.report_s
        if rs is not None and rs > TARGETS["report_seconds"]:
            out.append(f"one authority's report takes {rs:.1f} s (target under 2 s)")
        er = self.main.export_ratio
        if er is not None and er > TARGETS["export_ratio"]:
            out.append(f"export takes {er:.1f}× plain pandas (target 3×)")
        if self.main.export_s is not None and self.main.export_s > TARGETS["export_seconds"]:
            out.append(f"export takes {self.main.export_s:.2f} s (target under 2 s)")
        if self.saves.p95_ms is not None and self.saves.p95_ms > TARGETS["save_p95_ms"]:
            out.append(f"save p95 is {self.saves.p95_ms:.1f} ms (target under 50 ms)")
        if self.saves.lost:
            out.append(f"{self.saves.lost} concurrent save(s) lost (must be 0)")
        fr = self.first_render.ratio
        if fr is not None and fr > TARGETS["first_render_ratio"]:
            out.append(f"first render takes {fr:.2f}× the one-line app (target 1.5×)")
        for c in self.clicks.pages:
            if c.ratio is not None and c.ratio > TARGETS["click_ratio"]:
                out.append(f"clicking '{c.title}' settles in {c.ratio:.1f}× the empty page (target 1.5×)")
        out += self.protocol_misses()
        if self.two_servers.backend and not self.two_servers.shown:
            out.append("server B did not show server A's save")
        for title, ratio in self.proxy.ratios():
            if ratio > TARGETS["proxy50_p95_ratio"]:
                out.append(
                    f"{self.proxy.sessions} sessions opening '{title}' through the proxy on two servers: p95 "
                    f"{ratio:.2f}× one server alone (target at most 0.6×)"
                )
        if self.proxy.errors:
            out.append(f"{self.proxy.errors} view(s) through the proxy did not finish (must be 0)")
        return out

    def protocol_misses(self) -> list[str]:
        res = self.protocol
        out = []
        n = max(res.counts) if res.counts else 0
        for page in res.pages:
            for action in ("open", "change"):
                r = res.ratio(page, action, n)
                if r is not None and r > TARGETS["proto50_p95_ratio"]:
                    what = "opening" if action == "open" else "changing a filter on"
                    out.append(
                        f"{n} protocol sessions {what} '{page.title}' at once: p95 {r:.2f}× the empty "
                        "page's (target 1.3×)"
                    )
        if res.errors:
            out.append(f"{res.errors} protocol session view(s) did not finish (must be 0)")
        mib = res.mib_per_session
        if mib is not None and mib > TARGETS["mem_per_session_mb"]:
            out.append(f"each extra session holds {mib:.1f} MiB (target under 5 MB)")
        return out


def _fmt(value: float | None, digits: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "nan"
    return f"{value:.{digits}f}"


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    return {
        "cpus": str(os.cpu_count() or "?"),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "os": platform.platform(terse=True),
    }
