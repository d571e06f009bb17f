"""The real worker against a real broker: seeds in, the same ids as ``replay`` out."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest

from tests.integration.conftest import (
    ROOT,
    WorkerProcess,
    processed_count,
    produce_raw,
    read_topic,
    run,
    values,
)
from worker.inputs import iter_inputs
from worker.settings import Settings

pytestmark = pytest.mark.integration


def replay_records(path: Path, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    out = subprocess.run(
        [sys.executable, "-m", "worker", "replay", str(path)],
        capture_output=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    return [orjson.loads(line) for line in out.stdout.splitlines() if line.strip()]


def schema(name: str) -> dict[str, Any]:
    return dict(orjson.loads((ROOT / "schemas" / f"{name}.schema.json").read_bytes()))


def test_seeds_through_kafka_emit_exactly_replays_ids(
    make_settings: Callable[..., Settings],
    start_worker: Callable[..., WorkerProcess],
    seeds_dir: Path,
) -> None:
    settings = make_settings()
    worker = start_worker(settings)
    messages = [(m.key, m.value) for m in iter_inputs(seeds_dir)]
    run(produce_raw(settings, messages))

    updates = run(read_topic(settings, settings.topic_updates, lambda r: processed_count(r) >= len(messages)))
    contradictions = run(read_topic(settings, settings.topic_contradictions, lambda r: True, quiet=1.0))

    expected = replay_records(seeds_dir)
    expected_ids = {r["value"]["id"] for r in expected}
    seen = values(updates) + values(contradictions)
    seen_ids = {v["id"] for v in seen}
    assert seen_ids == expected_ids, f"missing {expected_ids - seen_ids}, extra {seen_ids - expected_ids}"
    assert any(v["type"] == "contradiction" for v in seen), "the seeds disagree: a contradiction is expected"

    # Every emitted record validates against its published schema, and the Kafka key is
    # the one replay names.
    update_schema, contradiction_schema = schema("update"), schema("contradiction")
    keys = {r["value"]["id"]: r["key"] for r in expected}
    for rec in updates:
        v = orjson.loads(rec.value)
        jsonschema.validate(v, update_schema)
        assert rec.key.decode() == keys[v["id"]]
    for rec in contradictions:
        v = orjson.loads(rec.value)
        jsonschema.validate(v, contradiction_schema)
        assert rec.key.decode() == keys[v["id"]]
    assert worker.alive()


def test_malformed_message_goes_to_dlq_and_next_article_is_processed(
    make_settings: Callable[..., Settings],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    settings = make_settings()
    worker = start_worker(settings)
    good = {
        "id": "after-bad",
        "title": "Quake hits",
        "text": "A magnitude 6.1 earthquake struck the city on Monday.",
    }
    run(produce_raw(settings, [(b"bad", b'{"id": "x", "text": '), (b"after-bad", orjson.dumps(good))]))

    dlq = run(read_topic(settings, settings.topic_dlq, lambda r: len(r) >= 1, quiet=0.5))
    assert len(dlq) == 1
    headers = {k: v.decode() for k, v in dlq[0].headers}
    assert headers["error_type"] == "invalid_json"
    assert headers["source_topic"] == settings.topic_articles
    assert headers["source_offset"] == "0"
    assert headers["original_size"] == str(len(b'{"id": "x", "text": '))
    assert dlq[0].value == b'{"id": "x", "text": '

    updates = run(read_topic(settings, settings.topic_updates, lambda r: processed_count(r) >= 1, quiet=0.5))
    assigned = [v for v in values(updates) if v["type"] == "article_assigned"]
    assert [v["article_id"] for v in assigned] == ["after-bad"]
    assert worker.alive()
    assert 'crosscheck_articles_invalid_total{reason="invalid_json"} 1.0' in worker.metrics()
