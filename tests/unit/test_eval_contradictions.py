"""``crosscheck eval-contradictions``: labels, matching, halves, bands, review, candidates, injection.

Most tests use hand-written records and articles; the ones on the ECB+ development set
skip when ``../shared/data`` is absent.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEV_DATA
from worker.cli import main as cli_main
from worker.core.model import Article
from worker.evaluation.contradictions import (
    CATEGORIES,
    Label,
    LabelError,
    LabelIndex,
    Raised,
    ReplayResult,
    assess_candidates,
    assess_records,
    band_of,
    candidates,
    context,
    evaluate,
    find_candidates,
    half_of,
    load_labels,
    main,
    match_label,
    match_score,
    parse_label,
    read_labels,
    render,
    replay_articles,
    replay_file,
    topic_of,
    write_review,
)
from worker.evaluation.inject import (
    FACTS,
    choose_events,
    evaluate_injections,
    inject,
    inject_article,
    lead_sentence_end,
    make_pair,
    read_gold,
    usable_articles,
)

needs_data = pytest.mark.skipif(
    not DEV_DATA.exists(),
    reason=f"ECB+ development data not found at {DEV_DATA} (it lives in ../shared/data beside the checkout)",
)


def _label(
    a: list[tuple[str, int, int]], b: list[tuple[str, int, int]], value: bool, category: str = ""
) -> Label:
    return Label(a=tuple(a), b=tuple(b), label=value, category=category or ("true" if value else "other"))


def _claim(aid: str, start: int, end: int, side: str, sentence: str = "A sentence.") -> dict[str, Any]:
    return {
        "article_id": aid,
        "source": f"article:{aid}",
        "text": sentence,
        "value": {"lo": 3.0, "hi": 3.0, "lo_open": False, "hi_open": False, "unit": "people", "value": 3.0},
        "raw": sentence[:5],
        "span": [start, end],
        "kind": "quantity",
        "subject": "event",
        "predicate": "killed",
        "attribution": {"kind": "outlet"},
        "hedges": [],
        "occasion": {"kind": "main"},
        "side": side,
    }


def _raised(cid: str, a: list[dict[str, Any]], b: list[dict[str, Any]], confidence: float = 0.95) -> Raised:
    record = {"id": cid, "kind": "quantity", "explanation": "they disagree", "claims": [*a, *b]}
    return Raised("contradiction", cid, "ev-1", "event|killed", confidence, tuple(a), tuple(b), record)


# --------------------------------------------------------------------------- labels


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_labels_file_reads_filled_lines_and_counts_unfilled(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "labels.jsonl",
        [
            '{"a": [["ecb-1_1ecb", 10, 20]], "b": [["ecb-1_2ecb", 5, 9]], "slot": "event|killed", '
            '"label": true, "category": "true", "by": "me"}',
            "",
            '{"a": [["ecb-1_1ecb", 30, 40]], "b": [["ecb-1_3ecb", 5, 9]], "label": false, '
            '"category": "part_total"}',
            '{"a": [["ecb-1_1ecb", 50, 60]], "b": [["ecb-1_3ecb", 50, 59]], "label": null, "category": null}',
            '{"a": [["ecb-1_1ecb", 70, 80]], "b": [["ecb-1_3ecb", 70, 79]], "label": true}',
        ],
    )
    labels = read_labels(path)
    assert [lab.line for lab in labels.labels] == [1, 3, 5]
    assert labels.unfilled == (4,)
    assert [lab.category for lab in labels.labels] == ["true", "part_total", "true"]
    assert labels.labels[0].a == (("ecb-1_1ecb", 10, 20),)
    assert load_labels(path) == list(labels.labels)


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"b": [["x", 1, 2]], "label": true}', "missing 'a'"),
        ('{"a": [], "b": [["x", 1, 2]], "label": true}', "non-empty list"),
        ('{"a": [["x", 5, 2]], "b": [["x", 1, 2]], "label": true}', "empty or negative"),
        ('{"a": [["x", "1", 2]], "b": [["x", 1, 2]], "label": true}', "is not [article_id, start, end]"),
        ('{"a": [["x", 1, 2]], "b": [["y", 1, 2]], "label": "yes"}', "must be true, false or null"),
        ('{"a": [["x", 1, 2]], "b": [["y", 1, 2]], "label": false}', "needs 'category'"),
        ('{"a": [["x", 1, 2]], "b": [["y", 1, 2]], "label": false, "category": "wrong"}', "needs 'category'"),
        ('{"a": [["x", 1, 2]], "b": [["y", 1, 2]], "label": true, "category": "misread"}', "a true label"),
        ('{"a": [["x", 1, 2]], "b": [["y", 1, 2]], "label": true, "lable": 1}', "unknown field(s) lable"),
        (
            '{"a": [["x", 1, 2]], "b": [["y", 1, 2]], "label": true, "text": "quoted"}',
            "unknown field(s) text",
        ),
    ],
)
def test_a_malformed_label_line_names_the_line_and_why(tmp_path: Path, line: str, why: str) -> None:
    good = '{"a": [["x", 1, 2]], "b": [["y", 1, 2]], "label": true}'
    path = _write(tmp_path / "labels.jsonl", [good, line])
    with pytest.raises(LabelError) as err:
        read_labels(path)
    assert "line 2" in str(err.value)
    assert why in str(err.value)


def test_every_false_category_is_accepted() -> None:
    for category in CATEGORIES[1:]:
        label = parse_label({"a": [["x", 1, 2]], "b": [["y", 1, 2]], "label": False, "category": category})
        assert label is not None and label.category == category


# --------------------------------------------------------------------------- matching


def test_a_label_matches_by_overlap_either_way_round_and_after_small_shifts() -> None:
    record = ((("A", 100, 120),), (("B", 40, 60),))
    assert match_label([_label([("A", 100, 120)], [("B", 40, 60)], True)], record) is not None
    swapped = match_label([_label([("B", 40, 60)], [("A", 100, 120)], True)], record)
    assert swapped is not None and swapped.label is True
    shifted = match_label([_label([("A", 104, 126)], [("B", 38, 55)], False, "misread")], record)
    assert shifted is not None and shifted.label is False and shifted.category == "misread"


def test_a_label_does_not_match_another_article_disjoint_spans_or_one_side_only() -> None:
    record = ((("A", 100, 120),), (("B", 40, 60),))
    assert match_label([_label([("A", 100, 120)], [("C", 40, 60)], True)], record) is None
    assert match_label([_label([("A", 120, 130)], [("B", 40, 60)], True)], record) is None  # touching only
    assert match_label([_label([("A", 100, 120)], [("A", 100, 120)], True)], record) is None


def test_the_label_overlapping_most_claims_wins() -> None:
    record = ((("A", 0, 10),), (("B", 0, 10), ("C", 0, 10)))
    narrow = _label([("A", 0, 10)], [("B", 0, 10)], False, "part_total")
    wide = _label([("A", 0, 10)], [("B", 0, 10), ("C", 5, 12)], True)
    verdict = match_label([narrow, wide], record)
    assert verdict is not None and verdict.label is True and verdict.labels == (wide,)


def test_equally_good_labels_that_disagree_make_the_record_false_and_ambiguous() -> None:
    record = ((("A", 0, 10),), (("B", 0, 10),))
    yes = _label([("A", 0, 10)], [("B", 0, 10)], True)
    no = _label([("B", 2, 8)], [("A", 1, 9)], False, "evolved")
    verdict = match_label([yes, no], record)
    assert verdict is not None and verdict.label is False and verdict.ambiguous
    agreeing = match_label([yes, _label([("A", 0, 10)], [("B", 0, 10)], True)], record)
    assert agreeing is not None and agreeing.label is True and not agreeing.ambiguous


def test_the_label_index_finds_the_same_as_a_scan_and_reports_unused_labels() -> None:
    labels = [_label([("A", 0, 10)], [("B", 0, 10)], True), _label([("X", 0, 10)], [("Y", 0, 10)], True)]
    index = LabelIndex(labels)
    record = ((("B", 0, 10),), (("A", 3, 4),))
    assert index.match(record) == match_label(labels, record)
    assert index.unused() == [labels[1]]


# --------------------------------------------------------------------------- halves and bands


def test_topics_and_halves() -> None:
    assert topic_of("ecb-13_20ecbplus") == 13
    assert topic_of("seed-1") is None
    assert half_of(["ecb-1_1ecb", "ecb-3_2ecbplus"]) == "odd"
    assert half_of(["ecb-2_1ecb", "ecb-24_2ecb"]) == "even"
    assert half_of(["ecb-1_1ecb", "ecb-2_1ecb"]) == "mixed/other"
    assert half_of(["ecb-1_1ecb", "000_abc"]) == "mixed/other"


def test_band_edges() -> None:
    assert band_of(0.95) == band_of(0.9) == ">=0.9"
    assert band_of(0.8999) == band_of(0.7) == "0.7-0.9"
    assert band_of(0.6999) == band_of(0.0) == "<0.7"


def _replay_of(records: list[Raised], articles: list[Article] | None = None) -> ReplayResult:
    replay = ReplayResult()
    replay.contradictions = list(records)
    for article in articles or ():
        replay.articles[article.id] = article
    return replay


def test_records_report_precision_per_half_and_per_band() -> None:
    records = []
    labels = []
    # odd half: 16 records at confidence 0.95, 15 true and 1 false (other_occasion)
    for i in range(16):
        a, b = _claim(f"ecb-1_{i}ecb", 0, 10, "a"), _claim(f"ecb-3_{i}ecb", 0, 10, "b")
        records.append(_raised(f"odd{i}", [a], [b], 0.95))
        labels.append(_label([(f"ecb-1_{i}ecb", 0, 10)], [(f"ecb-3_{i}ecb", 0, 10)], i > 0, "other_occasion"))
    # even half: 2 records at 0.8, one labelled false; one mixed record at 0.5, unlabelled
    for i in range(2):
        records.append(
            _raised(
                f"even{i}", [_claim(f"ecb-2_{i}ecb", 0, 10, "a")], [_claim("ecb-4_1ecb", 0, 10, "b")], 0.8
            )
        )
    labels.append(_label([("ecb-2_0ecb", 0, 10)], [("ecb-4_1ecb", 0, 10)], False, "part_total"))
    records.append(
        _raised("mixed", [_claim("ecb-1_1ecb", 50, 60, "a")], [_claim("ecb-2_1ecb", 50, 60, "b")], 0.5)
    )

    report = assess_records(_replay_of(records), LabelIndex(labels)).report
    c = report["contradictions"]
    assert (c["raised"], c["labelled"], c["unlabelled"], c["true"], c["false"]) == (19, 17, 2, 15, 2)
    assert c["precision"] == pytest.approx(15 / 17)
    assert c["false_categories"] == {"other_occasion": 1, "part_total": 1}
    odd, even, mixed = (report["halves"][h] for h in ("odd", "even", "mixed/other"))
    assert (odd["raised"], odd["precision"]) == (16, pytest.approx(15 / 16))
    assert (even["raised"], even["labelled"], even["precision"]) == (2, 1, 0.0)
    assert (mixed["raised"], mixed["labelled"], mixed["precision"]) == (1, 0, None)
    bands = {b["band"]: b for b in report["bands"]}
    assert bands[">=0.9"]["count"] == 16 and bands[">=0.9"]["bound_holds"] is True
    assert bands[">=0.9"]["enough_labels"] is True
    assert bands["0.7-0.9"]["bound_holds"] is False and bands["0.7-0.9"]["enough_labels"] is False
    assert bands["<0.7"]["bound_holds"] is None and bands["<0.7"]["labelled"] == 0
    rendered = render(
        {
            **report,
            "file": "f",
            "articles": 0,
            "rejected": 0,
            "labels_file": None,
            "labels": 17,
            "unfilled": 0,
            "labels_matching_nothing": 0,
        }
    )
    assert "odd topics" in rendered and "0.7-0.9" in rendered and "NO" in rendered


def test_extensions_are_scored_apart_and_ambiguous_records_listed() -> None:
    a, b = _claim("ecb-1_1ecb", 0, 10, "a"), _claim("ecb-1_2ecb", 0, 10, "b")
    replay = _replay_of([_raised("c1", [a], [b])])
    joined = _claim("ecb-1_3ecb", 0, 10, "a")
    replay.extensions = [
        Raised(
            "extension", "u1", "ev-1", "event|killed", 0.95, (joined,), (b,), replay.contradictions[0].record
        )
    ]
    labels = [
        _label([("ecb-1_1ecb", 0, 10)], [("ecb-1_2ecb", 0, 10)], True),
        _label([("ecb-1_1ecb", 0, 10)], [("ecb-1_2ecb", 0, 10)], False, "look_alike"),
        _label([("ecb-1_2ecb", 0, 10)], [("ecb-1_3ecb", 0, 10)], True),
    ]
    report = assess_records(replay, LabelIndex(labels)).report
    assert report["contradictions"]["false"] == 1 and report["contradictions"]["ambiguous"] == 1
    assert report["contradictions"]["false_categories"] == {"ambiguous": 1}
    assert [x["id"] for x in report["ambiguous"]] == ["c1"]
    assert report["extensions"]["raised"] == 1 and report["extensions"]["precision"] == 1.0


# --------------------------------------------------------------------------- review file


ART_A = Article(
    id="ecb-8_1ecb",
    title="Bank blast kills two",
    text="Bank blast kills two\nA bomb went off at a bank on Friday.\n"
    "The blast killed two people, police said.\nThe bank was closed.",
)
ART_B = Article(
    id="ecb-8_2ecb", title="Three dead in bank bombing", text="Police said three people died in the bombing."
)


def _span(article: Article, words: str) -> tuple[int, int]:
    start = article.text.index(words)
    return start, start + len(words)


def test_review_lists_unlabelled_records_with_context_and_a_label_line(tmp_path: Path) -> None:
    sa, sb = _span(ART_A, "killed two people"), _span(ART_B, "three people died")
    one = _raised(
        "c1",
        [_claim(ART_A.id, *sa, "a", "The blast killed two people, police said.")],
        [_claim(ART_B.id, *sb, "b", ART_B.text)],
    )
    two = _raised("c2", [_claim(ART_A.id, 0, 10, "a")], [_claim(ART_B.id, 0, 6, "b")])
    replay = _replay_of([one, two], [ART_A, ART_B])
    labelled = _label([(ART_A.id, 0, 10)], [(ART_B.id, 0, 6)], True)
    evaluation = assess_records(replay, LabelIndex([labelled]))
    assert [item["id"] for item in evaluation.review] == ["c1"]

    md, twin = write_review(tmp_path / "review" / "r.md", evaluation.review, "test")
    assert twin == tmp_path / "review" / "r.jsonl"
    assert write_review(tmp_path / "other.jsonl", [], "t") == (
        tmp_path / "other.md",
        tmp_path / "other.jsonl",
    )
    text = md.read_text(encoding="utf-8")
    assert "c2" not in text and ART_A.id in text and ART_B.id in text
    assert "Bank blast kills two" in text  # the title
    assert "A bomb went off at a bank on Friday." in text  # the sentence before
    assert "⟦killed two people⟧" in text  # the claim marked in its paragraph
    assert "The bank was closed." in text  # the sentence after
    (item,) = [json.loads(line) for line in twin.read_text(encoding="utf-8").splitlines()]
    line = item["label_line"]
    assert line["label"] is None and line["category"] is None
    assert json.dumps(line) in text
    # filled in and appended, the line labels the record: it leaves the review
    line.update(label=False, category="evolved", by="test")
    label = parse_label(line)
    assert label is not None
    again = assess_records(replay, LabelIndex([labelled, label]))
    assert again.review == [] and again.report["contradictions"]["false_categories"] == {"evolved": 1}


def test_context_cuts_long_paragraphs_around_the_claim() -> None:
    text = "Title\n" + "word " * 400 + "the 17 dead " + "word " * 400
    start = text.index("17 dead")
    ctx = context(Article(id="x", text=text), (start, start + 7))
    assert "⟦17 dead⟧" in ctx["paragraph"]
    assert len(ctx["paragraph"]) < 800 and ctx["paragraph"].startswith("…") and ctx["paragraph"].endswith("…")
    assert ctx["previous"] == "Title" and ctx["next"] == ""


# --------------------------------------------------------------------------- candidates


FIRE_1 = Article(
    id="fire-1",
    title="Warehouse fire in Dunmore",
    text="Warehouse fire in Dunmore\n"
    "A fire swept through a furniture warehouse in Dunmore on Tuesday night, killing three people, fire "
    "officials said.\nFirefighters from Dunmore and Carver fought the blaze for hours before bringing it "
    "under control.\nThe cause of the warehouse fire is under investigation.",
)
FIRE_2 = Article(
    id="fire-2",
    title="Deadly blaze at Dunmore warehouse",
    text="Deadly blaze at Dunmore warehouse\n"
    "Five people were killed when a fire tore through a furniture warehouse in Dunmore on Tuesday night, "
    "officials said.\nFirefighters from Dunmore and Carver battled the warehouse blaze for hours.\n"
    "Investigators are looking into the cause of the fire.",
)


def test_two_reports_of_one_fire_with_3_and_5_dead_make_one_candidate() -> None:
    copy = Article(
        id="fire-1-copy", title=FIRE_1.title, text=FIRE_1.text
    )  # a duplicate: its claims are left out
    (cand,) = candidates([FIRE_1, FIRE_2, copy])
    assert cand.base_slot == "event|killed"
    assert {cand.a_article, cand.b_article} == {"fire-1", "fire-2"}
    assert {cand.a.value["value"], cand.b.value["value"]} == {3.0, 5.0}
    texts = {"fire-1": FIRE_1.text, "fire-2": FIRE_2.text}
    for aid, claim in ((cand.a_article, cand.a), (cand.b_article, cand.b)):
        assert texts[aid][claim.span[0] : claim.span[1]] == claim.raw


def test_candidates_mode_counts_labels_and_what_production_raised() -> None:
    replay = replay_articles([FIRE_1, FIRE_2])
    (cand,) = find_candidates(replay).candidates
    label = Label(a=cand.sides[1], b=cand.sides[0], label=True, category="true")
    evaluation = assess_candidates(replay, LabelIndex([label]))
    t = evaluation.report["candidates"]
    raised = any(r.sides[0] and r.sides[1] for r in replay.contradictions)
    assert (t["candidates"], t["labelled"], t["true"], t["false"]) == (1, 1, 1, 0)
    assert t["raised_of_true"] == t["raised"] == int(raised)
    assert evaluation.review == []
    unlabelled = assess_candidates(replay, LabelIndex([]))
    (item,) = unlabelled.review
    assert item["type"] == "candidate" and item["raised"] is bool(raised)
    assert len(item["label_line"]["a"]) == len(item["label_line"]["b"]) == 1
    assert item["a"][0]["title"] in (FIRE_1.title, FIRE_2.title)


def test_the_cap_keeps_distinct_value_pairs_first() -> None:
    replay = replay_articles([FIRE_1, FIRE_2])
    assert find_candidates(replay, cap=0).pairs == 1
    more = [
        Article(
            id=f"fire-{n}",
            title=f"Dunmore warehouse fire report {n}",
            text="Dunmore warehouse fire\nA fire at a furniture warehouse in Dunmore on Tuesday night "
            f"killed {n} people, officials said.\nFirefighters from Dunmore and Carver fought the blaze.",
        )
        for n in (7, 9, 11)
    ]
    replay = replay_articles([FIRE_1, FIRE_2, *more])
    full, capped = find_candidates(replay, cap=0), find_candidates(replay, cap=3)
    assert len(capped.candidates) == min(3, full.pairs)
    assert capped.dropped == full.pairs - len(capped.candidates)
    values = [frozenset((c.a.value["value"], c.b.value["value"])) for c in capped.candidates]
    assert len(set(values)) == len(values)  # no value pair twice before every value pair once


# --------------------------------------------------------------------------- injection


def test_lead_sentence_end_passes_over_title_dateline_and_abbreviations() -> None:
    text = "Blaze hits Dunmore\nMay 03, 2013\nMr. J. Smith said a fire hit the U. K. town Monday. It grew.\n"
    end = lead_sentence_end(text)
    assert end is not None and text[:end].endswith("town Monday.")
    assert lead_sentence_end("Short title\nMay 3, 2013\n") is None
    one_line = "A fire swept through a warehouse in Dunmore on Tuesday night."
    assert lead_sentence_end(one_line) == len(one_line)


def test_inject_article_inserts_after_the_lead_and_changes_nothing_else() -> None:
    sentence = "Police arrested four people."
    copy, span = inject_article(FIRE_1, sentence)
    assert copy.text[span[0] : span[1]] == sentence
    assert copy.text[: span[0] - 1] + copy.text[span[1] :] == FIRE_1.text
    assert copy.text[: span[0]].endswith("fire officials said. ")
    assert (copy.id, copy.title) == (FIRE_1.id, FIRE_1.title)


@pytest.mark.parametrize("fact", FACTS)
def test_injected_values_conflict_and_appear_in_their_sentences(fact: str) -> None:
    for seed in range(60):
        pair = make_pair(fact, random.Random(seed), title="Bank blast kills two", avoid="Kowalski Hartford")
        x, y = pair.numbers
        assert x != y
        if fact == "duration":
            assert isinstance(x, float) and isinstance(y, float) and abs(x - y) >= 0.3 * max(x, y)
        for sentence, value in zip(pair.sentences, pair.values, strict=True):
            assert "Kowalski" not in sentence and "Hartford" not in sentence
            if fact in ("age_at_death", "final_score", "duration"):
                assert value in sentence
        if fact == "death_toll":
            assert all("explosion" in s for s in pair.sentences)  # the noun comes from the title


def test_make_pair_is_deterministic() -> None:
    assert make_pair("death_toll", random.Random(4)) == make_pair("death_toll", random.Random(4))


def test_inject_replaces_articles_in_the_stream_and_points_at_the_sentences() -> None:
    articles = [FIRE_1, FIRE_2, ART_A, ART_B]
    gold = {"fire-1": "1_ecb", "fire-2": "1_ecb", ART_A.id: "8_ecb", ART_B.id: "8_ecb"}
    assert choose_events(gold) == ["1_ecb", "8_ecb"]
    stream, injections = inject(articles, gold, seed=1)
    assert [a.id for a in stream] == [a.id for a in articles]
    assert len(injections) == 2 and {i.fact for i in injections} == set(FACTS[:2])
    by_id = {a.id: a for a in stream}
    originals = {a.id: a for a in articles}
    for inj in injections:
        for side in (inj.a, inj.b):
            text = by_id[side.article_id].text
            assert text[side.span[0] : side.span[1]] == side.sentence
            assert text[: side.offset] + text[side.span[1] :] == originals[side.article_id].text
        assert inj.a.article_id != inj.b.article_id
    again, same = inject(articles, gold, seed=1)
    assert same == injections and again == stream


def test_injection_picks_articles_the_clean_replay_did_not_flag_as_copies() -> None:
    copy = Article(id="fire-1-copy", title=FIRE_1.title, text=FIRE_1.text)
    gold = {"fire-1": "1_ecb", "fire-2": "1_ecb", "fire-1-copy": "1_ecb"}
    clean = replay_articles([FIRE_1, FIRE_2, copy])
    assert usable_articles([FIRE_1, FIRE_2, copy], gold, clean) == {"1_ecb": ["fire-1", "fire-2"]}


# --------------------------------------------------------------------------- command


def test_cli_rejects_a_missing_file_and_bad_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "absent.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err
    data = tmp_path / "articles.jsonl"
    data.write_text(json.dumps(FIRE_1.to_json()) + "\n", encoding="utf-8")
    bad = _write(tmp_path / "labels.jsonl", ['{"a": [["x", 1, 2]], "b": [["y", 1, 2]], "label": false}'])
    assert main([str(data), "--labels", str(bad)]) == 2
    assert "line 1" in capsys.readouterr().err
    assert main([str(data), "--labels", str(tmp_path / "none.jsonl")]) == 2
    assert "no such labels file" in capsys.readouterr().err


def test_cli_runs_both_modes_on_a_small_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "fires.jsonl"
    data.write_text("".join(json.dumps(a.to_json()) + "\n" for a in (FIRE_1, FIRE_2)), encoding="utf-8")
    review = tmp_path / "out" / "review.md"
    assert (
        cli_main(["eval-contradictions", str(data), "--candidates", "--review", str(review), "--no-progress"])
        == 0
    )
    out = capsys.readouterr().out
    assert "candidate pairs" in out and "odd topics" in out
    assert review.exists() and review.with_suffix(".jsonl").exists()
    assert len(review.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines()) == 1
    assert main([str(data), "--review", str(review), "--json", "--no-progress"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["mode"] == "records" and report["articles"] == 2 and len(report["bands"]) == 3
    assert (
        report["review"]["items"]
        == report["contradictions"]["unlabelled"] + report["extensions"]["unlabelled"]
    )


def test_evaluate_is_callable_from_scripts(tmp_path: Path) -> None:
    data = tmp_path / "fires.jsonl"
    data.write_text("".join(json.dumps(a.to_json()) + "\n" for a in (FIRE_1, FIRE_2)), encoding="utf-8")
    (cand,) = evaluate(data, [], candidates_mode=True).review
    labels = _write(tmp_path / "labels.jsonl", [json.dumps({**cand["label_line"], "label": True})])
    evaluation = evaluate(data, labels, candidates_mode=True)
    assert evaluation.review == [] and evaluation.report["candidates"]["true"] == 1
    assert evaluation.report["labels"] == 1 and evaluation.report["labels_matching_nothing"] == 0
    assert "candidate pairs" in render(evaluation.report)


def test_cli_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli_main(["eval-contradictions", "--help"])
    assert exit_.value.code == 0
    assert "crosscheck eval-contradictions ../shared/data/ecbplus_dev.jsonl" in capsys.readouterr().out


# --------------------------------------------------------------------------- development set


@pytest.fixture(scope="module")
def dev_replay() -> ReplayResult:
    if not DEV_DATA.exists():
        pytest.skip(
            f"ECB+ development data not found at {DEV_DATA} (it lives in ../shared/data beside the checkout)"
        )
    return replay_file(DEV_DATA)


def test_dev_set_records_and_candidates_are_consistent(dev_replay: ReplayResult) -> None:
    records = assess_records(dev_replay, LabelIndex([]))
    c = records.report["contradictions"]
    assert (
        c["raised"]
        == len(dev_replay.contradictions)
        == sum(h["raised"] for h in records.report["halves"].values())
    )
    assert len(records.review) == c["raised"] + len(dev_replay.extensions)
    cands = assess_candidates(dev_replay, LabelIndex([]))
    t = cands.report["candidates"]
    assert t["candidates"] == sum(h["candidates"] for h in cands.report["halves"].values())
    assert len(cands.review) == t["candidates"]
    # what production raises between two articles is a subset of the candidates
    every = find_candidates(dev_replay, cap=0).candidates
    for r in dev_replay.contradictions:
        if r.record.get("kind") != "correction" and len(r.article_ids) > 1:
            assert any(match_score(cand.sides, r.sides) for cand in every), r.id


@needs_data
def test_dev_set_injection_round() -> None:
    articles_gold = read_gold(DEV_DATA)
    report = evaluate_injections(DEV_DATA, rounds=1)
    assert report["injected"] == len(set(articles_gold.values())) == 40
    assert report["found"] == sum(f["found"] for f in report["per_fact"].values())
    assert set(report["per_fact"]) == set(FACTS)
    assert all(row["reason"] for row in report["missed"])
