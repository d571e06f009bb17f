"""Prometheus metrics, built on an injected registry (never the global one at import).

Naming follows Prometheus conventions: one ``crosscheck_`` prefix, base units
(``_seconds``), ``_total`` on counters, and no article or event ids in labels.  Every
known label value is initialised at start-up so each family shows samples before its
first event (dashboards and alerts then see 0, not "no data").
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from worker import __version__
from worker.core.model import CLAIM_KINDS
from worker.core.validate import REASONS

UPDATE_TYPES: tuple[str, ...] = (
    "event_created",
    "article_assigned",
    "article_revised",
    "duplicate",
    "event_merged",
    "event_expired",
    "claim_added",
    "claim_corroborated",
    "claim_refined",
    "claim_superseded",
    "contradiction_extended",
    "contradiction_resolved",
)
CONTRADICTION_KINDS: tuple[str, ...] = (*CLAIM_KINDS, "correction")
STAGES: tuple[str, ...] = ("decode", "ingest", "correlate", "reconcile", "send")
DEDUP_METHODS: tuple[str, ...] = ("exact", "near")
TABLES: tuple[str, ...] = ("articles", "fingerprints", "events", "event_claims")

# Per-stage work is sub-millisecond to tens of milliseconds: the default buckets
# (5 ms .. 10 s) would put nearly everything in the first bucket.
STAGE_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)
# End-to-end latency crosses two topics and a commit interval: 1 ms .. 30 s.
LATENCY_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
SIMILARITY_BUCKETS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99, 1.0)


@dataclass(frozen=True)
class Metrics:
    registry: CollectorRegistry
    articles_received: Counter
    articles_invalid: Counter
    duplicates: Counter
    duplicate_similarity: Histogram
    claims_extracted: Counter
    updates: Counter
    contradictions: Counter
    events_active: Gauge
    table_entries: Gauge
    processing_seconds: Histogram
    end_to_end_latency: Histogram
    consumer_lag: Gauge
    rebalances: Counter
    recovery_in_progress: Gauge
    last_processed_timestamp: Gauge
    build_info: Info


def create_metrics(registry: CollectorRegistry | None = None, *, process: bool = True) -> Metrics:
    """Build every metric on ``registry`` (a fresh one when None) and initialise label values."""
    registry = registry if registry is not None else CollectorRegistry()
    if process:
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
    m = Metrics(
        registry=registry,
        articles_received=Counter(
            "crosscheck_articles_received", "Input messages read from the articles topic.", registry=registry
        ),
        articles_invalid=Counter(
            "crosscheck_articles_invalid",
            "Input messages rejected to the dead-letter topic, by reason.",
            ["reason"],
            registry=registry,
        ),
        duplicates=Counter(
            "crosscheck_duplicates", "Articles dropped as copies, by method.", ["method"], registry=registry
        ),
        duplicate_similarity=Histogram(
            "crosscheck_duplicate_similarity",
            "Similarity score of detected duplicates.",
            buckets=SIMILARITY_BUCKETS,
            registry=registry,
        ),
        claims_extracted=Counter(
            "crosscheck_claims_extracted", "Claims extracted, by kind.", ["kind"], registry=registry
        ),
        updates=Counter(
            "crosscheck_updates", "Update records emitted, by type.", ["type"], registry=registry
        ),
        contradictions=Counter(
            "crosscheck_contradictions",
            "Contradiction records emitted, by kind.",
            ["kind"],
            registry=registry,
        ),
        events_active=Gauge("crosscheck_events_active", "Events in the event index.", registry=registry),
        table_entries=Gauge(
            "crosscheck_table_entries",
            "Entries in each state table (this worker).",
            ["table"],
            registry=registry,
        ),
        processing_seconds=Histogram(
            "crosscheck_processing_seconds",
            "Time spent per article in each stage.",
            ["stage"],
            buckets=STAGE_BUCKETS,
            registry=registry,
        ),
        end_to_end_latency=Histogram(
            "crosscheck_end_to_end_latency_seconds",
            "From the input message's produce timestamp to the broker's ack of its article_assigned update.",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        ),
        consumer_lag=Gauge(
            "crosscheck_consumer_lag",
            "End offset minus committed offset, per input partition this worker owns.",
            ["topic", "partition"],
            registry=registry,
        ),
        rebalances=Counter("crosscheck_rebalances", "Consumer-group rebalances seen.", registry=registry),
        recovery_in_progress=Gauge(
            "crosscheck_recovery_in_progress",
            "1 while tables are being recovered from changelogs.",
            registry=registry,
        ),
        last_processed_timestamp=Gauge(
            "crosscheck_last_processed_timestamp_seconds",
            "Unix time at which the last article finished processing.",
            registry=registry,
        ),
        build_info=Info("crosscheck_build", "Build information.", registry=registry),
    )
    for reason in REASONS:
        m.articles_invalid.labels(reason=reason)
    for method in DEDUP_METHODS:
        m.duplicates.labels(method=method)
    for kind in CLAIM_KINDS:
        m.claims_extracted.labels(kind=kind)
    for type_ in UPDATE_TYPES:
        m.updates.labels(type=type_)
    for kind in CONTRADICTION_KINDS:
        m.contradictions.labels(kind=kind)
    for stage in STAGES:
        m.processing_seconds.labels(stage=stage)
    for table in TABLES:
        m.table_entries.labels(table=table).set(0)
    m.build_info.info({"version": __version__})
    return m
