"""Helpers the agents share: sending records and waiting for their acknowledgement."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import orjson

from worker.app import Runtime, utc_now
from worker.core.reconcile import Output


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
