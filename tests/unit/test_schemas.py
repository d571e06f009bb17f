"""The published and internal schemas: self-contained, and every record the core makes fits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest

from worker.core.model import Article
from worker.core.pipeline import Correlator, ingest
from worker.inputs import iter_inputs

ROOT = Path(__file__).resolve().parents[2]


def schema(name: str) -> dict[str, Any]:
    return dict(orjson.loads((ROOT / "schemas" / f"{name}.schema.json").read_bytes()))


@pytest.mark.parametrize("name", ["article", "claim", "update", "contradiction", "enriched", "routed"])
def test_schemas_are_valid_and_self_contained(name: str) -> None:
    s = schema(name)
    jsonschema.Draft202012Validator.check_schema(s)
    refs = orjson.dumps(s).decode().split('"$ref":')[1:]
    assert all(r.lstrip().startswith('"#/') for r in refs), "no remote $ref"


def test_published_claim_definition_is_the_claim_schema() -> None:
    claim = {k: v for k, v in schema("claim").items() if k not in ("$schema", "$id", "title")}
    assert schema("update")["$defs"]["claim"] == claim
    assert schema("contradiction")["$defs"]["claim"] == claim


def test_internal_records_validate(seeds_dir: Path) -> None:
    enriched_schema, routed_schema = schema("enriched"), schema("routed")
    correlator = Correlator({}, {}, {})
    n_routed = 0
    for msg in iter_inputs(seeds_dir):
        enriched = ingest(Article.from_json(orjson.loads(msg.value)))
        jsonschema.validate({"enriched": enriched.to_json(), "produced_at": 1.0}, enriched_schema)
        result = correlator.process(enriched)
        correlator.commit()
        for routed in result.routed:
            jsonschema.validate(routed.to_json(), routed_schema)
            n_routed += 1
    assert n_routed == 5
