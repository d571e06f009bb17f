"""Per-event reconciliation rules, on claims extracted from real sentences."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import orjson

from worker.core.claims import extract_claims
from worker.core.model import Article, Attribution, Claim
from worker.core.reconcile import Output, Routed, claim_records, reconcile, slot_records

EVENT = "ev-test"


def routed(
    aid: str,
    text: str,
    *,
    source: str | None = None,
    published_at: str | None = "2024-07-08T10:00:00Z",
    op: str = "article",
    duplicate_of: str | None = None,
) -> Routed:
    claims = tuple(extract_claims(Article(id=aid, text=text)))
    return Routed(
        op=op,
        event_id=EVENT,
        article_id=aid,
        source=source or f"article:{aid}",
        published_at=published_at,
        content_hash=f"h-{aid}-{len(text)}",
        claims=claims,
        duplicate_of=duplicate_of,
    )


def feed(*msgs: Routed) -> tuple[dict[str, Any] | None, list[Output]]:
    state: dict[str, Any] | None = None
    outputs: list[Output] = []
    for msg in msgs:
        state, more = reconcile(state, msg)
        outputs += more
    return state, outputs


def types(outputs: list[Output]) -> list[str]:
    return [o.value["type"] for o in outputs]


def test_new_slot_then_corroboration_then_refinement() -> None:
    _, out = feed(
        routed("a", "The call lasted over an hour."),
        routed("b", "The call lasted over an hour, aides said."),
        routed("c", "The call lasted 90 minutes."),
    )
    assert types(out) == ["claim_added", "claim_corroborated", "claim_refined"]
    assert [c["article_id"] for c in out[2].value["claims"]] == ["a", "c"]


def test_disjoint_values_raise_one_contradiction_and_later_sources_extend_it() -> None:
    state, out = feed(
        routed("a", "The phone call lasted 90 minutes."),
        routed("b", "The call lasted more than two hours."),
        routed("c", "The call lasted about an hour and a half."),
        routed("d", "The call lasted at least 90 minutes."),
    )
    contradictions = [o for o in out if o.topic == "contradictions"]
    assert len(contradictions) == 1
    k = contradictions[0].value
    assert {(c["side"], c["article_id"]) for c in k["claims"]} == {("a", "b"), ("b", "a")}
    assert k["kind"] == "duration" and k["slot"] == "call|duration"
    extended = [o.value for o in out if o.value["type"] == "contradiction_extended"]
    assert [(e["contradiction_id"], e["source"]) for e in extended] == [(k["id"], "article:c")]
    # "at least 90 minutes" is compatible with both sides: it joins neither.
    assert state is not None
    ids = state["contradictions"][k["id"]]
    assert len(ids["a"]) + len(ids["b"]) == 3


def test_contradiction_id_does_not_depend_on_article_ids() -> None:
    _, first = feed(
        routed("a", "The call lasted 90 minutes."), routed("b", "The call lasted more than two hours.")
    )
    _, second = feed(
        routed("x", "The call lasted 90 minutes."), routed("y", "The call lasted more than two hours.")
    )
    ids = [[o.value["id"] for o in out if o.topic == "contradictions"] for out in (first, second)]
    assert ids[0] == ids[1] and len(ids[0]) == 1


def test_one_sources_two_articles_never_contradict_each_other() -> None:
    # a newsroom revises its own figure or writes about another happening (one outlet
    # reporting two look-alike quakes); "sources disagree" takes two sources
    _, out = feed(
        routed("a", "The call lasted 90 minutes.", source="Wire"),
        routed("b", "The call lasted more than two hours.", source="Wire"),
    )
    assert [o.value for o in out if o.topic == "contradictions"] == []
    # a second source still disagrees with it, and the record names only that pair
    _, out = feed(
        routed("a", "The call lasted 90 minutes.", source="Wire"),
        routed("b", "The call lasted more than two hours.", source="Wire"),
        routed("c", "The call lasted 90 minutes.", source="Post"),
    )
    (k,) = [o.value for o in out if o.topic == "contradictions"]
    assert k["self_contradiction"] is False
    assert {c["source"] for c in k["claims"]} == {"Wire", "Post"}


def test_a_later_larger_toll_supersedes_instead_of_contradicting() -> None:
    _, out = feed(
        routed(
            "a", "The earthquake killed five people, officials said.", published_at="2024-01-01T10:00:00Z"
        ),
        routed("b", "The earthquake killed 23 people, officials said.", published_at="2024-01-02T10:00:00Z"),
    )
    assert "claim_superseded" in types(out)
    assert not [o for o in out if o.topic == "contradictions"]
    # Undated, the same disagreement is a contradiction: arrival order is no evidence of "later".
    _, undated = feed(
        routed("a", "The earthquake killed five people, officials said."),
        routed("b", "The earthquake killed 23 people, officials said."),
    )
    assert [o.value["kind"] for o in undated if o.topic == "contradictions"] == ["quantity"]


def test_redelivery_is_a_no_op_and_input_state_is_not_mutated() -> None:
    msg_a = routed("a", "The call lasted 90 minutes.")
    msg_b = routed("b", "The call lasted more than two hours.")
    state, _ = feed(msg_a)
    before = copy.deepcopy(state)
    state2, _ = reconcile(state, msg_b)
    assert state == before, "reconcile must not modify the state it is given"
    state3, again = reconcile(state2, msg_b)
    assert again == [] and state3 == state2


def test_revision_replaces_the_articles_claims() -> None:
    first = routed("a", "The call lasted 90 minutes.")
    new_claims = tuple(extract_claims(Article(id="a", text="The call lasted 95 minutes.")))
    fields = {s: getattr(first, s) for s in Routed.__slots__}
    revised = Routed(**{**fields, "op": "revision", "content_hash": "h-new", "claims": new_claims})
    state, _ = feed(first, revised)
    assert state is not None
    values = [r["claim"]["value"]["lo"] for r in slot_records(state, "call|duration")]
    assert values == [95.0]


def test_a_copy_that_changes_a_number_is_a_correction_and_a_shortened_copy_is_not() -> None:
    parent = routed("p", "The earthquake killed five people, officials said. The call lasted 90 minutes.")
    changed = routed(
        "c1", "The earthquake killed seven people, officials said.", op="duplicate", duplicate_of="p"
    )
    shortened = routed(
        "c2", "The earthquake killed five people, officials said.", op="duplicate", duplicate_of="p"
    )
    state, out = feed(parent, changed, shortened)
    corrections = [o.value for o in out if o.topic == "contradictions"]
    assert [c["kind"] for c in corrections] == ["correction"]
    assert {c["article_id"] for c in corrections[0]["claims"]} == {"p", "c1"}
    # Copies never add claims (no corroboration from a copy).
    assert state is not None
    assert {r["article_id"] for _, r in claim_records(state)} == {"p"}


def test_expire_drops_the_state() -> None:
    state, _ = feed(routed("a", "The call lasted 90 minutes."))
    assert reconcile(state, Routed(op="expire", event_id=EVENT)) == (None, [])


def test_a_copy_repeating_its_changed_value_yields_one_correction_id_once() -> None:
    parent = routed("p", "The earthquake killed five people, officials said.")
    copy_ = routed(
        "c",
        "The earthquake killed seven people, officials said. Police said the quake killed seven people.",
        op="duplicate",
        duplicate_of="p",
    )
    _, out = feed(parent, copy_)
    ids = [o.value["id"] for o in out if o.topic == "contradictions"]
    assert len(ids) == 1


def _claim(lo: float, sentence: str, attribution: Attribution, hedges: tuple[str, ...] = ()) -> Claim:
    return Claim(
        kind="duration",
        subject="call",
        predicate="duration",
        value={"lo": lo, "hi": lo, "lo_open": False, "hi_open": False, "unit": "min", "value": lo},
        raw=f"{lo:g} minutes",
        sentence=sentence,
        span=(int(lo), int(lo) + 10),
        attribution=attribution,
        hedges=hedges,
    )


def test_stored_records_round_trip_compactly() -> None:
    """Claim records are stored as compact strings and read back exactly as made."""
    claims = (
        _claim(90.0, "The call lasted 90 minutes.", Attribution()),
        _claim(
            95.0,
            "\u201cIt lasted 95 minutes \u2014 roughly,\u201d he said. \U0001f4de",
            Attribution("speaker", "Ann Lee"),
        ),
        _claim(
            120.0,
            "Caf\u00e9 owner: it lasted two hours",
            Attribution("social", "@cafe", "2024-01-01"),
            ("reportedly",),
        ),
    )
    msg = Routed(
        op="article",
        event_id=EVENT,
        article_id="a",
        source="Wire",
        published_at="2024-01-01T10:00:00Z",
        content_hash="h",
        claims=claims,
    )
    state, _ = reconcile(None, msg)
    assert state is not None
    got = slot_records(state, "call|duration")
    assert [r["claim"] for r in got] == [c.to_json() for c in claims]
    assert [r["source"] for r in got] == ["Wire", "Wire", "@cafe"]  # a post is its author's
    assert {r["published_at"] for r in got} == {"2024-01-01T10:00:00Z"}
    assert [r for _, r in claim_records(state)] == got
    blobs = state["slots"]["call|duration"]
    # One byte per character in memory (no character above U+00FF), and no key names.
    assert all(isinstance(b, str) and max(b) <= "\xff" and '"sentence"' not in b for b in blobs)
    json_size = sum(len(orjson.dumps(r)) for r in got)
    assert sum(len(b) for b in blobs) < 0.8 * json_size


def test_state_written_by_the_previous_record_layout_still_reconciles() -> None:
    """A changelog from before the compact layout holds claim records as dicts."""
    msg_a = routed("a", "The call lasted 90 minutes.")
    state, _ = feed(msg_a)
    assert state is not None
    old_layout = {**state, "slots": {k: slot_records(state, k) for k in state["slots"]}}
    _, new_out = reconcile(state, routed("b", "The call lasted more than two hours."))
    _, old_out = reconcile(old_layout, routed("b", "The call lasted more than two hours."))
    assert old_out == new_out and [o.topic for o in old_out].count("contradictions") == 1


# A report that gives a figure to another occasion ---------------------------------


def _contradictions(outputs: list[Output]) -> list[Output]:
    return [o for o in outputs if o.topic == "contradictions"]


def test_a_figure_the_other_report_gives_to_an_earlier_happening_is_no_disagreement() -> None:
    # Two mine collapses grouped as one: the new report tells the old one's toll as the
    # earlier collapse's, so the old report's "nine" is that happening's figure.
    old = routed("a", "The mine collapse on Tuesday killed nine workers, the company said.")
    new = routed(
        "b",
        "A fresh collapse at the mine on Thursday killed 12 workers, the company said. "
        "It comes after a collapse at the mine in March 2021 killed nine workers.",
    )
    _, out = feed(old, new)
    assert _contradictions(out) == []
    _, out = feed(new, old)  # either order
    assert _contradictions(out) == []


def test_the_same_two_tolls_without_that_sentence_still_disagree() -> None:
    _, out = feed(
        routed("a", "The mine collapse on Tuesday killed nine workers, the company said."),
        routed("b", "The mine collapse on Tuesday killed 12 workers, the company said."),
    )
    assert len(_contradictions(out)) == 1


def test_a_report_of_an_earlier_figure_for_another_person_does_not_silence_a_disagreement() -> None:
    # The earlier figure must be the other report's figure, for the same measure.
    _, out = feed(
        routed("a", "The mine collapse on Tuesday killed nine workers, the company said."),
        routed(
            "b",
            "The mine collapse on Tuesday killed 12 workers, the company said. "
            "A collapse at the mine in March 2021 killed four workers.",
        ),
    )
    assert len(_contradictions(out)) == 1


def _merged_outputs(survivor_text: str, absorbed_text: str) -> list[Output]:
    """Event "ev-b" (one report) absorbed into EVENT (another), as the merge protocol
    runs it: merge_out to B, B's merge_in to A, then the trigger article at A."""
    survivor, _ = feed(routed("a", survivor_text))
    absorbed, _ = reconcile(None, dataclasses.replace(routed("b", absorbed_text), event_id="ev-b"))
    _, outs = reconcile(absorbed, Routed(op="merge_out", event_id="ev-b", into=EVENT))
    (merge_in,) = [Routed.from_json(o.value) for o in outs if o.value.get("op") == "merge_in"]
    survivor, held = reconcile(survivor, merge_in)
    trigger = dataclasses.replace(routed("x", "Rescue work went on at the mine."), await_merge=("ev-b",))
    _, folded = reconcile(survivor, trigger)
    return held + folded


def test_a_merge_folds_in_claims_under_the_same_reading() -> None:
    old = "The mine collapse on Tuesday killed nine workers, the company said."
    plain = "The mine collapse on Tuesday killed 12 workers, the company said."
    told = plain + " It comes after a collapse at the mine in March 2021 killed nine workers."
    assert len(_contradictions(_merged_outputs(old, plain))) == 1
    assert _contradictions(_merged_outputs(old, told)) == []
