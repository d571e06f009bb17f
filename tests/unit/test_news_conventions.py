"""News conventions that make two true reports look like a disagreement.

Written sentences, not corpus text: the development set holds few shootings with a dead
gunman, few "dead or missing" tolls and few headlines that drop the body's "at least",
but general news is full of them.  Each test also keeps a real disagreement raised.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.unit.one_event import contradictions
from worker.core.claims import extract_claims
from worker.core.model import Article

DAY = "2024-07-08T10:00:00Z"


def _art(aid: str, text: str) -> Article:
    return Article(id=aid, text=text, title=text.split("\n", 1)[0], source=f"outlet-{aid}", published_at=DAY)


def _contradictions(*texts: str) -> list[dict[str, object]]:
    """Reconcile the articles as one event, in order; the contradiction records."""
    return contradictions(_art(str(i), text) for i, text in enumerate(texts))


GUNMAN_A = (
    "Gunman kills 12 at Dallas mall\n"
    "A gunman killed 12 people at a shopping mall in Dallas on Saturday before police shot him dead.\n"
)


@pytest.mark.parametrize(
    "other",
    [
        "Dallas mall shooting\nEleven people were killed at a Dallas mall on Saturday.\n"
        "The gunman was also killed.\n",
        "Dallas mall shooting\nThirteen people, including the gunman, died at a Dallas mall on Saturday.\n",
        "Mall attack\nA man killed 11 people at a Dallas mall on Saturday"
        " before turning the gun on himself.\n",
    ],
)
def test_a_toll_one_apart_may_count_the_dead_perpetrator(other: str) -> None:
    assert _contradictions(GUNMAN_A, other) == []
    assert _contradictions(other, GUNMAN_A) == []


def test_tolls_further_apart_still_conflict_when_the_gunman_died() -> None:
    other = (
        "Dallas mall shooting\nFive people were killed at a Dallas mall on Saturday.\nThe gunman also died.\n"
    )
    (ctr,) = _contradictions(GUNMAN_A, other)
    assert ctr["slot"] == "event|killed"


def test_without_a_dead_perpetrator_one_apart_conflicts() -> None:
    a = "Bus crash kills 12\nA bus crash killed 12 people in Peru on Monday, police said.\n"
    b = "Peru bus crash\nEleven people were killed when a bus crashed in Peru on Monday.\n"
    assert len(_contradictions(a, b)) == 1


def test_a_perpetrators_death_recalled_deep_in_the_article_does_not_count() -> None:
    text = (
        "Office shooting kills 1\n"
        "A man shot dead one person at an office in Detroit on Monday, police said.\n"
        "The suspect was arrested at the scene.\nHe had been fired last week.\nNo one else was hurt.\n"
        "Colleagues said he had been angry.\nPolice said he owned two guns.\n"
        "In March, a gunman shot three people in Los Angeles before killing himself.\n"
    )
    (toll,) = [c for c in extract_claims(_art("a", text)) if c.slot == "event|killed"]
    assert not toll.value.get("perpetrator")


def test_a_headline_figure_takes_the_bodys_hedge() -> None:
    a = "Floods kill 12 in Kerala\nFloods killed at least 12 people in Kerala on Monday, officials said.\n"
    b = "Kerala floods\nFloods killed 15 people in Kerala on Monday, officials said.\n"
    (head,) = [c for c in extract_claims(_art("a", a)) if c.raw == "kill 12"]
    assert head.hedges == ("at least",) and head.value["hi"] is None
    assert _contradictions(a, b) == []
    fewer = "Kerala floods\nFloods killed nine people in Kerala on Monday, officials said.\n"
    assert len(_contradictions(a, fewer)) == 1  # "at least 12" against nine still conflicts


def test_a_headline_keeps_its_own_number() -> None:
    text = "Floods kill 12 in Kerala\nFloods killed at least 15 people in Kerala on Monday.\n"
    (head,) = [c for c in extract_claims(_art("a", text)) if c.raw == "kill 12"]
    assert head.hedges == () and head.value["hi"] == 12


@pytest.mark.parametrize(
    ("sentence", "predicate"),
    [
        ("Fifty people were killed or are missing after the ferry sank on Monday.", "killed_or_missing"),
        ("The storm left 30 dead or missing across the island on Monday.", "killed_or_missing"),
        ("Twenty people were killed or injured when the roof fell in on Monday.", "killed_or_injured"),
    ],
)
def test_a_count_of_two_fates_is_not_a_toll(sentence: str, predicate: str) -> None:
    text = f"Disaster strikes\n{sentence}\n"
    preds = {c.predicate for c in extract_claims(_art("a", text)) if c.kind == "quantity"}
    assert predicate in preds and "killed" not in preds
    toll = "Disaster strikes\nFive people were killed on Monday, officials said.\n"
    assert _contradictions(text, toll) == []


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        (
            "Turnout was 64 percent in Sunday's election.",
            "Turnout was 63.8 percent in Sunday's election.",
            False,
        ),
        (
            "Turnout was 64 percent in Sunday's election.",
            "Turnout was 61.2 percent in Sunday's election.",
            True,
        ),
        (
            "A magnitude 7 earthquake struck Japan on Monday.",
            "A magnitude 7.1 earthquake struck Japan on Monday.",
            False,
        ),
        (
            "A magnitude 6.2 earthquake struck Japan on Monday.",
            "A magnitude 5.8 earthquake struck Japan on Monday.",
            True,
        ),
    ],
)
def test_a_measured_figure_carries_its_rounding(a: str, b: str, conflict: bool) -> None:
    """ "64 percent" is 63.5-64.5: a rounded figure and a precise one agree."""
    found = _contradictions(f"Report\n{a}\n", f"Report\n{b}\n")
    assert len(found) == int(conflict)


QUAKE_12 = "Quake kills 12\nAn earthquake killed 12 people in Turkey on Monday, officials said.\n"
QUAKE_ROSE_15 = (
    "Turkey quake\nThe death toll rose to 15 on Monday after an earthquake in Turkey, officials said.\n"
)


def test_a_toll_that_rose_supersedes_a_lower_one_in_either_order() -> None:
    assert _contradictions(QUAKE_12, QUAKE_ROSE_15) == []
    assert _contradictions(QUAKE_ROSE_15, QUAKE_12) == []


def test_a_toll_told_as_rising_is_no_rival_to_a_higher_count_unless_that_came_first() -> None:
    """A toll that "rose to 15" was still growing: a report of 20 is a later count, not a
    disagreement, unless the dates show the 20 was reported first."""
    higher = "Quake kills 20\nAn earthquake killed 20 people in Turkey on Monday, officials said.\n"
    assert _contradictions(higher, QUAKE_ROSE_15) == []
    assert _contradictions(QUAKE_ROSE_15, higher) == []
    # Published two days apart, the 20 first: the toll that "rose to" 15 later disputes it.
    first = replace(_art("0", higher), published_at="2024-07-08T10:00:00Z")
    later = replace(_art("1", QUAKE_ROSE_15), published_at="2024-07-10T10:00:00Z")
    assert len(contradictions([first, later])) == 1
    assert len(contradictions([later, first])) == 1
    # The other way round, the 20 is the later count.
    assert contradictions([replace(first, published_at="2024-07-12T10:00:00Z"), later]) == []
    # Not a toll told as grown: two counts still disagree.
    assert len(_contradictions(higher, QUAKE_12)) == 1


def test_a_running_total_now_is_not_a_rival_count() -> None:
    day = "Riots in London\nPolice arrested 100 people after riots in London on Monday.\n"
    total = "London riots\nPolice have now arrested 450 people over the riots, officials said on Monday.\n"
    (count,) = [c for c in extract_claims(_art("b", total)) if c.predicate == "arrested"]
    assert count.occasion.kind == "background"
    assert _contradictions(day, total) == []


def test_a_founder_can_hold_any_office() -> None:
    ceo = "Company\nTesla chief executive Elon Musk said on Monday the plant would open.\n"
    founder = "Company\nTesla founder Elon Musk said on Monday the plant would open.\n"
    assert _contradictions(ceo, founder) == []
    spokesman = "Company\nTesla spokesman Elon Musk said on Monday the plant would open.\n"
    assert len(_contradictions(ceo, spokesman)) == 1  # two offices no source gives together


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        (
            "Italy beat England 3-2 on penalties after a 1-1 draw on Sunday.",
            {("score:penalties", 3), ("score", 1)},
        ),
        ("Italy won 4-3 in a penalty shootout on Sunday.", {("score:penalties", 4)}),
        (
            "Barcelona went through after they beat Chelsea 4-2 on aggregate on Tuesday.",
            {("score:aggregate", 4)},
        ),
        ("Italy beat England 2-0 at half-time on Sunday.", {("score:halftime", 2)}),
        ("Italy beat England 2-1 on Sunday.", {("score", 2)}),
        ("Malmö won the cup on Thursday, beating BK Øresund 2-1 after extra time.", {("score", 2)}),
        ("A day after the club's 3-1 extra-time win over Øresund, fans gathered.", {("score", 3)}),
        # set scores are no match's final score, in whatever frame they are told
        ("Larraga won on Sunday, beating Voss 6-4, 3-6, 7-6 (7-5), 6-3 in the final.", set()),
        ("The Spaniard's 6-4, 3-6, 7-6, 6-3 victory over Voss ended his drought.", set()),
    ],
)
def test_a_shootout_or_two_legs_is_not_the_final_score(sentence: str, found: set[tuple[str, int]]) -> None:
    claims = extract_claims(_art("a", f"Match report\n{sentence}\n"))
    assert {(c.predicate, c.value["score"][0]) for c in claims if c.kind == "quantity"} == found


def test_a_shootout_score_does_not_contradict_the_draw() -> None:
    shootout = "Euro final\nItaly beat England 3-2 on penalties after a 1-1 draw at Wembley on Sunday.\n"
    draw = "Euro final\nItaly and England drew 1-1 at Wembley on Sunday before Italy won the shootout.\n"
    assert _contradictions(shootout, draw) == []
    wrong = "Euro final\nItaly beat England 2-1 at Wembley on Sunday.\n"
    assert len(_contradictions(shootout, wrong)) == 1


def test_ages_decades_apart_on_a_bare_surname_are_two_people() -> None:
    father = "Crash\nSmith, 45, died in the crash on Monday.\n"
    son = "Crash\nSmith, 12, was injured in the crash on Monday.\n"
    assert _contradictions(father, son) == []
    # the same full name a year apart is one person misreported
    a = "Crash\nDriver John Smith, 45, died in the crash on Monday.\n"
    b = "Crash\nJohn Smith, 46, died in the crash on Monday.\n"
    assert len(_contradictions(a, b)) == 1


def test_a_name_does_not_run_across_a_line_break() -> None:
    (age,) = [
        c for c in extract_claims(_art("a", "Crash\nSmith, 45, died on Monday.\n")) if c.predicate == "age"
    ]
    assert not age.value.get("given")  # not "Crash Smith"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Inflation rose to 3.2 percent in March.", "Core inflation rose to 3.8 percent in March."),
        ("Unemployment was 4 percent in March.", "Youth unemployment was 11 percent in March."),
        (
            "The interest rate rose to 5.25 percent on Wednesday.",
            "The interest rate rose by 0.25 percent on Wednesday.",
        ),
    ],
)
def test_another_measure_of_a_rate_is_another_slot(a: str, b: str) -> None:
    """ "core inflation" is not inflation; "rose by" gives a change, "rose to" a level."""
    assert _contradictions(f"Figures\n{a}\n", f"Figures\n{b}\n") == []
    (x,) = [c for c in extract_claims(_art("a", f"Figures\n{a}\n")) if c.kind == "quantity"]
    (y,) = [c for c in extract_claims(_art("b", f"Figures\n{b}\n")) if c.kind == "quantity"]
    assert x.slot != y.slot


def test_the_same_measure_still_conflicts() -> None:
    a = "Figures\nCore inflation rose to 3.2 percent in March.\n"
    b = "Figures\nCore inflation rose to 3.8 percent in March.\n"
    assert len(_contradictions(a, b)) == 1


# ----------------------------------------------------------------------------- plans


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Talks end\nThe talks in Geneva lasted two hours on Monday.\n",
            "Geneva talks\nThe talks in Geneva were scheduled to last three hours on Monday.\n",
        ),
        (
            "Leaders meet\nThe leaders met in Geneva on Monday.\n",
            "Leaders meet\nThe leaders met in Geneva on Monday. The summit will take place next month.\n",
        ),
        (
            "Smith sentenced\nJohn Smith was sentenced to 10 years in prison on Monday.\n",
            "Smith jailed\nJohn Smith was jailed on Monday. He will serve at least 8 years before parole.\n",
        ),
        (
            "Trial opens\nThe trial of John Smith opened on Monday and lasted three hours.\n",
            "Smith trial\nThe trial of John Smith, which is due to last six weeks, opened on Monday.\n",
        ),
    ],
)
def test_a_plan_is_not_compared_with_what_happened(a: str, b: str) -> None:
    assert _contradictions(a, b) == []
    assert _contradictions(b, a) == []


def test_two_plans_that_disagree_still_conflict() -> None:
    a = "Summit planned\nThe summit will be held on March 3, officials said on Monday.\n"
    b = "Summit planned\nThe summit will be held on March 5, officials said on Monday.\n"
    (ctr,) = _contradictions(a, b)
    assert ctr["slot"] == "meeting@planned|date"
    assert "the meeting's planned date" in str(ctr["explanation"])


@pytest.mark.parametrize(
    "sentence",
    [
        "Twelve people were killed and the toll will rise, police said on Monday.",
        "The storm forced the cancellation due to the rain; 12 people were killed on Monday.",
        "Against the will of their families, 12 people were arrested on Monday.",
    ],
)
def test_a_future_word_after_the_figure_or_a_cause_is_no_plan(sentence: str) -> None:
    claims = extract_claims(_art("a", "Storm\n" + sentence + "\n"))
    anchored = [c for c in claims if c.kind == "quantity"]
    assert anchored
    assert all(c.occasion.kind != "planned" for c in anchored), [(c.raw, c.occasion) for c in anchored]


# ----------------------------------------------------------------------------- magnitudes


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Quake hits Japan\nA magnitude 7.1 earthquake struck northern Japan on Monday, the US Geological "
            "Survey said.\n",
            "Strong quake in Japan\nA magnitude 7.3 earthquake struck northern Japan on Monday, the Japan "
            "Meteorological Agency said.\n",
        ),
        (
            "Quake\nA preliminary magnitude 6.8 quake struck Chile on Monday.\n",
            "Quake\nThe quake that struck Chile on Monday was upgraded to magnitude 7.0.\n",
        ),
    ],
)
def test_two_agencies_magnitudes_a_few_tenths_apart_agree(a: str, b: str) -> None:
    assert _contradictions(a, b) == []


def test_magnitudes_a_point_apart_conflict() -> None:
    a = "Quake\nA magnitude 6.1 earthquake struck Chile on Monday.\n"
    b = "Quake\nA magnitude 7.2 earthquake struck Chile on Monday.\n"
    (ctr,) = _contradictions(a, b)
    assert ctr["slot"] == "earthquake|magnitude"


# ----------------------------------------------------------------------------- updates and antecedents


def test_the_day_a_toll_rose_is_not_the_day_of_the_happening() -> None:
    def dated(aid: str, text: str, published_at: str) -> Article:
        return Article(id=aid, text=text, title=text.split("\n", 1)[0], source=aid, published_at=published_at)

    a = dated(
        "a",
        "Quake kills 16\nAn earthquake struck Aceh on Tuesday, killing 16 people.\n",
        "2024-07-10T08:00:00Z",
    )
    b = dated(
        "b",
        "Aceh toll rises\nThe death toll from the earthquake in Aceh rose to 22 on Wednesday, police said.\n"
        "The quake struck on Tuesday.\n",
        "2024-07-11T09:00:00Z",
    )
    dates = [c for c in extract_claims(b) if c.kind == "date"]
    assert [c.raw for c in dates] == ["on Tuesday"]
    assert contradictions([a, b]) == []


def test_a_which_clause_belongs_to_the_happening_it_follows() -> None:
    text = (
        "Quake kills 16 in Aceh\nAn earthquake killed 16 people in Aceh on Tuesday, officials said.\n"
        "The province was devastated by the 2004 tsunami, which killed 170,000 people in the province.\n"
    )
    (old,) = [c for c in extract_claims(_art("a", text)) if "170,000" in c.raw]
    assert old.occasion.kind == "earlier"
    assert old.occasion.key == "2004"


# ----------------------------------------------------------------------------- one article, two values

MOTHER_AND_DAUGHTER = "Crash\nMary Jones, 70, and her daughter Mary Jones, 45, were hurt on Monday.\n"


def test_two_values_in_one_voice_are_two_things_not_a_self_contradiction() -> None:
    ages = [c for c in extract_claims(_art("a", MOTHER_AND_DAUGHTER)) if c.predicate == "age"]
    assert sorted(c.raw for c in ages) == ["Mary Jones, 45,", "Mary Jones, 70,"]
    assert {c.occasion.kind for c in ages} == {"uncertain"}
    assert {c.occasion.cue for c in ages} == {"the article gives two values"}
    # a second report that gives one of the two values contradicts neither
    assert _contradictions(MOTHER_AND_DAUGHTER, "Crash\nMary Jones, 45, was hurt on Monday.\n") == []


def test_two_voices_in_one_article_are_still_compared() -> None:
    text = (
        "Crash in Peru\nA bus crash killed 12 people in Peru on Monday, police spokesman John Reed said.\n"
        "The crash killed 15 people, according to Anna Cole, a doctor at the city hospital.\n"
    )
    tolls = [c for c in extract_claims(_art("a", text)) if c.predicate == "killed"]
    assert len(tolls) >= 2
    assert all(c.occasion.kind == "main" for c in tolls), [(c.raw, c.occasion) for c in tolls]


def test_an_outlet_quoting_two_people_who_disagree_does_not_contradict_itself() -> None:
    text = (
        "Crash in Peru\nA bus crash killed 12 people in Peru on Monday, police spokesman John Reed said.\n"
        "The crash killed 15 people, according to Anna Cole, a doctor at the city hospital.\n"
    )
    (ctr,) = _contradictions(text)
    assert ctr["self_contradiction"] is False
    assert "(quoting Anna Cole)" in str(ctr["explanation"])
    assert "(quoting John Reed)" in str(ctr["explanation"])


# ----------------------------------------------------------------------------- who was counted

BUFFALO_A = (
    "Plane crash kills 49 near Buffalo\n"
    "A commuter plane crashed into a house near Buffalo late Thursday, killing all 49 people on board and one"
    " person on the ground.\n"
)


def test_a_count_on_board_is_a_part_and_the_headline_drops_the_qualifier() -> None:
    claims = [c for c in extract_claims(_art("a", BUFFALO_A)) if c.predicate == "killed"]
    assert [(c.raw, c.occasion.kind) for c in claims] == [
        ("kills 49", "part"),
        ("killing all 49 people", "part"),
    ]
    other = "50 dead in Buffalo crash\nFifty people died when a plane crashed near Buffalo on Thursday.\n"
    assert _contradictions(BUFFALO_A, other) == []


def test_of_them_after_a_count_makes_it_a_part() -> None:
    text = (
        "Trial opens\nThe trial of a man accused of shooting three co-workers, killing two of them, began.\n"
    )
    (killed,) = [c for c in extract_claims(_art("a", text)) if c.predicate == "killed"]
    assert killed.occasion.kind == "part"


def test_a_headline_count_without_a_qualified_twin_stays_main() -> None:
    a = "Plane crash kills 49\nA plane crashed near Buffalo on Thursday, killing 49 people.\n"
    b = "Buffalo crash\nA plane crashed near Buffalo on Thursday, killing 60 people.\n"
    assert len(_contradictions(a, b)) == 1


# ----------------------------------------------------------------------------- whose count


def test_counts_of_two_places_are_not_compared() -> None:
    a = "Floods\nFloods killed 35 people in India and 20 in Nepal on Monday.\n"
    b = "Nepal floods\nFloods killed 20 people in Nepal on Monday.\n"
    assert _contradictions(a, b) == []


def test_counts_of_a_city_and_its_country_still_conflict() -> None:
    a = "Blast\nA bomb killed 12 people in Kabul on Monday.\n"
    b = "Afghan blast\nA bomb killed 15 people in Afghanistan on Monday.\n"
    assert len(_contradictions(a, b)) == 1


def test_those_taken_to_hospital_are_not_the_injured() -> None:
    a = "Crash\nThe train crash on Monday injured 80 people.\n"
    b = "Train crash\nThirty people were hospitalized after the train crash on Monday.\n"
    assert _contradictions(a, b) == []
    (hospital,) = [c for c in extract_claims(_art("b", b)) if c.kind == "quantity"]
    assert hospital.predicate == "hospitalized"


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("Nineteen people were taken to hospital after the tanker overturned.", 19),
        ("The tanker overturned, killing one person and sending 14 people to hospital.", 14),
        ("In all, 14 people were treated in hospital, including four firefighters.", 14),
        ("Seven people were rushed to the hospital after the blast.", 7),
        ("The fire sent 23 residents to hospital.", 23),
    ],
)
def test_counts_taken_to_hospital_are_read(sentence: str, count: int) -> None:
    claims = extract_claims(_art("a", "Tanker crash\n" + sentence))
    (found,) = [c for c in claims if c.predicate.startswith("hospitalized")]
    # "23 residents" are a group's count ("hospitalized:residents"), as for the killed
    assert (found.predicate.partition(":")[0], found.value["value"], found.hedges) == (
        "hospitalized",
        count,
        (),
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "He spent 19 days in hospital after the crash.",
        "The storm sent thousands to shelters on Monday.",
        "Police took five suspects into custody.",
        "She was taken to hospital with minor injuries.",
        # who is in hospital at the time of writing is not read: discharges change it
        "One dead, 19 in hospital after the tanker overturned.",
        "The crash left 14 people in hospital.",
        "Two people remain in hospital.",
    ],
)
def test_no_count_of_people_sent_to_hospital(sentence: str) -> None:
    found = [c for c in extract_claims(_art("a", "Crash\n" + sentence)) if c.predicate.startswith("hospital")]
    assert found == []


def test_two_counts_taken_to_hospital_conflict() -> None:
    a = "Tanker crash\nA tanker overturned on the A4 on Tuesday, sending 14 people to hospital.\n"
    b = "A4 crash\nNineteen people were taken to hospital after a tanker overturned on the A4 on Tuesday.\n"
    assert len(_contradictions(a, b)) == 1


@pytest.mark.parametrize(
    "other",
    [
        # a state at the time of writing, which discharges change, is no count of those taken
        # (not read at all)
        "A4 crash\nOne dead, 19 in hospital after a tanker overturned on the A4 on Tuesday.\n",
        "A4 crash\nThree people remain in hospital after a tanker overturned on the A4 on Tuesday.\n",
        "A4 crash\nTwo people are in hospital after a tanker overturned on the A4 on Tuesday.\n",
        # the injured are a count of their own
        "A4 crash\nA tanker overturned on the A4 on Tuesday, injuring 30 people.\n",
    ],
)
def test_what_remains_in_hospital_is_no_disagreement(other: str) -> None:
    a = "Tanker crash\nA tanker overturned on the A4 on Tuesday, sending 14 people to hospital.\n"
    assert _contradictions(a, other) == []


# ----------------------------------------------------------------------------- offices


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Chelsea sacked manager Luiz Felipe Scolari on Monday.",
            "Chelsea fired coach Luiz Felipe Scolari on Monday.",
        ),
        (
            "Chief executive Larry Ellison announced the deal on Monday.",
            "Chairman Larry Ellison announced the deal.",
        ),
    ],
)
def test_offices_one_person_commonly_holds_together_agree(a: str, b: str) -> None:
    assert _contradictions("News\n" + a + "\n", "News\n" + b + "\n") == []


def test_a_speakers_title_is_the_outlets_description() -> None:
    a = "Call\nWhite House spokesman Dan Scavino posted on Monday.\n"
    b = "Call\nDeputy Chief of Staff Dan Scavino said on Monday that the call went well.\n"
    (role,) = [c for c in extract_claims(_art("b", b)) if c.kind == "role"]
    assert role.attribution.kind == "outlet"
    (ctr,) = _contradictions(a, b)
    assert "quoting" not in str(ctr["explanation"])


# ----------------------------------------------------------------------------- demands


@pytest.mark.parametrize(
    "other",
    [
        "Smith sentenced\nProsecutors had asked that John Smith be sentenced to 15 years in prison.\n",
        "Smith sentenced\nProsecutors sought a sentence of 15 years for John Smith on Monday.\n",
    ],
)
def test_what_was_asked_for_is_not_what_happened(other: str) -> None:
    given = "Sentenced\nJohn Smith was sentenced to 10 years in prison on Monday.\n"
    assert _contradictions(given, other) == []


def test_a_that_clause_in_may_is_not_modal() -> None:
    text = "Blast\nPolice said in May that the blast killed 12 people.\n"
    (killed,) = [c for c in extract_claims(_art("a", text)) if c.predicate == "killed"]
    assert killed.occasion.kind != "hypothetical"


def test_a_count_split_by_place_is_a_part_of_a_wider_toll() -> None:
    a = "Storm\nThe storm killed 20 people in Haiti and 5 in Cuba on Monday.\n"
    (haiti,) = [c for c in extract_claims(_art("a", a)) if c.predicate == "killed"]
    assert haiti.slot == "event@part:haiti|killed"
    b = "Storm kills 25\nThe storm killed 25 people across the Caribbean on Monday.\n"
    assert _contradictions(a, b) == []
    # one place alone is the count of the happening there, compared as before
    c = "Storm\nThe storm killed 20 people in Haiti on Monday.\n"
    d = "Haiti storm\nThe storm killed 31 people in Haiti on Monday.\n"
    assert len(_contradictions(c, d)) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Outbreak\nCholera has killed 40 people in Haiti, officials said on Monday.\n",
            "Outbreak\nThe cholera outbreak has killed 52 people in Haiti, including suspected cases,"
            " officials said on Monday.\n",
        ),
        (
            "Outbreak\nThe outbreak killed 30 people on Monday, officials said.\n",
            "Outbreak\nEighteen people died in hospital on Monday.\n",
        ),
    ],
)
def test_counts_with_the_unconfirmed_or_of_one_place_of_death_are_other_measures(a: str, b: str) -> None:
    assert _contradictions(a, b) == []


def test_a_length_in_feet_is_a_conversions_rounding() -> None:
    metric = "Climber dies\nClimber John Smith fell 300 metres to his death on Monday.\n"
    assert _contradictions(metric, "Climber dies\nJohn Smith fell 1,000 feet to his death on Monday.\n") == []
    assert (
        len(_contradictions(metric, "Climber dies\nJohn Smith fell 600 feet to his death on Monday.\n")) == 1
    )


KABUL = (
    "Bomb kills 12 in Kabul\nA suicide bomb killed 12 people at a market in Kabul on Monday, police said.\n"
)


@pytest.mark.parametrize(
    "other",
    [
        "Kabul bomb\nThe conflict, which has killed 5,000 people, claimed 12 more lives on Monday when a bomb"
        " exploded in Kabul.\n",
        "Kabul bomb\nA bomb killed 12 people in Kabul on Monday, a day after 30 died in an attack in"
        " Kandahar.\n",
    ],
)
def test_a_longer_happenings_total_or_one_a_day_apart_is_another_occasion(other: str) -> None:
    assert _contradictions(KABUL, other) == []


def test_a_day_after_the_main_happening_named_definitely_is_still_it() -> None:
    text = (
        "Gunman arrested\nThe gunman was arrested on Monday, a few hours after the shooting killed 12 people"
        " in Kabul.\n"
    )
    (killed,) = [c for c in extract_claims(_art("a", text)) if c.predicate == "killed"]
    assert killed.occasion.kind == "main"


def test_the_outbreak_the_headline_names_is_the_main_happening() -> None:
    text = "Cholera outbreak kills 40\nThe cholera outbreak has killed 40 people in Haiti, officials said.\n"
    killed = [c for c in extract_claims(_art("a", text)) if c.predicate == "killed"]
    assert killed and all(c.occasion.kind == "main" for c in killed)


# ----------------------------------------------------------------------------- dates at the edges


def _wednesday(aid: str, text: str) -> Article:
    return Article(
        id=aid, text=text, title=text.split("\n", 1)[0], source=aid, published_at="2024-07-10T08:00:00Z"
    )


def test_late_monday_and_just_after_midnight_on_tuesday_are_one_night() -> None:
    a = _wednesday("a", "Shooting\nThe shooting happened late Monday in Chicago.\n")
    b = _wednesday("b", "Shooting\nThe shooting happened just after midnight on Tuesday in Chicago.\n")
    assert contradictions([a, b]) == []
    c = _wednesday("c", "Shooting\nThe shooting happened on Sunday in Chicago.\n")
    assert len(contradictions([a, c])) == 1


def test_the_day_of_an_arrest_for_a_happening_is_not_its_date() -> None:
    text = "Arrest\nPolice arrested the suspect on Tuesday for the shooting.\n"
    assert [c for c in extract_claims(_wednesday("a", text)) if c.kind == "date"] == []


def test_days_of_an_activity_are_not_the_happenings_length() -> None:
    a = "Verdict\nThe trial of John Smith lasted three weeks.\n"
    b = "Verdict\nThe trial of John Smith lasted 12 days of testimony.\n"
    assert _contradictions(a, b) == []
    # hours "of talks" are the call's own length: one class of happening
    call = "Call\nThe call lasted three hours of talks.\n"
    (own,) = [c for c in extract_claims(_art("t", call)) if c.kind == "duration"]
    assert own.occasion.kind == "main"


def test_a_wave_of_happenings_counts_several() -> None:
    wave = "Kabul bombs\nA wave of bombings across Afghanistan killed 40 people on Monday, including 12 in"
    wave += " Kabul.\n"
    assert _contradictions(KABUL, wave) == []
    # a headline about the wave makes its toll the main happening's
    headline = (
        "Wave of bombings kills 40\nA wave of bombings across Afghanistan killed 40 people on Monday.\n"
    )
    (killed,) = [c for c in extract_claims(_art("w", headline)) if c.raw == "killed 40 people"]
    assert killed.occasion.kind == "main"


def test_an_unzoned_time_is_the_local_time_of_the_place_reported_from() -> None:
    # two wire reports from Rybnik: 6:20 and 8:45 local are two times of one blast
    a = "Mine blast kills nine\nRYBNIK, Poland (Agency) - The explosion occurred at 6:20 a.m. on Thursday.\n"
    b = "Polish mine blast\nThe blast at the mine in southern Poland occurred at about 8:45 a.m. on"
    b += " Thursday.\n"
    (ctr,) = _contradictions(a, b)
    assert ctr["slot"] == "explosion|time"
    # a time given once in local time and once in ET is one moment, a day apart in dates
    kabul = "Blast\nThe explosion occurred at 8:15 a.m. local time on Monday in Kabul.\n"
    assert _contradictions(kabul, "Blast\nThe explosion occurred at 11:45 p.m. ET on Sunday.\n") == []
    # a country with several clocks names none: the times stay unzoned, never compared
    tx = "Storm\nA tornado struck a town in the United States at 4 p.m.\n"
    other = "Storm\nThe tornado struck a town in the United States at 7 p.m.\n"
    assert _contradictions(tx, other) == []


def test_a_dateline_with_a_region_that_is_no_country_names_no_clock() -> None:
    from worker.core.claims.times import place_zone

    assert place_zone("Head\n\nLIEGE, Belgium (BPS) - A siege ended.") == "Europe/Brussels"
    # a US state after the city gives the state's clock when it keeps one
    assert place_zone("PORTLAND, Maine - A fire broke out.") == "America/New_York"  # not Oregon's
    assert place_zone("FILLMORE, Calif., Sept 16 - A fire broke out.") == "America/Los_Angeles"
    assert place_zone("EL PASO, Texas - A fire broke out.") is None  # Texas keeps two clocks
    assert place_zone("LIMA, Riverside - A fire broke out.") is None  # not a country or state
    assert place_zone("A British climber died in New Zealand on Monday.") == "Pacific/Auckland"
    assert place_zone("Talks between officials in Moscow and Warsaw") is None  # two clocks
    # a US state's name is not the country or the city of that name
    assert place_zone("A tornado struck a town in Georgia on Monday.") is None
    assert place_zone("Floods hit towns in Virginia on Monday.") is None


def test_a_fire_that_broke_out_started_and_a_report_is_not_the_start() -> None:
    a = "Fire\nLEEDS, England - The fire broke out at about 2:40 p.m. on Monday.\n"
    b = "Leeds fire\nLEEDS, England - The fire started at around 5 p.m. on Monday.\n"
    (ctr,) = _contradictions(a, b)
    assert ctr["slot"] == "fire|start_time"
    reported = "Leeds fire\nLEEDS, England - The fire was reported at 5 p.m. on Monday.\n"
    assert _contradictions(a, reported) == []


def test_the_day_results_showed_is_not_the_votes_date() -> None:
    a = "Election\nThe party won Sunday's election with 31.4% of the vote, results showed on Monday.\n"
    assert [c for c in extract_claims(_art("a", a)) if c.kind == "date" and c.raw == "on Monday"] == []


def test_a_year_in_a_relative_clause_does_not_date_the_age() -> None:
    a = "Final\nJonas Haugli, 31, scored twice on Saturday.\n"
    b = "Cup final\nCaptain Jonas Haugli scored twice on Saturday.\n"
    b += "The 29-year-old Haugli, who joined the club in 2022, was named man of the match.\n"
    (ctr,) = _contradictions(a, b)
    assert ctr["slot"] == "person:haugli|age"
    # a year in the main clause still dates it: "Smith, 62, told reporters in 2015"
    past = "Profile\nJohn Smith, 62, told reporters in 2015 that he would run.\n"
    assert [c for c in extract_claims(_art("p", past)) if c.kind == "quantity"] == []


def test_a_standoff_and_a_siege_are_one_happening() -> None:
    a = "Bank siege ends\nThe siege at the bank lasted more than nine hours on Thursday.\n"
    b = "Hostages freed\nPolice ended a five-hour standoff at the bank on Thursday.\n"
    (ctr,) = _contradictions(a, b)
    assert ctr["slot"] == "siege|duration"


def test_that_fire_points_back_at_the_fire_told_last() -> None:
    text = (
        "Wildfire\nThe Sespe fire has burned 20,000 acres since Monday.\n"
        "The 2017 Thomas fire burned 280,000 acres. That fire took 19 days to contain.\n"
    )
    (dur,) = [c for c in extract_claims(_art("a", text)) if c.kind == "duration"]
    assert dur.occasion.kind == "uncertain"


def test_a_spokesperson_may_hold_the_office_they_speak_for() -> None:
    a = "Gas blast\nProsecutor Ewa Sadowska said the hose had been cut on Monday.\n"
    b = "Blast probe\nEwa Sadowska, a spokeswoman for the regional prosecutor's office, spoke on Monday.\n"
    assert _contradictions(a, b) == []
    # another office than the one spoken for still conflicts (the seeds' spokesman)
    c = "Blast probe\nEwa Sadowska, a spokeswoman for the city council, spoke on Monday.\n"
    d = "Gas blast\nDeputy Mayor Ewa Sadowska said the hose had been cut on Monday.\n"
    (ctr,) = _contradictions(c, d)
    assert ctr["slot"] == "person:sadowska|role"


def test_a_title_set_off_before_the_name_is_a_role() -> None:
    a = "Deal\nNorbeck chief executive Thomas Reinholt said on Monday the deal was good.\n"
    b = "Deal\nNorbeck's chief financial officer, Thomas Reinholt, told staff on Monday the deal was good.\n"
    (ctr,) = _contradictions(a, b)
    assert ctr["slot"] == "person:reinholt|role"
    # "former" keeps it out; the country's leader is a country, not an organisation
    former = "Deal\nThe company's former chief executive, Thomas Reinholt, said on Monday it was good.\n"
    assert _contradictions(b, former) == []
    (role,) = extract_claims(_art("e", "Vote\nEstonia's prime minister, Priit Valgma, won.\n"))
    assert role.value["office"] == "prime minister" and role.value["country"] == "EE"


def test_people_rescued_or_evacuated_are_counted_as_objects_too() -> None:
    a = "Shipwreck\nRescuers saved 28 people off Lampedusa on Wednesday.\n"
    b = "Lampedusa shipwreck\nThirty-eight people were rescued off Lampedusa on Wednesday.\n"
    (ctr,) = _contradictions(a, b)
    assert ctr["slot"] == "event|rescued"
    # what is saved besides people is no rescue
    jobs = "Plant\nThe plan saved 300 jobs on Wednesday.\n"
    assert [c for c in extract_claims(_art("j", jobs)) if c.kind == "quantity"] == []


def test_results_told_against_different_sides_are_two_games() -> None:
    """A manager's sacking story tells the last game and the one before: "beat Harfield
    Town 2-0" and "lost 3-1 at Kelmore Athletic" are two games, not a disputed score.
    One game told from both sides ("Rovers beat Wanderers 2-1", "Wanderers lost 3-1 to
    Rovers") still disagrees."""
    a = "Rovers sack Dunmore\nRovers beat Harfield Town 2-0 on Tuesday, a week before the board met.\n"
    b = "Dunmore out at Rovers\nRovers lost 3-1 at Kelmore Athletic on Saturday, and Dunmore was sacked.\n"
    assert _contradictions(a, b) == []
    c = "Rovers win derby\nRovers beat Wanderers 2-1 on Saturday in front of 20,000 fans.\n"
    d = "Derby defeat\nWanderers lost 3-1 to Rovers on Saturday, their third defeat in a row.\n"
    (ctr,) = _contradictions(c, d)
    assert ctr["slot"] == "match|score"
    # a side's longer name is the same side
    e = "Derby report\nManchester Rovers beat Wanderers 3-1 on Saturday in front of 20,000 fans.\n"
    (ctr,) = _contradictions(c, e)
    assert ctr["slot"] == "match|score"


# -- counts a sentence reads together (quantities._counts_together) ------------------------

FERRY_DEAD_MISSING = (
    "Ferry capsizes off Lombok\nFive people died and two were missing after a ferry capsized off Lombok "
    "on Tuesday, rescuers said.\n"
)


@pytest.mark.parametrize("dead", ["Six", "Seven"])
def test_a_toll_beside_the_missing_may_yet_count_them(dead: str) -> None:
    later = f"Lombok ferry\n{dead} people were killed when a ferry capsized off Lombok on Tuesday.\n"
    assert _contradictions(FERRY_DEAD_MISSING, later) == []
    assert _contradictions(later, FERRY_DEAD_MISSING) == []


@pytest.mark.parametrize("dead", ["Three", "Nine"])
def test_the_missing_do_not_excuse_a_lower_toll_or_one_beyond_them(dead: str) -> None:
    other = f"Lombok ferry\n{dead} people were killed when a ferry capsized off Lombok on Tuesday.\n"
    assert len(_contradictions(FERRY_DEAD_MISSING, other)) == 1


def test_counts_told_after_a_toll_grew_are_the_latest() -> None:
    first = (
        "Landslide in Nepal\nA landslide killed at least eight people in western Nepal on Monday, "
        "injuring about 20, police said.\n"
    )
    later = (
        "Nepal landslide toll\nThe number of people killed by Monday's landslide in western Nepal, in "
        "Karnali province, has risen to 11, with 31 people injured, police said.\n"
    )
    (injured,) = [c for c in extract_claims(_art("b", later)) if c.predicate == "injured"]
    assert "risen" in injured.hedges
    assert _contradictions(first, later) == []
    # counts told before the growth are not revised by it
    before = "Nepal landslide\nThirty people were injured, and the toll rose to 11, police said.\n"
    (hurt,) = [c for c in extract_claims(_art("c", before)) if c.predicate == "injured"]
    assert "risen" not in hurt.hedges


def test_a_toll_grown_after_a_long_description_is_read() -> None:
    text = (
        "Avalanche\nThe death toll from Saturday's avalanche in the Val d'Isere ski area rose to four late "
        "on Saturday evening, police said.\n"
    )
    (toll,) = [c for c in extract_claims(_art("a", text)) if c.predicate == "killed"]
    assert (toll.value["lo"], toll.hedges) == (4.0, ("risen",))


def test_an_earlier_figure_given_elliptically_is_background() -> None:
    later = (
        "Stabbing at school\nFive students were hurt in the attack, according to a district "
        "statement; police had earlier said four.\n"
    )
    first = (
        "School stabbing\nA teenager wounded four students at a school in Leeds on Thursday, police said.\n"
    )
    claims = [c for c in extract_claims(_art("b", later)) if c.predicate.startswith("injured")]
    assert sorted((c.value["lo"], c.occasion.kind) for c in claims) == [(4.0, "background"), (5.0, "main")]
    assert _contradictions(first, later) == []
    assert _contradictions(later, first) == []
    three = "School stabbing\nA teenager wounded three students at a school in Leeds on Thursday.\n"
    assert len(_contradictions(three, later)) == 1  # a figure the later report never gave


def test_an_article_giving_two_voices_counts_disputes_neither() -> None:
    both = (
        "Building collapse\nThe block collapsed in Accra on Monday, killing seven people by the city's count "
        "and nine by the fire service's.\n"
    )
    claims = [c for c in extract_claims(_art("a", both)) if c.predicate == "killed"]
    assert sorted(c.value["lo"] for c in claims) == [7.0, 9.0]
    nine = "Accra collapse\nNine people were killed when a block collapsed in Accra on Monday.\n"
    assert _contradictions(both, nine) == []
    assert _contradictions(nine, both) == []


def test_the_same_missing_in_both_reports_explain_no_higher_toll() -> None:
    other = (
        "Lombok ferry\nSeven people died and two were missing after a ferry capsized off Lombok on Tuesday.\n"
    )
    assert len(_contradictions(FERRY_DEAD_MISSING, other)) == 1


def test_what_still_remains_is_told_as_of_its_writing() -> None:
    later = "Lombok ferry\nRescuers found more bodies on Wednesday, and two people were still missing.\n"
    (missing,) = [c for c in extract_claims(_art("b", later)) if c.predicate == "missing"]
    assert "still" in missing.hedges
    assert _contradictions(FERRY_DEAD_MISSING.replace("two were", "nine were"), later) == []
    remain = "Lombok ferry\nFive people died, and nine remain missing after the ferry capsized off Lombok.\n"
    (count,) = [c for c in extract_claims(_art("c", remain)) if c.predicate == "missing"]
    assert (count.value["lo"], count.hedges) == (9.0, ("still",))


def test_a_length_told_while_the_happening_goes_on_is_a_lower_bound() -> None:
    running = (
        "Jailed activist on hunger strike\nJailed union leader Rustam Abdi has been on hunger strike for "
        "a week to protest against solitary confinement, his lawyer said.\n"
    )
    ended = (
        "Abdi ends hunger strike\nJailed union leader Rustam Abdi ended a 24-day hunger strike on Friday "
        "after the prison lifted his solitary confinement, his lawyer said.\n"
    )
    (week,) = [c for c in extract_claims(_art("a", running)) if c.kind == "duration"]
    assert (week.value["lo"], week.value["hi"], week.hedges) == (10080.0, None, ("so far",))
    assert _contradictions(running, ended) == []
    assert _contradictions(ended, running) == []
    # Longer so far than the whole length another report gives is still a disagreement.
    month = running.replace("for a week", "for 30 days")
    assert len(_contradictions(month, ended)) == 1
    # So is a length told when it is over.
    assert len(_contradictions(ended, ended.replace("a 24-day", "a 41-day"))) == 1
    talks = (
        "Port strike\nThe dockers' strike, which has lasted 12 days so far, has closed the port of Durban.\n"
    )
    (so_far,) = [c for c in extract_claims(_art("t", talks)) if c.kind == "duration"]
    assert so_far.value["hi"] is None and "so far" in so_far.hedges


def test_a_nationality_and_a_profession_tell_who_someone_is_not_a_post() -> None:
    described = (
        "Festival awards\nThe jury, presided over by Iranian-French director Kamran Delavar, gave the top "
        "prize to the Chilean entry on Saturday.\n"
    )
    post = "Festival awards\nThe jury president, Kamran Delavar, praised the winning film on Saturday.\n"
    assert _contradictions(described, post) == []
    actor = "Festival awards\nBritish actor Tom Ashby led the jury that gave the top prize on Saturday.\n"
    producer = "Festival awards\nFilm producer Tom Ashby led the jury that gave the top prize on Saturday.\n"
    assert _contradictions(actor, producer) == []
    # A nationality before a state's office names that state's post: still compared.
    foreign = "Talks in Geneva\nFrench Foreign Minister Jean Dupuy met his counterpart on Saturday.\n"
    interior = "Talks in Geneva\nFrench Interior Minister Jean Dupuy met his counterpart on Saturday.\n"
    assert len(_contradictions(foreign, interior)) == 1


def test_an_age_describing_the_person_named_next_is_theirs() -> None:
    def ages_of(text: str) -> list[tuple[str, float]]:
        return [(c.subject, c.value["lo"]) for c in extract_claims(_art("a", text)) if c.predicate == "age"]

    freed = (
        "Hostages freed\nThe freed group included the mine's site manager, a 61-year-old French engineer, "
        "Alain Kerbrat, who has worked in West Africa for two decades.\n"
    )
    assert ages_of(freed) == [("person:kerbrat", 61.0)]
    assert ages_of("Crash\nPolice arrested a 40-year-old driver, John Lowe, on Monday.\n") == [
        ("person:lowe", 40.0)
    ]
    # No description, a speaker, a place or a company between: nobody's age is read.
    for text in (
        "Crash\nThe 31-year-old suspect, police said, fled the scene on Monday.\n",
        "Crash\nA 34-year-old woman, Jane Lowe said, was hurt on Monday.\n",
        "Crash\nA 30-year-old man from Leeds, John Lowe, was hurt on Monday.\n",
        "Crash\nA 40-year-old Acme driver, John Lowe, was hurt on Monday.\n",
    ):
        assert ages_of(text) == [], text
    other = (
        "Hostages freed\nAmong those freed was the mine's French site manager, Alain Kerbrat, 58, who had "
        "been held since Friday.\n"
    )
    assert len(_contradictions(other, freed)) == 1
