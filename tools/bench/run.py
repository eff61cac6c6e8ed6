"""The whole run behind ``python cli.py bench``: the plan, each size in turn, and the summary line."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tools.bench.data import seed_database
from tools.bench.files import measure_export, measure_pack, measure_report
from tools.bench.first_render import measure_first_render
from tools.bench.pages import PageTiming, app_pages, render_pages
from tools.bench.printing import print_first, print_growth, print_saves, print_size
from tools.bench.proxy import ProxyResult, measure_behind_proxy
from tools.bench.proxy import report_lines as proxy_lines
from tools.bench.results import BenchReport, FirstRender, SaveResult, SizeResult, machine_info
from tools.bench.saves import measure_concurrent_saves, measure_save_latency
from tools.bench.served import Served, measure_served
from tools.stats import percentile

#: The pages many people open at once (issue 23): the first page, the heaviest, the widest.
PROTOCOL_PAGES = ("Overview", "Caseloads", "Quality assurance inputs")


@dataclass
class BenchPlan:
    authorities: int = 153
    rounds: int = 5
    quick: bool = False
    growth: bool = True
    seed: int = 1
    sessions: int = 50  # the largest number of protocol sessions opening a page at once
    postgres_url: str | None = None  # the two-server measure's PostgreSQL; SQLite without it
    profile_dir: Path | None = None  # py-spy flame graphs of the page renders go here
    protocol_pages: tuple[str, ...] = field(default=PROTOCOL_PAGES)

    @property
    def sizes(self) -> list[tuple[int, int]]:
        if self.quick or not self.growth:
            return [(self.authorities, self.rounds)]
        small = max(1, round(self.authorities / 10))
        return [(small, self.rounds), (self.authorities, self.rounds), (self.authorities * 10, self.rounds)]

    def page_repeats(self, returns: int) -> int:
        if self.quick:
            return 3
        return 5 if returns > 2000 else 15

    @property
    def export_repeats(self) -> int:
        return 1 if self.quick else 3

    @property
    def save_loop(self) -> int:
        return 30 if self.quick else 200

    @property
    def concurrent(self) -> int:
        return 50

    @property
    def render_runs(self) -> int:
        return 1 if self.quick else 3

    @property
    def click_repeats(self) -> int:
        return 1 if self.quick else 5

    @property
    def alone_runs(self) -> int:
        """How often one session alone opens each page (its p50 and p95 come from these)."""
        return 3 if self.quick else 5

    @property
    def protocol_counts(self) -> list[int]:
        """Sessions at once: 1, 20 and ``sessions`` (50 unless told), never more than ``sessions``."""
        return sorted({n for n in (1, 20, self.sessions) if n <= self.sessions})

    @property
    def held_sessions(self) -> int:
        return 10 if self.quick else 40

    @property
    def anatomy_reruns(self) -> int:
        return 3 if self.quick else 7


def run_bench(plan: BenchPlan, out: Callable[[str], None] = print) -> BenchReport:
    machine = machine_info()
    out(
        f"Machine: {machine['cpus']} CPU(s), {machine['cpu']}, {machine['memory']} memory, "
        f"Python {machine['python']}, {machine['os']}"
    )
    pages = app_pages()
    runnable = [p for p in pages if not p.is_placeholder]
    skipped = [p for p in pages if p.is_placeholder]
    if skipped:
        out("Skipped (still placeholders): " + ", ".join(p.title for p in skipped))
    sizes: list[SizeResult] = []
    main: SizeResult | None = None
    saves = SaveResult()
    first = FirstRender()
    served = Served()
    proxy = ProxyResult()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmpdir = Path(tmp)
        for authorities, rounds in plan.sizes:
            out(f"\n== {authorities} authorities × {rounds} rounds")
            size = SizeResult(authorities, rounds, authorities * rounds)
            url = f"sqlite:///{tmpdir / f'returns-{authorities}x{rounds}.db'}"
            t0 = time.perf_counter()
            store, dataset = seed_database(url, authorities, rounds, plan.seed)
            size.seed_s = time.perf_counter() - t0
            size.returns = len(dataset.returns)
            out(f"   seeded {size.returns} returns in {size.seed_s:.1f} s")
            profile = None
            if plan.profile_dir is not None:
                plan.profile_dir.mkdir(parents=True, exist_ok=True)
                profile = plan.profile_dir / f"pages-{authorities}x{rounds}.svg"
            size.empty_ms, size.pages, notes = render_pages(
                runnable, url, plan.page_repeats(size.returns), tmpdir, profile
            )
            if profile is not None:
                out(f"   profile of the page renders (py-spy flame graph): {profile}")
            size.notes += notes
            size.pages += [
                PageTiming(p.title, p.path, None, None, "placeholder: not measured") for p in skipped
            ]
            try:
                size.export_s, size.pandas_s, size.workbook_bytes, notes = measure_export(
                    dataset, plan.export_repeats
                )
                size.notes += notes
            except Exception as exc:
                size.notes.append(f"export not measured: {exc.__class__.__name__}: {exc}"[:300])
            try:
                size.pack_s = measure_pack(dataset)
            except Exception as exc:
                size.notes.append(f"pack not measured: {exc.__class__.__name__}: {exc}"[:300])
            try:
                size.report_s = measure_report(dataset)
            except Exception as exc:
                size.notes.append(f"report not measured: {exc.__class__.__name__}: {exc}"[:300])
            print_size(size, out)
            if size.pack_s is not None:
                out(f"   meeting pack for the latest round ({authorities} authorities): {size.pack_s:.2f} s")
            if size.report_s is not None:
                out(f"   one authority's report (how we compare, Word): {size.report_s:.2f} s")
            sizes.append(size)
            is_main = (authorities, rounds) == (plan.authorities, plan.rounds)
            if is_main:
                main = size
                out("   saves ...")
                saves = SaveResult()
                try:
                    times = measure_save_latency(store, dataset, plan.save_loop)
                    saves.n = len(times)
                    saves.median_ms = statistics.median(times)
                    saves.p95_ms = percentile(times, 95)
                    together = measure_concurrent_saves(store, dataset, url, plan.concurrent)
                    together.n, together.median_ms, together.p95_ms = saves.n, saves.median_ms, saves.p95_ms
                    saves = together
                except Exception as exc:
                    saves.notes.append(f"saves not measured: {exc.__class__.__name__}: {exc}"[:300])
                print_saves(saves, out)
                out("   first render in Chromium ...")
                first = measure_first_render(url, plan.render_runs, tmpdir)
                print_first(first, out)
                store.dispose()
                served = measure_served(plan, url, max(dataset.rounds), runnable, tmpdir, out)
                titles = [p.title for p in runnable]
                proxy = measure_behind_proxy(
                    url,
                    [t for t in plan.protocol_pages if t in titles],
                    tmpdir,
                    sessions=plan.sessions,
                    out=out,
                )
                for line in proxy_lines(proxy):
                    out(line)
            store.dispose()
    assert main is not None
    report = BenchReport(
        machine=machine,
        sizes=sizes,
        main=main,
        saves=saves,
        first_render=first,
        clicks=served.clicks,
        protocol=served.protocol,
        anatomy=served.anatomy,
        two_servers=served.two,
        proxy=proxy,
    )
    if len(sizes) > 1:
        print_growth(sizes, out)
    misses = report.misses()
    out("")
    if misses:
        out(f"Targets missed at {main.authorities} × {main.rounds}:")
        for m in misses:
            out(f" - {m}")
    else:
        out(f"Every measured target met at {main.authorities} × {main.rounds}.")
    out(report.summary_line())
    return report
