"""DedupIndex: exact and near copies, reprocessing, independence from unrelated articles,
TTL and cap expiry, idempotent add, rebuild from records alone, and the seeds."""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worker.core.dedup import (
    DedupConfig,
    DedupIndex,
    DedupVerdict,
    Fingerprint,
    fingerprint,
)
from worker.core.model import Article
from worker.evaluation.dedup import DEFAULT_SEEDS, load_seeds

CFG = DedupConfig()

# Two disjoint vocabularies: stories built from one share no shingle with the other.
_VOCAB_A = [f"alpha{i}" for i in range(300)]
_VOCAB_B = [f"beta{i}" for i in range(300)]


def _story(words: list[str]) -> str:
    """Words as sentences of eight, paragraphs of three sentences."""
    sentences = [" ".join(words[i : i + 8]).capitalize() + "." for i in range(0, len(words), 8)]
    return "\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))


_story_a = st.lists(st.sampled_from(_VOCAB_A), min_size=40, max_size=160).map(_story)
_story_b = st.lists(st.sampled_from(_VOCAB_B), min_size=40, max_size=160).map(_story)
_any_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=300
).filter(lambda t: any(ch.isalnum() for ch in t))


def _add(index: DedupIndex, art: Article, seq: int, time: float | None = None) -> DedupVerdict | None:
    fp = fingerprint(art)
    v = index.check(art.id, fp)
    index.add(art.id, fp, seq, time, v.duplicate_of if v else None)
    return v


def _truncate(text: str, frac: float) -> str:
    paras = [p for p in text.split("\n") if p.strip()]
    return "\n".join(paras[: max(1, round(len(paras) * frac))])


# -- fingerprint ---------------------------------------------------------------------------


def test_fingerprint_json_round_trip_and_size() -> None:
    art = Article("a", _story(_VOCAB_A[:200]), "A title")
    fp = fingerprint(art)
    assert Fingerprint.from_json(json.loads(json.dumps(fp.to_json()))) == fp
    index = DedupIndex({}, CFG)
    index.add("a", fp, 0, 1.0e9)
    assert len(json.dumps(index.records["a"], separators=(",", ":"))) <= 1024


def test_fingerprint_is_stable_across_processes() -> None:
    """No Python hash() of str anywhere: another interpreter (other hash seed) agrees."""
    art = Article("a", _story(_VOCAB_A[:120]), "Title")
    code = (
        "import json; from worker.core.dedup import fingerprint; from worker.core.model import Article; "
        f"print(json.dumps(fingerprint(Article('a', {art.text!r}, 'Title')).to_json(), sort_keys=True))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert json.loads(out.stdout) == fingerprint(art).to_json()


def test_empty_text_is_never_a_duplicate() -> None:
    index = DedupIndex({}, CFG)
    _add(index, Article("a", "", ""), 0)
    assert index.check("b", fingerprint(Article("b", "  \n", ""))) is None


# -- verdicts ----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(_any_text)
def test_an_article_is_an_exact_duplicate_of_an_earlier_copy(text: str) -> None:
    index = DedupIndex({}, CFG)
    assert _add(index, Article("first", text, "T"), 0) is None
    v = index.check("second", fingerprint(Article("second", text, "T")))
    assert v == DedupVerdict("first", "exact", 1.0)
    # ... and never of itself, however often it is reprocessed.
    assert index.check("first", fingerprint(Article("first", text, "T"))) is None


@settings(max_examples=40, deadline=None)
@given(_story_a, st.lists(_story_b, max_size=12), st.floats(0.5, 0.7))
def test_verdicts_do_not_depend_on_unrelated_articles(story: str, unrelated: list[str], frac: float) -> None:
    probes = [
        Article("exact", story, "New"),
        Article("brief", _truncate(story, frac), "Brief"),
        Article("other", _story(_VOCAB_A[::-1][:60]), "Other"),
    ]
    verdicts = []
    for n_before in (0, len(unrelated)):
        index = DedupIndex({}, CFG)
        for i, text in enumerate(unrelated[:n_before]):
            _add(index, Article(f"u{i}", text, ""), i)
        _add(index, Article("orig", story, "Orig"), 100)
        verdicts.append([index.check(p.id, fingerprint(p)) for p in probes])
    assert verdicts[0] == verdicts[1]
    assert verdicts[0][0] is not None and verdicts[0][0].duplicate_of == "orig"


def test_copy_of_a_copy_points_at_the_earliest() -> None:
    story = _story(_VOCAB_A[:160])
    index = DedupIndex({}, CFG)
    _add(index, Article("orig", story, ""), 0)
    v1 = _add(index, Article("wire", story + "\n(Reporting by A; Editing by B)", "New"), 1)
    v2 = _add(index, Article("brief", _truncate(story, 0.6), "Brief"), 2)
    assert v1 is not None and v1.duplicate_of == "orig" and v1.method == "exact"
    assert v2 is not None and v2.duplicate_of == "orig" and v2.method == "near"
    assert index.records["brief"]["p"] == "orig"
    # Adding with a non-canonical parent stores the canonical one.
    index.add("late", fingerprint(Article("late", story, "")), 3, None, parent="brief")
    assert index.records["late"]["p"] == "orig"


def test_reprocessing_gives_the_first_verdict() -> None:
    story = _story(_VOCAB_A[:160])
    index = DedupIndex({}, CFG)
    _add(index, Article("orig", story, ""), 0)
    first = _add(index, Article("copy", story, ""), 1)
    _add(index, Article("again", story, ""), 2)
    assert index.check("copy", fingerprint(Article("copy", story, ""))) == first
    assert index.check("orig", fingerprint(Article("orig", story, ""))) is None


# -- state -------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(_story_a, _story_b), min_size=1, max_size=8))
def test_add_is_idempotent(stories: list[str]) -> None:
    once: dict[str, Any] = {}
    twice: dict[str, Any] = {}
    a, b = DedupIndex(once, CFG), DedupIndex(twice, CFG)
    for i, text in enumerate(stories):
        art = Article(f"x{i}", text, "")
        fp = fingerprint(art)
        v = a.check(art.id, fp)
        a.add(art.id, fp, i, float(i), v.duplicate_of if v else None)
        for _ in range(2):
            v2 = b.check(art.id, fp)
            b.add(art.id, fp, i, float(i), v2.duplicate_of if v2 else None)
    assert once == twice
    assert len(a) == len(b) == len(stories)
    probe = fingerprint(Article("p", stories[0], ""))
    assert a.check("p", probe) == b.check("p", probe)


def test_ttl_expiry_forgets() -> None:
    story = _story(_VOCAB_A[:160])
    records: dict[str, Any] = {}
    index = DedupIndex(records, CFG)
    _add(index, Article("old", story, ""), 0, time=1_000.0)
    _add(index, Article("new", _story(_VOCAB_B[:160]), ""), 1, time=1_000.0 + CFG.ttl_seconds - 1)
    assert index.expire(1, 1_000.0 + CFG.ttl_seconds - 1) == []
    assert index.expire(2, 1_000.0 + CFG.ttl_seconds + 1) == ["old"]
    assert "old" not in records and len(index) == 1
    assert index.check("copy", fingerprint(Article("copy", story, ""))) is None
    assert index.check("brief", fingerprint(Article("brief", _truncate(story, 0.6), ""))) is None


def _with_stock_paragraph(i: int) -> str:
    """A story of its own plus a stock paragraph that every such story carries."""
    own = random.Random(i).sample(_VOCAB_A, 96)
    return _story(own) + "\n" + _story(_VOCAB_B[:96])


def test_stop_bands_keep_a_stock_phrase_from_making_everything_a_candidate() -> None:
    records: dict[str, Any] = {}
    index = DedupIndex(records, DedupConfig(max_posting=4))
    for i in range(30):
        assert _add(index, Article(f"s{i}", _with_stock_paragraph(i)), i) is None
    new = fingerprint(Article("new", _with_stock_paragraph(999)))
    # Without the cap the stock paragraph's bands make all 30 stories candidates.
    assert len(DedupIndex(records, DedupConfig(max_posting=1000)).candidates(new)) == 30
    assert len(index.candidates(new)) < 5
    assert index.check("new", new) is None
    # A real copy still shares enough ordinary bands to be found.
    text = _with_stock_paragraph(7)
    brief = Article("brief", "\n".join(text.split("\n")[1:]))
    verdict = index.check("brief", fingerprint(brief))
    assert verdict is not None and verdict.duplicate_of == "s7"


def test_max_entries_cap_drops_lowest_seq() -> None:
    records: dict[str, Any] = {}
    index = DedupIndex(records, DedupConfig(max_entries=3))
    for i in range(5):
        _add(index, Article(f"s{i}", _story(_VOCAB_A[i * 50 : i * 50 + 48]), ""), i)
    assert index.expire(5, None) == ["s0", "s1"]
    assert sorted(records) == ["s2", "s3", "s4"] and len(index) == 3
    assert index.check("c", fingerprint(Article("c", _story(_VOCAB_A[:48]), ""))) is None


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.one_of(_story_a, _story_b), st.integers(0, 3)), min_size=2, max_size=10))
def test_rebuild_from_records_gives_the_same_verdicts(stream: list[tuple[str, int]]) -> None:
    records: dict[str, Any] = {}
    live = DedupIndex(records, DedupConfig(max_entries=6, ttl_seconds=10.0))
    probes: list[Article] = []
    for i, (text, mode) in enumerate(stream):
        # mode: 0 new story, 1 re-post of an earlier one, 2 brief of an earlier one, 3 same story later
        base = stream[i // 2][0]
        body = text if mode == 0 else base if mode in (1, 3) else _truncate(base, 0.6)
        art = Article(f"a{i}", body, "")
        _add(live, art, i, time=float(i * (4 if mode == 3 else 1)))
        live.expire(i, float(i))
        probes.append(Article(f"p{i}", body, ""))
    rebuilt = DedupIndex(copy.deepcopy(records), DedupConfig(max_entries=6, ttl_seconds=10.0))
    assert len(rebuilt) == len(live)
    for p in probes:
        fp = fingerprint(p)
        assert rebuilt.check(p.id, fp) == live.check(p.id, fp)
    for key, value in records.items():  # reprocessing a stored article, too
        fp = Fingerprint.from_json(value)
        assert rebuilt.check(key, fp) == live.check(key, fp)


def test_records_are_replaced_never_mutated() -> None:
    """faust persists a value only on assignment: stored dicts must never change in place."""
    story = _story(_VOCAB_A[:160])
    records: dict[str, Any] = {}
    index = DedupIndex(records, CFG)
    _add(index, Article("a", story, ""), 0)
    snapshot = copy.deepcopy(records["a"])
    held = records["a"]
    _add(index, Article("b", story, ""), 1)
    _add(index, Article("a", story, ""), 2)
    assert held == snapshot


# -- seeds -------------------------------------------------------------------------------


def _seeds() -> list[Article]:
    seeds = load_seeds(DEFAULT_SEEDS)
    if len(seeds) < 2:
        pytest.skip(f"seeds not found in {DEFAULT_SEEDS}")
    return seeds


def test_no_seed_is_a_duplicate_of_another() -> None:
    index = DedupIndex({}, CFG)
    for i, s in enumerate(_seeds()):
        assert _add(index, s, i) is None, s.id


def test_each_seed_with_new_headline_and_trailer_is_caught() -> None:
    seeds = _seeds()
    index = DedupIndex({}, CFG)
    for i, s in enumerate(seeds):
        _add(index, s, i)
    for s in seeds:
        new = "Exclusive: leaders talk for ninety minutes"
        lines = [new if line.strip() == s.title else line for line in s.text.split("\n")]
        text = "\n".join(lines) + "\n(Reporting by Jane Doe; Editing by Tom Hals)\n© 2025 Reuters"
        v = index.check(f"copy-{s.id}", fingerprint(Article(f"copy-{s.id}", text, new)))
        assert v is not None and v.duplicate_of == s.id, s.id


def test_each_seed_truncated_to_60_percent_is_caught() -> None:
    seeds = _seeds()
    index = DedupIndex({}, CFG)
    for i, s in enumerate(seeds):
        _add(index, s, i)
    for s in seeds:
        art = Article(f"brief-{s.id}", _truncate(s.text, 0.6), s.title)
        v = index.check(art.id, fingerprint(art))
        assert v is not None and v.duplicate_of == s.id and v.method == "near", s.id


def test_seed_dir_exists() -> None:
    assert Path(DEFAULT_SEEDS).is_dir()


def test_fingerprints_of_another_version_are_never_compared() -> None:
    """After a change of shingling or of rensa's algorithm, old records are not matched."""
    story = _story(_VOCAB_A[:160])
    fp = fingerprint(Article("a", story, ""))
    old = Fingerprint(fp.content_hash, fp.minhash, fp.sketch, fp.n_shingles, version="s3k64p64r1")
    records: dict[str, Any] = {}
    index = DedupIndex(records, CFG)
    index.add("a", old, 0, None)
    assert index.check("b", fp) is None
    assert len(DedupIndex(records, CFG)) == 1  # still stored, so still expired in time
    other = DedupIndex({}, DedupConfig(num_perm=128, bands=64))
    other.add("a", fingerprint(Article("a", story, ""), num_perm=128), 0, None)
    assert other.check("b", fp) is None
    assert other.check("b", fingerprint(Article("b", story, ""), num_perm=128)) is not None


def test_fingerprint_cost_is_linear_on_hostile_input() -> None:
    """Per byte, hostile text costs no more than a few times a real article (a ratio, not a clock)."""
    import time

    def per_byte(art: Article) -> float:
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            fingerprint(art)
            best = min(best, time.perf_counter() - t0)
        return best / max(1, len(art.text))

    normal = per_byte(Article("n", _story(_VOCAB_A * 3), "A headline"))
    hostile = [
        " ".join(f"the minister said {ch * 100_000} on monday {i}." for i, ch in enumerate("aZ9x-é.0,_")),
        "a" * 200_000 + " (reuters) - " + "b " * 1000,
        ("ab " * 100_000) + "(ap) - x",
        ".,;:!?()[]{}-\u2014\"'1234567890" * 20_000,
        "word. " * 100_000,
    ]
    for text in hostile:
        assert per_byte(Article("h", text, "")) < 10 * normal, text[:30]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["add", "add", "add", "remove"]),
            st.integers(0, 12),
            st.lists(st.integers(0, 6), min_size=1, max_size=4),
        ),
        max_size=60,
    ),
    st.lists(st.integers(0, 6), min_size=1, max_size=4),
    st.integers(1, 4),
    st.booleans(),
)
def test_packed_band_index_answers_like_a_dict_of_postings(
    ops: list[tuple[str, int, list[int]]], query: list[int], max_posting: int, wide: bool
) -> None:
    """Merges, removals, compaction and folded wide keys never change an answer."""
    from worker.core.dedup import _BandIndex

    index = _BandIndex()
    index.MERGE_AT, index.COMPACT_MIN = 5, 2  # exercise merges and compaction often
    offset = (1 << 70) if wide else (1 << 32)  # wide keys are folded by a hash
    postings: dict[str, list[int]] = {}
    for op, n, bands in ops:
        aid = f"a{n}"
        if op == "add":
            index.add(aid, [offset + b for b in sorted(set(bands))])
            postings[aid] = sorted(set(bands))
        else:
            index.remove(aid)
            postings.pop(aid, None)
    expected: set[str] = set()
    for band in set(query):
        ids = {aid for aid, bands in postings.items() if band in bands}
        if len(ids) <= max_posting:
            expected |= ids
    assert index.lookup([offset + b for b in sorted(set(query))], max_posting) == expected
