"""Held-out evaluation of event grouping on ECB+ (skipped when the data file is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from worker.core.events import EventConfig, EventIndex, event_features
from worker.core.model import Article
from worker.core.reconcile import Output
from worker.evaluation.events import (
    MIN_TRAIN_PRECISION,
    Item,
    Raised,
    choose,
    consume,
    contradiction_errors,
    cross_validate,
    errors,
    half_scores,
    load_jsonl,
    load_seeds,
    main,
    seeds_view,
    shuffled,
    with_feed_dates,
)

DATA = Path("/work/shared/data/ecbplus_dev.jsonl")
SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# Measured 2026-12-04 with the grid below (2 shuffles, 5 topic folds, the whole
# pipeline): pooled held-out BCubed F1 mean 0.880, min 0.861 (the full
# 144-configuration grid of ``crosscheck eval-events`` gives 0.871 mean over 3
# shuffles).  The floor is below that by a margin, so a regression of a few points fails.
HELDOUT_F1_FLOOR = 0.85
# A small slice of the full grid around the defaults keeps this test fast.
SMALL_GRID = {"threshold": (0.2, 0.25, 0.3), "entity_gate": (2.0,)}

needs_data = pytest.mark.skipif(not DATA.exists(), reason=f"ECB+ dev set not found at {DATA}")

#: Own sentences: four events in two topics (1 odd, 2 even), three reports each.
_STORIES = {
    "1_a": (
        "Flood in Dresden",
        "The Elbe burst its banks in Dresden on Monday, flooding the old town. "
        "Mayor Dirk Hilbert ordered the evacuation of Dresden riverside districts.",
    ),
    "1_b": (
        "Wildfire near Valencia",
        "A wildfire near Valencia forced farmers in Spain to flee on Sunday. "
        "Firefighter chief Elena Ruiz said the Valencia blaze spread through orange groves.",
    ),
    "2_a": (
        "Ferry sinks off Bali",
        "A ferry carrying tourists sank off Bali in Indonesia on Friday. "
        "Captain Made Sutrisna said the Bali ferry hit a reef in heavy swell.",
    ),
    "2_b": (
        "Quake shakes Santiago",
        "An earthquake shook Santiago in Chile on Tuesday, cracking walls. "
        "Seismologist Pablo Rojas said the Santiago tremor was felt across the Andes.",
    ),
}


@needs_data
def test_heldout_bcubed_f1_on_ecbplus() -> None:
    items = load_jsonl(DATA) + load_seeds(SEEDS)
    report = cross_validate(
        items, seed=0, folds=5, shuffles=2, grid=SMALL_GRID, baseline_thresholds=(0.25,), progress=False
    )
    assert report["articles"] == len(items)
    assert len(report["fold_reports"]) == 5
    assert report["heldout"]["f1_mean"] >= HELDOUT_F1_FLOOR, report["heldout"]
    assert report["heldout"]["f1_min"] >= HELDOUT_F1_FLOOR - 0.02, report["heldout"]


@needs_data
def test_seeds_stay_together_inside_the_ecbplus_stream() -> None:
    items = load_jsonl(DATA) + load_seeds(SEEDS)
    by_id = {it.article.id: it for it in items}
    for seed in (0, 1, 2):
        index = EventIndex({})
        for seq, aid in enumerate(shuffled(list(by_id), seed)):
            index.assign(aid, event_features(by_id[aid].article), seq)
        seed_events = {index.event_of(it.article.id) for it in items if it.gold == "seeds"}
        assert len(seed_events) == 1
        (event_id,) = seed_events
        assert event_id is not None
        members = index.events[event_id]["members"]
        assert sorted(members) == sorted(it.article.id for it in items if it.gold == "seeds")


def test_cli_rejects_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "absent.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_cli_halves_stream_everything_and_refuse_one_half(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "stream.jsonl"
    lines = [
        json.dumps({"id": f"{label}-{n}", "title": title, "text": f"{text} Report {n}.", "event": label})
        for label, (title, text) in _STORIES.items()
        for n in range(2)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main([str(path), "--halves", "--half", "odd"]) == 2
    assert "does not go with --half" in capsys.readouterr().err
    assert main([str(path), "--halves", "--shuffles", "1"]) == 0
    out = capsys.readouterr().out
    assert "odd  (4 articles): F1 1.000" in out and "all  (8 articles)" in out


# -- what the whole-pipeline evaluation counts -------------------------------------------


def _upd(type_: str, **fields: object) -> Output:
    return Output("updates", str(fields.get("event_id", "")), {"id": f"u-{type_}", "type": type_, **fields})


def test_consume_follows_assignments_merges_splits_and_copies() -> None:
    outputs = [
        _upd("article_assigned", event_id="E", article_id="a1", score=0.0),
        _upd("article_assigned", event_id="E", article_id="a2", score=0.5),
        _upd("article_assigned", event_id="F", article_id="b1", score=0.0),
        _upd("duplicate", event_id="F", article_id="b1-copy", duplicate_of="b1"),
        _upd("event_merged", event_id="E", merged_event_id="F"),
        _upd("event_split", event_id="E", new_event_id="N", article_ids=["b1"]),
        _upd("article_assigned", event_id="N", article_id="b1", score=0.5),
        Output(
            "contradictions",
            "E",
            {
                "id": "ctr-1",
                "kind": "quantity",
                "slot": "event|killed",
                "claims": [{"article_id": "a1", "side": "a"}, {"article_id": "b1", "side": "b"}],
            },
        ),
        _upd(
            "contradiction_resolved",
            event_id="E",
            contradiction_id="ctr-1",
            resolved_by="split",
            reason="split",
        ),
    ]
    run = consume(outputs)
    assert run.pred == {"a1": "E", "a2": "E", "b1": "N", "b1-copy": "N"}
    assert (run.merges, run.splits) == (1, 1)
    assert run.raised == [Raised("ctr-1", "quantity", "event|killed", ("a1",), ("b1",))]
    assert run.resolved == {"ctr-1"}
    gold = {"a1": "1_x", "a2": "1_x", "b1": "1_y", "b1-copy": "1_y"}
    counted = contradiction_errors(run, gold)
    assert (counted["raised"], counted["cross_gold"], counted["cross_gold_open"]) == (1, 1, 0)
    # Counted under the fold of the article that raised it (side A's first), once.
    assert contradiction_errors(run, gold, {"b1"})["raised"] == 0


def test_false_joins_and_splits() -> None:
    gold = {"a1": "1_x", "a2": "1_x", "b1": "1_y", "b2": "1_y", "c1": "2_x", "c2": "2_x"}
    pred = {"a1": "E", "a2": "E", "b1": "E", "b2": "F", "c1": "G", "c2": "E"}
    err = errors(pred, gold)
    assert err["joined_pairs"] == [["1_x", "1_y", 3], ["1_x", "2_x", 3], ["1_y", "2_x", 2]]
    assert (err["false_joins"], err["lookalike_joins"], err["joined_articles"]) == (3, 1, 2)
    assert err["split_events"] == [["1_y", 2], ["2_x", 2]]
    assert (err["false_splits"], err["split_pieces"], err["split_articles"]) == (2, 2, 2)
    # Restricted to some gold events (a fold): a pair counts under its first event.
    assert errors(pred, gold, {"1_y"})["joined_pairs"] == [["1_y", "2_x", 2]]
    assert seeds_view(pred, {**gold, "c1": "seeds", "c2": "seeds"}) == {
        "articles": 2,
        "events": 2,
        "intruders": 3,
    }


def test_half_scores_stream_every_topic_and_score_each_half() -> None:
    items = [
        Item(Article(id=f"{label}-{n}", title=title, text=f"{text} Report {n} of the day."), label)
        for label, (title, text) in _STORIES.items()
        for n in range(3)
    ]
    report = half_scores(items, EventConfig(), seeds=[0, 1])
    assert {part: report[part]["articles"] for part in report} == {"odd": 6, "even": 6, "all": 12}
    for part in ("odd", "even", "all"):
        assert report[part]["f1"] == pytest.approx(1.0), (part, report[part])
        assert report[part]["false_joins"] == 0 and report[part]["cross_gold"] == 0
    # The whole stream is scored: an even topic's report of the Dresden flood joins the
    # odd event and costs the odd half precision, which a stream of one half never shows.
    title, text = _STORIES["1_a"]
    intruder = Item(Article(id="2_c-0", title=title, text=f"{text} Reported again at noon."), "2_c")
    mixed = half_scores([*items, intruder], EventConfig(), seeds=[0])
    assert mixed["odd"]["precision"] < 1.0 and mixed["odd"]["recall"] == pytest.approx(1.0)
    assert mixed["odd"]["false_joins"] == 1 and mixed["even"]["articles"] == 7


def test_the_tuner_chooses_precision_and_no_cross_event_alert_before_f1() -> None:
    high_p, low_p = MIN_TRAIN_PRECISION + 0.02, MIN_TRAIN_PRECISION - 0.02
    # The best F1 loses to a slightly lower one that keeps precision up ...
    assert choose([(0.92, low_p), (0.91, high_p)], [0, 0]) == 1
    # ... and to one that raises no contradiction across real events.
    assert choose([(0.92, high_p), (0.91, high_p)], [1, 0]) == 1
    # Among those that qualify, F1 decides; ties go to the earlier configuration.
    assert choose([(0.90, high_p), (0.93, high_p), (0.93, high_p)], [0, 0, 0]) == 1
    # None qualifies: the fewest cross-event contradictions, then F1.
    assert choose([(0.95, low_p), (0.90, low_p), (0.92, low_p)], [2, 1, 1]) == 2


def test_feed_dates_give_each_report_its_events_dateline() -> None:
    """``--feed-dates``: an undated report takes its event's earliest dateline (plus 0 or
    1 day, fixed by its id) as ``published_at``; a report that has one keeps it, and an
    event none of whose reports has a dateline stays undated."""

    def item(aid: str, text: str, gold: str, published_at: str | None = None) -> Item:
        return Item(Article(id=aid, title="Fire", text=text, published_at=published_at), gold)

    items = [
        item("a1", "Fire at Harwick depot\nMarch 4, 2021\nA fire broke out on Thursday.", "1_a"),
        item("a2", "Fire at Harwick depot\nMarch 3, 2021\nFirefighters fought a blaze.", "1_a"),
        item("a3", "Harwick fire\nCrews cooled the tanks on Thursday.", "1_a"),
        item("a4", "Harwick fire\nThe depot reopened.", "1_a", "2021-03-09T08:00:00Z"),
        item("b1", "Harwick fire\nA second fire broke out on Friday.", "1_b"),
    ]
    dated, count = with_feed_dates(items)
    stamps = {it.article.id: it.article.published_at for it in dated}
    assert count == 3
    assert stamps["a4"] == "2021-03-09T08:00:00Z" and stamps["b1"] is None
    for aid in ("a1", "a2", "a3"):
        assert stamps[aid] in ("2021-03-03T12:00:00Z", "2021-03-04T12:00:00Z"), aid
    assert with_feed_dates(items)[0] == dated  # the same every run
    assert [it.gold for it in dated] == [it.gold for it in items]
