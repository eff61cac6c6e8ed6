"""One simulated browser tab speaking Streamlit's own protocol, with no browser (``Session``).

A session does what a browser tab does when a person opens a link (Streamlit's frontend,
``WebsocketConnection`` and ``App``): it fetches the page (``GET /<page>``, which sets the XSRF
cookie), pings ``/_stcore/health`` and ``/_stcore/host-config``, opens the WebSocket at
``/_stcore/stream`` with the ``streamlit`` subprotocol, and sends a ``BackMsg`` whose
``rerun_script`` names the page by its URL path (``page_name``), the query string and the
browser's context (locale, time zone, URL). It then reads ``ForwardMsg`` messages until the
run's ``script_finished``. Like the frontend it keeps a cache of the large messages the server
marks cacheable and sends their hashes with every later rerun (so a rerun gets ``ref_hash``
references instead of the same chart again), and it keeps every widget's value: the default
the element arrived with, or the value the server set.

Changing a widget is what a person's click does: the widget's new value, with every other
widget's current value, goes in the rerun's ``widget_states``, with the page's
``page_script_hash`` and the current query string.

Only a loopback address (127.0.0.1, ::1, localhost) is accepted, and every wait has a timeout.
Over ``https://`` (the deployment's proxy on loopback, ``deploy/``) the proxy's certificate is not
checked, since it is made for the test or the bench and never leaves the machine; the proxy's
affinity cookie is kept, as a browser keeps it.
Only the standard library, ``websockets`` and Streamlit's ``streamlit.proto`` are used.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: How long one session may wait for a run to finish.
VIEW_TIMEOUT_S = 120.0
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
#: The app's error boundary (ui/errors.py) shows this instead of a traceback: a view that shows
#: it did not work, whatever the protocol says.
ERROR_TEXT = "Something went wrong on this page"

# ScriptFinishedStatus values (ForwardMsg.proto).
FINISHED_SUCCESSFULLY = 0
FINISHED_WITH_COMPILE_ERROR = 1
FINISHED_EARLY_FOR_RERUN = 2
FINISHED_FRAGMENT_RUN_SUCCESSFULLY = 3


def check_loopback(url: str) -> urllib.parse.SplitResult:
    """The parsed URL, if it is http:// (or https://) on a loopback address; ValueError otherwise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or (parts.hostname or "") not in LOOPBACK or parts.port is None:
        raise ValueError(f"the load client only talks to a local server (http://127.0.0.1:PORT), not {url!r}")
    return parts


def _loopback_tls() -> Any:
    """TLS for a server on this machine, whose certificate was made for the test (not checked)."""
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


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
    kinds: dict[str, int] = field(default_factory=dict)  # element kind -> how many (a plain dict: JSON)
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


async def _http_get(
    host: str,
    port: int,
    target: str,
    timeout: float,
    *,
    tls: Any = None,
    cookies: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], int]:
    """GET ``target`` over HTTP/1.1 (one connection, closed after): status, Set-Cookie values, body size."""

    async def go() -> tuple[int, dict[str, str], int]:
        reader, writer = await asyncio.open_connection(
            host, port, ssl=tls, server_hostname=host if tls else None
        )
        try:
            sent = "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())
            writer.write(
                (
                    f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: */*\r\n"
                    + (f"Cookie: {sent}\r\n" if sent else "")
                    + "User-Agent: iro-cp-bench-protocol-client\r\nConnection: close\r\n\r\n"
                ).encode()
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
        found: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "set-cookie":
                cookie = value.strip().split(";", 1)[0]
                k, _, v = cookie.partition("=")
                found[k.strip()] = v.strip()
        return status, found, len(body)

    return await asyncio.wait_for(go(), timeout)


class Session:
    """One simulated browser tab on ``base_url`` (a loopback address only)."""

    def __init__(self, base_url: str, *, timeout: float = VIEW_TIMEOUT_S, locale: str = "en-GB"):
        parts = check_loopback(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", int(parts.port or 80)
        self.base = f"{parts.scheme}://{self.host}:{self.port}"
        self.tls = _loopback_tls() if parts.scheme == "https" else None
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
        self.fragments: dict[str, str] = {}  # widget id -> its fragment's id ("" for none)
        self.cache: dict[str, tuple[Any, int]] = {}  # message hash -> (ForwardMsg, run it was last used)
        self.max_age = 2
        self.runs = 0
        self.connect_ms: float | None = None

    async def connect(self, path: str = "") -> None:
        """Do what a browser does before its first run: fetch the page, ping, open the WebSocket."""
        import websockets

        t0 = time.perf_counter()
        target = "/" + path.strip("/") + (f"?{self.query}" if self.query else "")
        status, cookies, _ = await _http_get(self.host, self.port, target, self.timeout, tls=self.tls)
        if status != 200:
            raise ConnectionError(f"GET {target} answered {status}")
        self.cookies.update(cookies)
        for probe in ("/_stcore/health", "/_stcore/host-config"):
            status, _, _ = await _http_get(
                self.host, self.port, probe, self.timeout, tls=self.tls, cookies=self.cookies
            )
            if status != 200:
                raise ConnectionError(f"GET {probe} answered {status}")
        protocols = ["streamlit"]
        if self.cookies.get("_streamlit_xsrf"):
            protocols.append(self.cookies["_streamlit_xsrf"])
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else None
        self.ws = await asyncio.wait_for(
            websockets.connect(
                f"{'wss' if self.tls else 'ws'}://{self.host}:{self.port}/_stcore/stream",
                subprotocols=protocols,
                origin=self.base,
                additional_headers=headers,
                max_size=None,
                open_timeout=self.timeout,
                ping_interval=None,
                ssl=self.tls,
            ),
            self.timeout,
        )
        self.connect_ms = (time.perf_counter() - t0) * 1000

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 10)
            self.ws = None

    def _client_state(self, page_name: str | None, fragment: str = ""):
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string = self.query
        if page_name is not None:
            rs.page_name = page_name  # opening a link: the server finds the page by its URL path
        else:
            rs.page_script_hash = self.page_hash
        if fragment:  # a widget inside st.fragment reruns only its fragment, as the frontend asks
            rs.fragment_id = fragment
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
        fragment = self.fragments.get(wid, "")
        return await self._run(self._client_state(None, fragment), self.page_hash, fragment=fragment)

    def option_count(self, label: str) -> int:
        """How many options the widget labelled ``label`` has (0 if there is none)."""
        proto = next((p for _, p in self.widgets.values() if getattr(p, "label", None) == label), None)
        return len(getattr(proto, "options", ())) if proto is not None else 0

    async def _run(self, msg, page: str, *, fragment: str = "") -> View:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        view = View(page=page)
        if self.ws is None:
            view.error = "not connected"
            return view
        if not fragment:  # a fragment's run redraws its own widgets only; the others stay
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
        view.kinds[kind] = view.kinds.get(kind, 0) + 1
        if kind == "exception":
            view.error = view.error or f"exception on the page: {proto.message[:200]}"
        elif kind == "alert" and ERROR_TEXT in proto.body:
            view.error = view.error or f"error on the page: {proto.body[:200]}"
        wid = getattr(proto, "id", "") if proto is not None else ""
        if wid and isinstance(wid, str):
            view.widgets += 1
            self.widgets[wid] = (kind, proto)
            self.fragments[wid] = fmsg.delta.fragment_id
            value = _widget_default(kind, proto)
            if value is not None and (getattr(proto, "set_value", False) or wid not in self.values):
                self.values[wid] = value

    def _age_cache(self) -> None:
        """Forget cached messages not used for ``max_cached_message_age`` runs, as the frontend does."""
        for h in [h for h, (_, run) in self.cache.items() if self.runs - run >= self.max_age]:
            del self.cache[h]
