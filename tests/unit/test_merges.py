"""Event merges move the absorbed event's claims: the same outputs in any delivery order.

A strict join threshold splits the Lorca earthquake over two events (``qa3`` founds
its own); ``qx`` reports both halves and merges the newer into the older; ``ql``,
later, contradicts a figure only the absorbed half reported.  The Kafka path is
simulated by driving ``reconcile`` directly over per-event FIFO queues, with the
correlator's sends, the agents' turns and crashes interleaved at random.
"""

from __future__ import annotations

import io
import random
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest

from tests.unit.test_events import QUAKE_A, QUAKE_B
from worker.cli import replay as cli_replay
from worker.core.claims import extract_claims
from worker.core.events import TEXT_ONLY, EventConfig, event_id_for
from worker.core.model import Article
from worker.core.pipeline import Correlator, Pipeline, ingest, reconcile_all
from worker.core.reconcile import BY_EVENT, Output, Routed, reconcile

ROOT = Path(__file__).resolve().parents[2]

#: Joins at 0.65: ``qa3`` scores ~0.64 against the first event and founds its own;
#: ``qx`` scores ~0.76 and ~0.70 against the two and merges them.  (``TEXT_ONLY`` also
#: turns off the lead's second chance, which would join ``qa3`` at once.)
MERGING = EventConfig(**{**TEXT_ONLY, "threshold": 0.65, "merge_threshold": 0.65})

A1 = QUAKE_A[0]
B1 = Article(
    id="qa3",
    title=QUAKE_A[2].title,
    text=QUAKE_A[2].text + " The quake injured 300 people.",
    source="El Pais",
)
X = Article(
    id="qx",
    title="Lorca earthquake: rescuers search rubble, nine dead",
    text="Nine people were killed when the magnitude 6.1 earthquake struck Lorca in southern Spain on "
    "May 11, the Murcia regional government said. Rescue teams searched the rubble in Lorca, and mayor "
    "Francisco Jodar said the historic centre of Lorca would be rebuilt.",
    source="Reuters",
)
LATER = Article(
    id="ql",
    title="Lorca earthquake rescue continues in Murcia",
    text="Rescue teams kept searching the rubble of the historic centre in Lorca on Thursday after the "
    "magnitude 6.1 earthquake of May 11, which killed nine people in southern Spain. Mayor Francisco "
    "Jodar said the Murcia government would rebuild. The quake injured 150 people.",
    source="BBC",
)
STREAM = [A1, QUAKE_B[0], B1, X, QUAKE_B[1], LATER]
SURVIVOR, ABSORBED = event_id_for("qa1"), event_id_for("qa3")


def replay(articles: Sequence[Article], config: EventConfig) -> tuple[list[Output], Pipeline]:
    pipeline = Pipeline(event_config=config)
    outputs = [o for a in articles for o in pipeline.process(a)]
    return outputs, pipeline


def routed_batches(
    articles: Sequence[Article], config: EventConfig
) -> tuple[list[Output], list[list[Routed]]]:
    """The global stage's outputs and, per article, what it sends to the per-event topic."""
    correlator = Correlator({}, {}, {}, event_config=config)
    outputs, batches = [], []
    for article in articles:
        result = correlator.process(ingest(article))
        correlator.commit()
        outputs += result.outputs
        batches.append(result.routed)
    return outputs, batches


def by_key(outputs: Sequence[Output]) -> dict[str, list[str]]:
    """Each event's output ids in order (order only holds within one key's partition)."""
    out: dict[str, list[str]] = {}
    for o in outputs:
        assert o.topic != BY_EVENT
        out.setdefault(o.key, []).append(o.value["id"])
    return out


def first_seen(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def kafka(
    batches: list[list[Routed]], seed: int, crash: float = 0.0
) -> tuple[list[Output], dict[str, dict[str, Any]]]:
    """Per-event FIFO queues, as on the keyed topic, with random interleavings.

    Each step either delivers the correlator's next send (its batch goes out in order
    per event; the next article's batch only after the previous one was acked) or
    lets one event's agent process the head of its queue; ``merge_in`` outputs join
    the back of the survivor's queue when produced.  With ``crash``, a step may die
    after sending its outputs and before writing the state (the message is re-run on
    the old state) or after writing it (the message is redelivered).
    """
    rng = random.Random(seed)
    queues: dict[str, deque[Routed]] = {}
    state: dict[str, dict[str, Any]] = {}
    outputs: list[Output] = []
    unsent = deque(batches)
    sending: list[Routed] = []
    while unsent or sending or any(queues.values()):
        busy = [e for e, q in queues.items() if q]
        if (sending or unsent) and (not busy or rng.random() < 0.4):
            if not sending:
                sending = list(unsent.popleft())
            # Sends to different partitions land in any order; one partition's in order.
            heads: dict[str, int] = {}
            for i, msg in enumerate(sending):
                heads.setdefault(msg.event_id, i)
            i = rng.choice(sorted(heads.values()))
            msg = sending.pop(i)
            queues.setdefault(msg.event_id, deque()).append(msg)
            continue
        event = rng.choice(sorted(busy))
        msg = queues[event][0]
        new, more = reconcile(state.get(event), msg)
        for out in more:
            if out.topic == BY_EVENT:
                queues.setdefault(out.key, deque()).append(Routed.from_json(out.value))
            else:
                outputs.append(out)
        roll = rng.random()
        if roll < crash / 2:
            continue  # died before the state write: re-run on the old state
        if new is None:
            state.pop(event, None)
        else:
            state[event] = new
        if roll < crash:
            continue  # died after the state write, before the commit: redelivered
        queues[event].popleft()
    return outputs, state


# -- the merge and what it moves -----------------------------------------------------------


def test_merge_moves_the_absorbed_events_claims_to_the_survivor() -> None:
    outputs, pipeline = replay(STREAM, MERGING)
    merged = [o.value for o in outputs if o.value["type"] == "event_merged"]
    assert [(m["event_id"], m["merged_event_id"]) for m in merged] == [(SURVIVOR, ABSORBED)]
    assert ABSORBED not in pipeline.event_claims
    state = pipeline.event_claims[SURVIVOR]
    assert list(state["articles"]) == ["qa1", "qa3", "qx", "ql"]
    assert state["absorbed"] == [ABSORBED]
    assert "pending" not in state and "inbox" not in state
    # After the merge nothing more is said under the absorbed id.
    at = next(i for i, o in enumerate(outputs) if o.value["type"] == "event_merged")
    assert all(o.value.get("event_id") != ABSORBED for o in outputs[at:])


def test_a_later_article_contradicting_the_absorbed_events_claim_is_raised_on_the_survivor() -> None:
    outputs, _ = replay(STREAM, MERGING)
    found = [
        o.value
        for o in outputs
        if o.topic == "contradictions" and {c["article_id"] for c in o.value["claims"]} == {"qa3", "ql"}
    ]
    assert len(found) == 1
    assert found[0]["event_id"] == SURVIVOR and found[0]["predicate"] == "injured"
    # Without the merge the two stay in different events and nothing is raised.
    unmerged, _ = replay(STREAM, EventConfig(**{**TEXT_ONLY, "threshold": MERGING.threshold}))
    assert not any(o.value["type"] == "event_merged" for o in unmerged)
    assert not any(
        o.topic == "contradictions" and "qa3" in {c["article_id"] for c in o.value["claims"]}
        for o in unmerged
    )


def test_merge_messages_fit_the_routed_schema() -> None:
    schema = orjson.loads((ROOT / "schemas" / "routed.schema.json").read_bytes())
    _, batches = routed_batches(STREAM, MERGING)
    msgs = [m for b in batches for m in b]
    ops = [m.op for m in msgs]
    assert ops.count("merge_out") == 1
    merge_out = next(m for m in msgs if m.op == "merge_out")
    assert (merge_out.event_id, merge_out.into) == (ABSORBED, SURVIVOR)
    trigger = msgs[ops.index("merge_out") + 1]
    assert (trigger.article_id, trigger.event_id, trigger.await_merge) == ("qx", SURVIVOR, (ABSORBED,))
    state: dict[str, Any] = {}
    for msg in msgs:
        jsonschema.validate(orjson.loads(orjson.dumps(msg.to_json())), schema)
        assert Routed.from_json(orjson.loads(orjson.dumps(msg.to_json()))) == msg
        new, outs = reconcile(state.get(msg.event_id), msg)
        for out in outs:
            if out.topic == BY_EVENT:
                jsonschema.validate(orjson.loads(orjson.dumps(out.value)), schema)
                assert out.key == SURVIVOR and out.value["op"] == "merge_in"
        state[msg.event_id] = new or {}


# -- order independence and redelivery -------------------------------------------------


def test_outputs_are_the_same_whether_merge_in_arrives_early_or_late() -> None:
    expected, pipeline = replay(STREAM, MERGING)
    correlated, batches = routed_batches(STREAM, MERGING)
    trigger = next(i for i, b in enumerate(batches) if any(m.op == "merge_out" for m in b))
    for early in (False, True):
        state: dict[str, Any] = {}
        outputs: list[Output] = []
        for i, batch in enumerate(batches):
            queue = deque(batch)
            if early and i == trigger:
                # B's agent runs first and its merge_in reaches A's partition before X.
                queue = deque(sorted(batch, key=lambda m: m.op != "merge_out"))
                out_msg = queue.popleft()
                new, more = reconcile(state.get(out_msg.event_id), out_msg)
                assert new is None and [o.topic for o in more] == [BY_EVENT]
                state.pop(out_msg.event_id, None)
                queue.appendleft(Routed.from_json(more[0].value))
            while queue:
                msg = queue.popleft()
                new, more = reconcile(state.get(msg.event_id), msg)
                if msg.op == "article" and msg.await_merge and not early:
                    assert new is not None and new["pending"] and not more  # held until B arrives
                queue.extend(Routed.from_json(o.value) for o in more if o.topic == BY_EVENT)
                outputs += [o for o in more if o.topic != BY_EVENT]
                if new is None:
                    state.pop(msg.event_id, None)
                else:
                    state[msg.event_id] = new
        assert by_key(outputs) == by_key([o for o in expected if o not in correlated]), early
        assert state == pipeline.event_claims, early


@pytest.mark.parametrize("seed", range(12))
def test_random_interleavings_and_crashes_give_replays_ids(seed: int) -> None:
    expected, pipeline = replay(STREAM, MERGING)
    correlated, batches = routed_batches(STREAM, MERGING)
    want = by_key([o for o in expected if o not in correlated])
    for crash in (0.0, 0.3):
        outputs, state = kafka(batches, seed, crash)
        got = {k: first_seen(v) for k, v in by_key(outputs).items()}
        assert got == want, crash
        assert state == pipeline.event_claims, crash


def test_redelivered_merge_messages_and_held_articles_change_nothing() -> None:
    expected, pipeline = replay(STREAM, MERGING)
    correlated, batches = routed_batches(STREAM, MERGING)
    msgs = [m for b in batches for m in b]
    state: dict[str, Any] = {}
    outputs: list[Output] = []

    def step(msg: Routed) -> list[Output]:
        new, more = reconcile(state.get(msg.event_id), msg)
        if new is None:
            state.pop(msg.event_id, None)
        else:
            state[msg.event_id] = new
        return more

    trigger = next(i for i, m in enumerate(msgs) if m.op == "merge_out")
    for msg in msgs[:trigger]:
        outputs += step(msg)
    merge_out, article = msgs[trigger], msgs[trigger + 1]
    (merge_in,) = [Routed.from_json(o.value) for o in step(merge_out)]
    empty = Routed("merge_in", SURVIVOR, merged_event_id=ABSORBED)
    # Redelivered on the deleted state: an empty merge_in, later in A's partition.
    assert step(merge_out) == [Output(BY_EVENT, SURVIVOR, empty.to_json())]
    assert step(article) == []
    held = dict(state[SURVIVOR])
    assert held["pending"] == [article.to_json()]
    assert step(article) == [] and state[SURVIVOR] == held  # a held article redelivered
    released = step(merge_in)
    assert released and "pending" not in state[SURVIVOR]
    outputs += released
    done = dict(state[SURVIVOR])
    for again in (merge_in, empty, article, merge_in):
        assert step(again) == [] and state[SURVIVOR] == done
    for msg in msgs[trigger + 2 :]:
        outputs += step(msg)
    assert by_key(outputs) == by_key([o for o in expected if o not in correlated])
    assert state == pipeline.event_claims
    # A merge_in reaching an event that is gone (absorbed or expired since) is dropped.
    assert reconcile(None, merge_in) == (None, [])


def test_two_events_absorbed_at_once_are_folded_in_the_correlators_order() -> None:
    """merge_ins from two absorbed events arrive in any order; the fold order is fixed."""
    survivor, b, c = "ev-s", "ev-b", "ev-c"
    founders = [
        article_msg("s1", survivor, "The blast killed nine people.", "Reuters"),
        article_msg("b1", b, "The blast killed ten people.", "AP"),
        article_msg("c1", c, "The blast killed eleven people.", "AFP"),
    ]
    trigger = article_msg("x", survivor, "The blast killed nine people.", "BBC", await_merge=(b, c))
    states = {m.event_id: reconcile(None, m)[0] for m in founders}
    ins = {}
    for e in (b, c):
        _, (out,) = reconcile(states[e], Routed("merge_out", e, into=survivor))
        ins[e] = Routed.from_json(out.value)
    results = []
    for order in ([ins[b], ins[c], trigger], [ins[c], trigger, ins[b]], [trigger, ins[c], ins[b]]):
        state, ids = states[survivor], []
        for msg in order:
            state, more = reconcile(state, msg)
            ids += [(o.value["type"], o.value["id"]) for o in more]
        results.append((ids, state))
    assert results[0] == results[1] == results[2]
    ids, final = results[0]
    assert final is not None and final["absorbed"] == [b, c]
    assert list(final["articles"]) == ["s1", "b1", "c1", "x"]
    # b1 contradicts s1; c1 contradicts both (they disagree: two); x joins s1's side twice.
    assert [t for t, _ in ids] == ["contradiction"] * 3 + ["contradiction_extended"] * 2


def article_msg(aid: str, event: str, text: str, source: str, await_merge: tuple[str, ...] = ()) -> Routed:
    """An article message of one day (dated reports are compared without other shared facts)."""
    return Routed(
        op="article",
        event_id=event,
        article_id=aid,
        source=source,
        published_at="2024-07-08T10:00:00Z",
        content_hash=f"h-{aid}",
        claims=tuple(extract_claims(Article(id=aid, text=text))),
        await_merge=await_merge,
    )


@pytest.mark.parametrize("seed", range(8))
def test_nested_merge_while_the_absorbed_survivor_still_waits(seed: int) -> None:
    """B is merged into A, then A (still waiting for B) into the older C."""
    a, b, c = "ev-a", "ev-b", "ev-c"
    batches = [
        [article_msg("c1", c, "The fire injured 12 people.", "Reuters")],
        [article_msg("a1", a, "The fire killed 4 people.", "AP")],
        [article_msg("b1", b, "The fire injured 15 people.", "AFP")],
        [Routed("merge_out", b, into=a), article_msg("x", a, "The fire killed 4 people.", "BBC", (b,))],
        [Routed("merge_out", a, into=c), article_msg("y", c, "The fire killed 4 people.", "CNN", (a,))],
        [article_msg("z", c, "The fire injured 15 people, officials said.", "NPR")],
    ]
    # In order (as replay runs it) and B's merge_in delayed behind everything else.
    fifo, fifo_state = run_fifo(batches)
    outputs, state = kafka(batches, seed, crash=0.25)
    assert {k: first_seen(v) for k, v in by_key(outputs).items()} == by_key(fifo)
    assert state == fifo_state and set(state) == {c}
    final = state[c]
    assert list(final["articles"]) == ["c1", "a1", "b1", "x", "y", "z"]
    assert final["absorbed"] == [a] and "pending" not in final
    contradictions = [o.value for o in fifo if o.topic == "contradictions"]
    # B's 15 injured against C's 12 is raised under C, when A (holding B) is folded in.
    assert [(v["event_id"], sorted(x["article_id"] for x in v["claims"])) for v in contradictions] == [
        (c, ["b1", "c1"])
    ]
    # z repeats B's figure: it joins B's side of that contradiction under C.
    assert any(o.value["type"] == "contradiction_extended" and o.key == c for o in fifo)


def run_fifo(batches: list[list[Routed]]) -> tuple[list[Output], dict[str, Any]]:
    """The replay driver's order: one FIFO queue, merge_in at the back."""
    state: dict[str, Any] = {}
    outputs: list[Output] = []
    for batch in batches:
        outputs += reconcile_all(state, batch)
    return outputs, state


# -- the global stage ----------------------------------------------------------------------


def correlated(articles: Sequence[Article]) -> tuple[Correlator, dict[str, Any]]:
    stores: dict[str, Any] = {"articles": {}, "fingerprints": {}, "events": {}}
    correlator = Correlator(
        stores["articles"], stores["fingerprints"], stores["events"], event_config=MERGING
    )
    for article in articles:
        correlator.process(ingest(article))
        correlator.commit()
    return correlator, stores


def test_a_redelivered_member_of_an_absorbed_event_is_already_applied() -> None:
    correlator, stores = correlated(STREAM)
    before = orjson.dumps(stores)
    result = correlator.process(ingest(B1))
    assert result.outputs == [] and result.routed == []
    correlator.commit()
    assert orjson.dumps(stores) == before


def test_a_half_applied_merge_is_finished_with_the_same_messages() -> None:
    """A crash after the events table took the merge, before the articles table did."""
    clean, _ = correlated(STREAM[:3])
    expected = clean.process(ingest(X))
    correlator, stores = correlated(STREAM[:3])
    first = correlator.process(ingest(X))
    correlator._events.commit()  # only this table's writes reached its changelog
    correlator = Correlator(
        stores["articles"], stores["fingerprints"], stores["events"], event_config=MERGING
    )
    again = correlator.process(ingest(X))
    assert first.routed == expected.routed == again.routed
    assert [o.value["id"] for o in again.outputs] == [o.value["id"] for o in expected.outputs]
    assert [m.op for m in again.routed] == ["merge_out", "article"]


def test_revisions_and_copies_of_an_absorbed_events_article_go_to_the_survivor() -> None:
    correlator, _ = correlated(STREAM)
    revised = Article(id=B1.id, title=B1.title, text=B1.text.replace("300", "320"), source=B1.source)
    result = correlator.process(ingest(revised))
    correlator.commit()
    assert [(o.value["type"], o.value["event_id"]) for o in result.outputs] == [("article_revised", SURVIVOR)]
    assert [(m.op, m.event_id) for m in result.routed] == [("revision", SURVIVOR)]
    copy = Article(id="qa3-copy", title=B1.title, text=revised.text, source="Copycat")
    result = correlator.process(ingest(copy))
    assert [(o.value["type"], o.value.get("event_id")) for o in result.outputs] == [("duplicate", SURVIVOR)]
    assert [(m.op, m.event_id) for m in result.routed] == [("duplicate", SURVIVOR)]


def test_merges_are_on_by_default_and_the_seeds_route_no_merge(seeds_dir: Path) -> None:
    assert EventConfig().merge_threshold == 0.35
    _, batches = routed_batches(STREAM, EventConfig(**TEXT_ONLY))
    assert not any(m.op.startswith("merge") or m.await_merge for b in batches for m in b)
    out = io.StringIO()
    cli_replay(seeds_dir, out)
    records = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert records and all(r["topic"] in ("updates", "contradictions") for r in records)
    assert not any(r["value"]["type"] == "event_merged" for r in records)


# -- configuration -------------------------------------------------------------------------


def test_event_config_from_env() -> None:
    assert EventConfig.from_env({}) == EventConfig()
    cfg = EventConfig.from_env(
        {"CROSSCHECK_EVENT_MERGE_THRESHOLD": "0.35", "CROSSCHECK_EVENT_MAX_EVENTS": "10", "OTHER": "x"}
    )
    assert cfg == EventConfig(merge_threshold=0.35, max_events=10)
    assert EventConfig.from_env({"CROSSCHECK_EVENT_THRESHOLD": ""}) == EventConfig()
    with pytest.raises(ValueError, match="CROSSCHECK_EVENT_MERGE_THRESHOLD"):
        EventConfig.from_env({"CROSSCHECK_EVENT_MERGE_THRESHOLD": "high"})


def test_replay_reads_the_merge_threshold_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "stream.jsonl"
    path.write_bytes(b"".join(orjson.dumps(article_json(a)) + b"\n" for a in STREAM))
    types = {}
    for merge in ("0", "0.65"):
        monkeypatch.setenv("CROSSCHECK_EVENT_THRESHOLD", "0.65")
        monkeypatch.setenv("CROSSCHECK_EVENT_MERGE_THRESHOLD", merge)
        monkeypatch.setenv("CROSSCHECK_EVENT_LEAD_THRESHOLD", "0")
        out = io.StringIO()
        cli_replay(path, out)
        types[merge] = [orjson.loads(line)["value"]["type"] for line in out.getvalue().splitlines()]
    assert "event_merged" not in types["0"] and types["0.65"].count("event_merged") == 1


def article_json(article: Article) -> dict[str, Any]:
    out = {"id": article.id, "title": article.title, "text": article.text}
    out |= {"published_at": article.published_at} if article.published_at else {}
    return out | ({"source": article.source} if article.source else {})


@pytest.mark.parametrize("seed", range(8))
def test_a_disagreement_the_absorbed_event_raised_is_not_raised_again(seed: int) -> None:
    """One disagreement, one alert: B's open contradiction moves to A under its own id.

    Folding B's claims into A meets the disagreement again (now with A's report on one
    side); it is not raised a second time under A's id, a source new to a side is
    announced as an extension, and a later report still joins it.
    """
    a, b = "ev-a", "ev-b"
    batches = [
        [article_msg("a1", a, "The fire killed 4 people and injured 15.", "AP")],
        [article_msg("b1", b, "The fire injured 15 people and 200 people were evacuated.", "AFP")],
        [article_msg("b2", b, "The fire injured 12 people and 200 people were evacuated.", "Reuters")],
        [Routed("merge_out", b, into=a), article_msg("x", a, "The fire killed 4 people.", "BBC", (b,))],
        [article_msg("z", a, "The fire injured 12 people, officials said.", "NPR")],
    ]
    fifo, fifo_state = run_fifo(batches)
    outputs, state = kafka(batches, seed, crash=0.25)
    assert {k: first_seen(v) for k, v in by_key(outputs).items()} == by_key(fifo)
    assert state == fifo_state and set(state) == {a}
    raised = [o.value for o in fifo if o.topic == "contradictions"]
    assert [(v["event_id"], sorted(x["article_id"] for x in v["claims"])) for v in raised] == [
        (b, ["b1", "b2"])
    ]
    cid = raised[0]["id"]
    assert state[a]["contradictions"][cid]["status"] == "open"
    extended = [o.value for o in fifo if o.value["type"] == "contradiction_extended"]
    # AP's 15 joins AFP's side when B is folded in; NPR's 12 joins Reuters' later.
    assert [(e["event_id"], e["contradiction_id"], e["source"]) for e in extended] == [
        (a, cid, "AP"),
        (a, cid, "NPR"),
    ]
    # What B said of its own claims is not said again under A; what relates them to A's is.
    claim_updates = [
        (o.value["type"], sorted(c["article_id"] for c in o.value["claims"]))
        for o in fifo
        if o.key == a and o.value["type"].startswith("claim_")
    ]
    assert not [u for u in claim_updates if set(u[1]) <= {"b1", "b2"}]
    assert ("claim_corroborated", ["a1", "b1"]) in claim_updates
    said_under_b = [o.value["type"] for o in fifo if o.key == b and o.value["type"].startswith("claim_")]
    assert said_under_b == ["claim_added", "claim_added", "claim_corroborated"]
    # The hand-over carries it, and fits the routed schema.
    schema = orjson.loads((ROOT / "schemas" / "routed.schema.json").read_bytes())
    merge_in = reconcile(fifo_state_before_merge(batches, b), Routed("merge_out", b, into=a))[1][0]
    jsonschema.validate(orjson.loads(orjson.dumps(merge_in.value)), schema)
    assert list(merge_in.value["absorbed"]["contradictions"]) == [cid]


def fifo_state_before_merge(batches: list[list[Routed]], event: str) -> dict[str, Any]:
    """``event``'s state just before its ``merge_out``, as the in-order driver leaves it."""
    at = next(i for i, batch in enumerate(batches) if any(m.op == "merge_out" for m in batch))
    _, state = run_fifo(batches[:at])
    return state[event]  # type: ignore[no-any-return]
