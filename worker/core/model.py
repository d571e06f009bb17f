"""Typed records shared by every stage of the core.

These are frozen dataclasses: the core never mutates a record it was given.  Every
record that crosses a topic has ``to_json``/``from_json`` so the Kafka path and the
offline replay path serialise exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

#: The kinds of claim the extractor produces.  ``Claim.value`` has a kind-specific
#: shape, documented in ``worker/core/claims/__init__.py``.
CLAIM_KINDS: tuple[str, ...] = (
    "quantity",
    "duration",
    "time",
    "date",
    "place",
    "role",
    "proposition",
)


@dataclass(frozen=True, slots=True)
class Article:
    """One input article, as validated against ``schemas/article.schema.json``."""

    id: str
    text: str
    title: str = ""
    url: str | None = None
    source: str | None = None
    published_at: str | None = None  # ISO 8601, as given
    language: str | None = None

    @property
    def source_key(self) -> str:
        """Who counts as an independent source: the outlet, else the article itself."""
        return self.source or f"article:{self.id}"

    def to_json(self) -> JSON:
        out: JSON = {"id": self.id, "text": self.text, "title": self.title}
        for name in ("url", "source", "published_at", "language"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Article:
        return cls(
            id=data["id"],
            text=data["text"],
            title=data.get("title") or "",
            url=data.get("url"),
            source=data.get("source"),
            published_at=data.get("published_at"),
            language=data.get("language"),
        )


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who asserts a claim.

    ``kind`` is ``"outlet"`` (the article's own voice), ``"speaker"`` (a named person
    or body quoted or paraphrased: "Trump wrote", "the Kremlin said") or ``"social"``
    (an embedded social-media post; ``name`` is its handle and ``date`` its ISO date).
    """

    kind: str = "outlet"
    name: str | None = None
    date: str | None = None

    def to_json(self) -> JSON:
        out: JSON = {"kind": self.kind}
        if self.name is not None:
            out["name"] = self.name
        if self.date is not None:
            out["date"] = self.date
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Attribution:
        return cls(kind=data.get("kind", "outlet"), name=data.get("name"), date=data.get("date"))


#: What an :class:`Occasion` can be.  ``main`` is the event's own happening; the next eight
#: are other happenings an article mentions (``planned``: what is to happen, compared only
#: with other plans); ``uncertain`` means the text gives no evidence either way (see
#: ``worker/core/claims/occasion.py``).
OCCASION_KINDS: tuple[str, ...] = (
    "main",
    "earlier",
    "background",
    "other_incident",
    "part",
    "total",
    "planned",
    "hypothetical",
    "generic",
    "uncertain",
)
#: Occasion kinds whose claims are compared only when both name the same dated or keyed
#: happening; the rest never are.
_KEYED_COMPARABLE = frozenset({"earlier", "part"})


@dataclass(frozen=True, slots=True)
class Occasion:
    """Which happening a claim is about.

    ``kind`` is one of :data:`OCCASION_KINDS`.  ``key`` tells occasions of one kind
    apart: an earlier happening's frame ("2024-06", "previous"), an incident's ordinal
    ("second"), what a part is a part of or where it is ("northern suburb").  ``cue``
    is the text that decided it, for the reader ("in 1998", "could", "of them").
    """

    kind: str = "main"
    key: str | None = None
    cue: str | None = None

    @property
    def tag(self) -> str:
        """The occasion's part of a slot key: "" for the main occasion.

        An earlier happening keeps the frame form ``@2024-06`` (it was first); every
        other kind is ``@kind`` or ``@kind:key``.
        """
        if self.kind == "main":
            return ""
        if self.kind == "earlier":
            return f"@{self.key or 'earlier'}"
        return f"@{self.kind}:{self.key}" if self.key else f"@{self.kind}"

    @property
    def comparable(self) -> bool:
        """May claims on this occasion be compared at all (same slot = same occasion)?

        The main occasion, a plan (in its own slot, so only with other plans), an earlier
        happening anchored to a date (two articles that date it to the same month or year
        name one happening), and a named part.  An
        undated earlier or background happening, another incident, a hypothetical or
        generic figure and an uncertain one are never compared: nothing says two
        articles mean the same one.
        """
        if self.kind in ("main", "planned"):
            return True
        if self.kind not in _KEYED_COMPARABLE or not self.key:
            return False
        return self.kind == "part" or self.key[:1].isdigit()

    def to_json(self) -> JSON:
        out: JSON = {"kind": self.kind}
        if self.key is not None:
            out["key"] = self.key
        if self.cue is not None:
            out["cue"] = self.cue
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Occasion:
        if not data:
            return MAIN
        return cls(kind=data.get("kind", "main"), key=data.get("key"), cue=data.get("cue"))


MAIN = Occasion()


@dataclass(frozen=True, slots=True)
class Claim:
    """A typed factual claim: (subject, predicate, value) plus provenance.

    ``subject`` and ``predicate`` are canonical keys: claims about the same thing in
    different articles of one event get the same ``slot`` so they can be compared.
    ``value`` is the normalised, JSON-able value (shape depends on ``kind``).
    ``span`` is the character span of ``raw`` in the article's original ``text``.
    ``occasion`` is the happening the claim is about; it is part of the slot, so
    claims about different happenings are never compared.
    """

    kind: str
    subject: str
    predicate: str
    value: Mapping[str, Any]
    raw: str
    sentence: str
    span: tuple[int, int]
    attribution: Attribution = field(default_factory=Attribution)
    hedges: tuple[str, ...] = ()
    occasion: Occasion = MAIN

    @property
    def slot(self) -> str:
        return f"{self.subject}{self.occasion.tag}|{self.predicate}"

    @property
    def base_slot(self) -> str:
        """The slot without the occasion: what a claim would be compared under if
        occasions were ignored (the evaluation's candidate pairs)."""
        return f"{self.subject}|{self.predicate}"

    def to_json(self) -> JSON:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "predicate": self.predicate,
            "value": dict(self.value),
            "raw": self.raw,
            "sentence": self.sentence,
            "span": [self.span[0], self.span[1]],
            "attribution": self.attribution.to_json(),
            "hedges": list(self.hedges),
            "occasion": self.occasion.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Claim:
        span = data["span"]
        return cls(
            kind=data["kind"],
            subject=data["subject"],
            predicate=data["predicate"],
            value=data["value"],
            raw=data["raw"],
            sentence=data["sentence"],
            span=(int(span[0]), int(span[1])),
            attribution=Attribution.from_json(data.get("attribution") or {}),
            hedges=tuple(data.get("hedges") or ()),
            occasion=Occasion.from_json(data.get("occasion")),
        )
