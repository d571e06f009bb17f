"""Dedup on the labelled set generated from the real ECB+ articles: the goal figures.

Skips with a message where ``../shared/data/ecbplus_dev.jsonl`` is absent.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from worker.evaluation.dedup import DEFAULT_DATA, DEFAULT_SEEDS, KINDS, build_labelled_set, evaluate, main

pytestmark = pytest.mark.skipif(
    not DEFAULT_DATA.exists(), reason=f"ECB+ dev data not found at {DEFAULT_DATA} (see docs on ../shared)"
)


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return evaluate(build_labelled_set(DEFAULT_DATA, DEFAULT_SEEDS, seed=0), seed=0)


def test_labelled_set_is_deterministic_and_big_enough() -> None:
    a = build_labelled_set(DEFAULT_DATA, DEFAULT_SEEDS, seed=3)
    b = build_labelled_set(DEFAULT_DATA, DEFAULT_SEEDS, seed=3)
    assert [(i.article, i.parent) for i in a] == [(i.article, i.parent) for i in b]
    originals = [i for i in a if i.parent is None]
    assert len(originals) >= 465 + 5
    for kind in KINDS:
        assert sum(1 for i in a if i.kind == kind) >= 60


def test_goal_figures(report: dict[str, Any]) -> None:
    assert report["overall"]["precision"] >= 0.98
    assert report["overall"]["recall"] >= 0.95
    assert report["same_event_non_copies_flagged"] == 0
    for kind in KINDS:
        assert report["per_kind"][kind]["recall"] >= 0.9, kind
    assert report["cost"]["bytes_per_entry_max"] <= 1024


def test_other_seed_also_meets_goals() -> None:
    r = evaluate(build_labelled_set(DEFAULT_DATA, DEFAULT_SEEDS, seed=7), seed=7)
    assert r["overall"]["precision"] >= 0.98 and r["overall"]["recall"] >= 0.95
    assert r["same_event_non_copies_flagged"] == 0


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(DEFAULT_DATA), "--seed", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["per_kind"]) == set(KINDS) and "cost" in out
