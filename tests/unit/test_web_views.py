"""The read-only HTTP views' bodies (``worker/web.py``), over the state replay builds.

The views themselves only look rows up in the tables; what they return is built by
``event_summary`` and ``article_summary`` from the stored (encoded) claim records.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from worker.core.model import Article
from worker.core.pipeline import Pipeline
from worker.core.validate import article_from_file
from worker.web import article_summary, event_summary

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def replayed() -> tuple[Pipeline, list[tuple[str, dict[str, Any]]]]:
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.skip(f"seed articles not found in {SEEDS}")
    pipeline = Pipeline()
    outputs = []
    for path in files:
        article = Article.from_json(orjson.loads(orjson.dumps(article_from_file(path))))
        outputs += [(o.topic, o.value) for o in pipeline.process(article)]
    return pipeline, outputs


def test_event_view_lists_every_article_slot_value_and_open_contradiction(
    replayed: tuple[Pipeline, list[tuple[str, dict[str, Any]]]],
) -> None:
    pipeline, outputs = replayed
    (event_id,) = pipeline.event_claims  # the seeds are one event
    body = event_summary(event_id, pipeline.event_claims[event_id])
    assert body["articles"] == sorted(a for a in pipeline.articles if not a.startswith("__"))
    assert len(body["sources"]) == 5
    raised = {v["id"] for topic, v in outputs if topic == "contradictions"}
    assert set(body["contradictions"]) == raised and raised
    added = {v["slot"] for topic, v in outputs if v.get("type") == "claim_added"}
    assert added <= set(body["slots"])
    duration = body["slots"]["call|duration"]
    assert {v["raw"] for v in duration} >= {"more than two hours"}
    assert all(isinstance(v["value"], dict) and v["source"] for v in duration)
    orjson.dumps(body)  # JSON-able as served


def test_article_view_gives_the_articles_event_and_only_its_claims(
    replayed: tuple[Pipeline, list[tuple[str, dict[str, Any]]]],
) -> None:
    pipeline, _ = replayed
    (event_id,) = pipeline.event_claims
    state = pipeline.event_claims[event_id]
    seen = 0
    for article_id, record in sorted(pipeline.articles.items()):
        if article_id.startswith("__"):  # the sequence counter
            continue
        body = article_summary(article_id, record, state)
        assert body["event_id"] == event_id and body["duplicate_of"] is None
        seen += len(body["claims"])
        assert all({"kind", "subject", "predicate", "value", "sentence"} <= set(c) for c in body["claims"])
    stored = sum(len(vals) for vals in event_summary(event_id, state)["slots"].values())
    assert seen == stored > 0
    assert article_summary("unknown", {"e": ""}, None)["claims"] == []


def test_views_show_each_claims_occasion(
    replayed: tuple[Pipeline, list[tuple[str, dict[str, Any]]]],
) -> None:
    pipeline, _ = replayed
    (event_id,) = pipeline.event_claims
    state = pipeline.event_claims[event_id]
    slots = event_summary(event_id, state)["slots"]
    kinds = {v["occasion"]["kind"] for values in slots.values() for v in values}
    assert "main" in kinds and kinds - {"main"}  # the seeds mention other happenings too
    # the mid-February call is an earlier occasion, in its own slot
    assert all(v["occasion"]["kind"] == "earlier" for v in slots["call@--02|date"])
    article_id = next(a for a in sorted(pipeline.articles) if not a.startswith("__"))
    claims = article_summary(article_id, pipeline.articles[article_id], state)["claims"]
    assert claims and all("kind" in c["occasion"] for c in claims)
