"""Build the faust App from settings, with its topics, tables, agents and web views.

Nothing here runs at import: ``create_app(settings)`` returns a fresh App, so tests
and the CLI build as many as they need, each with its own metrics registry.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import shutil
import ssl
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faust
from prometheus_client import CollectorRegistry

from worker.core.dedup import DedupConfig
from worker.core.events import EventConfig
from worker.core.pipeline import Correlator
from worker.core.reconcile import ReconcileConfig
from worker.metrics import Metrics, create_metrics
from worker.settings import Settings
from worker.topics import MAX_MESSAGE_BYTES

log = logging.getLogger(__name__)


@dataclass
class Topics:
    articles: faust.TopicT
    dlq: faust.TopicT
    enriched: faust.TopicT
    by_event: faust.TopicT
    updates: faust.TopicT
    contradictions: faust.TopicT

    @classmethod
    def create(cls, app: faust.App, s: Settings) -> Topics:
        def topic(name: str, partitions: int) -> faust.TopicT:
            # raw bytes both ways: decoding and validation are ours (bad input -> DLQ),
            # and outputs are orjson-encoded by us.
            return app.topic(
                name,
                partitions=partitions,
                key_type=bytes,
                value_type=bytes,
                key_serializer="raw",
                value_serializer="raw",
                replicas=s.replication_factor,
            )

        return cls(
            articles=topic(s.topic_articles, s.input_partitions),
            dlq=topic(s.topic_dlq, s.input_partitions),
            enriched=topic(s.topic_enriched, 1),
            by_event=topic(s.topic_by_event, s.event_partitions),
            updates=topic(s.topic_updates, s.event_partitions),
            contradictions=topic(s.topic_contradictions, s.event_partitions),
        )


#: RocksDB settings for every table partition (one database each: 3 global + the
#: event partitions). faust's defaults are sized for a server per table: 64 MiB
#: memtables x 3 and a 2 GiB block cache *per database*, so memory grew with the
#: state until each memtable reached 64 MiB. Here each database holds at most
#: 2 x 4 MiB of memtables and 16 MiB of cached blocks: bounded, whatever the state.
ROCKSDB_OPTIONS: dict[str, int] = {
    "write_buffer_size": 4 * 1024 * 1024,
    "max_write_buffer_number": 2,
    "block_cache_size": 16 * 1024 * 1024,
}


@dataclass
class Tables:
    # Global stage (one partition): article id -> {h, e, s}; article id -> fingerprint
    # record; event id -> event summary.  Event summaries and fingerprints feed derived
    # in-memory indexes that are rebuilt from these tables after recovery.
    articles: faust.Table
    fingerprints: faust.Table
    events: faust.Table
    # Per-event stage, keyed by event id: slots, values, sources, contradictions.
    event_claims: faust.Table

    @classmethod
    def create(cls, app: faust.App, s: Settings) -> Tables:
        options = ROCKSDB_OPTIONS if s.store.startswith("rocksdb") else None

        def table(name: str, partitions: int) -> faust.Table:
            return app.Table(  # type: ignore[return-value]
                name,
                partitions=partitions,
                # keys and values go through the app-wide "json" serializers (set in
                # create_app): str keys come back as str after changelog recovery.
                default=None,
                options=dict(options) if options else None,
            )

        return cls(
            articles=table("articles", 1),
            fingerprints=table("fingerprints", 1),
            events=table("events", 1),
            event_claims=table("event_claims", s.event_partitions),
        )


@dataclass
class Runtime:
    """Everything the agents share. One per App; no module-level state."""

    app: faust.App
    settings: Settings
    topics: Topics
    tables: Tables
    metrics: Metrics
    dedup_config: DedupConfig = field(default_factory=DedupConfig)
    event_config: EventConfig = field(default_factory=EventConfig.from_env)
    reconcile_config: ReconcileConfig = field(default_factory=ReconcileConfig.from_env)
    correlator: Correlator | None = None
    rebuild_needed: bool = True

    def get_correlator(self) -> Correlator:
        """The global stage's core, rebuilt from the tables after every rebalance."""
        if self.correlator is None:
            self.correlator = Correlator(
                self.tables.articles,
                self.tables.fingerprints,
                self.tables.events,
                self.dedup_config,
                self.event_config,
            )
            self.rebuild_needed = False
        elif self.rebuild_needed:
            self.correlator.rebuild()
            self.rebuild_needed = False
        return self.correlator

    async def drain(self) -> None:
        """Wait until every produced record, changelog writes included, is acknowledged.

        faust's own pre-commit flush gives up on its buffer after 0.1 s per message, so
        an offset can be committed before the table write behind it reached the broker.
        Draining here, before the event is acknowledged, closes that gap.
        """
        producer = self.app.producer
        while producer.buffer.size:
            await producer.buffer.flush()
        await producer.flush()


CLEAN_STOP_MARKER = "crosscheck.clean-stop"


class LocalState:
    """Keeps a persistent store (``rocksdb://``) no newer than its changelogs.

    faust's RocksDB store writes a table change to the local database at once, and
    records the changelog offset it holds only when the broker acknowledges the
    changelog record. A SIGKILL in between leaves the local database with writes the
    changelog never got; recovery replays the changelog from the recorded offset and
    keeps them. The batch is then redelivered, finds its articles applied locally, and
    writes nothing: the changelog, which standby replicas and the next owner of the
    partition read, lacks that state for good.

    So a worker that did not stop cleanly does not trust its local tables: ``start()``
    deletes them when the marker of a clean stop is missing, and faust restores them
    from the changelogs (as ``memory://`` does every time). A clean stop (SIGTERM,
    SIGINT: faust waits for every batch to be acknowledged, so each change's changelog
    record is acknowledged) writes the marker with ``clean_stop()``, and the next start
    reuses the local tables and reads only the changelog records after them.
    """

    def __init__(self, settings: Settings, tabledir: Path) -> None:
        self.persistent = not settings.store.startswith("memory:")
        self.tabledir = tabledir
        self.marker = settings.data_path / CLEAN_STOP_MARKER

    def start(self) -> bool:
        """Before the tables open: drop local tables a crash may have left ahead. True if it did."""
        dropped = False
        if self.persistent and self.tabledir.exists() and not self.marker.exists():
            shutil.rmtree(self.tabledir)
            dropped = True
        self.marker.unlink(missing_ok=True)  # from now on, a crash leaves no marker
        return dropped

    def clean_stop(self) -> None:
        if self.persistent:
            self.marker.parent.mkdir(parents=True, exist_ok=True)
            self.marker.write_text("the worker stopped cleanly; its local tables match the changelogs\n")


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _credentials(s: Settings) -> Any:
    if s.security_protocol == "PLAINTEXT":
        return None
    context = None
    if s.security_protocol in {"SSL", "SASL_SSL"}:
        context = ssl.create_default_context(cafile=s.ssl_cafile or None)
        if s.ssl_certfile:
            context.load_cert_chain(s.ssl_certfile, s.ssl_keyfile or None)
    if s.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=s.sasl_username,
            password=s.sasl_password,
            ssl_context=context,
            mechanism=s.sasl_mechanism,
        )
    return faust.SSLCredentials(context)


def _set_fetch_max_wait(ms: int) -> None:
    """Make faust's worker consumer use ``fetch_max_wait_ms=ms`` (it hard-codes 1500).

    faust builds its aiokafka consumer in ``AIOKafkaConsumerThread._create_worker_consumer``
    with no setting for this; the wrapper sets the value on the consumer before it
    starts (aiokafka reads it in ``start()``). Idempotent; the last value wins.
    """
    from faust.transport.drivers import aiokafka as driver

    thread_cls = driver.AIOKafkaConsumerThread
    original = getattr(thread_cls, "_crosscheck_original_create", None)
    if original is None:
        original = thread_cls._create_worker_consumer
        thread_cls._crosscheck_original_create = original  # type: ignore[attr-defined]

    def create(self: Any, transport: Any) -> Any:
        consumer = original(self, transport)
        consumer._fetch_max_wait_ms = thread_cls._crosscheck_fetch_max_wait_ms  # type: ignore[attr-defined]
        return consumer

    thread_cls._crosscheck_fetch_max_wait_ms = ms  # type: ignore[attr-defined]
    thread_cls._create_worker_consumer = create  # type: ignore[method-assign]


def _fetch_only_active_partitions() -> None:
    """Make each fetch drain only the partitions that were active when it was asked for.

    faust hands its *live* set of active partitions to the consumer thread, where
    aiokafka's ``Fetcher.fetched_records(partitions)`` re-reads it while it waits and
    drains *every* partition when the set is empty. When recovery pauses the last active
    partitions mid-wait (the changelogs, "Done reading from changelog topics"), the
    fetch drains the paused stream partitions too; faust then skips those records
    (their partition is not active) but their positions have moved, so they are never
    delivered. ``_seek_before_resuming_streams`` seeks the stream partitions while they
    are paused, so this has to hold for that order to be safe. A frozen copy, and no
    fetch for an empty set, keep a fetch to the partitions it was asked for. Idempotent.
    """
    from faust.transport.drivers import aiokafka as driver

    thread_cls = driver.AIOKafkaConsumerThread
    if getattr(thread_cls, "_crosscheck_original_getmany", None) is not None:
        return
    original = thread_cls.getmany
    thread_cls._crosscheck_original_getmany = original  # type: ignore[attr-defined]

    async def getmany(self: Any, active_partitions: Any, timeout: float) -> Any:
        if active_partitions is not None:
            active_partitions = frozenset(active_partitions)
            if not active_partitions:
                return {}
        return await original(self, active_partitions, timeout)

    thread_cls.getmany = getmany  # type: ignore[method-assign]


def _fetch_within_one_assignment() -> None:
    """Make a fetch that outlived a rebalance hand its records back instead of losing them.

    faust's fetch loop almost always has a fetch waiting in the consumer thread (up to 1 s
    for records). When a rebalance begins, that fetch is not cancelled: aiokafka's
    ``Fetcher.fetched_records`` waits for the *new* assignment, then drains the records
    fetched for it (from the committed offsets) for every partition the request named,
    moving their positions past them. The request named the old assignment's partitions,
    all active, so stream partitions kept across the rebalance are drained while faust
    still has them paused for recovery; faust's ``Consumer.getmany`` then skips them (not
    active) without a word. If recovery already seeked those partitions to the committed
    offsets (with local RocksDB tables it takes milliseconds), nothing moves them back:
    the next records fetched start after the hole, faust counts the hole as a gap, and the
    commits pass it. This was docs/reliability.md, "Known failures" 5 (seen with a trace:
    a fetch asked for in generation 0 returned 5.15 s later, in generation 1, ``articles``
    109..162 and two other partitions' first records; the seek had run 7 ms before).

    The wrapper runs in the consumer thread, next to aiokafka: when the group generation
    or the assignment changed while the fetch waited, it seeks every drained partition
    back to its first drained record (no ``await`` in between, so no other seek can come
    between the drain and the rewind) and returns nothing. Records are only ever handed
    to faust from the assignment the fetch was asked in. Idempotent.
    """
    from faust.transport.drivers import aiokafka as driver

    thread_cls = driver.AIOKafkaConsumerThread
    if getattr(thread_cls, "_crosscheck_original_fetch_records", None) is not None:
        return
    original = thread_cls._fetch_records
    thread_cls._crosscheck_original_fetch_records = original  # type: ignore[attr-defined]

    async def _fetch_records(
        self: Any, consumer: Any, active_partitions: Any, timeout: Any = None, max_records: Any = None
    ) -> Any:
        def assignment() -> tuple[int, Any]:
            subscription = consumer._subscription.subscription
            return consumer._coordinator.generation, subscription.assignment if subscription else None

        generation, asked_in = assignment()
        records = await original(self, consumer, active_partitions, timeout=timeout, max_records=max_records)
        now_generation, now_in = assignment()
        if records and (now_generation != generation or now_in is not asked_in):
            log.info(
                "a fetch outlived a rebalance: handing back %s",
                {f"{tp.topic}[{tp.partition}]": batch[0].offset for tp, batch in records.items() if batch},
            )
            for tp, batch in records.items():
                # no longer assigned (IllegalStateError): its next owner starts at the commit
                if batch:
                    with contextlib.suppress(Exception):
                        consumer.seek(tp, batch[0].offset)
            return {}
        return records

    thread_cls._fetch_records = _fetch_records  # type: ignore[method-assign]


#: How long recovery waits for a fetch response to tell a changelog partition's end.
CHANGELOG_END_WAIT_S = 5.0


def _recover_to_the_changelog_end() -> None:
    """Make table recovery read each changelog partition to its last record.

    faust ends the recovery of a changelog partition at the end offset the broker lists
    (``ListOffsets``). Tansu lists one past the *first* offset of the last record batch,
    not one past its last record (docs/reliability.md, "Known failures" 4: 15 records in
    batches of 5, 7 and 3, listed end 13; the fetch response's high watermark says 15).
    So recovery stopped before the last batch of each changelog partition, and a table
    could miss the last values written to it: a worker taking a partition over (from
    scratch or from its standby copy) worked on with the previous owner's next-to-last
    state of the events in that batch, and a ``memory://`` worker keeping a partition
    across a rebalance, which replays the changelog from where its last recovery ended,
    wrote its own older values back over its newest ones and stopped before the newest.
    Later messages of those events then ran on old state: other claims, other ids
    ("Known failures" 5, the reordered event: its state at offset 46 lacked the article
    written at offset 40, the partition's last record when the worker recovered it).

    The replacement keeps faust's listed end offsets and raises each to the high
    watermark of a fetch response, which Tansu reports right (aiokafka fetches every
    assigned partition in the background, paused in faust or not, so one arrives within
    milliseconds of the assignment; it waits at most ``CHANGELOG_END_WAIT_S`` and keeps
    the listed offset where none came). The changelogs are quiet while this runs: every
    member flushed its writes when its partitions were revoked. Idempotent.
    """
    from faust.tables.recovery import Recovery

    if getattr(Recovery, "_crosscheck_original_build_highwaters", None) is not None:
        return
    original = Recovery._build_highwaters
    Recovery._crosscheck_original_build_highwaters = original  # type: ignore[attr-defined]

    def fetched_end(consumer: Any, tp: Any) -> int | None:
        try:
            return consumer.highwater(tp)
        except Exception:  # not assigned any more: a new rebalance will recover it
            return None

    async def _build_highwaters(self: Any, consumer: Any, tps: Any, destination: Any, title: str) -> None:
        await original(self, consumer, tps, destination, title)
        deadline = time.monotonic() + CHANGELOG_END_WAIT_S
        pending = set(tps)
        corrected = {}
        while True:
            for tp in list(pending):
                end = fetched_end(consumer, tp)
                if end is not None:
                    pending.discard(tp)
                    if end - 1 > destination[tp]:
                        corrected[tp] = (destination[tp], end - 1)
                        destination[tp] = end - 1
            if not pending or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.005)
        if corrected:
            self.log.info(
                "Highwater (%s) raised to the fetched high watermark: %s",
                title,
                {f"{tp.topic}[{tp.partition}]": f"{a} -> {b}" for tp, (a, b) in sorted(corrected.items())},
            )
        if pending:
            self.log.warning(
                "No fetch response for %s within %.0f s: recovery ends at the listed end offset",
                sorted(f"{tp.topic}[{tp.partition}]" for tp in pending),
                CHANGELOG_END_WAIT_S,
            )

    Recovery._build_highwaters = _build_highwaters  # type: ignore[method-assign]


def _seek_before_resuming_streams() -> None:
    """Make faust resume stream partitions only after the seek and the queue clear.

    faust 0.15's ``Recovery.on_recovery_completed`` (the end of every rebalance with
    tables) resumes the stream partitions, *then* awaits ``perform_seek`` (flow is
    already active for changelog reading), *then* calls ``flow_control.resume()``,
    which empties every stream queue. Records fetched in between are handed to the
    stream queues and counted in the consumer's ``_read_offset``, then thrown away:
    they are never processed, never fetched again (a re-fetch below ``_read_offset``
    is dropped as already read), and later acks commit past them. One such record at
    the committed offset passes faust's contiguity check (``_new_offset`` tolerates a
    hole of one), a longer run becomes a "gap" that is committed as if acked. This
    was the rebalance test's intermittent loss (docs/reliability.md; faust-streaming
    issue #596).

    The replacement keeps faust's steps and changes their order: seek with the stream
    partitions still paused, clear the queues, and only then resume the partitions.
    It also seeks partitions that have no committed offset to the beginning (where
    ``consumer_auto_offset_reset="earliest"`` starts them), which ``perform_seek``
    skips (aiokafka's ``seek_to_committed`` ignores offset 0/None, aiokafka issue
    #1003), so records fetched and discarded during the rebalance are fetched again
    there too. Relies on ``_fetch_only_active_partitions``. Written against
    faust-streaming 0.15 (pyproject pins <0.16): re-check on an upgrade. Idempotent.
    """
    from faust.tables.recovery import Recovery

    if getattr(Recovery, "_crosscheck_patched", False):
        return

    async def on_recovery_completed(self: Any, generation_id: int = 0) -> None:
        consumer = self.app.consumer
        self.log.info("Restore complete!")
        await self.app.on_rebalance_complete.send()
        self._set_recovery_ended()
        callbacks = [
            asyncio.ensure_future(
                table.on_recovery_completed(self.actives_for_table[table], self.standbys_for_table[table])
            )
            for table in self.tables.values()
        ]
        if callbacks:
            await asyncio.wait(callbacks)
        assignment = consumer.assignment()
        if self.app.consumer_generation_id != generation_id:
            self.log.warning("Recovery rebalancing again")
            return
        streams = {tp for tp in assignment if not self._is_changelog_tp(tp)}
        if assignment:
            # The stream partitions are paused (since the rebalance began): nothing
            # of theirs is fetched or queued while the positions move.
            self.log.info("Seek stream partitions to committed offsets.")
            await self._wait(consumer.perform_seek(), timeout=self.app.conf.broker_request_timeout)
            uncommitted = [
                consumer._new_topicpartition(tp.topic, tp.partition)
                for tp in streams
                if consumer._committed_offset.get(tp) is None
            ]
            if uncommitted:
                await self._wait(
                    consumer._thread.seek_to_beginning(*uncommitted),
                    timeout=self.app.conf.broker_request_timeout,
                )
        self.completed.set()
        self.app.flow_control.resume()  # empties the stream queues: nothing of `streams` is in them
        consumer.resume_partitions(streams)
        consumer.resume_flow()
        await self.app._fetcher.maybe_start()
        self.tables.on_actives_ready()
        if not self.app.assignor.assigned_standbys():
            self.tables.on_standbys_ready()
        self.app.on_rebalance_end()
        self.log.info("Worker ready")

    Recovery.on_recovery_completed = on_recovery_completed  # type: ignore[method-assign]
    Recovery._crosscheck_patched = True  # type: ignore[attr-defined]


#: A full collection that leaves more than this many objects tracked freezes them (see
#: ``bound_gc_pauses``). ~50k objects is ~20 ms of full collection on this hardware.
GC_FREEZE_OBJECTS = 50_000


def bound_gc_pauses(limit: int = GC_FREEZE_OBJECTS) -> None:
    """Keep CPython's full (generation-2) collections short as the state grows.

    A full collection scans every tracked object, and the tables and indexes are
    hundreds of thousands of long-lived ones, so the pause grows with the state: 108 ms
    with 3,000 articles in state, 320 ms with 7,000, stalling every agent. These pauses
    were the whole latency p99 in ``crosscheck bench``. Right after a full collection
    only reachable objects are left, so moving them to the permanent generation
    (``gc.freeze``) drops no garbage: later collections scan only what was allocated
    since, and freed state is still released by reference counting. The cost is a
    cycle among frozen objects that dies later (in-flight futures, not the state:
    349 objects over a 7,000-article bench run); ``unfreeze_gc`` on every rebalance
    hands those back to the collector. Idempotent.
    """

    def on_gc(phase: str, info: dict[str, int]) -> None:
        # gen 2 at "stop": the young generations were merged in and collected too, so
        # everything still tracked is reachable.
        if phase == "stop" and info["generation"] == 2 and len(gc.get_objects(generation=2)) > limit:
            gc.freeze()

    gc.callbacks[:] = [cb for cb in gc.callbacks if getattr(cb, "__name__", "") != "_crosscheck_on_gc"]
    on_gc.__name__ = "_crosscheck_on_gc"
    gc.callbacks.append(on_gc)


def unfreeze_gc() -> None:
    """Let the next full collection see the frozen objects again (after a rebalance)."""
    gc.unfreeze()


def create_app(settings: Settings, registry: CollectorRegistry | None = None) -> faust.App:
    app = faust.App(
        settings.app_id,
        broker=settings.broker,
        broker_credentials=_credentials(settings),
        store=settings.store,
        datadir=str(settings.data_path),
        web_enabled=True,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_in_thread=False,
        topic_partitions=settings.event_partitions,
        topic_replication_factor=settings.replication_factor,
        topic_allow_declare=True,
        broker_session_timeout=settings.session_timeout_s,
        broker_rebalance_timeout=settings.rebalance_timeout_s,
        broker_heartbeat_interval=settings.heartbeat_interval_s,
        broker_commit_interval=settings.commit_interval_s,
        broker_max_poll_interval=300.0,
        consumer_auto_offset_reset="earliest",
        consumer_max_fetch_size=MAX_MESSAGE_BYTES,
        producer_max_request_size=MAX_MESSAGE_BYTES,
        producer_acks=-1,
        table_standby_replicas=1,
        # faust refuses to recover a local (rocksdb) table whose recorded changelog
        # offset is past the topic's high watermark. Tansu reports as the end offset the
        # first offset of the last record batch, not one past its last record (seen:
        # 200 records written, end offset 181, unchanged 5 s later), so every clean
        # restart with rocksdb tripped it. What the check guards against, local tables
        # ahead of their changelogs, LocalState rules out: they are dropped after any
        # stop that was not clean.
        recovery_consistency_check=False,
        processing_guarantee="at_least_once",
        stream_wait_empty=True,
        autodiscover=False,
        key_serializer="json",
        value_serializer="json",
    )
    _set_fetch_max_wait(settings.fetch_max_wait_ms)
    _fetch_only_active_partitions()
    _fetch_within_one_assignment()
    _recover_to_the_changelog_end()
    _seek_before_resuming_streams()
    metrics = create_metrics(registry)
    runtime = Runtime(
        app=app,
        settings=settings,
        topics=Topics.create(app, settings),
        tables=Tables.create(app, settings),
        metrics=metrics,
    )
    app.crosscheck = runtime  # type: ignore[attr-defined]

    from worker import web
    from worker.agents import correlate, ingest, reconcile

    ingest.register(runtime)
    correlate.register(runtime)
    reconcile.register(runtime)
    web.register(runtime)

    @app.on_partitions_assigned.connect
    def _on_assigned(_sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        runtime.rebuild_needed = True
        unfreeze_gc()  # the rebuild drops the old indexes: let a full collection see them
        metrics.rebalances.inc()
        assigned = kwargs.get("assigned", args[0] if args else ())
        for tp in assigned or ():
            if tp.topic == settings.topic_articles:
                metrics.consumer_lag.labels(topic=tp.topic, partition=str(tp.partition)).set(0)

    @app.on_partitions_revoked.connect
    def _on_revoked(_sender: Any, /, *_args: Any, signal: Any, **_kwargs: Any) -> None:
        metrics.recovery_in_progress.set(1)
        metrics.consumer_lag.clear()  # no stale series for partitions this worker no longer owns

    @app.on_rebalance_complete.connect
    def _on_rebalance_complete(_sender: Any, /, *_args: Any, signal: Any, **_kwargs: Any) -> None:
        metrics.recovery_in_progress.set(0)

    @app.task
    async def _gc_policy() -> None:  # only a running worker: not tests that just build apps
        bound_gc_pauses()

    @app.timer(interval=5.0)
    async def _gauges() -> None:
        await _report_lag(runtime)
        _report_tables(runtime)

    return app


def _report_tables(runtime: Runtime) -> None:
    """Table sizes (this worker's partitions) and active events; cheap enough every few seconds."""
    tables, metrics = runtime.tables, runtime.metrics
    sizes = {
        "articles": tables.articles,
        "fingerprints": tables.fingerprints,
        "events": tables.events,
        "event_claims": tables.event_claims,
    }
    for name, table in sizes.items():
        metrics.table_entries.labels(table=name).set(len(table))
    reserved = sum(1 for key in tables.events if str(key).startswith("__"))
    metrics.events_active.set(len(tables.events) - reserved)


async def _report_lag(runtime: Runtime) -> None:
    """crosscheck_consumer_lag from end offsets and committed offsets of owned input partitions."""
    consumer = runtime.app.consumer
    try:
        assignment = [tp for tp in consumer.assignment() if tp.topic == runtime.settings.topic_articles]
        if not assignment:
            return
        ends = await consumer.highwaters(*assignment) if hasattr(consumer, "highwaters") else {}
        for tp in assignment:
            committed = getattr(consumer, "_committed_offset", {}).get(tp)
            end = ends.get(tp)
            if end is None:
                continue
            lag = max(0, int(end) - int(committed or 0))
            runtime.metrics.consumer_lag.labels(topic=tp.topic, partition=str(tp.partition)).set(lag)
    except (asyncio.CancelledError, KeyboardInterrupt):
        raise
    except Exception:  # lag is advisory; never let it take the worker down
        return
