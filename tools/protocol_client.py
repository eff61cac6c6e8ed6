"""A load client that speaks Streamlit's own protocol, with no browser: how the server holds up
when a whole meeting opens the same link at once.

Each simulated session does what a browser tab does when a person opens a link
(Streamlit's frontend, ``WebsocketConnection`` and ``App``): it fetches the page
(``GET /<page>``, which sets the XSRF cookie), pings ``/_stcore/health`` and
``/_stcore/host-config``, opens the WebSocket at ``/_stcore/stream`` with the
``streamlit`` subprotocol, and sends a ``BackMsg`` whose ``rerun_script`` names the
page by its URL path (``page_name``), the query string and the browser's context
(locale, time zone, URL). It then reads ``ForwardMsg`` messages until the run's
``script_finished``. Like the frontend it keeps a cache of the large messages the
server marks cacheable and sends their hashes with every later rerun (so a rerun
gets ``ref_hash`` references instead of the same chart again), and it keeps every
widget's value: the default the element arrived with, or the value the server set.

Changing a widget is what a person's click does: the widget's new value, with every
other widget's current value, goes in the rerun's ``widget_states``, with the page's
``page_script_hash`` and the current query string.

The load (``measure``) opens N sessions, waits until every one is connected and idle,
then has all of them ask for a page at the same moment; each is timed from sending
its request to its ``script_finished``. Then all change a filter at once and are timed
again. The same is done for the empty page (``BENCH_EMPTY_PAGE=1`` in app.py) and the
figures are set against it. Around each wave the server's CPU time is read from
``/proc/<pid>/stat``, and, at the end, its resident memory with sessions held open.

Bounds: at most ``MAX_SESSIONS`` sessions, every wait has a timeout, the whole load has a
deadline, and only a loopback address (127.0.0.1, ::1, localhost) is accepted.

Run it on its own against a running app (``streamlit run app.py`` with ``BENCH_EMPTY_PAGE=1``)::

    python -m tools.protocol_client --url http://127.0.0.1:8501 --pid PID --pages Overview,Caseloads

Only the standard library, ``websockets`` and Streamlit's ``streamlit.proto`` are used.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import statistics
import sys
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The most sessions one load may open, whatever is asked.
MAX_SESSIONS = 200
#: How long one session may wait for a run to finish.
VIEW_TIMEOUT_S = float(os.environ.get("PROTO_VIEW_TIMEOUT_S", "120"))
#: How long one whole load (every page, every wave) may take before the rest is skipped.
LOAD_DEADLINE_S = float(os.environ.get("PROTO_DEADLINE_S", "900"))
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
EMPTY_TITLE = "Empty page"
#: The app's error boundary (ui/errors.py) shows this instead of a traceback: a view that shows
#: it did not work, whatever the protocol says.
ERROR_TEXT = "Something went wrong on this page"

# ScriptFinishedStatus values (ForwardMsg.proto).
FINISHED_SUCCESSFULLY = 0
FINISHED_WITH_COMPILE_ERROR = 1
FINISHED_EARLY_FOR_RERUN = 2
FINISHED_FRAGMENT_RUN_SUCCESSFULLY = 3


def check_loopback(url: str) -> urllib.parse.SplitResult:
    """The parsed URL, if it is http:// on a loopback address; ValueError otherwise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or (parts.hostname or "") not in LOOPBACK or parts.port is None:
        raise ValueError(f"the load client only talks to a local server (http://127.0.0.1:PORT), not {url!r}")
    return parts


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks."""
    data = sorted(values)
    if not data:
        raise ValueError("no values")
    k = (len(data) - 1) * q / 100
    lo, hi = math.floor(k), math.ceil(k)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


# ---------------------------------------------------------------------------
# The server's process, from /proc.


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of process ``pid`` (all its threads), from /proc/<pid>/stat."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
        fields = text[text.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def rss_bytes(pid: int) -> int | None:
    """Resident memory of process ``pid`` (VmRSS), from /proc/<pid>/status."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


# ---------------------------------------------------------------------------
# One page view.


@dataclass
class View:
    """What one session saw of one script run: from sending its request to ``script_finished``."""

    page: str
    ok: bool = False
    ms: float | None = None
    messages: int = 0
    bytes: int = 0  # payloads as the frontend decodes them (before the WebSocket's compression)
    elements: int = 0  # new_element deltas (each element drawn)
    blocks: int = 0  # add_block deltas (containers: columns, expanders, tabs, the sidebar's parts)
    widgets: int = 0  # elements and blocks with a widget id (the frontend keeps a value for each)
    cached: int = 0  # messages sent as a reference to one the session already holds
    kinds: Counter = field(default_factory=Counter)
    query: str = ""  # the page's query string once the run finished (what the address bar shows)
    error: str = ""


def _element_kind(delta) -> tuple[str, Any]:
    which = delta.WhichOneof("type")
    if which == "new_element":
        kind = delta.new_element.WhichOneof("type") or "?"
        return kind, getattr(delta.new_element, kind, None)
    if which == "add_block":
        kind = delta.add_block.WhichOneof("type") or "vertical"
        return f"block:{kind}", getattr(delta.add_block, kind, None)
    return str(which), None


def _widget_default(kind: str, proto) -> tuple[str, Any] | None:
    """The value the frontend gives a widget it has just drawn (the element's default or the value
    the server set), as (WidgetState field, value); None for widgets whose value it does not send
    unasked (buttons are triggers) or that this client does not model."""
    if kind in ("selectbox", "radio"):
        if proto.set_value:
            return ("string_value", proto.raw_value) if proto.HasField("raw_value") else None
        if proto.HasField("default") and 0 <= proto.default < len(proto.options):
            return "string_value", proto.options[proto.default]
        return None
    if kind == "multiselect":
        if proto.set_value:
            return "string_array_value", list(proto.raw_values)
        return "string_array_value", [proto.options[i] for i in proto.default if 0 <= i < len(proto.options)]
    if kind == "checkbox":  # also st.toggle
        return "bool_value", bool(proto.value if proto.set_value else proto.default)
    if kind in ("text_input", "text_area"):
        if proto.set_value:
            return "string_value", proto.value
        return ("string_value", proto.default) if proto.HasField("default") else None
    if kind == "block:expandable":  # st.expander(key=..., on_change="rerun"): open or closed
        return "bool_value", bool(proto.expanded)
    if kind == "block:tab_container":  # st.tabs(key=..., on_change="rerun"): the open tab's label
        return ("string_value", proto.default_tab_label) if proto.HasField("default_tab_label") else None
    return None


# ---------------------------------------------------------------------------
# A session: one browser tab.


async def _http_get(host: str, port: int, target: str, timeout: float) -> tuple[int, dict[str, str], int]:
    """GET ``target`` over HTTP/1.1 (one connection, closed after): status, Set-Cookie values, body size."""

    async def go() -> tuple[int, dict[str, str], int]:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(
                f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: */*\r\n"
                "User-Agent: iro-cp-bench-protocol-client\r\nConnection: close\r\n\r\n".encode()
            )
            await writer.drain()
            data = await reader.read()
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        cookies = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "set-cookie":
                cookie = value.strip().split(";", 1)[0]
                k, _, v = cookie.partition("=")
                cookies[k.strip()] = v.strip()
        return status, cookies, len(body)

    return await asyncio.wait_for(go(), timeout)


class Session:
    """One simulated browser tab on ``base_url`` (a loopback address only)."""

    def __init__(self, base_url: str, *, timeout: float = VIEW_TIMEOUT_S, locale: str = "en-GB"):
        parts = check_loopback(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", int(parts.port or 80)
        self.base = f"http://{self.host}:{self.port}"
        self.timeout = timeout
        self.locale = locale
        self.ws = None
        self.cookies: dict[str, str] = {}
        self.query = ""
        self.page_hash = ""
        self.pages: dict[str, str] = {}  # title -> url path, from the app's navigation
        self.page_hashes: dict[str, str] = {}  # url path -> page_script_hash
        self.widgets: dict[str, tuple[str, Any]] = {}  # widget id -> (kind, element proto), last run
        self.values: dict[str, tuple[str, Any]] = {}  # widget id -> (WidgetState field, value)
        self.cache: dict[str, tuple[Any, int]] = {}  # message hash -> (ForwardMsg, run it was last used)
        self.max_age = 2
        self.runs = 0
        self.connect_ms: float | None = None

    async def connect(self, path: str = "") -> None:
        """Do what a browser does before its first run: fetch the page, ping, open the WebSocket."""
        import websockets

        t0 = time.perf_counter()
        target = "/" + path.strip("/") + (f"?{self.query}" if self.query else "")
        status, cookies, _ = await _http_get(self.host, self.port, target, self.timeout)
        if status != 200:
            raise ConnectionError(f"GET {target} answered {status}")
        self.cookies.update(cookies)
        for probe in ("/_stcore/health", "/_stcore/host-config"):
            status, _, _ = await _http_get(self.host, self.port, probe, self.timeout)
            if status != 200:
                raise ConnectionError(f"GET {probe} answered {status}")
        protocols = ["streamlit"]
        if self.cookies.get("_streamlit_xsrf"):
            protocols.append(self.cookies["_streamlit_xsrf"])
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else None
        self.ws = await asyncio.wait_for(
            websockets.connect(
                f"ws://{self.host}:{self.port}/_stcore/stream",
                subprotocols=protocols,
                origin=self.base,
                additional_headers=headers,
                max_size=None,
                open_timeout=self.timeout,
                ping_interval=None,
            ),
            self.timeout,
        )
        self.connect_ms = (time.perf_counter() - t0) * 1000

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 10)
            self.ws = None

    def _client_state(self, page_name: str | None):
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string = self.query
        if page_name is not None:
            rs.page_name = page_name  # opening a link: the server finds the page by its URL path
        else:
            rs.page_script_hash = self.page_hash
        for wid, (name, value) in self.values.items():
            ws = rs.widget_states.widgets.add()
            ws.id = wid
            if name == "string_array_value":
                ws.string_array_value.data[:] = value
            else:
                setattr(ws, name, value)
        rs.cached_message_hashes[:] = list(self.cache)
        ci = rs.context_info
        ci.timezone, ci.timezone_offset, ci.locale = "Europe/London", 0, self.locale
        ci.url = f"{self.base}/{(page_name or '')}" + (f"?{self.query}" if self.query else "")
        ci.is_embedded, ci.color_scheme = False, "light"
        return msg

    async def open(self, path: str = "", query: str = "") -> View:
        """Open the page at URL ``path`` (``""`` is the default page) as a new tab does."""
        self.query = query
        if self.ws is None:
            await self.connect(path)
        self.values.clear()  # a new tab has no widget values yet
        return await self._run(self._client_state(path.strip("/")), path or "(default)")

    async def rerun(self) -> View:
        """Run the current page again with every widget as it is (pressing R, or a click on its link)."""
        return await self._run(self._client_state(None), self.page_hash)

    async def change(self, label: str, option: int | str | bool) -> View:
        """Change the widget labelled ``label`` as a person does: a select box or radio to its option
        number (or text) ``option``, a checkbox, toggle or expander to ``option`` (True: ticked, on,
        open), a set of tabs to the tab labelled ``option``; then the rerun."""
        found = next(
            ((wid, k, p) for wid, (k, p) in self.widgets.items() if getattr(p, "label", None) == label), None
        )
        if found is None:
            return View(page=self.page_hash, error=f"no widget labelled {label!r} on the page")
        wid, kind, proto = found
        choosing = kind in ("selectbox", "radio", "multiselect") and isinstance(option, int)
        if choosing and not isinstance(option, bool) and not 0 <= option < len(proto.options):
            return View(page=self.page_hash, error=f"{label!r} has no option {option + 1}")
        if kind in ("selectbox", "radio"):
            choice = proto.options[option] if isinstance(option, int) else str(option)
            self.values[wid] = ("string_value", choice)
        elif kind == "multiselect":
            choice = proto.options[option] if isinstance(option, int) else str(option)
            self.values[wid] = ("string_array_value", [choice])
        elif kind in ("checkbox", "block:expandable"):
            self.values[wid] = ("bool_value", bool(option))
        elif kind == "block:tab_container":
            self.values[wid] = ("string_value", str(option))
        else:
            return View(page=self.page_hash, error=f"cannot change a {kind} ({label!r})")
        return await self._run(self._client_state(None), self.page_hash)

    def option_count(self, label: str) -> int:
        """How many options the widget labelled ``label`` has (0 if there is none)."""
        proto = next((p for _, p in self.widgets.values() if getattr(p, "label", None) == label), None)
        return len(getattr(proto, "options", ())) if proto is not None else 0

    async def _run(self, msg, page: str) -> View:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        view = View(page=page)
        if self.ws is None:
            view.error = "not connected"
            return view
        self.widgets = {}
        self.runs += 1
        t0 = time.perf_counter()
        deadline = t0 + self.timeout
        try:
            await self.ws.send(msg.SerializeToString())
            while True:
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(f"the run did not finish within {self.timeout:.0f} s")
                data = await asyncio.wait_for(self.ws.recv(), left)
                view.messages += 1
                view.bytes += len(data)
                fmsg = ForwardMsg()
                fmsg.ParseFromString(data)
                kind = fmsg.WhichOneof("type")
                if kind == "ref_hash":
                    cached = self.cache.get(fmsg.ref_hash)
                    if cached is None:
                        raise RuntimeError(
                            f"the server referred to a message this session never had ({kind})"
                        )
                    view.cached += 1
                    metadata = fmsg.metadata
                    fmsg = ForwardMsg()
                    fmsg.CopyFrom(cached[0])
                    fmsg.metadata.CopyFrom(metadata)
                    kind = fmsg.WhichOneof("type")
                if fmsg.metadata.cacheable and fmsg.hash:
                    self.cache[fmsg.hash] = (fmsg, self.runs)
                if kind == "delta":
                    self._delta(fmsg, view)
                elif kind == "new_session":
                    self.max_age = fmsg.new_session.config.max_cached_message_age or self.max_age
                elif kind == "navigation":
                    self.page_hash = fmsg.navigation.page_script_hash
                    for p in fmsg.navigation.app_pages:
                        self.pages[p.page_name] = p.url_pathname
                        self.page_hashes[p.url_pathname] = p.page_script_hash
                elif kind == "page_info_changed":
                    self.query = fmsg.page_info_changed.query_string
                elif kind == "page_not_found":
                    view.error = f"page not found: {fmsg.page_not_found.page_name!r}"
                elif kind == "script_finished":
                    status = fmsg.script_finished
                    if status == FINISHED_EARLY_FOR_RERUN:
                        # The app asked for another run (st.rerun; the first visitor after a start
                        # is sent from the pages folder to the app's navigation): not done yet, and
                        # what the cut-short run said (page not found) is superseded.
                        view.error = ""
                        self.widgets = {}
                        continue
                    view.ms = (time.perf_counter() - t0) * 1000
                    if status == FINISHED_WITH_COMPILE_ERROR:
                        view.error = view.error or "the script did not compile"
                    break
        except Exception as exc:  # a view that did not finish is counted, never fatal to the load
            view.error = f"{exc.__class__.__name__}: {exc}"[:300]
            await self.close()
            return view
        self._age_cache()
        view.query = self.query
        view.ok = not view.error
        return view

    def _delta(self, fmsg, view: View) -> None:
        kind, proto = _element_kind(fmsg.delta)
        which = fmsg.delta.WhichOneof("type")
        if which == "new_element":
            view.elements += 1
        elif which == "add_block":
            view.blocks += 1
        view.kinds[kind] += 1
        if kind == "exception":
            view.error = view.error or f"exception on the page: {proto.message[:200]}"
        elif kind == "alert" and ERROR_TEXT in proto.body:
            view.error = view.error or f"error on the page: {proto.body[:200]}"
        wid = getattr(proto, "id", "") if proto is not None else ""
        if wid and isinstance(wid, str):
            view.widgets += 1
            self.widgets[wid] = (kind, proto)
            value = _widget_default(kind, proto)
            if value is not None and (getattr(proto, "set_value", False) or wid not in self.values):
                self.values[wid] = value

    def _age_cache(self) -> None:
        """Forget cached messages not used for ``max_cached_message_age`` runs, as the frontend does."""
        for h in [h for h, (_, run) in self.cache.items() if self.runs - run >= self.max_age]:
            del self.cache[h]


# ---------------------------------------------------------------------------
# The load.


@dataclass
class Wave:
    """N sessions doing the same thing at the same moment."""

    page: str
    action: str  # "open" or "change"
    sessions: int
    views: list[View] = field(default_factory=list)
    cpu_s: float | None = None  # the server's CPU time during the wave
    wall_s: float | None = None

    @property
    def ok(self) -> list[View]:
        return [v for v in self.views if v.ok and v.ms is not None]

    @property
    def errors(self) -> int:
        return self.sessions - len(self.ok)

    def _q(self, q: float) -> float | None:
        times = [v.ms for v in self.ok]
        return percentile(times, q) if times else None

    @property
    def p50_ms(self) -> float | None:
        return self._q(50)

    @property
    def p95_ms(self) -> float | None:
        return self._q(95)

    @property
    def cpu_ms_per_view(self) -> float | None:
        return self.cpu_s * 1000 / len(self.views) if self.cpu_s is not None and self.views else None

    def mean(self, name: str) -> float | None:
        values = [getattr(v, name) for v in self.ok]
        return statistics.fmean(values) if values else None

    def first_error(self) -> str:
        return next((v.error for v in self.views if v.error), "")


@dataclass
class PageLoad:
    title: str
    url_path: str
    waves: list[Wave] = field(default_factory=list)

    def wave(self, action: str, sessions: int) -> Wave | None:
        return next((w for w in self.waves if w.action == action and w.sessions == sessions), None)


@dataclass
class ProtocolResult:
    counts: list[int] = field(default_factory=list)
    empty: PageLoad | None = None
    pages: list[PageLoad] = field(default_factory=list)
    change: str = ""  # the widget changed, in words
    memory_page: str = ""
    held: int = 0
    rss_one_mib: float | None = None
    rss_held_mib: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def mib_per_session(self) -> float | None:
        if self.rss_one_mib is None or self.rss_held_mib is None or not self.held:
            return None
        return max(0.0, self.rss_held_mib - self.rss_one_mib) / self.held

    def ratio(self, page: PageLoad, action: str, sessions: int, q: str = "p95_ms") -> float | None:
        """``page``'s figure against the empty page's at the same count (a change against the empty
        page's rerun)."""
        if self.empty is None:
            return None
        mine = page.wave(action, sessions)
        base = self.empty.wave(action, sessions)
        a = getattr(mine, q) if mine else None
        b = getattr(base, q) if base else None
        return a / b if a is not None and b else None

    def worst_ratio(self, sessions: int) -> tuple[float | None, str]:
        """The worst p95 ratio at ``sessions``, over every page opened or changed, and which it was."""
        best: tuple[float | None, str] = (None, "")
        for page in self.pages:
            for action in ("open", "change"):
                r = self.ratio(page, action, sessions)
                if r is not None and (best[0] is None or r > best[0]):
                    best = (r, f"{page.title} ({'opened' if action == 'open' else 'filter changed'})")
        return best

    def worst_cpu_ms(self) -> tuple[float | None, str]:
        """The most server CPU per view of any page (at the largest count measured), and which."""
        n = max(self.counts) if self.counts else 0
        best: tuple[float | None, str] = (None, "")
        for page in self.pages:
            for action in ("open", "change"):
                w = page.wave(action, n)
                c = w.cpu_ms_per_view if w else None
                if c is not None and (best[0] is None or c > best[0]):
                    best = (c, page.title)
        return best

    @property
    def errors(self) -> int:
        loads = [self.empty, *self.pages] if self.empty else self.pages
        return sum(w.errors for p in loads for w in p.waves)

    @property
    def views(self) -> int:
        loads = [self.empty, *self.pages] if self.empty else self.pages
        return sum(w.sessions for p in loads for w in p.waves)


async def _wave(sessions: list[Session], page: str, action: str, do, pid: int | None) -> Wave:
    wave = Wave(page=page, action=action, sessions=len(sessions))
    cpu0 = cpu_seconds(pid) if pid else None
    t0 = time.perf_counter()
    wave.views = list(await asyncio.gather(*(do(s) for s in sessions)))
    wave.wall_s = time.perf_counter() - t0
    cpu1 = cpu_seconds(pid) if pid else None
    if cpu0 is not None and cpu1 is not None:
        wave.cpu_s = cpu1 - cpu0
    return wave


async def _connect_all(base_url: str, n: int, path: str, timeout: float) -> tuple[list[Session], list[str]]:
    """``n`` sessions, connected (a few at a time, as people arrive) and idle."""
    sessions = [Session(base_url, timeout=timeout) for _ in range(n)]
    gate = asyncio.Semaphore(8)
    errors: list[str] = []

    async def one(s: Session) -> None:
        async with gate:
            try:
                await s.connect(path)
            except Exception as exc:
                errors.append(f"{exc.__class__.__name__}: {exc}"[:200])

    await asyncio.gather(*(one(s) for s in sessions))
    return sessions, errors


async def _load_page(
    base_url: str,
    title: str,
    path: str,
    counts: Sequence[int],
    single_repeats: int,
    change: tuple[str, int] | None,
    pid: int | None,
    timeout: float,
    deadline: float,
    notes: list[str],
) -> PageLoad:
    load = PageLoad(title=title, url_path=path)
    for n in counts:
        repeats = single_repeats if n == 1 else 1
        opens = Wave(page=title, action="open", sessions=0)
        changes = Wave(page=title, action="change", sessions=0)
        for _ in range(repeats):
            if time.monotonic() > deadline:
                notes.append(f"{title}, {n} at once: skipped (the load's deadline has passed)")
                break
            sessions, errors = await _connect_all(base_url, n, path, timeout)
            try:
                for err in errors:
                    opens.views.append(View(page=title, error=f"did not connect: {err}"))
                live = [s for s in sessions if s.ws is not None]
                w = await _wave(live, title, "open", lambda s: s.open(path), pid)
                _merge(opens, w)
                opened = [s for s in live if s.ws is not None]
                if change is None:  # the empty page: its rerun is what a change is set against
                    w = await _wave(opened, title, "change", lambda s: s.rerun(), pid)
                else:
                    w = await _wave(opened, title, "change", lambda s: s.change(*change), pid)
                w.views += [View(page=title, error="did not open") for _ in range(n - len(opened))]
                _merge(changes, w)
            finally:
                await asyncio.gather(*(s.close() for s in sessions))
        opens.sessions, changes.sessions = len(opens.views), len(changes.views)
        if opens.views:
            load.waves.append(opens)
        if changes.views:
            load.waves.append(changes)
    return load


def _merge(into: Wave, w: Wave) -> None:
    into.views += w.views
    if w.cpu_s is not None:
        into.cpu_s = (into.cpu_s or 0.0) + w.cpu_s
    into.wall_s = (into.wall_s or 0.0) + (w.wall_s or 0.0)


async def _navigation(base_url: str, timeout: float) -> tuple[dict[str, str], View]:
    """The app's pages (title -> URL path), read from the navigation of one run of the empty page."""
    s = Session(base_url, timeout=timeout)
    try:
        await s.connect("bench-empty")
        view = await s.open("bench-empty")
        return dict(s.pages), view
    finally:
        await s.close()


async def _hold_sessions(
    base_url: str, path: str, held: int, pid: int, timeout: float
) -> tuple[float, float]:
    """RSS (MiB) with one session on ``path``, then with ``held`` more opened one by one and kept open."""
    first = Session(base_url, timeout=timeout)
    others: list[Session] = []
    try:
        await first.open(path)
        await asyncio.sleep(1.0)
        before = (rss_bytes(pid) or 0) / 2**20
        for _ in range(held):
            s = Session(base_url, timeout=timeout)
            others.append(s)
            await s.open(path)
        await asyncio.sleep(1.0)
        after = (rss_bytes(pid) or 0) / 2**20
        return before, after
    finally:
        await asyncio.gather(first.close(), *(s.close() for s in others))


async def _measure(
    base_url: str,
    titles: Sequence[str],
    *,
    pid: int | None,
    counts: Sequence[int],
    single_repeats: int,
    change: tuple[str, int],
    held: int,
    memory_page: str | None,
    timeout: float,
    deadline_s: float,
    out: Callable[[str], None],
) -> ProtocolResult:
    check_loopback(base_url)
    counts = [max(1, min(int(n), MAX_SESSIONS)) for n in counts]
    res = ProtocolResult(counts=list(counts), change=f"'{change[0]}' set to its option {change[1] + 1}")
    deadline = time.monotonic() + deadline_s
    nav, first = await _navigation(base_url, timeout)
    if not first.ok:
        res.notes.append(f"the empty page did not open: {first.error}")
        return res
    if EMPTY_TITLE not in nav:
        res.notes.append("the app has no empty page (start it with BENCH_EMPTY_PAGE=1)")
        return res
    missing = [t for t in titles if t not in nav]
    if missing:
        res.notes.append("not in the app's navigation: " + ", ".join(missing))
    wanted = [(t, nav[t]) for t in titles if t in nav]
    # Warm-up: every page and its filter change once, so the waves time a warm server (the Views
    # are built once per data and choices, on the first visit) and not the first visit.
    for title, path in [(EMPTY_TITLE, nav[EMPTY_TITLE]), *wanted]:
        s = Session(base_url, timeout=timeout)
        try:
            v = await s.open(path)
            if v.ok and title != EMPTY_TITLE:
                v = await s.change(*change)
            if not v.ok:
                res.notes.append(f"warm-up of {title}: {v.error}")
        finally:
            await s.close()
    out(
        f"   protocol sessions (no browser): {', '.join(map(str, counts))} at once, each page opened, then {res.change}"
    )
    res.empty = await _load_page(
        base_url,
        EMPTY_TITLE,
        nav[EMPTY_TITLE],
        counts,
        single_repeats,
        None,
        pid,
        timeout,
        deadline,
        res.notes,
    )
    for title, path in wanted:
        res.pages.append(
            await _load_page(
                base_url, title, path, counts, single_repeats, change, pid, timeout, deadline, res.notes
            )
        )
    if pid and held and time.monotonic() < deadline:
        mem_title = memory_page if memory_page in nav else (wanted[-1][0] if wanted else EMPTY_TITLE)
        res.memory_page, res.held = mem_title, held
        try:
            res.rss_one_mib, res.rss_held_mib = await _hold_sessions(
                base_url, nav[mem_title], held, pid, timeout
            )
        except Exception as exc:
            res.notes.append(f"memory not measured: {exc.__class__.__name__}: {exc}"[:300])
    elif not pid:
        res.notes.append("no server process id: CPU and memory not measured")
    return res


def measure(
    base_url: str,
    titles: Sequence[str],
    *,
    pid: int | None = None,
    counts: Sequence[int] = (1, 20, 50),
    single_repeats: int = 5,
    change: tuple[str, int] = ("Survey round", 1),
    held: int = 40,
    memory_page: str | None = None,
    timeout: float = VIEW_TIMEOUT_S,
    deadline_s: float = LOAD_DEADLINE_S,
    out: Callable[[str], None] = print,
) -> ProtocolResult:
    """Open each page in ``titles`` (and the empty page) with each count of sessions at once, then
    change a filter in all of them at once; ``pid`` is the server's process, for its CPU and memory.
    Never raises for a view that fails: it is counted in the errors. Refuses (ValueError) any
    address but loopback."""
    check_loopback(base_url)
    try:
        return asyncio.run(
            _measure(
                base_url,
                titles,
                pid=pid,
                counts=counts,
                single_repeats=single_repeats,
                change=change,
                held=held,
                memory_page=memory_page,
                timeout=timeout,
                deadline_s=deadline_s,
                out=out,
            )
        )
    except Exception as exc:
        return ProtocolResult(
            counts=list(counts), notes=[f"not measured: {exc.__class__.__name__}: {exc}"[:300]]
        )


# ---------------------------------------------------------------------------
# What each page sends: one session, warm.


@dataclass
class Anatomy:
    """One page as a new session receives it (after a warm-up visit), and its warm rerun."""

    title: str
    url_path: str
    opened: View | None = None
    rerun_ms: float | None = None  # median of the reruns of the same session (nothing changed)
    rerun_bytes: float | None = None
    error: str = ""


async def _anatomy(base_url: str, titles: Sequence[str], reruns: int, timeout: float) -> list[Anatomy]:
    nav, _ = await _navigation(base_url, timeout)
    out: list[Anatomy] = []
    for title in titles:
        a = Anatomy(title=title, url_path=nav.get(title, ""))
        out.append(a)
        if title not in nav:
            a.error = "not in the app's navigation"
            continue
        warm = Session(base_url, timeout=timeout)
        try:
            await warm.open(a.url_path)
        finally:
            await warm.close()
        s = Session(base_url, timeout=timeout)
        try:
            a.opened = await s.open(a.url_path)
            views = [await s.rerun() for _ in range(reruns)] if a.opened.ok else []
            good = [v for v in views if v.ok and v.ms is not None]
            if good:
                a.rerun_ms = statistics.median(v.ms for v in good)
                a.rerun_bytes = statistics.median(v.bytes for v in good)
            a.error = a.opened.error or next((v.error for v in views if v.error), "")
        finally:
            await s.close()
    return out


def anatomy(
    base_url: str, titles: Sequence[str], *, reruns: int = 5, timeout: float = VIEW_TIMEOUT_S
) -> list[Anatomy]:
    """For each page: what a new session is sent (elements, blocks, widgets, messages, bytes) and the
    median time of its reruns with nothing changed (the frontend's message cache in use)."""
    check_loopback(base_url)
    return asyncio.run(_anatomy(base_url, titles, reruns, timeout))


def anatomy_lines(pages: Sequence[Anatomy]) -> list[str]:
    lines = [
        f"   {'page (one session, warm)':<34} {'elements':>8} {'blocks':>6} {'widgets':>7} {'msgs':>5} "
        f"{'KB sent':>8} {'rerun ms':>8} {'rerun KB':>8}"
    ]
    for a in pages:
        v = a.opened
        if v is None or not v.ok:
            lines.append(f"   {a.title[:34]:<34} not measured: {a.error}")
            continue
        lines.append(
            f"   {a.title[:34]:<34} {v.elements:>8} {v.blocks:>6} {v.widgets:>7} {v.messages:>5} "
            f"{v.bytes / 1024:>8.0f} {_f(a.rerun_ms):>8} {_f(a.rerun_bytes / 1024 if a.rerun_bytes else None):>8}"
        )
    return lines


# ---------------------------------------------------------------------------
# The report.


def _f(value: float | None, digits: int = 0) -> str:
    return "nan" if value is None else f"{value:,.{digits}f}"


def report_lines(res: ProtocolResult) -> list[str]:
    lines = []
    head = (
        f"   {'page':<28} {'action':<7} {'n':>3} {'p50 ms':>8} {'p95 ms':>8} {'×empty':>7} "
        f"{'cpu ms/view':>11} {'msgs':>5} {'KB':>6} {'elems':>5} {'widgets':>7} {'errors':>6}"
    )
    lines.append(head)
    loads = [res.empty, *res.pages] if res.empty else res.pages
    for page in loads:
        for w in page.waves:
            ratio = 1.0 if page is res.empty else res.ratio(page, w.action, w.sessions)
            kb = w.mean("bytes")
            lines.append(
                f"   {page.title[:28]:<28} {w.action:<7} {w.sessions:>3} {_f(w.p50_ms):>8} {_f(w.p95_ms):>8} "
                f"{_f(ratio, 2):>7} {_f(w.cpu_ms_per_view, 1):>11} {_f(w.mean('messages')):>5} "
                f"{_f(kb / 1024 if kb is not None else None):>6} {_f(w.mean('elements')):>5} "
                f"{_f(w.mean('widgets')):>7} {w.errors:>6}"
            )
            if w.errors:
                lines.append(f"      first error: {w.first_error()}")
    if res.mib_per_session is not None:
        lines.append(
            f"   Server memory (RSS) on {res.memory_page}: {res.rss_one_mib:.0f} MiB with one session, "
            f"{res.rss_held_mib:.0f} MiB with {res.held} more held open: {res.mib_per_session:.2f} MiB per extra session"
        )
    n = max(res.counts) if res.counts else 0
    worst, which = res.worst_ratio(n)
    if worst is not None:
        lines.append(f"   Worst at {n} at once: {which}, p95 {worst:.2f}× the empty page's")
    lines.append(f"   Views: {res.views}, errors: {res.errors}")
    lines += [f"   note: {note}" for note in res.notes]
    return lines


def summary_fields(res: ProtocolResult) -> list[tuple[str, str]]:
    """The bench summary line's protocol fields."""
    n = 50 if 50 in res.counts else (max(res.counts) if res.counts else 0)
    worst, _ = res.worst_ratio(n)
    cpu, _ = res.worst_cpu_ms()
    return [
        ("proto50_p95_ratio", _f(worst, 2).replace(",", "")),
        ("proto_cpu_ms", _f(cpu, 1).replace(",", "")),
        ("mem_per_session_mb", _f(res.mib_per_session, 2)),
        ("proto_errors", str(res.errors)),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.protocol_client",
        description="Load a running app (streamlit run app.py with BENCH_EMPTY_PAGE=1) with sessions "
        "speaking Streamlit's protocol: each page opened by N sessions at once, then a filter changed.",
    )
    parser.add_argument("--url", required=True, help="the app, on loopback: http://127.0.0.1:PORT")
    parser.add_argument("--pid", type=int, default=None, help="the server's process id (for CPU and memory)")
    parser.add_argument(
        "--pages", default="Overview,Caseloads,Quality assurance inputs", help="page titles, comma-separated"
    )
    parser.add_argument(
        "--counts", default="1,20,50", help="sessions at once, comma-separated (default 1,20,50)"
    )
    parser.add_argument("--repeats", type=int, default=5, help="repeats of the single session (default 5)")
    parser.add_argument(
        "--held", type=int, default=40, help="sessions held open for the memory figure (default 40)"
    )
    args = parser.parse_args(argv)
    res = measure(
        args.url,
        [t.strip() for t in args.pages.split(",") if t.strip()],
        pid=args.pid,
        counts=[int(c) for c in args.counts.split(",")],
        single_repeats=args.repeats,
        held=args.held,
    )
    for line in report_lines(res):
        print(line)
    print("proto: " + " ".join(f"{k}={v}" for k, v in summary_fields(res)))
    return 0 if res.errors == 0 and res.pages else 1


if __name__ == "__main__":
    sys.exit(main())
