"""Agent ``correlate``: the global view, dedup and event assignment.

* input:  ``{app}-articles-enriched`` (always 1 partition, so one worker sees every
  article in order; the work is cheap, the expensive part ran in ingest)
* output: ``updates`` (key = event id) and ``{app}-articles-by-event`` (key = event id)
* state:  tables ``articles``, ``fingerprints``, ``events`` (1 partition each)
* delivery: at-least-once. Outputs are acknowledged first, then the state is
  written and drained to its changelog, then the input is acknowledged.  A crash
  before the state write re-runs the article on the old state (same ids); after it,
  the article is recognised and skipped.
"""

from __future__ import annotations

import time
from typing import Any

import orjson

from worker.agents.common import OffsetWatch, publish
from worker.app import Runtime, utc_now
from worker.core.pipeline import Enriched


def register(runtime: Runtime) -> None:
    app, topics, metrics = runtime.app, runtime.topics, runtime.metrics

    @app.agent(topics.enriched, concurrency=1, name="crosscheck.correlate")
    async def correlate(stream: Any) -> None:  # keyed by article id, one partition
        watch = OffsetWatch(runtime, "correlate")
        async for event in stream.events():
            watch.see(event.message)
            envelope = orjson.loads(event.value)
            enriched = Enriched.from_json(envelope["enriched"])
            correlator = runtime.get_correlator()
            t0 = time.perf_counter()
            try:
                result = correlator.process(enriched)
            except Exception:
                correlator.rebuild()  # drop the half-applied writes, keep the worker alive
                raise
            metrics.processing_seconds.labels(stage="correlate").observe(time.perf_counter() - t0)
            t1 = time.perf_counter()
            futures = []
            for routed in result.routed:
                fut = await topics.by_event.send(
                    key=routed.event_id.encode(),
                    value=orjson.dumps({**routed.to_json(), "routed_at": utc_now()}),
                    force=True,
                )
                futures.append(fut)
            await publish(runtime, result.outputs)
            for fut in futures:
                await fut
            metrics.processing_seconds.labels(stage="send").observe(time.perf_counter() - t1)
            correlator.commit()
            await runtime.drain()
            _observe(runtime, envelope, result.outputs)


def _observe(runtime: Runtime, envelope: dict[str, Any], outputs: list[Any]) -> None:
    metrics = runtime.metrics
    now = time.time()
    for out in outputs:
        t = out.value["type"]
        if t == "article_assigned" and envelope.get("produced_at"):
            metrics.end_to_end_latency.observe(max(0.0, now - float(envelope["produced_at"])))
        elif t == "duplicate":
            metrics.duplicates.labels(method=out.value["method"]).inc()
            metrics.duplicate_similarity.observe(out.value["similarity"])
    metrics.last_processed_timestamp.set(now)
