"""Agent ``reconcile``: per-event claims, updates and contradictions.

* input:  ``{app}-articles-by-event`` (EVENT_PARTITIONS, key = event id)
* output: ``updates`` and ``contradictions`` (key = event id); ``merge_in`` back to
  ``{app}-articles-by-event`` (key = survivor) when events merge
* state:  table ``event_claims`` (event id -> slots, values, sources, contradictions),
  co-partitioned with the input
* delivery: at-least-once, in batches (``common.batches``): the outputs of the whole
  batch are acknowledged, then each event's state is written once and the producer
  drained, then the inputs are acknowledged.  Messages of one event in one batch
  thread its state through, in order.  ``reconcile`` is pure, so a re-run gives the
  same ids; an event whose final state reached the changelog finds its articles
  applied on redelivery (no-ops).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import orjson

from worker.agents.common import (
    OffsetWatch,
    ack_all,
    as_current,
    batches,
    count_outputs,
    processing_error,
    send_dead_letter,
    send_outputs,
)
from worker.app import Runtime
from worker.core.reconcile import Output, Routed, reconcile


def register(runtime: Runtime) -> None:
    app, topics, tables, metrics = runtime.app, runtime.topics, runtime.tables, runtime.metrics
    settings = runtime.settings

    @app.agent(topics.by_event, concurrency=1, name="crosscheck.reconcile")
    async def reconcile_agent(stream: Any) -> None:  # keyed by event id
        watch = OffsetWatch(runtime, "reconcile")
        async for batch in batches(stream, settings.batch_max, settings.batch_ms / 1000):
            # event id -> (its state after this batch's messages so far, an event of its partition)
            states: dict[str, tuple[dict[str, Any] | None, Any]] = {}
            outputs: list[Output] = []
            futures: list[Any] = []
            rejected = 0
            for event in batch:
                watch.see(event.message)
                t0 = time.perf_counter()
                try:
                    routed = Routed.from_json(orjson.loads(event.value))
                    eid = routed.event_id
                    current = states[eid][0] if eid in states else tables.event_claims.get(eid)
                    state, more = reconcile(current, routed, runtime.reconcile_config)
                except Exception as exc:  # a core bug on one message: dead-letter it, go on
                    error = processing_error("reconcile", f"offset {event.message.offset}", exc)
                    futures.append(await send_dead_letter(runtime, event.message, error))
                    rejected += 1
                    continue
                metrics.processing_seconds.labels(stage="reconcile").observe(time.perf_counter() - t0)
                states[eid] = (state, event)
                outputs += more
            futures += await send_outputs(runtime, outputs)
            await asyncio.gather(*futures)
            count_outputs(runtime, outputs)
            if rejected:
                metrics.articles_invalid.labels(reason="processing_error").inc(rejected)
            for eid, (state, event) in states.items():
                as_current(event)  # the changelog partition is the event's input partition
                if state is None:
                    if eid in tables.event_claims:
                        del tables.event_claims[eid]
                else:
                    tables.event_claims[eid] = state
            await runtime.drain()
            await ack_all(stream, batch)
