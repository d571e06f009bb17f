"""Agent ``ingest``: validate, then the stateless, CPU-heavy part of the core.

* input:  ``articles`` (N partitions, key = article id), raw bytes
* output: ``{app}-articles-enriched`` (1 partition, key = article id), or
  ``articles.dlq`` (original bytes, cut to 64 KiB, with error headers)
* state:  none
* delivery: at-least-once, in batches (``common.batches``): every output of a batch is
  acknowledged before its inputs are.  A bad article is dead-lettered; the rest of its
  batch goes on.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import orjson

from worker.agents.common import (
    OffsetWatch,
    ack_all,
    batches,
    encode,
    processing_error,
    send_dead_letter,
)
from worker.app import Runtime
from worker.core.pipeline import ingest as ingest_article
from worker.core.validate import InvalidArticle, decode_article


def register(runtime: Runtime) -> None:
    app, topics, metrics, settings = runtime.app, runtime.topics, runtime.metrics, runtime.settings

    @app.agent(topics.articles, concurrency=1, name="crosscheck.ingest")
    async def ingest(stream: Any) -> None:
        watch = OffsetWatch(runtime, "ingest")
        async for batch in batches(stream, settings.batch_max, settings.batch_ms / 1000):
            futures: list[Any] = []
            rejected: list[str] = []
            for event in batch:
                message = event.message
                watch.see(message)
                metrics.articles_received.inc()
                t0 = time.perf_counter()
                try:
                    article = decode_article(event.value, settings.max_article_bytes)
                except InvalidArticle as exc:
                    futures.append(await send_dead_letter(runtime, message, exc))
                    rejected.append(exc.reason)
                    continue
                metrics.processing_seconds.labels(stage="decode").observe(time.perf_counter() - t0)
                t1 = time.perf_counter()
                try:
                    enriched = ingest_article(article)
                except Exception as exc:  # a core bug on one article must not stop the stream
                    error = processing_error("ingest", f"article {article.id!r}", exc)
                    futures.append(await send_dead_letter(runtime, message, error))
                    rejected.append(error.reason)
                    continue
                metrics.processing_seconds.labels(stage="ingest").observe(time.perf_counter() - t1)
                for claim in enriched.claims:
                    metrics.claims_extracted.labels(kind=claim.kind).inc()
                envelope = {"enriched": enriched.to_json(), "produced_at": message.timestamp}
                futures.append(
                    await topics.enriched.send(
                        key=article.id.encode(), value=orjson.dumps(envelope), force=True
                    )
                )
            await asyncio.gather(*futures)
            for reason in rejected:
                metrics.articles_invalid.labels(reason=reason).inc()
            await ack_all(stream, batch)


__all__ = ["encode", "register"]
