"""Send each of the server's WebSocket messages at once (TCP_NODELAY), not 40 ms later.

Streamlit 1.67 binds its listening socket itself with ``socket.socket(family)``, so the socket
says protocol 0 rather than ``IPPROTO_TCP``, and asyncio switches Nagle's algorithm off only
for sockets that say ``IPPROTO_TCP`` (the same cause as uvicorn issue 3149). With Nagle on, a
script run's second small message waits for the browser to acknowledge the first, and browsers
delay that acknowledgement by 40 ms: every page and every click took 40 ms longer than its work
(measured with ``tools/bench/load.py``: the empty page 48 ms, 12 ms with this).

``no_delay()`` sets ``TCP_NODELAY`` on the process's listening TCP sockets (a connection
accepted afterwards inherits it, on Linux) and on the connections they have already accepted.
It runs once per process, from app.py; where there is no ``/proc`` (not Linux) it does nothing.
No Streamlit here.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

_DONE: list[int] = []


def _tcp_sockets() -> list[socket.socket]:
    """Every TCP socket this process holds, each as a duplicate (close it after use)."""
    found = []
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except (OSError, ValueError):
        return found
    for fd in fds:
        try:
            if not os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                continue
            sock = socket.socket(fileno=os.dup(fd))
        except OSError:
            continue
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
            found.append(sock)
        else:
            sock.close()
    return found


def _listening(sock: socket.socket) -> bool:
    try:
        return bool(sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))
    except OSError:
        return False


def no_delay(*, force: bool = False) -> int:
    """Switch Nagle's algorithm off on the listening sockets and the connections accepted on them
    (the same local port). Returns how many sockets were changed. Once per process unless ``force``."""
    if _DONE and not force:
        return 0
    _DONE.append(os.getpid())
    if not Path("/proc/self/fd").is_dir():
        return 0
    changed = 0
    sockets = _tcp_sockets()
    try:
        ports = {s.getsockname()[1] for s in sockets if _listening(s)}
        for s in sockets:
            with contextlib.suppress(OSError):
                if s.getsockname()[1] in ports and not s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY):
                    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    changed += 1
    finally:
        for s in sockets:
            s.close()
    return changed
