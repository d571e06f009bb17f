"""Near-duplicate detection: is this article a copy of one already seen?

A *copy* is the same text republished: an exact or cosmetic re-post, wire copy with a
new headline, a dropped paragraph or a syndication trailer, or a "brief" that keeps
only the first half or more of the story.  Different outlets' own reports of one
event are *not* copies, even when they quote the same statement.

Method
------
**Fingerprint** (:func:`fingerprint`, the expensive part, run in the parallel ingest
stage).  The body is normalised (:func:`worker.core.normalize.normalize_text`: NFKC,
quote/dash folding, case, page chrome and syndication trailers removed).  A first
line equal to the article's own title is dropped (unless it ends like a sentence: then
the "title" is the lead), so a new headline does not change the body; a leading wire
dateline ("LONDON (Reuters) -") is dropped; a body of fewer than ``MIN_BODY_WORDS``
words is fingerprinted together with its title (too little body to identify a story).
The text is cut into word ``SHINGLE_WORDS``-grams that never cross a sentence end or
line break, so dropping a paragraph or cutting a brief at a sentence end creates no
new shingles: such a copy's shingles are a subset of its parent's.  From the shingles:

* ``content_hash`` - BLAKE2b-128 of the normalised words: equal hashes are exact copies;
* ``minhash`` - a rensa MinHash signature (``NUM_PERM`` values, kept to their low 16
  bits: they only serve as LSH band keys, where a false match of a 2-row band needs
  two 16-bit collisions, probability 2**-32);
* ``sketch`` - a bottom-k sketch: the ``SKETCH_K`` smallest shingle hashes (top 24 bits
  of rensa's stable 64-bit token hash);
* ``n_shingles`` - the exact number of distinct shingles.

**Candidates.**  The MinHash signature is cut into ``bands`` bands of
``num_perm // bands`` rows; two articles are candidates when any band is equal.  With
64 values in 32 bands of 2 rows, a pair with Jaccard ``J`` is a candidate with
probability ``1 - (1 - J**2)**32``: 0.9999 at J = 0.5 (a 50% brief), 0.95 at 0.3, 0.87
at 0.25, but 0.08 at J = 0.05 (typical of same-event reports), so verification sees
few candidates.  A brief is contained in its parent, so its Jaccard is its length ratio.

**Stop bands.**  A band value that more than ``max_posting`` (64) stored articles share
is skipped at query time: its rows' minimum is a stock phrase common to many unrelated
articles ("said in a statement on"), so the collision carries no evidence of copying,
while verifying every article behind it made a check cost grow with the state (2.4 ms
at 30k synthetic articles in state, 0.1 ms with the cap; the same verdicts at caps 32,
64 and 256 on that stream).  A real copy shares many bands (8 of 32 expected at Jaccard
0.5), so losing the few stock-phrase ones does not lose it.  The postings themselves
are kept whole, so the index stays a function of ``records`` alone.

**Verification** (cheap, per candidate).  Both bottom-k sketches are restricted to the
hash range both cover (``tau = min(max(sketch_a), max(sketch_b))``; a sketch of fewer
than ``k`` values is the whole set and covers every value): in that range each sketch
*is* the full shingle set, so ``|A' & B'| / |S'|`` estimates the **containment** of
the shorter text ``S`` (by exact shingle count) in the longer, without bias: a brief's
sampled shingles are all in its parent, so its estimate is exactly 1.  Jaccard alone
would miss briefs (a 50% brief has Jaccard 0.5, below two outlets' rewrites of one
wire story).  A candidate is a copy when

* the shorter text has at least ``min_shingles`` shingles (below that only an exact
  hash match counts: a one-sentence text is contained in any report quoting it),
* ``n_shorter / n_longer >= min_length_ratio`` (a short item quoted whole inside a
  long report is not a copy of it; this also keeps the sketch sample >= ~30), and
* estimated containment ``>= min_containment``.

The verdict's ``similarity`` is that containment estimate (1.0 for exact matches).  The
best candidate (highest containment, then earliest ``seq``) wins, and the verdict names
its canonical parent: the earliest-seen copy (the ``parent`` of a stored duplicate).

**Thresholds** (:class:`DedupConfig` defaults) were chosen on the labelled set built by
:mod:`worker.evaluation.dedup` (465 real ECB+ articles and the 5 seeds as originals,
100 generated copies of each kind, seeds 0-5).  Generated near copies have estimated
containment 1.0 (sentence-bounded shingles make them subsets of their parents), while
same-event pairs that are not copies (under 80% exact containment) reach an estimated
containment of 0.84 at most (two AP-derived rewrites with local edits, length ratio
0.43).  ``min_containment = 0.9`` sits in that gap.  Briefs of 50-70% of the
*paragraphs* keep as little as 26% of the shingles when the lead paragraphs are short,
so ``min_length_ratio = 0.25``; ratios 0.2-0.4 gave no false positive on the set and
0.25 keeps brief recall at 0.98-1.0.  ``min_shingles = 8`` leaves one-liners to the
exact hash.  ``num_perm``/``bands`` 64/32 versus 128/64 cost one missed brief in 600
and halve the band index.

State
-----
:class:`DedupIndex` keeps one small JSON-able record per article in ``records`` (a
faust Table in production, a dict in replay and tests): the fingerprint plus ``q``
(sequence number), ``t`` (article time, optional) and ``p`` (canonical parent, only
for duplicates); about 700 bytes as JSON (at most ~800).  The LSH band index, the
exact-hash map and the expiry heaps are derived, in-memory caches that
:meth:`DedupIndex.rebuild` recreates from ``records`` alone, because after a crash or
rebalance only the table survives.  The band index is packed (:class:`_BandIndex`: 8
bytes per band posting in a sorted NumPy array) because as a dict of int keys it was
the largest part of dedup's memory (~2.8 KB per article; all derived caches together
are now ~0.7 KB).
Records are only ever replaced (``records[k] = v``) or deleted, never mutated in place,
because faust persists a value only on assignment.

Everything is deterministic: no wall clock, no Python ``hash()`` of strings, no set
iteration order (candidates are sorted), so the Kafka path and replay agree.
"""

from __future__ import annotations

import base64
import bisect
import functools
import hashlib
import heapq
import itertools
import re
import struct
import sys
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import rensa

from worker.core.model import Article
from worker.core.normalize import normalize_text

__all__ = [
    "FINGERPRINT_VERSION",
    "DedupConfig",
    "DedupIndex",
    "DedupVerdict",
    "Fingerprint",
    "containment",
    "dedup_text",
    "fingerprint",
    "shingles",
]

#: Words per shingle.  4-grams keep copies (which share whole sentences) far apart from
#: independent reports, which share names and short phrases but rarely 4-word runs
#: outside direct quotes; 3-grams gave the same copy recall with less separation.
SHINGLE_WORDS = 4
#: MinHash values per fingerprint (LSH only; verification uses the sketch).
NUM_PERM = 64
#: Bottom-k sketch size: 96 x 4 bytes = 512 base64 characters per record.
SKETCH_K = 128
#: Seed of the MinHash permutations: fixed, so fingerprints from any worker compare.
MINHASH_SEED = 0x5EED
#: Bodies shorter than this are fingerprinted with their title.
MIN_BODY_WORDS = 8


#: Changes whenever shingling, hashing or rensa's algorithm changes: fingerprints of
#: different versions are never compared (rebuild drops them from the caches).
@functools.cache
def fingerprint_version(num_perm: int = NUM_PERM) -> str:
    """Identifies how fingerprints were made; only equal versions are compared.

    Cached (and interned), so every stored record shares one string object.
    """
    return sys.intern(f"s{SHINGLE_WORDS}k{SKETCH_K}p{num_perm}r{rensa.RMinHash.ALGORITHM_VERSION}")


FINGERPRINT_VERSION = fingerprint_version()

#: Reserved key in ``records`` (never an article id); ignored by the index.
META_KEY = "__meta__"

_WORD = re.compile(r"\w+")
# Sentence ends and line breaks: shingles do not cross them.
_SEGMENT = re.compile(r"[.!?]+(?=\s|$)|\n")
# A leading wire dateline: a place of at most four words, an agency, a dash.  Words
# are bounded and must be separated, so a match is tried one way only (no nested
# backtracking on a 100k-letter "word").
_DATELINE = re.compile(
    r"^(?:[^\W\d_]{1,30}[ ,.]{1,3}){1,4}"
    r"\((?:reuters|ap|afp|upi|dpa|xinhua|ians|pti|bloomberg)\) ?-{1,2} ?"
)


def _pack24(values: tuple[int, ...]) -> bytes:
    """Big-endian 3-byte integers (extended-slice copies: C speed, no per-value loop)."""
    wide = struct.pack(f">{len(values)}I", *values)
    out = bytearray(3 * len(values))
    out[0::3], out[1::3], out[2::3] = wide[1::4], wide[2::4], wide[3::4]
    return bytes(out)


def _unpack24(data: bytes) -> tuple[int, ...]:
    n = len(data) // 3
    wide = bytearray(4 * n)
    wide[1::4], wide[2::4], wide[3::4] = data[0::3], data[1::3], data[2::3]
    return struct.unpack(f">{n}I", wide)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What dedup needs to know about one article's text (see the module docstring).

    ``minhash`` holds the low 16 bits of each MinHash value; ``sketch`` the ascending
    ``SKETCH_K`` smallest 32-bit shingle hashes (all of them if there are fewer).
    ``n_shingles == 0`` means there was no text: such an article is never a duplicate.
    """

    content_hash: str
    minhash: tuple[int, ...]
    sketch: tuple[int, ...]
    n_shingles: int
    version: str = FINGERPRINT_VERSION

    def to_json(self) -> dict[str, Any]:
        """Compact JSON form: the integer arrays are packed big-endian and base64'd."""
        return {
            "h": self.content_hash,
            "m": _b64(struct.pack(f">{len(self.minhash)}H", *self.minhash)),
            "s": _b64(_pack24(self.sketch)),
            "n": self.n_shingles,
            "v": self.version,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fingerprint:
        m = _unb64(data["m"])
        s = _unb64(data["s"])
        return cls(
            content_hash=str(data["h"]),
            minhash=struct.unpack(f">{len(m) // 2}H", m),
            sketch=_unpack24(s),
            n_shingles=int(data["n"]),
            version=sys.intern(str(data.get("v", ""))),
        )


def dedup_text(article: Article) -> str:
    """The normalised text an article is fingerprinted on (body, headline dropped)."""
    body = normalize_text(article.text)
    title = normalize_text(article.title) if article.title else ""
    if title:
        first, sep, rest = body.partition("\n")
        if first == title and not first.endswith((".", "!", "?", '"', "'")):
            # Pages often repeat the headline as the first body line; a republisher's
            # new headline must not make the body differ.  A "title" that is a full
            # sentence is the story's lead (some feeds title items so), not a headline.
            body = rest if sep else ""
    # A wire dateline ("london (reuters) - ") is added or dropped by republishers.
    body = _DATELINE.sub("", body, count=1)
    if title and sum(1 for _ in itertools.islice(_WORD.finditer(body), MIN_BODY_WORDS)) < MIN_BODY_WORDS:
        body = f"{title}\n{body}" if body else title
    return body


def shingles(text: str) -> list[str]:
    """Sorted distinct word ``SHINGLE_WORDS``-grams of ``text``, cut at sentence ends.

    Shingles never span a sentence end or line break, so dropping a paragraph or
    cutting a brief at a sentence end creates no new shingles: a copy's shingles are a
    subset of its parent's.  Fragments shorter than a shingle ("a. m.") are skipped
    unless the whole text is that short, in which case it is one shingle.
    """
    return sorted(_shingles_and_words(text)[0])


def _shingles_and_words(text: str) -> tuple[set[str], list[str]]:
    """``shingles(text)`` unsorted, and all of ``text``'s words (one regex pass for both).

    Splitting at sentence ends and line breaks never splits a word (those characters
    are not word characters), so the segments' words are the text's words.
    """
    out: set[str] = set()
    every: list[str] = []
    n = SHINGLE_WORDS
    for segment in _SEGMENT.split(text):
        words = _WORD.findall(segment)
        every += words
        # zip stops at the shortest slice: one n-gram per window, none if too short.
        out.update(map(" ".join, zip(*(words[i:] for i in range(n)), strict=False)))
    if not out and every:
        out.add(" ".join(every))
    return out, every


def fingerprint(article: Article, num_perm: int = NUM_PERM) -> Fingerprint:
    """Fingerprint ``article``'s text (see the module docstring).  Pure and deterministic."""
    text = dedup_text(article)
    shingle_set, words = _shingles_and_words(text)
    digest = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=16).hexdigest()
    if not shingle_set:
        return Fingerprint(digest, (), (), 0, fingerprint_version(num_perm))
    # MinHash and the sketch do not depend on the order of the shingles: no sort.
    sh = list(shingle_set)
    mh = rensa.RMinHash(num_perm=num_perm, seed=MINHASH_SEED)
    mh.update(sh)
    minhash = tuple(v & 0xFFFF for v in mh.digest())
    # rensa's token hash is a stable 64-bit hash; its top 24 bits are the sketch values.
    hashes = sorted({h >> 40 for h in rensa.RMinHash.hash_token_sets([sh])[0]})
    sketch = tuple(hashes[:SKETCH_K])
    return Fingerprint(digest, minhash, sketch, len(sh), fingerprint_version(num_perm))


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Thresholds and state bounds (defaults chosen on the labelled set; see module docstring).

    ``bands`` must divide ``num_perm``; ``num_perm`` must match the fingerprints'.
    ``ttl_seconds`` is measured in article time; ``max_entries`` caps the table by
    sequence order whatever the articles' dates; ``max_posting``: see "Stop bands".
    """

    min_containment: float = 0.9
    min_length_ratio: float = 0.25
    min_shingles: int = 8
    num_perm: int = NUM_PERM
    bands: int = 32
    ttl_seconds: float = 7 * 24 * 3600.0
    max_entries: int = 200_000
    max_posting: int = 64

    def __post_init__(self) -> None:
        if self.bands <= 0 or self.num_perm % self.bands:
            raise ValueError(f"bands ({self.bands}) must divide num_perm ({self.num_perm})")
        if self.max_entries < 1:
            raise ValueError("max_entries must be >= 1")
        if self.max_posting < 1:
            raise ValueError("max_posting must be >= 1")


@dataclass(frozen=True, slots=True)
class DedupVerdict:
    """``duplicate_of``: the canonical (earliest-seen) copy's id.

    ``method``: ``"exact"`` (equal normalised text) or ``"near"``.  ``similarity``: the
    estimated containment of the shorter text's shingles in the longer's (1.0 for exact).
    """

    duplicate_of: str
    method: str
    similarity: float

    def to_json(self) -> dict[str, Any]:
        return {"duplicate_of": self.duplicate_of, "method": self.method, "similarity": self.similarity}


def containment(a: Fingerprint, b: Fingerprint) -> tuple[float, float]:
    """(estimated containment of the shorter in the longer, length ratio) of two fingerprints."""
    if not a.sketch or not b.sketch:
        return 0.0, 0.0
    short, long_ = (a, b) if a.n_shingles <= b.n_shingles else (b, a)
    # A sketch shorter than k is the whole shingle set and covers every hash value.
    inf = 1 << 24
    tau = min(
        a.sketch[-1] if len(a.sketch) >= SKETCH_K else inf,
        b.sketch[-1] if len(b.sketch) >= SKETCH_K else inf,
    )
    # Sketches are sorted, so the in-range part is a prefix.
    s = short.sketch[: bisect.bisect_right(short.sketch, tau)]
    if not s:
        return 0.0, 0.0
    inter = len(set(s).intersection(long_.sketch[: bisect.bisect_right(long_.sketch, tau)]))
    return inter / len(s), short.n_shingles / long_.n_shingles


def _minhash_of(value: dict[str, Any]) -> tuple[int, ...]:
    m = _unb64(value["m"])
    return struct.unpack(f">{len(m) // 2}H", m)


def _sketch_of(value: dict[str, Any]) -> Fingerprint:
    """The parts of a stored record that verification reads (no MinHash decoding)."""
    return Fingerprint(value["h"], (), _unpack24(_unb64(value["s"])), int(value["n"]))


class _BandIndex:
    """LSH band key -> the ids of the articles with that band value, packed.

    A dict of 32 int keys per article cost ~2.8 KB of Python objects per stored article
    (the largest part of dedup's memory).  Here a posting is one ``uint64`` in a sorted
    NumPy array, ``band key << SLOT_BITS | slot``, where ``slot`` numbers the article
    (``_ids[slot]``): 8 bytes per posting, ~0.3 KB per article.  New postings go to a
    small dict (``_recent``) merged into the array every ``MERGE_AT`` postings (a linear
    merge).  Removal marks the slot dead (``_ids[slot] = None``); lookups skip dead
    slots, and the array is compacted (slots renumbered) once dead slots outnumber live
    ones, so memory stays proportional to the live entries.

    Band keys wider than ``KEY_BITS`` (only with more than two rows per band) are folded
    to ``KEY_BITS`` by a fixed hash: a false collision only adds a candidate, which the
    sketch verification then rejects.
    """

    SLOT_BITS = 27
    KEY_BITS = 64 - SLOT_BITS
    MERGE_AT = 1 << 16  # postings held in ``_recent`` before a merge
    COMPACT_MIN = 1024  # dead slots tolerated however small the index

    def __init__(self) -> None:
        self._packed = np.empty(0, dtype=np.uint64)
        self._recent: dict[int, int | list[int]] = {}  # key -> slot(s), not merged yet
        self._recent_n = 0
        self._ids: list[str | None] = []  # by slot; None: removed
        self._alive = np.zeros(0, dtype=np.bool_)  # by slot, for the merged slots
        self._slot: dict[str, int] = {}

    def clear(self) -> None:
        self._packed = np.empty(0, dtype=np.uint64)
        self._recent.clear()
        self._recent_n = 0
        self._ids.clear()
        self._alive = np.zeros(0, dtype=np.bool_)
        self._slot.clear()

    @classmethod
    def _keys(cls, bands: list[int]) -> list[int]:
        """``bands`` as stored: as they are when they fit in ``KEY_BITS`` (the default
        configuration), else each folded by a fixed hash."""
        if not bands or not max(bands) >> cls.KEY_BITS:
            return bands
        return [
            int.from_bytes(hashlib.blake2b(b.to_bytes(16, "big"), digest_size=8).digest(), "big")
            >> cls.SLOT_BITS
            for b in bands
        ]

    def add(self, article_id: str, bands: list[int]) -> None:
        self.remove(article_id)
        slot = len(self._ids)
        if slot >> self.SLOT_BITS:
            self._compact()
            slot = len(self._ids)
        self._ids.append(article_id)
        self._slot[article_id] = slot
        recent = self._recent
        for key in self._keys(bands):
            # A bare int for a single slot (the common case): no container to allocate
            # and for the garbage collector to track.
            posting = recent.get(key)
            if posting is None:
                recent[key] = slot
            elif isinstance(posting, int):
                recent[key] = [posting, slot]
            else:
                posting.append(slot)
        self._recent_n += len(bands)
        if self._recent_n >= self.MERGE_AT:
            self._merge()

    def remove(self, article_id: str) -> None:
        slot = self._slot.pop(article_id, None)
        if slot is None:
            return
        self._ids[slot] = None
        if slot < len(self._alive):
            self._alive[slot] = False
        if len(self._ids) - len(self._slot) > max(self.COMPACT_MIN, len(self._slot)):
            self._compact()

    def lookup(self, bands: list[int], max_posting: int) -> set[str]:
        """Live ids sharing any of ``bands``, leaving out bands with more than
        ``max_posting`` live ids (stop bands)."""
        out: set[str] = set()
        keys = self._keys(bands)
        if not keys:
            return out
        packed, shift, ids = self._packed, self.SLOT_BITS, self._ids
        if len(packed):
            q = np.array(keys, dtype=np.uint64) << np.uint64(shift)
            lo = np.searchsorted(packed, q, side="left").tolist()
            hi = np.searchsorted(packed, q + np.uint64(1 << shift), side="left").tolist()
        else:
            lo = hi = [0] * len(keys)
        mask = np.uint64((1 << shift) - 1)
        for j, key in enumerate(keys):
            a, b = lo[j], hi[j]
            found = self._recent.get(key)
            recent = () if found is None else (found,) if isinstance(found, int) else found
            if a == b and not recent:
                continue
            if b - a + len(recent) > max_posting:
                # Possibly a stop band: count its live postings without listing them.
                live = int(np.count_nonzero(self._alive[(packed[a:b] & mask).astype(np.intp)]))
                live += sum(1 for s in recent if ids[s] is not None)
                if live > max_posting:
                    continue
            slots = (packed[a:b] & mask).tolist() if b > a else []
            out.update(aid for s in (*slots, *recent) if (aid := ids[s]) is not None)
        return out

    def _merge(self) -> None:
        if not self._recent:
            return
        shift = self.SLOT_BITS
        new = np.fromiter(
            (
                (key << shift) | slot
                for key, found in self._recent.items()
                for slot in ((found,) if isinstance(found, int) else found)
            ),
            dtype=np.uint64,
            count=self._recent_n,
        )
        new.sort()
        at = np.searchsorted(self._packed, new)
        self._packed = np.insert(self._packed, at, new)
        self._recent.clear()
        self._recent_n = 0
        alive = np.zeros(len(self._ids), dtype=np.bool_)
        alive[: len(self._alive)] = self._alive
        alive[len(self._alive) :] = [i is not None for i in self._ids[len(self._alive) :]]
        self._alive = alive

    def _compact(self) -> None:
        """Drop dead slots: renumber the live ones in order and rebuild the array."""
        self._merge()
        live = [(slot, i) for slot, i in enumerate(self._ids) if i is not None]
        renumber = np.full(len(self._ids) + 1, -1, dtype=np.int64)
        for new_slot, (old_slot, _) in enumerate(live):
            renumber[old_slot] = new_slot
        mask = np.uint64((1 << self.SLOT_BITS) - 1)
        old_slots = (self._packed & mask).astype(np.int64)
        kept = renumber[old_slots] >= 0
        keys = self._packed[kept] >> np.uint64(self.SLOT_BITS)
        slots = renumber[old_slots[kept]].astype(np.uint64)
        packed = (keys << np.uint64(self.SLOT_BITS)) | slots
        packed.sort()
        self._packed = packed
        self._ids = [i for _, i in live]
        self._slot = {i: n for n, (_, i) in enumerate(live)}
        self._alive = np.ones(len(self._ids), dtype=np.bool_)


class DedupIndex:
    """Which earlier article, if any, is this one a copy of.  See the module docstring.

    ``records`` is the persistent store (article id -> small JSON-able dict); every
    other attribute is a cache derived from it by :meth:`rebuild`.
    """

    def __init__(self, records: MutableMapping[str, Any], config: DedupConfig) -> None:
        self.records = records
        self.config = config
        self._rows = config.num_perm // config.bands
        self._version = fingerprint_version(config.num_perm)
        self._bands = _BandIndex()
        self._exact: dict[str, dict[str, None]] = {}
        self._seq: dict[str, int] = {}
        # Expiry heaps with lazy deletion: entries are checked against records on pop.
        self._by_seq: list[tuple[int, str]] = []
        self._by_time: list[tuple[float, int, str]] = []
        self.rebuild()

    # -- derived caches -------------------------------------------------------------

    def rebuild(self) -> None:
        """Recreate every cache from ``records`` alone (after a crash or rebalance)."""
        self._bands.clear()
        self._exact.clear()
        self._seq.clear()
        self._by_seq.clear()
        self._by_time.clear()
        rows = [(int(v["q"]), k, v) for k, v in self.records.items() if k != META_KEY]
        for _, key, value in sorted(rows, key=lambda r: (r[0], r[1])):
            self._index(key, value)

    def _band_keys(self, minhash: tuple[int, ...]) -> list[int]:
        """One int per band: the band number above the band's 16-bit values."""
        if len(minhash) != self.config.num_perm:
            return []
        r = self._rows
        packed = struct.pack(f">{len(minhash)}H", *minhash)
        return [
            (i << (16 * r)) | int.from_bytes(packed[i * 2 * r : (i + 1) * 2 * r], "big")
            for i in range(self.config.bands)
        ]

    def _index(self, key: str, value: dict[str, Any]) -> None:
        seq = int(value["q"])
        self._seq[key] = seq
        heapq.heappush(self._by_seq, (seq, key))
        if value.get("t") is not None:
            heapq.heappush(self._by_time, (float(value["t"]), seq, key))
        if value.get("v") != self._version or not value.get("n"):
            return  # stale algorithm or empty text: kept for expiry only, never matched
        self._exact.setdefault(value["h"], {})[key] = None
        self._bands.add(key, self._band_keys(_minhash_of(value)))

    def _unindex(self, key: str, value: dict[str, Any]) -> None:
        self._seq.pop(key, None)
        ids = self._exact.get(value.get("h", ""))
        if ids is not None:
            ids.pop(key, None)
            if not ids:
                del self._exact[value["h"]]
        self._bands.remove(key)

    # -- queries and updates --------------------------------------------------------

    def __len__(self) -> int:
        return len(self._seq)

    def _root(self, key: str) -> str:
        parent = self.records[key].get("p")
        return str(parent) if parent else key

    def candidates(self, fp: Fingerprint) -> set[str]:
        """Stored ids sharing a band with ``fp``, stop bands left out (module docstring)."""
        return self._bands.lookup(self._band_keys(fp.minhash), self.config.max_posting)

    def check(self, article_id: str, fp: Fingerprint) -> DedupVerdict | None:
        """The verdict for ``fp``, or None if it copies nothing in the index.

        Only articles added before ``article_id`` count: an id already in the index is
        compared with the entries that preceded it, so reprocessing an article
        (at-least-once delivery) gives the verdict it first got, never itself.
        """
        if fp.n_shingles == 0 or fp.version != self._version:
            return None
        limit = self._seq.get(article_id)

        def eligible(key: str) -> bool:
            return key != article_id and (limit is None or self._seq[key] < limit)

        exact = [k for k in self._exact.get(fp.content_hash, {}) if eligible(k)]
        if exact:
            first = min(exact, key=lambda k: (self._seq[k], k))
            return DedupVerdict(self._root(first), "exact", 1.0)

        cfg = self.config
        candidates = self.candidates(fp)
        best: tuple[float, int, str] | None = None
        for key in sorted(candidates, key=lambda k: (self._seq[k], k)):
            if not eligible(key):
                continue
            value = self.records[key]
            n = int(value["n"])
            # Length tests first, on the stored count: most candidates fail them and
            # need no sketch decoding.
            if min(fp.n_shingles, n) < cfg.min_shingles:
                continue
            if min(fp.n_shingles, n) < cfg.min_length_ratio * max(fp.n_shingles, n):
                continue
            sim, ratio = containment(fp, _sketch_of(value))
            if sim >= cfg.min_containment and ratio >= cfg.min_length_ratio:
                rank = (-sim, self._seq[key], key)
                if best is None or rank < best:
                    best = rank
        if best is None:
            return None
        return DedupVerdict(self._root(best[2]), "near", round(-best[0], 4))

    def add(
        self, article_id: str, fp: Fingerprint, seq: int, time: float | None, parent: str | None = None
    ) -> None:
        """Store ``article_id`` (``parent``: the id it duplicates, if any).

        Idempotent: re-adding an id with the same fingerprint changes nothing (its
        first ``seq``/``time`` stand).  A parent that is itself a duplicate is resolved
        to its own parent, so every stored ``p`` is a canonical copy.
        """
        if article_id == META_KEY:
            raise ValueError(f"{META_KEY!r} is reserved")
        value: dict[str, Any] = fp.to_json()
        old = self.records.get(article_id)
        if old is not None:
            if all(old.get(k) == v for k, v in value.items()):
                return
            self._unindex(article_id, old)  # same id, new text: replace
        value["q"] = int(seq)
        if time is not None:
            value["t"] = float(time)
        if parent is not None and parent != article_id:
            root = self._root(parent) if parent in self.records else parent
            if root != article_id:
                value["p"] = root
        self.records[article_id] = value
        self._index(article_id, value)

    def _delete(self, key: str, deleted: list[str]) -> None:
        value = self.records.get(key)
        if value is None:
            return
        self._unindex(key, value)
        del self.records[key]
        deleted.append(key)

    def expire(self, seq: int, time: float | None) -> list[str]:
        """Forget entries older than ``ttl_seconds`` before ``time`` (dated entries only)
        and the lowest-``seq`` entries beyond ``max_entries``; returns deleted ids, sorted.

        ``seq``/``time`` are the current article's: expiry follows the stream's own
        order and dates, never the wall clock, so replay expires exactly the same.
        The cap keeps the ``max_entries`` highest stored ``seq`` values, so it needs
        only the stored sequence numbers; ``seq`` is accepted so every state update
        takes the stream position the same way.  An undated article (``time`` None)
        expires nothing by age, and undated entries leave only through the cap.
        """
        deleted: list[str] = []
        if time is not None:
            cutoff = float(time) - self.config.ttl_seconds
            while self._by_time and self._by_time[0][0] < cutoff:
                t, q, key = heapq.heappop(self._by_time)
                value = self.records.get(key)
                if value is not None and value.get("t") == t and int(value["q"]) == q:
                    self._delete(key, deleted)
        while len(self._seq) > self.config.max_entries and self._by_seq:
            q, key = heapq.heappop(self._by_seq)
            if self._seq.get(key) == q:
                self._delete(key, deleted)
        self._compact()
        return sorted(deleted)

    def _compact(self) -> None:
        # Lazy deletion leaves stale heap entries (a TTL-expired id stays in the seq
        # heap); rebuild a heap once it is mostly stale so memory stays O(live entries).
        live = len(self._seq)
        if len(self._by_seq) > 2 * live + 1024:
            self._by_seq = [(q, k) for k, q in self._seq.items()]
            heapq.heapify(self._by_seq)
        if len(self._by_time) > 2 * live + 1024:
            self._by_time = [
                (float(v["t"]), int(v["q"]), k)
                for k in self._seq
                if (v := self.records[k]).get("t") is not None
            ]
            heapq.heapify(self._by_time)

    def ids(self) -> Iterable[str]:
        """Stored article ids in sequence order."""
        return sorted(self._seq, key=lambda k: (self._seq[k], k))
