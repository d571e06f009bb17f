"""Hypothesis properties of the claim extractor and of ``relate``."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from worker.core.claims import extract_claims, relate
from worker.core.claims.quantities import interval
from worker.core.claims.relate import relate_intervals
from worker.core.model import Article, Claim

_MIRROR = {
    "same": "same",
    "refines": "generalizes",
    "generalizes": "refines",
    "compatible": "compatible",
    "conflict": "conflict",
}
HEDGES = [
    None,
    "about",
    "around",
    "approximately",
    "nearly",
    "more than",
    "over",
    "at least",
    "less than",
    "under",
    "up to",
    "at most",
    "just over",
]


def _claim(kind: str, value: dict[str, Any]) -> Claim:
    return Claim(kind=kind, subject="s", predicate="p", value=value, raw="", sentence="", span=(0, 0))


numbers = st.floats(min_value=0.5, max_value=1e5, allow_nan=False, allow_infinity=False)
durations = st.builds(
    lambda v, h: _claim("duration", interval(v, h, "min")), numbers, st.sampled_from(HEDGES)
)
times = st.builds(
    lambda local, zone_off, approx: _claim(
        "time",
        {
            "local": "00:00",
            "zone": "X",
            "date": None,
            "approx": approx,
            "tol": 15 if approx else 1,
            "utc_lo": local - zone_off,
            "utc_hi": local - zone_off + st_span(zone_off),
        },
    ),
    st.integers(0, 1439),
    st.integers(-720, 840),
    st.booleans(),
)


def st_span(off: int) -> int:
    return 60 if off % 2 else 0


props = st.builds(
    lambda pol, cond: _claim(
        "proposition", {"polarity": pol, "conditional": cond, "topic": "t", "scope": "full"}
    ),
    st.booleans(),
    st.booleans(),
)
roles = st.builds(
    lambda office, generic, title: _claim("role", {"office": office, "generic": generic, "title": title}),
    st.sampled_from(["spokesperson", "envoy", "president", "deputy chief of staff"]),
    st.booleans(),
    st.sampled_from(["a", "b"]),
)
dates = st.builds(
    lambda year, month, lo, width: _claim(
        "date", {"year": year, "lo": f"{month:02d}-{lo:02d}", "hi": f"{month:02d}-{min(28, lo + width):02d}"}
    ),
    st.one_of(st.none(), st.integers(2000, 2030)),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 20),
)
any_claims = st.one_of(durations, times, props, roles, dates)


@given(st.data())
def test_relate_is_mirrored(data: st.DataObject) -> None:
    strategy = data.draw(st.sampled_from([durations, times, props, roles, dates]))
    a = data.draw(strategy)
    b = data.draw(strategy)
    ab, ba = relate(a, b), relate(b, a)
    assert ab in _MIRROR
    assert ba == _MIRROR[ab], (a.value, b.value, ab, ba)
    assert (ab == "conflict") == (ba == "conflict")


@given(any_claims)
def test_relate_is_reflexive(a: Claim) -> None:
    assert relate(a, a) == "same"


@given(numbers, st.sampled_from(HEDGES))
def test_interval_contains_its_value_and_is_json(v: float, hedge: str | None) -> None:
    iv = interval(v, hedge, "min")
    assert json.loads(json.dumps(iv)) == iv  # JSON-able, no inf/nan
    lo = float("-inf") if iv["lo"] is None else iv["lo"]
    hi = float("inf") if iv["hi"] is None else iv["hi"]
    assert lo <= hi
    # the written number is inside the closure of its interval
    assert lo - 1e-6 <= v <= hi + 1e-6


@given(numbers, numbers, numbers)
def test_interval_relation_transitive_containment(a: float, b: float, c: float) -> None:
    lo, mid, hi = sorted([a, b, c])
    outer = (lo, hi, False, False)
    inner = (mid, mid, False, False)
    assert relate_intervals(outer, inner) in ("refines", "same")
    assert relate_intervals(inner, outer) in ("generalizes", "same")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_no_crash_on_arbitrary_text(text: str) -> None:
    claims = extract_claims(Article(id="x", text=text))
    for c in claims:
        assert 0 <= c.span[0] <= c.span[1] <= len(text)
        assert text[c.span[0] : c.span[1]] == c.raw
        json.dumps(c.to_json())


_ALPHABET = st.sampled_from(
    [
        "The call lasted ",
        "about ",
        "more than ",
        "90",
        " minutes",
        "two hours",
        ". ",
        "\n",
        "Putin ",
        "refused ",
        "to accept ",
        "a full ceasefire",
        "at 10 a.m. ET",
        " began",
        "President ",
        "Dan Scavino",
        ", ",
        "spokesman ",
        "“",
        "”",
        "— Name (@handle) March 18, 2025\n",
        "killed",
        "5 people were ",
        "in mid-February",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ALPHABET, max_size=40))
def test_extraction_is_deterministic_and_stable(parts: list[str]) -> None:
    text = "".join(parts)
    a = extract_claims(Article(id="x", text=text))
    b = extract_claims(Article(id="x", text=text))
    assert [c.to_json() for c in a] == [c.to_json() for c in b]
    assert [c.span for c in a] == sorted(c.span for c in a)
    for c in a:
        assert relate(c, c) == "same"
        # normalisation is stable through JSON
        again = Claim.from_json(json.loads(json.dumps(c.to_json())))
        assert again == Claim.from_json(c.to_json())
        assert relate(again, c) == "same"


RELATIVE_EXPRESSIONS = [
    "on Monday", "Tuesday", "last Wednesday", "next Thursday", "this coming Friday", "Saturday's",
    "today", "yesterday", "tomorrow", "last night", "last week", "this week", "earlier this week",
    "the past week", "next week", "last weekend", "last month", "earlier this month", "later this month",
    "last year", "earlier this year", "two days ago", "three weeks ago", "a month ago", "ten years ago",
]  # fmt: skip


@given(
    st.sampled_from(RELATIVE_EXPRESSIONS),
    st.datetimes(min_value=dt.datetime(1, 1, 2)),
    st.sampled_from(["Z", "+05:30", "-08:00", ""]),
    st.booleans(),
)
def test_relative_dates_resolve_to_an_ordered_range(expr: str, when: Any, offset: str, future: bool) -> None:
    """Any relative date, any publication instant: a non-empty range, stable, containing-or-near it."""
    verb = "will be held" if future else "was held"
    text = f"The summit {verb} {expr}." if not expr.endswith("'s") else f"{expr} summit was held."
    published_at = when.isoformat(timespec="seconds") + offset
    first = [
        c for c in extract_claims(Article(id="p", text=text, published_at=published_at)) if c.kind == "date"
    ]
    again = [
        c for c in extract_claims(Article(id="p", text=text, published_at=published_at)) if c.kind == "date"
    ]
    assert [c.to_json() for c in first] == [c.to_json() for c in again]
    assert len(first) == 1
    v = first[0].value
    if v["lo"] is None:
        assert when.year < 20 or when.year > 9990
        return
    lo = (v["year"], v["lo"])
    hi = (v.get("year_hi") or v["year"], v["hi"])
    assert lo <= hi
    assert abs(v["year"] - when.year) <= 11
    if when.year < 9990 and when.year > 20:  # at the calendar's ends a range may not exist
        assert v["lo"] is not None
    assert relate(first[0], first[0]) == "same"
    json.dumps(v)
