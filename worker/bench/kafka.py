"""Kafka-path benchmarks: one real worker process on the embedded broker.

* sustained throughput: the worker is frozen (SIGSTOP) while a batch is produced, then
  thawed; the rate is measured between the first and the last ``article_assigned`` /
  ``duplicate`` update of the batch, by the broker-side record timestamps;
* end-to-end latency at a fixed offered load: a paced producer stamps each input
  record with its send time; latency is the timestamp of the article's first
  ``article_assigned``/``duplicate`` update minus that (same host, same clock);
* a raw aiokafka consume→produce passthrough over the same input messages, for context.

Every wait is bounded; the worker and the broker are stopped in ``finally``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from tqdm import tqdm

from worker import synth
from worker.bench.report import Figure, Report
from worker.settings import Settings

SECTION_KAFKA = "3. Kafka path (one worker process)"
SECTION_OVERHEAD = "4. Framework overhead"
PROCESSED = frozenset({"article_assigned", "duplicate"})
MAX_BYTES = 8 * 1024 * 1024


class BenchError(RuntimeError):
    """The Kafka benchmark could not run (broker, worker or a timeout)."""


@dataclass
class KafkaParams:
    sustained_articles: int = 2000
    latency_rate: float = 50.0
    latency_seconds: float = 20.0
    repeat: int = 3
    seed: int = 1000
    ready_timeout: float = 120.0


# --------------------------------------------------------------------------- worker process


@dataclass
class WorkerProc:
    settings: Settings
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    frozen: bool = False
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None  # where `python -m worker` runs (a code snapshot), default: here

    def start(self, timeout: float) -> None:
        env = {**os.environ, **self.settings.env(), "CROSSCHECK_LOG_LEVEL": "warning", **self.env}
        with open(self.log, "ab") as fh:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "worker", "worker"],
                env=env,
                stdout=fh,
                stderr=subprocess.STDOUT,
                cwd=self.cwd,
            )
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.settings.web_port}/readyz"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"worker exited with {self.proc.returncode}:\n{self.tail()}")
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1) as resp:
                if resp.status == 200:
                    return
            time.sleep(0.2)
        raise BenchError(f"worker not ready after {timeout:.0f} s:\n{self.tail()}")

    def freeze(self) -> None:
        # Only a short freeze (the produce step, ~1 s): well under the 10 s session
        # timeout, so the group does not rebalance while the backlog builds up.
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGSTOP)
            self.frozen = True

    def thaw(self) -> None:
        if self.proc is not None and self.frozen:
            self.proc.send_signal(signal.SIGCONT)
            self.frozen = False

    def stop(self) -> None:
        from worker.broker import stop_process

        self.thaw()
        if self.proc is not None:
            stop_process(self.proc, timeout=30)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def rss(self) -> int:
        if self.proc is None:
            return 0
        try:
            with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


# --------------------------------------------------------------------------- clients


@dataclass
class UpdateWatcher:
    """Consumes the updates topic in the background: article id -> first update timestamp (ms)."""

    settings: Settings
    seen: dict[str, int] = field(default_factory=dict)
    _task: asyncio.Task[None] | None = None
    _consumer: Any = None

    async def start(self) -> None:
        from aiokafka import AIOKafkaConsumer

        from worker.topics import client_kwargs

        self._consumer = AIOKafkaConsumer(
            self.settings.topic_updates,
            **client_kwargs(self.settings),
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            max_partition_fetch_bytes=MAX_BYTES,
        )
        await asyncio.wait_for(self._consumer.start(), 30)
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            batch = await self._consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for record in records:
                    value = orjson.loads(record.value)
                    if value.get("type") in PROCESSED:
                        self.seen.setdefault(value["article_id"], int(record.timestamp))

    async def wait_for(
        self, ids: set[str], timeout: float, desc: str, alive: Callable[[], bool] = lambda: True
    ) -> dict[str, int]:
        """Timestamps of ``ids`` once all were seen, or of those seen when ``timeout`` ran out."""
        deadline = time.monotonic() + timeout
        bar = tqdm(total=len(ids), desc=desc, unit="art", file=sys.stderr, leave=False)
        done = 0
        while time.monotonic() < deadline:
            if self._task is not None and self._task.done():
                self._task.result()  # re-raise a consumer failure
            now = sum(1 for i in ids if i in self.seen)
            bar.update(now - done)
            done = now
            if done == len(ids) or not alive():
                break
            await asyncio.sleep(0.1)
        bar.close()
        return {i: self.seen[i] for i in ids if i in self.seen}

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._consumer is not None:
            await self._consumer.stop()


async def _producer(settings: Settings) -> Any:
    from aiokafka import AIOKafkaProducer

    from worker.topics import client_kwargs

    producer = AIOKafkaProducer(
        **client_kwargs(settings),
        acks="all",
        max_request_size=MAX_BYTES,
        linger_ms=5,
    )
    await asyncio.wait_for(producer.start(), 30)
    return producer


async def produce(settings: Settings, records: list[dict[str, Any]], rate: float = 0.0) -> dict[str, int]:
    """Send ``records`` (paced at ``rate``/s if > 0); returns id -> send timestamp (ms)."""
    producer = await _producer(settings)
    sent: dict[str, int] = {}
    try:
        futures = []
        start = time.monotonic()
        for i, record in enumerate(records):
            now_ms = time.time_ns() // 1_000_000
            # The record's CreateTime is the send time: latency = update ts - this.
            futures.append(
                await producer.send(
                    settings.topic_articles,
                    value=orjson.dumps(record),
                    key=record["id"].encode(),
                    timestamp_ms=now_ms,
                )
            )
            sent[record["id"]] = now_ms
            if rate > 0:
                delay = start + (i + 1) / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
        await asyncio.wait_for(asyncio.gather(*futures), 60)
    finally:
        await producer.stop()
    return sent


async def passthrough(settings: Settings, n: int, out_topic: str, timeout: float) -> float:
    """A raw aiokafka consume→produce of the first ``n`` input messages; messages/s."""
    from aiokafka import AIOKafkaConsumer

    from worker.topics import client_kwargs

    consumer = AIOKafkaConsumer(
        settings.topic_articles,
        **client_kwargs(settings),
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_partition_fetch_bytes=MAX_BYTES,
    )
    producer = await _producer(settings)
    await asyncio.wait_for(consumer.start(), 30)
    try:
        futures = []
        got = 0
        start: float | None = None
        deadline = time.monotonic() + timeout
        while got < n and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200, max_records=500)
            for records in batch.values():
                for record in records:
                    if start is None:
                        start = time.perf_counter()
                    if got < n:
                        futures.append(await producer.send(out_topic, value=record.value, key=record.key))
                        got += 1
        await asyncio.wait_for(asyncio.gather(*futures), 60)
        if got < n or start is None:
            raise BenchError(f"passthrough read {got} of {n} messages in {timeout:.0f} s")
        return n / (time.perf_counter() - start)
    finally:
        await consumer.stop()
        await producer.stop()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


# --------------------------------------------------------------------------- the run


@contextlib.contextmanager
def _stack(workdir: Path, ready_timeout: float) -> Iterator[tuple[Settings, WorkerProc]]:
    from worker.broker import embedded_broker, free_port

    with embedded_broker(log=workdir / "broker.log") as url:
        settings = Settings.isolated(
            url,
            str(workdir),
            prefix="bench",
            web_port=free_port(),
            input_partitions=1,
            event_partitions=4,
            log_level="warning",
        )
        worker = WorkerProc(settings, workdir / "worker.log")
        try:
            worker.start(ready_timeout)
            yield settings, worker
        finally:
            worker.stop()


async def _measure(
    report: Report, settings: Settings, worker: WorkerProc, p: KafkaParams, core_rate: float | None
) -> None:
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    from worker.topics import client_kwargs, ensure_topics

    await ensure_topics(settings)
    watcher = UpdateWatcher(settings)
    await watcher.start()
    try:
        # (a) sustained: a frozen worker, a backlog of N, then the drain rate.
        rates: list[float] = []
        for rep in range(p.repeat):
            records = synth.generate(p.sustained_articles, seed=p.seed + rep)
            worker.freeze()
            try:
                await produce(settings, records)
            finally:
                worker.thaw()
            ids = {r["id"] for r in records}
            # Bounded: 30 s plus 50 ms per article (a worker slower than 20 articles/s fails).
            got = await watcher.wait_for(
                ids, timeout=30 + len(ids) / 20, desc=f"worker drain {rep + 1}/{p.repeat}", alive=worker.alive
            )
            stamps = sorted(got.values())
            if len(got) < len(ids) or stamps[-1] == stamps[0]:
                # A rate over a partial drain would be a made-up figure: fail the section.
                raise BenchError(f"sustained run {rep + 1}: {len(got)} of {len(ids)} articles processed")
            rates.append((len(stamps) - 1) / ((stamps[-1] - stamps[0]) / 1000))
        sustained = report.add(
            Figure(
                SECTION_KAFKA,
                "max sustained throughput",
                "articles/s",
                rates,
                goal=150.0,
                note=f"backlog of {p.sustained_articles} per repetition",
            )
        )
        # (b) latency at a fixed offered load.
        n_lat = max(1, round(p.latency_rate * p.latency_seconds))
        p50s: list[float] = []
        p95s: list[float] = []
        p99s: list[float] = []
        maxes: list[float] = []
        lost = 0
        for rep in range(p.repeat):
            records = synth.generate(n_lat, seed=p.seed + 100 + rep)
            sent = await produce(settings, records, rate=p.latency_rate)
            got = await watcher.wait_for(
                set(sent), timeout=30, desc=f"latency {rep + 1}/{p.repeat}", alive=worker.alive
            )
            lost += len(sent) - len(got)
            lat = [float(got[i] - sent[i]) for i in got]
            if len(lat) < 0.9 * len(sent):
                raise BenchError(f"latency run {rep + 1}: {len(lat)} of {len(sent)} articles processed")
            p50s.append(_pct(lat, 50))
            p95s.append(_pct(lat, 95))
            p99s.append(_pct(lat, 99))
            maxes.append(max(lat))
        load = f"{p.latency_rate:.0f} articles/s for {p.latency_seconds:.0f} s"
        report.add(Figure(SECTION_KAFKA, "latency p50", "ms", p50s, higher_is_better=False, note=load))
        report.add(Figure(SECTION_KAFKA, "latency p95", "ms", p95s, higher_is_better=False))
        report.add(
            Figure(
                SECTION_KAFKA,
                "latency p99",
                "ms",
                p99s,
                goal=200.0,
                higher_is_better=False,
                note=f"{lost} never processed" if lost else "",
            )
        )
        report.add(Figure(SECTION_KAFKA, "latency max", "ms", maxes, higher_is_better=False))
        report.add(
            Figure(
                SECTION_KAFKA,
                "worker RSS after the runs",
                "MiB",
                [worker.rss() / 2**20],
                higher_is_better=False,
            )
        )
    finally:
        await watcher.stop()

    # 4. overhead: the worker against the core, and against a bare client loop.
    if core_rate:
        report.add(
            Figure(
                SECTION_OVERHEAD,
                "worker sustained ÷ core replay",
                "%",
                [100.0 * r / core_rate for r in sustained.values],
                goal=70.0,
                note=f"core replay median {core_rate:.0f} articles per CPU-second",
            )
        )
    out_topic = f"passthrough-{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(**client_kwargs(settings))
    await asyncio.wait_for(admin.start(), 30)
    try:
        await admin.create_topics([NewTopic(out_topic, num_partitions=1, replication_factor=1)])
    finally:
        await admin.close()
    worker.freeze()  # the passthrough gets the CPU the worker would otherwise take (idle anyway)
    try:
        pt = [
            await passthrough(settings, p.sustained_articles, out_topic, timeout=120) for _ in range(p.repeat)
        ]
    finally:
        worker.thaw()
    report.add(
        Figure(
            SECTION_OVERHEAD,
            "raw aiokafka consume→produce",
            "messages/s",
            pt,
            note=f"first {p.sustained_articles} input messages, same broker, no processing",
        )
    )
    if pt:
        report.add(
            Figure(
                SECTION_OVERHEAD,
                "worker sustained ÷ passthrough",
                "%",
                [100.0 * r / statistics.median(pt) for r in sustained.values],
            )
        )


def kafka_path(report: Report, p: KafkaParams, core_rate: float | None) -> None:
    try:
        from worker.broker import broker_binary

        broker_binary()
    except Exception as exc:
        report.skip(SECTION_KAFKA, f"no embedded broker: {exc}")
        report.skip(SECTION_OVERHEAD, "no embedded broker")
        return
    with tempfile.TemporaryDirectory(prefix="crosscheck-bench-") as tmp:
        workdir = Path(tmp)
        try:
            with _stack(workdir, p.ready_timeout) as (settings, worker):
                loop = asyncio.new_event_loop()
                try:
                    # A global bound, on top of the per-step ones, so nothing can hang.
                    budget = 600 + p.repeat * (p.sustained_articles / 5 + p.latency_seconds * 2)
                    loop.run_until_complete(
                        asyncio.wait_for(_measure(report, settings, worker, p, core_rate), budget)
                    )
                finally:
                    loop.close()
        except (BenchError, TimeoutError, OSError) as exc:
            log_tail = ""
            with contextlib.suppress(OSError):
                log_tail = "\n".join((workdir / "worker.log").read_text(errors="replace").splitlines()[-15:])
            report.skip(SECTION_KAFKA, f"failed: {type(exc).__name__}: {exc}")
            if SECTION_OVERHEAD not in report.sections:
                report.skip(SECTION_OVERHEAD, "the Kafka path failed")
            print(f"bench: Kafka path failed: {exc}\n{log_tail}", file=sys.stderr)
