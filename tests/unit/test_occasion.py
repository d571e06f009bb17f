"""The occasion model: which happening a claim is about, and what may be compared."""

from __future__ import annotations

import pytest

from worker.core.model import MAIN, Claim, Occasion
from worker.core.reconcile import Routed, empty_state, reconcile


def _claim(value: float, occasion: Occasion = MAIN, start: int = 0) -> Claim:
    v = {"lo": value, "hi": value, "lo_open": False, "hi_open": False, "unit": "people", "value": value}
    return Claim(
        kind="quantity",
        subject="event",
        predicate="killed",
        value=v,
        raw=f"{value:g} dead",
        sentence=f"{value:g} dead.",
        span=(start, start + 6),
        occasion=occasion,
    )


@pytest.mark.parametrize(
    ("occasion", "slot", "comparable"),
    [
        (MAIN, "event|killed", True),
        (Occasion("earlier", "1998"), "event@1998|killed", True),
        (Occasion("earlier", "previous"), "event@previous|killed", False),
        (Occasion("background"), "event@background|killed", False),
        (Occasion("other_incident", "second"), "event@other_incident:second|killed", False),
        (Occasion("part", "northern suburb"), "event@part:northern suburb|killed", True),
        (Occasion("part"), "event@part|killed", False),
        (Occasion("hypothetical", cue="could"), "event@hypothetical|killed", False),
        (Occasion("generic"), "event@generic|killed", False),
        (Occasion("uncertain"), "event@uncertain|killed", False),
    ],
)
def test_slot_and_comparability(occasion: Occasion, slot: str, comparable: bool) -> None:
    c = _claim(3, occasion)
    assert c.slot == slot
    assert c.base_slot == "event|killed"
    assert occasion.comparable is comparable
    assert Claim.from_json(c.to_json()) == c


def test_claim_json_without_occasion_is_main() -> None:
    data = _claim(3).to_json()
    del data["occasion"]
    assert Claim.from_json(data).occasion == MAIN


def _article(aid: str, claim: Claim) -> Routed:
    return Routed(op="article", event_id="ev", article_id=aid, source=aid, content_hash=aid, claims=(claim,))


def test_uncertain_claims_are_recorded_but_never_compared() -> None:
    unsure = Occasion("uncertain")
    state, out1 = reconcile(empty_state(), _article("a", _claim(3, unsure)))
    state, out2 = reconcile(state, _article("b", _claim(30, unsure)))
    state, out3 = reconcile(state, _article("c", _claim(3, unsure)))
    types = [o.value["type"] for o in [*out1, *out2, *out3]]
    assert types == ["claim_added", "claim_added", "claim_added"]
    assert state is not None
    assert not state["contradictions"]
    # stored with their occasion, which the published claim shape carries
    assert [o.value["claims"][0]["occasion"] for o in out2] == [{"kind": "uncertain"}]


def test_main_claims_still_conflict() -> None:
    state, _ = reconcile(empty_state(), _article("a", _claim(3)))
    _, out = reconcile(state, _article("b", _claim(30)))
    assert [o.topic for o in out] == ["contradictions"]
    assert out[0].value["claims"][0]["occasion"] == {"kind": "main"}
