"""The synthetic article generator: deterministic, schema-valid, news-shaped streams."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import orjson
import pytest

from worker import synth
from worker.core.validate import decode_article

FIELDS = {"id", "title", "text", "source", "published_at"}


@pytest.fixture(scope="module")
def labelled() -> list[synth.Labelled]:
    return list(synth.iter_labelled(1000, seed=7))


def test_same_seed_same_records() -> None:
    assert synth.generate(150, seed=3) == synth.generate(150, seed=3)


def test_different_seeds_differ() -> None:
    a, b = synth.generate(50, seed=1), synth.generate(50, seed=2)
    assert {r["id"] for r in a}.isdisjoint({r["id"] for r in b})
    assert [r["text"] for r in a] != [r["text"] for r in b]


def test_lazy_and_eager_agree() -> None:
    assert list(synth.iter_generate(80, seed=5)) == synth.generate(80, seed=5)


@pytest.mark.parametrize("n", [0, 1, 2, 19, 20, 333])
def test_sizes(n: int) -> None:
    records = synth.generate(n, seed=11)
    assert len(records) == n
    assert len({r["id"] for r in records}) == n


def test_fields_and_shape(labelled: list[synth.Labelled]) -> None:
    records = [item.record for item in labelled]
    for r in records:
        assert set(r) == FIELDS
        assert all(isinstance(r[k], str) and r[k] for k in FIELDS)
        assert 550 <= len(r["text"].split()) <= 900  # seed-sized: ~700 words
    stamps = [r["published_at"] for r in records]
    assert stamps == sorted(stamps), "records come in publication order"


def test_records_validate_against_the_schema(labelled: list[synth.Labelled]) -> None:
    for item in labelled[:300]:
        article = decode_article(orjson.dumps(item.record), 1 << 20)
        assert article.id == item.record["id"]
        assert article.source == item.record["source"]


def test_text_has_what_the_core_reads(labelled: list[synth.Labelled]) -> None:
    text = "\n".join(item.record["text"] for item in labelled[:100])
    assert re.search(r"\b\d{1,2}(:\d\d)? ?(a\.m\.|p\.m\.)? [A-Z]{2,5}\b", text), "clock times with zones"
    assert re.search(r"\b(January|February|March|April|May|June) \d{1,2}\b", text), "dates"
    assert re.search(r"\d+ percent", text), "percentages"
    assert re.search(r"[$€£]\d", text), "money"
    assert re.search(r"[A-Z][a-z]+ [A-Z][a-z]+, \d\d,", text), "named people with ages"


def test_about_thirty_percent_share_events(labelled: list[synth.Labelled]) -> None:
    originals = [item for item in labelled if item.copy_of is None]
    sizes = Counter(item.event for item in originals)
    shared = sum(1 for item in originals if sizes[item.event] > 1)
    assert 0.25 <= shared / len(originals) <= 0.35
    # Outlets of one event tell the same story with (sometimes) different figures.
    groups: dict[str, list[str]] = {}
    for item in originals:
        if sizes[item.event] > 1:
            groups.setdefault(item.event, []).append(item.record["source"])
    assert all(len(members) >= 2 for members in groups.values())


def test_shared_fraction_is_a_knob() -> None:
    items = list(synth.iter_labelled(400, seed=1, shared_fraction=0.0))
    assert len({i.event for i in items if i.copy_of is None}) == sum(1 for i in items if i.copy_of is None)


def test_conflict_rate_is_a_knob_that_keeps_the_default_stream() -> None:
    default = synth.generate(120, seed=4, shared_fraction=1.0)
    assert synth.generate(120, seed=4, shared_fraction=1.0, conflict_rate=synth.CONFLICT_RATE) == default
    same_ids = synth.generate(120, seed=4, shared_fraction=1.0, conflict_rate=1.0)
    assert [r["id"] for r in same_ids] == [r["id"] for r in default]
    assert [r["text"] for r in same_ids] != [r["text"] for r in default]
    with pytest.raises(ValueError, match="conflict_rate"):
        synth.generate(5, conflict_rate=1.5)


def test_exact_and_near_copies(labelled: list[synth.Labelled]) -> None:
    by_id = {item.record["id"]: item.record for item in labelled}
    copies = [item for item in labelled if item.copy_of is not None]
    assert 0.02 <= len(copies) / len(labelled) <= 0.06
    exact = [c for c in copies if c.exact]
    near = [c for c in copies if not c.exact]
    assert exact and near
    for c in exact:
        assert c.record["text"] == by_id[c.copy_of]["text"]
    for c in near:
        assert c.record["text"] != by_id[c.copy_of]["text"]
    position = {item.record["id"]: i for i, item in enumerate(labelled)}
    assert all(position[c.copy_of] < position[c.record["id"]] for c in copies), "copies follow originals"


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        synth.generate(-1)
    with pytest.raises(ValueError):
        synth.generate(10, shared_fraction=1.5)


def test_write_jsonl(tmp_path: Path) -> None:
    records = synth.generate(30, seed=4)
    path = tmp_path / "a.jsonl"
    assert synth.write_jsonl(records, path) == 30
    assert [orjson.loads(line) for line in path.read_bytes().splitlines()] == records


def test_mean_gap_packs_the_timeline() -> None:
    from datetime import datetime

    def span(records: list[dict[str, str]]) -> float:
        stamps = [datetime.fromisoformat(r["published_at"].replace("Z", "+00:00")) for r in records]
        return (max(stamps) - min(stamps)).total_seconds()

    dense = synth.generate(200, seed=2, mean_gap_s=1.0)
    sparse = synth.generate(200, seed=2)
    assert span(dense) < span(sparse)
    with pytest.raises(ValueError):
        synth.generate(5, mean_gap_s=0)
