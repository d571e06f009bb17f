"""Helpers the agents share: batches of input, sending records, acknowledging.

**The batch protocol** (every agent; ``docs/architecture.md``, "Processing guarantee"):

1. take the messages that are there now, up to ``CROSSCHECK_BATCH_MAX`` (``batches``);
2. run the core on each, in order; a message the core rejects is dead-lettered, the
   others go on;
3. send every output, then await all their acknowledgements at once;
4. write the table state (one article's writes after another), drain the producer once;
5. only then acknowledge the batch's input messages (``ack_all``), so an offset is
   never committed before its outputs and state are on the broker.

A batch never waits for a message that is not there yet (unless ``CROSSCHECK_BATCH_MS``
asks it to, and then at most that long): the last message of a burst goes out with
whatever came before it.  Under load batches grow by themselves (what arrived while
the previous batch was sent), so the broker round trips are shared by many messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import AsyncIterator, Iterable
from typing import Any

import orjson
from faust.streams import _current_event

from worker.app import Runtime, utc_now
from worker.core.reconcile import Output
from worker.core.validate import InvalidArticle

DLQ_MAX_BYTES = 64 * 1024
log = logging.getLogger(__name__)


async def batches(stream: Any, max_n: int, linger_s: float = 0.0) -> AsyncIterator[list[Any]]:
    """Lists of the stream's events: the ones there now, up to ``max_n``.

    faust's ``Stream.take_events`` would do the gathering, but it always waits its
    ``within`` for the buffer to fill (a latency floor on every hop) and acknowledges
    the batch in a ``finally``, so a batch that fails half-way would count as done.
    Here a reader task moves events from the stream into a queue of ``max_n``; faust's
    own acknowledgements are off (``enable_acks``) and the agent acks each batch after
    its outputs and state are on the broker.  Events faust skips (a stale generation
    during a rebalance) are still acked by faust, as before.  While a revoked
    partition's events wait here unacknowledged, faust's ``stream_wait_empty`` holds
    the rebalance until this agent has processed and acked them.
    """
    stream.enable_acks = False
    queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=max_n)

    async def read() -> None:
        async for event in stream.events():
            await queue.put(event)

    reader = asyncio.ensure_future(read())
    try:
        while True:
            getter = asyncio.ensure_future(queue.get())
            await asyncio.wait({getter, reader}, return_when=asyncio.FIRST_COMPLETED)
            if not getter.done():
                getter.cancel()
                reader.result()  # the stream ended or failed: end or raise here too
                return
            batch = [getter.result()]
            deadline = time.monotonic() + linger_s
            while len(batch) < max_n:
                if not queue.empty():
                    batch.append(queue.get_nowait())
                    continue
                await asyncio.sleep(0)  # one loop turn: the reader moves what faust already has
                if not queue.empty():
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:  # nothing more is there: never wait for the next message
                    break
                try:
                    batch.append(await asyncio.wait_for(queue.get(), remaining))
                except TimeoutError:
                    break
            yield batch
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await reader


async def ack_all(stream: Any, batch: Iterable[Any]) -> None:
    """Acknowledge the batch's input messages (faust commits them at its next commit)."""
    for event in batch:
        await stream.ack(event)


def as_current(event: Any) -> None:
    """Make ``event`` the current one for table writes.

    A faust Table writes each change to the changelog partition of the *current event*
    (``faust.streams.current_event``).  The events of a batch come from a reader task,
    so the agent names, before each write, the event whose partition the key belongs to.
    """
    _current_event.set(weakref.ref(event))


class OffsetWatch:
    """Logs input records an agent was never handed.

    Within one partition assignment an agent must see its partition's offsets one
    after another, starting at the group's committed offset (where faust seeks every
    assigned partition at the end of a rebalance). A record passed over shows here as
    a jump, from the committed offset or from the previous record, and is logged as a
    warning; an offset seen again (a re-delivery) is fine. The rebalance loss in
    docs/reliability.md (records faust queued, then cleared, while it seeked) was
    exactly such a jump at the start of an assignment; the rebalance test fails on
    this warning.
    """

    def __init__(self, runtime: Runtime, agent: str) -> None:
        self.runtime = runtime
        self.agent = agent
        self.generation: int | None = -1
        self.next: dict[int, int] = {}

    def see(self, message: Any) -> None:
        # the consumer generation the record was fetched in: a new one is a new assignment
        generation = getattr(message, "generation_id", None)
        if generation != self.generation:
            self.generation = generation
            self.next.clear()
        partition, offset = message.partition, message.offset
        expected = self.next.get(partition)
        if expected is None:  # first record of this assignment: where faust seeked to
            expected = getattr(self.runtime.app.consumer, "_committed_offset", {}).get(message.tp)
        if expected is not None and offset > expected:
            log.warning(
                "%s: %s[%d] offsets %d..%d were never handed to the agent (next seen: %d)",
                self.agent,
                message.topic,
                partition,
                expected,
                offset - 1,
                offset,
            )
        self.next[partition] = offset + 1


def encode(value: dict[str, Any]) -> bytes:
    return orjson.dumps(value)


async def send_outputs(runtime: Runtime, outputs: Iterable[Output]) -> list[Any]:
    """Send outputs to their topics; returns the futures of their acknowledgements.

    ``emitted_at`` is stamped here, by the driver: it is the only field allowed to
    differ between two emissions of one id.
    """
    topics = {
        "updates": runtime.topics.updates,
        "contradictions": runtime.topics.contradictions,
        "by_event": runtime.topics.by_event,  # merge_in: back to the per-event topic
    }
    futures = []
    for out in outputs:
        value = {**out.value, "emitted_at": utc_now()}
        futures.append(await topics[out.topic].send(key=out.key.encode(), value=encode(value), force=True))
    return futures


def count_outputs(runtime: Runtime, outputs: Iterable[Output]) -> None:
    """Metrics count what reached the broker: call after the acknowledgements."""
    m = runtime.metrics
    for out in outputs:
        if out.topic == "updates":
            m.updates.labels(type=out.value["type"]).inc()
        elif out.topic == "contradictions":
            m.contradictions.labels(kind=out.value["kind"]).inc()


async def send_dead_letter(runtime: Runtime, message: Any, exc: InvalidArticle) -> Any:
    """Send the input to the DLQ with its error headers; returns the ack's future."""
    raw = message.value if isinstance(message.value, bytes | bytearray) else b""
    headers = [
        ("error_type", exc.reason.encode()),
        ("error_message", str(exc)[:1000].encode("utf-8", "replace")),
        ("source_topic", str(message.topic).encode()),
        ("source_partition", str(message.partition).encode()),
        ("source_offset", str(message.offset).encode()),
        ("original_size", str(len(raw)).encode()),
    ]
    return await runtime.topics.dlq.send(
        key=message.key, value=bytes(raw[:DLQ_MAX_BYTES]), headers=headers, force=True
    )


def processing_error(agent: str, what: str, exc: Exception) -> InvalidArticle:
    """A core bug on one input: logged with its traceback, and dead-lettered by the caller."""
    log.exception("%s failed on %s", agent, what)
    return InvalidArticle("processing_error", f"{agent}: {type(exc).__name__}: {exc}")
