"""The server sends each message at once: TCP_NODELAY on its listening sockets and their connections."""

from __future__ import annotations

import socket
import sys

import pytest

from ui.tcp import no_delay

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd (Linux)")


def _nodelay(sock: socket.socket) -> bool:
    return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


def test_a_listener_bound_like_streamlits_gets_nodelay_for_open_and_later_connections():
    # Streamlit binds socket.socket(family) itself: protocol 0, so asyncio leaves Nagle on.
    listener = socket.socket(socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = listener.accept()
    try:
        assert listener.proto == 0 and not _nodelay(accepted)
        assert no_delay(force=True) >= 2  # the listener and the connection it accepted
        assert _nodelay(accepted)
        later = socket.create_connection(("127.0.0.1", port))
        accepted_later, _ = listener.accept()
        assert _nodelay(accepted_later)  # inherited from the listener
        # Our own outgoing connections (to a database, say) are not the server's to change.
        assert not _nodelay(client) and not _nodelay(later)
        later.close()
        accepted_later.close()
    finally:
        for s in (client, accepted, listener):
            s.close()


def test_once_per_process_unless_forced():
    no_delay(force=True)
    assert no_delay() == 0
