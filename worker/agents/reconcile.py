"""Agent ``reconcile``: per-event claims, updates and contradictions.

* input:  ``{app}-articles-by-event`` (EVENT_PARTITIONS, key = event id)
* output: ``updates`` and ``contradictions`` (key = event id); ``merge_in`` back to
  ``{app}-articles-by-event`` (key = survivor) when events merge
* state:  table ``event_claims`` (event id -> slots, values, sources, contradictions),
  co-partitioned with the input
* delivery: at-least-once; outputs acknowledged, then state written and drained,
  then the input acknowledged.  ``reconcile`` is pure, so a re-run gives the same ids.
"""

from __future__ import annotations

import time
from typing import Any

import orjson

from worker.agents.common import OffsetWatch, publish
from worker.app import Runtime
from worker.core.reconcile import Routed, reconcile


def register(runtime: Runtime) -> None:
    app, topics, tables, metrics = runtime.app, runtime.topics, runtime.tables, runtime.metrics

    @app.agent(topics.by_event, concurrency=1, name="crosscheck.reconcile")
    async def reconcile_agent(stream: Any) -> None:  # keyed by event id
        watch = OffsetWatch(runtime, "reconcile")
        async for event in stream.events():
            watch.see(event.message)
            routed = Routed.from_json(orjson.loads(event.value))
            t0 = time.perf_counter()
            state, outputs = reconcile(tables.event_claims.get(routed.event_id), routed)
            metrics.processing_seconds.labels(stage="reconcile").observe(time.perf_counter() - t0)
            await publish(runtime, outputs)
            if state is None:
                if routed.event_id in tables.event_claims:
                    del tables.event_claims[routed.event_id]
            else:
                tables.event_claims[routed.event_id] = state
            await runtime.drain()
