"""``crosscheck replay``: schema-valid records, deterministic ids, the seeds' expected outcome."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest

from worker.cli import main, replay

ROOT = Path(__file__).resolve().parents[2]


def run_replay(path: Path) -> list[dict[str, Any]]:
    out = io.StringIO()
    replay(path, out)
    return [orjson.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture(scope="module")
def seed_records(seeds_dir: Path) -> list[dict[str, Any]]:
    return run_replay(seeds_dir)


def test_every_record_validates_against_its_schema(seed_records: list[dict[str, Any]]) -> None:
    schemas = {
        "updates": orjson.loads((ROOT / "schemas" / "update.schema.json").read_bytes()),
        "contradictions": orjson.loads((ROOT / "schemas" / "contradiction.schema.json").read_bytes()),
    }
    assert {r["topic"] for r in seed_records} == {"updates", "contradictions"}
    for record in seed_records:
        jsonschema.validate(record["value"], schemas[record["topic"]])
        assert record["key"] == record["value"].get("event_id", record["key"])


def test_ids_and_contents_are_deterministic(seeds_dir: Path, seed_records: list[dict[str, Any]]) -> None:
    again = run_replay(seeds_dir)

    def strip(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**r, "value": {k: v for k, v in r["value"].items() if k != "emitted_at"}} for r in records]

    assert strip(again) == strip(seed_records)
    ids = [r["value"]["id"] for r in seed_records]
    assert len(ids) == len(set(ids)), "an id must name one record"


def test_seeds_form_one_event_with_the_four_disagreements(seed_records: list[dict[str, Any]]) -> None:
    values = [r["value"] for r in seed_records]
    assigned = {v["article_id"]: v["event_id"] for v in values if v["type"] == "article_assigned"}
    assert len(assigned) == 5 and len(set(assigned.values())) == 1
    slots = {v["slot"] for v in values if v["type"] == "contradiction"}
    assert {"call|duration", "call|end_time", "person:scavino|role"} <= slots
    assert any(s.endswith("|accepts:ceasefire/full") for s in slots)
    for v in values:
        if v["type"] == "contradiction":
            sides = {c["side"] for c in v["claims"]}
            assert sides == {"a", "b"} and len(v["claims"]) >= 2
            assert 0 < v["confidence"] <= 1 and v["explanation"]


def test_cli_replay_reports_rejected_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    good = {"id": "g1", "text": "A magnitude 6.1 earthquake struck the city on Monday, killing five people."}
    src.write_bytes(b'{"id": "bad"\n' + orjson.dumps(good) + b"\n[1, 2]\n")
    out = tmp_path / "out.jsonl"
    assert main(["replay", str(src), "--out", str(out), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "2 rejected" in err and "invalid_json" in err and "not_object" in err
    records = [orjson.loads(line) for line in out.read_text().splitlines()]
    assert {r["value"]["type"] for r in records} >= {"event_created", "article_assigned"}


def test_cli_replay_on_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="no such file"):
        main(["replay", str(tmp_path / "nope")])
