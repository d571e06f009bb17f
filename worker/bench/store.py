"""The worker's memory and restart time with each table store (``memory://``, ``rocksdb://``).

Measured on the worker process, not on replay: one worker, one input partition, four
event partitions, its own embedded broker per store.  The stream is the growth
section's (synthetic articles 2 s apart, so every article stays inside the expiry
windows: "N in state" means N).  Per store:

* RSS of the worker (``VmRSS``) once 10k and 20k articles went through its state;
* **restart with 20k in state**: a clean stop (SIGTERM) and a start, then a SIGKILL and
  a start; for each, seconds until ``/readyz`` answers 200 and until a new article's
  ``article_assigned`` is out (which includes rebuilding the derived indexes);
* RSS again after the restarts, and once 50k went through;
* growth per article in state: 10k → 20k (before the restarts) and 20k → 50k (after).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from worker import synth
from worker.bench.kafka import BenchError, UpdateWatcher, WorkerProc, produce
from worker.bench.report import Figure, Report
from worker.settings import Settings

SECTION_STORE = "7. State store (one worker process)"
GAP_S = 2.0
STORES = ("memory://", "rocksdb://")


@dataclass
class StoreParams:
    checkpoints: tuple[int, int, int] = (10_000, 20_000, 50_000)
    seed: int = 77
    chunk: int = 2_000
    ready_timeout: float = 900.0


@dataclass
class StoreResult:
    rss: dict[str, float]  # label -> MiB
    restarts: dict[str, tuple[float, float]]  # "clean"/"kill" -> (s to ready, s to first output)


def _rss_mib(worker: WorkerProc) -> float:
    return worker.rss() / 2**20


async def _fill(
    *,
    settings: Settings,
    worker: WorkerProc,
    watcher: UpdateWatcher,
    stream: Iterator[dict[str, Any]],
    count: int,
    chunk: int,
) -> None:
    left = count
    while left > 0:
        records = [next(stream) for _ in range(min(chunk, left))]
        left -= len(records)
        await produce(settings, records)
        ids = {r["id"] for r in records}
        got = await watcher.wait_for(ids, timeout=120 + len(ids) / 5, desc="store fill", alive=worker.alive)
        if len(got) < len(ids):
            raise BenchError(f"store fill: {len(got)} of {len(ids)} processed\n{worker.tail()}")


async def _restart(
    *,
    settings: Settings,
    worker: WorkerProc,
    watcher: UpdateWatcher,
    stream: Iterator[dict[str, Any]],
    how: str,
    timeout: float,
) -> tuple[float, float]:
    if how == "kill":
        assert worker.proc is not None
        worker.proc.kill()
        worker.proc.wait()
    else:
        worker.stop()
    start = time.monotonic()
    await asyncio.get_running_loop().run_in_executor(None, worker.start, timeout)
    ready = time.monotonic() - start
    record = next(stream)
    await produce(settings, [record])
    got = await watcher.wait_for({record["id"]}, timeout=timeout, desc="first output", alive=worker.alive)
    if not got:
        raise BenchError(f"no output after the {how} restart\n{worker.tail()}")
    return ready, time.monotonic() - start


async def _measure(settings: Settings, worker: WorkerProc, p: StoreParams) -> StoreResult:
    small, middle, large = p.checkpoints
    total = large + 10
    stream = synth.iter_generate(total, seed=p.seed, mean_gap_s=GAP_S)
    watcher = UpdateWatcher(settings)
    await watcher.start()
    rss: dict[str, float] = {}
    restarts: dict[str, tuple[float, float]] = {}
    try:
        fill: dict[str, Any] = {
            "settings": settings,
            "worker": worker,
            "watcher": watcher,
            "stream": stream,
            "chunk": p.chunk,
        }
        await _fill(count=small, **fill)
        await asyncio.sleep(3)
        rss[f"{small:,}"] = _rss_mib(worker)
        await _fill(count=middle - small, **fill)
        await asyncio.sleep(3)
        rss[f"{middle:,}"] = _rss_mib(worker)
        for how in ("clean", "kill"):
            restarts[how] = await _restart(
                settings=settings,
                worker=worker,
                watcher=watcher,
                stream=stream,
                how=how,
                timeout=p.ready_timeout,
            )
            print(f"bench: {settings.store} {how} restart: ready {restarts[how][0]:.1f} s", file=sys.stderr)
        await asyncio.sleep(3)
        rss[f"{middle:,} after the restarts"] = _rss_mib(worker)
        await _fill(count=large - middle - 2, **fill)
        await asyncio.sleep(3)
        rss[f"{large:,}"] = _rss_mib(worker)
    finally:
        await watcher.stop()
    return StoreResult(rss, restarts)


def _one_store(store: str, p: StoreParams, workdir: Path) -> StoreResult:
    from worker.broker import embedded_broker, free_port
    from worker.topics import ensure_topics

    tag = store.split(":", maxsplit=1)[0]
    with embedded_broker(log=workdir / f"broker-{tag}.log") as url:
        settings = Settings.isolated(
            url,
            str(workdir),
            prefix=f"store{tag}",
            web_port=free_port(),
            input_partitions=1,
            event_partitions=4,
            log_level="warning",
            store=store,
        )
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(ensure_topics(settings))
            worker = WorkerProc(settings, workdir / f"worker-{tag}.log")
            try:
                worker.start(p.ready_timeout)
                return loop.run_until_complete(_measure(settings, worker, p))
            finally:
                worker.stop()
        finally:
            loop.close()


def state_store(report: Report, p: StoreParams) -> None:
    small, middle, large = p.checkpoints
    results: dict[str, StoreResult] = {}
    with tempfile.TemporaryDirectory(prefix="crosscheck-store-") as tmp:
        for store in STORES:
            try:
                results[store] = _one_store(store, p, Path(tmp))
            except (BenchError, TimeoutError, OSError) as exc:
                report.skip(SECTION_STORE, f"{store} failed: {type(exc).__name__}: {exc}"[:2000])
                return
    for store, res in results.items():
        for label, mib in res.rss.items():
            report.add(
                Figure(
                    SECTION_STORE,
                    f"{store} worker RSS at {label} in state",
                    "MiB",
                    [mib],
                    higher_is_better=False,
                )
            )
        before = (res.rss[f"{middle:,}"] - res.rss[f"{small:,}"]) * 2**20 / (middle - small)
        after = (res.rss[f"{large:,}"] - res.rss[f"{middle:,} after the restarts"]) * 2**20 / (large - middle)
        report.add(
            Figure(
                SECTION_STORE,
                f"{store} RSS growth {small:,} → {middle:,}",
                "bytes/article",
                [before],
                goal=4096.0 if store.startswith("rocksdb") else None,
                higher_is_better=False,
            )
        )
        report.add(
            Figure(
                SECTION_STORE,
                f"{store} RSS growth {middle:,} → {large:,}",
                "bytes/article",
                [after],
                goal=4096.0 if store.startswith("rocksdb") else None,
                higher_is_better=False,
                note="from the RSS after the restarts",
            )
        )
        for how, (ready, first) in res.restarts.items():
            what = "clean stop (SIGTERM)" if how == "clean" else "SIGKILL"
            report.add(
                Figure(
                    SECTION_STORE,
                    f"{store} restart after a {what}, {middle:,} in state: to ready",
                    "s",
                    [ready],
                    higher_is_better=False,
                )
            )
            report.add(
                Figure(
                    SECTION_STORE,
                    f"{store} restart after a {what}, {middle:,} in state: to the next output",
                    "s",
                    [first],
                    higher_is_better=False,
                    note="a new article's article_assigned (includes the derived indexes' rebuild)",
                )
            )
