"""The global stage under at-least-once delivery: redelivery and half-applied commits."""

from __future__ import annotations

from typing import Any

from worker.core.model import Article
from worker.core.pipeline import Correlator, Enriched, ingest
from worker.synth import generate


def enriched_stream(n: int) -> list[Enriched]:
    return [ingest(Article.from_json(r)) for r in generate(n, seed=7)]


def run(
    stream: list[Enriched], crash_at: int | None = None, partial: str = "articles"
) -> tuple[list[Any], dict]:
    stores: dict[str, dict[str, Any]] = {"articles": {}, "fingerprints": {}, "events": {}}
    correlator = Correlator(stores["articles"], stores["fingerprints"], stores["events"])
    ids: list[Any] = []
    for i, item in enumerate(stream):
        result = correlator.process(item)
        if i == crash_at:
            # The process dies after only one table's writes reached its changelog.
            overlay = {"articles": correlator._articles, "events": correlator._events}[partial]
            overlay.commit()
            correlator = Correlator(stores["articles"], stores["fingerprints"], stores["events"])
            result = correlator.process(item)  # redelivered after the restart
        correlator.commit()
        ids += [(o.value["id"], o.value.get("score")) for o in result.outputs]
    return ids, stores


def test_redelivery_of_an_applied_article_changes_nothing() -> None:
    stream = enriched_stream(60)
    ids, stores = run(stream)
    again_ids, again = run([*stream, stream[10], stream[30]])
    assert again_ids == ids and again == stores


def test_a_half_applied_article_is_finished_exactly_once() -> None:
    stream = enriched_stream(80)
    clean_ids, clean = run(stream)
    for partial in ("articles", "events"):
        ids, stores = run(stream, crash_at=40, partial=partial)
        assert set(ids) == set(clean_ids), partial  # same ids, same scores
        assert stores == clean, partial
