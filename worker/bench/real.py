"""Real articles: the core and one worker process on the development set's articles.

The stream is ``realdata.articles(n)``: the 465 ECB+ development articles and distinct
recombinations of them (a median of ~230 words; see ``worker/bench/realdata.py``).
Setup as in production, small: one input partition, four per-event partitions, one
worker process, the embedded broker.  Each repetition runs, in this order:

* **core**: ``Pipeline.process`` over the articles in this process, pinned to one CPU,
  per CPU-second (as section 1);
* **Kafka path, sustained**: a fresh worker (new app id, topics and state) frozen while
  the articles are produced, then thawed; the rate is taken between the first and the
  last ``article_assigned``/``duplicate`` update, by the broker's record timestamps;
* the **ratio** of the two (goal ≥ 0.80);
* **latency at 50 articles/s**: a second fresh worker, the articles paced at 50/s;
  latency is the first update's broker timestamp minus the input's send time;
* **the last article of a burst**: then, on that worker, bursts of a few articles sent
  at once, each followed by a quiet gap; the latency of each burst's last article.  A
  worker that waited for the next message to push a batch out would show it here.

Every wait is bounded; workers and the broker are stopped in ``finally``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from worker.bench.kafka import BenchError, UpdateWatcher, WorkerProc, _pct, produce
from worker.bench.report import Figure, Report
from worker.settings import Settings

SECTION_REAL = "6. Real articles: core vs Kafka path (one worker process)"
#: Synthetic articles a fresh worker gets before it is measured (see ``_warm_up``).
WARM_UP = 5


@dataclass
class RealParams:
    articles: int = 1000
    repeat: int = 3
    latency_rate: float = 50.0
    bursts: int = 10
    burst_size: int = 5
    burst_gap_s: float = 1.5
    seed: int = 0
    profile_worker: bool = False
    ready_timeout: float = 120.0
    worker_env: dict[str, str] | None = None


def core_rate(records: list[dict[str, Any]]) -> float:
    """Articles per CPU-second of ``Pipeline().process`` over ``records`` (pre-decoded)."""
    from worker.bench.core import one_core
    from worker.core.model import Article
    from worker.core.pipeline import Pipeline

    arts = [Article.from_json(r) for r in records]
    with one_core():
        pipeline = Pipeline()
        gc.collect()
        cpu = time.process_time()
        for article in arts:
            pipeline.process(article)
        return len(arts) / (time.process_time() - cpu)


@contextlib.contextmanager
def _worker(url: str, workdir: Path, p: RealParams, tag: str) -> Iterator[tuple[Settings, WorkerProc]]:
    from worker.broker import free_port
    from worker.topics import ensure_topics

    settings = Settings.isolated(
        url,
        str(workdir),
        prefix=f"real{tag}",
        web_port=free_port(),
        input_partitions=1,
        event_partitions=4,
        log_level="warning",
    )
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(ensure_topics(settings))
    finally:
        loop.close()
    worker = WorkerProc(settings, workdir / f"worker-{tag}.log", env=p.worker_env or {})
    try:
        worker.start(p.ready_timeout)
        yield settings, worker
    finally:
        worker.stop()


async def _warm_up(settings: Settings, worker: WorkerProc, watcher: UpdateWatcher) -> None:
    """A few synthetic articles first: a fresh worker pays one-time costs (language-id
    model, gazetteers) on its first article, which is not what these figures are about."""
    from worker import synth

    warm = synth.generate(WARM_UP, seed=424_242)
    await produce(settings, warm)
    got = await watcher.wait_for({r["id"] for r in warm}, timeout=120, desc="warm-up", alive=worker.alive)
    if len(got) < len(warm):
        raise BenchError(f"warm-up: {len(got)} of {len(warm)} processed\n{worker.tail()}")


async def _sustained(settings: Settings, worker: WorkerProc, records: list[dict[str, Any]]) -> float:
    watcher = UpdateWatcher(settings)
    await watcher.start()
    try:
        await _warm_up(settings, worker, watcher)
        worker.freeze()
        try:
            await produce(settings, records)
        finally:
            worker.thaw()
        ids = {r["id"] for r in records}
        got = await watcher.wait_for(ids, timeout=60 + len(ids) / 10, desc="real drain", alive=worker.alive)
        stamps = sorted(got.values())
        if len(got) < len(ids) or stamps[-1] == stamps[0]:
            raise BenchError(f"real articles: {len(got)} of {len(ids)} processed\n{worker.tail()}")
        return (len(stamps) - 1) / ((stamps[-1] - stamps[0]) / 1000)
    finally:
        await watcher.stop()


async def _latency(
    settings: Settings,
    worker: WorkerProc,
    records: list[dict[str, Any]],
    burst: list[dict[str, Any]],
    p: RealParams,
) -> tuple[list[float], float, list[float]]:
    """Latencies at ``latency_rate``, the stream's last article's, and each burst's last one's (ms)."""
    watcher = UpdateWatcher(settings)
    await watcher.start()
    try:
        await _warm_up(settings, worker, watcher)
        sent = await produce(settings, records, rate=p.latency_rate)
        got = await watcher.wait_for(set(sent), timeout=60, desc="real latency", alive=worker.alive)
        if len(got) < 0.99 * len(sent):
            raise BenchError(f"latency: {len(got)} of {len(sent)} processed\n{worker.tail()}")
        lat = [float(got[i] - sent[i]) for i in got]
        last_id = records[-1]["id"]
        last = float(got[last_id] - sent[last_id]) if last_id in got else float("nan")
        bursts: list[float] = []
        for i in range(0, len(burst), p.burst_size):
            chunk = burst[i : i + p.burst_size]
            await asyncio.sleep(p.burst_gap_s)  # quiet: the worker has nothing else to read
            b_sent = await produce(settings, chunk)
            b_got = await watcher.wait_for(set(b_sent), timeout=30, desc="burst", alive=worker.alive)
            last_id = chunk[-1]["id"]
            if last_id not in b_got:
                raise BenchError(f"burst {i // p.burst_size}: the last article never came out")
            bursts.append(float(b_got[last_id] - b_sent[last_id]))
        return lat, last, bursts
    finally:
        await watcher.stop()


def real_articles(report: Report, p: RealParams) -> float | None:
    """Section 6; returns the median Kafka ÷ core ratio (None when skipped)."""
    from worker.bench import realdata

    try:
        records = realdata.articles(p.articles + p.bursts * p.burst_size, seed=p.seed)
    except realdata.NoDevData as exc:
        report.skip(SECTION_REAL, f"{exc}: skipped")
        print(f"bench: real-article section skipped: {exc}", file=sys.stderr)
        return None
    stream, burst = records[: p.articles], records[p.articles :]
    copies = realdata.check_distinct(stream)  # also pays the core's one-time costs
    try:
        from worker.broker import broker_binary

        broker_binary()
    except Exception as exc:
        report.skip(SECTION_REAL, f"no embedded broker: {exc}")
        return None
    cores: list[float] = []
    kafkas: list[float] = []
    ratios: list[float] = []
    p50s: list[float] = []
    p95s: list[float] = []
    p99s: list[float] = []
    lasts: list[float] = []
    burst_lasts: list[float] = []
    with tempfile.TemporaryDirectory(prefix="crosscheck-real-") as tmp:
        workdir = Path(tmp)
        from worker.broker import embedded_broker

        try:
            with embedded_broker(log=workdir / "broker.log") as url:
                for rep in range(p.repeat):
                    cores.append(core_rate(stream))
                    with _worker(url, workdir, p, f"s{rep}") as (settings, worker):
                        profile = None
                        if p.profile_worker and rep == 0:
                            from worker.bench.wprofile import WorkerProfile

                            assert worker.proc is not None
                            raw = Path(tempfile.gettempdir()) / "crosscheck-worker-profile.txt"
                            print(f"bench: py-spy's raw stacks go to {raw}", file=sys.stderr)
                            profile = WorkerProfile(worker.proc.pid, raw)
                        loop = asyncio.new_event_loop()
                        try:
                            with profile or contextlib.nullcontext():
                                rate = loop.run_until_complete(
                                    asyncio.wait_for(_sustained(settings, worker, stream), 900)
                                )
                        finally:
                            loop.close()
                        if profile is not None:
                            report.worker_profile = profile.summary(
                                f"py-spy on the worker while it drained {len(stream):,} real articles "
                                f"({rate:.0f} articles/s under the profiler)"
                            )
                    kafkas.append(rate)
                    ratios.append(rate / cores[-1])
                    print(
                        f"bench: real rep {rep + 1}: core {cores[-1]:.0f}/s, worker {rate:.0f}/s, "
                        f"ratio {ratios[-1]:.2f}",
                        file=sys.stderr,
                    )
                    with _worker(url, workdir, p, f"l{rep}") as (settings, worker):
                        loop = asyncio.new_event_loop()
                        try:
                            lat, last, bursts = loop.run_until_complete(
                                asyncio.wait_for(_latency(settings, worker, stream, burst, p), 900)
                            )
                        finally:
                            loop.close()
                    p50s.append(_pct(lat, 50))
                    p95s.append(_pct(lat, 95))
                    p99s.append(_pct(lat, 99))
                    lasts.append(last)
                    burst_lasts.append(max(bursts))
        except (BenchError, TimeoutError, OSError) as exc:
            report.skip(SECTION_REAL, f"failed: {type(exc).__name__}: {exc}"[:2000])
            print(f"bench: real-article section failed: {exc}", file=sys.stderr)
            return None
    n = len(stream)
    store = (p.worker_env or {}).get("CROSSCHECK_STORE", "memory://")
    note = f"{n:,} articles ({copies} copies among them per replay), 1 input / 4 event partitions"
    report.add(Figure(SECTION_REAL, "core, Pipeline.process per CPU-second", "articles/s", cores, note=note))
    report.add(
        Figure(
            SECTION_REAL,
            "Kafka path, one worker, sustained",
            "articles/s",
            kafkas,
            note=f"backlog of the same articles, fresh worker and state per repetition, {store}",
        )
    )
    report.add(
        Figure(
            SECTION_REAL,
            "Kafka path ÷ core",
            "×",
            ratios,
            goal=0.80,
            note="each repetition's worker rate ÷ its core rate, measured back to back",
        )
    )
    load = f"{n:,} articles at {p.latency_rate:.0f}/s"
    report.add(Figure(SECTION_REAL, "latency p50", "ms", p50s, higher_is_better=False, note=load))
    report.add(Figure(SECTION_REAL, "latency p95", "ms", p95s, higher_is_better=False))
    report.add(Figure(SECTION_REAL, "latency p99", "ms", p99s, goal=200.0, higher_is_better=False))
    report.add(
        Figure(
            SECTION_REAL,
            "latency of the stream's last article",
            "ms",
            lasts,
            higher_is_better=False,
            note="the last of the 50/s stream: nothing after it to push it out",
        )
    )
    report.add(
        Figure(
            SECTION_REAL,
            "latency of a burst's last article (worst burst)",
            "ms",
            burst_lasts,
            goal=200.0,
            higher_is_better=False,
            note=f"{p.bursts} bursts of {p.burst_size} sent at once, {p.burst_gap_s:g} s apart",
        )
    )
    return float(statistics.median(ratios))
