"""Recall of contradictions on conflicting figures injected into development articles.

``crosscheck eval-contradictions FILE --inject [--rounds R] [--events N] [--seed S]``.

For each of N gold events (all by default; one per topic first), two articles of the
event get one sentence each, inserted right after the first sentence of the body (the
lead: the first line of prose, so a title line, a dateline or a byline is passed over),
where the main occasion is unambiguous.  The two sentences state the same fact with
values that conflict (disjoint):

* ``age_at_death``: "Maria Kowalski, the victim, died at 64." / "... died at 71."
* ``death_toll``: "The fire killed 12 people, police said." / "... 17 people ..."
* ``final_score``: "Hartford won the game 3-1." / "... 2-1."
* ``duration``: "The hearing lasted 90 minutes." / "... three hours."
* ``arrests``: "Police arrested four people." / "... nine people."

Names, numbers and wording vary (deterministic from ``--seed``); the event noun comes
from the title when a known one is there ("fire", "shooting", "explosion" ...), else a
generic one.  Round r gives the i-th chosen event the fact ``FACTS[(i + r) % 5]``, so five
rounds give every event every fact.  The stream is the whole file with the two articles
replaced by their injected copies (added alongside, dedup would drop them as copies).

The two articles are drawn from the gold event's articles that a clean replay of the
file neither flagged as duplicates nor split off: the largest group of them that the
clean replay put in one predicted event.  The figure measures finding a conflict once
the articles are grouped; a pair the injected stream splits is listed as missed, with
that reason.

An injection is **found** when a contradiction record (or a ``contradiction_extended``
update) has a claim overlapping the injected sentence of one article on one side and
one overlapping the other's on the other side (the labels' matching rule).  Every miss
is listed with what was extracted from both sentences and why nothing was raised.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from worker.core.events import EventConfig
from worker.core.model import Article, Claim
from worker.evaluation.contradictions import (
    ReplayResult,
    half_of,
    match_score,
    overlaps,
    read_articles,
    replay_articles,
)

FACTS: tuple[str, ...] = ("age_at_death", "death_toll", "final_score", "duration", "arrests")


class InjectError(ValueError):
    """The file cannot be used for injection (no gold events, too few articles)."""


@dataclass(frozen=True)
class InjectedSide:
    article_id: str
    #: Where the sentence starts in the original text, and its span in the injected copy.
    offset: int
    span: tuple[int, int]
    sentence: str  # generated text only, never the article's
    value: str  # the stated value, for the reader ("64", "12 people", "3-1", "90 minutes")
    number: float | tuple[int, int]  # comparable form (a score as a pair, a duration in minutes)


@dataclass(frozen=True)
class Injection:
    fact: str
    gold_event: str
    round: int
    a: InjectedSide
    b: InjectedSide

    @property
    def sides(self) -> tuple[tuple[tuple[str, int, int]], tuple[tuple[str, int, int]]]:
        return (((self.a.article_id, *self.a.span),), ((self.b.article_id, *self.b.span),))


# --------------------------------------------------------------------------- where to insert


_ABBREV = frozenset((
    "mr", "mrs", "ms", "dr", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "capt", "st", "no", "vs",
    "inc", "ltd", "jr", "sr", "co", "corp", "dept", "prof", "rev", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "est", "approx", "a.m", "p.m", "u.s",
))  # fmt: skip
_BOUNDARY = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_TERMINAL = tuple(".!?\"”’'")
_LOWER_WORD = re.compile(r"\b[a-z]{3,}\b")


def _is_prose(line: str) -> bool:
    """A line of running text: six words or more, lower-case words, terminal punctuation.

    Titles without a full stop, datelines ("May 03, 2013"), time stamps and bylines are not.
    """
    return len(line.split()) >= 6 and len(_LOWER_WORD.findall(line)) >= 3 and line.endswith(_TERMINAL)


def lead_sentence_end(text: str) -> int | None:
    """Offset right after the first sentence of the body (its closing quote included), or None."""
    start = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if _is_prose(stripped):
            lead = start + (len(line) - len(line.lstrip()))
            for m in _BOUNDARY.finditer(text, lead, start + len(line.rstrip())):
                word = text[lead : m.start()].rsplit(None, 1)[-1].lower() if m.start() > lead else ""
                word = word.lstrip('"“‘(')
                if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                    continue  # "Mr. Smith", "U. K. but": not a sentence end
                return m.end()
            return start + len(line.rstrip())
        start += len(line) + 1
    return None


def inject_article(article: Article, sentence: str, at: int | None = None) -> tuple[Article, tuple[int, int]]:
    """A copy of ``article`` with ``sentence`` inserted after the lead's first sentence.

    Returns the copy and the sentence's span in its text; the rest of the text is unchanged.
    """
    offset = lead_sentence_end(article.text) if at is None else at
    if offset is None:
        raise InjectError(f"{article.id}: no line of prose to inject into")
    text = article.text[:offset] + " " + sentence + article.text[offset:]
    return replace(article, text=text), (offset + 1, offset + 1 + len(sentence))


# --------------------------------------------------------------------------- what to insert


_GIVEN = (
    "Maria", "James", "Aisha", "Tomasz", "Elena", "Samuel", "Priya", "Daniel", "Ingrid", "Marcus",
    "Lucia", "Kwame", "Hannah", "Mateo", "Yuki", "Connor", "Fatima", "Oliver", "Nadia", "Victor",
)  # fmt: skip
_SURNAMES = (
    "Kowalski", "Okafor", "Lindqvist", "Moreau", "Castellano", "Haddad", "Brennan", "Takahashi",
    "Novak", "Achterberg", "Delacroix", "Ferreira", "Halvorsen", "Ibarra", "Jankowski", "Laurent",
    "Mbeki", "Nakamura", "Ostrowski", "Pellegrini", "Quintero", "Rasmussen", "Szabo", "Varga",
)  # fmt: skip
_TEAMS = (
    "Hartford", "Dunmore", "Ashland", "Brookfield", "Carver", "Millbrook", "Westbury", "Fairview",
    "Kingsport", "Lakewood", "Redmond", "Stamford",
)  # fmt: skip
_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
)  # fmt: skip
#: Title words -> the event noun a toll sentence uses ("The fire killed ...").
_EVENT_NOUNS: tuple[tuple[str, str], ...] = (
    ("hit-and-run", "crash"), ("hit & run", "crash"), ("crash", "crash"), ("collision", "crash"),
    ("earthquake", "earthquake"), ("quake", "earthquake"), ("explosion", "explosion"),
    ("blast", "explosion"), ("bomb", "bombing"), ("molotov", "attack"), ("shooting", "shooting"),
    ("shooter", "shooting"), ("shoots", "shooting"), ("shot", "shooting"), ("gunman", "shooting"),
    ("fire", "fire"), ("blaze", "fire"), ("burns", "fire"), ("riot", "riots"), ("heist", "robbery"),
    ("robbers", "robbery"), ("robbery", "robbery"), ("thieves", "robbery"), ("attack", "attack"),
    ("fall", "fall"), ("storm", "storm"), ("flood", "flood"),
)  # fmt: skip
_GENERIC_NOUN = "incident"
#: Title words -> what a duration is about ("The hearing lasted ...").
_DURATION_NOUNS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("trial", "court", "judge", "sentence", "charged", "jury", "murder"), "hearing"),
    (("talks", "negotiat", "election", "vote", "parliament", "meeting", "summit"), "meeting"),
    (("oscar", "award", "academy", "host", "ceremony"), "ceremony"),
    (("fire", "blaze", "rescue", "search", "police", "shooting", "robbery", "heist", "climber"), "operation"),
)
_GENERIC_DURATION = ("hearing", "meeting", "operation")
_DURATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (20, ("20 minutes",)),
    (30, ("30 minutes", "half an hour")),
    (45, ("45 minutes",)),
    (60, ("an hour", "one hour")),
    (90, ("90 minutes", "an hour and a half")),
    (120, ("two hours",)),
    (180, ("three hours",)),
    (240, ("four hours",)),
    (300, ("five hours",)),
)
_SCORES = ((1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2), (4, 1), (4, 2), (5, 3))

_TEMPLATES: dict[str, tuple[str, ...]] = {
    "age_at_death": (
        "{name}, the victim, died at {n}.",
        "The victim, {name}, died at the age of {n}.",
        "{name}, {n}, died at the scene.",
    ),
    "death_toll": (
        "The {noun} killed {n} people, police said.",
        "{N} people were killed in the {noun}, officials said.",
        "The {noun} left {n} people dead.",
    ),
    "final_score": (
        "{team} won the game {score}.",
        "{team} beat {other} {score}.",
        "{team} defeated {other} {score} on the night.",
    ),
    "duration": (
        "The {dnoun} lasted {d}.",
        "The {dnoun} went on for {d}.",
    ),
    "arrests": (
        "Police arrested {n} people.",
        "{N} people were arrested, police said.",
        "Officers arrested {n} people at the scene.",
    ),
}


def _number(n: int, rng: random.Random) -> str:
    """Digits or words (news writes small numbers in words), at random."""
    return _WORDS[n] if n < len(_WORDS) and rng.random() < 0.5 else str(n)


def event_noun(title: str) -> str:
    low = title.lower()
    for word, noun in _EVENT_NOUNS:
        if re.search(rf"\b{re.escape(word)}", low):
            return noun
    return _GENERIC_NOUN


def duration_noun(title: str, rng: random.Random) -> str:
    low = title.lower()
    for words, noun in _DURATION_NOUNS:
        if any(w in low for w in words):
            return noun
    return rng.choice(_GENERIC_DURATION)


@dataclass(frozen=True)
class FactPair:
    fact: str
    sentences: tuple[str, str]
    values: tuple[str, str]
    numbers: tuple[float | tuple[int, int], float | tuple[int, int]]


def _other_count(a: int, lo: int, hi: int, rng: random.Random, gap: int) -> int:
    """A number in [lo, hi] at least ``gap`` away from ``a``."""
    return rng.choice([n for n in range(lo, hi + 1) if abs(n - a) >= gap])


def make_pair(fact: str, rng: random.Random, title: str = "", avoid: str = "") -> FactPair:
    """Two sentences stating ``fact`` with conflicting values; wording chosen per sentence.

    ``avoid`` is text the names must not occur in (the two articles), so an injected
    person or team is never one the article already speaks of.
    """
    templates = _TEMPLATES[fact]
    t_a, t_b = rng.choice(templates), rng.choice(templates)
    if fact == "age_at_death":
        surnames = [s for s in _SURNAMES if s not in avoid] or list(_SURNAMES)
        name = f"{rng.choice(_GIVEN)} {rng.choice(surnames)}"
        a = rng.randint(19, 88)
        b = _other_count(a, max(18, a - 9), min(95, a + 9), rng, gap=2)
        sa, sb = (t.format(name=name, n=n) for t, n in ((t_a, a), (t_b, b)))
        return FactPair(fact, (sa, sb), (str(a), str(b)), (float(a), float(b)))
    if fact in ("death_toll", "arrests"):
        noun = event_noun(title)
        a = rng.randint(2, 30) if fact == "death_toll" else rng.randint(2, 15)
        b = _other_count(a, 2, a + 12, rng, gap=max(2, round(a * 0.2)))

        def say(t: str, n: int) -> str:
            words = _number(n, rng)
            return t.format(noun=noun, n=words, N=words[0].upper() + words[1:])

        return FactPair(
            fact, (say(t_a, a), say(t_b, b)), (f"{a} people", f"{b} people"), (float(a), float(b))
        )
    if fact == "final_score":
        teams = [t for t in _TEAMS if t not in avoid] or list(_TEAMS)
        team, other = rng.sample(teams, 2)
        x = rng.choice(_SCORES)
        y = rng.choice([s for s in _SCORES if s != x])
        sa, sb = (t.format(team=team, other=other, score=f"{s[0]}-{s[1]}") for t, s in ((t_a, x), (t_b, y)))
        return FactPair(fact, (sa, sb), (f"{x[0]}-{x[1]}", f"{y[0]}-{y[1]}"), (x, y))
    if fact == "duration":
        dnoun = duration_noun(title, rng)
        i = rng.randrange(len(_DURATIONS))
        # at least 30% apart, so no hedge or rounding could make the two overlap
        far = [
            j
            for j, (m, _) in enumerate(_DURATIONS)
            if abs(m - _DURATIONS[i][0]) >= 0.3 * max(m, _DURATIONS[i][0])
        ]
        j = rng.choice(far)
        (ma, pa), (mb, pb) = _DURATIONS[i], _DURATIONS[j]
        da, db = rng.choice(pa), rng.choice(pb)
        sa, sb = t_a.format(dnoun=dnoun, d=da), t_b.format(dnoun=dnoun, d=db)
        return FactPair(fact, (sa, sb), (da, db), (float(ma), float(mb)))
    raise ValueError(f"unknown fact {fact!r} (one of {', '.join(FACTS)})")


# --------------------------------------------------------------------------- building the stream


def read_gold(path: Path) -> dict[str, str]:
    """Article id -> gold ``event`` label, read straight from the JSONL file."""
    gold: dict[str, str] = {}
    if path.is_dir():
        return gold
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                continue  # the replay reports it
            if isinstance(data, dict) and data.get("id") and data.get("event"):
                gold[str(data["id"])] = str(data["event"])
    return gold


def _topic_key(event: str) -> tuple[int, str]:
    topic = event.split("_", 1)[0]
    return (int(topic) if topic.isdigit() else 10**9, topic)


def choose_events(gold: Mapping[str, str], n: int = 0) -> list[str]:
    """Gold events, one per topic before any topic's second (n = 0: all)."""
    by_topic: dict[tuple[int, str], list[str]] = {}
    for event in sorted(set(gold.values())):
        by_topic.setdefault(_topic_key(event), []).append(event)
    order: list[str] = []
    for depth in range(max((len(v) for v in by_topic.values()), default=0)):
        order += [events[depth] for _, events in sorted(by_topic.items()) if depth < len(events)]
    return order[:n] if n > 0 else order


def usable_articles(
    articles: Sequence[Article], gold: Mapping[str, str], clean: ReplayResult | None
) -> dict[str, list[str]]:
    """Per gold event, the articles an injection may use: with a lead, not a duplicate, and
    (given a clean replay) the largest group of them the replay put in one predicted event."""
    out: dict[str, list[str]] = {}
    for article in articles:
        event = gold.get(article.id)
        if event is None or lead_sentence_end(article.text) is None:
            continue
        if clean is not None and article.id in clean.duplicates:
            continue
        out.setdefault(event, []).append(article.id)
    if clean is None:
        return out
    for event, ids in out.items():
        groups: dict[str, list[str]] = {}
        for aid in ids:
            groups.setdefault(clean.event_of(aid) or aid, []).append(aid)
        out[event] = max(groups.values(), key=len) if len(max(groups.values(), key=len)) >= 2 else ids
    return out


def inject(
    articles: Sequence[Article],
    gold: Mapping[str, str],
    *,
    seed: int = 0,
    round_: int = 0,
    events: Sequence[str] | None = None,
    usable: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[Article], list[Injection]]:
    """The stream with injected copies in place of their originals, and the injections.

    ``events`` default to :func:`choose_events`; ``usable`` (per gold event, the article
    ids to draw from) to every article of the event with a lead.
    """
    by_id = {a.id: a for a in articles}
    usable = usable if usable is not None else usable_articles(articles, gold, None)
    replaced: dict[str, Article] = {}
    injections: list[Injection] = []
    for i, event in enumerate(events if events is not None else choose_events(gold)):
        ids = sorted(usable.get(event, ()))
        if len(ids) < 2:
            continue
        rng = random.Random(f"{seed}:{round_}:{event}")
        fact = FACTS[(i + round_) % len(FACTS)]
        first, second = (by_id[x] for x in rng.sample(ids, 2))
        title = first.title if event_noun(first.title) != _GENERIC_NOUN else second.title
        pair = make_pair(fact, rng, title, avoid=first.text + second.text)
        sides = []
        for article, sentence, value, number in zip(
            (first, second), pair.sentences, pair.values, pair.numbers, strict=True
        ):
            copy, span = inject_article(article, sentence)
            replaced[article.id] = copy
            sides.append(InjectedSide(article.id, span[0] - 1, span, sentence, value, number))
        injections.append(Injection(fact, event, round_, sides[0], sides[1]))
    stream = [replaced.get(a.id, a) for a in articles]
    return stream, injections


# --------------------------------------------------------------------------- scoring


def _claims_in(replay: ReplayResult, side: InjectedSide) -> list[Claim]:
    ref = (side.article_id, *side.span)
    return [c for c in replay.claims.get(side.article_id, ()) if overlaps((side.article_id, *c.span), ref)]


def _show(claims: Sequence[Claim]) -> list[str]:
    from worker.core.claims import describe

    return [f"{c.slot} = {describe(c)} (occasion {c.occasion.kind})" for c in claims]


def diagnose(replay: ReplayResult, inj: Injection) -> str:
    """Why an injection was not raised, as far as the replay shows."""
    from worker.core.claims import relate

    for side in (inj.a, inj.b):
        if side.article_id in replay.duplicates:
            return f"{side.article_id} was flagged as a duplicate of {replay.duplicates[side.article_id]}"
    ca, cb = _claims_in(replay, inj.a), _claims_in(replay, inj.b)
    if not ca and not cb:
        return "no claim extracted from either sentence"
    if not ca or not cb:
        return f"no claim extracted from side {'a' if not ca else 'b'}'s sentence"
    if replay.event_of(inj.a.article_id) != replay.event_of(inj.b.article_id):
        return "the two articles are in different predicted events"
    shared = [(x, y) for x in ca for y in cb if x.base_slot == y.base_slot]
    if not shared:
        return "different slots"
    refs_a = {(inj.a.article_id, *x.span) for x in ca}
    refs_b = {(inj.b.article_id, *y.span) for y in cb}
    for old, new in replay.superseded:
        if (old in refs_a and new in refs_b) or (old in refs_b and new in refs_a):
            return "superseded: the second count was taken as a revision of the first"
    conflicting = [(x, y) for x, y in shared if relate(x, y) == "conflict"]
    if not conflicting:
        return "same base slot, but the values do not conflict"
    for x, y in conflicting:
        if not x.occasion.comparable or not y.occasion.comparable:
            return f"abstained: occasion {x.occasion.kind} vs {y.occasion.kind}"
        if x.slot != y.slot:
            return f"different occasions: {x.slot} vs {y.slot}"
    return "same slot, conflicting values, not raised"


def score(replay: ReplayResult, injections: Sequence[Injection]) -> list[dict[str, Any]]:
    """One row per injection: found or not, by what, and (when missed) why."""
    raised = [*replay.contradictions, *replay.extensions]
    rows = []
    for inj in injections:
        hit = next((r for r in raised if match_score(inj.sides, r.sides)), None)
        row: dict[str, Any] = {
            "fact": inj.fact,
            "gold_event": inj.gold_event,
            "round": inj.round,
            "half": half_of([inj.a.article_id, inj.b.article_id]),
            # the sentences are generated text (names, numbers, templates), never the article's
            "a": {
                "article_id": inj.a.article_id,
                "span": list(inj.a.span),
                "value": inj.a.value,
                "sentence": inj.a.sentence,
            },
            "b": {
                "article_id": inj.b.article_id,
                "span": list(inj.b.span),
                "value": inj.b.value,
                "sentence": inj.b.sentence,
            },
            "found": hit is not None,
        }
        if hit is not None:
            row.update(by=hit.kind, id=hit.id, confidence=hit.confidence, slot=hit.slot)
        else:
            row["reason"] = diagnose(replay, inj)
            row["claims_a"] = _show(_claims_in(replay, inj.a))
            row["claims_b"] = _show(_claims_in(replay, inj.b))
        rows.append(row)
    return rows


def evaluate_injections(
    path: Path,
    *,
    seed: int = 0,
    rounds: int = 5,
    events: int = 0,
    progress: bool = False,
    event_config: EventConfig | None = None,
    max_bytes: int = 1 << 20,
) -> dict[str, Any]:
    """The whole recall evaluation (see the module docstring); a JSON-able report."""
    articles, _rejected = read_articles(path, max_bytes)
    gold = read_gold(path)
    if not gold:
        raise InjectError(f"{path}: --inject needs articles with a gold 'event' label")
    clean = replay_articles(
        articles, event_config=event_config, progress=progress, total=len(articles), desc="clean replay"
    )
    usable = usable_articles(articles, gold, clean)
    chosen = choose_events(gold, events)
    rows: list[dict[str, Any]] = []
    for r in range(rounds):
        stream, injections = inject(articles, gold, seed=seed, round_=r, events=chosen, usable=usable)
        if not injections:
            raise InjectError(f"{path}: no gold event has two articles to inject into")
        replay = replay_articles(
            stream,
            event_config=event_config,
            progress=progress,
            total=len(stream),
            desc=f"round {r + 1}/{rounds}",
        )
        rows += score(replay, injections)
    injected = Counter(row["fact"] for row in rows)
    found = Counter(row["fact"] for row in rows if row["found"])
    return {
        "file": str(path),
        "seed": seed,
        "rounds": rounds,
        "events": len(chosen),
        "injected": len(rows),
        "found": sum(found.values()),
        "share": sum(found.values()) / len(rows) if rows else None,
        "per_fact": {f: {"injected": injected[f], "found": found[f]} for f in FACTS if injected[f]},
        "per_half": {
            h: {
                "injected": sum(1 for row in rows if row["half"] == h),
                "found": sum(1 for row in rows if row["half"] == h and row["found"]),
            }
            for h in ("odd", "even")
        },
        "reasons": dict(Counter(row["reason"] for row in rows if not row["found"]).most_common()),
        "missed": [row for row in rows if not row["found"]],
        "found_items": [
            {k: row[k] for k in ("fact", "gold_event", "round", "id", "by", "confidence", "slot")}
            for row in rows
            if row["found"]
        ],
    }


def render(report: Mapping[str, Any]) -> str:
    share = report["share"]
    lines = [
        f"injected conflicts: {report['file']}, {report['events']} gold events x {report['rounds']} "
        f"round(s), seed {report['seed']}",
        f"found {report['found']}/{report['injected']}" + (f" = {share:.3f}" if share is not None else ""),
        "",
    ]
    width = max(len(f) for f in FACTS)
    for fact, t in report["per_fact"].items():
        lines.append(
            f"  {fact:<{width}}  {t['found']:>4}/{t['injected']:<4} {t['found'] / t['injected']:.3f}"
        )
    for half, t in report["per_half"].items():
        if t["injected"]:
            lines.append(
                f"  {half + ' topics':<{width}}  {t['found']:>4}/{t['injected']:<4} "
                f"{t['found'] / t['injected']:.3f}"
            )
    if report["reasons"]:
        lines += ["", "why missed:"]
        lines += [f"  {n:>4}  {reason}" for reason, n in report["reasons"].items()]
        lines += ["", "missed:"]
        for row in report["missed"]:
            lines.append(f"  [{row['fact']}] round {row['round']}, {row['gold_event']}: {row['reason']}")
            for side in ("a", "b"):
                s = row[side]
                lines.append(
                    f"      {side}: {s['article_id']} {s['span']} {s['value']!r}: \u201c{s['sentence']}\u201d"
                )
                lines += [f"         -> {claim}" for claim in row[f"claims_{side}"]]
    return "\n".join(lines)


__all__ = [
    "FACTS",
    "FactPair",
    "InjectError",
    "InjectedSide",
    "Injection",
    "choose_events",
    "diagnose",
    "evaluate_injections",
    "inject",
    "inject_article",
    "lead_sentence_end",
    "make_pair",
    "read_gold",
    "render",
    "score",
    "usable_articles",
]


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run: crosscheck eval-contradictions FILE --inject")
