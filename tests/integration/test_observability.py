"""Observability against a running worker: health endpoints, a live ``/metrics`` scrape
checked against the Grafana dashboard, a real Prometheus server scraping the worker with
the repo's scrape config and alert rules, and an independent librdkafka client
(confluent-kafka) reading the ``contradictions`` topic.

One worker serves the whole module (it processes the seeds once); every external
process is stopped in ``finally`` or by the fixture, and every wait is bounded.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jsonschema
import orjson
import pytest
import yaml

from tests.integration.conftest import ROOT, WorkerProcess, processed_count, produce_raw, read_topic, run
from tests.unit.test_dashboard import (
    dashboard_exprs,
    exposed_series,
    load_dashboard,
    offline_exposition,
    reference_problems,
)
from worker.broker import free_port, stop_process
from worker.inputs import iter_inputs
from worker.metrics import CONTRADICTION_KINDS
from worker.settings import Settings

pytestmark = pytest.mark.integration

PROMETHEUS_DIR = ROOT / "deploy" / "prometheus"
JOB = "crosscheck"
T = TypeVar("T")


# ---------------------------------------------------------------------------- helpers


def wait_for(what: str, probe: Callable[[], T | None], timeout: float, interval: float = 0.2) -> T:
    """``probe()`` until it returns something truthy; AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while True:
        last = probe()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {last!r})")
        time.sleep(interval)


def http_get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    """Status and body; HTTP errors are returned, connection errors raised."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return int(resp.status), bytes(resp.read())
    except urllib.error.HTTPError as exc:
        return int(exc.code), bytes(exc.read())


def metric_value(text: str, series: str) -> float | None:
    """The value of one exact series line (``name{labels}`` as exposed) in an exposition."""
    for line in text.splitlines():
        name, _, value = line.rpartition(" ")
        if name == series:
            return float(value)
    return None


def metric_sum(text: str, name: str) -> float:
    """Sum of every sample of ``name`` (any labels) in an exposition."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith((f"{name} ", f"{name}{{")):
            total += float(line.rpartition(" ")[2])
    return total


@dataclass
class Running:
    worker: WorkerProcess
    settings: Settings
    articles: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.web_port}"


@pytest.fixture(scope="module")
def running(broker_url: str, tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[Running]:
    """A worker that has processed the seeds (every article assigned or dropped as a copy)
    and reported its consumer lag."""
    tmp = tmp_path_factory.mktemp("observability")
    settings = Settings.isolated(
        broker_url,
        str(tmp),
        prefix="cc-obs",
        web_port=free_port(),
        input_partitions=1,
        event_partitions=2,
        log_level="info",
    )
    worker = WorkerProcess(settings, tmp / "worker.log")
    try:
        worker.start(wait=True)
        messages: list[tuple[bytes | None, bytes | None]] = [(m.key, m.value) for m in iter_inputs(seeds_dir)]
        run(produce_raw(settings, messages))
        run(
            read_topic(
                settings,
                settings.topic_updates,
                lambda r: processed_count(r) >= len(messages),
                timeout=45.0,
                quiet=0.5,
            )
        )
        # The lag timer (every 5 s) reports only partitions it has seen offsets for.
        wait_for(
            "crosscheck_consumer_lag to be reported",
            lambda: "\ncrosscheck_consumer_lag{" in worker.metrics(),
            timeout=20,
            interval=0.5,
        )
        yield Running(worker, settings, len(messages))
    finally:
        worker.stop()


# ----------------------------------------------------------------------------- health


def test_health_endpoints(running: Running) -> None:
    status, body = http_get(f"{running.base_url}/livez")
    assert status == 200 and orjson.loads(body) == {"status": "ok"}
    status, body = http_get(f"{running.base_url}/readyz")
    assert status == 200, body
    assert orjson.loads(body) == {"status": "ready"}
    # /readyz sets the gauge it reports on
    assert metric_value(running.worker.metrics(), "crosscheck_recovery_in_progress") == 0.0


# ---------------------------------------------------------------------- live /metrics


def test_live_metrics_cover_the_dashboard(running: Running) -> None:
    text = running.worker.metrics()
    live = exposed_series(text)
    problems = reference_problems(dashboard_exprs(load_dashboard()), live)
    assert not problems, "\n".join(problems)
    # the live worker exposes every crosscheck series the offline registry does
    offline = exposed_series(offline_exposition())
    missing = sorted(n for n in set(offline.series) - set(live.series) if n.startswith("crosscheck_"))
    assert not missing, f"series missing from the live scrape: {missing}"
    assert metric_value(text, "crosscheck_articles_received_total") == running.articles
    assert metric_sum(text, "crosscheck_processing_seconds_count") > 0
    assert (metric_value(text, "crosscheck_end_to_end_latency_seconds_count") or 0) >= 1


# ------------------------------------------------------------------ Prometheus server


@dataclass
class PrometheusServer:
    proc: subprocess.Popen[bytes]
    url: str
    log: Path

    def api(self, path: str, **params: str) -> Any:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        status, body = http_get(f"{self.url}/api/v1/{path}{query}")
        payload = orjson.loads(body)
        assert status == 200 and payload["status"] == "success", f"{path} {params}: {status} {payload}"
        return payload["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        data = self.api("query", query=expr)
        assert data["resultType"] == "vector", (expr, data)
        return list(data["result"])

    def scalar(self, expr: str) -> float | None:
        result = self.query(expr)
        assert len(result) <= 1, (expr, result)
        return float(result[0]["value"][1]) if result else None

    def tail(self, n: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])


def prometheus_config(worker_port: int) -> dict[str, Any]:
    """The repo's prometheus.yml: same job and metrics_path, rule files from the repo,
    the worker's local port as the only target, everything at 1 s."""
    config: dict[str, Any] = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    config["global"] = {**config.get("global", {}), "scrape_interval": "1s", "evaluation_interval": "1s"}
    rule_files = []
    for rule_file in config.get("rule_files", []):
        local = PROMETHEUS_DIR / Path(rule_file).name
        assert local.exists(), f"{rule_file} has no counterpart in {PROMETHEUS_DIR}"
        rule_files.append(str(local))
    config["rule_files"] = rule_files
    jobs = [job for job in config["scrape_configs"] if job["job_name"] == JOB]
    assert len(jobs) == 1, f"prometheus.yml must have exactly one {JOB!r} job"
    job = jobs[0]
    job.pop("scrape_interval", None)
    job.pop("scrape_timeout", None)
    job["static_configs"] = [{"targets": [f"127.0.0.1:{worker_port}"]}]
    config["scrape_configs"] = [job]
    return config


def start_prometheus(config: dict[str, Any], tmp_path: Path) -> PrometheusServer:
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.skip(
            "the prometheus binary is not installed (Debian package 'prometheus'; `make system-deps`)"
        )
    config_file = tmp_path / "prometheus.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False))
    port = free_port()
    log = tmp_path / "prometheus.log"
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [
                binary,
                f"--config.file={config_file}",
                f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = PrometheusServer(proc, f"http://127.0.0.1:{port}", log)
    try:

        def ready() -> bool:
            assert proc.poll() is None, f"prometheus exited with {proc.returncode}:\n{server.tail()}"
            try:
                return http_get(f"{server.url}/-/ready", timeout=1)[0] == 200
            except OSError:
                return False

        wait_for("prometheus /-/ready", ready, timeout=20)
    except BaseException:
        stop_process(proc)
        raise
    return server


def test_prometheus_scrapes_the_worker_and_loads_the_rules(running: Running, tmp_path: Path) -> None:
    server = start_prometheus(prometheus_config(running.settings.web_port), tmp_path)
    try:
        # The seeds were processed before Prometheus started: every scrape sees the final counts.
        wait_for(
            "three scrapes of the worker",
            lambda: (server.scalar(f'count_over_time(up{{job="{JOB}"}}[5m])') or 0) >= 3,
            timeout=20,
        )
        (up,) = server.query(f'up{{job="{JOB}"}}')
        assert up["metric"]["instance"] == f"127.0.0.1:{running.settings.web_port}"
        assert float(up["value"][1]) == 1.0
        received = server.scalar(f'crosscheck_articles_received_total{{job="{JOB}"}}')
        assert received == running.articles

        # Every dashboard query is valid PromQL on a real server and returns series.
        for where, expr, _ in dashboard_exprs(load_dashboard()):
            assert server.query(expr), f"{where}: no data for {expr!r}"

        # The repo's alert rules are loaded, evaluate without error, and none fires.
        def evaluated() -> list[dict[str, Any]] | None:
            groups = server.api("rules", type="alert")["groups"]
            rules = [r for g in groups for r in g["rules"]]
            return rules if rules and all(r["health"] == "ok" for r in rules) else None

        rules = wait_for("every alert rule evaluated", evaluated, timeout=15)
        names = {r["name"] for r in rules}
        assert {
            "CrosscheckWorkerDown",
            "CrosscheckConsumerLagGrowing",
            "CrosscheckDeadLetterRateHigh",
            "CrosscheckNoArticlesProcessed",
        } <= names
        assert [r["name"] for r in rules if r["state"] != "inactive"] == []
    finally:
        stop_process(server.proc)


# -------------------------------------------------------- independent librdkafka client


def read_by_assignment(settings: Settings, topic: str, minimum: int, timeout: float) -> list[Any]:
    """Every record of ``topic`` with confluent-kafka (librdkafka), by partition assignment.

    Returns once at least ``minimum`` records were read and the consumer reached the
    high watermark of every partition.  No group subscription: joining a consumer
    group against the embedded Tansu broker is slow, and nothing here needs one.
    """
    from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, TopicPartition

    consumer = Consumer(
        {
            "bootstrap.servers": settings.bootstrap,
            "security.protocol": settings.security_protocol,
            "group.id": f"observability-{uuid.uuid4().hex[:8]}",  # required by librdkafka, never joined
            "enable.auto.commit": False,
            "fetch.message.max.bytes": 8 * 1024 * 1024,
        }
    )
    records: list[Any] = []
    try:
        metadata = consumer.list_topics(topic, timeout=10)
        partitions = sorted(metadata.topics[topic].partitions)
        assert partitions, f"{topic} has no partitions"
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = consumer.poll(0.25)
            if msg is not None:
                if msg.error():
                    raise KafkaException(msg.error())
                records.append(msg)
                continue
            if len(records) >= minimum:
                highs = {
                    p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=5)[1]
                    for p in partitions
                }
                positions = {tp.partition: tp.offset for tp in consumer.position(consumer.assignment())}
                if all(high == 0 or positions[p] >= high for p, high in highs.items()):
                    return records
        raise AssertionError(f"timed out reading {topic} with librdkafka: {len(records)} records")
    finally:
        consumer.close()


def test_contradictions_read_with_librdkafka_validate_against_the_schema(running: Running) -> None:
    settings = running.settings
    schema = orjson.loads((ROOT / "schemas" / "contradiction.schema.json").read_bytes())
    records = read_by_assignment(settings, settings.topic_contradictions, minimum=1, timeout=30)
    assert len(records) >= 1, "the seeds disagree: at least one contradiction is expected"
    kinds: dict[str, int] = {}
    for rec in records:
        value = orjson.loads(rec.value())
        jsonschema.validate(value, schema)
        assert rec.key().decode() == value["event_id"], "contradictions are keyed by event id"
        assert value["kind"] in CONTRADICTION_KINDS
        kinds[value["kind"]] = kinds.get(value["kind"], 0) + 1

    # The worker counted every contradiction it emitted (it counts after the broker's ack).
    def counted() -> bool:
        text = running.worker.metrics()
        return all(
            (metric_value(text, f'crosscheck_contradictions_total{{kind="{kind}"}}') or 0) >= n
            for kind, n in kinds.items()
        )

    wait_for(f"crosscheck_contradictions_total to count {kinds}", counted, timeout=10)
