"""Event merges through Kafka: the worker emits exactly the ids ``replay`` emits.

The stream of ``tests/unit/test_merges.py`` with merges turned on by environment
variables (read by both drivers): one event is absorbed into another, its claims move
through ``merge_out``/``merge_in`` on the per-event topic, and a later article
contradicts a figure only the absorbed event reported.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from tests.integration.conftest import WorkerProcess, processed_count, produce_raw, read_topic, run, values
from tests.integration.test_end_to_end import replay_records
from tests.unit.test_merges import ABSORBED, STREAM, SURVIVOR, article_json
from worker.settings import Settings

pytestmark = pytest.mark.integration

MERGE_ENV = {
    "CROSSCHECK_EVENT_THRESHOLD": "0.65",
    "CROSSCHECK_EVENT_MERGE_THRESHOLD": "0.65",
    "CROSSCHECK_EVENT_LEAD_THRESHOLD": "0",
}


def test_merging_stream_through_kafka_emits_replays_ids(
    make_settings: Callable[..., Settings],
    start_worker: Callable[..., WorkerProcess],
    tmp_path: Path,
) -> None:
    path = tmp_path / "merging.jsonl"
    path.write_bytes(b"".join(orjson.dumps(article_json(a)) + b"\n" for a in STREAM))
    expected = replay_records(path, env={**os.environ, **MERGE_ENV})
    merged = [r["value"] for r in expected if r["value"]["type"] == "event_merged"]
    assert [(m["event_id"], m["merged_event_id"]) for m in merged] == [(SURVIVOR, ABSORBED)]

    settings = make_settings(event_partitions=3)
    worker = start_worker(settings, **MERGE_ENV)
    run(produce_raw(settings, [(a.id.encode(), orjson.dumps(article_json(a))) for a in STREAM]))
    expected_ids = {r["value"]["id"] for r in expected}

    def complete(records: list[object]) -> bool:
        return processed_count(records) >= len(STREAM)

    updates = run(read_topic(settings, settings.topic_updates, complete))
    contradictions = run(read_topic(settings, settings.topic_contradictions, lambda r: True, quiet=1.0))
    seen = values(updates) + values(contradictions)
    seen_ids = {v["id"] for v in seen}
    assert seen_ids == expected_ids, f"missing {expected_ids - seen_ids}, extra {seen_ids - expected_ids}"
    # The later article's contradiction with the absorbed event's figure, on the survivor.
    assert any(
        v["type"] == "contradiction"
        and v["event_id"] == SURVIVOR
        and {c["article_id"] for c in v["claims"]} == {"qa3", "ql"}
        for v in seen
    )
    # Nothing internal leaks to the published topics.
    assert not any(v.get("op") for v in seen)
    assert worker.alive()
