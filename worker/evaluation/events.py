"""``crosscheck eval-events``: measure online event grouping on a labelled stream.

Usage::

    crosscheck eval-events FILE [--seed N] [--folds K] [--shuffles S] [--with-seeds DIR]
                                [--quick] [--half odd|even] [--halves] [--json]

FILE is JSONL, one article per line with a gold ``event`` label (ECB+ style:
``"<topic>_<subset>"``, e.g. ``"1_ecb"`` and ``"1_ecbplus"`` are two look-alike events
of topic 1).  Articles of ``--with-seeds DIR`` (``*.txt``: id = file stem, title = first
meaningful line, text = whole content) join the stream with gold label ``"seeds"``.

Procedure (nothing is tuned on the answers that are reported):

1. Every article goes through :func:`~worker.core.pipeline.ingest` once (language,
   fingerprint, event features, claims: it depends on the article alone).
2. For each of ``--shuffles`` deterministic orders (``--seed``, ``--seed + 1``, ...) and
   every configuration of :data:`GRID`, the *whole* stream is run through the rest of
   the pipeline (:meth:`~worker.core.pipeline.Pipeline.process_enriched`: dedup, event
   assignment, merges, splits, reconcile), and its outputs are read as a consumer
   would (:func:`consume`): each article's BCubed precision and recall, false joins
   and splits (:func:`errors`) and contradictions across gold events
   (:func:`contradiction_errors`) are recorded.
3. Topics (the label before ``_``; the seeds are one more topic) are dealt round-robin
   into ``--folds`` folds, so both look-alike events of a topic are in the same fold.
   For each fold, the configuration with the best mean BCubed F1 over the *other*
   folds' articles is chosen among those whose mean precision there reaches
   :data:`MIN_TRAIN_PRECISION` and that raise no contradiction across gold events
   there (:func:`choose`), and the fold's own articles are scored with it: the
   held-out figure.  The held-out articles stay in the stream (unlabelled articles
   are what the tuner sees anyway), so the held-out stream is exactly as hard as the
   real one: look-alikes and distractors from every topic are present.
4. The overall held-out BCubed pools every article scored by its own fold's choice.
5. The defaults of :class:`~worker.core.events.EventConfig` are the configuration most
   folds chose (ties: the higher mean training F1); the report says whether the
   current defaults are that configuration and gives their in-sample score.

``--quick`` skips the cross-validation: it scores the configuration in force
(``CROSSCHECK_EVENT_*`` applied) on the shuffles.

``--half odd|even`` streams only that half of the numbered topics (and the seeds), for
designing a rule on one half and measuring it on the other.  A half holds half the
look-alikes of other topics, though, which flatters a rule that lowers a threshold;
``--halves`` therefore streams *every* article under the configuration in force and
scores the odd topics, the even topics and all of them separately
(:func:`half_scores`): the effect on the held-out half, in a stream as hard as the
real one.

A naive baseline is reported for context: online TF-IDF centroids over the same
features (no entity gate, no reps, no kind weights), joining the best centroid when
its cosine reaches a threshold; the threshold is the best on the whole set (an
*oracle* choice, which flatters the baseline).

Progress goes to stderr, the report to stdout.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import itertools
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from worker.core.chrome import strip_chrome
from worker.core.events import EventConfig, EventFeatures, EventIndex
from worker.core.model import Article
from worker.core.pipeline import Enriched, Pipeline, ingest
from worker.core.reconcile import Output
from worker.core.reftime import dateline

JSON = dict[str, Any]

#: The configurations the cross-validation chooses from.
GRID: dict[str, tuple[float, ...]] = {
    "threshold": (0.2, 0.25, 0.3),
    "entity_weight": (1.0, 2.0),
    "entity_gate": (2.0, 4.0),
    "date_weight": (1.0, 2.0),
    "merge_threshold": (0.0, 0.3, 0.35),
    "identity_sim": (0.0, 0.4),
    "split_threshold": (0.0, 0.1),
}
#: Parameters tied to another in the grid (numbers behave like dates).
TIED: dict[str, str] = {"number_weight": "date_weight"}
#: Parameters set from another: the identity rule's second threshold (two conflicts
#: keep an article out) is on whenever its first is.
DERIVED: dict[str, tuple[str, Any]] = {"identity_block": ("identity_sim", lambda v: 2 if v > 0 else 0)}
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


def with_feed_dates(items: Sequence[Item]) -> tuple[list[Item], int]:
    """Every article given a ``published_at``, as a live feed carries one: the earliest
    dateline of its gold event's reports (``reftime.dateline``) plus 0 or 1 day (by a
    hash of its id), at noon UTC.  A simulation: the dates come from the gold grouping,
    which a feed does not know, but reports of one happening are published within a day
    or two of it, so the time decay sees what it would see live.  Articles that already
    carry one keep it, and so do those of an event no report of which has a dateline.
    Returns the items and how many were dated."""
    first: dict[str, _dt.date] = {}
    for it in items:
        day = dateline(it.article.text, it.article.title)
        if day is not None and (it.gold not in first or day < first[it.gold]):
            first[it.gold] = day
    out: list[Item] = []
    dated = 0
    for it in items:
        day = first.get(it.gold)
        if it.article.published_at or day is None:
            out.append(it)
            continue
        offset = int(hashlib.sha1(it.article.id.encode()).hexdigest(), 16) % 2
        stamp = f"{(day + _dt.timedelta(days=offset)).isoformat()}T12:00:00Z"
        out.append(Item(replace(it.article, published_at=stamp), it.gold))
        dated += 1
    return out, dated


def in_half(topic: str, half: str) -> bool:
    """Whether ``topic`` is in the ``half`` ("odd"/"even") of numbered topics; a topic
    that is not a number (the seeds) is in both."""
    if not topic.isdigit():
        return True
    return (int(topic) % 2 == 1) == (half == "odd")


def shuffled(ids: Sequence[str], seed: int) -> list[str]:
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    return order


@dataclass(frozen=True)
class Raised:
    """One contradiction record a run raised: its id, kind and the articles of each side."""

    id: str
    kind: str
    slot: str
    a: tuple[str, ...]
    b: tuple[str, ...]


@dataclass
class StreamRun:
    """What one pass of the whole pipeline produced, as a consumer of its topics sees it."""

    #: article id -> its event at the end of the stream (a copy: its original's event)
    pred: dict[str, str]
    merges: int = 0
    splits: int = 0
    raised: list[Raised] = field(default_factory=list)
    #: ids of contradictions a later ``contradiction_resolved`` closed
    resolved: set[str] = field(default_factory=set)


def consume(outputs: Iterable[Output]) -> StreamRun:
    """Follow the ``updates`` and ``contradictions`` records as a consumer would.

    ``article_assigned`` places an article (a re-emission after a split moves it);
    ``event_merged`` moves every article of the absorbed event to the survivor; a
    ``duplicate`` sits with its original, wherever that ends.
    """
    assigned: dict[str, str] = {}
    copy_of: dict[str, str] = {}
    alias: dict[str, str] = {}
    run = StreamRun(pred={})
    for out in outputs:
        value = out.value
        kind = value.get("type")
        if out.topic == "contradictions":
            sides: dict[str, list[str]] = {"a": [], "b": []}
            for claim in value["claims"]:
                sides[claim.get("side", "b")].append(claim["article_id"])
            run.raised.append(
                Raised(value["id"], value["kind"], value["slot"], tuple(sides["a"]), tuple(sides["b"]))
            )
        elif kind == "article_assigned":
            assigned[value["article_id"]] = value["event_id"]
        elif kind == "duplicate":
            copy_of[value["article_id"]] = value["duplicate_of"]
        elif kind == "event_merged":
            alias[value["merged_event_id"]] = value["event_id"]
            run.merges += 1
        elif kind == "event_split":
            run.splits += 1
        elif kind == "contradiction_resolved":
            run.resolved.add(value["contradiction_id"])

    def resolve(event_id: str) -> str:
        seen = 0
        while event_id in alias and seen <= len(alias):
            event_id, seen = alias[event_id], seen + 1
        return event_id

    for aid in sorted(assigned):
        run.pred[aid] = resolve(assigned[aid])
    for aid in sorted(copy_of):
        root, hops = copy_of[aid], 0
        while root in copy_of and hops <= len(copy_of):
            root, hops = copy_of[root], hops + 1
        run.pred[aid] = run.pred.get(root, "copy-of:" + root)
    return run


def run_pipeline(enriched: Mapping[str, Enriched], order: Sequence[str], config: EventConfig) -> StreamRun:
    """One online pass of the whole pipeline (dedup, assignment, merges, splits, reconcile)
    over articles already through ``ingest``, in ``order``."""
    pipeline = Pipeline(event_config=config)
    outputs: list[Output] = []
    for aid in order:
        outputs += pipeline.process_enriched(enriched[aid])
    return consume(outputs)


def ingest_all(items: Sequence[Item]) -> dict[str, Enriched]:
    """``ingest`` of every article, once: it depends on the article alone, not on the
    configuration, so every configuration's pass reuses it."""
    return {it.article.id: ingest(it.article) for it in items}


def run_stream(
    features: Mapping[str, EventFeatures],
    order: Sequence[str],
    config: EventConfig,
    stats: dict[str, int] | None = None,
) -> dict[str, str]:
    """Article id -> final event id from the event index alone (text features only: no
    dedup, claims or reconcile), for comparison with :func:`run_pipeline`."""
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


def errors(pred: Mapping[str, str], gold: Mapping[str, str], events: Collection[str] | None = None) -> JSON:
    """False joins and false splits of a clustering, for the gold events in ``events``
    (all when ``None``).

    * a **false join** is a pair of gold events with articles in one predicted event;
      a pair is counted under its first gold event (sorted), so pooling folds counts
      it once; ``joined_articles`` are the articles in a predicted event whose plurality
      gold event is another (what would have to move to undo the joins);
    * a **false split** is a gold event spread over several predicted events;
      ``split_articles`` are its articles outside its largest piece.
    """
    by_pred: dict[str, Counter[str]] = {}
    by_gold: dict[str, Counter[str]] = {}
    for aid in sorted(pred):
        by_pred.setdefault(pred[aid], Counter())[gold[aid]] += 1
        by_gold.setdefault(gold[aid], Counter())[pred[aid]] += 1
    want = set(by_gold) if events is None else set(events)
    pairs: dict[tuple[str, str], int] = {}
    joined_articles = 0
    for members in by_pred.values():
        if len(members) < 2:
            continue
        top = max(sorted(members), key=lambda g: members[g])
        joined_articles += sum(n for g, n in members.items() if g != top and g in want)
        for g1, g2 in itertools.combinations(sorted(members), 2):
            if g1 in want:
                pairs[(g1, g2)] = pairs.get((g1, g2), 0) + members[g1] + members[g2]
    splits = {g: len(by_gold[g]) for g in sorted(want & set(by_gold)) if len(by_gold[g]) > 1}
    split_articles = sum(sum(by_gold[g].values()) - max(by_gold[g].values()) for g in splits)
    return {
        "false_joins": len(pairs),
        "lookalike_joins": sum(1 for g1, g2 in pairs if _topic(g1) == _topic(g2)),
        "joined_articles": joined_articles,
        "joined_pairs": [[g1, g2, n] for (g1, g2), n in sorted(pairs.items())],
        "false_splits": len(splits),
        "split_pieces": sum(splits.values()) - len(splits),
        "split_articles": split_articles,
        "split_events": [[g, k] for g, k in splits.items()],
    }


def _topic(gold: str) -> str:
    return gold.split("_", 1)[0]


def contradiction_errors(
    run: StreamRun, gold: Mapping[str, str], articles: Collection[str] | None = None
) -> JSON:
    """Contradictions raised, and those whose two sides lie in different gold events.

    A record is counted for ``articles`` when the first article of its side A (the
    claim that raised it) is one of them, so pooling folds counts it once.
    ``cross_gold_open`` leaves out those a later update resolved (a split, a supersession).
    """
    raised = cross = cross_open = corrections = 0
    listed: list[JSON] = []
    for r in run.raised:
        if not r.a or (articles is not None and r.a[0] not in articles):
            continue
        raised += 1
        corrections += r.kind == "correction"
        golds_a = {gold.get(a, "") for a in r.a}
        golds_b = {gold.get(b, "") for b in r.b}
        if golds_a != golds_b or len(golds_a) > 1:
            cross += 1
            cross_open += r.id not in run.resolved
            listed.append({"id": r.id, "slot": r.slot, "a": sorted(golds_a), "b": sorted(golds_b)})
    return {
        "raised": raised,
        "corrections": corrections,
        "cross_gold": cross,
        "cross_gold_open": cross_open,
        "cross_gold_list": listed,
    }


def seeds_view(pred: Mapping[str, str], gold: Mapping[str, str], label: str = "seeds") -> JSON:
    """How the articles labelled ``label`` were grouped: events holding them, intruders."""
    mine = [a for a in sorted(pred) if gold[a] == label]
    events = {pred[a] for a in mine}
    intruders = sum(1 for a in pred if pred[a] in events and gold[a] != label)
    return {"articles": len(mine), "events": len(events), "intruders": intruders}


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


def grid_configs(
    grid: Mapping[str, Sequence[float]] = GRID, base: EventConfig | None = None
) -> list[EventConfig]:
    """Every combination of ``grid``'s values, each a copy of ``base`` (default: the defaults)."""
    base = base or EventConfig()
    names = list(grid)
    out: list[EventConfig] = []
    for values in itertools.product(*(grid[n] for n in names)):
        params: dict[str, Any] = dict(zip(names, values, strict=True))
        for tied, source in TIED.items():
            if source in params:
                params[tied] = params[source]
        for derived, (source, rule) in DERIVED.items():
            if source in params:
                params[derived] = rule(params[source])
        out.append(replace(base, **params))
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


#: Counts summed over folds in the pooled held-out figures.
POOLED_COUNTS = (
    "false_joins",
    "lookalike_joins",
    "joined_articles",
    "false_splits",
    "split_pieces",
    "split_articles",
)
CONTRADICTION_COUNTS = ("raised", "corrections", "cross_gold", "cross_gold_open")


def score_run(
    run: StreamRun, gold: Mapping[str, str], ids: Collection[str] | None = None, *, listed: bool = False
) -> JSON:
    """BCubed, false joins/splits and contradictions of one run over ``ids`` (all if None)."""
    keep = sorted(run.pred) if ids is None else sorted(ids)
    golds = {gold[a] for a in keep}
    out: JSON = summarise(bcubed_items(run.pred, gold), keep)
    err = errors(run.pred, gold, golds)
    ctr = contradiction_errors(run, gold, set(keep))
    out.update({k: err[k] for k in POOLED_COUNTS})
    out.update({k: ctr[k] for k in CONTRADICTION_COUNTS})
    out["merges"], out["splits"] = run.merges, run.splits
    if listed:
        out["joined_pairs"] = err["joined_pairs"]
        out["split_events"] = err["split_events"]
        out["cross_gold_list"] = ctr["cross_gold_list"]
    return out


#: The parts :func:`half_scores` reports.
HALVES: tuple[str, ...] = ("odd", "even", "all")


def half_scores(items: Sequence[Item], config: EventConfig, seeds: Sequence[int]) -> dict[str, JSON]:
    """The whole stream under ``config`` in each order of ``seeds``, scored on the odd
    topics, the even topics and all (the seeds, a topic without a number, count in
    each): part -> mean BCubed P/R/F1, the minimum F1, and mean false joins, false
    splits and contradictions across gold events."""
    enriched = ingest_all(items)
    gold = {it.article.id: it.gold for it in items}
    parts = {
        part: sorted(it.article.id for it in items if part == "all" or in_half(it.topic, part))
        for part in HALVES
    }
    scored: dict[str, list[JSON]] = {part: [] for part in HALVES}
    for s in seeds:
        run = run_pipeline(enriched, shuffled(list(enriched), s), config)
        for part, ids in parts.items():
            scored[part].append(score_run(run, gold, ids))
    out: dict[str, JSON] = {}
    for part, runs in scored.items():
        mean = {k: sum(r[k] for r in runs) / len(runs) for k in ("precision", "recall", "f1")}
        mean["f1_min"] = min(r["f1"] for r in runs)
        for k in ("false_joins", "false_splits", "cross_gold"):
            mean[k] = sum(r[k] for r in runs) / len(runs)
        mean["articles"] = len(parts[part])
        out[part] = mean
    return out


def render_halves(report: Mapping[str, JSON]) -> str:
    lines = ["whole stream, configuration in force, scored per half (mean over orders):"]
    for part in HALVES:
        m = report[part]
        lines.append(
            f"  {part:4s} ({m['articles']} articles): F1 {m['f1']:.3f} (min {m['f1_min']:.3f}), "
            f"P {m['precision']:.3f}, R {m['recall']:.3f}; false joins {m['false_joins']:.1f}, "
            f"false splits {m['false_splits']:.1f}, cross-gold contradictions {m['cross_gold']:.1f}"
        )
    return "\n".join(lines)


#: A configuration is chosen only if, on the training topics, its mean BCubed precision
#: reaches this (the goal's bar) and it raises no contradiction across gold events in
#: any order: a wrong join costs a reader a false alert, a missed one costs less.
MIN_TRAIN_PRECISION = 0.93


def choose(means: Sequence[tuple[float, float]], cross_gold: Sequence[int]) -> int:
    """The index of the configuration to choose from each one's mean (F1, precision) on
    the training topics and its contradictions across gold events there: the best F1
    among those with precision >= :data:`MIN_TRAIN_PRECISION` and no such contradiction,
    else (none qualifies) the best F1 among those with the fewest such contradictions.
    Ties go to the earlier configuration."""
    ok = [c for c, (_f1, p) in enumerate(means) if p >= MIN_TRAIN_PRECISION and cross_gold[c] == 0]
    if not ok:
        fewest = min(cross_gold)
        ok = [c for c in range(len(means)) if cross_gold[c] == fewest]
    return max(ok, key=lambda c: (means[c][0], -c))


def cross_validate(
    items: Sequence[Item],
    *,
    seed: int = 0,
    folds: int = 5,
    shuffles: int = 3,
    grid: Mapping[str, Sequence[float]] = GRID,
    baseline_thresholds: Sequence[float] = BASELINE_THRESHOLDS,
    progress: bool = True,
    base: EventConfig | None = None,
) -> JSON:
    """The whole evaluation (see the module docstring); returns a JSON-able report.

    ``base`` is the configuration the grid varies (default: ``EventConfig()``).
    """
    base = base or EventConfig()
    gold = {it.article.id: it.gold for it in items}
    topic_of = {it.article.id: it.topic for it in items}
    t0 = time.process_time()
    enriched = ingest_all(items)
    ingest_cpu = time.process_time() - t0
    features = {aid: e.features for aid, e in enriched.items()}
    seeds = [seed + s for s in range(shuffles)]
    orders = {s: shuffled(list(enriched), s) for s in seeds}
    configs = grid_configs(grid, base)
    fold_of_topic = assign_folds(items, folds)
    fold_ids = {f: sorted(a for a in gold if fold_of_topic[topic_of[a]] == f) for f in range(folds)}
    all_ids = sorted(gold)

    # runs[c][s]: the whole pipeline under configuration c on shuffle s.
    runs: list[dict[int, StreamRun]] = []
    scores: list[dict[int, dict[str, tuple[float, float]]]] = []
    t1 = time.process_time()
    for c, config in enumerate(configs):
        per_seed = {s: run_pipeline(enriched, orders[s], config) for s in seeds}
        runs.append(per_seed)
        scores.append({s: bcubed_items(r.pred, gold) for s, r in per_seed.items()})
        if progress and (c + 1) % 10 == 0:
            _log(f"eval-events: {c + 1}/{len(configs)} configurations")
    run_cpu = time.process_time() - t1

    def train_means(c: int, ids: Sequence[str]) -> tuple[float, float]:
        per = [summarise(scores[c][s], ids) for s in seeds]
        return sum(m["f1"] for m in per) / len(seeds), sum(m["precision"] for m in per) / len(seeds)

    def cross_gold(c: int, ids: set[str]) -> int:
        return sum(contradiction_errors(runs[c][s], gold, ids)["cross_gold"] for s in seeds)

    fold_reports: list[JSON] = []
    chosen: list[int] = []
    train_f1: dict[int, list[float]] = {}
    for f in range(folds):
        held_ids = set(fold_ids[f])
        train = [a for a in all_ids if a not in held_ids]
        train_set = set(train)
        means = [train_means(c, train) for c in range(len(configs))]
        train_scores = [m[0] for m in means]
        best = choose(means, [cross_gold(c, train_set) for c in range(len(configs))])
        chosen.append(best)
        train_f1.setdefault(best, []).append(train_scores[best])
        held = {s: score_run(runs[best][s], gold, fold_ids[f]) for s in seeds}
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
    pooled: dict[str, JSON] = {}
    for s in seeds:
        merged: dict[str, tuple[float, float]] = {}
        for f in range(folds):
            for a in fold_ids[f]:
                merged[a] = scores[chosen[f]][s][a]
        entry: JSON = summarise(merged, all_ids)
        for key in (*POOLED_COUNTS, *CONTRADICTION_COUNTS):
            entry[key] = sum(fr["heldout"][str(s)][key] for fr in fold_reports)
        pooled[str(s)] = entry
    f1s = [v["f1"] for v in pooled.values()]

    votes = Counter(chosen)
    default_choice = max(votes, key=lambda c: (votes[c], sum(train_f1[c]) / len(train_f1[c]), -c))
    current_params = tuned_params(base, grid)
    cv_params = tuned_params(configs[default_choice], grid)
    in_sample: dict[str, JSON] = {}
    for s in seeds:
        run = run_pipeline(enriched, orders[s], base)
        in_sample[str(s)] = score_run(run, gold, listed=True) | {
            "predicted_events": len(set(run.pred.values())),
            "gold_events": len(set(gold.values())),
            "seeds": seeds_view(run.pred, gold),
        }

    best_base = None
    for threshold in baseline_thresholds:
        per = {
            str(s): summarise(bcubed_items(baseline_stream(features, orders[s], threshold), gold), all_ids)
            for s in seeds
        }
        mean = sum(v["f1"] for v in per.values()) / len(per)
        if best_base is None or mean > best_base[0]:
            best_base = (mean, threshold, per)
    baseline = (
        None
        if best_base is None
        else {"threshold": best_base[1], "per_seed": best_base[2], "f1_mean": best_base[0]}
    )
    index_only = {
        str(s): summarise(bcubed_items(run_stream(features, orders[s], base), gold), all_ids) for s in seeds
    }

    # Cost of one pass with ``base``, in CPU seconds of this process (meaningful on a
    # shared machine): ingest once per article, then correlate + reconcile.
    t2 = time.process_time()
    pipeline = Pipeline(event_config=base)
    for aid in orders[seeds[0]]:
        pipeline.process_enriched(enriched[aid])
    pass_cpu = time.process_time() - t2
    records = [v for k, v in pipeline.events.items() if not k.startswith("__")]
    state_bytes = [len(json.dumps(v, separators=(",", ":"))) for v in records]

    def mean_of(key: str) -> float:
        return sum(float(v[key]) for v in pooled.values()) / len(pooled)

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
            "precision_mean": mean_of("precision"),
            "precision_min": min(float(v["precision"]) for v in pooled.values()),
            "recall_mean": mean_of("recall"),
        }
        | {f"{k}_mean": mean_of(k) for k in (*POOLED_COUNTS, *CONTRADICTION_COUNTS)},
        "cv_default": cv_params,
        "current_default": current_params,
        "defaults_match_cv": cv_params == current_params,
        "defaults_in_sample": in_sample,
        "index_only_in_sample": index_only,
        "baseline_oracle_threshold": baseline,
        "throughput": {
            "ingest_per_cpu_second": len(items) / max(ingest_cpu, 1e-9),
            "correlate_reconcile_per_cpu_second": len(items) / max(pass_cpu, 1e-9),
            "run_cpu_seconds_per_pass": run_cpu / max(1, len(configs) * len(seeds)),
        },
        "state_bytes_per_event": {
            "mean": sum(state_bytes) / len(state_bytes) if state_bytes else 0,
            "max": max(state_bytes, default=0),
        },
    }


def _fmt(m: Mapping[str, Any]) -> str:
    return f"P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f}"


def _errs(m: Mapping[str, Any]) -> str:
    return (
        f"joins {m['false_joins']} ({m['lookalike_joins']} look-alike, {m['joined_articles']} art.) "
        f"splits {m['false_splits']} (+{m['split_pieces']} pieces, {m['split_articles']} art.) "
        f"contradictions {m['raised']}, cross-gold {m['cross_gold']} (open {m['cross_gold_open']})"
    )


def render(report: Mapping[str, Any]) -> str:
    lines = [
        f"articles {report['articles']}, gold events {report['gold_events']}, "
        f"topics {report['topics']}, {report['folds']} folds over topics, "
        f"shuffles {report['shuffle_seeds']}, grid {report['grid_size']}",
        "",
        "held-out, whole pipeline (each fold scored with the configuration chosen on the other folds):",
    ]
    for fr in report["fold_reports"] if report["grid_size"] > 1 else ():
        lines.append(f"  fold {fr['fold']} topics {','.join(fr['topics'])} ({fr['articles']} articles)")
        lines.append(f"    chosen {fr['chosen']} (train F1 {fr['train_f1']:.3f})")
        for s, m in fr["heldout"].items():
            lines.append(f"    s{s}: {_fmt(m)}  {_errs(m)}")
    ho = report["heldout"]
    for s, m in ho["per_seed"].items():
        lines.append(f"  pooled s{s}: {_fmt(m)}  {_errs(m)}")
    lines.append(
        f"  pooled F1 mean {ho['f1_mean']:.3f} min {ho['f1_min']:.3f} "
        f"(P mean {ho['precision_mean']:.3f} min {ho['precision_min']:.3f}, R mean {ho['recall_mean']:.3f}); "
        f"mean false joins {ho['false_joins_mean']:.1f}, false splits {ho['false_splits_mean']:.1f}, "
        f"cross-gold contradictions {ho['cross_gold_mean']:.1f}"
    )
    lines.append("")
    lines.append(f"CV-chosen defaults: {report['cv_default']}")
    lines.append(f"EventConfig defaults: {report['current_default']} (match: {report['defaults_match_cv']})")
    lines.append("defaults in-sample (whole pipeline):")
    for s, m in report["defaults_in_sample"].items():
        seeds = m["seeds"]
        lines.append(
            f"  s{s}: {_fmt(m)} events {m['predicted_events']}/{m['gold_events']} merges {m['merges']} "
            f"splits {m['splits']}; seeds in {seeds['events']} event(s), {seeds['intruders']} intruders"
        )
        lines.append(f"       {_errs(m)}")
        joined = ", ".join(f"{g1}+{g2} ({n})" for g1, g2, n in m["joined_pairs"])
        lines.append(f"       joined: {joined or '-'}")
        split = ", ".join(f"{g} x{k}" for g, k in m["split_events"])
        lines.append(f"       split: {split or '-'}")
        for c in m["cross_gold_list"]:
            lines.append(f"       cross-gold contradiction {c['slot']}: {c['a']} vs {c['b']}")
    lines.append(
        "event index alone, defaults (no dedup, no claims): "
        + "  ".join(f"s{s}: {_fmt(m)}" for s, m in report["index_only_in_sample"].items())
    )
    base = report["baseline_oracle_threshold"]
    if base is not None:
        lines.append(
            f"baseline (online TF-IDF centroid, oracle threshold {base['threshold']}): "
            f"F1 mean {base['f1_mean']:.3f}  "
            + "  ".join(f"s{s}: {_fmt(m)}" for s, m in base["per_seed"].items())
        )
    tp = report["throughput"]
    lines.append(
        f"cost (CPU): ingest {tp['ingest_per_cpu_second']:.0f} articles/s (once per article), "
        f"correlate + reconcile {tp['correlate_reconcile_per_cpu_second']:.0f} articles/s, "
        f"{tp['run_cpu_seconds_per_pass']:.2f} s per configuration pass"
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
    parser.add_argument(
        "--quick",
        action="store_true",
        help="score only the current EventConfig (CROSSCHECK_EVENT_* applied), no cross-validation",
    )
    parser.add_argument(
        "--half",
        choices=("odd", "even"),
        default=None,
        help="only the topics with odd (or even) numbers, for designing on one half and "
        "measuring on the other (other topics, e.g. the seeds, stay in)",
    )
    parser.add_argument(
        "--halves",
        action="store_true",
        help="stream every article under the configuration in force and score the odd "
        "topics, the even topics and all separately (no cross-validation)",
    )
    parser.add_argument(
        "--feed-dates",
        action="store_true",
        help="give every undated article a published_at, as a live feed would: its gold "
        "event's earliest dateline, plus 0-1 day (a simulation: the dates come from the "
        "gold grouping)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if not args.file.exists():
        print(f"eval-events: no such file: {args.file}", file=sys.stderr)
        return 2
    if args.halves and args.half is not None:
        print("eval-events: --halves streams every topic; it does not go with --half", file=sys.stderr)
        return 2
    try:
        base = EventConfig.from_env()
    except ValueError as exc:
        print(f"eval-events: {exc}", file=sys.stderr)
        return 2
    items = load_jsonl(args.file)
    if args.with_seeds is not None:
        items += load_seeds(args.with_seeds)
    if args.feed_dates:
        items, dated = with_feed_dates(items)
        _log(f"eval-events: {dated} of {len(items)} articles given a feed date from their event's dateline")
    if args.halves:
        _log(f"eval-events: {len(items)} articles, whole stream scored per half x {args.shuffles} shuffles")
        halves = half_scores(items, base, [args.seed + s for s in range(max(1, args.shuffles))])
        print(json.dumps(halves, indent=2, sort_keys=True) if args.json else render_halves(halves))
        return 0
    if args.half is not None:
        items = [it for it in items if in_half(it.topic, args.half)]
    if args.folds < 2 or args.folds > len({it.topic for it in items}):
        print("eval-events: --folds must be between 2 and the number of topics", file=sys.stderr)
        return 2
    grid: Mapping[str, Sequence[float]] = {} if args.quick else GRID
    _log(
        f"eval-events: {len(items)} articles, "
        f"{len(grid_configs(grid))} configurations x {args.shuffles} shuffles"
    )
    report = cross_validate(
        items,
        seed=args.seed,
        folds=args.folds,
        shuffles=max(1, args.shuffles),
        grid=grid,
        base=base,
        baseline_thresholds=() if args.quick else BASELINE_THRESHOLDS,
    )
    print(json.dumps(report, indent=2, sort_keys=True) if args.json else render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = [
    "GRID",
    "Item",
    "bcubed_items",
    "cross_validate",
    "half_scores",
    "load_jsonl",
    "load_seeds",
    "main",
]
