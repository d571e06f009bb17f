"""Per-event reconciliation: compare each new claim with what other sources said.

State is one JSON-able dict per event (the ``event_claims`` table value)::

    {"articles": {article_id: {"h": content hash, "src": source, "pub": published_at}},
     "slots": {slot: [claim record, ...]},   # stored as a string: see ``_encode``
     "contradictions": {contradiction_id: {"slot", "a": [claim ids], "b": [claim ids],
                                           "status": "open" | "resolved",
                                           "v": [side A's values, side B's]}},
     # only after event merges or splits (see "Merges" and "Splits" below):
     "absorbed": [event ids folded in, or split tokens], "inbox": {event id: its state},
     "pending": [routed messages held back], "handed": [events split off this one]}

**Why claim records are strings.**  A record as nested dicts (record, claim, value,
attribution, span, hedges) costs ~1.7 KB of Python objects for ~0.6 KB of JSON, and
the records were the largest part of the state's memory (8.2 KB per article in state
on the synthetic stream; 3.1-3.4 KB now).  Each record is stored as one compact JSON
array string with one byte per character, without key names or what the event's
``articles`` map already holds (:func:`_encode`), so the state stays JSON-able (the
changelog holds the same thing).  A call decodes only the slots it touches
(``_Work.records``); :func:`claim_records` and :func:`slot_records` give readers (the
web views) the records as dicts, in ``_record``'s shape.  Bounds: at most
``MAX_CLAIMS_PER_SLOT`` records per slot (later claims are still compared and
reported, not stored); the whole state is deleted when its event expires (event TTL,
``op == "expire"``).

``reconcile`` is a pure function ``(state, message) -> (new state, outputs)``: it
never mutates the state it is given, so the agent can send the outputs, wait for
the broker's acknowledgement, and only then write the new state back.  A crash in
between re-runs the same message on the old state and yields the same ids.

Rules, per new claim ``c`` in slot ``s`` (relations come from ``claims.relate``):

* the slot is new                                        -> ``claim_added``
* ``c`` equals a value from another independent source    -> ``claim_corroborated``
* ``c`` is compatible and more specific than a value      -> ``claim_refined``
* ``c`` conflicts with values, but it is a later report of an evolving figure
  (a toll that only grows) or revises a value called preliminary -> ``claim_superseded``
  (and an open contradiction on the old value is ``contradiction_resolved``)
* ``c`` conflicts with every claim of one side of an open contradiction and with
  none of the other side                                   -> it joins that side:
  ``contradiction_extended`` when its source is new to the side
* other conflicts open a new ``contradiction``: side A is ``c``, side B the
  conflicting claims (split into mutually compatible groups, one contradiction each).
  Claims compatible with both sides are not listed.

The contradiction id hashes (event id, slot, the two sides' normalised values),
never claim ids, so the same disagreement has the same id wherever it is computed.
One disagreement is one alert: an open contradiction moves with its claims when its
event is merged into another or split off, under the id it was raised with, and
meeting it again there (same slot, same values on the same sides) adds the claims to
its sides (:func:`_rejoin`) instead of raising it a second time under the new id.

Merges.  When an article X makes the global stage merge event B into the older A,
it routes ``merge_out`` to B (``into`` A), then X to A with ``await_merge`` [B].
B answers with one ``merge_in`` on the same per-event topic (output topic
``BY_EVENT``, key A) carrying B's articles and claims, and deletes its state.  At A,
``merge_in`` waits in ``inbox`` until X is reached; X then folds B in (``_fold``: B's
articles' claims through the same rules, in B's order, so B's claims that disagree
with A's are raised under A's id) and is applied.  While X waits for its
``merge_in``, every later message for A waits behind it in ``pending``.  B is folded
at X's place in A's order, whichever arrives first, so the Kafka path emits what
``replay`` emits (there ``merge_in`` always comes after X).  ``merge_in`` also carries
B's open contradictions, which A keeps under their ids.  Redeliveries of either
message, or of a held message, change nothing.

Splits reuse that machinery.  When the global stage splits articles M off event A
into a new event N, it routes ``split_out`` (``into`` N, ``moved`` M) to A, then
``split`` to N awaiting the token ``split:A`` (:func:`split_token`; not an event id,
so a later merge of A into N is awaited on its own).  A answers with a ``merge_in``
for N carrying M's articles and claims under that token, drops them from its state,
and resolves (``contradiction_resolved``, reason ``split``) each open contradiction
whose sides now lie in different events; a contradiction among M's claims alone
leaves with them, in the ``merge_in``.  N takes the ``merge_in`` into its inbox even
before it has a state, and ``split`` folds it in through the same rules (M's own
disagreements meet their carried contradictions and are not raised again) before
anything routed to N after it.  A records N in
``handed``: a ``split_out`` redelivered after its state was written sends nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import orjson
import pycountry

from worker.core import claims as claimlib
from worker.core.claims.frames import publication_days
from worker.core.claims.quantities import RISEN
from worker.core.claims.roles import ORDINALS, SUBORDINATE_RANKS
from worker.core.ids import stable_id
from worker.core.model import Claim
from worker.core.reftime import DEFAULT_ORDER_GAP_S, ReferenceTime, _instant, ordered
from worker.core.reftime import from_json as reftime_from_json
from worker.core.signature import Signature, era_conflict_between, weekdays_apart, weekdays_of, what_conflict
from worker.core.signature import conflicts as signature_conflicts

SCHEMA_VERSION = 1

#: Predicates whose figures grow as a story develops (a later, larger count revises
#: an earlier one rather than contradicting it).
EVOLVING_PREDICATE_WORDS: tuple[str, ...] = (
    "killed",
    "dead",
    "death",
    "toll",
    "injured",
    "wounded",
    "missing",
    "arrested",
    "evacuated",
    "displaced",
    "affected",
    "hospitalized",
)
PRELIMINARY_HEDGES: frozenset[str] = frozenset(
    {"preliminary", "initial", "early", "provisional", "unconfirmed"}
)
#: Hedges that bound a value ("more than two hours") rather than express doubt about
#: it: they shape the interval, and do not lower a contradiction's confidence.
BOUND_HEDGES: frozenset[str] = frozenset(
    {
        "more than",
        "over",
        "at least",
        "up to",
        "nearly",
        "almost",
        "under",
        "less than",
        "fewer than",
        "at most",
        RISEN,
    }
)

#: Confidence model (documented in docs/architecture.md): a contradiction's
#: confidence is BASE scaled by the weakest side's strongest claim weight.
BASE_CONFIDENCE = 0.95
HEDGE_PENALTY = 0.25
SOCIAL_PENALTY = 0.35
SPEAKER_PENALTY = 0.05
SELF_PENALTY = 0.2
#: A figure shown to be the main happening's only by a reference deep in the article.
DEEP_PENALTY = 0.1
MAX_CLAIMS_PER_SLOT = 64


@dataclass(frozen=True, slots=True)
class ReconcileConfig:
    """Settings of the reconcile rules (``CROSSCHECK_ORDER_GAP_HOURS`` for the worker and replay).

    ``order_gap_s``: two reports are ordered in time only when their reference times are at
    least this far apart; closer reports of an evolving figure still conflict.
    """

    order_gap_s: float = DEFAULT_ORDER_GAP_S

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ReconcileConfig:
        """The defaults, with ``CROSSCHECK_ORDER_GAP_HOURS`` if set (the worker and replay read it)."""
        env = os.environ if environ is None else environ
        raw = env.get("CROSSCHECK_ORDER_GAP_HOURS", "")
        if raw == "":
            return cls()
        try:
            hours = float(raw)
        except ValueError:
            raise ValueError(f"CROSSCHECK_ORDER_GAP_HOURS={raw!r}: expected a number of hours") from None
        if hours < 0:
            raise ValueError(f"CROSSCHECK_ORDER_GAP_HOURS={raw!r}: must not be negative")
        return cls(order_gap_s=hours * 3600)


DEFAULT_CONFIG = ReconcileConfig()


@dataclass(frozen=True, slots=True)
class Output:
    """One record for a downstream topic (``updates`` or ``contradictions``)."""

    topic: str
    key: str
    value: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Routed:
    """What the global stage sends to the per-event stage (keyed by event id).

    ``op`` is "article" | "revision" | "duplicate" | "expire", or for event merges
    (see "Merges" in the module docstring) "merge_out" (to the absorbed event,
    ``into`` its survivor) and "merge_in" (from the absorbed event's reconcile to the
    survivor: ``merged_event_id`` and its state as ``absorbed``, ``None`` if it had
    none).  ``await_merge`` lists the events an article's assignment absorbed: it is
    applied only after their states were folded in.

    For event splits (see "Splits"): "split_out" to the event that splits, ``into``
    the new event, with the ``moved`` articles; it answers with a "merge_in" whose
    ``merged_event_id`` is :func:`split_token` of the source, carrying the moved
    articles' claims; "split" to the new event, awaiting that token.
    """

    op: str
    event_id: str
    article_id: str = ""
    source: str = ""
    published_at: str | None = None
    content_hash: str = ""
    claims: tuple[Claim, ...] = ()
    duplicate_of: str | None = None
    seq: int = 0
    into: str | None = None
    await_merge: tuple[str, ...] = ()
    merged_event_id: str | None = None
    absorbed: Mapping[str, Any] | None = None
    reference: Mapping[str, Any] | None = None  # the article's ReferenceTime as JSON
    moved: tuple[str, ...] = ()
    #: The article's event signature with its prominent names (``n``), for "Two reports
    #: of two happenings" (:func:`other_happenings`).
    signature: Mapping[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "op": self.op,
            "event_id": self.event_id,
            "article_id": self.article_id,
            "source": self.source,
            "published_at": self.published_at,
            "content_hash": self.content_hash,
            "claims": [c.to_json() for c in self.claims],
            "duplicate_of": self.duplicate_of,
            "seq": self.seq,
        }
        # The merge fields only when set: messages without a merge stay as they were.
        if self.into is not None:
            out["into"] = self.into
        if self.await_merge:
            out["await_merge"] = list(self.await_merge)
        if self.merged_event_id is not None:
            out["merged_event_id"] = self.merged_event_id
            out["absorbed"] = None if self.absorbed is None else dict(self.absorbed)
        if self.reference is not None:
            out["reference"] = dict(self.reference)
        if self.moved:
            out["moved"] = list(self.moved)
        if self.signature is not None:
            out["signature"] = dict(self.signature)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Routed:
        return cls(
            op=data["op"],
            event_id=data["event_id"],
            article_id=data.get("article_id", ""),
            source=data.get("source", ""),
            published_at=data.get("published_at"),
            content_hash=data.get("content_hash", ""),
            claims=tuple(Claim.from_json(c) for c in data.get("claims") or ()),
            duplicate_of=data.get("duplicate_of"),
            seq=int(data.get("seq", 0)),
            into=data.get("into"),
            await_merge=tuple(data.get("await_merge") or ()),
            merged_event_id=data.get("merged_event_id"),
            absorbed=data.get("absorbed"),
            reference=data.get("reference"),
            moved=tuple(data.get("moved") or ()),
            signature=data.get("signature"),
        )


def update(type_: str, key: str, id_parts: Sequence[object], **fields: Any) -> Output:
    """An ``updates`` record with a deterministic id over ``type_`` and ``id_parts``."""
    value = {"schema_version": SCHEMA_VERSION, "id": stable_id("upd", type_, *id_parts), "type": type_}
    value.update(fields)
    return Output("updates", key, value)


def empty_state() -> dict[str, Any]:
    return {"articles": {}, "slots": {}, "contradictions": {}}


_OUTLET = {"kind": "outlet"}
_MAIN = {"kind": "main"}


def _encode(rec: Mapping[str, Any], articles: Mapping[str, Any]) -> str:
    """A claim record as stored: a JSON array in a str of one byte per character.

    Positional, so no key is repeated per record, and what the event's ``articles``
    map already holds is left out: ``published_at`` always (a record's is its
    article's), ``source`` when it is the article's (``0``), an outlet attribution
    (``0``), the main occasion (a 13th element only for any other occasion).
    :func:`_decode` restores the exact record.  orjson writes non-ASCII text as is;
    a str holding any character above U+00FF (curly quotes, dashes) takes 2-4 bytes
    per character, so such records are written with escapes instead.
    """
    c = rec["claim"]
    article = articles[rec["article_id"]]
    row = [
        rec["id"],
        rec["article_id"],
        0 if rec["source"] == article["src"] else rec["source"],
        c["kind"],
        c["subject"],
        c["predicate"],
        c["value"],
        c["raw"],
        c["sentence"],
        c["span"],
        0 if c["attribution"] == _OUTLET else c["attribution"],
        c["hedges"],
    ]
    occasion = c.get("occasion")
    if occasion and occasion != _MAIN:
        row.append(occasion)
    blob = orjson.dumps(row).decode()
    if blob.isascii() or max(blob) <= "\xff":
        return blob
    return json.dumps(row, separators=(",", ":"), ensure_ascii=True)


def _decode(blob: str | Mapping[str, Any], articles: Mapping[str, Any]) -> dict[str, Any]:
    """The record ``_encode`` stored, as ``_record`` made it.

    A dict is a record stored before records were encoded (a changelog written by an
    older worker): it is already in ``_record``'s shape.
    """
    if not isinstance(blob, str):
        return dict(blob)
    row = orjson.loads(blob)
    cid, aid, source, kind, subject, predicate, value, raw, sentence, span, attribution, hedges = row[:12]
    occasion = row[12] if len(row) > 12 else _MAIN
    article = articles[aid]
    return {
        "id": cid,
        "article_id": aid,
        "source": article["src"] if source == 0 else source,
        "published_at": article["pub"],
        "claim": {
            "kind": kind,
            "subject": subject,
            "predicate": predicate,
            "value": value,
            "raw": raw,
            "sentence": sentence,
            "span": span,
            "attribution": dict(_OUTLET) if attribution == 0 else attribution,
            "hedges": hedges,
            "occasion": dict(occasion),
        },
    }


def slot_records(state: Mapping[str, Any], slot: str) -> list[dict[str, Any]]:
    """The stored claim records of one slot, as dicts (see ``_record``), in order."""
    return [_decode(b, state["articles"]) for b in state["slots"].get(slot, ())]


def claim_records(state: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every stored ``(slot, claim record)`` of an event, slots in sorted order."""
    for slot in sorted(state["slots"]):
        for blob in state["slots"][slot]:
            yield slot, _decode(blob, state["articles"])


@dataclass
class _Work:
    """Mutable scratch for one reconcile call (a private copy of the event state).

    ``slots`` holds the encoded records (lists are replaced on write, never mutated:
    they may be shared with the caller's state); ``_records`` caches the decoded
    records of the slots this call has read.
    """

    event_id: str
    articles: dict[str, Any]
    slots: dict[str, list[str]]
    contradictions: dict[str, dict[str, Any]]
    config: ReconcileConfig = DEFAULT_CONFIG
    outputs: list[Output] = field(default_factory=list)
    _records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _claims: dict[int, tuple[Mapping[str, Any], Claim]] = field(default_factory=dict)
    #: article id -> its claims about any occasion but the main one (``told_elsewhere``)
    elsewhere: dict[str, list[Claim]] | None = None
    #: article id -> its main-occasion claims of the happening (``told_apart``)
    main: dict[str, list[Claim]] | None = None
    #: article id -> its claims of any comparable occasion (``anchored``)
    comparable: dict[str, list[Claim]] | None = None
    #: The article being applied: its claims, all known before the first is compared.
    incoming: tuple[str, Sequence[Claim]] | None = None
    #: While an absorbed event is folded in: its articles, whose claim updates among
    #: themselves were said already under the event that held them.
    folding: frozenset[str] = frozenset()

    def state(self) -> dict[str, Any]:
        return {"articles": self.articles, "slots": self.slots, "contradictions": self.contradictions}

    def records(self, slot: str) -> list[dict[str, Any]]:
        """The slot's records as dicts (decoded once per call; do not mutate)."""
        recs = self._records.get(slot)
        if recs is None:
            recs = self._records[slot] = [_decode(b, self.articles) for b in self.slots.get(slot, ())]
        return recs

    def claim(self, rec: Mapping[str, Any]) -> Claim:
        """``rec``'s claim, parsed once per call (a record is compared many times).

        Keyed by identity; the cache holds the record, so its id is not reused.
        """
        hit = self._claims.get(id(rec))
        if hit is not None and hit[0] is rec:
            return hit[1]
        claim = _claim(rec)
        self._claims[id(rec)] = (rec, claim)
        return claim

    def append(self, slot: str, rec: dict[str, Any]) -> None:
        recs = self.records(slot)
        self.slots[slot] = [*self.slots.get(slot, ()), _encode(rec, self.articles)]
        self._records[slot] = [*recs, rec]

    def keep(self, slot: str, keep: Sequence[bool]) -> None:
        """Keep the slot's records where ``keep`` is true (in order)."""
        self._records[slot] = [r for r, k in zip(self.records(slot), keep, strict=True) if k]
        self.slots[slot] = [b for b, k in zip(self.slots[slot], keep, strict=True) if k]


#: Logical output topic of ``merge_in`` records: back to the per-event topic, keyed by
#: the survivor.  Internal: drivers route it to that topic, never to consumers.
BY_EVENT = "by_event"
#: Most absorbed event ids a state remembers (to drop a redelivered ``merge_in``).
MAX_ABSORBED = 64


#: Prefix of the hand-over token of a split (``split_token``): distinct from any event
#: id, so a later merge of the source into the new event is awaited on its own.
SPLIT_PREFIX = "split:"


def split_token(source_event_id: str) -> str:
    """What the new event of a split awaits: the hand-over from ``source_event_id``."""
    return SPLIT_PREFIX + source_event_id


def reconcile(
    state: Mapping[str, Any] | None, msg: Routed, config: ReconcileConfig = DEFAULT_CONFIG
) -> tuple[dict[str, Any] | None, list[Output]]:
    """Apply one routed message to one event's state. Pure: ``state`` is not modified."""
    if msg.op == "merge_in":
        return _merge_in(state, msg, config)
    return _step(state, msg, config)


def _step(
    state: Mapping[str, Any] | None, msg: Routed, config: ReconcileConfig
) -> tuple[dict[str, Any] | None, list[Output]]:
    """Any op but ``merge_in``: held in ``pending`` while an earlier one waits for a merge.

    Holding every later message keeps the event's own order, so the outputs do not
    depend on when the absorbed event's state arrives.
    """
    pending = (state or {}).get("pending") or []
    if pending or not _ready(state, msg):
        blob = orjson.dumps(msg.to_json())
        if any(orjson.dumps(p) == blob for p in pending):
            return dict(state or {}), []  # a redelivery of a message already held
        return {**(state or empty_state()), "pending": [*pending, msg.to_json()]}, []
    return _apply(state, msg, config)


def _ready(state: Mapping[str, Any] | None, msg: Routed) -> bool:
    """Every event ``msg`` waits for was folded in, or its state is in the inbox."""
    if not msg.await_merge:
        return True
    if state is None:
        return False
    have = {*state.get("absorbed", ()), *state.get("inbox", {})}
    return all(b in have for b in msg.await_merge)


def _merge_in(
    state: Mapping[str, Any] | None, msg: Routed, config: ReconcileConfig
) -> tuple[dict[str, Any] | None, list[Output]]:
    """An absorbed event's state arrives: keep it until the message awaiting it is reached.

    It is folded in by that message (``_apply``), at its place in this event's order,
    so arriving before or after that message gives the same outputs.  Idempotent:
    a second ``merge_in`` for the same event (a redelivery, or the empty one a
    redelivered ``merge_out`` sends after the state was deleted, always later in
    this partition) changes nothing.
    """
    absorbed_id = msg.merged_event_id or ""
    if state is None:
        if not absorbed_id.startswith(SPLIT_PREFIX):
            return None, []  # this event was itself absorbed or expired since: a late redelivery
        # A split's hand-over may reach the new event before the message awaiting it.
        state = empty_state()
    if absorbed_id in state.get("absorbed", ()) or absorbed_id in state.get("inbox", {}):
        return dict(state), []
    waiting = {k: v for k, v in state.items() if k != "pending"}
    waiting["inbox"] = {**state.get("inbox", {}), absorbed_id: msg.absorbed}
    current: dict[str, Any] | None = waiting
    outputs: list[Output] = []
    for held in state.get("pending") or ():
        current, more = _step(current, Routed.from_json(held), config)
        outputs += more
    return current, outputs


def _apply(
    state: Mapping[str, Any] | None, msg: Routed, config: ReconcileConfig
) -> tuple[dict[str, Any] | None, list[Output]]:
    """Apply a message whose awaited merges are all here: fold those first, in its order."""
    if msg.op == "expire":
        return None, []
    base = state or empty_state()
    if msg.op == "merge_out":
        # Hand the whole claims state to the survivor and delete it here.  Outputs are
        # acknowledged before the deletion is written, so a crash re-sends this one.
        carried = (
            {"articles": base["articles"], "slots": base["slots"], "contradictions": _open_of(base)}
            if state
            else None
        )
        merge_in = Routed(
            op="merge_in", event_id=msg.into or "", merged_event_id=msg.event_id, absorbed=carried
        )
        return None, [Output(BY_EVENT, msg.into or "", merge_in.to_json())]
    if msg.op == "split_out":
        return _split_out(state, msg)
    work = _Work(
        event_id=msg.event_id,
        articles=dict(base["articles"]),
        slots=dict(base["slots"]),
        contradictions=dict(base["contradictions"]),
        config=config,
    )
    absorbed = list(base.get("absorbed", ()))
    inbox = dict(base.get("inbox", {}))
    for other in msg.await_merge:
        if other not in absorbed:
            _fold(work, inbox.pop(other, None))
            absorbed = [*absorbed, other][-MAX_ABSORBED:]
    _apply_article(work, msg)
    new = work.state()
    if absorbed:
        new["absorbed"] = absorbed
    if inbox:
        new["inbox"] = inbox
    if base.get("handed"):
        new["handed"] = base["handed"]
    return new, work.outputs


def _open_of(state: Mapping[str, Any]) -> dict[str, Any]:
    """The open contradictions of ``state`` (what a merge hands to the survivor)."""
    return {cid: k for cid, k in state["contradictions"].items() if k["status"] == "open"}


def _split_out(state: Mapping[str, Any] | None, msg: Routed) -> tuple[dict[str, Any] | None, list[Output]]:
    """Hand the moved articles' claims to the new event (``msg.into``) and keep the rest.

    An open contradiction whose sides end in different events is resolved (reason
    ``split``); an open one whose claims all moved leaves with them under its id (the
    new event holds it, and does not raise it again when it folds them in); one with
    claims on both sides left here stands, without the moved claims.  The new event is
    recorded in ``handed``: the hand-over was acknowledged before this state was
    written, so a redelivery sends nothing more (a re-run on the old state sends the
    same ``merge_in``, which the new event drops).
    """
    target = msg.into or ""
    token = split_token(msg.event_id)
    if state is None:
        merge_in = Routed(op="merge_in", event_id=target, merged_event_id=token, absorbed=None)
        return None, [Output(BY_EVENT, target, merge_in.to_json())]
    if target in state.get("handed", ()):
        return dict(state), []
    moved = set(msg.moved)
    work = _Work(
        event_id=msg.event_id,
        articles=dict(state["articles"]),
        slots=dict(state["slots"]),
        contradictions=dict(state["contradictions"]),
    )
    carried_slots: dict[str, list[str]] = {}
    by_id: dict[str, dict[str, Any]] = {}  # the moved claims
    for slot in sorted(work.slots):
        recs = work.records(slot)
        keep = [r["article_id"] not in moved for r in recs]
        if all(keep):
            continue
        carried_slots[slot] = [b for b, k in zip(work.slots[slot], keep, strict=True) if not k]
        by_id.update((r["id"], r) for r, k in zip(recs, keep, strict=True) if not k)
        work.keep(slot, keep)
        if not work.slots[slot]:
            del work.slots[slot]
    carried_articles = {a: m for a, m in state["articles"].items() if a in moved}
    for aid in carried_articles:
        del work.articles[aid]
    moved_claims = set(by_id)
    carried_contradictions: dict[str, dict[str, Any]] = {}
    for cid in sorted(work.contradictions):
        k = work.contradictions[cid]
        a_left = [i for i in k["a"] if i not in moved_claims]
        b_left = [i for i in k["b"] if i not in moved_claims]
        if len(a_left) == len(k["a"]) and len(b_left) == len(k["b"]):
            continue
        if not a_left and not b_left:
            # It leaves with the moved articles, under its id: the new event holds it open.
            k = work.contradictions.pop(cid)
            if k["status"] == "open":
                carried_contradictions[cid] = k
        elif a_left and b_left:
            work.contradictions[cid] = {**k, "a": a_left, "b": b_left}
        elif k["status"] == "open":
            sides = [by_id.get(i) or _find(work, i) for i in (*k["a"][:1], *k["b"][:1])]
            text = f"split into {target}"
            claims = [r for r in sides if r]
            _withdraw(
                work,
                msg.event_id,
                cid,
                reason="split",
                by=target,
                text=text,
                claims=claims,
                new_event_id=target,
            )
    carried = {"articles": carried_articles, "slots": carried_slots, "contradictions": carried_contradictions}
    merge_in = Routed(op="merge_in", event_id=target, merged_event_id=token, absorbed=carried)
    work.outputs.append(Output(BY_EVENT, target, merge_in.to_json()))
    new = {k: v for k, v in state.items() if k not in ("articles", "slots", "contradictions")}
    new.update(work.state())
    new["handed"] = [*state.get("handed", ()), target][-MAX_ABSORBED:]
    return new, work.outputs


def _withdraw_told_as_other(work: _Work, article_id: str, claims: Sequence[Claim]) -> None:
    """An arriving report gives a figure to another happening ("the 2019 ban of 12
    months"), and an open contradiction has that figure on one side: the rule of
    :func:`told_as_other_happening` would not have raised it, had this report come first.
    It is resolved (reason ``other_happening``), so the verdict does not depend on the
    order in which reports arrive."""
    mine = [c for c in claims if c.occasion.kind == "main"]
    others = [c for c in claims if _sets_apart(c) and not any(_tells_same(c, own) for own in mine)]
    if not others:
        return
    for cid in sorted(work.contradictions):
        k = work.contradictions[cid]
        if k["status"] != "open":
            continue
        by_id = {r["id"]: r for r in work.records(k["slot"])}
        sides = [by_id[i] for i in (*k["a"], *k["b"]) if i in by_id]
        mains = [r for r in sides if work.claim(r).occasion.kind == "main"]
        told = next((r for r in mains if any(_tells_same(o, work.claim(r)) for o in others)), None)
        if told is None:
            continue
        text = f"{article_id} gives {claimlib.describe(work.claim(told))} to another happening"
        _withdraw(work, work.event_id, cid, reason="other_happening", by=article_id, text=text, claims=[told])


def _withdraw(
    work: _Work,
    event_id: str,
    cid: str,
    *,
    reason: str,
    by: str,
    text: str,
    claims: Sequence[Mapping[str, Any]],
    **fields: Any,
) -> None:
    """Resolve open contradiction ``cid`` for ``reason`` (not a supersession), and say so."""
    work.contradictions[cid] = {
        **work.contradictions[cid],
        "status": "resolved",
        "resolved_by": f"{reason}:{by}",
    }
    work.outputs.append(
        update(
            "contradiction_resolved",
            event_id,
            [cid, reason, by],
            event_id=event_id,
            contradiction_id=cid,
            resolved_by=text,
            reason=reason,
            **fields,
            **({"claims": [_public(r) for r in claims]} if claims else {}),
        )
    )


def _sets_apart(claim: Claim) -> bool:
    """The claim is told of another happening that a date marks ("in March 2021", "in
    2019"): an ``earlier`` occasion keyed by a year, of the happening (not a person's).
    Not a relative frame ("last week's collapse"), nor an ``other_incident`` read from
    "two days after a storm killed 11" or "a second blast", which a follow-up or a report
    of a many-part happening uses for its own happening."""
    occasion = claim.occasion
    if claim.subject.startswith(_PERSON):
        return False  # a person's age or office at a time: their own rules (asof, era)
    return occasion.kind == "earlier" and (occasion.key or "")[:4].isdigit()


def _tells_same(other: Claim, claim: Claim) -> bool:
    """``other`` states ``claim``'s value for the same subject and measure."""
    return (
        other.kind == claim.kind
        and other.subject == claim.subject
        and other.predicate.partition(":")[0] == claim.predicate.partition(":")[0]
        and claimlib.relate(other, claim, rules=False) == "same"
    )


def _find(work: _Work, claim_id: str) -> dict[str, Any] | None:
    for slot in sorted(work.slots):
        for rec in work.records(slot):
            if rec["id"] == claim_id:
                return rec
    return None


def _apply_article(work: _Work, msg: Routed) -> None:
    if msg.op == "split":
        return  # the new event of a split: its moved claims were folded in by ``_apply``
    if msg.op == "duplicate":
        _corrections(work, msg)
        return
    previous = work.articles.get(msg.article_id)
    if previous is not None and previous.get("h") == msg.content_hash:
        return  # already applied: at-least-once redelivery is a no-op
    if previous is not None:
        _remove_article_claims(work, msg.article_id)
    meta: dict[str, Any] = {"h": msg.content_hash, "src": msg.source, "pub": msg.published_at}
    if msg.reference:
        meta["ref"] = dict(msg.reference)
    if msg.signature:
        meta["sig"] = dict(msg.signature)
    work.articles[msg.article_id] = meta
    work.incoming = (msg.article_id, msg.claims)
    work.elsewhere = work.main = work.comparable = None
    _withdraw_told_as_other(work, msg.article_id, msg.claims)
    seen: set[tuple[str, str]] = set()
    for claim in msg.claims:
        rec = _record(msg, claim)
        dedupe_key = (claim.slot, rec["id"])
        if dedupe_key in seen:
            continue
        seen.add(dedupe_key)
        _add_claim(work, rec)


def _fold(work: _Work, absorbed: Mapping[str, Any] | None) -> None:
    """An absorbed event's claims, added as if its articles arrived now, in its order.

    The same rules run, so what the absorbed event's claims and this event's
    disagree on is raised under this event's id; its own open disagreements come
    under their ids and are met, not raised again (:func:`_rejoin`), and the claim
    updates it made among its own claims are not repeated (:func:`_said_before`).
    Claims of one article are compared only within their slot, so taking an
    article's claims slot by slot (each slot in its stored order) only orders outputs.
    """
    if not absorbed:
        return
    # Its open contradictions come under their own ids: folding its claims in meets the
    # same disagreements again, and they are not raised a second time (``_rejoin``).
    for cid, k in sorted((absorbed.get("contradictions") or {}).items()):
        work.contradictions.setdefault(cid, k)
    articles = absorbed["articles"]
    by_article: dict[str, list[dict[str, Any]]] = {aid: [] for aid in articles}
    for slot in sorted(absorbed["slots"]):
        for blob in absorbed["slots"][slot]:
            rec = _decode(blob, articles)
            by_article[rec["article_id"]].append(rec)
    work.folding = frozenset(articles)
    for aid, meta in articles.items():
        if aid in work.articles:
            continue  # an article belongs to one event; a copy here is the newer version
        work.articles[aid] = meta
        work.incoming = (aid, [work.claim(rec) for rec in by_article[aid]])
        work.elsewhere = work.main = work.comparable = None
        _withdraw_told_as_other(work, aid, work.incoming[1])
        for rec in by_article[aid]:
            _add_claim(work, rec)
    work.folding = frozenset()


# --------------------------------------------------------------------------- records


def _record(msg: Routed, claim: Claim) -> dict[str, Any]:
    """A claim as stored in the event state and as published in records.

    A claim from an embedded social-media post belongs to that account, not to the
    outlet that quoted it: its source is the handle, so the outlet disagreeing with
    a post it embeds is not a self-contradiction, and a post does not count as the
    outlet's corroboration.
    """
    source = msg.source
    if claim.attribution.kind == "social" and claim.attribution.name:
        source = claim.attribution.name
    return {
        "id": stable_id("cl", msg.article_id, claim.slot, claim.span[0], claim.span[1]),
        "article_id": msg.article_id,
        "source": source,
        "published_at": msg.published_at,
        "claim": claim.to_json(),
    }


def _claim(rec: Mapping[str, Any]) -> Claim:
    return Claim.from_json(rec["claim"])


def _public(rec: Mapping[str, Any], side: str | None = None) -> dict[str, Any]:
    """The published shape of a claim (``schemas/claim.schema.json``)."""
    c = rec["claim"]
    out: dict[str, Any] = {
        "article_id": rec["article_id"],
        "source": rec["source"],
        "text": c["sentence"],
        "value": c["value"],
        "raw": c["raw"],
        "span": c["span"],
        "kind": c["kind"],
        "subject": c["subject"],
        "predicate": c["predicate"],
        "attribution": c["attribution"],
        "hedges": c["hedges"],
        "occasion": c.get("occasion") or dict(_MAIN),
    }
    if rec.get("published_at"):
        out["published_at"] = rec["published_at"]
    if side is not None:
        out["side"] = side
    return out


def _remove_article_claims(work: _Work, article_id: str) -> None:
    for slot in sorted(work.slots):
        keep = [r["article_id"] != article_id for r in work.records(slot)]
        if not all(keep):
            work.keep(slot, keep)


# --------------------------------------------------------------------------- the rules


def _add_claim(work: _Work, rec: dict[str, Any]) -> None:
    claim = work.claim(rec)
    slot = claim.slot
    existing = work.records(slot)
    if not claim.occasion.comparable:
        # Abstain: nothing says which happening this figure is about (or it is one no
        # other article can be shown to mean), so it is recorded and never compared.
        _claim_update(work, "claim_added", slot, [rec])
        if len(existing) < MAX_CLAIMS_PER_SLOT:
            work.append(slot, rec)
        return
    by_id = {r["id"]: r for r in existing}
    relations = [(r, claimlib.relate(work.claim(r), claim)) for r in existing]
    conflicts = [r for r, rel in relations if rel == "conflict"]
    if claim.kind == "role" and conflicts:
        conflicts = [r for r in conflicts if not _co_held([*existing, rec], r, rec)]
        # An office is held at a time: an undated report that names only years long before
        # the other's tells an earlier time, when the person may have held another.
        aid = rec["article_id"]
        conflicts = [r for r in conflicts if not _other_era(work.articles, r["article_id"], aid)]
    if conflicts and claim.occasion.kind in ("main", "planned") and claim.predicate != "age":
        # The main occasion is a happening at a time: two reports dated weeks apart speak of
        # two happenings (or of one long story whose figures moved on), not of one; a plan
        # reported weeks apart may simply have changed.
        conflicts = [r for r in conflicts if not _far_apart(work, r, rec)]
    if conflicts:
        # A report that gives the other's figure to another occasion says what it is about.
        conflicts = [
            r
            for r in conflicts
            if not told_elsewhere(work, rec["article_id"], work.claim(r))
            and not told_elsewhere(work, r["article_id"], claim)
        ]
    if conflicts:
        # A figure that a report of this event gives to another happening ("a 12-month ban
        # in 2019", "the March 2021 fire that killed three"): a report stating it as its own
        # main figure may well be a report of that happening, grouped here with this one.
        if told_as_other_happening(work, claim):
            conflicts = []
        conflicts = [r for r in conflicts if not told_as_other_happening(work, work.claim(r))]
    if conflicts:
        # Two reports whose identity facts conflict may be of two happenings grouped as one:
        # their figures are not compared (see "Two reports of two happenings").
        conflicts = [
            r
            for r in conflicts
            if not other_happenings(work.articles, r["article_id"], rec["article_id"])
            and not other_days(work, r, rec, claim)
            and not told_apart(work, r["article_id"], rec["article_id"])
        ]
    if conflicts:
        # Nothing but their grouping says two undated reports tell one happening unless they
        # agree on some other fact: look-alike happenings are grouped on words alone.
        conflicts = [r for r in conflicts if anchored(work, r["article_id"], rec["article_id"], slot)]

    # An evolving figure in reports far enough apart in time: the later one revises the
    # earlier, whichever arrived first (a late-arriving older report is already outdated).
    superseded = [r for r in conflicts if _supersedes(work, r, rec)]
    outdated_by = [r for r in conflicts if r not in superseded and _supersedes(work, rec, r)]
    for old in superseded:
        _superseded(work, slot, old, rec)
        _resolve_contradictions_of(work, old, rec)
    if outdated_by:
        _superseded(work, slot, rec, outdated_by[0])
    conflicts = [r for r in conflicts if r not in superseded and r not in outdated_by]
    # One source's two articles: a newsroom revises its own figure (superseded above when
    # the two are far enough apart in time), or writes about another happening; it does
    # not dispute itself.  "Sources disagree" takes two sources (one article quoting two
    # voices is handled in _open_contradiction).
    conflicts = [r for r in conflicts if r["source"] != rec["source"] or r["article_id"] == rec["article_id"]]

    covered: set[str] = set()
    for cid in sorted(work.contradictions):
        k = work.contradictions[cid]
        if k["status"] != "open" or k["slot"] != slot:
            continue
        side_a = [by_id[i] for i in k["a"] if i in by_id]
        side_b = [by_id[i] for i in k["b"] if i in by_id]
        if not side_a or not side_b:
            continue
        join = _side_to_join(work, claim, side_a, side_b)
        if join is None:
            continue
        joined, opposite = (side_a, side_b) if join == "a" else (side_b, side_a)
        covered.update(r["id"] for r in opposite)
        _extend(work, cid, join, rec, announce=rec["source"] not in {r["source"] for r in joined})

    remaining = [r for r in conflicts if r["id"] not in covered]
    for group in _compatible_groups(work, remaining):
        _open_contradiction(work, slot, rec, group)

    if not conflicts and not superseded and not outdated_by:
        same = [r for r, rel in relations if rel == "same" and r["source"] != rec["source"]]
        refined = [r for r, rel in relations if rel == "refines"]
        new_source = rec["source"] not in {r["source"] for r, rel in relations if rel == "same"}
        if not existing:
            _claim_update(work, "claim_added", slot, [rec])
        elif same and new_source:
            _claim_update(work, "claim_corroborated", slot, [same[0], rec])
        elif refined:
            _claim_update(work, "claim_refined", slot, [refined[0], rec])

    if len(existing) < MAX_CLAIMS_PER_SLOT:
        work.append(slot, rec)


def _said_before(work: _Work, recs: Sequence[Mapping[str, Any]]) -> bool:
    """An update relating only claims of the event being folded in: the event that held
    them said it already, and a consumer moves what it said along with the event."""
    return bool(work.folding) and all(r["article_id"] in work.folding for r in recs)


def _claim_update(work: _Work, type_: str, slot: str, recs: list[dict[str, Any]]) -> None:
    """An update about the last claim of ``recs`` (earlier ones are what it relates to)."""
    if _said_before(work, recs):
        return
    work.outputs.append(
        update(
            type_,
            work.event_id,
            [work.event_id, recs[-1]["id"]],
            event_id=work.event_id,
            slot=slot,
            claims=[_public(r) for r in recs],
        )
    )


#: How close to a person's name two titles must stand to be read as held together.
CO_HELD_WINDOW = 80


def _co_held(recs: Sequence[Mapping[str, Any]], a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Some source names both offices for this person at once ("President and General
    Manager Billy King"): one person holding two offices is not a contradiction."""
    office_a = str(a["claim"]["value"].get("office") or "").lower()
    office_b = str(b["claim"]["value"].get("office") or "").lower()
    surname = str(a["claim"]["subject"]).partition(":")[2].replace("_", " ")
    if not office_a or not office_b or not surname:
        return False
    for r in recs:
        sentence = str(r["claim"]["sentence"]).lower()
        start = sentence.find(surname[: max(3, len(surname) - 1)])
        while start >= 0:
            window = sentence[max(0, start - CO_HELD_WINDOW) : start + len(surname) + CO_HELD_WINDOW]
            if _names_both(window, office_a, office_b):
                return True
            start = sentence.find(surname[: max(3, len(surname) - 1)], start + 1)
    return False


def _names_both(window: str, a: str, b: str) -> bool:
    """Both offices stand in ``window``.  A deputy's or an assistant's office names no
    office it deputises for ("deputy governor" is no governor), so then the shorter must
    stand outside the longer; a less specific office read inside a more specific one
    ("minister" in "finance minister") is the same person's, as before."""
    long, short = (a, b) if len(a) >= len(b) else (b, a)
    words = long.split() or [""]
    rank = words[1] if len(words) > 2 and words[0] in ORDINALS else words[0]
    if rank in SUBORDINATE_RANKS and long.endswith(" " + short):
        return long in window and short in window.replace(long, " ")
    return long in window and short in window


def _side_to_join(
    work: _Work, claim: Claim, side_a: list[dict[str, Any]], side_b: list[dict[str, Any]]
) -> str | None:
    rel_a = [claimlib.relate(work.claim(r), claim) for r in side_a]
    rel_b = [claimlib.relate(work.claim(r), claim) for r in side_b]
    if all(r == "conflict" for r in rel_b) and not any(r == "conflict" for r in rel_a):
        return "a"
    if all(r == "conflict" for r in rel_a) and not any(r == "conflict" for r in rel_b):
        return "b"
    return None


def _compatible_groups(work: _Work, recs: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split claims into groups whose members do not conflict with each other (greedy, in order)."""
    groups: list[list[dict[str, Any]]] = []
    for rec in recs:
        c = work.claim(rec)
        for group in groups:
            if all(claimlib.relate(work.claim(g), c) != "conflict" for g in group):
                group.append(rec)
                break
        else:
            groups.append([rec])
    return groups


def _superseded(work: _Work, slot: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    if _said_before(work, [old, new]):
        return
    work.outputs.append(
        update(
            "claim_superseded",
            work.event_id,
            [work.event_id, slot, old["id"], new["id"]],
            event_id=work.event_id,
            slot=slot,
            claims=[_public(old), _public(new)],
            summary=f"{new['source']} revises {claimlib.describe(work.claim(old))} "
            f"to {claimlib.describe(work.claim(new))}",
        )
    )


def told_elsewhere(work: _Work, article_id: str, claim: Claim) -> bool:
    """The article states ``claim``'s value for the same subject and measure, but about
    another occasion than the main one: "the 2021 collapse killed nine workers" in a
    report of a new collapse, next to another report's "nine killed".  The article knows
    that figure and gives it to another happening (an earlier one, a part, a plan), so a
    report stating it is read as telling that one, or as an earlier figure this report
    updates: no "sources disagree" either way."""
    return any(_tells_same(other, claim) for other in _elsewhere_of(work, article_id))


def told_as_other_happening(work: _Work, claim: Claim) -> bool:
    """Some report of the event gives ``claim``'s value, for the same subject and measure,
    to another happening, a dated earlier one (:func:`_sets_apart`): "Okoro served a 12-month ban
    in 2019" in a report of his eight-year ban, next to another report's "handed a 12-month
    ban".  The event then holds, or recalls, a happening whose figure that is, and a report
    giving it as its own may be a report of that happening grouped with this one: its
    figure is not compared (:func:`told_elsewhere` is the case where one of the two reports
    compared is the teller).  A report that gives the value to its own happening too sets
    nothing apart, and neither does a relative frame ("13 died in last week's collapse",
    read as an earlier week's: a follow-up's own happening).  Only a main-occasion figure
    is read so: figures of one earlier occasion ("inflation in March") are that
    occasion's, compared with each other."""
    if claim.occasion.kind != "main" or claim.subject.startswith(_PERSON):
        return False
    for article_id in work.articles:
        if any(
            _sets_apart(other) and _tells_same(other, claim) for other in _elsewhere_of(work, article_id)
        ) and not any(_tells_same(own, claim) for own in _main_of(work, article_id)):
            return True
    return False


#: Occasions that are another happening than the report's own: a dated earlier one
#: ("in March 2021, a rockfall killed nine") and another incident ("a second blast").
#: Not a part, a plan, or a figure since superseded, which are of the same happening.
_OTHER_HAPPENING = frozenset({"earlier", "other_incident"})
#: A person's figures (an age, an office) are not the happening's.
_PERSON = "person:"


def told_apart(work: _Work, a: str, b: str) -> bool:
    """One report tells the other's main figure as another happening's, and its own
    main figure of that measure differs: "a crane collapse killed three workers on
    Thursday … the same company whose crane fell in November 2015, killing two people"
    against a report of a crane collapse "killing two".  The first report knows the
    second's happening and calls it another, so none of their figures are compared (the
    toll, the injured, the time), whichever grouping joined them."""
    if a == b:
        return False
    return _tells_as_other(work, a, b) or _tells_as_other(work, b, a)


def _tells_as_other(work: _Work, teller: str, told: str) -> bool:
    others = [c for c in _elsewhere_of(work, teller) if c.occasion.kind in _OTHER_HAPPENING]
    if not others:
        return False
    theirs = _main_of(work, told)
    if not theirs:
        return False
    mine = _main_of(work, teller)
    for other in others:
        family = (other.kind, other.subject, other.predicate.partition(":")[0])
        for their in theirs:
            if (their.kind, their.subject, their.predicate.partition(":")[0]) != family:
                continue
            if claimlib.relate(other, their, rules=False) != "same":
                continue
            if any(
                (own.kind, own.subject, own.predicate.partition(":")[0]) == family
                and claimlib.relate(own, their, rules=False) == "conflict"
                for own in mine
            ):
                return True
    return False


def anchored(work: _Work, a: str, b: str, slot: str) -> bool:
    """Something besides their grouping says reports ``a`` and ``b`` tell one happening
    (see "Two undated reports" in docs/architecture.md): one of them is dated (the date
    rules above then keep reports of other times apart), or they agree on another fact
    (a toll, a person's office, a date), compared as any two claims of a slot are.

    Two undated reports that share no fact are grouped on their words alone, and
    look-alike happenings (two strikes at one airline, two surgeries by one team) word
    alike: their figures are not compared.  A person's figures (an age, an office) are
    the named person's, whichever happening each report tells of."""
    if a == b or slot.startswith(_PERSON):
        return True  # a named person is one person: their age or office needs no happening
    if reference_of(work.articles, a) is not None or reference_of(work.articles, b) is not None:
        return True
    mine: dict[str, list[Claim]] = {}
    for c in _comparable_of(work, a):
        if c.slot != slot:
            mine.setdefault(c.slot, []).append(c)
    return any(
        claimlib.relate(other, c) in _AGREE for c in _comparable_of(work, b) for other in mine.get(c.slot, ())
    )


#: Relations of two claims that agree on a fact (one may be the more precise).
_AGREE = frozenset({"same", "refines", "generalizes"})


def _comparable_of(work: _Work, article_id: str) -> list[Claim]:
    """An article's claims of a comparable occasion (the incoming article's from its
    message, a stored one's from the slots, indexed once per call as :func:`_main_of`)."""
    if work.incoming is not None and work.incoming[0] == article_id:
        return [c for c in work.incoming[1] if c.occasion.comparable]
    if work.comparable is None:
        work.comparable = {}
        for slot in sorted(work.slots):
            for rec in work.records(slot):
                claim = work.claim(rec)
                if claim.occasion.comparable:
                    work.comparable.setdefault(rec["article_id"], []).append(claim)
    return work.comparable.get(article_id, [])


def _main_of(work: _Work, article_id: str) -> list[Claim]:
    """An article's main-occasion claims of the happening (not a person's), as
    :func:`_elsewhere_of` finds its others."""
    if work.incoming is not None and work.incoming[0] == article_id:
        incoming = work.incoming[1]
        return [c for c in incoming if c.occasion.kind == "main" and not c.subject.startswith(_PERSON)]
    if work.main is None:
        work.main = {}
        for slot in sorted(work.slots):
            head = slot.partition("|")[0]
            if "@" in head or head.startswith(_PERSON):
                continue
            for rec in work.records(slot):
                work.main.setdefault(rec["article_id"], []).append(work.claim(rec))
    return work.main.get(article_id, [])


def _elsewhere_of(work: _Work, article_id: str) -> list[Claim]:
    """An article's claims about any occasion but the main one (the incoming article's
    from its message, a stored one's from the slots, indexed once per call)."""
    if work.incoming is not None and work.incoming[0] == article_id:
        return [c for c in work.incoming[1] if c.occasion.kind != "main"]
    if work.elsewhere is None:
        work.elsewhere = {}
        for slot in sorted(work.slots):
            if "@" not in slot.partition("|")[0]:
                continue  # a main-occasion slot
            for rec in work.records(slot):
                claim = work.claim(rec)
                if claim.occasion.kind != "main":
                    work.elsewhere.setdefault(rec["article_id"], []).append(claim)
    return work.elsewhere.get(article_id, [])


def other_happenings(articles: Mapping[str, Any], a: str, b: str) -> bool:
    """The two articles' signatures conflict on an identity fact read from their text (a
    date, a place, the main person, the kind of place struck): read alone, they tell two
    happenings, whatever grouped them into one event.  A contradiction between them
    would compare two happenings' figures, so none is raised.  The facts read from
    claims (final scores, money amounts) are left out: they are the figures compared.
    (The days of the week each figure is told of: :func:`other_days`.)"""
    if a == b:
        return False
    sa = (articles.get(a) or {}).get("sig")
    sb = (articles.get(b) or {}).get("sig")
    if not sa or not sb:
        return False
    mine = replace(Signature.from_json(sa), scores=(), amounts=())
    theirs = replace(Signature.from_json(sb), scores=(), amounts=())
    if what_conflict(mine, theirs):
        return True
    return bool(signature_conflicts(mine, frozenset(sa.get("n") or ()), theirs, frozenset(sb.get("n") or ())))


def other_days(work: _Work, stored: Mapping[str, Any], rec: Mapping[str, Any], claim: Claim) -> bool:
    """A figure of the happening (any subject but a person's) told of days of the week
    the other's never names: "three people died in Wednesday's avalanche" against "an
    avalanche killed four on Saturday".  Each figure is of the days its own sentence
    names, else of the days its article's headline and lead name
    (:func:`~worker.core.signature.weekdays_apart`).  Two happenings, or two stages of
    one (a toll on Sunday and on Tuesday): no disagreement either way.  A person's age
    or office is the same whichever day each report tells of, and a date or a time
    states the when itself: "late Monday" against "on Sunday" is the disagreement."""
    if claim.subject.startswith("person:") or claim.kind in ("date", "time"):
        return False
    mine = _days_of(work.articles, rec["article_id"], claim.sentence)
    return weekdays_apart(mine, _days_of(work.articles, stored["article_id"], work.claim(stored).sentence))


def _days_of(articles: Mapping[str, Any], article_id: str, sentence: str) -> tuple[int, ...]:
    days = weekdays_of("", sentence)
    if days:
        return days
    return tuple(int(k) for k in ((articles.get(article_id) or {}).get("sig") or {}).get("k") or ())


def reference_of(articles: Mapping[str, Any], article_id: str) -> ReferenceTime | None:
    """An article's reference time as the event state holds it (older states: from ``pub``)."""
    meta = articles.get(article_id) or {}
    ref = reftime_from_json(meta.get("ref"))
    if ref is None and meta.get("pub"):
        days = publication_days(str(meta["pub"]), None)
        if days is not None:
            ref = ReferenceTime(days[0], days[1], "published_at", _instant(str(meta["pub"])))
    return ref


#: Reports whose reference times are further apart than this describe different main
#: occasions (ages carry their own time, see ``claims.relate``).
MAIN_OCCASION_DAYS = 30


def _other_era(articles: Mapping[str, Any], a: str, b: str) -> bool:
    """One report is dated and the other, undated, names only years two and more before
    it (``signature.era_conflict``): they tell two times."""
    sa = Signature.from_json((articles.get(a) or {}).get("sig"))
    sb = Signature.from_json((articles.get(b) or {}).get("sig"))
    return era_conflict_between(
        sa.years, (sa.days,) if sa.days else (), sb.years, (sb.days,) if sb.days else ()
    )


def _far_apart(work: _Work, a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    ra = reference_of(work.articles, a["article_id"])
    rb = reference_of(work.articles, b["article_id"])
    if ra is None or rb is None:
        return False
    return (max(ra.lo, rb.lo) - min(ra.hi, rb.hi)).days > MAIN_OCCASION_DAYS


def _supersedes(work: _Work, old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """``new`` is a later report (by at least the order gap) revising ``old``: a value
    ``old`` called preliminary, or an evolving figure (a toll) that grew.

    "Later" comes from the two articles' reference times (``published_at``, else a
    dateline or a date in the text); without both, arrival order alone is not evidence.
    A count told as grown ("the toll rose to 15") is the latest at its writing, and still
    growing: a lower count is older, and a higher one later unless its report is known to
    be the earlier.
    Fixed facts (an age at death, a score, a magnitude, a duration) are never evolving.
    """
    old_claim = old["claim"]
    predicate = str(old_claim.get("predicate", "")).lower()
    evolving = old_claim.get("kind") == "quantity" and any(w in predicate for w in EVOLVING_PREDICATE_WORDS)
    if evolving and RISEN in (new["claim"].get("hedges") or ()):
        # "the toll rose to 15": the writer says the count grew, so a lower one is older
        return _low(new["claim"]["value"]) >= _low(old_claim["value"])
    old_ref = reference_of(work.articles, old["article_id"])
    new_ref = reference_of(work.articles, new["article_id"])
    if (
        evolving
        and RISEN in (old_claim.get("hedges") or ())
        and _low(new["claim"]["value"]) > _high(old_claim["value"])
        and not ordered(new_ref, old_ref, work.config.order_gap_s)
    ):
        # ... and was still growing when it was written: a higher count, unless its report
        # is known to be the earlier one, is a later count, not a rival one
        return True
    if not ordered(old_ref, new_ref, work.config.order_gap_s):
        return False
    if PRELIMINARY_HEDGES.intersection(old_claim.get("hedges") or ()):
        return True
    if evolving:
        return _low(new["claim"]["value"]) >= _low(old_claim["value"])
    return False


def _high(value: Mapping[str, Any]) -> float:
    hi = value.get("hi")
    return float(hi) if isinstance(hi, int | float) else float("inf")


def _low(value: Mapping[str, Any]) -> float:
    lo = value.get("lo")
    return float(lo) if isinstance(lo, int | float) else float("-inf")


def _resolve_contradictions_of(work: _Work, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    for cid in sorted(work.contradictions):
        k = work.contradictions[cid]
        if k["status"] == "open" and old["id"] in (*k["a"], *k["b"]):
            work.contradictions[cid] = {**k, "status": "resolved", "resolved_by": new["id"]}
            work.outputs.append(
                update(
                    "contradiction_resolved",
                    work.event_id,
                    [cid, new["id"]],
                    event_id=work.event_id,
                    contradiction_id=cid,
                    resolved_by=f"supersession by {new['article_id']}",
                    claims=[_public(old), _public(new)],
                )
            )


def _value_key(work: _Work, recs: Sequence[Mapping[str, Any]]) -> list[str]:
    return sorted({claimlib.describe(work.claim(r)) for r in recs})


def _weight(rec: Mapping[str, Any]) -> float:
    c = rec["claim"]
    w = 1.0
    if any(h not in BOUND_HEDGES for h in c.get("hedges") or ()):
        w -= HEDGE_PENALTY
    kind = (c.get("attribution") or {}).get("kind")
    if kind == "social":
        w -= SOCIAL_PENALTY
    elif kind == "speaker":
        w -= SPEAKER_PENALTY
    occasion = c.get("occasion") or _MAIN
    cue = str(occasion.get("cue") or "")
    if occasion.get("kind") == "main" and cue and cue != "person" and not cue.startswith("age"):
        # main by a reference deep in the article ("the blaze injured three …"), not by the
        # headline or lead: weaker evidence that it is this happening's figure
        w -= DEEP_PENALTY
    return max(w, 0.1)


def confidence(
    side_a: Sequence[Mapping[str, Any]], side_b: Sequence[Mapping[str, Any]], self_: bool
) -> float:
    strength = min(max(_weight(r) for r in side_a), max(_weight(r) for r in side_b))
    value = BASE_CONFIDENCE * strength * (1 - SELF_PENALTY if self_ else 1.0)
    return round(value, 3)


def _open_contradiction(work: _Work, slot: str, rec: dict[str, Any], others: list[dict[str, Any]]) -> None:
    key_a, key_b = _value_key(work, [rec]), _value_key(work, others)
    first, second = sorted([key_a, key_b])
    cid = stable_id("ctr", work.event_id, slot, first, second)
    if cid in work.contradictions:
        return
    if _rejoin(work, slot, rec, others, key_a=key_a, key_b=key_b):
        return
    # One source against itself, in one voice: a source quoting two named people who
    # disagree ("12, spokesman John Reed said" / "15, according to Dr Anna Cole") reports
    # their disagreement, it does not contradict itself.
    self_ = {rec["source"]} == {r["source"] for r in others} and {_voice(rec)} == {_voice(r) for r in others}
    work.contradictions[cid] = {
        "slot": slot,
        "a": [rec["id"]],
        "b": [r["id"] for r in others],
        "status": "open",
        "v": [key_a, key_b],
    }
    claim = work.claim(rec)
    other = work.claim(others[0])
    plural = len({r["source"] for r in others}) > 1
    explanation = (
        f"{_quoting(rec)} gives {_subject_phrase(claim)} as {claimlib.describe(claim)} "
        f"(\u201c{claim.raw}\u201d), but {_sources(others)} {'give' if plural else 'gives'} "
        f"{claimlib.describe(other)} (\u201c{other.raw}\u201d)"
        + (" \u2014 the same source contradicts itself." if self_ else ".")
    )
    value: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": cid,
        "type": "contradiction",
        "event_id": work.event_id,
        "kind": claim.kind,
        "claim_kind": claim.kind,
        "subject": claim.subject,
        "predicate": claim.predicate,
        "slot": slot,
        "rule": claimlib.RULES.get(claim.kind, "incompatible values"),
        "claims": [_public(rec, "a"), *(_public(r, "b") for r in others)],
        "explanation": explanation,
        "confidence": confidence([rec], others, self_),
        "self_contradiction": self_,
    }
    work.outputs.append(Output("contradictions", work.event_id, value))


def _rejoin(
    work: _Work,
    slot: str,
    rec: Mapping[str, Any],
    others: Sequence[Mapping[str, Any]],
    *,
    key_a: list[str],
    key_b: list[str],
) -> bool:
    """The disagreement is one an absorbed or split-off event already raised and still
    holds open (carried here under its own id, see :func:`_fold`): the claims join its
    sides, a source new to a side is announced (``contradiction_extended``), and no second
    alert is raised.  True when there was one."""
    for cid in sorted(work.contradictions):
        k = work.contradictions[cid]
        if k["status"] != "open" or k["slot"] != slot or "v" not in k:
            continue
        if k["v"] == [key_a, key_b]:
            sides = (("a", [rec]), ("b", list(others)))
        elif k["v"] == [key_b, key_a]:
            sides = (("b", [rec]), ("a", list(others)))
        else:
            continue
        for side, recs in sides:
            for r in recs:
                if r["id"] in work.contradictions[cid][side]:
                    continue
                known = {_source_of(work, i) for i in work.contradictions[cid][side]}
                _extend(work, cid, side, r, announce=r["source"] not in known)
        return True
    return False


def _extend(work: _Work, cid: str, side: str, rec: Mapping[str, Any], *, announce: bool) -> None:
    """Add ``rec`` to ``side`` of contradiction ``cid``; ``contradiction_extended`` when
    ``announce`` (its source is new to that side)."""
    k = work.contradictions[cid]
    work.contradictions[cid] = {**k, side: [*k[side], rec["id"]]}
    if announce:
        work.outputs.append(
            update(
                "contradiction_extended",
                work.event_id,
                [cid, rec["id"]],
                event_id=work.event_id,
                contradiction_id=cid,
                source=rec["source"],
                slot=k["slot"],
                claims=[_public(rec, side)],
            )
        )


def _source_of(work: _Work, claim_id: str) -> str | None:
    rec = _find(work, claim_id)
    return None if rec is None else rec["source"]


def _subject_phrase(claim: Claim) -> str:
    """A readable name for a slot: "the call's duration", "Scavino's role",
    "Russia's position on a full ceasefire"."""
    kind, _, name = claim.subject.partition(":")
    if not name:
        subject = f"the {kind.replace('_', ' ')}'s"
    elif kind == "country":
        country = pycountry.countries.get(alpha_2=name)
        label = getattr(country, "common_name", None) or getattr(country, "name", name)
        subject = f"{label}'s"
    else:
        subject = f"{name.replace('_', ' ').title()}'s"
    verb, _, topic = claim.predicate.partition(":")
    if verb == "accepts" and topic:
        what, _, scope = topic.partition("/")
        scope_text = "" if scope in ("", "any") else f"{scope} "
        return f"{subject} position on a {scope_text}{what}"
    planned = "planned " if claim.occasion.kind == "planned" else ""
    return f"{subject} {planned}{verb.replace('_', ' ')}"


def _voice(rec: Mapping[str, Any]) -> str | None:
    """The named speaker a claim is quoted from (None: the source's own voice)."""
    attribution = rec["claim"].get("attribution") or {}
    return attribution.get("name") if attribution.get("kind") == "speaker" else None


def _quoting(rec: Mapping[str, Any]) -> str:
    """A source as an explanation names it: "outlet-a (quoting John Reed)"."""
    voice = _voice(rec)
    return f"{rec['source']} (quoting {voice})" if voice else str(rec["source"])


def _sources(recs: Sequence[Mapping[str, Any]]) -> str:
    names = sorted({_quoting(r) for r in recs})
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --------------------------------------------------------------------------- corrections


def _corrections(work: _Work, msg: Routed) -> None:
    """A near-duplicate that changes a fact of its parent: a correction, not corroboration."""
    parent = msg.duplicate_of
    if parent is None:
        return
    parent_claims: dict[str, list[dict[str, Any]]] = {}
    for slot in sorted(work.slots):
        for r in work.records(slot):
            if r["article_id"] == parent:
                parent_claims.setdefault(slot, []).append(r)
    emitted: set[str] = set()
    for claim in msg.claims:
        olds = parent_claims.get(claim.slot)
        if not olds:
            continue
        rec = _record(msg, claim)
        if any(claimlib.relate(work.claim(o), claim) != "conflict" for o in olds):
            continue  # the copy still states a compatible value: not a changed fact
        old = olds[0]
        cid = stable_id(
            "cor",
            work.event_id,
            claim.slot,
            parent,
            msg.article_id,
            _value_key(work, [old]),
            _value_key(work, [rec]),
        )
        if cid in emitted:
            continue  # the copy states the same changed value twice: one correction, one content
        emitted.add(cid)
        old_claim = work.claim(old)
        value: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "id": cid,
            "type": "contradiction",
            "event_id": work.event_id,
            "kind": "correction",
            "claim_kind": claim.kind,
            "subject": claim.subject,
            "predicate": claim.predicate,
            "slot": claim.slot,
            "rule": "a copy of an article changes a fact its original stated",
            "claims": [_public(old, "a"), _public(rec, "b")],
            "explanation": (
                f"{msg.article_id} is a copy of {parent} but changes {_subject_phrase(claim)} from "
                f"{claimlib.describe(old_claim)} (\u201c{old_claim.raw}\u201d) to "
                f"{claimlib.describe(claim)} (\u201c{claim.raw}\u201d)."
            ),
            "confidence": round(BASE_CONFIDENCE * min(_weight(old), _weight(rec)), 3),
            "self_contradiction": False,
        }
        work.outputs.append(Output("contradictions", work.event_id, value))
