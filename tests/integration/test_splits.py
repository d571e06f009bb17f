"""Event splits through Kafka: the worker emits exactly the ids ``replay`` emits.

The stream of ``tests/unit/test_splits.py`` with its configuration set by environment
variables (read by both drivers): the Van earthquake joins the Lorca one's event, the
next Van report splits it off, and the moved article's claims travel from the source
event's reconcile to the new event's on the per-event topic (``split_out`` →
``merge_in``), while the contradictions across the two happenings are resolved.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from tests.integration.conftest import WorkerProcess, processed_count, produce_raw, read_topic, run, values
from tests.integration.test_end_to_end import replay_records
from tests.unit.test_merges import article_json
from tests.unit.test_splits import SOURCE, STREAM, TARGET
from worker.settings import Settings

pytestmark = pytest.mark.integration

SPLIT_ENV = {
    "CROSSCHECK_EVENT_THRESHOLD": "0.01",
    "CROSSCHECK_EVENT_ENTITY_GATE": "0",
    "CROSSCHECK_EVENT_SPLIT_THRESHOLD": "0.1",
    # As ``SPLITTING`` of the unit tests: splits alone, without merges or the identity rule.
    "CROSSCHECK_EVENT_MERGE_THRESHOLD": "0",
    "CROSSCHECK_EVENT_IDENTITY_SIM": "0",
    "CROSSCHECK_EVENT_IDENTITY_BLOCK": "0",
}


def test_splitting_stream_through_kafka_emits_replays_ids(
    make_settings: Callable[..., Settings],
    start_worker: Callable[..., WorkerProcess],
    tmp_path: Path,
) -> None:
    path = tmp_path / "splitting.jsonl"
    path.write_bytes(b"".join(orjson.dumps(article_json(a)) + b"\n" for a in STREAM))
    expected = replay_records(path, env={**os.environ, **SPLIT_ENV})
    splits = [r["value"] for r in expected if r["value"]["type"] == "event_split"]
    assert [(s["event_id"], s["new_event_id"]) for s in splits] == [(SOURCE, TARGET)]

    settings = make_settings(event_partitions=3)
    worker = start_worker(settings, **SPLIT_ENV)
    run(produce_raw(settings, [(a.id.encode(), orjson.dumps(article_json(a))) for a in STREAM]))
    expected_ids = {r["value"]["id"] for r in expected}

    def complete(records: list[object]) -> bool:
        return processed_count(records) >= len(STREAM)

    updates = run(read_topic(settings, settings.topic_updates, complete))
    contradictions = run(read_topic(settings, settings.topic_contradictions, lambda r: True, quiet=1.0))
    seen = values(updates) + values(contradictions)
    seen_ids = {v["id"] for v in seen}
    assert seen_ids == expected_ids, f"missing {expected_ids - seen_ids}, extra {seen_ids - expected_ids}"
    assert any(v["type"] == "contradiction_resolved" and v.get("reason") == "split" for v in seen)
    assert not any(v.get("op") for v in seen)
    assert worker.alive()
