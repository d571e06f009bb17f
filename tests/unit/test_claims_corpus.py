"""Smoke test over the ECB+ development news, and the hostile-input cost ratio."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest

from worker.core.claims import extract_claims
from worker.core.model import CLAIM_KINDS, Article

ECB = Path("/work/shared/data/ecbplus_dev.jsonl")
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_ecbplus_smoke() -> None:
    if not ECB.exists():
        pytest.skip(f"ECB+ development data not found at {ECB}")
    counts: Counter[str] = Counter()
    n = 0
    with ECB.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            art = Article(id=rec["id"], text=rec["text"], title=rec.get("title") or "")
            for c in extract_claims(art):
                assert c.kind in CLAIM_KINDS
                assert art.text[c.span[0] : c.span[1]] == c.raw
                json.dumps(c.to_json())
                counts[c.kind] += 1
            n += 1
    print(f"\nECB+ articles: {n}; claims per kind: {dict(sorted(counts.items()))}")
    assert n > 0
    assert counts["quantity"] > 0 and counts["role"] > 0 and counts["time"] > 0


def _cost_per_byte(text: str, reps: int) -> float:
    art = Article(id="h", text=text)
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(reps):
            extract_claims(art)
        best = min(best, (time.perf_counter() - t) / reps / max(1, len(text)))
    return best


HOSTILE = {
    "punctuation": "!?.,;:-" * (1_000_000 // 7),
    "digits": "1234567890" * 100_000,
    "spaced_digits": "12 34. 56: 78 " * (1_000_000 // 14),
    "word_100k": "a" * 100_000,
    "short_sentences": "Ab. " * 250_000,
    "quotes": '"' * 1_000_000,
    "titles": "President " * 100_000,
    "messy_times": "9: 27 a. m. " * (1_000_000 // 12),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_cost_ratio(name: str) -> None:
    """Hostile input costs at most 3x a normal article per byte (ratio within the run)."""
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.skip("seed articles not found")
    normal = min(_cost_per_byte(f.read_text(encoding="utf-8"), 10) for f in files)
    hostile = _cost_per_byte(HOSTILE[name], 1)
    ratio = hostile / normal
    print(f"\n{name}: ratio {ratio:.2f}")
    assert ratio <= 3.0
