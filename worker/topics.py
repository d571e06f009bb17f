"""Topic layout and explicit topic creation.

Topics are always created with explicit partition counts, by the worker and by
``crosscheck produce`` alike, so the broker never auto-creates one with its own
default (Tansu would use 4 partitions).

| topic                         | partitions           | key          | written by  |
|-------------------------------|----------------------|--------------|-------------|
| articles                      | INPUT_PARTITIONS     | article id   | producers   |
| articles.dlq                  | INPUT_PARTITIONS     | input key    | ingest      |
| {app}-articles-enriched       | 1                    | article id   | ingest      |
| {app}-articles-by-event       | EVENT_PARTITIONS     | event id     | correlate   |
| updates                       | EVENT_PARTITIONS     | event id     | correlate, reconcile |
| contradictions                | EVENT_PARTITIONS     | event id     | reconcile   |
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from worker.settings import Settings

log = logging.getLogger(__name__)

#: Big enough for a message at CROSSCHECK_MAX_ARTICLE_BYTES plus headers; the DLQ
#: copy is cut to 64 KiB, but an over-limit input must still be *readable*.
MAX_MESSAGE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    partitions: int


class TopicMismatch(RuntimeError):
    """An existing topic has a partition count other than the configured one."""


def topic_specs(settings: Settings) -> list[TopicSpec]:
    return [
        TopicSpec(settings.topic_articles, settings.input_partitions),
        TopicSpec(settings.topic_dlq, settings.input_partitions),
        TopicSpec(settings.topic_enriched, 1),
        TopicSpec(settings.topic_by_event, settings.event_partitions),
        TopicSpec(settings.topic_updates, settings.event_partitions),
        TopicSpec(settings.topic_contradictions, settings.event_partitions),
    ]


def client_kwargs(settings: Settings) -> dict[str, object]:
    """Connection arguments for aiokafka clients, including TLS/SASL when configured."""
    kwargs: dict[str, object] = {
        "bootstrap_servers": settings.bootstrap,
        "security_protocol": settings.security_protocol,
    }
    if settings.security_protocol in {"SSL", "SASL_SSL"}:
        from aiokafka.helpers import create_ssl_context

        kwargs["ssl_context"] = create_ssl_context(
            cafile=settings.ssl_cafile or None,
            certfile=settings.ssl_certfile or None,
            keyfile=settings.ssl_keyfile or None,
        )
    if settings.security_protocol.startswith("SASL"):
        kwargs["sasl_mechanism"] = settings.sasl_mechanism
        kwargs["sasl_plain_username"] = settings.sasl_username
        kwargs["sasl_plain_password"] = settings.sasl_password
    return kwargs


def topic_configs(settings: Settings) -> dict[str, str]:
    """Broker configs for every topic crosscheck creates."""
    configs = {"max.message.bytes": str(MAX_MESSAGE_BYTES)}
    if settings.topic_retention_ms > 0:
        configs["retention.ms"] = str(settings.topic_retention_ms)
    if settings.min_insync_replicas > 0:
        configs["min.insync.replicas"] = str(settings.min_insync_replicas)
    return configs


async def ensure_topics(settings: Settings, *, timeout: float = 30.0) -> list[str]:
    """Create missing topics; verify existing ones. Returns the names it created."""
    admin = AIOKafkaAdminClient(**client_kwargs(settings), request_timeout_ms=int(timeout * 1000))
    await asyncio.wait_for(admin.start(), timeout)
    created: list[str] = []
    try:
        existing = set(await admin.list_topics())
        specs = topic_specs(settings)
        missing = [s for s in specs if s.name not in existing]
        if missing:
            # another process may win the race: existing topics are verified below
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(
                    [
                        NewTopic(
                            s.name,
                            s.partitions,
                            settings.replication_factor,
                            topic_configs=topic_configs(settings),
                        )
                        for s in missing
                    ]
                )
            created = [s.name for s in missing]
        described = await admin.describe_topics([s.name for s in specs])
        counts = {d["topic"]: len(d["partitions"]) for d in described if not d.get("error_code")}
        for spec in specs:
            have = counts.get(spec.name)
            if have is not None and have != spec.partitions:
                raise TopicMismatch(
                    f"topic {spec.name!r} has {have} partitions but the settings say {spec.partitions}; "
                    "use a new topic name or CROSSCHECK_APP_ID, or set the partition count to match"
                )
    finally:
        await admin.close()
    if created:
        log.info("created topics: %s", ", ".join(created))
    return created
