"""The reference-time helper: published_at, else a dateline, else a date in the first sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from worker.core.reftime import ReferenceTime, dateline, ordered, reference_time

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lohan checks into rehab\nMay 03, 2013\nAfter skipping out ...", D(2013, 5, 3)),
        ("Title\nPUBLISHED: THURSDAY, MAY 2, 2013, 1: 32 PM | UPDATED: 2:00 PM\nBody.", D(2013, 5, 2)),
        ("Title\n9: 53 AM, MON 22 JUL 2013\nLatest on the fire", D(2013, 7, 22)),
        ("Title\n2013-09-26\nFor the first time ...", D(2013, 9, 26)),
        ("Title\nPosted on Thu Jun 13, 2013 08: 45 AM PDT\nBody", D(2013, 6, 13)),
        # a date inside a sentence of the header is not a dateline
        ("Title\nThe fire of June 24, 2005 is remembered today by the town.\nBody", None),
        ("No date at all.\nJust text.", None),
    ],
)
def test_dateline(text: str, expected: dt.date | None) -> None:
    assert dateline(text) == expected


def test_order_of_evidence() -> None:
    text = "Fire at store\nJuly 21, 2013\nA fire broke out on Sunday, July 20, 2013 at the store."
    assert reference_time(text, "2013-07-22T09:00:00Z") == ReferenceTime(
        D(2013, 7, 21), D(2013, 7, 22), "published_at", dt.datetime(2013, 7, 22, 9, tzinfo=dt.UTC).timestamp()
    )
    assert reference_time(text) == ReferenceTime(D(2013, 7, 20), D(2013, 7, 21), "dateline")
    body = "Fire at store\nA fire broke out on Sunday, July 20, 2013 at the store, police said."
    assert reference_time(body) == ReferenceTime(D(2013, 7, 20), D(2013, 7, 21), "text")
    since = "Fire at store\nThe store has been closed since July 20, 2013 after a fire, police said."
    assert reference_time(since) is None
    assert reference_time("No date here, only words and more words to make a body line.") is None


def test_ordered_needs_a_gap() -> None:
    day = ReferenceTime(D(2013, 5, 2), D(2013, 5, 2), "dateline")
    next_day = ReferenceTime(D(2013, 5, 3), D(2013, 5, 3), "dateline")
    two_later = ReferenceTime(D(2013, 5, 4), D(2013, 5, 4), "dateline")
    assert not ordered(day, next_day)  # the first day's end touches the second's start
    assert ordered(day, two_later)
    assert not ordered(two_later, day)
    assert not ordered(None, day)
    t0 = dt.datetime(2013, 5, 2, 8, tzinfo=dt.UTC).timestamp()
    a = ReferenceTime(D(2013, 5, 2), D(2013, 5, 2), "published_at", t0)
    b = ReferenceTime(D(2013, 5, 2), D(2013, 5, 2), "published_at", t0 + 5 * 3600)
    c = ReferenceTime(D(2013, 5, 2), D(2013, 5, 2), "published_at", t0 + 7 * 3600)
    assert not ordered(a, b)
    assert ordered(a, c)
    assert ordered(a, c, gap_s=8 * 3600) is False
