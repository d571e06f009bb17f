"""Real news articles for the benchmarks: the development set, and distinct variants of it.

The development set (``../shared/data/ecbplus_dev.jsonl``, ECB+; never copied into the
repository) holds 465 real articles, a median of ~210 words (1.2 KB) each.  A
stream of ~1,000 *distinct* real-shaped articles is made in code:

* the 465 originals first (ids unchanged);
* then, pass after pass, one **recombination** per original A: A's sentences at
  every other position, and at the others the sentences of another article B of the
  same ECB+ topic (so the text stays about the same story, told by two outlets), line
  breaks kept.  Each pass draws a new B, and pass k takes A's sentences at positions
  of parity k, so two variants of A share little of A's text.

A variant keeps about half of each parent, so dedup (which needs ~90% containment)
sees a new article, not a copy; ``check_distinct`` counts what replay calls a
duplicate, and the bench reports it.  The order is shuffled with a fixed seed (a
feed interleaves stories); ids and texts are deterministic for a given ``n`` and
``seed``.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import orjson

#: Where the development set lives: beside the checkout, never inside it.
DEV_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ecbplus_dev.jsonl"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
#: Articles with fewer sentences are not recombined (see ``articles``).
MIN_SENTENCES = 6
#: Input fields kept (``event``, the gold label, is not input).
FIELDS = ("id", "text", "title", "source", "url", "published_at", "language")


class NoDevData(RuntimeError):
    """The development set is not there (``../shared/data`` is absent)."""


def load_dev(path: Path = DEV_DATA) -> list[dict[str, Any]]:
    if not path.exists():
        raise NoDevData(f"the development set {path} is absent (../shared/data beside the checkout)")
    rows = []
    with open(path, "rb") as fh:
        for line in fh:
            if line.strip():
                rows.append(orjson.loads(line))
    return rows


def _units(text: str) -> list[tuple[str, str]]:
    """Sentences, each with what followed it (a line break or a space)."""
    out: list[tuple[str, str]] = []
    for line in text.split("\n"):
        sentences = [x for x in _SENTENCE.split(line.strip()) if x.strip()]
        out.extend((x, " ") for x in sentences)
        if out and sentences:
            out[-1] = (out[-1][0], "\n")
    return out


def _recombine(a: dict[str, Any], b: dict[str, Any], parity: int) -> str:
    """A's sentences at positions of ``parity``, B's own sentence at each other position.

    Each parent keeps about half its sentences (B's beyond A's length are left out), so
    neither parent is contained in the variant, nor the variant in a parent.
    """
    units_a, units_b = _units(a["text"]), _units(b["text"])
    out = []
    for i, unit in enumerate(units_a):
        if i % 2 == parity:
            out.append(unit)
        elif i < len(units_b):
            out.append(units_b[i])
    if len(out) < 2 and units_b:  # a one-sentence article: add the other outlet's lead
        out.append(units_b[0])
    return "".join(text + sep for text, sep in out).strip()


def articles(n: int, seed: int = 0, rows: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """``n`` distinct real-shaped articles: the originals, then recombinations (module docstring)."""
    rows = load_dev() if rows is None else rows
    topic_of = {r["id"]: str(r.get("event", "")).split("_")[0] for r in rows}
    by_topic: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_topic[topic_of[r["id"]]].append(r)
    rng = random.Random(seed)
    out = [{k: r[k] for k in FIELDS if r.get(k) is not None} for r in rows[:n]]
    # Short articles (a headline and a sentence or two) make variants that are mostly
    # one parent: only articles of MIN_SENTENCES or more are recombined.
    parents = [r for r in rows if len(_units(r["text"])) >= MIN_SENTENCES]
    size = {r["id"]: len(_units(r["text"])) for r in parents}
    used: set[frozenset[str]] = set()
    k = 0
    while len(out) < n:
        k += 1
        added = 0
        for a in parents:
            if len(out) >= n:
                break
            # B about as long as A (a short B would leave the variant mostly A), and a
            # pair used once only: (A, B) in one pass and (B, A) in the next are one text.
            mates = [
                b
                for b in by_topic[topic_of[a["id"]]]
                if b["id"] != a["id"]
                and size.get(b["id"], 0) >= 0.8 * size[a["id"]]
                and frozenset((a["id"], b["id"])) not in used
            ]
            if not mates:
                continue
            b = rng.choice(mates)
            used.add(frozenset((a["id"], b["id"])))
            variant = {key: a[key] for key in FIELDS if a.get(key) is not None}
            variant["id"] = f"{a['id']}~v{k}"
            variant["text"] = _recombine(a, b, k % 2)
            out.append(variant)
            added += 1
        if not added:
            raise ValueError(f"the development set yields {len(out)} distinct articles, not {n}")
    rng.shuffle(out)
    return out


def check_distinct(records: list[dict[str, Any]]) -> int:
    """How many of ``records`` the core's dedup calls a copy (replay over them, in order)."""
    from worker.core.model import Article
    from worker.core.pipeline import Pipeline

    pipeline = Pipeline()
    copies = 0
    for r in records:
        outputs = pipeline.process(Article.from_json(r))
        copies += sum(1 for o in outputs if o.value.get("type") == "duplicate")
    return copies
