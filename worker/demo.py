"""``crosscheck demo``: the whole job on one machine, start to finish.

1. start the embedded broker (Tansu) and create the topics;
2. start a worker process and wait until it is ready;
3. publish the seed articles with a progress bar;
4. wait until every article is processed, then print the contradictions found
   (both sides' sources, evidence and values) and the metrics endpoint;
5. shut everything down and exit 0 (1 with the worker's log tail on failure).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import orjson

from worker.broker import BrokerError, embedded_broker, free_port, spawn, stop_process, wait_http_ok
from worker.settings import Settings

READY_TIMEOUT_S = 90.0
PROCESS_TIMEOUT_S = 120.0
QUIET_S = 3.0


class DemoError(RuntimeError):
    pass


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = READY_TIMEOUT_S) -> None:
    try:
        wait_http_ok(url, proc, timeout)
    except BrokerError as exc:
        raise DemoError(f"the worker was not ready: {exc}") from None


async def collect(settings: Settings, topic: str, until: Any, timeout: float) -> list[dict[str, Any]]:
    """Read ``topic`` from the start until ``until(records)`` holds and it has been quiet a moment."""
    from aiokafka import AIOKafkaConsumer

    from worker.topics import client_kwargs

    consumer = AIOKafkaConsumer(
        topic,
        **client_kwargs(settings),
        group_id=None,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    records: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    last = time.monotonic()
    try:
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=300)
            for recs in batch.values():
                for r in recs:
                    records.append(orjson.loads(r.value))
                    last = time.monotonic()
            if until(records) and time.monotonic() - last >= QUIET_S:
                return records
    finally:
        await consumer.stop()
    raise DemoError(f"timed out after {timeout:.0f} s waiting on {topic!r} ({len(records)} records)")


def run_demo(seeds: Path, keep_running: bool = False) -> int:
    from worker.cli import _produce, render_card
    from worker.inputs import count_inputs
    from worker.topics import ensure_topics

    if not seeds.exists():
        print(f"crosscheck demo: {seeds} does not exist", file=sys.stderr)
        return 1
    n_articles = count_inputs(seeds)
    workdir = Path(tempfile.mkdtemp(prefix="crosscheck-demo-"))
    try:
        broker_ctx = embedded_broker(log=workdir / "broker.log")
        broker_url = broker_ctx.__enter__()
    except BrokerError as exc:
        print(f"crosscheck demo: {exc}", file=sys.stderr)
        return 1
    worker: subprocess.Popen[bytes] | None = None
    web_port = free_port()
    # One input partition: the worker sees the seeds in file order, so the demo shows
    # exactly what `crosscheck replay seeds/` computes.
    settings = Settings(
        broker=broker_url,
        web_port=web_port,
        app_id="crosscheck-demo",
        data_dir=str(workdir / "data"),
        input_partitions=1,
    )
    worker_log = workdir / "worker.log"
    status = 1
    try:
        print(f"[1/5] embedded broker up at {broker_url}", file=sys.stderr)
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        loop.run_until_complete(ensure_topics(settings))
        print(f"[2/5] topics created; starting the worker (http://127.0.0.1:{web_port})", file=sys.stderr)
        env = {**os.environ, **settings.env(), "CROSSCHECK_LOG_LEVEL": "warning"}
        with open(worker_log, "wb") as log:
            # its own process group, and SIGTERM (a clean stop) if the demo dies first
            worker = spawn(
                [sys.executable, "-m", "worker", "worker"],
                death_signal=signal.SIGTERM,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_ready(f"http://127.0.0.1:{web_port}/readyz", worker)
        print(f"[3/5] worker ready; publishing {n_articles} articles from {seeds}/", file=sys.stderr)
        loop.run_until_complete(_produce(settings, seeds, True, 0.0))

        def processed(records: list[dict[str, Any]]) -> bool:
            done = {
                r.get("article_id") for r in records if r.get("type") in ("article_assigned", "duplicate")
            }
            return len(done) >= n_articles

        print("[4/5] waiting for the worker to process them", file=sys.stderr)
        updates = loop.run_until_complete(
            collect(settings, settings.topic_updates, processed, PROCESS_TIMEOUT_S)
        )
        contradictions = loop.run_until_complete(
            collect(settings, settings.topic_contradictions, lambda _r: True, 30.0)
        )
        events = {r["event_id"] for r in updates if r.get("type") == "article_assigned"}
        print(
            f"\n{n_articles} articles \u2192 {len(events)} event(s), {len(updates)} updates, "
            f"{len(contradictions)} contradiction(s):\n"
        )
        for value in contradictions:
            print(render_card(value) + "\n")
        print(
            f"Prometheus metrics: http://127.0.0.1:{web_port}/metrics "
            "(up while the demo runs; `crosscheck demo --keep-running` keeps the stack up)"
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/metrics", timeout=5) as resp:
            for line in resp.read().decode().splitlines():
                if line.startswith(
                    ("crosscheck_articles_received_total", "crosscheck_contradictions_total{")
                ) and not line.endswith(" 0.0"):
                    print("   " + line)
        if keep_running:
            print("\nthe stack stays up; Ctrl-C or SIGTERM stops it", file=sys.stderr)
            with contextlib.suppress(KeyboardInterrupt):
                worker.wait()
        status = 0 if contradictions else 1
        if not contradictions:
            print("crosscheck demo: no contradiction was found", file=sys.stderr)
    except (DemoError, OSError) as exc:
        print(f"crosscheck demo failed: {exc}", file=sys.stderr)
        if worker_log.exists():
            tail = worker_log.read_text(errors="replace").splitlines()[-30:]
            print("--- worker log (last 30 lines) ---\n" + "\n".join(tail), file=sys.stderr)
    finally:
        print("[5/5] shutting down", file=sys.stderr)
        if worker is not None:
            stop_process(worker, timeout=20)
        broker_ctx.__exit__(None, None, None)
    return status
