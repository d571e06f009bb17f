"""Event splits: an event that turns out to hold two happenings is split in two, the
moved articles' claims follow them, and the outputs do not depend on delivery order.

A loose configuration lumps the Van earthquake into the Lorca one (``qb1`` joins the
event ``qa1`` founded, and its toll, magnitude and date contradict Lorca's); when
``qb2`` arrives the event's members fall into two groups, and the Van group leaves for
a new event.  The Kafka path is simulated as in ``test_merges.py``: ``reconcile``
driven over per-event FIFO queues, with the correlator's sends, the agents' turns and
crashes interleaved at random.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest

from tests.unit.test_events import QUAKE_A, QUAKE_B
from tests.unit.test_merges import article_msg, by_key, first_seen, kafka, routed_batches, run_fifo
from worker.core.events import (
    TEXT_ONLY,
    EventConfig,
    EventIndex,
    event_features,
    event_id_for,
    split_event_id,
    split_groups,
)
from worker.core.model import Article
from worker.core.pipeline import Correlator, Pipeline, ingest
from worker.core.reconcile import BY_EVENT, Output, Routed, reconcile, split_token

ROOT = Path(__file__).resolve().parents[2]

#: Joins anything that shares a word (no entity gate), splits groups whose mean
#: affinity is under 0.1: ``qb1`` joins Lorca's event, ``qb2`` splits it.
SPLITTING = EventConfig(**{**TEXT_ONLY, "threshold": 0.01, "entity_gate": 0.0, "split_threshold": 0.1})
#: Dated alike: undated reports that share no fact would not be compared at all, and the
#: split's resolution of what the lumped event raised is what is tested here.
STREAM = [
    replace(a, published_at="2024-07-08T10:00:00Z")
    for a in (QUAKE_A[0], QUAKE_A[1], QUAKE_B[0], QUAKE_B[1], QUAKE_B[2], QUAKE_A[2])
]
SOURCE = event_id_for("qa1")
TARGET = split_event_id(SOURCE, "qb1")


def replay(articles: Sequence[Article], config: EventConfig = SPLITTING) -> tuple[list[Output], Pipeline]:
    pipeline = Pipeline(event_config=config)
    outputs = [o for a in articles for o in pipeline.process(a)]
    return outputs, pipeline


def schema(name: str) -> dict[str, Any]:
    return orjson.loads((ROOT / "schemas" / f"{name}.schema.json").read_bytes())  # type: ignore[no-any-return]


# -- the decision --------------------------------------------------------------------------


def test_split_groups_moves_the_group_without_the_founder() -> None:
    hi, lo = 0.5, 0.02
    # 0, 1, 3 report one happening; 2 and 4 another.
    affinity = [
        [1, hi, lo, hi, lo],
        [hi, 1, lo, hi, lo],
        [lo, lo, 1, lo, hi],
        [hi, hi, lo, 1, lo],
        [lo, lo, hi, lo, 1],
    ]
    assert split_groups(affinity, 0.1, 2) == [2, 4]
    assert split_groups(affinity, 0.0, 2) is None  # off
    assert split_groups(affinity, 0.1, 3) is None  # too few to found an event on
    assert split_groups(affinity, 0.01, 2) is None  # everything reaches the threshold


def test_split_groups_leaves_a_lone_outlier_and_breaks_ties_by_order() -> None:
    lone = [[1, 0.5, 0.0], [0.5, 1, 0.0], [0.0, 0.0, 1]]
    assert split_groups(lone, 0.1, 2) is None
    assert split_groups(lone, 0.1, 1) == [2]
    # Two groups of two away from the founder, equally large: the earlier one moves.
    two = [
        [1, 0, 0, 0, 0],
        [0, 1, 0.5, 0, 0],
        [0, 0.5, 1, 0, 0],
        [0, 0, 0, 1, 0.5],
        [0, 0, 0, 0.5, 1],
    ]
    assert split_groups(two, 0.1, 2) == [1, 2]


def test_index_split_is_deterministic_and_survives_a_rebuild() -> None:
    def run(articles: Sequence[Article], index: EventIndex, start: int = 0) -> list[Any]:
        return [index.assign(a.id, event_features(a), start + seq) for seq, a in enumerate(articles)]

    index = EventIndex({}, SPLITTING)
    first = run(STREAM, index)
    assert [a.split for a in first if a.split] == [first[3].split]
    split = first[3].split
    assert split is not None
    assert (split.source, split.target, split.moved) == (SOURCE, TARGET, ("qb1",))
    assert [a.event_id for a in first] == [SOURCE, SOURCE, SOURCE, TARGET, TARGET, SOURCE]
    assert index.events[SOURCE]["members"] == ["qa1", "qa2", "qa3"]
    assert index.events[TARGET]["members"] == ["qb1", "qb2", "qb3"]
    assert index.events[TARGET]["origin"] == [SOURCE, "qb2", ["qb1"], [split.scores[0]]]
    assert index.events[SOURCE]["splits"] == [[TARGET, "qb2", ["qb1"], [split.scores[0]]]]
    assert (index.event_of("qb1"), index.event_of("qa2")) == (TARGET, SOURCE)
    # The same order again gives the same records; a redelivered trigger gets its
    # assignment (split included) back and changes nothing.
    again = EventIndex({}, SPLITTING)
    assert run(STREAM, again) == first and dict(again.events) == dict(index.events)
    before = orjson.dumps(dict(index.events))
    assert index.assign("qb2", event_features(QUAKE_B[1]), 3) == first[3]
    assert orjson.dumps(dict(index.events)) == before
    # A rebuild from the records after the split decides the rest as the live index did.
    live = EventIndex({}, SPLITTING)
    run(STREAM[:4], live)
    rebuilt = EventIndex(dict(live.events), SPLITTING)
    assert run(STREAM[4:], rebuilt, 4) == run(STREAM[4:], live, 4) == first[4:]


def test_splits_are_on_by_default_and_when_off_add_nothing_to_the_records() -> None:
    assert EventConfig().split_threshold == 0.1
    index = EventIndex({}, EventConfig(**{**TEXT_ONLY, "threshold": SPLITTING.threshold, "entity_gate": 0.0}))
    for seq, a in enumerate(STREAM):
        assert index.assign(a.id, event_features(a), seq).split is None
    assert not any("ms" in r or "splits" in r for k, r in index.events.items() if not k.startswith("__"))


# -- what a split emits and moves -----------------------------------------------------------


def test_a_split_names_both_events_and_re_emits_the_moved_assignments() -> None:
    outputs, pipeline = replay(STREAM)
    schemas = {"updates": schema("update"), "contradictions": schema("contradiction")}
    for out in outputs:
        jsonschema.validate({**out.value, "emitted_at": "2026-12-04T00:00:00Z"}, schemas[out.topic])
    splits = [o.value for o in outputs if o.value["type"] == "event_split"]
    assert [(s["event_id"], s["new_event_id"], s["article_ids"]) for s in splits] == [
        (SOURCE, TARGET, ["qb1"])
    ]
    assigned = [
        (o.value["article_id"], o.value["event_id"]) for o in outputs if o.value["type"] == "article_assigned"
    ]
    assert assigned == [
        ("qa1", SOURCE),
        ("qa2", SOURCE),
        ("qb1", SOURCE),
        ("qb1", TARGET),  # re-emitted: it moved
        ("qb2", TARGET),  # the article whose arrival split the event
        ("qb3", TARGET),
        ("qa3", SOURCE),
    ]
    assert list(pipeline.event_claims[SOURCE]["articles"]) == ["qa1", "qa2", "qa3"]
    assert list(pipeline.event_claims[TARGET]["articles"]) == ["qb1", "qb2", "qb3"]
    assert pipeline.event_claims[TARGET]["absorbed"] == [split_token(SOURCE)]
    assert pipeline.event_claims[SOURCE]["handed"] == [TARGET]
    assert pipeline.articles["qb1"]["e"] == TARGET
    # Nothing is said of a moved article under the old id after the split.
    at = next(i for i, o in enumerate(outputs) if o.value["type"] == "event_split")
    assert not any(
        o.value.get("event_id") == SOURCE and "qb" in str(o.value.get("article_id", "")) for o in outputs[at:]
    )


def test_contradictions_across_the_two_happenings_are_resolved_by_the_split() -> None:
    outputs, pipeline = replay(STREAM)

    def articles_of(value: dict[str, Any]) -> set[str]:
        return {c["article_id"] for c in value["claims"]}

    across = [
        o.value
        for o in outputs
        if o.topic == "contradictions" and o.key == SOURCE and articles_of(o.value) & {"qb1"}
    ]
    assert across and all(articles_of(v) & {"qa1", "qa2"} for v in across)
    resolved = [o.value for o in outputs if o.value["type"] == "contradiction_resolved"]
    assert sorted(r["contradiction_id"] for r in resolved) == sorted(v["id"] for v in across)
    assert all(r["reason"] == "split" and r["new_event_id"] == TARGET for r in resolved)
    state = pipeline.event_claims[SOURCE]
    assert all(
        k["status"] == "resolved"
        for cid, k in state["contradictions"].items()
        if cid in {v["id"] for v in across}
    )
    # Under the new event only the Van reports are compared with each other.
    for value in (o.value for o in outputs if o.topic == "contradictions" and o.key == TARGET):
        assert articles_of(value) <= {"qb1", "qb2", "qb3"}


def test_split_messages_fit_the_routed_schema() -> None:
    routed_schema = schema("routed")
    _, batches = routed_batches(STREAM, SPLITTING)
    msgs = [m for b in batches for m in b]
    ops = [(m.op, m.event_id) for m in msgs]
    at = ops.index(("split_out", SOURCE))
    assert ops[at : at + 3] == [("split_out", SOURCE), ("split", TARGET), ("article", TARGET)]
    assert msgs[at].moved == ("qb1",) and msgs[at].into == TARGET
    assert msgs[at + 1].await_merge == (split_token(SOURCE),)
    state: dict[str, Any] = {}
    queue = deque(msgs)
    while queue:
        msg = queue.popleft()
        jsonschema.validate(orjson.loads(orjson.dumps(msg.to_json())), routed_schema)
        assert Routed.from_json(orjson.loads(orjson.dumps(msg.to_json()))) == msg
        new, outs = reconcile(state.get(msg.event_id), msg)
        queue.extend(Routed.from_json(o.value) for o in outs if o.topic == BY_EVENT)
        state[msg.event_id] = new or {}


# -- order independence, redelivery, crashes ------------------------------------------------


def expected() -> tuple[dict[str, list[str]], dict[str, Any]]:
    outputs, pipeline = replay(STREAM)
    correlated, _ = routed_batches(STREAM, SPLITTING)
    return by_key([o for o in outputs if o not in correlated]), pipeline.event_claims


def test_outputs_are_the_same_whether_the_hand_over_arrives_early_or_late() -> None:
    want, want_state = expected()
    _, batches = routed_batches(STREAM, SPLITTING)
    trigger = next(i for i, b in enumerate(batches) if any(m.op == "split_out" for m in b))
    for early in (False, True):
        state: dict[str, Any] = {}
        outputs: list[Output] = []

        def step(msg: Routed, state: dict[str, Any] = state) -> list[Output]:
            new, more = reconcile(state.get(msg.event_id), msg)
            if new is None:
                state.pop(msg.event_id, None)
            else:
                state[msg.event_id] = new
            return more

        for i, batch in enumerate(batches):
            queue = deque(batch)
            if i == trigger:
                split_out = queue.popleft()
                more = step(split_out)
                outputs += [o for o in more if o.topic != BY_EVENT]
                (hand_over,) = [Routed.from_json(o.value) for o in more if o.topic == BY_EVENT]
                if early:  # the hand-over reaches the new event before anything else does
                    assert TARGET not in state
                    assert step(hand_over) == [] and state[TARGET]["inbox"]
                else:
                    queue.append(hand_over)
            while queue:
                msg = queue.popleft()
                more = step(msg)
                if msg.op == "split" and not early:
                    assert state[TARGET]["pending"] and not more  # held until the hand-over
                queue.extend(Routed.from_json(o.value) for o in more if o.topic == BY_EVENT)
                outputs += [o for o in more if o.topic != BY_EVENT]
        assert by_key(outputs) == want, early
        assert state == want_state, early


@pytest.mark.parametrize("seed", range(12))
def test_random_interleavings_and_crashes_give_replays_ids(seed: int) -> None:
    want, want_state = expected()
    _, batches = routed_batches(STREAM, SPLITTING)
    for crash in (0.0, 0.3):
        outputs, state = kafka(batches, seed, crash)
        assert {k: first_seen(v) for k, v in by_key(outputs).items()} == want, crash
        assert state == want_state, crash


def test_redelivered_split_messages_change_nothing() -> None:
    _, batches = routed_batches(STREAM, SPLITTING)
    msgs = [m for b in batches for m in b]
    at = next(i for i, m in enumerate(msgs) if m.op == "split_out")
    state: dict[str, Any] = {}
    for msg in msgs[:at]:
        state[msg.event_id] = reconcile(state.get(msg.event_id), msg)[0] or {}
    split_out, split = msgs[at], msgs[at + 1]
    old = state[SOURCE]
    new, outs = reconcile(old, split_out)
    # Re-run on the old state (a crash before the state write): the same outputs.
    assert reconcile(old, split_out) == (new, outs)
    assert new is not None
    # Redelivered after the state write: nothing more is handed over.
    assert reconcile(new, split_out) == (new, [])
    (hand_over,) = [Routed.from_json(o.value) for o in outs if o.topic == BY_EVENT]
    target, _ = reconcile(None, split)
    target, released = reconcile(target, hand_over)
    assert target is not None and "pending" not in target
    # qb1's claims, folded in under the new event; what was said of them under the
    # source is not said again (a consumer moves it with the article).
    assert list(target["articles"]) == ["qb1"] and target["slots"]
    assert released == []
    done = dict(target)
    for again in (hand_over, split, hand_over):
        assert reconcile(done, again) == (done, [])


# -- the global stage ----------------------------------------------------------------------


def correlated(articles: Sequence[Article]) -> tuple[Correlator, dict[str, Any]]:
    stores: dict[str, Any] = {"articles": {}, "fingerprints": {}, "events": {}}
    correlator = Correlator(
        stores["articles"], stores["fingerprints"], stores["events"], event_config=SPLITTING
    )
    for article in articles:
        correlator.process(ingest(article))
        correlator.commit()
    return correlator, stores


def test_a_half_applied_split_is_finished_with_the_same_messages() -> None:
    """A crash after the events table took the split, before the articles table did."""
    clean, _ = correlated(STREAM[:3])
    want = clean.process(ingest(STREAM[3]))
    correlator, stores = correlated(STREAM[:3])
    first = correlator.process(ingest(STREAM[3]))
    correlator._events.commit()  # only this table's writes reached its changelog
    correlator = Correlator(
        stores["articles"], stores["fingerprints"], stores["events"], event_config=SPLITTING
    )
    again = correlator.process(ingest(STREAM[3]))
    assert first.routed == want.routed == again.routed
    assert [o.value["id"] for o in again.outputs] == [o.value["id"] for o in want.outputs]
    assert [o.value["type"] for o in again.outputs] == [
        "event_split",
        "article_assigned",
        "article_assigned",
    ]
    correlator.commit()
    assert stores["articles"]["qb1"]["e"] == TARGET
    # Fully applied now: a redelivery is a no-op.
    assert correlator.process(ingest(STREAM[3])).outputs == []


def test_revisions_and_copies_of_a_moved_article_go_to_the_new_event() -> None:
    correlator, _ = correlated(STREAM)
    moved = QUAKE_B[0]
    revised = Article(id=moved.id, title=moved.title, text=moved.text.replace("twelve", "thirteen"))
    result = correlator.process(ingest(revised))
    correlator.commit()
    assert [(o.value["type"], o.value["event_id"]) for o in result.outputs] == [("article_revised", TARGET)]
    assert [(m.op, m.event_id) for m in result.routed] == [("revision", TARGET)]
    copy = Article(id="qb1-copy", title=moved.title, text=moved.text, source="Copycat")
    result = correlator.process(ingest(copy))
    assert [(o.value["type"], o.value.get("event_id")) for o in result.outputs] == [("duplicate", TARGET)]


@pytest.mark.parametrize("seed", range(8))
def test_split_of_an_event_still_waiting_for_a_merge(seed: int) -> None:
    """B is merged into C; before B's claims reach C, C splits B's article off into N."""
    c, b, n = "ev-c", "ev-b", "ev-n"
    batches = [
        [article_msg("c1", c, "The fire killed 4 people.", "Reuters")],
        [article_msg("b1", b, "The fire killed 9 people.", "AP")],
        [Routed("merge_out", b, into=c), article_msg("x", c, "The fire killed 4 people.", "BBC", (b,))],
        [
            Routed("split_out", c, into=n, moved=("b1",)),
            Routed("split", n, await_merge=(split_token(c),)),
            article_msg("y", n, "The fire killed 9 people, police said.", "CNN"),
        ],
        [article_msg("z", c, "The fire killed 5 people.", "NPR")],
    ]
    fifo, fifo_state = run_fifo(batches)
    outputs, state = kafka(batches, seed, crash=0.25)
    assert {k: first_seen(v) for k, v in by_key(outputs).items()} == by_key(fifo)
    assert state == fifo_state
    assert list(state[c]["articles"]) == ["c1", "x", "z"] and list(state[n]["articles"]) == ["b1", "y"]
    # b1's 9 against c1's 4 was raised under C when B was folded in, and resolved by the split.
    raised = [o.value for o in fifo if o.topic == "contradictions"]
    assert [(v["event_id"], sorted(x["article_id"] for x in v["claims"])) for v in raised] == [
        (c, ["b1", "c1"]),  # x joins c1's side (contradiction_extended)
        (c, ["c1", "x", "z"]),
    ]
    resolved = [o.value for o in fifo if o.value["type"] == "contradiction_resolved"]
    assert [(r["contradiction_id"], r["reason"]) for r in resolved] == [(raised[0]["id"], "split")]
    # y corroborates b1 under N.
    assert any(o.value["type"] == "claim_corroborated" and o.key == n for o in fifo)


@pytest.mark.parametrize("seed", range(8))
def test_a_disagreement_among_the_moved_articles_leaves_with_them_under_its_id(seed: int) -> None:
    """One disagreement, one alert: the split hands it to the new event, which does not
    raise it again, and what resolves it there resolves it under its first id."""
    c, n = "ev-c", "ev-n"
    batches = [
        [article_msg("c1", c, "The fire killed 4 people.", "Reuters")],
        [article_msg("m1", c, "The blast injured 20 people.", "AP")],
        [article_msg("m2", c, "The blast injured 25 people.", "AFP")],
        [
            Routed("split_out", c, into=n, moved=("m1", "m2")),
            Routed("split", n, await_merge=(split_token(c),)),
            article_msg("y", n, "The blast injured 25 people, police said.", "CNN"),
        ],
        [article_msg("z", c, "The fire killed 4 people.", "NPR")],
    ]
    fifo, fifo_state = run_fifo(batches)
    outputs, state = kafka(batches, seed, crash=0.25)
    assert {k: first_seen(v) for k, v in by_key(outputs).items()} == by_key(fifo)
    assert state == fifo_state
    assert list(state[n]["articles"]) == ["m1", "m2", "y"]
    raised = [o.value for o in fifo if o.topic == "contradictions"]
    assert [(v["event_id"], sorted(x["article_id"] for x in v["claims"])) for v in raised] == [
        (c, ["m1", "m2"])
    ]
    cid = raised[0]["id"]
    assert cid not in state[c]["contradictions"] and state[n]["contradictions"][cid]["status"] == "open"
    assert not any(o.value["type"] == "contradiction_resolved" for o in fifo)
    # CNN repeats AFP's figure under N: it joins that side of the same alert.
    extended = [o.value for o in fifo if o.value["type"] == "contradiction_extended"]
    assert [(e["event_id"], e["contradiction_id"], e["source"]) for e in extended] == [(n, cid, "CNN")]
