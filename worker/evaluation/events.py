"""``crosscheck eval-events``: measure online event grouping on a labelled stream.

Usage::

    crosscheck eval-events FILE [--seed N] [--folds K] [--shuffles S] [--with-seeds DIR] [--json]

FILE is JSONL, one article per line with a gold ``event`` label (ECB+ style:
``"<topic>_<subset>"``, e.g. ``"1_ecb"`` and ``"1_ecbplus"`` are two look-alike events
of topic 1).  Articles of ``--with-seeds DIR`` (``*.txt``: id = file stem, title = first
meaningful line, text = whole content) join the stream with gold label ``"seeds"``.

Procedure (nothing is tuned on the answers that are reported):

1. Every article's :func:`~worker.core.events.event_features` is computed once.
2. For each of ``--shuffles`` deterministic orders (``--seed``, ``--seed + 1``, ...) and
   every configuration of :data:`GRID`, the *whole* stream is run through
   :class:`~worker.core.events.EventIndex` and each article's BCubed precision and
   recall are recorded.
3. Topics (the label before ``_``; the seeds are one more topic) are dealt round-robin
   into ``--folds`` folds, so both look-alike events of a topic are in the same fold.
   For each fold, the configuration with the best mean BCubed F1 over the *other*
   folds' articles is chosen and the fold's own articles are scored with it: the
   held-out figure.  The held-out articles stay in the stream (unlabelled articles
   are what the tuner sees anyway), so the held-out stream is exactly as hard as the
   real one: look-alikes and distractors from every topic are present.
4. The overall held-out BCubed pools every article scored by its own fold's choice.
5. The defaults of :class:`~worker.core.events.EventConfig` are the configuration most
   folds chose (ties: the higher mean training F1); the report says whether the
   current defaults are that configuration and gives their in-sample score.

A naive baseline is reported for context: online TF-IDF centroids over the same
features (no entity gate, no reps, no kind weights), joining the best centroid when
its cosine reaches a threshold; the threshold is the best on the whole set (an
*oracle* choice, which flatters the baseline).

Progress goes to stderr, the report to stdout.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from worker.core.chrome import strip_chrome
from worker.core.events import EventConfig, EventFeatures, EventIndex, event_features
from worker.core.model import Article

#: The configurations the cross-validation chooses from.
GRID: dict[str, tuple[float, ...]] = {
    "threshold": (0.2, 0.25, 0.3),
    "entity_weight": (1.0, 2.0),
    "entity_gate": (2.0, 4.0),
    "date_weight": (1.0, 2.0),
    "contradiction": (0.0, 0.02),
    "merge_threshold": (0.0, 0.3, 0.35),
}
#: Parameters tied to another in the grid (numbers behave like dates).
TIED: dict[str, str] = {"number_weight": "date_weight"}
#: Thresholds tried for the baseline.
BASELINE_THRESHOLDS: tuple[float, ...] = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)


@dataclass(frozen=True)
class Item:
    article: Article
    gold: str

    @property
    def topic(self) -> str:
        return self.gold.split("_", 1)[0]


def load_jsonl(path: Path) -> list[Item]:
    items: list[Item] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                data = json.loads(line)
                items.append(Item(Article.from_json(data), str(data["event"])))
    return items


def load_seeds(directory: Path, label: str = "seeds") -> list[Item]:
    """The ``*.txt`` articles of ``directory``: id = stem, title = first meaningful line."""
    items: list[Item] = []
    for path in sorted(directory.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        title = next((ln.strip() for ln in strip_chrome(text).splitlines() if ln.strip()), "")
        items.append(Item(Article(id=path.stem, text=text, title=title), label))
    return items


def shuffled(ids: Sequence[str], seed: int) -> list[str]:
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    return order


def run_stream(
    features: Mapping[str, EventFeatures],
    order: Sequence[str],
    config: EventConfig,
    stats: dict[str, int] | None = None,
) -> dict[str, str]:
    """Article id -> final event id, from one online pass in ``order``.

    What is scored is the clustering at the end of the stream: an article assigned
    to an event that a later article merged into another counts as a member of the
    survivor (``EventIndex.resolve``), as a consumer applying ``event_merged``
    updates would see it.  ``stats["merges"]`` (if given) counts absorbed events.
    """
    index = EventIndex({}, config)
    assigned: dict[str, str] = {}
    merges = 0
    for seq, aid in enumerate(order):
        assignment = index.assign(aid, features[aid], seq)
        assigned[aid] = assignment.event_id
        merges += len(assignment.merged)
    if stats is not None:
        stats["merges"] = merges
    return {aid: index.resolve(event_id) for aid, event_id in assigned.items()}


def bcubed_items(pred: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, tuple[float, float]]:
    """Per-article BCubed (precision, recall)."""
    by_pred: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for aid in sorted(pred):
        by_pred.setdefault(pred[aid], set()).add(aid)
        by_gold.setdefault(gold[aid], set()).add(aid)
    out: dict[str, tuple[float, float]] = {}
    for aid in sorted(pred):
        p, g = by_pred[pred[aid]], by_gold[gold[aid]]
        inter = len(p & g)
        out[aid] = (inter / len(p), inter / len(g))
    return out


def summarise(scores: Mapping[str, tuple[float, float]], ids: Sequence[str]) -> dict[str, float]:
    """Mean BCubed precision/recall over ``ids`` and their F1."""
    if not ids:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    p = sum(scores[i][0] for i in ids) / len(ids)
    r = sum(scores[i][1] for i in ids) / len(ids)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r > 0 else 0.0}


def grid_configs(grid: Mapping[str, Sequence[float]] = GRID) -> list[EventConfig]:
    names = list(grid)
    out: list[EventConfig] = []
    for values in itertools.product(*(grid[n] for n in names)):
        params: dict[str, Any] = dict(zip(names, values, strict=True))
        for tied, source in TIED.items():
            if source in params:
                params[tied] = params[source]
        out.append(replace(EventConfig(), **params))
    return out


def tuned_params(config: EventConfig, grid: Mapping[str, Sequence[float]] = GRID) -> dict[str, Any]:
    names = list(grid) + [t for t, s in TIED.items() if s in grid]
    return {n: getattr(config, n) for n in names}


def baseline_stream(
    features: Mapping[str, EventFeatures], order: Sequence[str], threshold: float
) -> dict[str, str]:
    """Naive online TF-IDF centroid clustering (brute force over all centroids)."""
    df: Counter[str] = Counter()
    centroids: list[dict[str, float]] = []
    names: list[str] = []
    pred: dict[str, str] = {}
    for n, aid in enumerate(order):
        keys = features[aid].keys
        for key, _ in keys:
            df[key] += 1
        vec = {k: w * math.log((n + 2) / df[k]) for k, w in keys}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vec = {k: v / norm for k, v in vec.items()}
        best, best_sim = -1, 0.0
        for idx, cent in enumerate(centroids):
            cnorm = math.sqrt(sum(v * v for v in cent.values())) or 1.0
            sim = sum(v * cent.get(k, 0.0) for k, v in vec.items()) / cnorm
            if sim > best_sim:
                best, best_sim = idx, sim
        if best >= 0 and best_sim >= threshold:
            cent = centroids[best]
            for k, v in vec.items():
                cent[k] = cent.get(k, 0.0) + v
            pred[aid] = names[best]
        else:
            centroids.append(dict(vec))
            names.append(aid)
            pred[aid] = aid
    return pred


def assign_folds(items: Sequence[Item], k: int) -> dict[str, int]:
    """Topic -> fold, round-robin over topics in natural order (numbers numerically)."""
    topics = sorted(
        {it.topic for it in items}, key=lambda t: (not t.isdigit(), int(t) if t.isdigit() else 0, t)
    )
    return {topic: i % k for i, topic in enumerate(topics)}


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def cross_validate(
    items: Sequence[Item],
    *,
    seed: int = 0,
    folds: int = 5,
    shuffles: int = 3,
    grid: Mapping[str, Sequence[float]] = GRID,
    baseline_thresholds: Sequence[float] = BASELINE_THRESHOLDS,
    progress: bool = True,
) -> dict[str, Any]:
    """The whole evaluation (see the module docstring); returns a JSON-able report."""
    gold = {it.article.id: it.gold for it in items}
    topic_of = {it.article.id: it.topic for it in items}
    t0 = time.perf_counter()
    features = {it.article.id: event_features(it.article) for it in items}
    feat_seconds = time.perf_counter() - t0
    seeds = [seed + s for s in range(shuffles)]
    orders = {s: shuffled(list(features), s) for s in seeds}
    configs = grid_configs(grid)
    fold_of_topic = assign_folds(items, folds)
    fold_ids = {f: sorted(a for a in gold if fold_of_topic[topic_of[a]] == f) for f in range(folds)}
    all_ids = sorted(gold)

    # scores[c][s] = per-article (P, R) of configuration c on shuffle s.
    scores: list[dict[int, dict[str, tuple[float, float]]]] = []
    assign_seconds = 0.0
    for c, config in enumerate(configs):
        per_seed: dict[int, dict[str, tuple[float, float]]] = {}
        for s in seeds:
            t1 = time.perf_counter()
            pred = run_stream(features, orders[s], config)
            assign_seconds += time.perf_counter() - t1
            per_seed[s] = bcubed_items(pred, gold)
        scores.append(per_seed)
        if progress and (c + 1) % 10 == 0:
            _log(f"eval-events: {c + 1}/{len(configs)} configurations")

    def mean_f1(c: int, ids: Sequence[str]) -> float:
        return sum(summarise(scores[c][s], ids)["f1"] for s in seeds) / len(seeds)

    fold_reports: list[dict[str, Any]] = []
    chosen: list[int] = []
    train_f1: dict[int, list[float]] = {}
    for f in range(folds):
        train = [a for a in all_ids if a not in set(fold_ids[f])]
        train_scores = [mean_f1(c, train) for c in range(len(configs))]
        best = max(range(len(configs)), key=lambda c: (train_scores[c], -c))
        chosen.append(best)
        train_f1.setdefault(best, []).append(train_scores[best])
        held = {s: summarise(scores[best][s], fold_ids[f]) for s in seeds}
        fold_reports.append(
            {
                "fold": f,
                "topics": sorted(t for t, k in fold_of_topic.items() if k == f),
                "articles": len(fold_ids[f]),
                "chosen": tuned_params(configs[best], grid),
                "train_f1": train_scores[best],
                "heldout": {str(s): held[s] for s in seeds},
                "heldout_f1_mean": sum(h["f1"] for h in held.values()) / len(seeds),
            }
        )

    # Pooled held-out: every article scored under its own fold's choice.
    pooled: dict[str, dict[str, float]] = {}
    for s in seeds:
        merged: dict[str, tuple[float, float]] = {}
        for f in range(folds):
            for a in fold_ids[f]:
                merged[a] = scores[chosen[f]][s][a]
        pooled[str(s)] = summarise(merged, all_ids)
    f1s = [v["f1"] for v in pooled.values()]

    votes = Counter(chosen)
    default_choice = max(votes, key=lambda c: (votes[c], sum(train_f1[c]) / len(train_f1[c]), -c))
    current = EventConfig()
    current_params = tuned_params(current, grid)
    cv_params = tuned_params(configs[default_choice], grid)
    in_sample: dict[str, dict[str, Any]] = {}
    for s in seeds:
        stats: dict[str, int] = {}
        pred = run_stream(features, orders[s], current, stats)
        in_sample[str(s)] = summarise(bcubed_items(pred, gold), all_ids) | {
            "predicted_events": len(set(pred.values())),
            "gold_events": len(set(gold.values())),
            "merges": stats["merges"],
        }

    baseline: dict[str, Any] = {}
    best_base = None
    for threshold in baseline_thresholds:
        per = {
            str(s): summarise(bcubed_items(baseline_stream(features, orders[s], threshold), gold), all_ids)
            for s in seeds
        }
        mean = sum(v["f1"] for v in per.values()) / len(per)
        if best_base is None or mean > best_base[0]:
            best_base = (mean, threshold, per)
    assert best_base is not None
    baseline = {"threshold": best_base[1], "per_seed": best_base[2], "f1_mean": best_base[0]}

    # Throughput on one pass with the defaults, in CPU seconds of this process (the
    # figure stays meaningful on a shared machine): features, then assign.
    by_id = {it.article.id: it.article for it in items}
    order0 = orders[seeds[0]]
    t2 = time.process_time()
    fresh = [event_features(by_id[aid]) for aid in order0]
    t3 = time.process_time()
    index = EventIndex({}, current)
    for seq, (aid, feats) in enumerate(zip(order0, fresh, strict=True)):
        index.assign(aid, feats, seq)
    t4 = time.process_time()
    features_cpu, assign_cpu = t3 - t2, t4 - t3
    records = [v for k, v in index.events.items() if not k.startswith("__")]
    state_bytes = [len(json.dumps(v, separators=(",", ":"))) for v in records]

    return {
        "articles": len(items),
        "gold_events": len(set(gold.values())),
        "topics": len(fold_of_topic),
        "folds": folds,
        "shuffle_seeds": seeds,
        "grid_size": len(configs),
        "fold_reports": fold_reports,
        "heldout": {
            "per_seed": pooled,
            "f1_mean": sum(f1s) / len(f1s),
            "f1_min": min(f1s),
            "precision_mean": sum(v["precision"] for v in pooled.values()) / len(pooled),
            "recall_mean": sum(v["recall"] for v in pooled.values()) / len(pooled),
        },
        "cv_default": cv_params,
        "current_default": current_params,
        "defaults_match_cv": cv_params == current_params,
        "defaults_in_sample": in_sample,
        "baseline_oracle_threshold": baseline,
        "throughput": {
            "articles_per_cpu_second": len(items) / max(features_cpu + assign_cpu, 1e-9),
            "features_per_cpu_second": len(items) / max(features_cpu, 1e-9),
            "assign_per_cpu_second": len(items) / max(assign_cpu, 1e-9),
            "features_wall_seconds": feat_seconds,
            "assign_wall_seconds_per_run": assign_seconds / (len(configs) * len(seeds)),
        },
        "state_bytes_per_event": {
            "mean": sum(state_bytes) / len(state_bytes) if state_bytes else 0,
            "max": max(state_bytes, default=0),
        },
    }


def _fmt(m: Mapping[str, float]) -> str:
    return f"P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f}"


def render(report: Mapping[str, Any]) -> str:
    lines = [
        f"articles {report['articles']}, gold events {report['gold_events']}, "
        f"topics {report['topics']}, {report['folds']} folds over topics, "
        f"shuffles {report['shuffle_seeds']}, grid {report['grid_size']}",
        "",
        "held-out BCubed (each fold scored with the configuration chosen on the other folds):",
    ]
    for fr in report["fold_reports"]:
        per = "  ".join(f"s{s}: {_fmt(m)}" for s, m in fr["heldout"].items())
        lines.append(f"  fold {fr['fold']} topics {','.join(fr['topics'])} ({fr['articles']} articles)")
        lines.append(f"    chosen {fr['chosen']} (train F1 {fr['train_f1']:.3f})")
        lines.append(f"    {per}")
    ho = report["heldout"]
    lines.append("  pooled: " + "  ".join(f"s{s}: {_fmt(m)}" for s, m in ho["per_seed"].items()))
    lines.append(
        f"  pooled F1 mean {ho['f1_mean']:.3f} min {ho['f1_min']:.3f} "
        f"(P mean {ho['precision_mean']:.3f}, R mean {ho['recall_mean']:.3f})"
    )
    lines.append("")
    lines.append(f"CV-chosen defaults: {report['cv_default']}")
    lines.append(f"EventConfig defaults: {report['current_default']} (match: {report['defaults_match_cv']})")
    lines.append(
        "defaults in-sample: "
        + "  ".join(
            f"s{s}: {_fmt(m)} events {m['predicted_events']}/{m['gold_events']} merges {m['merges']}"
            for s, m in report["defaults_in_sample"].items()
        )
    )
    base = report["baseline_oracle_threshold"]
    lines.append(
        f"baseline (online TF-IDF centroid, oracle threshold {base['threshold']}): "
        f"F1 mean {base['f1_mean']:.3f}  "
        + "  ".join(f"s{s}: {_fmt(m)}" for s, m in base["per_seed"].items())
    )
    tp = report["throughput"]
    lines.append(
        f"throughput (CPU time, one pass): {tp['articles_per_cpu_second']:.0f} articles/s features + assign; "
        f"features {tp['features_per_cpu_second']:.0f}/s, assign {tp['assign_per_cpu_second']:.0f}/s"
    )
    sb = report["state_bytes_per_event"]
    lines.append(f"state: {sb['mean']:.0f} bytes/event mean, {sb['max']} max (compact JSON)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="crosscheck eval-events", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("file", type=Path, help="JSONL articles with a gold 'event' label")
    parser.add_argument("--seed", type=int, default=0, help="first shuffle seed")
    parser.add_argument(
        "--shuffles", type=int, default=3, help="number of shuffle orders (seed, seed+1, ...)"
    )
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds over topics")
    parser.add_argument("--with-seeds", type=Path, default=None, help="directory of seed *.txt articles")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if not args.file.exists():
        print(f"eval-events: no such file: {args.file}", file=sys.stderr)
        return 2
    items = load_jsonl(args.file)
    if args.with_seeds is not None:
        items += load_seeds(args.with_seeds)
    if args.folds < 2 or args.folds > len({it.topic for it in items}):
        print("eval-events: --folds must be between 2 and the number of topics", file=sys.stderr)
        return 2
    _log(
        f"eval-events: {len(items)} articles, {len(grid_configs())} configurations x {args.shuffles} shuffles"
    )
    report = cross_validate(items, seed=args.seed, folds=args.folds, shuffles=max(1, args.shuffles))
    print(json.dumps(report, indent=2, sort_keys=True) if args.json else render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["GRID", "Item", "bcubed_items", "cross_validate", "load_jsonl", "load_seeds", "main"]
