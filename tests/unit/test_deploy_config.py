"""No Docker engine runs the compose file here, so check its consistency statically."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

import yaml

from worker.settings import Settings
from worker.topics import MAX_MESSAGE_BYTES

ROOT = Path(__file__).resolve().parents[2]


def load(path: str) -> Any:
    return yaml.safe_load((ROOT / path).read_text())


def compose_env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    return {k: str(v) for k, v in env.items()}


def test_compose_services_and_pinned_images() -> None:
    compose = load("docker-compose.yml")
    services = compose["services"]
    assert {"kafka", "topic-init", "worker", "prometheus", "grafana", "seed"} <= set(services)
    for name, svc in services.items():
        if "image" in svc:
            image = svc["image"]
            assert ":" in image and not image.endswith(":latest"), f"{name}: unpinned image {image}"
        else:
            assert "build" in svc, name


def test_worker_env_is_valid_settings_and_points_at_kafka() -> None:
    services = load("docker-compose.yml")["services"]
    known = {f"CROSSCHECK_{f.name.upper()}" for f in fields(Settings)}
    for name in ("worker", "topic-init", "seed"):
        env = compose_env(services[name])
        assert set(env) <= known, f"{name}: unknown variables {set(env) - known}"
        settings = Settings.from_env(env)
        kafka_env = compose_env(services["kafka"])
        advertised = kafka_env["KAFKA_ADVERTISED_LISTENERS"]
        assert f"//{settings.bootstrap}" in advertised, f"{name}: {settings.bootstrap} not in {advertised}"
    worker = Settings.from_env(compose_env(services["worker"]))
    assert worker.web_host == "0.0.0.0"
    assert any(str(p).endswith(f":{worker.web_port}") for p in services["worker"]["ports"])
    # The same topic settings for every service that touches topics.
    topics = {n: Settings.from_env(compose_env(services[n])) for n in ("worker", "topic-init", "seed")}
    shapes = {
        (
            s.topic_articles,
            s.topic_dlq,
            s.topic_updates,
            s.topic_contradictions,
            s.input_partitions,
            s.event_partitions,
        )
        for s in topics.values()
    }
    assert len(shapes) == 1


def test_kafka_accepts_eight_megabyte_messages_and_no_auto_create() -> None:
    env = compose_env(load("docker-compose.yml")["services"]["kafka"])
    assert int(env["KAFKA_MESSAGE_MAX_BYTES"]) >= MAX_MESSAGE_BYTES
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"


def test_prometheus_scrapes_the_worker_and_loads_the_alerts() -> None:
    services = load("docker-compose.yml")["services"]
    worker = Settings.from_env(compose_env(services["worker"]))
    prom = load("deploy/prometheus/prometheus.yml")
    targets = [t for job in prom["scrape_configs"] for sc in job["static_configs"] for t in sc["targets"]]
    assert f"worker:{worker.web_port}" in targets
    assert prom["scrape_configs"][0]["metrics_path"] == "/metrics"
    mounts = services["prometheus"]["volumes"]
    for rule_file in prom["rule_files"]:
        assert any(m.split(":")[1] == rule_file for m in mounts), rule_file
        local = next(m.split(":")[0] for m in mounts if m.split(":")[1] == rule_file)
        assert (ROOT / local).exists()


def test_worker_runs_rocksdb_on_a_named_volume() -> None:
    compose = load("docker-compose.yml")
    worker = compose["services"]["worker"]
    settings = Settings.from_env(compose_env(worker))
    assert settings.store == "rocksdb://"
    mounts = {m.split(":")[1]: m.split(":")[0] for m in worker["volumes"]}
    assert settings.data_dir in mounts, "the data dir is on a volume"
    assert mounts[settings.data_dir] in compose["volumes"], "a named volume, kept across restarts"
    import rocksdict  # the bindings are installed with the project  # noqa: F401
