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


async def publish(runtime: Runtime, outputs: Iterable[Output]) -> list[Any]:
    """Send outputs to their topics and wait until the broker acknowledged all of them.

    ``emitted_at`` is stamped here, by the driver: it is the only field allowed to
    differ between two emissions of one id.  Counting happens after the ack, so
    metrics count what reached the broker.
    """
    topics = {
        "updates": runtime.topics.updates,
        "contradictions": runtime.topics.contradictions,
        "by_event": runtime.topics.by_event,  # merge_in: back to the per-event topic
    }
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
        elif out.topic == "contradictions":
            m.contradictions.labels(kind=out.value["kind"]).inc()
    return results
