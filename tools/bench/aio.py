"""Run a coroutine to its end from plain code, whether or not an event loop is already running.

``asyncio.run`` refuses to start inside a running loop, and one is running in the calling thread
whenever Playwright's synchronous API is in use there (the test run keeps one Chromium open for
the whole session). Then the coroutine runs on its own loop in a worker thread and its result, or
its exception, comes back to the caller as ``asyncio.run`` would give it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coro)``, in a worker thread when this thread already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # handed back to the caller below
            box["error"] = exc

    worker = threading.Thread(target=work, name="bench-asyncio", daemon=True)
    worker.start()
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["value"]
