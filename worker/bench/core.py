"""Replay-path benchmarks: core throughput and stage split, state growth, profile.

All of these run ``Pipeline().process`` in this process on pre-decoded ``Article``
objects, so they measure the core alone (no JSON decoding, no broker).
"""

from __future__ import annotations

import contextlib
import gc
import os
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from tqdm import tqdm

from worker import synth
from worker.bench.report import Figure, Report
from worker.core.model import Article

STAGES: tuple[str, ...] = ("normalize", "fingerprint", "features", "extract", "correlate", "reconcile")
SECTION_CORE = "1. Core throughput (replay, one core)"
SECTION_GROWTH = "5. Growth with state size (replay)"
#: 100k articles 2 s apart span 2.3 days of publication time.
GROWTH_GAP_S = 2.0


def articles(n: int, seed: int) -> list[Article]:
    return [Article.from_json(r) for r in synth.iter_generate(n, seed=seed)]


class StageTimer:
    """The ``timer`` hook of ``Pipeline``: accumulates CPU ns per stage (this thread's).

    CPU time, not wall time: on a shared machine wall time also counts the time other
    processes held the core, which says nothing about the stage.

    A class with ``__enter__``/``__exit__`` rather than ``contextlib.contextmanager``:
    it costs well under a microsecond per stage, against milliseconds per article.
    """

    __slots__ = ("_stack", "totals")

    def __init__(self) -> None:
        self.totals: dict[str, int] = dict.fromkeys(STAGES, 0)
        self._stack: list[tuple[str, int]] = []

    def __call__(self, stage: str) -> StageTimer:
        self._stack.append((stage, 0))
        return self

    def __enter__(self) -> None:
        stage, _ = self._stack.pop()
        self._stack.append((stage, time.thread_time_ns()))

    def __exit__(self, *exc: object) -> None:
        stage, start = self._stack.pop()
        self.totals[stage] = self.totals.get(stage, 0) + time.thread_time_ns() - start


@contextlib.contextmanager
def one_core() -> Iterator[str]:
    """Pin this process to one CPU for the block (the figure is "per core")."""
    try:
        before = os.sched_getaffinity(0)
    except AttributeError:  # not Linux: run unpinned, say so
        yield "unpinned"
        return
    # CROSSCHECK_BENCH_CPU picks the CPU, so two bench processes can use different ones.
    cpu = int(os.environ.get("CROSSCHECK_BENCH_CPU", max(before)))
    os.sched_setaffinity(0, {cpu})
    try:
        yield f"pinned to cpu {cpu}"
    finally:
        os.sched_setaffinity(0, before)


def _pipeline(timer: Any = None) -> Any:
    from worker.core.pipeline import Pipeline

    return Pipeline(timer=timer) if timer is not None else Pipeline()


def warm_up(n: int = 20) -> None:
    """Pay one-time costs (language-id model, gazetteers, regex compilation) off the clock."""
    pipeline = _pipeline()
    for article in articles(n, seed=987_654):
        pipeline.process(article)


def core_throughput(report: Report, n: int, repeat: int, seed: int) -> float:
    """Articles per CPU-second of ``Pipeline().process`` over ``n`` articles; returns the median."""
    arts = articles(n, seed)
    warm_up()
    rates: list[float] = []  # per CPU-second: the goal's "one core", whatever else runs
    wall_rates: list[float] = []
    per_stage: dict[str, list[float]] = {s: [] for s in STAGES}
    with one_core() as pinning:
        for rep in range(repeat):
            timer = StageTimer()
            pipeline = _pipeline(timer)
            gc.collect()
            start, cpu_start = time.perf_counter(), time.process_time()
            for article in tqdm(
                arts, desc=f"core {rep + 1}/{repeat}", unit="art", file=sys.stderr, leave=False
            ):
                pipeline.process(article)
            elapsed = time.perf_counter() - start
            rates.append(n / (time.process_time() - cpu_start))
            wall_rates.append(n / elapsed)
            for stage in STAGES:
                per_stage[stage].append(timer.totals[stage] / 1000 / n)
    report.add(
        Figure(
            SECTION_CORE,
            "Pipeline.process, per CPU-second",
            "articles/s",
            rates,
            goal=300.0,
            note=f"{n} articles, {pinning}; process CPU time",
        )
    )
    report.add(
        Figure(
            SECTION_CORE,
            "Pipeline.process, wall clock",
            "articles/s",
            wall_rates,
            note="includes time other processes held the core (see load average)",
        )
    )
    for stage in STAGES:
        report.add(
            Figure(SECTION_CORE, f"stage {stage}", "µs/article", per_stage[stage], higher_is_better=False)
        )
    total = [sum(per_stage[s][i] for s in STAGES) for i in range(repeat)]
    report.add(Figure(SECTION_CORE, "stages total", "µs/article", total, higher_is_better=False))
    return float(statistics.median(rates))


# --------------------------------------------------------------------------- growth


def rss_bytes() -> int:
    """Resident set size now (VmRSS), falling back to the peak from getrusage."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@dataclass
class Checkpoint:
    in_state: int
    us_per_article: list[float] = field(default_factory=list)
    rss: int = 0
    tables: dict[str, tuple[int, float]] = field(default_factory=dict)  # name -> (entries, bytes/entry)
    objects: dict[str, int] = field(default_factory=dict)  # name -> bytes of Python objects

    def median_us(self) -> float:
        return float(statistics.median(self.us_per_article)) if self.us_per_article else 0.0


TABLES: tuple[str, ...] = ("articles", "fingerprints", "events", "event_claims")


def table_sizes(pipeline: Any) -> dict[str, tuple[int, float]]:
    out: dict[str, tuple[int, float]] = {}
    for name in TABLES:
        table = getattr(pipeline, name)
        values = list(table.values())
        size = len(orjson.dumps(values, default=repr, option=orjson.OPT_NON_STR_KEYS)) if values else 0
        out[name] = (len(values), size / len(values) if values else 0.0)
    return out


_CONTAINERS = (dict, list, tuple, set, frozenset)


def deep_size(root: Any, seen: set[int]) -> int:
    """Bytes (``sys.getsizeof``) of ``root`` and what it references, each object once.

    Follows containers and the attributes of our own classes (``worker.*``), nothing
    else (no modules, functions or types).  ``seen`` carries over between calls, so a
    string shared by two tables counts for the first one measured.
    """
    total = 0
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        if isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, _CONTAINERS):
            stack.extend(obj)
        elif type(obj).__module__.startswith("worker."):
            if hasattr(obj, "__dict__"):
                stack.append(obj.__dict__)
            for cls in type(obj).__mro__:
                for name in getattr(cls, "__slots__", ()):
                    if hasattr(obj, name):
                        stack.append(getattr(obj, name))
    return total


def object_sizes(pipeline: Any) -> dict[str, int]:
    """Python memory of each table and of the derived indexes (what RSS growth is made of)."""
    seen: set[int] = set()
    out = {name: deep_size(getattr(pipeline, name), seen) for name in TABLES}
    out["dedup index (derived)"] = deep_size(pipeline.correlator.dedup, seen)
    out["event index (derived)"] = deep_size(pipeline.correlator.events, seen)
    return out


def _unpin() -> None:
    """Pool initializer: the pool is created inside ``one_core()``; its workers must not be."""
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, range(os.cpu_count() or 1))


def _ingest_batch(records: list[dict[str, Any]]) -> list[Any]:
    """Pool worker: the stateless, CPU-heavy half of ``Pipeline.process``."""
    from worker.core.pipeline import ingest

    return [ingest(Article.from_json(r)) for r in records]


@contextlib.contextmanager
def _pre_ingested(table: dict[str, Any]) -> Iterator[None]:
    """Make ``Pipeline.process`` use ingest results computed elsewhere (by article id).

    Only the fill phase of the growth benchmark uses this: ``Pipeline.process`` itself
    (correlate, commit, reconcile: the stateful part whose growth is measured) runs
    unchanged, and the timed windows run the real ``ingest``.
    """
    from worker.core import pipeline as module

    real = module.ingest

    def lookup(article: Article, timer: Any = None) -> Any:
        return table.pop(article.id)

    module.ingest = lookup
    try:
        yield
    finally:
        module.ingest = real


def _fill(pipeline: Any, records: Iterator[dict[str, Any]], count: int, jobs: int, bar: Any) -> None:
    """Feed ``count`` articles into ``pipeline``; ingest runs in ``jobs`` processes.

    Batches are double-buffered (the pool ingests batch k+1 while this process
    correlates batch k) and bounded, so queued results never inflate this process's RSS.
    """
    batch_size = 1000

    def take(n: int) -> list[dict[str, Any]]:
        return [next(records) for _ in range(n)]

    if jobs <= 1:
        for r in take(count):
            pipeline.process(Article.from_json(r))
            bar.update(1)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    with ctx.Pool(jobs, initializer=_unpin) as pool:
        left = count
        pending = None
        pending_records: list[dict[str, Any]] = []
        while left > 0 or pending is not None:
            nxt, nxt_records = None, []
            if left > 0:
                nxt_records = take(min(batch_size, left))
                left -= len(nxt_records)
                chunks = [nxt_records[i : i + 50] for i in range(0, len(nxt_records), 50)]
                nxt = pool.map_async(_ingest_batch, chunks)
            if pending is not None:
                enriched = [e for chunk in pending.get(timeout=3600) for e in chunk]
                table = {e.article_id: e for e in enriched}
                with _pre_ingested(table):
                    for r in pending_records:
                        pipeline.process(Article.from_json(r))
                bar.update(len(pending_records))
            pending, pending_records = nxt, nxt_records


def growth(
    report: Report, checkpoints: tuple[int, ...], window: int, repeat: int, seed: int, *, jobs: int = 1
) -> None:
    """Per-article time and RSS once 1k/10k/100k articles went through the state.

    One pass over a lazily generated stream (100k articles are never held at once).  At
    each checkpoint ``repeat`` consecutive windows of ``window`` articles are timed
    (full ``Pipeline.process``, CPU time), and RSS is read before them (after a full
    collection, so garbage does not count).  With ``jobs`` > 1 the articles *between*
    checkpoints get their stateless ingest step in a process pool, which only makes
    the fill faster: the state is built by the same ``Pipeline.process``.
    """
    total = max(checkpoints) + len(checkpoints) * repeat * window
    # Dense timeline: every article stays within the core's expiry windows (events 3 days,
    # dedup 7 days of article time), so "N in state" means N, not what survived expiry.
    stream = synth.iter_generate(total, seed=seed, mean_gap_s=GROWTH_GAP_S)
    warm_up()
    pipeline = _pipeline()
    done = 0
    results: list[Checkpoint] = []
    bar = tqdm(total=total, desc="growth", unit="art", file=sys.stderr, leave=False)
    with one_core():
        for target in sorted(checkpoints):
            if target > done:
                _fill(pipeline, stream, target - done, jobs, bar)
                done = target
            gc.collect()
            cp = Checkpoint(in_state=target, rss=rss_bytes(), tables=table_sizes(pipeline))
            if target == max(checkpoints):
                # Only at the last one, after reading RSS: the walk's own bookkeeping
                # (an id set as large as the heap) must not inflate a later reading.
                cp.objects = object_sizes(pipeline)
                gc.collect()
            for _ in range(repeat):
                batch = [Article.from_json(next(stream)) for _ in range(window)]
                start = time.process_time()  # CPU time: see StageTimer
                for article in batch:
                    pipeline.process(article)
                cp.us_per_article.append((time.process_time() - start) * 1e6 / window)
                done += window
                bar.update(window)
            results.append(cp)
    bar.close()
    for cp in results:
        report.add(
            Figure(
                SECTION_GROWTH,
                f"time at {cp.in_state:,} in state",
                "CPU µs/article",
                cp.us_per_article,
                higher_is_better=False,
                note=f"RSS {cp.rss / 2**20:.0f} MiB",
            )
        )
    first, last = results[0], results[-1]
    report.add(
        Figure(
            SECTION_GROWTH,
            f"time growth {first.in_state:,} → {last.in_state:,}",
            "×",
            [last_v / first.median_us() for last_v in last.us_per_article] if first.median_us() else [0.0],
            goal=1.3,
            higher_is_better=False,
            note="each window at the last checkpoint ÷ median at the first",
        )
    )
    if len(results) >= 2:
        prev = results[-2]
        per_article = (last.rss - prev.rss) / max(1, last.in_state - prev.in_state)
        report.add(
            Figure(
                SECTION_GROWTH,
                f"state growth (RSS {prev.in_state:,} → {last.in_state:,})",
                "bytes/article",
                [per_article],
                goal=2048.0,
                higher_is_better=False,
                note=f"RSS {prev.rss / 2**20:.0f} → {last.rss / 2**20:.0f} MiB",
            )
        )
    for name, size in last.objects.items():
        report.add(
            Figure(
                SECTION_GROWTH,
                f"memory of {name} at {last.in_state:,}",
                "bytes/article",
                [size / last.in_state],
                higher_is_better=False,
                note=f"Python objects (sys.getsizeof, shared ones once): {size / 2**20:.1f} MiB",
            )
        )
    for name, (entries, per_entry) in last.tables.items():
        first_entries = first.tables.get(name, (0, 0.0))[0]
        report.add(
            Figure(
                SECTION_GROWTH,
                f"table {name} at {last.in_state:,}",
                "bytes/entry (JSON)",
                [per_entry],
                higher_is_better=False,
                note=f"{entries:,} entries ({first_entries:,} at {first.in_state:,}); "
                f"{entries * per_entry / 2**20:.1f} MiB as JSON",
            )
        )
