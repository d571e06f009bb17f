"""Merges, the contradiction penalty and bounded expiry of ``worker/core/events.py``."""

from __future__ import annotations

import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_events import QUAKE_A, QUAKE_B, article_st, derived, run, snapshot
from worker.core.events import RESERVED_PREFIX, EventConfig, EventIndex, event_features, event_id_for
from worker.core.model import Article

# A strict join threshold splits one story over two events (qa1, qa3 score ~0.65
# against each other); an article that reports both halves then joins them.
SPLIT = EventConfig(threshold=0.7, merge_threshold=0.7)
BRIDGE = Article(id="qa-bridge", title=QUAKE_A[0].title, text=QUAKE_A[0].text + "\n" + QUAKE_A[2].text)
STREAM = [QUAKE_A[0], QUAKE_B[0], QUAKE_A[2], BRIDGE, QUAKE_B[1]]


def test_bridging_article_merges_the_newer_event_into_the_older() -> None:
    index, out = run(STREAM, SPLIT)
    older, newer = event_id_for("qa1"), event_id_for("qa3")
    assert out[2].created and out[2].event_id == newer  # the split happened
    assert out[3].event_id == older and not out[3].created and out[3].merged == (newer,)
    assert newer not in index.events and index.resolve(newer) == older
    assert index.event_of("qa3") == older and index.event_of("qa-bridge") == older
    record = index.events[older]
    assert record["n"] == 3 and sorted(record["members"]) == ["qa-bridge", "qa1", "qa3"]
    assert record["absorbed"] == [[newer, "qa-bridge"]]
    # The look-alike (Van, Turkey) stays apart through the merge.
    assert index.event_of("qb1") == event_id_for("qb1") != older
    assert all(not o.merged for i, o in enumerate(out) if i != 3)


def test_merges_are_off_when_merge_threshold_is_zero() -> None:
    _, out = run(STREAM, EventConfig(threshold=0.7, merge_threshold=0.0))
    assert not any(o.merged for o in out)
    assert out[3].event_id in {event_id_for("qa1"), event_id_for("qa3")}


def test_redelivered_trigger_returns_the_same_assignment_and_changes_nothing() -> None:
    index, out = run(STREAM, SPLIT)
    before, caches = snapshot(index.events), derived(index)
    assert index.assign("qa-bridge", event_features(BRIDGE), 99) == out[3]
    # An absorbed event's member now answers with the survivor.
    again = index.assign("qa3", event_features(QUAKE_A[2]), 98)
    assert again.event_id == event_id_for("qa1") and not again.merged
    assert snapshot(index.events) == before and derived(index) == caches


def test_rebuild_after_a_merge_reproduces_aliases_and_decisions() -> None:
    live, _ = run(STREAM[:4], SPLIT)
    restored = EventIndex(json.loads(snapshot(live.events)), SPLIT)
    assert derived(restored) == derived(live)
    assert restored.resolve(event_id_for("qa3")) == event_id_for("qa1")
    for seq, art in enumerate([QUAKE_B[1], QUAKE_B[2], QUAKE_A[1]], start=4):
        feats = event_features(art)
        assert live.assign(art.id, feats, seq) == restored.assign(art.id, feats, seq)
    assert snapshot(live.events) == snapshot(restored.events)


def test_contradiction_penalises_a_different_person_in_the_same_story() -> None:
    """Same words, same team, different player: the penalty lowers the score."""
    text = (
        "The New Orleans Saints placed running back {p} on injured reserve on Wednesday, ending "
        "his season. Coach Sean Payton said {s} hurt his knee against the Falcons. {s} had "
        "been the team's leading rusher."
    )
    a = Article(
        id="a",
        title="Saints place Reggie Bush on injured reserve",
        text=text.format(p="Reggie Bush", s="Bush"),
    )
    b = Article(
        id="b",
        title="Saints place Pierre Thomas on injured reserve",
        text=text.format(p="Pierre Thomas", s="Thomas"),
    )
    scores = {}
    for weight in (0.0, 0.05):
        _, out = run([a, b], EventConfig(threshold=0.01, entity_gate=0.0, contradiction=weight))
        scores[weight] = out[1].score
    assert 0.0 < scores[0.05] < scores[0.0] * 0.9
    # A follow-up naming the same player is not penalised.
    c = Article(id="c", title="Reggie Bush out for the season", text=text.format(p="Reggie Bush", s="Bush"))
    plain = run([a, c], EventConfig(threshold=0.01, entity_gate=0.0))[1][1].score
    penalised = run([a, c], EventConfig(threshold=0.01, entity_gate=0.0, contradiction=0.05))[1][1].score
    assert penalised == plain


# -- expiry ------------------------------------------------------------------------------


def brute_force_expired(index: EventIndex, seq: int, time: float | None) -> list[str]:
    """The definition of expiry, by scanning every record (the index must agree)."""
    cfg = index.config
    doomed, alive = set(), []
    for event_id, record in index.events.items():
        if event_id.startswith(RESERVED_PREFIX):
            continue
        t1 = record.get("t1")
        if time is not None and t1 is not None:
            idle = time - float(t1) > cfg.ttl_seconds
        else:
            idle = seq - int(record["last_seq"]) > cfg.max_idle_articles
        if idle:
            doomed.add(event_id)
        else:
            alive.append((int(record["last_seq"]), event_id))
    alive.sort()
    doomed.update(e for _, e in alive[: max(0, len(alive) - cfg.max_events)])
    return sorted(doomed)


@settings(max_examples=30, deadline=None)
@given(st.lists(article_st, min_size=2, max_size=14), st.integers(0, 2**16), st.booleans())
def test_property_expire_matches_the_brute_force_definition(
    articles: list[Article], seed: int, dated: bool
) -> None:
    rng = random.Random(seed)
    day = 86_400.0
    config = EventConfig(max_idle_articles=3, max_events=4, ttl_seconds=2 * day)
    live = EventIndex({}, config)
    unique = list({a.id: a for a in articles}.values())
    now = 1_700_000_000.0
    for seq, art in enumerate(unique):
        # Out-of-order publication times, some articles undated.
        when = now + rng.uniform(-1, 3) * day if dated and rng.random() < 0.8 else None
        published = None if when is None else f"{when}"
        feats = event_features(art)
        feats = type(feats)(keys=feats.keys, time=when) if published else feats
        live.assign(art.id, feats, seq)
        now += 0.5 * day
        probe_time = now if dated else None
        expected = brute_force_expired(live, seq, probe_time)
        assert live.expire(seq, probe_time) == expected
        assert not set(expected) & set(live.events)
    assert derived(live) == derived(EventIndex(json.loads(snapshot(live.events)), config))


def test_expiry_heap_stays_bounded_under_many_rewrites() -> None:
    day = 86_400.0
    index = EventIndex({}, EventConfig(ttl_seconds=day, prior_docs=1e9))  # IDF stays high
    base = event_features(QUAKE_A[0])
    # Copies of one story: mostly rewrites of the same few records (one heap push each).
    for seq in range(300):
        index.assign(f"a{seq}", type(base)(keys=base.keys, time=1_700_000_000.0 + seq), seq)
        assert len(index._by_time) <= 2 * len(index.events) + 64 + 1
    assert len(index.events) == 1 and index.events[event_id_for("a0")]["n"] == 300
