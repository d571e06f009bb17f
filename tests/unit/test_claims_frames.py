"""Relative dates resolved against ``published_at``, and figures about earlier happenings kept apart."""

from __future__ import annotations

import pytest

from worker.core.claims import describe, extract_claims, relate
from worker.core.claims.frames import publication_days
from worker.core.model import Article, Claim


def claims(text: str, published_at: str | None = None) -> list[Claim]:
    return extract_claims(Article(id="x", text=text, published_at=published_at))


def one(text: str, kind: str, published_at: str | None = None) -> Claim:
    (claim,) = [c for c in claims(text, published_at) if c.kind == kind]
    return claim


# 2024-06-13 is a Thursday.
THU = "2024-06-13T15:00:00-04:00"

RELATIVE = [
    ("The summit was held on Tuesday.", THU, "meeting|date", (2024, "06-11", "06-11")),
    ("Thursday's summit ended without a deal.", THU, "meeting|date", (2024, "06-13", "06-13")),
    ("The earthquake struck yesterday near the coast.", THU, "earthquake|date", (2024, "06-12", "06-12")),
    # a plan: its own occasion, compared only with other plans
    ("The election will be held on Sunday.", THU, "election@planned|date", (2024, "06-16", "06-16")),
    # "last week" also marks an earlier happening: the date lands in that frame's slot
    ("The meeting took place last week in Vienna.", THU, "meeting@2024-06|date", (2024, "06-03", "06-12")),
    ("The attack earlier this month shocked the city.", THU, "attack|date", (2024, "06-01", "06-13")),
    ("The vote two days ago was close.", THU, "vote|date", (2024, "06-11", "06-11")),
    # a UTC instant late in the day: the local day is the 13th or the 14th, and both read Thursday
    ("The summit was held on Thursday.", "2024-06-13T23:30:00Z", "meeting|date", (2024, "06-13", "06-13")),
    # ... but "Friday" is today in Asia and last week in the Americas: the interval keeps both
    ("The summit was held on Friday.", "2024-06-13T23:30:00Z", "meeting|date", (2024, "06-07", "06-14")),
    # the article's zone (ET, from its explicit times) fixes the local day: 23:30Z is 19:30 ET on the 13th
    (
        "The summit was held on Friday. It began at 10 a.m. ET.",
        "2024-06-13T23:30:00Z",
        "meeting|date",
        (2024, "06-07", "06-07"),
    ),
]


@pytest.mark.parametrize(("text", "published_at", "slot", "expected"), RELATIVE)
def test_relative_dates_resolve_against_publication(
    text: str, published_at: str, slot: str, expected: tuple[int, str, str]
) -> None:
    c = one(text, "date", published_at)
    assert c.slot == slot
    assert (c.value["year"], c.value["lo"], c.value["hi"]) == expected
    assert c.value["relative"]


def test_relative_range_across_new_year() -> None:
    c = one("The meeting took place last week.", "date", "2025-01-02")
    assert (c.value["year"], c.value["lo"], c.value.get("year_hi"), c.value["hi"]) == (
        2024,
        "12-23",
        2025,
        "01-01",
    )
    dec = one("The meeting took place on December 27, 2024.", "date")
    assert relate(c, dec) == "refines"
    assert describe(c) == "2024-12-23..2025-01-01"


def test_undated_article_keeps_relative_dates_relative() -> None:
    tue = one("The summit was held on Tuesday.", "date")
    assert tue.value == {"year": None, "lo": None, "hi": None, "relative": "tuesday"}
    assert relate(tue, one("The summit ended on Tuesday.", "date")) == "same"
    assert relate(tue, one("The summit was held on Wednesday.", "date")) == "compatible"
    assert relate(tue, one("The summit was held on March 12.", "date")) == "compatible"
    assert "relative" in describe(tue)


def test_resolved_relative_dates_compare_as_dates() -> None:
    tue = one("The summit was held on Tuesday.", "date", THU)
    assert relate(tue, one("The summit was held on June 11, 2024.", "date")) == "same"
    assert relate(tue, one("The summit was held on June 11.", "date")) != "conflict"
    assert relate(tue, one("The summit was held on June 12.", "date")) == "conflict"
    # two articles a day apart both naming the same day
    wed = one("The summit was held on Tuesday.", "date", "2024-06-12")
    assert relate(tue, wed) == "same"


@pytest.mark.parametrize(
    "text",
    [
        "Candidates campaigned hard before Super Tuesday and the election.",
        "Police said Saturday that the explosion had damaged two houses.",
        "He posted a statement on Monday ahead of the phone call with the premier.",
        "Shops reopened on Tuesday, two days before the summit in Oslo.",
        "No arrests were made since Monday, when the attack happened.",
        # A finite verb between the day and the noun: the day is that verb's.
        "Two men on Tuesday were discussing the recent shooting outside a barbershop.",
        "On Monday police were still investigating the explosion at the depot.",
        "Divers on Friday had found no trace of the crash site.",
    ],
)
def test_dates_of_other_occasions_are_not_event_dates(text: str) -> None:
    assert [c for c in claims(text, THU) if c.kind == "date"] == []


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("On Tuesday, there was a shooting at the mall.", "shooting|date"),
        ("On Saturday the explosion was heard across the valley.", "explosion|date"),
        ("On Monday the earthquake was felt in Lima.", "earthquake|date"),
    ],
)
def test_a_day_before_its_event_noun_still_dates_it(text: str, slot: str) -> None:
    assert [c.slot for c in claims(text, THU) if c.kind == "date"] == [slot]


def test_publication_days() -> None:
    assert [str(d) for d in publication_days("2024-06-13", None) or ()] == ["2024-06-13", "2024-06-13"]
    assert [str(d) for d in publication_days("2024-06-13T02:00:00+09:00", None) or ()] == ["2024-06-13"] * 2
    assert [str(d) for d in publication_days("2024-06-13T02:00:00Z", None) or ()] == [
        "2024-06-12",
        "2024-06-13",
    ]
    assert [str(d) for d in publication_days("2024-06-13T02:00:00Z", "America/New_York") or ()] == [
        "2024-06-12"
    ] * 2
    assert publication_days(None, None) is None
    assert publication_days("yesterday", None) is None


def test_clock_time_takes_the_day_the_sentence_names() -> None:
    t = one("The summit on Tuesday began at 10 a.m. ET.", "time", THU)
    assert t.value["date"] == "2024-06-11"
    # no day named: two reports a day apart of the same clock time are the same time
    a = one("The summit began at 10 a.m. ET.", "time", "2024-06-11T20:00:00Z")
    b = one("The summit began at 10 a.m. ET.", "time", "2024-06-12T09:00:00Z")
    assert a.value["date"] is None and relate(a, b) == "same"


# --- figures about earlier happenings ---------------------------------------------------------


def test_marker_reaches_only_its_clause() -> None:
    text = "The talks lasted 90 minutes as the war that began three years ago raged on."
    assert one(text, "duration").slot == "call|duration"
    prev = one("The previous meeting between the two ministers lasted three hours.", "duration")
    assert prev.slot == "meeting@previous|duration"


def test_a_date_well_before_publication_is_an_earlier_happening() -> None:
    text = "The summit on January 10 lasted three hours."
    old = claims(text, "2024-03-01")
    assert {c.slot for c in old} == {"meeting@2024-01|date", "meeting@2024-01|duration"}
    recent = claims(text, "2024-01-12")
    assert {c.slot for c in recent} == {"meeting|date", "meeting|duration"}


def test_without_publication_a_date_before_the_first_is_earlier() -> None:
    text = "The summit took place on March 18. The ministers' summit took place on February 12."
    slots = [c.slot for c in claims(text) if c.kind == "date"]
    assert slots == ["meeting|date", "meeting@--02|date"]


def test_opening_frame_containing_publication_is_this_event() -> None:
    assert one("In March, a gunman killed five people.", "quantity", "2024-03-20").slot == "event|killed"
    assert one("In February, a gunman killed five people.", "quantity", "2024-03-20").slot == (
        "event@2024-02|killed"
    )
    assert one("Last week, a gunman killed five people.", "quantity", THU).slot == "event@2024-06|killed"


def test_statements_on_other_days_share_the_slot() -> None:
    last_week = one("Last week, Russia rejected a full ceasefire.", "proposition", THU)
    today = one("Russia agreed to a full ceasefire.", "proposition", THU)
    assert last_week.slot == today.slot
    assert relate(last_week, today) == "conflict"
