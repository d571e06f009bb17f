"""Regex-hostile text costs no more per byte than a normal article.

The full ingest (language, fingerprint, event features, claims) runs on inputs built
to trigger catastrophic backtracking or quadratic scans: a megabyte of digits and
punctuation, 100k-character tokens, deeply nested brackets, many short lines, and
more.  Each must cost at most ``MAX_RATIO`` times the per-byte cost of the seed
articles, both measured in the same run (the minimum of a few repetitions each), so
the assertion is a ratio, never a wall-clock limit.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from worker.core.model import Article
from worker.core.pipeline import ingest
from worker.core.validate import decode_article
from worker.inputs import iter_inputs

MAX_RATIO = 3.0
REPS = 3
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
MB = 1024 * 1024


def _seed_articles() -> list[Article]:
    return [decode_article(m.value, 8 * MB) for m in iter_inputs(SEEDS)]


def _cost(article: Article, reps: int = REPS) -> float:
    """Minimum seconds of ``ingest(article)`` over ``reps`` runs."""
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        ingest(article)
        best = min(best, time.perf_counter() - t0)
    return best


def _rng_text(seed: int, alphabet: str, size: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(size))


def digits_and_punctuation() -> str:
    # A megabyte of numbers glued with separators that number and date regexes love.
    return _rng_text(1, "0123456789" * 4 + ".,:;-/%$()[]+ ", MB)


def long_tokens() -> str:
    # Ten 100k-character tokens in an otherwise normal sentence frame.
    parts = []
    for i, ch in enumerate("aZ9x-é.0,_"):
        parts.append(f"The minister said {ch * 100_000} on Monday {i}.")
    return " ".join(parts)


def nested_brackets() -> str:
    depth = 50_000
    return "Talks (" * 10 + "(" * depth + "[{<" * 5_000 + "x" + ">}]" * 5_000 + ")" * depth + " ended."


def many_short_lines() -> str:
    rng = random.Random(3)
    words = ["a", "5", "km", "Mr", "said", "-", "|", "Menu", "Home", "12:30", "2024", "U.S."]
    return "\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(0, 3))) for _ in range(120_000))


def repeated_numbers_with_units() -> str:
    unit = "at least 1,234,567.89 km, about 90 minutes, 3 p.m. on 12 March 2024, 45% and $5bn; "
    return unit * (300_000 // len(unit))


def unterminated_sentence_of_names() -> str:
    rng = random.Random(4)
    names = ["Joe", "Biden", "Vladimir", "Putin", "Saudi", "Arabia", "New", "York", "The", "Kremlin"]
    return " ".join(rng.choice(names) for _ in range(60_000))


def markup_soup() -> str:
    return ("<div " + "a=" * 200 + ">" + "&amp;" * 50 + "<" * 300 + "text " * 20) * 300


def whitespace_runs() -> str:
    return ("word" + " " * 5_000 + "\t" * 5_000 + "\n" * 5_000) * 20


def quotes_and_attributions() -> str:
    unit = '"It lasted 90 minutes," he said, "or more than two hours," she told reporters, '
    return unit * (300_000 // len(unit))


def combining_marks() -> str:
    return ("e" + "\u0301" * 1000 + " ") * 200 + "The talks lasted 90 minutes."


CASES: dict[str, Callable[[], str]] = {
    "1MB digits and punctuation": digits_and_punctuation,
    "100k-character tokens": long_tokens,
    "deeply nested brackets": nested_brackets,
    "many short lines": many_short_lines,
    "numbers with units": repeated_numbers_with_units,
    "one sentence of names": unterminated_sentence_of_names,
    "markup soup": markup_soup,
    "whitespace runs": whitespace_runs,
    "quotes and attributions": quotes_and_attributions,
    "combining marks": combining_marks,
}

RATIOS: dict[str, float] = {}


@pytest.fixture(scope="module")
def normal_cost_per_byte() -> float:
    seeds = _seed_articles()
    for article in seeds:  # warm caches (gazetteers, compiled regexes, langid model)
        ingest(article)
    total_time = sum(_cost(a, reps=5) for a in seeds)
    total_bytes = sum(len(a.text.encode()) for a in seeds)
    return total_time / total_bytes


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_text_costs_at_most_3x_per_byte(name: str, normal_cost_per_byte: float) -> None:
    text = CASES[name]()
    article = Article(id=f"hostile-{name}", text=text, title="Talks", source="hostile.example")
    per_byte = _cost(article) / len(text.encode())
    ratio = per_byte / normal_cost_per_byte
    RATIOS[name] = ratio
    print(f"\npathological {name!r}: {len(text.encode())} bytes, {ratio:.2f}x a seed's per-byte cost")
    assert ratio <= MAX_RATIO, f"{name}: {ratio:.1f}x the per-byte cost of a normal article"


def test_report_slowest_ratio() -> None:
    if not RATIOS:
        pytest.skip("no pathological case ran")
    name, ratio = max(RATIOS.items(), key=lambda kv: kv[1])
    print(f"\npathological: slowest {name!r} at {ratio:.2f}x ({len(RATIOS)} cases)")
