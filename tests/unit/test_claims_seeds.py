"""The five seed articles: the four gold contradictions exist across articles, no trap pair conflicts.

This mirrors what the reconciler does: same-slot claims from different articles whose ``relate``
is "conflict" become contradictions.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from worker.core.claims import extract_claims, relate
from worker.core.model import Article, Claim

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _load(published_at: str | None = None) -> list[tuple[str, Claim]]:
    files = sorted(SEEDS.glob("*.txt"))
    if len(files) < 5:
        pytest.skip(f"seed articles not found in {SEEDS}")
    out: list[tuple[str, Claim]] = []
    for f in files:
        art = Article(id=f.stem, text=f.read_text(encoding="utf-8"), published_at=published_at)
        for c in extract_claims(art):
            out.append((f.stem[:3], c))
    return out


# Undated (zone offsets span DST) and dated (zoneinfo gives the exact offset): same outcome.
@pytest.fixture(scope="module", params=[None, "2025-03-18T20:00:00Z"], ids=["undated", "dated"])
def conflicts(request: pytest.FixtureRequest) -> list[tuple[str, Claim, str, Claim]]:
    claims = _load(request.param)
    out = []
    for (ia, a), (ib, b) in itertools.combinations(claims, 2):
        if ia != ib and a.slot == b.slot and relate(a, b) == "conflict":
            out.append((ia, a, ib, b))
    return out


def _has(
    conflicts: list[tuple[str, Claim, str, Claim]],
    a_ids: set[str],
    a_sub: list[str],
    b_ids: set[str],
    b_sub: list[str],
) -> bool:
    def match(i: str, c: Claim, ids: set[str], subs: list[str]) -> bool:
        return i in ids and any(s.lower() in c.sentence.lower() for s in subs)

    return any(
        (match(ia, a, a_ids, a_sub) and match(ib, b, b_ids, b_sub))
        or (match(ib, b, a_ids, a_sub) and match(ia, a, b_ids, b_sub))
        for ia, a, ib, b in conflicts
    )


GOLD = [
    ("C1-duration", {"003"}, ["two hours"], {"000", "001", "002", "004"}, ["90", "hour and a half"]),
    ("C2-end-time", {"000"}, ["12:52"], {"001"}, ["6:00"]),
    ("C3-scavino-role", {"000"}, ["spokesman"], {"001"}, ["Deputy Chief of Staff"]),
    (
        "C4-full-ceasefire",
        {"003"},
        ["failed to win agreement", "refused to accept", "rejected calls"],
        {"004"},
        ["agreed to a ceasefire in Ukraine"],
    ),
]


@pytest.mark.parametrize("gold", GOLD, ids=[g[0] for g in GOLD])
def test_gold_conflicts_found(
    conflicts: list[tuple[str, Claim, str, Claim]],
    gold: tuple[str, set[str], list[str], set[str], list[str]],
) -> None:
    name, a_ids, a_sub, b_ids, b_sub = gold
    assert _has(conflicts, a_ids, a_sub, b_ids, b_sub), name


ALL = {"000", "001", "002", "003", "004"}
TRAPS = [
    ("N1", ["Middle East"], ["Saudi Arabia"]),
    ("N2", ["business envoy"], ["international cooperation"]),
    ("N3", ["mid-February"], ["February 12"]),
    ("N4", ["over an hour"], ["90", "hour and a half"]),
    ("N5", ["at least 90"], ["90-minute", "90 minutes", "hour and a half"]),
    ("N6", ["10 a.m."], ["10:00 AM"]),
]


@pytest.mark.parametrize(("name", "a_sub", "b_sub"), TRAPS, ids=[t[0] for t in TRAPS])
def test_trap_pairs_never_conflict(
    conflicts: list[tuple[str, Claim, str, Claim]], name: str, a_sub: list[str], b_sub: list[str]
) -> None:
    assert not _has(conflicts, ALL, a_sub, ALL, b_sub), name


def test_every_seed_conflict_is_a_gold_one(conflicts: list[tuple[str, Claim, str, Claim]]) -> None:
    """Precision on the seeds: no conflicting slot beyond the four gold ones."""
    slots = sorted({a.slot for _, a, _, _ in conflicts})
    assert slots == [
        "call|duration",
        "call|end_time",
        "country:RU|accepts:ceasefire/full",
        "person:scavino|role",
    ]


def test_social_post_in_004() -> None:
    claims = [c for i, c in _load() if i == "004" and c.kind == "proposition" and c.value["polarity"]]
    post = [c for c in claims if c.attribution.kind == "social"]
    assert (
        post and post[0].attribution.name == "@AmericaPapaBear" and post[0].attribution.date == "2025-03-13"
    )


def test_scheduled_time_not_a_start() -> None:
    starts = [c for _, c in _load() if c.predicate == "start_time"]
    assert all("3:00 PM" not in c.raw for c in starts)
