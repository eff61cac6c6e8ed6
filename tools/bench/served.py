"""The measures taken on ``streamlit run app.py`` itself: each page's anatomy and many people at
once over Streamlit's protocol (no browser), click-to-settled in Chromium, and two servers on
one database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from config import settings
from tools.bench.anatomy import Anatomy, anatomy, anatomy_lines
from tools.bench.browser import (
    ClickResult,
    TwoServersResult,
    _browser_missing,
    measure_clicks,
    measure_two_servers,
)
from tools.bench.data import seed_database
from tools.bench.load import ProtocolResult, measure, report_lines
from tools.bench.pages import APP, AppPage
from tools.bench.printing import print_clicks, print_two_servers
from tools.serving import start_server

if TYPE_CHECKING:
    from tools.bench.run import BenchPlan


@dataclass
class Served:
    anatomy: list[Anatomy] = field(default_factory=list)
    protocol: ProtocolResult = field(default_factory=ProtocolResult)
    clicks: ClickResult = field(default_factory=ClickResult)
    two: TwoServersResult = field(default_factory=TwoServersResult)


def _fresh_postgres_schema(base: str) -> tuple[str, Callable[[], None]]:
    """A new schema on the PostgreSQL at ``base``: its URL, and how to drop it."""
    import uuid

    import sqlalchemy as sa

    from store.engine import normalise_url

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(normalise_url(base), poolclass=sa.NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = normalise_url(base).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()

    return url.render_as_string(hide_password=False), drop


def highest_caseload_save(url: str, round_id: str) -> tuple[str, int, Callable[[], None]]:
    """Server A's save for the two-server measure: the first authority (A to Z) with an IRO
    caseload gets a new version whose IRO caseload is above every other in the round.
    Returns the authority, the figure and the save (run later, when server B is watching)."""
    from models.returns import AuthorityReturn
    from store import Store

    store = Store(url)
    try:
        current = [r for r in store.current_returns(round_id) if r.iro is not None and r.iro.caseload]
    finally:
        store.dispose()
    if not current:
        raise RuntimeError(f"no return in {round_id} has an IRO caseload")
    figures = [
        x for r in current for x in (r.iro.caseload.low, r.iro.caseload.high) if isinstance(x, int | float)
    ]
    figure = int(max(figures, default=0)) + 11
    ret = min(current, key=lambda r: r.authority.casefold())
    data = ret.model_dump(mode="json")
    data["iro"]["caseload"].update(
        text=f"IRO average caseload {figure}",
        low=figure,
        high=figure,
        unit="children",
        population="looked_after",
        parts=[],
    )
    amended = AuthorityReturn.model_validate(data)

    def save() -> None:
        s = Store(url)
        try:
            s.save(amended, based_on=ret.provenance.version, channel="form", submitted_by="bench server A")
        finally:
            s.dispose()

    return ret.authority, figure, save


def measure_served(
    plan: BenchPlan, url: str, round_id: str, pages: list[AppPage], workdir: Path, out: Callable[[str], None]
) -> Served:
    """Start the app on ``url`` with the empty page added, and take every measure that needs it."""
    res = Served()
    target = next((p for p in pages if p.url_path == "caseloads"), pages[0])
    env = settings.child_environment(DATABASE_URL=url, BENCH_EMPTY_PAGE="1", PYTHONWARNINGS="ignore")
    env.pop("COORDINATOR_SECRET", None)
    try:
        server = start_server(APP, env, workdir / "server-a.log")
    except RuntimeError as exc:
        res.protocol.notes.append(f"the app did not start: nothing measured on it: {exc}"[:500])
        return res
    try:
        titles = [p.title for p in pages]
        out("   what each page sends a new session (over Streamlit's protocol, one session, warm) ...")
        try:
            res.anatomy = anatomy(server.url, ["Empty page", *titles], reruns=plan.anatomy_reruns)
            for line in anatomy_lines(res.anatomy):
                out(line)
        except Exception as exc:
            out(f"   note: page anatomy not measured: {exc.__class__.__name__}: {exc}"[:300])
        wanted = [t for t in plan.protocol_pages if t in titles]
        res.protocol = measure(
            server.url,
            wanted,
            pid=server.process.pid,
            counts=plan.protocol_counts,
            single_repeats=plan.alone_runs,
            held=plan.held_sessions,
            memory_page=target.title,
            out=out,
        )
        for line in report_lines(res.protocol):
            out(line)
        missing = _browser_missing()
        if missing:
            res.clicks.notes.append(f"{missing}: click-to-settled and two servers not measured")
            print_clicks(res.clicks, out)
            return res
        out(f"   click to settled in Chromium ({plan.click_repeats} round(s) after a warm-up) ...")
        res.clicks = measure_clicks(server.url, titles, plan.click_repeats)
        print_clicks(res.clicks, out)
    finally:
        server.stop()
    out("   two servers on one database ...")
    res.two = _measure_two_servers(plan, url, round_id, target, workdir)
    print_two_servers(res.two, out)
    return res


def _measure_two_servers(plan: BenchPlan, url: str, round_id: str, target: AppPage, workdir: Path):
    drop: Callable[[], None] | None = None
    backend = "SQLite (one file)"
    try:
        if plan.postgres_url:
            url, drop = _fresh_postgres_schema(plan.postgres_url)
            backend = "PostgreSQL"
            store, _ = seed_database(url, plan.authorities, plan.rounds, plan.seed)
            store.dispose()
        authority, figure, save = highest_caseload_save(url, round_id)
        env = settings.child_environment(DATABASE_URL=url, PYTHONWARNINGS="ignore")
        servers = [start_server(APP, env, workdir / f"two-{n}.log") for n in ("a", "b")]
        try:
            two = measure_two_servers(servers[1].url, target.url_path, target.title, save, authority, figure)
        finally:
            for srv in servers:
                srv.stop()
        two.backend = backend
        return two
    except Exception as exc:
        return TwoServersResult(
            backend=backend, notes=[f"not measured: {exc.__class__.__name__}: {exc}"[:300]]
        )
    finally:
        if drop is not None:
            drop()
