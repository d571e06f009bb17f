"""Unit and property tests of online event grouping (``worker/core/events.py``)."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worker.core.events import (
    MAX_FEATURE_KEYS,
    Assignment,
    EventConfig,
    EventFeatures,
    EventIndex,
    event_features,
    event_id_for,
)
from worker.core.model import Article
from worker.core.signature import _SENTENCE_END, LEAD_SENTENCES, MAX_HEADER_LINES, lead_end
from worker.core.textfeatures import date_keys, entity_tokens, number_keys

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# Two look-alike events: same kind of happening, same words, different places,
# magnitudes, dates and officials.
QUAKE_A = [
    Article(
        id="qa1",
        title="Magnitude 6.1 earthquake strikes near Lorca, Spain",
        text="A magnitude 6.1 earthquake struck near Lorca in southern Spain on May 11, killing nine people, "
        "the Murcia regional government said. Mayor Francisco Jodar said buildings collapsed in Lorca.",
    ),
    Article(
        id="qa2",
        title="Lorca quake kills nine in Murcia region",
        text="The earthquake that hit Lorca on May 11 killed nine people and damaged hundreds of buildings. "
        "Lorca mayor Francisco Jodar asked residents to sleep outdoors. "
        "The 6.1 tremor was felt across Murcia.",
    ),
    Article(
        id="qa3",
        title="Spain mourns Lorca earthquake victims",
        text="Rescue teams searched the rubble in Lorca after the magnitude 6.1 earthquake of May 11. "
        "Jodar said the Murcia government would rebuild the historic centre of Lorca.",
    ),
]
QUAKE_B = [
    Article(
        id="qb1",
        title="Magnitude 5.8 earthquake strikes near Van, Turkey",
        text="A magnitude 5.8 earthquake struck near Van in eastern Turkey on October 23, killing twelve "
        "people, the AFAD disaster agency said. Governor Munir Karaloglu said buildings collapsed in Ercis.",
    ),
    Article(
        id="qb2",
        title="Van quake kills twelve in eastern Turkey",
        text="The earthquake that hit Van on October 23 killed twelve people and damaged hundreds of "
        "buildings. Governor Munir Karaloglu asked Ercis residents to sleep outdoors. AFAD sent tents.",
    ),
    Article(
        id="qb3",
        title="Turkey mourns Van earthquake victims",
        text="Rescue teams searched the rubble in Ercis after the magnitude 5.8 earthquake of October 23 "
        "near Van. Karaloglu said AFAD would rebuild the damaged centre of Ercis.",
    ),
]


def seed_articles() -> list[Article]:
    out: list[Article] = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        title = next((ln for ln in lines if ln.lower() not in {"top of page", "< back"}), "")
        out.append(Article(id=path.stem, text=text, title=title))
    return out


def run(articles: list[Article], config: EventConfig | None = None) -> tuple[EventIndex, list[Assignment]]:
    index = EventIndex({}, config or EventConfig())
    out = [index.assign(a.id, event_features(a), seq) for seq, a in enumerate(articles)]
    return index, out


def snapshot(events: Any) -> str:
    return json.dumps(dict(events), sort_keys=True)


def derived(index: EventIndex) -> tuple[Any, ...]:
    postings = {k: sorted(v) for k, v in index._postings.items()}
    order = {k: list(v) for k, v in index._postings.items()}
    return (
        dict(sorted(index._df.items())),
        index._n,
        dict(sorted(postings.items())),
        dict(sorted(order.items())),
        index._article_event,
        index._clock,
    )


# -- ids, features -------------------------------------------------------------------


def test_event_ids_are_deterministic_and_founder_based() -> None:
    assert event_id_for("a1") == event_id_for("a1")
    assert event_id_for("a1") != event_id_for("a2")
    assert event_id_for("a1").startswith("ev-") and len(event_id_for("a1")) == 19
    _, out = run(QUAKE_A)
    assert out[0].created and out[0].event_id == event_id_for("qa1")


def test_features_round_trip_through_json() -> None:
    feats = event_features(QUAKE_A[0])
    data = json.loads(json.dumps(feats.to_json()))
    assert EventFeatures.from_json(data) == feats
    dated = event_features(Article(id="x", text="Hello Lorca.", published_at="2025-03-18T12:00:00Z"))
    assert EventFeatures.from_json(json.loads(json.dumps(dated.to_json()))) == dated
    assert dated.time == pytest.approx(1742299200.0)


def test_feature_signals() -> None:
    keys = dict(event_features(QUAKE_A[0]).keys)
    assert "@lorca" in keys and "@jodar" in keys
    assert "#d:5-11" in keys and "#n:6.1" in keys
    # Sentence-initial ordinary words and weekdays are not entities.
    ents = entity_tokens("Police said on Tuesday that The Lorca mayor met Francisco Jodar. Rescue came.")
    assert "lorca" in ents and "jodar" in ents
    assert not {"police", "tuesday", "the", "rescue"} & set(ents)
    assert date_keys("on May 3, 2013 and 7 June") == ["5-3", "6-7", "y2013"]
    assert number_keys("1,200 people, 3 cars, 6.1 quake in 2013") == ["1200", "6.1"]


# -- decisions -------------------------------------------------------------------------


def test_look_alike_events_are_kept_apart() -> None:
    index, out = run([QUAKE_A[0], QUAKE_B[0], QUAKE_A[1], QUAKE_B[1], QUAKE_A[2], QUAKE_B[2]])
    a = {o.event_id for o in out[0::2]}
    b = {o.event_id for o in out[1::2]}
    assert len(a) == 1 and len(b) == 1 and a != b
    assert index.event_of("qa3") == event_id_for("qa1")
    assert index.event_of("qb3") == event_id_for("qb1")


def test_seeds_land_in_one_event() -> None:
    seeds = seed_articles()
    assert len(seeds) == 5
    for order in (seeds, seeds[::-1], seeds[2:] + seeds[:2]):
        _, out = run(order + QUAKE_A)
        assert len({o.event_id for o in out[:5]}) == 1
        assert out[5].event_id != out[0].event_id


def test_reassign_is_idempotent_and_leaves_state_identical() -> None:
    articles = [QUAKE_A[0], QUAKE_B[0], QUAKE_A[1], QUAKE_B[1]]
    index, out = run(articles)
    before, caches = snapshot(index.events), derived(index)
    for seq, art in enumerate(articles):
        again = index.assign(art.id, event_features(art), 100 + seq)
        assert again == out[seq]
    assert out[0].created and index.assign("qa1", event_features(QUAKE_A[0]), 7).created
    assert snapshot(index.events) == before
    assert derived(index) == caches


class RecordingStore(dict[str, Any]):
    """A dict that keeps a deep copy of every value written, to catch in-place mutation."""

    def __init__(self) -> None:
        super().__init__()
        self.written: list[tuple[Any, Any]] = []

    def __setitem__(self, key: str, value: Any) -> None:
        self.written.append((value, copy.deepcopy(value)))
        super().__setitem__(key, value)


def test_stored_values_are_never_mutated_in_place() -> None:
    store = RecordingStore()
    index = EventIndex(store, EventConfig())
    for seq, art in enumerate([*QUAKE_A, *QUAKE_B, *seed_articles()]):
        index.assign(art.id, event_features(art), seq)
    assert store.written
    for value, frozen in store.written:
        assert value == frozen
    for value in store.values():
        json.dumps(value)


def test_rebuild_from_events_alone_gives_the_same_future_decisions() -> None:
    stream = [QUAKE_A[0], QUAKE_B[0], *seed_articles()[:3], QUAKE_A[1]]
    rest = [QUAKE_B[1], *seed_articles()[3:], QUAKE_A[2], QUAKE_B[2]]
    live, _ = run(stream)
    restored = EventIndex(json.loads(snapshot(live.events)), EventConfig())
    assert derived(restored) == derived(live)
    for seq, art in enumerate(rest, start=len(stream)):
        feats = event_features(art)
        assert live.assign(art.id, feats, seq) == restored.assign(art.id, feats, seq)
    assert snapshot(live.events) == snapshot(restored.events)


# -- expiry -----------------------------------------------------------------------------


def test_undated_expiry_deletes_idle_events_and_forgets_them() -> None:
    config = EventConfig(max_idle_articles=2)
    index, out = run([QUAKE_A[0], QUAKE_A[1], QUAKE_B[0], QUAKE_B[1]], config)
    old = out[0].event_id
    assert index.expire(seq=3, time=None) == []  # idle distance 2: not beyond the limit yet
    assert index.expire(seq=4, time=None) == [old]
    assert old not in index.events and index.event_of("qa1") is None
    assert not any(old in posting for posting in index._postings.values())
    assert derived(index) == derived(EventIndex(dict(index.events), config))
    # The forgotten event cannot attract a later article: it founds a new one.
    again = index.assign("qa3", event_features(QUAKE_A[2]), 5)
    assert again.created and again.event_id == event_id_for("qa3")


def test_dated_expiry_uses_article_time_and_the_cap() -> None:
    day = 86_400.0
    arts = [
        Article(id=a.id, title=a.title, text=a.text, published_at=f"2025-03-{10 + i}T00:00:00+00:00")
        for i, a in enumerate([QUAKE_A[0], QUAKE_B[0]])
    ]
    index, out = run(arts, EventConfig(ttl_seconds=3 * day))
    t_a = event_features(arts[0]).time
    assert t_a is not None
    assert index.expire(seq=10_000_000, time=t_a + 2.5 * day) == []  # seq is ignored when dated
    assert index.expire(seq=2, time=t_a + 3.5 * day) == [out[0].event_id]  # B is 2.5 days idle
    assert list(index.events) == [out[1].event_id]
    capped, out2 = run([QUAKE_A[0], QUAKE_B[0], *seed_articles()[:1]], EventConfig(max_events=2))
    assert len(capped.events) == 3
    assert capped.expire(seq=3, time=None) == [out2[0].event_id]  # least recently updated goes
    assert sorted(capped.events) == sorted({out2[1].event_id, out2[2].event_id})


def test_records_stay_bounded() -> None:
    config = EventConfig(max_members=4, max_reps=3, centroid_keys=30, rep_keys=10)
    # Ten copies of one story (syndication): they must all join the founder's event.
    seed = seed_articles()[0]
    stream = [Article(id=f"{seed.id}-{i}", text=seed.text, title=seed.title) for i in range(10)]
    index, out = run(stream, config)
    assert len({o.event_id for o in out}) == 1
    (record,) = index.events.values()
    assert record["n"] == 10 and len(record["members"]) == 4 and record["members"][0] == record["founder"]
    assert len(record["reps"]) == 3 and len(record["keys"]) <= 30
    assert all(len(rep[1]) <= 10 for rep in record["reps"])
    # Still idempotent for a remembered member; the founder keeps its created flag.
    assert index.assign(stream[0].id, event_features(stream[0]), 99) == out[0]


# -- properties ---------------------------------------------------------------------------

WORDS = ["lorca", "quake", "van", "turkey", "spain", "rescue", "mayor", "storm", "flood", "court"]
NAMES = ["Jodar", "Karaloglu", "Murcia", "Ercis", "Reid", "Lohan"]

article_st = st.builds(
    lambda i, words, names: Article(
        id=f"a{i}",
        title=" ".join(names[:2]),
        text=". ".join(f"The {w} near {n} was reported" for w, n in zip(words, names * 3, strict=False)),
    ),
    st.integers(0, 40),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
    st.lists(st.sampled_from(NAMES), min_size=1, max_size=3),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(article_st, min_size=1, max_size=12), st.data())
def test_property_redelivery_changes_nothing(articles: list[Article], data: st.DataObject) -> None:
    """Replaying any already-seen article (at-least-once delivery) is a no-op."""
    unique = list({a.id: a for a in articles}.values())
    # Low thresholds so merges happen too.
    config = EventConfig(
        centroid_keys=20, max_reps=2, threshold=0.2, merge_threshold=0.25, contradiction=0.02
    )
    once = EventIndex({}, config)
    twice = EventIndex({}, config)
    first: dict[str, Assignment] = {}
    moved: dict[str, str] = {}  # article -> the event a split moved it to
    for seq, art in enumerate(unique):
        first[art.id] = once.assign(art.id, event_features(art), seq)
        assert twice.assign(art.id, event_features(art), seq) == first[art.id]
        if (split := first[art.id].split) is not None:
            moved.update(dict.fromkeys(split.moved, split.target))
        replay = data.draw(st.sampled_from(unique[: seq + 1]))
        got = twice.assign(replay.id, event_features(replay), seq)
        # The answer is the article's event now: its first one (or the event a split moved
        # it to), or that event's survivor after merges.
        expected = first[replay.id]
        home = moved.get(replay.id, expected.event_id)
        assert got.event_id == once.event_of(replay.id) == once.resolve(home)
        assert got.score == expected.score
        if got.event_id == expected.event_id:
            assert got == expected
    assert snapshot(once.events) == snapshot(twice.events)


@settings(max_examples=30, deadline=None)
@given(st.lists(article_st, min_size=2, max_size=12), st.integers(1, 11))
def test_property_rebuild_matches_live(articles: list[Article], cut: int) -> None:
    """An index rebuilt from the table alone decides exactly like the live one."""
    unique = list({a.id: a for a in articles}.values())
    cut = min(cut, len(unique))
    config = EventConfig(
        centroid_keys=15,
        max_reps=2,
        max_idle_articles=3,
        max_posting=2,
        max_candidates=2,
        merge_threshold=0.25,
    )
    live = EventIndex({}, config)
    for seq, art in enumerate(unique[:cut]):
        live.assign(art.id, event_features(art), seq)
    live.expire(seq=cut, time=None)
    restored = EventIndex(json.loads(snapshot(live.events)), config)
    for seq, art in enumerate(unique[cut:], start=cut):
        feats = event_features(art)
        assert live.assign(art.id, feats, seq) == restored.assign(art.id, feats, seq)
        assert live.expire(seq=seq, time=None) == restored.expire(seq=seq, time=None)
    assert snapshot(live.events) == snapshot(restored.events)
    assert derived(live) == derived(restored)


def test_a_split_after_a_merge_back_never_reuses_the_merged_id() -> None:
    """Members split off, merged back, then split off again: the second split's event must
    get a fresh id, since the first one's id now resolves (as an alias) to the survivor."""

    def art(i: str, places: list[str], title: str) -> Article:
        return Article(id=i, title=title, text=". ".join(f"The lorca near {p} was reported" for p in places))

    stream = [
        art("a1", ["Jodar"], "Jodar"),
        art("a3", ["Jodar", "Murcia"], "Jodar Murcia"),
        art("a4", ["Karaloglu"], "Karaloglu"),
        art("a6", ["Jodar", "Ercis"], "Jodar Ercis"),
        art("a2", ["Ercis"], "Ercis"),
        art("a0", ["Murcia", "Ercis", "Jodar"], "Murcia Ercis"),
        art("a5", ["Murcia"], "Murcia"),
    ]
    config = EventConfig(
        centroid_keys=20, max_reps=2, threshold=0.2, merge_threshold=0.25, contradiction=0.02
    )
    index = EventIndex({}, config)
    out = [index.assign(a.id, event_features(a), seq) for seq, a in enumerate(stream)]
    splits = [o.split for o in out if o.split is not None]
    merged = {m for o in out for m in o.merged}
    assert len(splits) == 2 and splits[0].target in merged, "the stream splits, merges back, splits"
    assert splits[1].target != splits[0].target
    assert index.resolve(splits[1].target) == splits[1].target
    assert index.event_of("a6") == splits[1].target


# -- the lead ----------------------------------------------------------------------------

# A roundup: its lead tells the Lorca earthquake, the rest four other stories.
ROUNDUP_LORCA = Article(
    id="ru1",
    title="News in brief from around the world",
    text="News in brief from around the world:\n"
    "A magnitude 6.1 earthquake near Lorca killed nine people on May 11, Murcia officials said. "
    "Mayor Francisco Jodar said buildings collapsed across Lorca.\n"
    "Striker Tomas Brolin signed a three-year contract with Parma on Tuesday, the club said, ending weeks "
    "of talks with Leeds United over a transfer fee the clubs did not disclose.\n"
    "Voters in Lithuania chose a new parliament in a runoff, with the Homeland Union leading the count "
    "in Vilnius and Kaunas after most ballots were tallied on Sunday night.\n"
    "The Rijksmuseum in Amsterdam reopened its Gallery of Honour after a renovation that lasted two years "
    "and cost the Dutch state more than 40 million euros, its director Taco Dibbits said.\n"
    "Chess grandmaster Levon Aronian won the Tata Steel tournament in Wijk aan Zee with a round to spare, "
    "beating Anish Giri in the final game of a fortnight of play.\n"
    "Kenyan runner Faith Kipyegon set a world record over 1,500 metres at the Florence Diamond League "
    "meeting, clocking three minutes 49.11 seconds ahead of Ethiopian Gudaf Tsegay.\n"
    "The Bolshoi Ballet named Makhar Vaziev its new artistic director, replacing Sergei Filin, whose "
    "contract the Moscow theatre chose not to renew, a spokeswoman for the Bolshoi said.\n"
    "Shares of Nokia rose sharply in Helsinki after the Finnish telecoms maker reported quarterly sales "
    "of network equipment above analysts' forecasts and raised its outlook for Ericsson's home markets.",
)


def test_features_keep_the_headline_and_lead_apart_when_the_body_goes_on() -> None:
    lead = dict(event_features(ROUNDUP_LORCA).lead)
    assert "@lorca" in lead and "@jodar" in lead and "#n:6.1" in lead
    assert not {"@brolin", "@aronian", "@rijksmuseum"} & lead.keys()
    assert EventFeatures.from_json(json.loads(json.dumps(event_features(ROUNDUP_LORCA).to_json()))) == (
        event_features(ROUNDUP_LORCA)
    )
    # An article that is all lead keeps no second copy of its keys.
    assert event_features(Article(id="s", title="Lorca quake", text="A quake hit Lorca.")).lead == ()


def test_a_roundup_joins_the_event_its_lead_tells() -> None:
    config = EventConfig()
    index, out = run([*QUAKE_A[:2], ROUNDUP_LORCA], config)
    assert out[2].event_id == out[0].event_id and not out[2].created
    # Its whole text alone does not reach the threshold: the lead is what joins it.
    _, alone = run([*QUAKE_A[:2], ROUNDUP_LORCA], replace(config, lead_threshold=0.0))
    assert alone[2].created
    # The event's summary of it is its lead, not the other stories.
    assert "@brolin" not in index.events[out[0].event_id]["keys"]


def test_a_roundup_whose_lead_tells_another_story_founds_its_own_event() -> None:
    _, out = run([*QUAKE_B[:2], ROUNDUP_LORCA])
    assert out[2].created


def test_the_lead_ends_where_splitlines_would_cut_it() -> None:
    """``lead_end`` reads one line at a time; its lines are ``str.splitlines``'s."""

    def whole(body: str) -> int:  # the reading before, over every line at once
        pos, seen = 0, 0
        for line in body.splitlines(keepends=True):
            if seen == 0 and len(line.strip()) < 40:
                pos += len(line)
                continue
            for m in _SENTENCE_END.finditer(line):
                seen += 1
                if seen >= LEAD_SENTENCES:
                    return pos + m.end()
            seen += 1
            pos += len(line)
            if seen >= LEAD_SENTENCES:
                return pos
        return len(body)

    first = "A magnitude 6.1 earthquake struck near Lorca on Wednesday evening"
    for sep in ("\n", "\r\n", "\r", "\u2028", "\x0c"):
        for body in (
            f"LORCA, Spain{sep}{first}. Nine people died.{sep}Rescuers searched the rubble.",
            f"By Ana Ruiz{sep}12 May{sep}{first}{sep}Nine people died{sep}More.",
            f"{first}. Nine died. Jodar spoke.",
            "short",
            "",
        ):
            assert lead_end(body) == whole(body), (sep, body)


def test_a_header_before_the_lead_is_a_few_short_lines_not_all_of_them() -> None:
    """Short lines before the first sentence are a header (a dateline, a byline, a
    subhead) up to ``MAX_HEADER_LINES``; a text of nothing but short lines leads with
    a few of them, not with all (a hostile text was read whole as its lead)."""
    first = "A magnitude 6.1 earthquake struck near Lorca on Wednesday evening."
    header = "\n".join(["LORCA, Spain", "By Ana Ruiz", "12 May 2011", "Updated 9:01"])
    body = f"{header}\n{first} Nine people died.\nMore."
    assert body[: lead_end(body)].rstrip().endswith("Nine people died.")
    short = "\n".join(f"line {i}" for i in range(10_000))
    end = lead_end(short)
    assert short[:end].count("\n") == MAX_HEADER_LINES + LEAD_SENTENCES


def test_a_lead_of_one_endless_line_is_bounded_as_the_keys_are() -> None:
    letters = "abcdefghijklmnopqrstuvwxyz"
    endless = " ".join(f"zon{letters[i // 26]}{letters[i % 26]}ta" for i in range(600))
    feats = event_features(Article(id="e", title="Endless", text=f"{endless}\nA second line follows here."))
    assert 0 < len(feats.lead) <= MAX_FEATURE_KEYS and len(feats.keys) <= MAX_FEATURE_KEYS
