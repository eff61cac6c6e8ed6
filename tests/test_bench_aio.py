"""The bench's coroutine runner works from plain code and from inside a running event loop (as it
is when Playwright's synchronous API is in use in the same thread: CI's one Chromium)."""

import asyncio

import pytest

from tools.bench import aio


async def _answer(value):
    await asyncio.sleep(0)
    return value


async def _fails():
    await asyncio.sleep(0)
    raise ValueError("the view failed")


def test_from_plain_code_it_returns_the_coroutine_s_value():
    assert aio.run(_answer(42)) == 42


def test_inside_a_running_loop_it_still_returns_the_value_and_raises_the_error():
    async def outer():
        # asyncio.run would refuse here ("cannot be called from a running event loop").
        refused = _answer(1)
        with pytest.raises(RuntimeError):
            asyncio.run(refused)
        refused.close()
        got = aio.run(_answer(7))
        with pytest.raises(ValueError, match="the view failed"):
            aio.run(_fails())
        return got

    # aio.run for the outer call too: the test run may itself hold a loop in this thread.
    assert aio.run(outer()) == 7
