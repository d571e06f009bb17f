"""Evaluate deduplication on a labelled set generated in code from real articles.

Usage: ``crosscheck eval-dedup [FILE] [--seed N] [--json]`` (progress to stderr,
report to stdout).  ``FILE`` defaults to ``../shared/data/ecbplus_dev.jsonl`` beside
the checkout (ECB+, Cybulska & Vossen 2014, CC-BY 3.0); nothing derived from it is
stored in the repository: :func:`build_labelled_set` regenerates the set from the
file and a seed.

The labelled set
----------------
Originals: every real article in the file and every seed in ``seeds/``.  Copies,
``COPIES_PER_KIND`` of each kind, each from a different randomly chosen original:

* ``cosmetic`` - the same text re-posted: identical, or with curly quotes, changed
  whitespace and line endings, non-breaking spaces, page chrome lines
  ("Advertisement", "Share this", "top of page") added;
* ``syndicated`` - a new headline (title, and the first line when the page repeats
  it), one paragraph dropped, a syndication trailer appended (own line or run on),
  sometimes a wire dateline ("LONDON (Reuters) -") prefixed;
* ``truncation`` - a brief keeping the headline and dateline lines and the first
  50-70% of the story's paragraphs (of its sentences when there are fewer than four
  paragraphs).

Syndicated copies need at least three paragraphs (one can go and two remain) and
briefs a story of at least four paragraphs or sentences; other originals are never their parents.

Gold and scoring
----------------
Real news feeds already contain copies: ECB+ has wire stories republished by several
sites.  Flagging those is right, so the gold also links two *real* articles when at
least ``GOLD_COPY_CONTAINMENT`` (80%) of the shorter one's word 4-gram shingles occur
verbatim in the longer (exact sets, not the sketch).  Copy clusters are the union of
generated copy->parent links and those corpus links.  A verdict is correct when it
names an article of the item's own cluster.  An original flagged as a copy of an
article outside its cluster is a false positive; a *same-event non-copy flagged* is
such a false positive whose parent reports the same gold event (the case that matters:
different outlets' reports of one event).

Items are streamed in a seeded random order with every copy after its parent.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from worker.core.dedup import (
    DedupConfig,
    DedupIndex,
    dedup_text,
    fingerprint,
    shingles,
)
from worker.core.model import Article

_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = _ROOT.parent / "shared" / "data" / "ecbplus_dev.jsonl"
DEFAULT_SEEDS = _ROOT / "seeds"

COPIES_PER_KIND = 100
KINDS = ("cosmetic", "syndicated", "truncation")
GOLD_COPY_CONTAINMENT = 0.8

_SENTENCE_END = re.compile(r"(?<=[.!?\"'])\s+(?=[A-Z\"'])")

_TRAILERS = (
    "(Reporting by {a}; Editing by {b})",
    "(Reporting by {a}; additional reporting by {b}; Editing by {c})",
    "Copyright 2024 The Associated Press. All rights reserved.",
    "Copyright 2013 The Associated Press. All rights reserved. This material may not be published, "
    "broadcast, rewritten or redistributed.",
    "\u00a9 2024 Thomson Reuters. All rights reserved.",
    "\u00a9 Copyright 2012 {a} Media Group",
    "This material may not be published, broadcast, rewritten or redistributed.",
)
_NAMES = ("Jane Doe", "Tom Hals", "Maria Silva", "Ken Ito", "Ali Khan", "Sara Berg", "Luc Moreau")
_DATELINES = ("LONDON (Reuters) - ", "NEW YORK (AP) \u2014 ", "PARIS (AFP) - ", "WASHINGTON (Reuters) - ")
_HEADLINE_PREFIXES = ("", "", "UPDATE 1-", "WRAPUP 2-", "Breaking: ", "")
_CHROME = ("Advertisement", "Share this", "Read more", "Related Articles")


@dataclass(frozen=True, slots=True)
class LabelledItem:
    """One article of the labelled set: ``parent`` is None for originals."""

    article: Article
    kind: str  # "original" | "cosmetic" | "syndicated" | "truncation"
    parent: str | None
    event: str | None


def load_articles(path: Path) -> list[tuple[Article, str | None]]:
    """The (article, gold event) pairs of a JSONL file."""
    out: list[tuple[Article, str | None]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                out.append((Article.from_json(row), row.get("event")))
    return out


def load_seeds(seeds_dir: Path) -> list[Article]:
    """The seed articles (one ``.txt`` each; the first non-empty line is the title)."""
    out: list[Article] = []
    for p in sorted(seeds_dir.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        title = ""
        for line in text.split("\n"):
            if line.strip() and line.strip().lower() not in ("top of page", "< back"):
                title = line.strip()
                break
        out.append(Article(id=f"seed-{p.stem}", text=text, title=title))
    return out


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def _split_header(a: Article) -> tuple[list[str], list[str]]:
    """(header lines, story paragraphs): the header is the headline line and the short
    lines (dates, bylines) before the first paragraph of five or more words."""
    paras = _paragraphs(a.text)
    i = 0
    while i < len(paras) and (paras[i].strip() == a.title.strip() or len(paras[i].split()) < 5):
        i += 1
    return paras[:i], paras[i:]


def _units(a: Article) -> list[tuple[int, str]]:
    """(paragraph number, unit) of the story: paragraphs if there are at least four,
    else sentences."""
    _, paras = _split_header(a)
    if len(paras) >= 4:
        return list(enumerate(paras))
    return [(i, s) for i, p in enumerate(paras) for s in _SENTENCE_END.split(p) if s.strip()]


def _join_units(units: list[tuple[int, str]]) -> str:
    """Units back to text: sentences of one paragraph on one line, paragraphs on lines."""
    out: list[str] = []
    last = -1
    for para, unit in units:
        if out and para == last:
            out[-1] += " " + unit
        else:
            out.append(unit)
        last = para
    return "\n".join(out)


def _cosmetic(a: Article, rng: random.Random) -> tuple[str, str]:
    text, title = a.text, a.title
    ops = [op for op in ("quotes", "spaces", "crlf", "nbsp", "chrome") if rng.random() < 0.5]
    if rng.random() < 0.2:
        ops = []  # a plain re-post
    for op in ops:
        if op == "quotes":
            parts = text.split('"')
            text = "".join(p + ("\u201c" if i % 2 == 0 else "\u201d") for i, p in enumerate(parts[:-1]))
            text = (text + parts[-1]).replace("'", "\u2019")
        elif op == "spaces":
            text = "\n\n".join("  " + p.replace(". ", ".  ") + "  " for p in _paragraphs(text))
        elif op == "crlf":
            text = text.replace("\n", "\r\n")
        elif op == "nbsp":
            text = text.replace(" ", "\u00a0", rng.randint(1, 20))
        elif op == "chrome":
            paras = _paragraphs(text)
            paras.insert(rng.randint(0, len(paras)), rng.choice(_CHROME))
            text = "top of page\n" + "\n".join(paras) + "\nShare this"
    return text, title


def _new_headline(a: Article, rng: random.Random) -> str:
    words = re.findall(r"[A-Za-z']+", a.text)
    start = rng.randrange(max(1, len(words) - 8))
    pick = words[start : start + rng.randint(5, 9)] or ["News"]
    return rng.choice(_HEADLINE_PREFIXES) + " ".join(w.capitalize() for w in pick)


def _syndicated(a: Article, rng: random.Random) -> tuple[str, str]:
    paras = _paragraphs(a.text)
    title = _new_headline(a, rng)
    had_headline = bool(a.title) and paras[0].strip() == a.title.strip()
    body = paras[1:] if had_headline else paras[:]
    # Drop one paragraph after the lead, and not one holding most of the story: a
    # republisher trims, it does not rewrite.
    total = sum(len(p) for p in body)
    droppable = [i for i in range(1, len(body)) if len(body[i]) <= total / 3]
    if droppable:
        body.pop(rng.choice(droppable))
    if rng.random() < 0.3:
        body[0] = rng.choice(_DATELINES) + body[0]
    trailer = rng.choice(_TRAILERS).format(a=rng.choice(_NAMES), b=rng.choice(_NAMES), c=rng.choice(_NAMES))
    if rng.random() < 0.5:
        body.append(trailer)
    else:
        body[-1] = body[-1] + " " + trailer
    if had_headline:
        body.insert(0, title)
    return "\n".join(body), title


def _truncation(a: Article, rng: random.Random) -> tuple[str, str]:
    header, _ = _split_header(a)
    units = _units(a)
    frac = rng.uniform(0.5, 0.7)
    keep = min(len(units) - 1, max(1, round(frac * len(units))))
    return "\n".join([*header, _join_units(units[:keep])]), a.title


def build_labelled_set(path: Path, seeds_dir: Path, seed: int) -> list[LabelledItem]:
    """Originals (file + seeds) then generated copies; deterministic from ``seed``."""
    rng = random.Random(seed)
    originals = [LabelledItem(a, "original", None, ev) for a, ev in load_articles(path)]
    originals += [LabelledItem(a, "original", None, "seed") for a in load_seeds(seeds_dir)]
    eligible = {
        "cosmetic": originals,
        "syndicated": [o for o in originals if len(_paragraphs(o.article.text)) >= 4],
        "truncation": [o for o in originals if len(_units(o.article)) >= 4],
    }
    makers = {"cosmetic": _cosmetic, "syndicated": _syndicated, "truncation": _truncation}
    copies: list[LabelledItem] = []
    for kind in KINDS:
        pool = eligible[kind]
        for i, parent in enumerate(rng.sample(pool, min(COPIES_PER_KIND, len(pool)))):
            text, title = makers[kind](parent.article, rng)
            art = Article(id=f"{kind}-{i:03d}-{parent.article.id}", text=text, title=title)
            copies.append(LabelledItem(art, kind, parent.article.id, parent.event))
    return originals + copies


def _shingles(a: Article) -> set[str]:
    return set(shingles(dedup_text(a)))


def exact_containment(a: set[str], b: set[str]) -> float:
    """Share of the smaller set's shingles that are in the larger (exact)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small) if small else 0.0


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:  # path compression
            self.parent[x], x = root, self.parent.get(x, x)
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _order(items: Sequence[LabelledItem], rng: random.Random) -> list[LabelledItem]:
    """A random order with every copy after its parent (copies of copies included)."""
    keys: dict[str, float] = {}
    for it in items:  # originals come first in ``items``, so parents are keyed first
        base = keys[it.parent] if it.parent is not None else 0.0
        keys[it.article.id] = base + (1.0 - base) * rng.random()
    return sorted(items, key=lambda it: (keys[it.article.id], it.article.id))


def evaluate(
    items: Sequence[LabelledItem], config: DedupConfig | None = None, seed: int = 0, progress: bool = False
) -> dict[str, Any]:
    """Stream ``items`` through fingerprint + DedupIndex and score the verdicts."""
    config = config or DedupConfig()
    by_id = {it.article.id: it for it in items}
    sh_sets = {it.article.id: _shingles(it.article) for it in items}
    uf = _UnionFind()
    for it in items:
        if it.parent is not None:
            uf.union(it.article.id, it.parent)
    # Corpus copies: real articles (same event; copies across events do not occur in
    # the data) sharing >= GOLD_COPY_CONTAINMENT of the shorter's shingles.
    originals = [it for it in items if it.parent is None]
    corpus_pairs: list[tuple[str, str, float]] = []
    near_misses: list[tuple[float, float, str, str]] = []
    for i, a in enumerate(originals):
        for b in originals[i + 1 :]:
            if a.event != b.event:
                continue
            sa, sb = sh_sets[a.article.id], sh_sets[b.article.id]
            c = exact_containment(sa, sb)
            if c >= GOLD_COPY_CONTAINMENT:
                uf.union(a.article.id, b.article.id)
                corpus_pairs.append((a.article.id, b.article.id, round(c, 3)))
            elif c > 0:
                ratio = min(len(sa), len(sb)) / max(len(sa), len(sb))
                near_misses.append((round(c, 3), round(ratio, 3), a.article.id, b.article.id))

    index = DedupIndex({}, config)
    stream = _order(items, random.Random(seed + 1))
    fp_us: list[float] = []
    ca_us: list[float] = []
    verdicts: dict[str, Any] = {}
    for seq, it in enumerate(stream):
        t0 = time.perf_counter()
        fp = fingerprint(it.article, num_perm=config.num_perm)
        t1 = time.perf_counter()
        v = index.check(it.article.id, fp)
        index.add(it.article.id, fp, seq, None, v.duplicate_of if v else None)
        t2 = time.perf_counter()
        fp_us.append((t1 - t0) * 1e6)
        ca_us.append((t2 - t1) * 1e6)
        verdicts[it.article.id] = v
        if progress and seq % 200 == 0:
            print(f"eval-dedup: {seq}/{len(stream)}", file=sys.stderr)

    per_kind: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        ks = [it for it in items if it.kind == kind]
        flagged = [it for it in ks if verdicts[it.article.id] is not None]
        correct = [
            it for it in flagged if uf.find(verdicts[it.article.id].duplicate_of) == uf.find(it.article.id)
        ]
        sims = [verdicts[it.article.id].similarity for it in correct]
        per_kind[kind] = {
            "n": len(ks),
            "flagged": len(flagged),
            "correct": len(correct),
            "precision": len(correct) / len(flagged) if flagged else 1.0,
            "recall": len(correct) / len(ks) if ks else 1.0,
            "methods": dict(sorted(Counter(verdicts[it.article.id].method for it in flagged).items())),
            "min_similarity": min(sims) if sims else None,
            "missed": sorted(it.article.id for it in ks if it not in correct)[:10],
        }
    false_pos: list[dict[str, Any]] = []
    corpus_flagged = 0
    for it in originals:
        v = verdicts[it.article.id]
        if v is None:
            continue
        if uf.find(v.duplicate_of) == uf.find(it.article.id):
            corpus_flagged += 1
            continue
        other = by_id.get(v.duplicate_of)
        false_pos.append(
            {
                "id": it.article.id,
                "duplicate_of": v.duplicate_of,
                "similarity": v.similarity,
                "same_event": other is not None and other.event == it.event,
                "exact_containment": round(
                    exact_containment(sh_sets[it.article.id], sh_sets[v.duplicate_of]), 3
                )
                if v.duplicate_of in sh_sets
                else None,
            }
        )
    n_copies = sum(pk["n"] for pk in per_kind.values())
    n_correct = sum(pk["correct"] for pk in per_kind.values())
    n_flagged = sum(pk["flagged"] for pk in per_kind.values()) + corpus_flagged + len(false_pos)
    records = index.records
    sizes = [len(json.dumps(v, separators=(",", ":"))) for v in records.values()]
    near_misses.sort(reverse=True)
    copy_cont = [
        exact_containment(sh_sets[it.article.id], sh_sets[it.parent]) for it in items if it.parent is not None
    ]
    return {
        "config": {k: getattr(config, k) for k in config.__dataclass_fields__},
        "seed": seed,
        "n_originals": len(originals),
        "n_copies": n_copies,
        "per_kind": per_kind,
        "overall": {
            "precision": (n_correct + corpus_flagged) / n_flagged if n_flagged else 1.0,
            "recall": n_correct / n_copies if n_copies else 1.0,
        },
        "false_positives": false_pos,
        "same_event_non_copies_flagged": sum(1 for fp_ in false_pos if fp_["same_event"]),
        "corpus_copy_pairs": len(corpus_pairs),
        "corpus_copies_flagged": corpus_flagged,
        "gold_gap": {
            "min_exact_containment_generated_copies": round(min(copy_cont), 3) if copy_cont else None,
            "top_same_event_non_copy_pairs": [list(x) for x in near_misses[:5]],
        },
        "cost": {
            "fingerprint_us_mean": round(statistics.fmean(fp_us), 1),
            "fingerprint_us_p50": round(statistics.median(fp_us), 1),
            "check_add_us_mean": round(statistics.fmean(ca_us), 1),
            "check_add_us_p50": round(statistics.median(ca_us), 1),
            "bytes_per_entry_mean": round(statistics.fmean(sizes), 1),
            "bytes_per_entry_max": max(sizes),
        },
    }


def _format(report: dict[str, Any]) -> str:
    lines = [f"dedup evaluation: {report['n_originals']} originals, {report['n_copies']} copies"]
    for kind, pk in report["per_kind"].items():
        lines.append(
            f"  {kind:<11} n={pk['n']:<4} precision={pk['precision']:.3f} recall={pk['recall']:.3f}"
            f" methods={pk['methods']} min_sim={pk['min_similarity']}"
        )
    o = report["overall"]
    lines.append(f"  overall     precision={o['precision']:.3f} recall={o['recall']:.3f}")
    lines.append(f"  same-event non-copies flagged: {report['same_event_non_copies_flagged']}")
    lines.append(f"  false positives (all): {len(report['false_positives'])}")
    lines.append(
        f"  corpus copy pairs (>= {GOLD_COPY_CONTAINMENT:.0%} exact containment):"
        f" {report['corpus_copy_pairs']},"
        f" originals flagged as corpus copies: {report['corpus_copies_flagged']}"
    )
    c = report["cost"]
    lines.append(
        f"  cost: fingerprint {c['fingerprint_us_mean']} us/article (p50 {c['fingerprint_us_p50']}),"
        f" check+add {c['check_add_us_mean']} us (p50 {c['check_add_us_p50']}),"
        f" {c['bytes_per_entry_mean']} bytes/entry (max {c['bytes_per_entry_max']})"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``crosscheck eval-dedup [FILE] [--seed N] [--json]``; returns 0 when goals are met."""
    ap = argparse.ArgumentParser(prog="crosscheck eval-dedup", description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seeds-dir", type=Path, default=DEFAULT_SEEDS)
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args(argv)
    if not args.file.exists():
        print(f"eval-dedup: data file not found: {args.file}", file=sys.stderr)
        return 2
    print(f"eval-dedup: building labelled set from {args.file} (seed {args.seed})", file=sys.stderr)
    items = build_labelled_set(args.file, args.seeds_dir, args.seed)
    report = evaluate(items, seed=args.seed, progress=True)
    print(json.dumps(report, indent=2) if args.json else _format(report))
    o = report["overall"]
    ok = o["precision"] >= 0.98 and o["recall"] >= 0.95 and report["same_event_non_copies_flagged"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
