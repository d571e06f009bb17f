"""Labels of contradictions: reading them, and matching them to records and candidate pairs.

A label file is JSONL, one object per line, ids and spans only (never text)::

    {"a": [["ecb-8_3ecbplus", 3659, 3681]], "b": [["ecb-8_8ecbplus", 3162, 3188]],
     "slot": "event|injured", "label": true, "category": "true", "by": "jd"}

``label`` is true or false; ``category`` one of :data:`CATEGORIES` ("true" for a true
one, may be left out then); ``slot``, ``by`` and ``note`` (the labeller's own words) are
for information.  A line whose ``label`` is null is an unfilled review line: skipped
and counted.

A label matches a record (two sides of claims) when it is the unordered pair of the
record's sides: each label side overlaps one record side and the other the other
(same article id, overlapping character spans, so small span shifts keep the label).
When several labels match, the one overlapping the most of the record's claims wins;
equally good labels that disagree give an ambiguous verdict, counted as false.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Label categories: "true", then the false-alarm patterns of issue 12's table, then "other".
CATEGORIES: tuple[str, ...] = (
    "true",
    "other_occasion",
    "look_alike",
    "part_total",
    "other_entity",
    "misread",
    "evolved",
    "generic_hypothetical",
    "other",
)
FALSE_CATEGORIES = CATEGORIES[1:]
#: What a record counts as when equally good labels disagree.
AMBIGUOUS = "ambiguous"
LABEL_FIELDS = frozenset({"a", "b", "slot", "label", "category", "by", "note"})

#: (article id, start, end): one claim's place, what labels are made of.
Ref = tuple[str, int, int]
Side = tuple[Ref, ...]
Sides = tuple[Side, Side]


class LabelError(ValueError):
    """A labels file that cannot be read; the message names the line and the reason."""


@dataclass(frozen=True)
class Label:
    a: Side
    b: Side
    label: bool
    category: str
    slot: str = ""
    by: str | None = None
    line: int = 0

    @property
    def sides(self) -> Sides:
        return (self.a, self.b)


@dataclass(frozen=True)
class LabelFile:
    path: Path | None
    labels: tuple[Label, ...]
    #: Line numbers of unfilled lines (``"label": null``), skipped.
    unfilled: tuple[int, ...] = ()


def _side(value: Any, name: str) -> Side:
    if not isinstance(value, list) or not value:
        raise ValueError(f"{name!r} must be a non-empty list of [article_id, start, end]")
    refs: list[Ref] = []
    for item in value:
        if (
            not isinstance(item, list)
            or len(item) != 3
            or not isinstance(item[0], str)
            or not item[0]
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in item[1:])
        ):
            raise ValueError(f"{name!r}: {json.dumps(item)} is not [article_id, start, end]")
        if not 0 <= item[1] < item[2]:
            raise ValueError(f"{name!r}: span {item[1]}..{item[2]} is empty or negative")
        refs.append((item[0], item[1], item[2]))
    return tuple(refs)


def parse_label(data: Any, line: int = 0) -> Label | None:
    """One label line's object as a :class:`Label`; None for an unfilled one; ValueError if bad."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    unknown = sorted(set(data) - LABEL_FIELDS)
    if unknown:
        raise ValueError(
            f"unknown field(s) {', '.join(unknown)} (allowed: {', '.join(sorted(LABEL_FIELDS))})"
        )
    for name in ("a", "b", "label"):
        if name not in data:
            raise ValueError(f"missing {name!r}")
    a, b = _side(data["a"], "a"), _side(data["b"], "b")
    value = data["label"]
    if value is None:
        return None
    if not isinstance(value, bool):
        raise ValueError(f"'label' must be true, false or null, not {json.dumps(value)}")
    category = data.get("category")
    if value:
        if category not in (None, "true"):
            raise ValueError(f"a true label has category 'true' (or none), not {json.dumps(category)}")
        category = "true"
    elif category not in FALSE_CATEGORIES:
        raise ValueError(
            f"a false label needs 'category', one of {', '.join(FALSE_CATEGORIES)}; "
            f"got {json.dumps(category)}"
        )
    for name in ("slot", "by", "note"):
        if data.get(name) is not None and not isinstance(data[name], str):
            raise ValueError(f"{name!r} must be a string")
    return Label(
        a=a,
        b=b,
        label=value,
        category=str(category),
        slot=data.get("slot") or "",
        by=data.get("by"),
        line=line,
    )


def read_labels(path: Path) -> LabelFile:
    """Every label of a JSONL file; :class:`LabelError` names the first bad line and why."""
    if not path.exists():
        raise LabelError(f"{path}: no such labels file")
    labels: list[Label] = []
    unfilled: list[int] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LabelError(
                    f"{path} line {lineno}: invalid JSON: {exc.msg} (column {exc.colno})"
                ) from None
            try:
                label = parse_label(data, lineno)
            except ValueError as exc:
                raise LabelError(f"{path} line {lineno}: {exc}") from None
            if label is None:
                unfilled.append(lineno)
            else:
                labels.append(label)
    return LabelFile(path, tuple(labels), tuple(unfilled))


def load_labels(path: Path) -> list[Label]:
    """The filled labels of ``path`` (see :func:`read_labels`)."""
    return list(read_labels(path).labels)


# --------------------------------------------------------------------------- matching


def overlaps(x: Ref, y: Ref) -> bool:
    """Same article and overlapping character spans."""
    return x[0] == y[0] and x[1] < y[2] and y[1] < x[2]


def _hits(label_side: Side, record_side: Side) -> int:
    """How many of the record side's claims some span of the label side overlaps."""
    return sum(1 for r in record_side if any(overlaps(lab, r) for lab in label_side))


def match_score(label: Sides, record: Sides) -> int:
    """0 when ``label`` is not the unordered pair of ``record``'s sides, else how many of
    the record's claims it overlaps (the better of the two orientations)."""
    best = 0
    for x, y in ((label[0], label[1]), (label[1], label[0])):
        hit_a, hit_b = _hits(x, record[0]), _hits(y, record[1])
        if hit_a and hit_b:
            best = max(best, hit_a + hit_b)
    return best


@dataclass(frozen=True)
class Verdict:
    """What the labels say about one record: its label, or ambiguous (counted false)."""

    label: bool
    category: str
    labels: tuple[Label, ...]

    @property
    def ambiguous(self) -> bool:
        return self.category == AMBIGUOUS


def match_label(labels: Iterable[Label], sides: Sides) -> Verdict | None:
    """The labels' verdict on a record with these sides, or None when no label matches."""
    scored = [(match_score(lab.sides, sides), lab) for lab in labels]
    best = max((s for s, _ in scored), default=0)
    if best == 0:
        return None
    top = tuple(lab for s, lab in scored if s == best)
    values = {lab.label for lab in top}
    if len(values) > 1:
        return Verdict(False, AMBIGUOUS, top)
    categories = Counter(lab.category for lab in top)
    category = max(categories, key=lambda c: (categories[c], -CATEGORIES.index(c)))
    return Verdict(top[0].label, category, top)


class LabelIndex:
    """Labels indexed by article id, so matching looks only at labels sharing an article."""

    def __init__(self, labels: Iterable[Label]) -> None:
        self.labels = tuple(labels)
        self._by_article: dict[str, list[int]] = {}
        for i, lab in enumerate(self.labels):
            for aid in {r[0] for r in (*lab.a, *lab.b)}:
                self._by_article.setdefault(aid, []).append(i)
        self.used: set[int] = set()

    def match(self, sides: Sides) -> Verdict | None:
        ids = sorted({i for r in (*sides[0], *sides[1]) for i in self._by_article.get(r[0], ())})
        verdict = match_label([self.labels[i] for i in ids], sides)
        if verdict is not None:
            self.used.update(i for i in ids if self.labels[i] in verdict.labels)
        return verdict

    def unused(self) -> list[Label]:
        """Labels that matched nothing looked up so far (stale, or about pairs not raised)."""
        return [lab for i, lab in enumerate(self.labels) if i not in self.used]


__all__ = [
    "AMBIGUOUS",
    "CATEGORIES",
    "FALSE_CATEGORIES",
    "Label",
    "LabelError",
    "LabelFile",
    "LabelIndex",
    "Ref",
    "Side",
    "Sides",
    "Verdict",
    "load_labels",
    "match_label",
    "match_score",
    "overlaps",
    "parse_label",
    "read_labels",
]
