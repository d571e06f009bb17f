"""Held-out evaluation of event grouping on ECB+ (skipped when the data file is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from worker.core.events import EventIndex, event_features
from worker.evaluation.events import cross_validate, load_jsonl, load_seeds, main, shuffled

DATA = Path("/work/shared/data/ecbplus_dev.jsonl")
SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# Measured 2026-11-23 with the grid below (2 shuffles, 5 topic folds): pooled
# held-out BCubed F1 mean 0.883, min 0.867 (the full 144-configuration grid of
# ``crosscheck eval-events`` gives 0.869 mean over 3 shuffles).  The floor is below
# that by a margin, so a regression of a few points fails.
HELDOUT_F1_FLOOR = 0.85
# A small slice of the full grid around the defaults keeps this test fast.
SMALL_GRID = {"threshold": (0.2, 0.25, 0.3), "entity_gate": (2.0,)}

needs_data = pytest.mark.skipif(not DATA.exists(), reason=f"ECB+ dev set not found at {DATA}")


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
