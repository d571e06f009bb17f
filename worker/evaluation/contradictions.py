"""``crosscheck eval-contradictions``: precision, calibration and candidates of contradictions.

Usage::

    crosscheck eval-contradictions [FILE] [--labels LABELS.jsonl] [--review PATH] [--json]
                                   [--candidates [--cap N]] [--inject [--rounds R] [--seed N]]

``FILE`` (default ``../shared/data/ecbplus_dev.jsonl`` beside the checkout) is replayed
through the same core as ``crosscheck replay`` (:class:`~worker.core.pipeline.Pipeline`,
``CROSSCHECK_EVENT_*`` read the same way).  Three modes:

* **records** (default): every ``contradiction`` record is matched against the labels;
  precision over the labelled ones, per half of the topics and per confidence band;
  ``contradiction_extended`` updates are scored separately (the joining claim against
  the opposite side of the contradiction it joined).
* **--candidates**: every pair of claims in one predicted event (after ``event_merged``:
  absorbed events count as their survivor) with the same ``Claim.base_slot`` (the slot
  without the occasion), from different articles (duplicates' claims left out), whose
  values ``claims.relate`` calls a ``conflict``: the disagreements before reconcile's
  precision rules, occasions and abstention (rules applied inside extraction, which
  drop a claim altogether, still apply).  Reported with how many of the labelled true
  and of the labelled false ones the production path raised.
* **--inject**: recall on conflicting figures injected into copies of the development
  articles (:mod:`worker.evaluation.inject`).

Labels (:mod:`worker.evaluation.labels`): JSONL, ids and spans only, never text::

    {"a": [["ecb-8_3ecbplus", 3659, 3681]], "b": [["ecb-8_8ecbplus", 3162, 3188]],
     "slot": "event|injured", "label": true, "category": "true", "by": "jd"}

A label matches a record when it is the unordered pair of the record's two sides, by
overlapping spans of the same articles; the label overlapping most claims wins, and
equally good labels that disagree make the record count as false (ambiguous).

Halves: the topic is the number in ``^ecb-(\\d+)_``; a record is in the odd or the even
half when all its articles are, else in "mixed/other".

Everything raised (or, with ``--candidates``, every candidate) with no label yet is
written to the review file (``--review``, default ``eval-review.md``, plus a ``.jsonl``
twin; both gitignored: they quote the articles) with the sentences, their context and
a ready-to-paste label line.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from worker.core.events import EventConfig
from worker.core.model import Article, Claim
from worker.core.pipeline import CorrelateResult, Correlator, Enriched, Pipeline
from worker.core.validate import InvalidArticle, decode_article
from worker.evaluation.dedup import DEFAULT_DATA
from worker.evaluation.labels import (
    AMBIGUOUS,
    CATEGORIES,
    FALSE_CATEGORIES,
    Label,
    LabelError,
    LabelFile,
    LabelIndex,
    Ref,
    Sides,
    Verdict,
    load_labels,
    match_label,
    match_score,
    overlaps,
    parse_label,
    read_labels,
)
from worker.evaluation.review import context, label_line, write_review
from worker.inputs import InputError, iter_inputs
from worker.settings import Settings, SettingsError

LABELS_DIR = Path(__file__).resolve().parents[2] / "eval" / "labels"
DEFAULT_REVIEW = Path("eval-review.md")

#: Confidence bands: (name, lower bound inclusive, upper bound exclusive, required precision).
BANDS: tuple[tuple[str, float, float, float | None], ...] = (
    (">=0.9", 0.9, math.inf, 0.9),
    ("0.7-0.9", 0.7, 0.9, 0.7),
    ("<0.7", -math.inf, 0.7, None),
)
#: Labels a band needs before its precision says anything (issue 12, item 4).
MIN_BAND_LABELS = 15
HALVES: tuple[str, ...] = ("odd", "even", "mixed/other")
#: Candidate pairs kept per (event, base slot); see :func:`find_candidates`.
DEFAULT_CAP = 25

_TOPIC = re.compile(r"^ecb-(\d+)_")


# --------------------------------------------------------------------------- halves and bands


def topic_of(article_id: str) -> int | None:
    m = _TOPIC.match(article_id)
    return int(m.group(1)) if m else None


def half_of(article_ids: Iterable[str]) -> str:
    """The half of the topics all these articles are in (odd or even number), else mixed/other."""
    halves = set()
    for aid in article_ids:
        topic = topic_of(aid)
        halves.add("mixed/other" if topic is None else ("odd" if topic % 2 else "even"))
    return halves.pop() if len(halves) == 1 else "mixed/other"


def band_of(confidence: float) -> str:
    for name, lo, hi, _ in BANDS:
        if lo <= confidence < hi:
            return name
    return BANDS[-1][0]


# --------------------------------------------------------------------------- replay


@dataclass(frozen=True)
class Raised:
    """A contradiction record, or a ``contradiction_extended`` update as a pair of sides:
    the joining claim (side a) against the opposite side of the contradiction it joined."""

    kind: str  # "contradiction" | "extension"
    id: str
    event_id: str
    slot: str
    confidence: float
    a: tuple[dict[str, Any], ...]
    b: tuple[dict[str, Any], ...]
    record: Mapping[str, Any]  # the contradiction record (an extension's: the one it joined)

    @property
    def sides(self) -> Sides:
        return (tuple(_ref(c) for c in self.a), tuple(_ref(c) for c in self.b))

    @property
    def article_ids(self) -> list[str]:
        return sorted({c["article_id"] for c in (*self.a, *self.b)})


def _ref(public: Mapping[str, Any]) -> Ref:
    span = public["span"]
    return (str(public["article_id"]), int(span[0]), int(span[1]))


class _ClaimRecorder(Correlator):
    """The production correlator, keeping each article's ``Enriched.claims`` on the way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.claims: dict[str, tuple[Claim, ...]] = {}

    def process(self, enriched: Enriched) -> CorrelateResult:
        self.claims[enriched.article_id] = enriched.claims
        return super().process(enriched)


@dataclass
class ReplayResult:
    """What one replay produced, as the evaluation needs it."""

    articles: dict[str, Article] = field(default_factory=dict)  # in stream order
    claims: dict[str, tuple[Claim, ...]] = field(default_factory=dict)
    assigned: dict[str, str] = field(default_factory=dict)  # article -> event at assignment
    merged: dict[str, str] = field(default_factory=dict)  # absorbed event -> survivor
    duplicates: dict[str, str] = field(default_factory=dict)  # article -> its original
    contradictions: list[Raised] = field(default_factory=list)
    extensions: list[Raised] = field(default_factory=list)
    #: ``claim_superseded`` updates as (old claim, new claim) refs.
    superseded: list[tuple[Ref, Ref]] = field(default_factory=list)
    updates: Counter[str] = field(default_factory=Counter)
    rejected: list[str] = field(default_factory=list)

    def event_of(self, article_id: str) -> str | None:
        """The article's event at the end of the stream (merges followed)."""
        event = self.assigned.get(article_id)
        seen: set[str] = set()
        while event is not None and event in self.merged and event not in seen:
            seen.add(event)
            event = self.merged[event]
        return event


def replay_articles(
    articles: Iterable[Article],
    *,
    event_config: EventConfig | None = None,
    progress: bool = False,
    total: int | None = None,
    desc: str = "replay",
) -> ReplayResult:
    """Run ``articles`` through :class:`Pipeline` (what ``crosscheck replay`` runs) and collect."""
    pipeline = Pipeline(event_config=event_config)
    recorder = _ClaimRecorder(
        pipeline.articles,
        pipeline.fingerprints,
        pipeline.events,
        pipeline.dedup_config,
        pipeline.event_config,
    )
    pipeline.correlator = recorder
    result = ReplayResult()
    open_sides: dict[str, dict[str, list[dict[str, Any]]]] = {}
    records: dict[str, Mapping[str, Any]] = {}
    bar = tqdm(total=total, unit="article", desc=desc, disable=not progress, file=sys.stderr)
    for article in articles:
        bar.update(1)
        result.articles[article.id] = article
        for output in pipeline.process(article):
            value = output.value
            kind = str(value.get("type", ""))
            result.updates[kind] += 1
            if kind == "article_assigned":
                result.assigned[value["article_id"]] = value["event_id"]
            elif kind == "event_merged":
                result.merged[value["merged_event_id"]] = value["event_id"]
            elif kind == "duplicate":
                result.duplicates[value["article_id"]] = value["duplicate_of"]
            elif kind == "claim_superseded":
                old, new = value["claims"][0], value["claims"][-1]
                result.superseded.append((_ref(old), _ref(new)))
            elif kind == "contradiction":
                claims = value["claims"]
                a = tuple(c for c in claims if c.get("side") == "a")
                b = tuple(c for c in claims if c.get("side") == "b")
                records[value["id"]] = value
                open_sides[value["id"]] = {"a": list(a), "b": list(b)}
                result.contradictions.append(_raised("contradiction", value, value, a, b))
            elif kind == "contradiction_extended":
                cid = value["contradiction_id"]
                sides = open_sides.get(cid)
                if sides is None:
                    continue
                for claim in value["claims"]:
                    joined = claim.get("side", "a")
                    opposite = tuple(sides["b" if joined == "a" else "a"])
                    result.extensions.append(_raised("extension", value, records[cid], (claim,), opposite))
                    sides[joined].append(claim)
    bar.close()
    result.claims = dict(recorder.claims)
    return result


def _raised(
    kind: str,
    value: Mapping[str, Any],
    record: Mapping[str, Any],
    a: tuple[dict[str, Any], ...],
    b: tuple[dict[str, Any], ...],
) -> Raised:
    """``value`` is the output record (a contradiction or an extension update), ``record``
    the contradiction it is about (its confidence is the pair's)."""
    return Raised(
        kind=kind,
        id=str(value["id"]),
        event_id=str(value["event_id"]),
        slot=str(value["slot"]),
        confidence=float(record.get("confidence", 0.0)),
        a=a,
        b=b,
        record=record,
    )


def read_articles(path: Path, max_bytes: int = 1 << 20) -> tuple[list[Article], list[str]]:
    """The articles of a JSONL file or directory, validated as the worker does; and the rejects.

    Raises :class:`~worker.inputs.InputError` when the path cannot be read as articles.
    """
    articles: list[Article] = []
    rejected: list[str] = []
    for msg in iter_inputs(path):
        try:
            articles.append(decode_article(msg.value, max_bytes))
        except InvalidArticle as exc:
            rejected.append(f"{msg.origin}: {exc.reason}: {exc}")
    return articles, rejected


def replay_file(
    path: Path, *, progress: bool = False, event_config: EventConfig | None = None
) -> ReplayResult:
    articles, rejected = read_articles(path)
    result = replay_articles(articles, event_config=event_config, progress=progress, total=len(articles))
    result.rejected = rejected
    return result


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class Candidate:
    """Two claims of one predicted event, same base slot, different articles, conflicting values."""

    event_id: str
    base_slot: str
    a_article: str
    a: Claim
    b_article: str
    b: Claim

    @property
    def sides(self) -> Sides:
        return (((self.a_article, *self.a.span),), ((self.b_article, *self.b.span),))

    @property
    def article_ids(self) -> list[str]:
        return sorted({self.a_article, self.b_article})


@dataclass(frozen=True)
class CandidateSet:
    candidates: tuple[Candidate, ...]
    pairs: int  # before the cap
    groups: int  # (event, base slot) groups with at least one pair
    cap: int

    @property
    def dropped(self) -> int:
        return self.pairs - len(self.candidates)


def _describe(claim: Claim) -> str:
    from worker.core.claims import describe

    try:
        return describe(claim)
    except (KeyError, TypeError, ValueError):
        return json.dumps(dict(claim.value), sort_keys=True)


def find_candidates(replay: ReplayResult, cap: int = DEFAULT_CAP) -> CandidateSet:
    """Every conflicting same-base-slot pair of claims of one predicted event (see the module doc).

    Articles in stream order, claims in text order.  A group (event, base slot) keeps at
    most ``cap`` pairs (0: no cap): one per distinct pair of normalised values first, in
    stream order, then round-robin over those value pairs, so the cap drops repeats of
    one disagreement before it drops another disagreement.
    """
    from worker.core.claims import relate

    groups: dict[tuple[str, str], list[tuple[str, Claim]]] = {}
    for aid in replay.articles:
        if aid in replay.duplicates or aid not in replay.assigned:
            continue
        event = replay.event_of(aid) or ""
        for claim in replay.claims.get(aid, ()):
            groups.setdefault((event, claim.base_slot), []).append((aid, claim))
    out: list[Candidate] = []
    pairs = n_groups = 0
    for (event, base_slot), members in groups.items():
        by_values: dict[tuple[str, str], list[Candidate]] = {}
        for (aid_x, x), (aid_y, y) in itertools.combinations(members, 2):
            if aid_x == aid_y or relate(x, y, rules=False) != "conflict":
                continue
            key = tuple(sorted((_describe(x), _describe(y))))
            by_values.setdefault((key[0], key[1]), []).append(Candidate(event, base_slot, aid_x, x, aid_y, y))
        found = sum(len(v) for v in by_values.values())
        if not found:
            continue
        pairs += found
        n_groups += 1
        ordered = [c for row in itertools.zip_longest(*by_values.values()) for c in row if c is not None]
        out.extend(ordered[:cap] if cap > 0 else ordered)
    return CandidateSet(tuple(out), pairs, n_groups, cap)


def candidates(articles: Iterable[Article], cap: int = DEFAULT_CAP) -> list[Candidate]:
    """Replay ``articles`` and return their candidate pairs (see :func:`find_candidates`)."""
    return list(find_candidates(replay_articles(articles), cap).candidates)


# --------------------------------------------------------------------------- scoring


def _precision(true: int, labelled: int) -> float | None:
    return true / labelled if labelled else None


def tally(verdicts: Sequence[Verdict | None]) -> dict[str, Any]:
    labelled = [v for v in verdicts if v is not None]
    true = sum(1 for v in labelled if v.label)
    return {
        "raised": len(verdicts),
        "labelled": len(labelled),
        "unlabelled": len(verdicts) - len(labelled),
        "true": true,
        "false": len(labelled) - true,
        "ambiguous": sum(1 for v in labelled if v.ambiguous),
        "precision": _precision(true, len(labelled)),
        "false_categories": dict(sorted(Counter(v.category for v in labelled if not v.label).items())),
    }


def _bands(items: Sequence[tuple[float, Verdict | None]]) -> list[dict[str, Any]]:
    out = []
    for name, _lo, _hi, bound in BANDS:
        verdicts = [v for conf, v in items if band_of(conf) == name]
        t = tally(verdicts)
        precision = t["precision"]
        out.append(
            {
                "band": name,
                "count": t["raised"],
                "labelled": t["labelled"],
                "true": t["true"],
                "precision": precision,
                "bound": bound,
                "bound_holds": None if bound is None or precision is None else precision >= bound,
                "enough_labels": t["labelled"] >= MIN_BAND_LABELS,
            }
        )
    return out


def _per_half(items: Sequence[tuple[list[str], Verdict | None]]) -> dict[str, dict[str, Any]]:
    return {h: tally([v for aids, v in items if half_of(aids) == h]) for h in HALVES}


@dataclass
class Evaluation:
    """A report (JSON-able) and the unlabelled items for the review file."""

    report: dict[str, Any]
    review: list[dict[str, Any]]


def assess_records(replay: ReplayResult, labels: LabelIndex) -> Evaluation:
    """Records mode: precision overall, per half, per band; extensions apart."""
    verdicts = [labels.match(r.sides) for r in replay.contradictions]
    ext_verdicts = [labels.match(r.sides) for r in replay.extensions]
    overall = tally(verdicts)
    report: dict[str, Any] = {
        "mode": "records",
        "contradictions": overall,
        "by_kind": dict(
            sorted(Counter(str(r.record.get("kind", "?")) for r in replay.contradictions).items())
        ),
        "halves": _per_half(
            [(r.article_ids, v) for r, v in zip(replay.contradictions, verdicts, strict=True)]
        ),
        "bands": _bands([(r.confidence, v) for r, v in zip(replay.contradictions, verdicts, strict=True)]),
        "extensions": tally(ext_verdicts),
        "ambiguous": [
            {"id": r.id, "slot": r.slot, "label_lines": [lab.line for lab in v.labels]}
            for r, v in zip(replay.contradictions, verdicts, strict=True)
            if v is not None and v.ambiguous
        ],
    }
    review = [
        _review_raised(replay, r)
        for r, v in zip([*replay.contradictions, *replay.extensions], [*verdicts, *ext_verdicts], strict=True)
        if v is None
    ]
    return Evaluation(report, review)


def assess_candidates(replay: ReplayResult, labels: LabelIndex, cap: int = DEFAULT_CAP) -> Evaluation:
    """Candidates mode: how many, labelled true/false, and which of those production raised."""
    found = find_candidates(replay, cap)
    raised_pairs = [r.sides for r in (*replay.contradictions, *replay.extensions)]
    rows: list[tuple[Candidate, Verdict | None, bool]] = []
    for cand in found.candidates:
        raised = any(match_score(cand.sides, sides) for sides in raised_pairs)
        rows.append((cand, labels.match(cand.sides), raised))

    def summary(subset: Sequence[tuple[Candidate, Verdict | None, bool]]) -> dict[str, Any]:
        t = tally([v for _, v, _ in subset])
        t["candidates"] = t.pop("raised")
        t["raised"] = sum(1 for *_, r in subset if r)
        t["raised_of_true"] = sum(1 for _, v, r in subset if r and v is not None and v.label)
        t["raised_of_false"] = sum(1 for _, v, r in subset if r and v is not None and not v.label)
        return t

    report: dict[str, Any] = {
        "mode": "candidates",
        "cap_per_event_slot": cap,
        "pairs_before_cap": found.pairs,
        "dropped_by_cap": found.dropped,
        "groups": found.groups,
        "candidates": summary(rows),
        "halves": {h: summary([row for row in rows if half_of(row[0].article_ids) == h]) for h in HALVES},
        "by_kind": {
            kind: summary([row for row in rows if row[0].a.kind == kind])
            for kind in sorted({row[0].a.kind for row in rows})
        },
        "contradictions_raised": len(replay.contradictions),
    }
    review = [_review_candidate(replay, c, raised) for c, v, raised in rows if v is None]
    return Evaluation(report, review)


def evaluate(
    file: Path,
    labels: Path | Iterable[Label] | None = None,
    *,
    candidates_mode: bool = False,
    cap: int = DEFAULT_CAP,
    progress: bool = False,
    event_config: EventConfig | None = None,
) -> Evaluation:
    """Replay ``file`` and assess it against ``labels`` (a labels file, labels, or None).

    The report is :func:`render`'s input; nothing is written (see :func:`write_review`).
    """
    label_file = read_labels(labels) if isinstance(labels, Path) else LabelFile(None, tuple(labels or ()))
    replay = replay_file(file, progress=progress, event_config=event_config)
    index = LabelIndex(label_file.labels)
    evaluation = assess_candidates(replay, index, cap) if candidates_mode else assess_records(replay, index)
    _describe_run(evaluation.report, file, replay, label_file, index)
    return evaluation


def _describe_run(
    report: dict[str, Any], file: Path, replay: ReplayResult, label_file: LabelFile, index: LabelIndex
) -> None:
    report.update(
        file=str(file),
        articles=len(replay.articles),
        rejected=len(replay.rejected),
        labels_file=str(label_file.path) if label_file.path else None,
        labels=len(label_file.labels),
        unfilled=len(label_file.unfilled),
        labels_matching_nothing=len(index.unused()),
    )


# --------------------------------------------------------------------------- review


def _side_info(
    replay: ReplayResult, aid: str, claim: Claim | None, public: Mapping[str, Any] | None
) -> dict[str, Any]:
    article = replay.articles.get(aid)
    if claim is None and public is not None:
        claim = _claim_of(public)
    span = list(claim.span) if claim is not None else list((public or {}).get("span", (0, 0)))
    info: dict[str, Any] = {
        "article_id": aid,
        "title": article.title if article else "",
        "span": span,
        "raw": claim.raw if claim else (public or {}).get("raw", ""),
        "value": dict(claim.value) if claim else (public or {}).get("value"),
        "normalised": _describe(claim) if claim else "",
        "slot": claim.slot if claim else "",
        "occasion": claim.occasion.to_json() if claim else (public or {}).get("occasion"),
        "sentence": claim.sentence if claim else (public or {}).get("text", ""),
        "context": context(article, span),
    }
    if public is not None:
        info["source"] = public.get("source")
        info["attribution"] = public.get("attribution")
        info["hedges"] = public.get("hedges")
    return info


def _claim_of(public: Mapping[str, Any]) -> Claim | None:
    try:
        return Claim.from_json({**public, "sentence": public.get("text", "")})
    except (KeyError, TypeError, ValueError):
        return None


def _review_raised(replay: ReplayResult, r: Raised) -> dict[str, Any]:
    return {
        "type": r.kind,
        "id": r.id,
        "event_id": r.event_id,
        "slot": r.slot,
        "confidence": r.confidence,
        "half": half_of(r.article_ids),
        "explanation": r.record.get("explanation", ""),
        "a": [_side_info(replay, c["article_id"], None, c) for c in r.a],
        "b": [_side_info(replay, c["article_id"], None, c) for c in r.b],
        "label_line": label_line(r.sides, r.slot),
    }


def _review_candidate(replay: ReplayResult, c: Candidate, raised: bool) -> dict[str, Any]:
    return {
        "type": "candidate",
        "event_id": c.event_id,
        "slot": c.base_slot,
        "raised": raised,
        "half": half_of(c.article_ids),
        "a": [_side_info(replay, c.a_article, c.a, None)],
        "b": [_side_info(replay, c.b_article, c.b, None)],
        "label_line": label_line(c.sides, c.base_slot),
    }


# --------------------------------------------------------------------------- rendering


def _p(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    fmt = "  ".join(f"{{:<{widths[0]}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return ["  " + fmt.format(*header), *("  " + fmt.format(*r) for r in cells)]


def _tally_rows(named: Iterable[tuple[str, Mapping[str, Any]]]) -> list[list[object]]:
    return [
        [name, t["raised"], t["labelled"], t["unlabelled"], t["true"], t["false"], _p(t["precision"])]
        for name, t in named
    ]


def _categories(t: Mapping[str, Any]) -> str:
    cats = t["false_categories"]
    return ", ".join(f"{k} {v}" for k, v in cats.items()) if cats else "none"


def render(report: Mapping[str, Any]) -> str:
    lines = [
        f"eval-contradictions: {report['file']} ({report['articles']} articles, "
        f"{report['rejected']} rejected); labels: {report['labels_file'] or 'none'} "
        f"({report['labels']} labels, {report['unfilled']} unfilled "
        f"lines skipped, {report['labels_matching_nothing']} matching nothing here)",
        "",
    ]
    if report["mode"] == "records":
        c = report["contradictions"]
        lines.append("contradictions (precision = true / labelled; ambiguous labels count as false):")
        header = ["", "raised", "labelled", "unlabelled", "true", "false", "precision"]
        named = [("all", c)] + [
            (f"{h} topics" if h != "mixed/other" else h, report["halves"][h]) for h in HALVES
        ]
        lines += _table(header, _tally_rows(named))
        lines.append(f"  by kind: {', '.join(f'{k} {v}' for k, v in report['by_kind'].items()) or 'none'}")
        lines.append(f"  false by category: {_categories(c)}")
        for h in ("odd", "even"):
            lines.append(f"    {h} topics: {_categories(report['halves'][h])}")
        if report["ambiguous"]:
            lines.append(f"  ambiguous: {', '.join(a['id'] for a in report['ambiguous'])}")
        lines += [
            "",
            f"confidence bands (a band's bound holds when precision >= it; "
            f"{MIN_BAND_LABELS}+ labels needed):",
        ]
        lines += _table(
            ["band", "count", "labelled", "true", "precision", "bound", "holds", f">={MIN_BAND_LABELS}"],
            [
                [
                    b["band"],
                    b["count"],
                    b["labelled"],
                    b["true"],
                    _p(b["precision"]),
                    "-" if b["bound"] is None else b["bound"],
                    "-" if b["bound_holds"] is None else ("yes" if b["bound_holds"] else "NO"),
                    "yes" if b["enough_labels"] else "no",
                ]
                for b in report["bands"]
            ],
        )
        e = report["extensions"]
        lines += [
            "",
            f"contradiction_extended (joining claim vs the opposite side): {e['raised']}, labelled "
            f"{e['labelled']}, true {e['true']}, precision {_p(e['precision'])}",
        ]
    else:
        lines.append(
            f"candidate pairs (same base slot, different articles, one predicted event, relate = conflict): "
            f"{report['pairs_before_cap']} in {report['groups']} (event, base slot) groups; cap "
            f"{report['cap_per_event_slot']} per group drops {report['dropped_by_cap']}"
        )
        header = ["", "candidates", "labelled", "true", "false", "raised", "raised|true", "raised|false"]

        def row(name: str, t: Mapping[str, Any]) -> list[object]:
            return [
                name,
                t["candidates"],
                t["labelled"],
                t["true"],
                t["false"],
                t["raised"],
                f"{t['raised_of_true']}/{t['true']}",
                f"{t['raised_of_false']}/{t['false']}",
            ]

        lines += _table(
            header,
            [row("all", report["candidates"])]
            + [row(f"{h} topics" if h != "mixed/other" else h, report["halves"][h]) for h in HALVES]
            + [row(f"kind {k}", t) for k, t in report["by_kind"].items()],
        )
        lines.append(
            "  raised: production raised the pair (a contradiction record or an extension matches it); "
            "raised|true: of the labelled true ones"
        )
        lines.append(f"  false by category: {_categories(report['candidates'])}")
        lines.append(f"  contradiction records raised by the replay: {report['contradictions_raised']}")
    if report.get("review"):
        lines += [
            "",
            f"review: {report['review']['items']} unlabelled item(s) written to {report['review']['path']} "
            f"and {report['review']['jsonl']}",
        ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- command


EPILOG = """\
examples:
  crosscheck eval-contradictions ../shared/data/ecbplus_dev.jsonl --labels eval/labels/ecbplus_dev.jsonl
  crosscheck eval-contradictions ../shared/data/ecbplus_dev.jsonl --candidates \\
      --labels eval/labels/ecbplus_dev.jsonl --review /tmp/review.md
  crosscheck eval-contradictions ../shared/data/ecbplus_dev.jsonl --inject --rounds 5

labels: JSONL, one per line, ids and spans only:
  {"a": [[article_id, start, end], ...], "b": [[...]], "slot": "...", "label": true|false,
   "category": "true|other_occasion|look_alike|part_total|other_entity|misread|evolved|
   generic_hypothetical|other", "by": "who"}
A label matches a record (or candidate) whose two sides it overlaps, either way round
(same article, overlapping spans); among several, the one overlapping most claims wins,
and equally good labels that disagree count the record as false (ambiguous).
Halves: odd vs even topic number (ecb-<topic>_...); records spanning both are mixed/other.
Candidates: a group (event, base slot) keeps at most --cap pairs, one per distinct pair of
normalised values first, then round-robin over value pairs (repeats are dropped first).
Review: every unlabelled record (with --candidates: candidate) goes to --review PATH and a
.jsonl twin, with sentences, titles, paragraphs and a label line to fill in and append.
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="crosscheck eval-contradictions",
        description="Replay a file and measure contradictions against labels: precision per half of "
        "the topics and per confidence band (default), candidate pairs before any precision rule "
        "(--candidates), or recall on injected conflicts (--inject).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "file",
        type=Path,
        nargs="?",
        default=DEFAULT_DATA,
        help="JSONL articles (or a directory); default ../shared/data/ecbplus_dev.jsonl beside the checkout",
    )
    parser.add_argument(
        "--labels",
        type=Path,
        default=None,
        help="labels JSONL (default: eval/labels/<FILE stem>.jsonl in the repository when it exists)",
    )
    parser.add_argument("--candidates", action="store_true", help="assess candidate pairs instead of records")
    parser.add_argument(
        "--cap",
        type=int,
        default=DEFAULT_CAP,
        help=f"candidate pairs kept per (event, base slot), 0 = all (default {DEFAULT_CAP})",
    )
    parser.add_argument(
        "--inject",
        action="store_true",
        help="recall on injected conflicting figures (needs gold 'event' labels)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="--inject: streams, each gold event gets another fact per round (default 5)",
    )
    parser.add_argument(
        "--events",
        type=int,
        default=0,
        help="--inject: gold events per round, one per topic first (default 0: all)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="--inject: seed for articles, names, numbers and wording"
    )
    parser.add_argument(
        "--review",
        type=Path,
        default=DEFAULT_REVIEW,
        help=f"review file (Markdown, plus a .jsonl twin; default {DEFAULT_REVIEW})",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    args = parser.parse_args(argv)

    def fail(message: str) -> int:
        print(f"eval-contradictions: {message}", file=sys.stderr)
        return 2

    if not args.file.exists():
        hint = (
            " (the development data lives in ../shared/data beside the checkout)"
            if args.file == DEFAULT_DATA
            else ""
        )
        return fail(f"no such file: {args.file}{hint}")
    if args.candidates and args.inject:
        return fail("--candidates and --inject are separate modes; give one")
    if args.cap < 0 or args.rounds < 1 or args.events < 0:
        return fail("--cap and --events must be >= 0 and --rounds >= 1")
    progress = not args.no_progress
    try:
        max_bytes = Settings.from_env().max_article_bytes
        event_config = EventConfig.from_env()  # CROSSCHECK_EVENT_*, as replay and the worker read them
    except (SettingsError, ValueError) as exc:
        return fail(f"configuration error: {exc}")
    if args.inject:
        from worker.evaluation import inject

        try:
            report = inject.evaluate_injections(
                args.file,
                seed=args.seed,
                rounds=args.rounds,
                events=args.events,
                progress=progress,
                event_config=event_config,
                max_bytes=max_bytes,
            )
        except (inject.InjectError, InputError) as exc:
            return fail(str(exc))
        print(json.dumps(report, indent=2, sort_keys=True) if args.json else inject.render(report))
        return 0

    labels_path: Path | None = args.labels
    if labels_path is None and (LABELS_DIR / f"{args.file.stem}.jsonl").exists():
        labels_path = LABELS_DIR / f"{args.file.stem}.jsonl"
    try:
        label_file = read_labels(labels_path) if labels_path else LabelFile(None, ())
    except LabelError as exc:
        return fail(str(exc))
    try:
        articles, rejected = read_articles(args.file, max_bytes)
    except InputError as exc:
        return fail(str(exc))
    for reject in rejected:
        print(f"rejected {reject}", file=sys.stderr)
    replay = replay_articles(articles, event_config=event_config, progress=progress, total=len(articles))
    replay.rejected = rejected
    index = LabelIndex(label_file.labels)
    evaluation = (
        assess_candidates(replay, index, args.cap) if args.candidates else assess_records(replay, index)
    )
    report = evaluation.report
    _describe_run(report, args.file, replay, label_file, index)
    md, twin = write_review(
        args.review,
        evaluation.review,
        f"eval-contradictions review: {args.file.name}, {'candidates' if args.candidates else 'records'}",
    )
    report["review"] = {"path": str(md), "jsonl": str(twin), "items": len(evaluation.review)}
    print(json.dumps(report, indent=2, sort_keys=True) if args.json else render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = [
    "AMBIGUOUS",
    "BANDS",
    "CATEGORIES",
    "FALSE_CATEGORIES",
    "Candidate",
    "CandidateSet",
    "Evaluation",
    "Label",
    "LabelError",
    "LabelIndex",
    "Raised",
    "ReplayResult",
    "assess_candidates",
    "assess_records",
    "band_of",
    "candidates",
    "context",
    "evaluate",
    "find_candidates",
    "half_of",
    "load_labels",
    "main",
    "match_label",
    "match_score",
    "overlaps",
    "parse_label",
    "read_articles",
    "read_labels",
    "render",
    "replay_articles",
    "replay_file",
    "tally",
    "topic_of",
    "write_review",
]
