"""The written-story scorer: what counts as a raised planted disagreement."""

from __future__ import annotations

from pathlib import Path

from worker.evaluation.stories import DEFAULT_DIR, covering, load, run_story

PLANTED = [
    {"what": "toll", "values": {"x-1": "killed 12", "x-2": "12 dead", "x-3": "15 people"}},
    {"what": "age of Smith", "values": {"x-1": "54", "x-3": "57"}},
]


def _record(*claims: tuple[str, str, str]) -> dict[str, object]:
    return {"claims": [{"article_id": aid, "side": side, "raw": raw} for aid, side, raw in claims]}


def test_a_contradiction_between_the_planted_values_is_true() -> None:
    assert covering(_record(("x-3", "a", "15 people died"), ("x-1", "b", "killed 12")), PLANTED) == 0
    assert covering(_record(("x-1", "a", "Smith, 54,"), ("x-3", "b", "57-year-old Smith")), PLANTED) == 1


def test_sides_that_agree_in_the_plant_or_quote_other_words_are_false() -> None:
    # x-1 and x-2 agree on the toll: raising them is a false alarm
    assert covering(_record(("x-1", "a", "killed 12"), ("x-2", "b", "12 dead")), PLANTED) is None
    # the right articles, but the quoted figures are not the planted ones (another slot)
    assert covering(_record(("x-1", "a", "Smith, 60,"), ("x-3", "b", "aged 61")), PLANTED) is None
    # an article the plant gives no value for
    assert covering(_record(("x-2", "a", "Smith, 54,"), ("x-3", "b", "57")), PLANTED) is None


def test_the_committed_stories_load_and_replay() -> None:
    stories = load([DEFAULT_DIR])
    assert len(stories) >= 28
    for _stem, story in stories:
        assert len(story["articles"]) == 3
        ids = {a["id"] for a in story["articles"]}
        for item in story["true_disagreements"]:
            assert set(item["values"]) <= ids, story["name"]
    result = run_story(stories[0][1])
    assert result.planted == len(stories[0][1]["true_disagreements"])
    assert Path(DEFAULT_DIR).is_dir()
