"""Precision rules found by reviewing every contradiction raised on the development set."""

from __future__ import annotations

from worker.core.claims import earlier_anchor, extract_claims, relate
from worker.core.model import Article, Claim
from worker.core.reconcile import Output, Routed, reconcile


def claims(text: str, published_at: str | None = None) -> list[Claim]:
    return extract_claims(Article(id="x", text=text, published_at=published_at))


def one(text: str, kind: str, published_at: str | None = None) -> Claim:
    (claim,) = [c for c in claims(text, published_at) if c.kind == kind]
    return claim


def test_namesakes_in_a_person_slot_do_not_conflict() -> None:
    when = {"published_at": "2005-06-25"}  # ages are anchored to the reference time
    son = one('"I am relieved," said 17-year-old Jeremy Ortiz, the deputy\'s son.', "quantity", **when)
    father = one("Ortiz, 35, was a 15-year member of the sheriff's department.", "quantity", **when)
    assert son.slot == father.slot == "person:ortiz|age"
    assert relate(son, father) == "compatible"
    (a,) = [c for c in claims("Robert Buckley, 32, fell about 2,000 feet.", **when) if c.predicate == "age"]
    b = one("The climber, 31-year-old Robert Buckley of the U.S., died.", "quantity", **when)
    assert relate(a, b) == "conflict"


def test_figures_about_an_earlier_happening_get_their_own_slot() -> None:
    assert earlier_anchor("In February, a gunman killed five people at a mall.") == "--02"
    assert earlier_anchor("In February, a gunman killed five.", "2013-03-05T10:00:00Z") == "2013-02"
    assert earlier_anchor("He was hurt last Thursday in a 27-24 loss to Chicago.") == "last thursday"
    assert earlier_anchor("The gunman killed five people on Monday.") is None
    earlier = one("In February, a gunman killed five people at a mall in Salt Lake City.", "quantity")
    today = one("A gunman killed one person at an accounting firm on Monday.", "quantity")
    assert earlier.slot != today.slot
    assert earlier.slot.startswith("event@--02|")


def test_the_part_of_a_partitive_is_not_the_whole_count() -> None:
    assert not [
        c for c in claims("Local news reported that two of the three victims died.") if c.kind == "quantity"
    ]


def test_office_stages_are_one_office() -> None:
    elect = one("President-elect Barack Obama takes office in six weeks.", "role")
    sworn = one("President Barack Obama overturned the rule on Tuesday.", "role")
    assert relate(elect, sworn) != "conflict"


#: One day for every report: dated reports are compared without other shared facts.
DAY = "2024-07-08T10:00:00Z"


def routed(aid: str, text: str) -> Routed:
    return Routed(
        op="article",
        event_id="ev",
        article_id=aid,
        source=aid,
        published_at=DAY,
        content_hash=aid,
        claims=tuple(extract_claims(Article(id=aid, text=text))),
    )


def contradictions(*msgs: Routed) -> list[Output]:
    state = None
    out: list[Output] = []
    for msg in msgs:
        state, more = reconcile(state, msg)
        out += [o for o in more if o.topic == "contradictions"]
    return out


def test_two_offices_held_at_once_are_not_a_contradiction() -> None:
    both = routed(
        "a", "Philadelphia 76ers President and General Manager Billy King announced the move today."
    )
    one_title = routed("b", 'He bleeds Philadelphia," team president Billy King said.')
    assert contradictions(both, one_title) == []
    # Without a source naming both, two different offices for one named person conflict.
    spokesman = routed("c", "White House spokesman Dan Scavino said the call began at 10 a.m.")
    deputy = routed("d", "Dan Scavino, Deputy Chief of Staff at the White House, wrote on X.")
    assert [o.value["slot"] for o in contradictions(spokesman, deputy)] == ["person:scavino|role"]


def test_money_ten_times_apart_is_another_happenings_money() -> None:
    """The identity rule's ``size``, applied to one slot: not a disagreement on one figure."""
    when = "2013-07-29T10:00:00Z"

    def amount(text: str) -> Claim:
        (claim,) = [c for c in claims(text, when) if c.predicate == "amount"]
        return claim

    def stole(worth: str) -> Claim:
        return amount(f"Armed robbers stole jewels worth {worth} from a hotel on Sunday, police said.")

    big, small, other = stole("$137 million"), stole("$2.6 million"), stole("$4 million")
    assert big.slot == small.slot == other.slot == "haul|amount"
    assert relate(big, small) == relate(small, big) == "compatible"
    assert relate(small, other) == "conflict"  # outlets disagreeing on one haul still conflict
    assert relate(small, stole("$26 million")) == "compatible"  # the boundary: ten times
    assert relate(small, stole("$25 million")) == "conflict"
    assert relate(small, stole("$260 million"), rules=False) == "conflict"  # the bare relation is kept
    damage = amount("The fire caused damage estimated at $12 million, the county said.")
    assert relate(damage, amount("The fire caused damage estimated at $150 million, the county said.")) == (
        "compatible"
    )
    assert relate(damage, amount("The fire caused damage estimated at $40 million, the county said.")) == (
        "conflict"
    )


def test_a_year_after_a_month_or_a_day_is_no_count() -> None:
    for text, count in (
        ("It comes after a collapse at the mine in March 2021 killed nine workers.", 9.0),
        ("A quake on September 12, 2019 killed 30 people.", 30.0),
        ("The 12 September 2019 quake killed 30 people.", 30.0),
    ):
        values = [c.value["value"] for c in claims(text) if c.predicate.startswith("killed")]
        assert values == [count], (text, values)
    # a bare number before the verb is still a count
    assert [c.value["value"] for c in claims("In all, 2021 people were killed.")] == [2021.0]


def test_a_managing_director_is_no_plain_director() -> None:
    # "managing director" heads a company, and a company head often chairs another body;
    # read as "director" it clashed with "chairman of the … Forum" in another report.
    md = one("Deltaline managing director Tunde Bakare said the aircraft was inspected.", "role")
    chair = one("Tunde Bakare, chairman of the Nigerian Rotorcraft Operators Forum, said so.", "role")
    assert (md.value["office"], md.value["org"]) == ("managing director", "Deltaline")
    assert relate(md, chair) == "compatible"
    director = one("Deltaline director Tunde Bakare said the aircraft was inspected.", "role")
    assert relate(director, chair) == "conflict"


def test_a_toll_told_in_the_present_tense_has_grown() -> None:
    for text in ("Ferry death toll rises to 23 as divers search hull", "Bus crash toll climbs to 17"):
        assert "risen" in one(text, "quantity").hedges, text


def test_a_toll_named_by_what_it_is_of() -> None:
    for text, count in (
        ("The death toll from the ferry sinking rose to 23.", 23.0),
        ("The death toll from Tuesday's quake has risen to 40, officials said.", 40.0),
        ("The toll from the storm stands at 12.", 12.0),
    ):
        assert one(text, "quantity").value["value"] == count, text
    assert claims("The toll from the 2008 crash was high.") == []


def test_a_deputy_holds_another_office_than_the_one_he_deputises_for() -> None:
    """ "Deputy Governor" is not "Governor": two reports that give one person the two
    disagree on her rank.  "Vice" is the same rank in another translation, an acting
    governor is the governor for now, and a sheriff's
    deputy is a deputy sheriff however the words fall.  An ordinal ranks one of several
    deputies: "First" against "Second" disagrees, one without it is only less precise."""

    def office(text: str) -> str:
        return str(one(text, "role").value["office"])

    assert office("Deputy Governor Ana Lima resigned on Monday.") == "deputy governor"
    assert office("Ana Lima, the deputy governor, resigned on Monday.") == "deputy governor"
    assert office("The bank's deputy governor, Ana Lima, resigned on Monday.") == "deputy governor"
    assert office("Vice Governor Ana Lima resigned on Monday.") == "deputy governor"
    assert office("Deputy Finance Minister Ana Lima resigned on Monday.") == "deputy finance minister"
    assert office("Vice Chairman Ana Lima resigned on Monday.") == "deputy chair"
    assert office("Assistant Coach Ana Lima resigned on Monday.") == "assistant coach"
    assert office("Acting Governor Ana Lima resigned on Monday.") == "governor"
    # offices named whole keep their names, a generic head stays generic
    assert office("Vice President Ana Lima resigned on Monday.") == "vice president"
    assert office("Deputy Prime Minister Ana Lima resigned on Monday.") == "deputy prime minister"
    assert one("Deputy head Ana Lima resigned on Monday.", "role").value["generic"] is True
    second = one("Second Deputy Governor Ana Lima resigned on Monday.", "role")
    assert second.value["office"] == "second deputy governor" and second.value["org"] is None
    assert office("Sheriff Deputy Jerry Ortiz was killed on Friday.") == "deputy sheriff"

    deputy = routed("a", "Deputy Governor Ana Lima resigned on Monday, the central bank said.")
    governor = routed("b", "Governor Ana Lima resigned on Monday, the central bank said.")
    (ctr,) = contradictions(deputy, governor)
    assert ctr.value["slot"] == "person:lima|role"
    for same in (
        "Vice Governor Ana Lima resigned on Monday, the central bank said.",
        "First Deputy Governor Ana Lima resigned on Monday, the central bank said.",
        "Ana Lima, the deputy governor, resigned on Monday, the central bank said.",
    ):
        assert contradictions(deputy, routed("c", same)) == [], same
    # an ordinal ranks one of several deputies: given by both, it must agree
    first = routed("g", "First Deputy Governor Ana Lima resigned on Monday, the central bank said.")
    (ranks,) = contradictions(first, routed("h", "Second Deputy Governor Ana Lima resigned on Monday."))
    assert ranks.value["slot"] == "person:lima|role"
    (ctr,) = contradictions(first, governor)  # and a ranked deputy is still no governor
    assert ctr.value["slot"] == "person:lima|role"
    acting = routed("d", "Acting Governor Ana Lima resigned on Monday, the central bank said.")
    assert contradictions(governor, acting) == []
    ortiz = routed("e", "Sheriff Deputy Jerry Ortiz, 35, was killed on Friday.")
    murdered = routed("f", "He murdered Deputy Sheriff Jerry Ortiz, prosecutors said.")
    assert contradictions(ortiz, murdered) == []
