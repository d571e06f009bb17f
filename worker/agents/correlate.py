"""Agent ``correlate``: the global view, dedup and event assignment.

* input:  ``{app}-articles-enriched`` (always 1 partition, so one worker sees every
  article in order; the work is cheap, the expensive part ran in ingest)
* output: ``updates`` (key = event id) and ``{app}-articles-by-event`` (key = event id)
* state:  tables ``articles``, ``fingerprints``, ``events`` (1 partition each)
* delivery: at-least-once, in batches (``common.batches``).  Each article's writes go
  to the ``Overlay`` buffers as one segment; when every output of the batch is
  acknowledged, the segments are written to the tables in order (``articles``, the
  "applied" marker, last) and drained, then the inputs are acknowledged.  A crash
  before the drain completes re-runs the batch: articles whose writes reached every
  table are skipped, the others re-run on the state they first saw (same ids).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
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
from worker.app import Runtime, utc_now
from worker.core.pipeline import CorrelateResult, Correlator, Enriched


@dataclass
class _Done:
    """Articles of the batch processed so far, not yet sent."""

    events: list[Any] = field(default_factory=list)
    envelopes: list[dict[str, Any]] = field(default_factory=list)
    results: list[CorrelateResult] = field(default_factory=list)


def register(runtime: Runtime) -> None:
    app, topics, metrics, settings = runtime.app, runtime.topics, runtime.metrics, runtime.settings

    async def flush(stream: Any, correlator: Correlator, done: _Done) -> None:
        """Send the processed articles' outputs, await the acks, commit, drain, ack.

        ``correlator`` is the one that processed them: a rebalance meanwhile marks the
        runtime's for a rebuild, which must not drop these writes before they are committed.
        """
        if not done.events:
            return
        t1 = time.perf_counter()
        futures = []
        for result in done.results:
            for routed in result.routed:
                futures.append(
                    await topics.by_event.send(
                        key=routed.event_id.encode(),
                        value=orjson.dumps({**routed.to_json(), "routed_at": utc_now()}),
                        force=True,
                    )
                )
        outputs = [out for result in done.results for out in result.outputs]
        futures += await send_outputs(runtime, outputs)
        await asyncio.gather(*futures)
        count_outputs(runtime, outputs)
        per_article = (time.perf_counter() - t1) / len(done.events)
        for _ in done.events:
            metrics.processing_seconds.labels(stage="send").observe(per_article)
        as_current(done.events[-1])  # one partition: every event names the same one
        correlator.commit()
        await runtime.drain()
        for envelope, result in zip(done.envelopes, done.results, strict=True):
            _observe(runtime, envelope, result.outputs)
        await ack_all(stream, done.events)
        done.events, done.envelopes, done.results = [], [], []

    @app.agent(topics.enriched, concurrency=1, name="crosscheck.correlate")
    async def correlate(stream: Any) -> None:  # keyed by article id, one partition
        watch = OffsetWatch(runtime, "correlate")
        async for batch in batches(stream, settings.batch_max, settings.batch_ms / 1000):
            done = _Done()
            correlator = runtime.get_correlator()  # rebuilt after a rebalance, between batches
            for event in batch:
                watch.see(event.message)
                t0 = time.perf_counter()
                try:
                    envelope = orjson.loads(event.value)
                    result = correlator.process(Enriched.from_json(envelope["enriched"]))
                except Exception as exc:
                    # A core bug on one article: the batch so far goes out and is committed
                    # without this article's half-made writes, the derived indexes are
                    # rebuilt from the tables, and the article is dead-lettered.
                    error = processing_error("correlate", f"offset {event.message.offset}", exc)
                    correlator.drop_article()
                    await flush(stream, correlator, done)
                    correlator.rebuild()
                    await asyncio.gather(await send_dead_letter(runtime, event.message, error))
                    metrics.articles_invalid.labels(reason=error.reason).inc()
                    await ack_all(stream, [event])
                    continue
                correlator.checkpoint()
                metrics.processing_seconds.labels(stage="correlate").observe(time.perf_counter() - t0)
                done.events.append(event)
                done.envelopes.append(envelope)
                done.results.append(result)
            await flush(stream, correlator, done)


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
