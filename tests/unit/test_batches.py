"""``worker.agents.common.batches`` on a stand-in stream: what is there now, never more waiting."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from worker.agents.common import batches


class FakeStream:
    """The part of a faust Stream that ``batches`` uses: ``events()`` and ``enable_acks``."""

    def __init__(self) -> None:
        self.enable_acks = True
        self.queue: asyncio.Queue[Any] = asyncio.Queue()

    async def events(self) -> AsyncIterator[Any]:
        while True:
            item = await self.queue.get()
            if item is None:
                return
            yield item


def run(coro: Any) -> Any:
    return asyncio.new_event_loop().run_until_complete(asyncio.wait_for(coro, 10))


def test_takes_what_is_there_up_to_max_and_turns_faust_acks_off() -> None:
    async def scenario() -> list[list[int]]:
        stream = FakeStream()
        for i in range(5):
            stream.queue.put_nowait(i)
        stream.queue.put_nowait(None)
        got = [batch async for batch in batches(stream, max_n=2)]
        assert stream.enable_acks is False  # the agent acknowledges each batch itself
        return got

    assert run(scenario()) == [[0, 1], [2, 3], [4]]


@pytest.mark.parametrize("linger_s", [0.0, 0.05])
def test_the_last_message_is_not_held_for_a_next_one(linger_s: float) -> None:
    """One message and then silence: its batch is out at once (or after the linger), not
    when a later message arrives."""

    async def scenario() -> tuple[list[int], float]:
        stream = FakeStream()
        it = batches(stream, max_n=32, linger_s=linger_s)
        start = time.monotonic()
        stream.queue.put_nowait(7)
        first = await it.__anext__()
        took = time.monotonic() - start
        stream.queue.put_nowait(None)
        rest = [b async for b in it]
        assert rest == []
        return first, took

    first, took = run(scenario())
    assert first == [7]
    assert took < linger_s + 0.5


def test_a_linger_collects_what_arrives_within_it() -> None:
    async def scenario() -> list[list[int]]:
        stream = FakeStream()
        stream.queue.put_nowait(1)

        async def later() -> None:
            await asyncio.sleep(0.05)
            stream.queue.put_nowait(2)
            await asyncio.sleep(0.5)  # after the linger: the next batch
            stream.queue.put_nowait(3)
            stream.queue.put_nowait(None)

        task = asyncio.ensure_future(later())
        got = [b async for b in batches(stream, max_n=32, linger_s=0.2)]
        await task
        return got

    assert run(scenario()) == [[1, 2], [3]]


def test_a_failing_stream_fails_the_agent() -> None:
    class Broken(FakeStream):
        async def events(self) -> AsyncIterator[Any]:
            yield 1
            raise RuntimeError("consumer died")

    async def scenario() -> None:
        async for _ in batches(Broken(), max_n=4):
            pass

    with pytest.raises(RuntimeError, match="consumer died"):
        run(scenario())
