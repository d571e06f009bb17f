"""Helpers the agents share: sending records and waiting for their acknowledgement."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

import orjson

from worker.app import Runtime, utc_now
from worker.core.reconcile import Output

log = logging.getLogger(__name__)


class OffsetWatch:
    """Logs offsets an agent never saw: a jump within one partition assignment.

    A diagnostic for the open rebalance bug (docs/reliability.md): a message whose
    offset is passed without the agent body running leaves a jump here. Jumps across
    a rebalance are expected (another worker may have processed the messages between)
    and are not reported.
    """

    def __init__(self, runtime: Runtime, agent: str) -> None:
        self.runtime = runtime
        self.agent = agent
        self.generation = -1
        self.last: dict[int, int] = {}

    def see(self, partition: int, offset: int) -> None:
        if self.generation != self.runtime.generation:
            self.generation = self.runtime.generation
            self.last.clear()
        last = self.last.get(partition)
        if last is not None and offset > last + 1:
            log.warning(
                "%s: partition %d jumped from offset %d to %d within one assignment (%d not seen)",
                self.agent,
                partition,
                last,
                offset,
                offset - last - 1,
            )
        self.last[partition] = offset


def encode(value: dict[str, Any]) -> bytes:
    return orjson.dumps(value)


async def publish(runtime: Runtime, outputs: Iterable[Output]) -> list[Any]:
    """Send outputs to their topics and wait until the broker acknowledged all of them.

    ``emitted_at`` is stamped here, by the driver: it is the only field allowed to
    differ between two emissions of one id.  Counting happens after the ack, so
    metrics count what reached the broker.
    """
    topics = {"updates": runtime.topics.updates, "contradictions": runtime.topics.contradictions}
    futures = []
    outputs = list(outputs)
    for out in outputs:
        value = {**out.value, "emitted_at": utc_now()}
        fut = await topics[out.topic].send(key=out.key.encode(), value=encode(value), force=True)
        futures.append(fut)
    results = list(await asyncio.gather(*futures)) if futures else []
    m = runtime.metrics
    for out in outputs:
        if out.topic == "updates":
            m.updates.labels(type=out.value["type"]).inc()
        else:
            m.contradictions.labels(kind=out.value["kind"]).inc()
    return results
