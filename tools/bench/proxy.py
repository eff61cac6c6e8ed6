"""Two servers behind the proxy against one server alone: what a second process buys a meeting.

One Streamlit process is CPU-bound on one core; this machine has two. ``measure_behind_proxy``
has ``sessions`` protocol sessions (``tools.bench.load``) open each page at once, first on one
server alone (straight to it), then through HAProxy (``deploy/haproxy.cfg``, TLS and all) in front
of two servers on the same database, which the proxy itself spreads the sessions over. Its figure
is the p95 behind the proxy over the p95 alone, per page (target at most 0.6). While the sessions
are open, the proxy's own count of sessions on each server is sampled, to show the spread.

Needs HAProxy and openssl (``.ci/proxy_deps.sh``); without them it says so and measures nothing.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from config import settings
from deploy.run import Stack, deployment_env
from tools.bench.load import ProtocolResult, measure
from tools.bench.pages import APP
from tools.serving import start_server

TARGET = 0.6


@dataclass
class ProxyResult:
    sessions: int = 0
    backend: str = ""
    alone: ProtocolResult = field(default_factory=ProtocolResult)
    behind: ProtocolResult = field(default_factory=ProtocolResult)
    spread: dict[str, int] = field(default_factory=dict)  # most sessions the proxy saw on each server
    notes: list[str] = field(default_factory=list)

    def ratios(self) -> list[tuple[str, float]]:
        """(page, p95 behind the proxy ÷ p95 alone), each page opened by ``sessions`` at once."""
        out = []
        alone = {p.title: p for p in self.alone.pages}
        for page in self.behind.pages:
            a, b = alone.get(page.title), page.wave("open", self.sessions)
            wa = a.wave("open", self.sessions) if a else None
            if wa and b and wa.p95_ms and b.p95_ms is not None:
                out.append((page.title, b.p95_ms / wa.p95_ms))
        return out

    @property
    def worst(self) -> tuple[float | None, str]:
        rated = self.ratios()
        if not rated:
            return None, ""
        title, ratio = max(rated, key=lambda r: r[1])
        return ratio, title

    @property
    def errors(self) -> int:
        return self.alone.errors + self.behind.errors


def _proxy_missing() -> str | None:
    for program in ("haproxy", "openssl"):
        if shutil.which(program) is None and not Path(f"/usr/sbin/{program}").exists():
            return f"{program} is not installed (bash .ci/proxy_deps.sh)"
    return None


def _sample_spread(stack, stop: threading.Event, into: dict[str, int]) -> None:
    """The most sessions the proxy held at once on each server (``show stat``'s scur), until ``stop``."""
    while not stop.is_set():
        text = stack.admin("show stat") or ""
        for line in text.splitlines():
            cells = line.split(",")
            if len(cells) > 4 and cells[0] in ("app", "app_unhealthy") and cells[1] in ("app1", "app2"):
                into[cells[1]] = max(into.get(cells[1], 0), int(cells[4] or 0))
        stop.wait(0.1)


def measure_behind_proxy(
    url: str,
    titles: Sequence[str],
    workdir: Path,
    *,
    sessions: int = 50,
    out: Callable[[str], None] = print,
) -> ProxyResult:
    res = ProxyResult(
        sessions=sessions, backend="PostgreSQL" if url.startswith("postgres") else "SQLite (one file)"
    )
    missing = _proxy_missing()
    if missing:
        res.notes.append(f"{missing}: two servers behind the proxy not measured")
        return res
    env = settings.child_environment(DATABASE_URL=url, BENCH_EMPTY_PAGE="1", PYTHONWARNINGS="ignore")
    for name in ("COORDINATOR_SECRET", "VIEW_ACCESS"):
        env.pop(name, None)
    out(f"   {sessions} protocol sessions on one server alone ...")
    try:
        server = start_server(APP, env, workdir / "alone.log")
    except RuntimeError as exc:
        res.notes.append(f"one server alone did not start: {exc}"[:300])
        return res
    try:
        res.alone = measure(
            server.url, titles, pid=server.process.pid, counts=[sessions], single_repeats=1, held=0, out=out
        )
    finally:
        server.stop()
    out(f"   {sessions} protocol sessions through the proxy, spread over two servers by the proxy ...")
    run_dir = workdir / "proxy"
    env.pop("IRO_CERT", None)
    stack = Stack(deployment_env(run_dir, env), run_dir)
    try:
        with stack:
            # Each server builds its Views on its first visit: warm both, as the one alone was warmed,
            # so the waves time warm servers (through the proxy a warm-up would reach only one).
            for name in ("app1", "app2"):
                measure(
                    stack.server_url(name), titles, counts=[1], single_repeats=1, held=0, out=lambda _: None
                )
            stop = threading.Event()
            sampler = threading.Thread(target=_sample_spread, args=(stack, stop, res.spread), daemon=True)
            sampler.start()
            try:
                res.behind = measure(
                    stack.url, titles, pid=None, counts=[sessions], single_repeats=1, held=0, out=out
                )
            finally:
                stop.set()
                sampler.join(timeout=5)
    except RuntimeError as exc:
        res.notes.append(f"the proxy and its two servers did not start: {exc}"[:300])
    return res


def report_lines(res: ProxyResult) -> list[str]:
    lines = [
        f"   Two servers behind the proxy ({res.backend}), {res.sessions} sessions opening each page at once:"
    ]
    alone = {p.title: p for p in res.alone.pages}
    for title, ratio in res.ratios():
        a = alone[title].wave("open", res.sessions)
        b = next(p for p in res.behind.pages if p.title == title).wave("open", res.sessions)
        lines.append(
            f"   {title[:28]:<28} p95 alone {a.p95_ms:,.0f} ms, behind the proxy {b.p95_ms:,.0f} ms: "
            f"{ratio:.2f}× (target at most {TARGET})"
        )
    if res.spread:
        held = ", ".join(f"{name} {n}" for name, n in sorted(res.spread.items()))
        lines.append(f"   The proxy's spread (most sessions at once on each server): {held}")
    lines.append(f"   Errors: {res.errors}")
    lines += [f"   note: {n}" for n in (*res.notes, *res.alone.notes, *res.behind.notes)]
    return lines


def summary_fields(res: ProxyResult) -> list[tuple[str, str]]:
    worst, _ = res.worst
    return [("proxy50_p95_ratio", "nan" if worst is None else f"{worst:.2f}")]
