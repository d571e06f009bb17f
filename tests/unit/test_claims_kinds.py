"""Table-driven tests of the claim extractor, one table per kind."""

from __future__ import annotations

from typing import Any

import pytest

from worker.core.claims import describe, extract_claims, relate
from worker.core.claims.quantities import ages
from worker.core.model import Article, Claim


def claims_of(text: str, kind: str | None = None, **kw: Any) -> list[Claim]:
    out = extract_claims(Article(id="t", text=text, **kw))
    return [c for c in out if kind is None or c.kind == kind]


def one(text: str, kind: str, **kw: Any) -> Claim:
    found = claims_of(text, kind, **kw)
    assert len(found) == 1, [(c.slot, c.raw) for c in found]
    return found[0]


def bounds(c: Claim) -> tuple[Any, Any, bool, bool]:
    v = c.value
    return v["lo"], v["hi"], v["lo_open"], v["hi_open"]


# --- durations -------------------------------------------------------------------------------

DURATIONS = [
    ("Trump spoke with Putin for 90 minutes on Tuesday.", "call", (90.0, 90.0, False, False)),
    ("The leaders engaged in a 90-minute discussion.", "call", (90.0, 90.0, False, False)),
    ("The call, which lasted an hour and a half, was productive.", "call", (90.0, 90.0, False, False)),
    ("The phone call lasted about 90 minutes.", "call", (81.0, 99.0, False, False)),
    ("They held a phone call that stretched on for more than two hours.", "call", (120.0, None, True, False)),
    ("The two leaders spoke on the phone for over an hour.", "call", (60.0, None, True, False)),
    ("Trump spoke with Putin for at least 90 minutes Tuesday.", "call", (90.0, None, False, False)),
    ("The talks lasted nearly three hours.", "call", (162.0, 180.0, False, True)),
    ("He spoke for twenty-three minutes.", "call", (23.0, 23.0, False, False)),
    ("The talks lasted one hour and 30 minutes.", "call", (90.0, 90.0, False, False)),
    ("Putin accepted a 30-day ceasefire.", "ceasefire", (43200.0, 43200.0, False, False)),
    ("Russia agreed to a 30-day pause on strikes.", "ceasefire", (43200.0, 43200.0, False, False)),
    ("The conversation lasted up to two hours.", "call", (0.0, 120.0, False, False)),
    # A surgery is an operation: one subject, so one disagreement is one alert.
    ("The surgery lasted 14 hours.", "operation", (840.0, 840.0, False, False)),
    ("Surgeons finished the 17-hour operation on Tuesday.", "operation", (1020.0, 1020.0, False, False)),
]


@pytest.mark.parametrize(("text", "subject", "expected"), DURATIONS)
def test_durations(text: str, subject: str, expected: tuple[Any, ...]) -> None:
    c = one(text, "duration")
    assert c.subject == subject
    assert c.predicate == "duration"
    assert bounds(c) == expected


@pytest.mark.parametrize(
    "text",
    [
        "He left two weeks ago.",
        "The report is due in 30 days.",
        "She was 30 years old.",
        "Prices rose over the past two years.",
        "It took place three years ago.",
        "They waited 90 minutes.",  # no identifiable subject: no claim
        "He talked to his management team, went on vacation for a week, then decided.",
    ],
)
def test_durations_not_claims(text: str) -> None:
    assert claims_of(text, "duration") == []


def test_duration_relations() -> None:
    more2h = one("The call lasted more than two hours.", "duration")
    ninety = one("The call lasted 90 minutes.", "duration")
    about90 = one("The call lasted about 90 minutes.", "duration")
    over1h = one("The call lasted over an hour.", "duration")
    atleast90 = one("The call lasted at least 90 minutes.", "duration")
    half = one("The call lasted an hour and a half.", "duration")
    assert relate(more2h, ninety) == "conflict"
    assert relate(more2h, about90) == "conflict"
    assert relate(ninety, half) == "same"
    assert relate(about90, ninety) == "refines"
    assert relate(ninety, about90) == "generalizes"
    assert relate(over1h, ninety) == "refines"
    assert relate(over1h, more2h) == "refines"
    assert relate(atleast90, ninety) == "refines"
    assert relate(atleast90, more2h) == "refines"
    assert relate(atleast90, about90) == "compatible"
    assert describe(ninety) == "90 min"
    assert describe(more2h) == "more than 120 min"


# --- counts, ages, magnitudes, scores, money, percent ---------------------------------------------

QUANTITIES = [
    ("Five people were killed in the blast.", "event|killed", (5.0, 5.0)),
    ("At least 23 people were killed.", "event|killed", (23.0, None)),
    ("The quake killed at least 23 people.", "event|killed", (23.0, None)),
    ("Twenty-three people were injured.", "event|injured", (23.0, 23.0)),
    ("Police arrested dozens of protesters.", "event|arrested", (24.0, 99.0)),
    ("The death toll rose to 41.", "event|killed", (41.0, 41.0)),
    ("The storm left five dead.", "event|killed", (5.0, 5.0)),
    ("Legendary actor John Smith dies at 88", "person:smith|age", (88.0, 88.0)),
    ("John Smith, 62, said the plan was sound.", "person:smith|age", (62.0, 62.0)),
    ("A magnitude 6.1 earthquake struck the region.", "earthquake|magnitude", (6.1, 6.1)),
    ("The company agreed to a $5 million settlement.", "settlement|amount", (5e6, 5e6)),
    ("Turnout was 64.5% in the capital.", "turnout|percent", (64.5, 64.5)),
]


@pytest.mark.parametrize(("text", "slot", "expected"), QUANTITIES)
def test_quantities(text: str, slot: str, expected: tuple[Any, Any]) -> None:
    # the slot without its occasion: an undated age is "uncertain" (see test_occasion.py)
    found = [c for c in claims_of(text, "quantity") if c.base_slot == slot]
    assert len(found) == 1, [(c.slot, c.raw) for c in claims_of(text)]
    assert (found[0].value["lo"], found[0].value["hi"]) == expected


def test_subgroup_counts_get_their_own_slot() -> None:
    total = one("Three people died in the fire.", "quantity")
    women = one("Two women died in the fire.", "quantity")
    assert (total.slot, women.slot) == ("event|killed", "event|killed:women")


def test_namesakes_do_not_conflict() -> None:
    # ages are anchored to the article's reference time: give one (see test_occasion.py)
    when = {"published_at": "2013-03-12T10:00:00Z"}
    a = one("Kimani Gray, 16, was shot.", "quantity", **when)
    b = one("His sister Mahnefah Gray, 19, spoke.", "quantity", **when)
    assert a.slot == b.slot == "person:gray|age"
    assert relate(a, b) == "compatible"
    c = one("Robert Buckley, 32, was found.", "quantity", **when)
    d = one("Rescuers found 31-year-old Robert Buckley.", "quantity", **when)
    assert relate(c, d) == "conflict"


def test_past_age_is_not_a_claim() -> None:
    assert claims_of("John Smith, 62, told reporters in 2015 that he would retire.", "quantity") == []


def test_adjective_count_is_not_a_claim() -> None:
    assert claims_of("Russia will repatriate 23 severely wounded Ukrainian soldiers.", "quantity") == []


def test_score() -> None:
    a = one("United secured a 3-1 win over Chelsea.", "quantity")
    b = one("United won 2-1 against Chelsea.", "quantity")
    assert a.slot == "match|score" and a.value["score"] == [3, 1]
    assert relate(a, b) == "conflict"


def test_count_conflicts() -> None:
    five = one("Five people were killed.", "quantity")
    at_least = one("At least 23 people were killed.", "quantity")
    dozens = one("Dozens of people were killed.", "quantity")
    assert relate(five, at_least) == "conflict"
    assert relate(dozens, at_least) == "generalizes"  # [24, 99] inside [23, inf)


# --- times ----------------------------------------------------------------------------------


def test_explicit_zone_and_conversion() -> None:
    text = (
        "Trump and Putin began their phone call at 10:00 AM ET (4:00 PM Romanian time).\n"
        "At around 6:00 PM, the phone conversation ended.\n"
        "The call was scheduled to begin at 3:00 PM."
    )
    cs = claims_of(text, "time")
    slots = [(c.slot, c.value["local"], c.value["zone"]) for c in cs]
    assert slots == [
        ("call|start_time", "10:00", "America/New_York"),
        ("call|end_time", "18:00", "Europe/Bucharest"),
        ("call|scheduled_start_time", "15:00", "Europe/Bucharest"),
    ]
    assert cs[1].value["approx"] is True and cs[1].hedges == ("around",)


def test_single_explicit_zone_is_the_default() -> None:
    text = (
        "The call commenced at 10 a.m. ET. "
        "The White House confirmed at approximately 12:52 p.m. that the call had concluded."
    )
    cs = claims_of(text, "time")
    assert [c.slot for c in cs] == ["call|start_time", "call|end_time"]
    assert cs[1].value["zone"] == "America/New_York" and cs[1].value["zone_source"] == "article"


def test_dst_correct_with_published_date() -> None:
    c = one("The call began at 10 a.m. ET.", "time", published_at="2025-03-18T20:00:00Z")
    assert c.value["utc_lo"] == c.value["utc_hi"] == 14 * 60  # EDT = UTC-4 on 2025-03-18
    r = one("The call ended at 6:00 PM Romanian time.", "time", published_at="2025-03-18")
    assert r.value["utc_lo"] == 16 * 60  # EET = UTC+2
    assert describe(c) == "10:00 ET (14:00 UTC)"


MESSY_TIMES = [
    ("The quake struck at 4: 05 p. m. local time.", "earthquake|time", "16:05"),
    ("The blast occurred at 11: 40 a.m. Jan. 3, 2011 near the station.", "explosion|time", "11:40"),
    ("The meeting began at 9: 27 a. m. Tuesday.", "meeting|start_time", "09:27"),
    ("The call ended at 12:52 p.m.", "call|end_time", "12:52"),
]


@pytest.mark.parametrize(("text", "slot", "local"), MESSY_TIMES)
def test_messy_times(text: str, slot: str, local: str) -> None:
    c = one(text, "time")
    assert (c.slot, c.value["local"]) == (slot, local)


def test_messy_time_keeps_its_written_date() -> None:
    c = one("The blast occurred at 11: 40 a.m. Jan. 3, 2011 near the station.", "time")
    assert c.value["date"] == "2011-01-03"
    d = one("The fire started at 4: 05 P. M. Eastern time.", "time")
    assert (d.value["local"], d.value["zone"]) == ("16:05", "America/New_York")


def test_time_relations() -> None:
    a = one("The call commenced at 10 a.m. ET.", "time")
    b = one("The call began at 10:00 AM ET.", "time")
    assert relate(a, b) == "same"
    end_et = one("The call concluded at approximately 12:52 p.m. ET.", "time")
    end_ro = one("At around 6:00 PM Romanian time, the phone conversation ended.", "time")
    assert relate(end_et, end_ro) == "conflict" == relate(end_ro, end_et)
    unknown = one("The call ended at 6:00 PM.", "time")
    assert relate(unknown, end_et) != "conflict"


def test_local_time_with_zoned_conversion() -> None:
    text = (
        "The blaze started about 9:40 p.m. Friday (1:40 a.m. ET Saturday). Firefighters arrived at 10:05 p.m."
    )
    cs = claims_of(text, "time")
    assert [(c.value["local"], c.value["zone"]) for c in cs] == [("01:40", "America/New_York")]


def test_time_event_must_be_near() -> None:
    text = (
        "Kelly visited the precinct about 12: 30 a. m. Tuesday, more than four hours after the chaos began, "
        "but did not speak."
    )
    assert claims_of(text, "time") == []


def test_scheduled_is_not_start() -> None:
    c = one("Shokhin said the call with Trump was scheduled to begin at 3:00 PM.", "time")
    assert c.predicate == "scheduled_start_time"


def test_dates() -> None:
    mid = one("The conversation between the two took place in mid-February.", "date")
    day = one("The two leaders spoke on the matter on February 12.", "date")
    assert mid.slot == day.slot == "call|date"
    assert relate(mid, day) == "refines"
    march = one("The summit took place in March.", "date")
    march18 = one("The summit was held on March 18.", "date")
    assert relate(march, march18) == "refines"
    other = one("The summit was held on April 2.", "date")
    assert relate(march18, other) == "conflict"


# --- places ---------------------------------------------------------------------------------


def test_places_containment() -> None:
    me = one("Negotiations will begin immediately in the Middle East.", "place")
    sa = one("The talks will be held in Saudi Arabia.", "place")
    riyadh = one("Talks will take place in Riyadh.", "place")
    geneva = one("Talks will take place in Geneva.", "place")
    assert me.slot == sa.slot == "talks@planned|location"  # all four are plans
    assert relate(me, sa) == "refines"
    assert relate(sa, me) == "generalizes"
    assert relate(sa, riyadh) == "refines"
    assert relate(me, riyadh) == "refines"
    assert relate(riyadh, geneva) == "conflict"
    assert describe(sa) == "Saudi Arabia"


def test_places_conservative() -> None:
    assert claims_of("He lives in Saudi Arabia.", "place") == []
    assert claims_of("They met in Paris three weeks ago.", "place") == []


def test_places_other_patterns() -> None:
    quake = one("The earthquake struck Chile on Sunday.", "place")
    assert (quake.slot, quake.value["key"]) == ("earthquake|location", "country:CL")
    police = one("In Riyadh, police said two people were arrested.", "place")
    assert police.slot == "event|location" and police.value["key"] == "city:riyadh"


# --- roles ----------------------------------------------------------------------------------

ROLES = [
    ("White House spokesman Dan Scavino said the call went well.", "person:scavino", "spokesperson"),
    (
        "Dan Scavino, Deputy Chief of Staff at the White House, wrote on X.",
        "person:scavino",
        "deputy chief of staff",
    ),
    ("Putin's business envoy Kirill Dmitriev praised the call.", "person:dmitriev", "envoy"),
    ("Kirill Dmitriev, Putin's envoy for international cooperation, wrote on X.", "person:dmitriev", "envoy"),
    ("Kremlin spokesperson Dmitry Peskov declined to comment.", "person:peskov", "spokesperson"),
    ("White House press secretary Karoline Leavitt spoke.", "person:leavitt", "spokesperson"),
]


@pytest.mark.parametrize(("text", "subject", "office"), ROLES)
def test_roles(text: str, subject: str, office: str) -> None:
    found = [c for c in claims_of(text, "role") if c.subject == subject.replace("tt", "t")]
    assert found, [(c.slot, c.value) for c in claims_of(text)]
    assert found[0].value["office"] == office


def test_person_keys() -> None:
    texts = [
        "President Trump spoke.",
        "Donald Trump spoke.",
        "President Donald J. Trump spoke.",
        "U.S. President Donald Trump spoke.",
    ]
    keys = {c.subject for t in texts for c in claims_of(t, "role")}
    assert keys == {"person:trump"}


def test_role_relations() -> None:
    spok = one("White House spokesman Dan Scavino spoke.", "role")
    dcos = one("Dan Scavino, Deputy Chief of Staff at the White House, spoke.", "role")
    assert relate(spok, dcos) == "conflict"
    assert (describe(spok), describe(dcos)) == (
        "White House spokesman",
        "Deputy Chief of Staff at the White House",
    )
    a = one("Putin's business envoy Kirill Dmitriev spoke.", "role")
    b = one("Kirill Dmitriev, Putin's envoy for international cooperation, spoke.", "role")
    assert relate(a, b) == "compatible"
    s1 = one("Kremlin spokesman Dmitry Peskov spoke.", "role")
    s2 = one("Kremlin spokesperson Dmitry Peskov spoke.", "role")
    assert relate(s1, s2) != "conflict"
    lead = one("Kremlin leader Vladimir Putin spoke.", "role")
    pres = one("Russian President Vladimir Putin spoke.", "role")
    assert relate(lead, pres) == "compatible"


def test_ranks_are_generic_and_lists_are_not_appositives() -> None:
    text = "Area Commander Inspector Dave Gaskin said the search continues."
    roles = claims_of(text, "role")
    assert [c.value["office"] for c in roles] == ["inspector"]
    spok = one("Police spokesman Dave Gaskin said.", "role")
    assert relate(roles[0], spok) == "compatible"
    listed = claims_of("Judge Rowland Barnes, Brandau and sheriff's deputy Hoyt Teasley were killed.", "role")
    assert [c.value["office"] for c in listed if c.subject == "person:barnes"] == ["judge"]


def test_former_roles_skipped() -> None:
    assert [
        c
        for c in claims_of("General Ben Hodges, former commander of U.S. forces, spoke.", "role")
        if "commander" in c.value["title"].lower()
    ] == []


# --- propositions ---------------------------------------------------------------------------

PROPS = [
    (
        "But Putin apparently refused to accept an immediate 30-day ceasefire across the entire battlefield.",
        "accepts:ceasefire/full",
        False,
        ("apparently",),
    ),
    (
        "Preconditions were listed, suggesting that Putin rejected calls to accept an immediate truce.",
        "accepts:ceasefire/full",
        False,
        ("suggesting that",),
    ),
    (
        "Russian President Putin has agreed to a ceasefire in Ukraine under the conditions that they stop.",
        "accepts:ceasefire/full",
        True,
        (),
    ),
    (
        "Russian President Vladimir Putin agreed to a ceasefire and ordered the military to halt attacks on "
        "Ukraine's energy infrastructure for 30 days.",
        "accepts:ceasefire/energy",
        True,
        (),
    ),
    (
        "Trump and Putin agreed to an “infrastructure and energy ceasefire”.",
        "accepts:ceasefire/energy",
        True,
        (),
    ),
    (
        "Russia has resisted calls for a full ceasefire without additional conditions.",
        "accepts:ceasefire/full",
        False,
        (),
    ),
    ("Russia did not agree to the ceasefire.", "accepts:ceasefire/full", False, ()),
]


@pytest.mark.parametrize(("text", "predicate", "polarity", "hedges"), PROPS)
def test_propositions(text: str, predicate: str, polarity: bool, hedges: tuple[str, ...]) -> None:
    found = [c for c in claims_of(text, "proposition") if c.subject in ("country:RU", "person:putin")]
    assert len(found) == 1, [(c.slot, c.value) for c in claims_of(text)]
    c = found[0]
    assert (c.predicate, c.value["polarity"], c.hedges) == (predicate, polarity, hedges)


@pytest.mark.parametrize(
    "text",
    [
        "The American president is expected to convince Ukraine to agree to a 30-day halt.",
        "Trump is hoping to convince the Kremlin to accept the 30-day ceasefire.",
        "Putin could agree to a ceasefire.",
        "Will Russia accept the ceasefire?",
        "Though initially, Russia did not agree to the ceasefire proposal, talks went on.",
        "Ukraine accepted it last week.",
    ],
)
def test_propositions_not_claims(text: str) -> None:
    assert claims_of(text, "proposition") == []


def test_failed_to_win_agreement() -> None:
    text = (
        "President Trump spoke to Russian president Vladimir Putin Tuesday but failed to win agreement "
        "for an immediate ceasefire with Ukraine."
    )
    (c,) = claims_of(text, "proposition")
    assert (c.slot, c.value["polarity"]) == ("country:RU|accepts:ceasefire/full", False)
    assert claims_of("The talks failed to win agreement for a ceasefire.", "proposition") == []


def test_other_infinitive_is_not_the_object() -> None:
    assert claims_of("Reagins declined to provide the value of the offer.", "proposition") == []


def test_proposition_relations() -> None:
    refuse = one("Putin refused to accept an immediate ceasefire.", "proposition")
    agree = one(
        "Putin has agreed to a ceasefire in Ukraine under the conditions that peace follows.", "proposition"
    )
    assert refuse.slot == agree.slot
    assert agree.value["conditional"] is True
    assert relate(refuse, agree) == "conflict" == relate(agree, refuse)
    assert describe(refuse) == "refused: immediate full ceasefire"


def test_agent_party_from_demonym() -> None:
    text = "Russian President Vladimir Putin spoke. Later, Putin refused to accept a full ceasefire."
    cs = claims_of(text, "proposition")
    assert [c.subject for c in cs] == ["country:RU"]
    kremlin = claims_of("The Kremlin rejected the ceasefire.", "proposition")
    assert [c.subject for c in kremlin] == ["country:RU"]


# --- attribution ----------------------------------------------------------------------------


def test_social_post_attribution() -> None:
    text = (
        "The outlet reported that the call between the two presidents, which was closely watched in "
        "Kyiv and in European capitals, lasted an hour and a half, and covered energy, prisoners, the "
        "Black Sea and the conditions for a longer truce, according to several people briefed on it.\n"
        "JUST IN:\n"
        "Russian President Putin has agreed to a ceasefire in Ukraine.\n"
        "We are not the same. pic.twitter.com/abc\n"
        "— Some Account (@someaccount) March 13, 2025\n"
        "After the call, Russia rejected a full ceasefire, the Kremlin said."
    )
    cs = claims_of(text)
    props = [c for c in cs if c.kind == "proposition"]
    assert props[0].attribution.kind == "social"
    assert props[0].attribution.name == "@someaccount"
    assert props[0].attribution.date == "2025-03-13"
    assert props[1].attribution.kind == "speaker" and props[1].attribution.name == "Kremlin"
    dur = [c for c in cs if c.kind == "duration"]
    assert dur[0].attribution.kind == "outlet"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The call lasted 90 minutes, according to the White House.", "White House"),
        ("Trump wrote that the call lasted 90 minutes.", "Trump"),
        ("The call lasted 90 minutes, Peskov told reporters.", "Peskov"),
        ("Peskov said in a statement that the call lasted 90 minutes.", "Peskov"),
        # a title before the name is not part of it; a lone surname keeps its title
        ("White House Press Secretary Karoline Leavitt said the call lasted 90 minutes.", "Karoline Leavitt"),
        ("President Trump said the call lasted 90 minutes.", "President Trump"),
    ],
)
def test_speaker_attribution(text: str, name: str) -> None:
    c = one(text, "duration")
    assert (c.attribution.kind, c.attribution.name) == ("speaker", name)


def test_chrome_lines_are_never_sources() -> None:
    text = "Top of page\nRead more: The call lasted 90 minutes, officials said\nThe call lasted two hours."
    cs = claims_of(text, "duration")
    assert [c.raw for c in cs] == ["two hours"]


def test_language_gate_and_spans() -> None:
    text = "The call lasted 90 minutes."
    assert extract_claims(Article(id="x", text=text, language="fr")) == []
    (c,) = claims_of(text, "duration", language="en")
    assert text[c.span[0] : c.span[1]] == c.raw
    assert c.raw in c.sentence


def test_a_place_before_ages_is_no_person() -> None:
    found = list(ages("The victims, three men from Bavaria aged 34, 38 and 45, were named on Sunday."))
    assert found == []
    (age,) = ages("Anna Berg, aged 34, a nurse from Munich, was among the dead.")
    assert (age.subject, age.value["lo"]) == ("person:berg", 34.0)
