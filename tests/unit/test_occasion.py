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
    return Routed(
        op="article",
        event_id="ev",
        article_id=aid,
        source=aid,
        published_at="2024-07-08T10:00:00Z",
        content_hash=aid,
        claims=(claim,),
    )


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


# --------------------------------------------------------------------------- patterns
# Short articles of our own, one per false-alarm pattern of the held-out review (the
# look-alike-events row belongs to event identity).  Each trap is a candidate — the
# same subject and predicate with incompatible values, what was raised before the
# occasion model — and must not be raised; each control must be.

from tests.unit.one_event import contradictions  # noqa: E402
from worker.core.claims import analyse, extract_claims, relate  # noqa: E402
from worker.core.model import Article  # noqa: E402

DAY = "2024-07-08T10:00:00Z"


def _run(*articles: Article) -> list[dict[str, object]]:
    """Reconcile the articles as one event, in order; the contradiction records."""
    return contradictions(articles)


def _art(aid: str, text: str, published_at: str | None = DAY) -> Article:
    title = text.split("\n", 1)[0]
    return Article(id=aid, text=text, title=title, source=f"outlet-{aid}", published_at=published_at)


def _is_candidate(a: Article, b: Article, raw_a: str, raw_b: str) -> bool:
    """The two figures share a subject and predicate and their values conflict."""
    (ca,) = [c for c in extract_claims(a) if c.raw == raw_a]
    (cb,) = [c for c in extract_claims(b) if c.raw == raw_b]
    return ca.base_slot == cb.base_slot and relate(ca, cb, rules=False) == "conflict"


FLOOD_A = _art(
    "a",
    "Floods kill 12 in Bangladesh\n"
    "Flash floods killed 12 people in northern Bangladesh on Monday, officials said.\n"
    "Rescue teams searched for survivors in the Sylhet region.\n"
    "The 1998 floods killed 4,000 people across the country.\n"
    "It was the deadliest flood since 2004, when 700 people died.\n"
    "The previous storm left 300 dead.\n",
)
FLOOD_B = _art(
    "b",
    "Bangladesh floods leave 12 dead\n"
    "Flash floods killed 12 people in villages of northern Bangladesh on Monday.\n"
    "Officials said the water was receding.\n",
)


@pytest.mark.parametrize("trap", ["killed 4,000 people", "700 people died", "300 dead"])
def test_another_occasion_is_not_the_main_one(trap: str) -> None:
    assert _is_candidate(FLOOD_A, FLOOD_B, trap, "killed 12 people")
    assert _run(FLOOD_A, FLOOD_B) == []
    assert _run(FLOOD_B, FLOOD_A) == []


def test_main_figures_still_conflict() -> None:
    other = _art(
        "c", "Floods kill 30 in Bangladesh\nFlash floods killed 30 people in northern Bangladesh on Monday.\n"
    )
    (ctr,) = _run(FLOOD_A, other)
    assert ctr["slot"] == "event|killed"
    assert {c["value"]["lo"] for c in ctr["claims"]} == {12, 30}


def test_other_games_of_a_round_up() -> None:
    a = _art(
        "a",
        "United beat Chelsea 3-1\nManchester United beat Chelsea 3-1 at Old Trafford on Saturday.\n"
        "In other games, Arsenal beat Spurs 2-0 and Everton lost 4-1 to Leeds.\n"
        "Last season United lost 2-0 in the same fixture.\n",
    )
    b = _art("b", "Chelsea lose at United\nChelsea lost 3-1 to Manchester United on Saturday.\n")
    assert _is_candidate(a, b, "beat Spurs 2-0", "lost 3-1")
    assert _run(a, b) == []
    wrong = _art("c", "Chelsea lose at United\nChelsea lost 2-1 to Manchester United on Saturday.\n")
    assert len(_run(a, wrong)) == 1


BLAST_A = _art(
    "a",
    "Car bomb kills 31 in Baghdad\n"
    "A car bomb killed 31 people in a crowded Baghdad market on Thursday, police said.\n"
    "A second bomb killed four people near a checkpoint an hour later.\n"
    "Three people died at one hospital after the blast.\n"
    "In the northern district of Shaab, eight people died when a wall collapsed.\n"
    "In a similar attack last year, 50 people were killed.\n",
)
BLAST_B = _art(
    "b", "Baghdad market bombing\nA car bomb killed 31 people at a market in Baghdad on Thursday.\n"
)


@pytest.mark.parametrize(
    ("trap", "kind"),
    [
        ("killed four people", "other_incident"),  # a second bomb: another entity
        ("Three people died", "part"),  # at one hospital: a part
        ("eight people died", "part"),  # a narrower place
        ("50 people were killed", "other_incident"),  # a similar attack
    ],
)
def test_parts_and_other_incidents(trap: str, kind: str) -> None:
    (claim,) = [c for c in extract_claims(BLAST_A) if c.raw == trap]
    assert claim.occasion.kind == kind
    assert _is_candidate(BLAST_A, BLAST_B, trap, "killed 31 people")
    assert _run(BLAST_A, BLAST_B) == []


RIOT_A = _art(
    "a",
    "Protesters clash with police in Athens\n"
    "Protesters clashed with riot police in central Athens on Saturday, injuring 12 people, police said.\n"
    "Officers fired tear gas at crowds outside parliament.\n"
    "The riots in cities throughout the country have left at least 70 people injured.\n"
    "Police said the clashes in five cities injured 150 people.\n"
    "Nationwide, 300 people were injured in a week of protests.\n",
)
RIOT_B = _art(
    "b",
    "Athens protest turns violent\n"
    "Riot police clashed with protesters in Athens on Saturday, injuring 12 people.\n",
)


@pytest.mark.parametrize(
    "trap", ["at least 70 people injured", "injured 150 people", "300 people were injured"]
)
def test_a_count_over_a_wider_extent_is_a_total(trap: str) -> None:
    """A count over the whole country or several places is a total, of which the main
    happening is a part nobody states: never compared with the main happening's count."""
    (claim,) = [c for c in extract_claims(RIOT_A) if c.raw == trap]
    assert claim.occasion.kind == "total"
    assert not claim.occasion.comparable
    assert _is_candidate(RIOT_A, RIOT_B, trap, "injuring 12 people")
    assert _run(RIOT_A, RIOT_B) == []
    assert _run(RIOT_B, RIOT_A) == []


def test_a_wide_happening_counts_as_the_main_one() -> None:
    """When the headline and lead span the country, a count that wide is the main
    happening's own; and a nationwide strike's length is the strike's, not a total."""
    text = (
        "Nationwide strike paralyses Greece\n"
        "A general strike shut schools and ports across the country on Wednesday, and 40 people were "
        "injured in clashes with police.\n"
        "Unions called the walkout a success.\n"
        "The clashes across the country injured 40 people, police said.\n"
        "The marches came amid a 24-hour nationwide general strike.\n"
    )
    kinds = {c.raw: c.occasion.kind for c in extract_claims(_art("a", text))}
    assert kinds["40 people were injured"] == "main"
    assert kinds.get("injured 40 people") != "total"
    assert "total" not in kinds.values()
    other = _art(
        "b", "Greek strike turns violent\nClashes during a strike in Greece on Wednesday injured 60 people.\n"
    )
    assert len(_run(_art("a", text), other)) == 1


def test_aftershock_is_another_entity() -> None:
    a = _art(
        "a",
        "Magnitude 6.2 quake hits Turkey\nA magnitude 6.2 earthquake struck eastern Turkey on Sunday.\n"
        "The quake was followed by dozens of aftershocks, the strongest a magnitude 5.1.\n",
    )
    b = _art(
        "b", "Strong quake in eastern Turkey\nA magnitude 6.2 earthquake struck eastern Turkey on Sunday.\n"
    )
    assert _is_candidate(a, b, "magnitude 5.1", "magnitude 6.2")
    assert _run(a, b) == []
    c = _art(
        "c", "Strong quake in eastern Turkey\nA magnitude 5.8 earthquake struck eastern Turkey on Sunday.\n"
    )
    assert len(_run(a, c)) == 1


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Officials warned the toll could rise to 50.", "hypothetical"),
        ("If the dam fails, 500 people may die.", "hypothetical"),
        ("Analysts expected turnout of 70 percent.", "hypothetical"),
        ("Such floods typically kill 200 people a year.", "generic"),
        ("A quake of this magnitude can kill hundreds of people.", "hypothetical"),
    ],
)
def test_generic_and_hypothetical(sentence: str, kind: str) -> None:
    text = f"Floods kill 12 in Bangladesh\n{sentence}\nFlash floods killed 12 people on Monday.\n"
    found = [c for c in extract_claims(_art("a", text)) if c.sentence == sentence]
    assert found, sentence
    assert {c.occasion.kind for c in found} == {kind}
    assert not any(c.occasion.comparable for c in found)


def test_figures_deep_in_the_article_need_evidence() -> None:
    text = (
        "Fire destroys warehouse\nA fire destroyed a warehouse in Leeds on Friday, injuring two workers.\n"
        "The building had been empty for a year before the owners sold it.\n"
        "Police said 20 people were injured.\n"
        "The blaze injured three firefighters, the fire service said.\n"
    )
    claims = {c.raw: c.occasion for c in extract_claims(_art("a", text))}
    assert claims["injuring two workers"].kind == "main"  # the lead
    assert claims["20 people were injured"].kind == "uncertain"  # deep, no reference to the fire
    assert claims["injured three firefighters"] == Occasion("main", cue="the blaze")


@pytest.mark.parametrize(
    "text",
    [
        "Man found dead\nA man died at 9:15pm on Monday at his home, police said.",
        "Man found dead\nThe man died at 9 p.m. on Monday.",
        "Three hurt in crash\nThree people died at one hospital after the crash.",
        "Blast at factory\nNo one was hurt in the blast on Monday.",
        "Quake history\nAn earthquake in 1999 killed more than 17,000 people.",
    ],
)
def test_misread_text_makes_no_figure(text: str) -> None:
    bad = {(c.predicate, c.value.get("lo")) for c in extract_claims(_art("a", text))}
    assert ("age", 9.0) not in bad and ("age", 1.0) not in bad
    assert ("injured", 1.0) not in bad and ("killed", 1999.0) not in bad


def test_ages_at_death_are_fixed_and_compared_whatever_the_dates() -> None:
    a = _art(
        "a", "Actress Jane Marlow dies\nActress Jane Marlow died at 88 on Tuesday in Los Angeles.\n", None
    )
    b = _art(
        "b",
        "Jane Marlow dead\nJane Marlow, the star of many films, has died aged 91, her family said.\n",
        None,
    )
    (ctr,) = _run(a, b)
    assert ctr["slot"] == "person:marlow|age"


def test_pronoun_ages_go_to_the_one_main_person() -> None:
    a = _art(
        "a", "Actress Jane Marlow dies\nActress Jane Marlow died on Tuesday in Los Angeles.\nShe was 88.\n"
    )
    (age,) = [c for c in extract_claims(a) if c.predicate == "age"]
    assert age.subject == "person:marlow" and age.value["lo"] == 88
    two = _art(
        "b", "Jane Marlow and John Reed die\nJane Marlow and John Reed died on Tuesday.\nShe was 88.\n"
    )
    assert [c for c in extract_claims(two) if c.predicate == "age"] == []  # whose age?


def test_ages_at_other_times_are_not_compared() -> None:
    arrest = _art(
        "a", "Suspect held\nPolice arrested Jose Ruiz, 27, on Friday after the shooting.\n", "2005-06-25"
    )
    trial = _art("b", "Ruiz convicted\nA jury convicted Jose Ruiz, 29, of murder on Tuesday.\n", "2007-03-20")
    assert _is_candidate(arrest, trial, "Jose Ruiz, 27,", "Jose Ruiz, 29,")
    assert _run(arrest, trial) == []
    undated = _art("c", "Ruiz convicted\nA jury convicted Jose Ruiz, 29, of murder on Tuesday.\n", None)
    (age,) = [c for c in extract_claims(undated) if c.predicate == "age"]
    assert age.occasion.kind == "uncertain"
    same_week = _art(
        "d", "Suspect named\nPolice named the suspect as Jose Ruiz, 28, of Compton.\n", "2005-06-26"
    )
    assert len(_run(arrest, same_week)) == 1
    then = _art("e", "Award\nJane Marlow won an award in 1975, when she was 40, and another in 1980.\n", DAY)
    assert {c.occasion.kind for c in extract_claims(then) if c.predicate == "age"} == {"earlier"}


# --------------------------------------------------------------------------- evolving figures


def _dated(aid: str, day: str, text: str) -> Article:
    # no published_at: the order comes from the dateline (the reference-time helper)
    title = text.split("\n", 1)[0]
    return Article(id=aid, text=f"{title}\n{day}\n{text.split(chr(10), 1)[1]}", title=title, source=aid)


EARLY = _dated(
    "a", "March 3, 2024", "Fire kills two\nA fire killed two people in an apartment block on Sunday.\n"
)
LATER = _dated(
    "b", "March 6, 2024", "Fire toll rises\nThe fire killed 17 people in the apartment block, police said.\n"
)
SAME_DAY = _dated(
    "c", "March 3, 2024", "Fire kills 17\nA fire killed 17 people in an apartment block on Sunday.\n"
)


def _types(*articles: Article) -> list[str]:
    state: dict[str, object] | None = None
    types: list[str] = []
    for a in articles:
        found, ref = analyse(a)
        msg = Routed(
            op="article", event_id="ev", article_id=a.id, source=a.id, content_hash=a.id,
            claims=tuple(found), reference=ref.to_json() if ref else None,
        )  # fmt: skip
        state, out = reconcile(state, msg)
        types += [o.value["type"] for o in out]
    return types


def test_a_grown_toll_in_a_later_report_supersedes() -> None:
    assert "claim_superseded" in _types(EARLY, LATER)
    assert "contradiction" not in _types(EARLY, LATER)
    # the same whichever arrives first: the older report is already outdated
    assert "claim_superseded" in _types(LATER, EARLY)
    assert "contradiction" not in _types(LATER, EARLY)


def test_reports_closer_than_the_gap_still_conflict() -> None:
    assert "contradiction" in _types(EARLY, SAME_DAY)
    # a dateline stands for its day and the day before: two days apart is not yet ordered
    two_days = _dated("d", "March 5, 2024", "Fire toll rises\nThe fire killed 17 people in the block.\n")
    assert "contradiction" in _types(EARLY, two_days)


def test_fixed_facts_conflict_whatever_the_order() -> None:
    early = _dated("a", "March 3, 2024", "Singer dies\nThe singer Ann Lee died at 71 on Sunday.\n")
    later = _dated("b", "March 6, 2024", "Singer mourned\nThe singer Ann Lee, who died at 74, was mourned.\n")
    assert "contradiction" in _types(early, later)
    quake_a = _dated("c", "March 3, 2024", "Quake\nA magnitude 6.1 earthquake struck on Sunday.\n")
    quake_b = _dated("d", "March 6, 2024", "Quake\nA magnitude 6.8 earthquake struck on Sunday.\n")
    assert "contradiction" in _types(quake_a, quake_b)


# --------------------------------------------------------------------------- other entities


def test_a_co_defendants_sentence_is_another_persons() -> None:
    a = _art(
        "a",
        "Two jailed over bank fraud\nA judge sentenced Mark Hale to 12 years in prison on Monday.\n"
        "His co-defendant, Lisa Dunn, was sentenced to 20 years.\n",
    )
    b = _art("b", "Hale jailed\nA judge sentenced Mark Hale to 12 years in prison on Monday for the fraud.\n")
    slots = {c.raw: c.slot for c in extract_claims(a)}
    assert slots["sentenced Mark Hale to 12 years"] == "person:hale|sentence"
    assert slots["sentenced to 20 years"] == "person:dun|sentence"  # doubled letters fold
    assert _run(a, b) == []
    c = _art("c", "Hale jailed\nA judge sentenced Mark Hale to 15 years in prison on Monday.\n")
    (ctr,) = _run(a, c)
    assert ctr["slot"] == "person:hale|sentence"


def test_two_climbers_falls_are_two_slots() -> None:
    a = _art(
        "a",
        "Two climbers die\nRobert Lane, 32, fell about 600 metres on Saturday.\n"
        "A day earlier Duncan Reid fell 60 metres from a ridge.\n",
    )
    b = _art("b", "Climber dies\nRobert Lane fell 700 metres to his death on Saturday, police said.\n")
    falls = {c.subject for c in extract_claims(a) if c.predicate == "fall_distance"}
    assert falls == {"person:lane", "person:reid"}
    (ctr,) = _run(a, b)  # 600 m ± 10% against 700 m: Lane's fall, one disagreement
    assert ctr["slot"] == "person:lane|fall_distance"


def test_main_figures_of_reports_months_apart_are_not_compared() -> None:
    # a later, lower toll is no revision; weeks apart, it is another happening
    spring = _dated(
        "a", "March 3, 2024", "Fire kills nine\nA fire killed nine people in an apartment block.\n"
    )
    autumn = _dated(
        "b", "October 9, 2024", "Fire kills two\nA fire killed two people in an apartment block.\n"
    )
    assert "contradiction" not in _types(spring, autumn)
    week = _dated("c", "March 10, 2024", "Fire kills two\nA fire killed two people in an apartment block.\n")
    assert "contradiction" in _types(spring, week)


@pytest.mark.parametrize(
    ("sentence", "figure", "occasion"),
    [
        # a relative that-clause is about the thing it names, and takes its time
        ("A court jailed a man over the 2019 shooting that killed three people.", "three", "earlier"),
        ("A jury convicted her over a rampage two years ago that left two women dead.", "two", "earlier"),
        ("A blast killed 12 workers, three years after a fire that killed five.", "five", "other_incident"),
        ("A blast killed 12 workers, three years after a fire that killed five.", "12", "main"),
        # the aftermath of this story's happening, told a day later, is still it
        ("Ash fell on Tuesday, a day after an eruption that killed three people.", "three", "main"),
        # a that-clause after a verb of saying is the report's, whatever month it was said in
        ("Police said on Monday that the blast killed 12 people.", "12", "main"),
        ("Police said in May that the blast killed 12 people.", "12", "main"),
        ("A fire that killed 12 people broke out at the depot on Monday.", "12", "main"),
        # "ago" after the figure dates the other figure, not this one
        ("Turnout was 61 percent, the board said, against 68 percent four years ago.", "61", "not earlier"),
    ],
)
def test_a_that_clause_takes_the_time_of_what_it_is_about(sentence: str, figure: str, occasion: str) -> None:
    (claim,) = [c for c in extract_claims(_art("t", "Report\n" + sentence)) if figure in c.raw]
    if occasion == "not earlier":
        assert claim.occasion.kind != "earlier"
    else:
        assert claim.occasion.kind == occasion


@pytest.mark.parametrize(
    "sentence",
    [
        "Police had initially said 11 people were wounded, but later revised the figure.",
        "Officials originally put the toll at 12 before a recount.",
        "Police initially said that 15 people had been detained.",
    ],
)
def test_a_figure_first_given_and_since_superseded_is_not_the_main_one(sentence: str) -> None:
    (claim,) = [c for c in extract_claims(_art("t", "Report\n" + sentence)) if c.kind == "quantity"]
    assert claim.occasion.kind == "background" and not claim.occasion.comparable


def test_a_report_that_gave_the_first_count_is_not_contradicted_by_the_revision() -> None:
    """The report that tells 11 were first said to be wounded and now eight knows the 11 as
    the earlier count: an outlet that printed 11 is behind, not in dispute."""
    first = _art("o", "Park shooting\nA gunman wounded 11 people at a park on Saturday, police said.\n")
    update = _art(
        "n",
        "Park shooting update\nA gunman wounded eight people at a park on Saturday. Police had "
        "initially said 11 people were wounded, but later revised the figure.\n",
    )
    assert _run(first, update) == []
    plain = _art("p", "Park shooting update\nA gunman wounded eight people at a park on Saturday.\n")
    assert [c["slot"] for c in _run(first, plain)] == ["event|injured"]


@pytest.mark.parametrize(
    ("text", "figure", "kind"),
    [
        # The headline numbers the main happening: "the seventh game" is that game.
        (
            "Dunav win title in Game 7 thriller\nDunav won 87-84 in the deciding seventh game on Sunday.\n",
            "87-84",
            "main",
        ),
        (
            "Coquimbo quake: second death confirmed\nAuthorities confirmed a second death from "
            "Friday's magnitude 6.5 earthquake in Chile.\n",
            "magnitude 6.5",
            "main",
        ),
        # Without it, an ordinal still names another one of the series.
        (
            "Dunav win the title\nDunav won 87-84 on Sunday. They lost 80-71 in the sixth game on Friday.\n",
            "80-71",
            "other_incident",
        ),
        # A comparison with the past after the figure ranks it; it does not date it.
        (
            "Dunav win the title\n"
            "Dunav beat Posavina 88-84 on Sunday, winning their first title since 2016.\n",
            "88-84",
            "main",
        ),
        (
            "Bomb kills 30 in Kabul\n"
            "A bomb killed 30 people in Kabul on Monday, the deadliest attack since 2004.\n",
            "killed 30",
            "main",
        ),
        # Before the figure, or a span that runs since then, it still does.
        (
            "Kabul violence\nSince 2004, 300 people have died in bombings in Kabul, police said on Monday.\n",
            "300",
            "not main",
        ),
        (
            "Kabul violence\n"
            "A bomb killed 30 people on Monday; 12 have died since the fighting began in 2019.\n",
            "12",
            "not main",
        ),
    ],
)
def test_a_number_the_headline_gives_or_a_ranking_after_the_figure_keeps_it_main(
    text: str, figure: str, kind: str
) -> None:
    (claim,) = [c for c in extract_claims(_art("t", text)) if figure in c.raw]
    if kind == "not main":
        assert claim.occasion.kind != "main"
    else:
        assert claim.occasion.kind == kind
