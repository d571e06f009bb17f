"""Agent ``ingest``: validate, then the stateless, CPU-heavy part of the core.

* input:  ``articles`` (N partitions, key = article id), raw bytes
* output: ``{app}-articles-enriched`` (1 partition, key = article id), or
  ``articles.dlq`` (original bytes, cut to 64 KiB, with error headers)
* state:  none
* delivery: at-least-once; each output is acknowledged before the input is.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import orjson

from worker.agents.common import OffsetWatch, encode
from worker.app import Runtime
from worker.core.pipeline import ingest as ingest_article
from worker.core.validate import InvalidArticle, decode_article

DLQ_MAX_BYTES = 64 * 1024
log = logging.getLogger(__name__)


def register(runtime: Runtime) -> None:
    app, topics, metrics, settings = runtime.app, runtime.topics, runtime.metrics, runtime.settings

    @app.agent(topics.articles, concurrency=1, name="crosscheck.ingest")
    async def ingest(stream: Any) -> None:
        watch = OffsetWatch(runtime, "ingest")
        async for event in stream.events():
            message = event.message
            watch.see(message)
            metrics.articles_received.inc()
            t0 = time.perf_counter()
            try:
                article = decode_article(event.value, settings.max_article_bytes)
            except InvalidArticle as exc:
                await _dead_letter(runtime, message, exc)
                continue
            metrics.processing_seconds.labels(stage="decode").observe(time.perf_counter() - t0)
            t1 = time.perf_counter()
            try:
                enriched = ingest_article(article)
            except Exception as exc:  # a core bug on one article must not stop the stream
                log.exception("ingest failed on article %r", article.id)
                await _dead_letter(
                    runtime, message, InvalidArticle("processing_error", f"{type(exc).__name__}: {exc}")
                )
                continue
            metrics.processing_seconds.labels(stage="ingest").observe(time.perf_counter() - t1)
            for claim in enriched.claims:
                metrics.claims_extracted.labels(kind=claim.kind).inc()
            envelope = {"enriched": enriched.to_json(), "produced_at": message.timestamp}
            fut = await topics.enriched.send(
                key=article.id.encode(), value=orjson.dumps(envelope), force=True
            )
            await fut


async def _dead_letter(runtime: Runtime, message: Any, exc: InvalidArticle) -> None:
    raw = message.value if isinstance(message.value, bytes | bytearray) else b""
    headers = [
        ("error_type", exc.reason.encode()),
        ("error_message", str(exc)[:1000].encode("utf-8", "replace")),
        ("source_topic", str(message.topic).encode()),
        ("source_partition", str(message.partition).encode()),
        ("source_offset", str(message.offset).encode()),
        ("original_size", str(len(raw)).encode()),
    ]
    fut = await runtime.topics.dlq.send(
        key=message.key, value=bytes(raw[:DLQ_MAX_BYTES]), headers=headers, force=True
    )
    await fut
    runtime.metrics.articles_invalid.labels(reason=exc.reason).inc()


__all__ = ["encode", "register"]
