"""A write buffer over a mapping: read-through, writes held until ``commit``.

The global stage's indexes write into their store as they decide.  Through an
``Overlay`` those writes reach the faust Table (and so its changelog) only when the
agent calls ``commit()``, which it does after the broker has acknowledged the
article's outputs.  A crash before that point re-runs the article on the old state
and produces the same outputs again (at-least-once, never lost); a crash after it
finds the article already applied.

**Batches.**  The agent processes several articles, then sends, commits and drains
once.  ``checkpoint()`` closes one article's writes into a segment, and ``commit()``
applies the segments in order, each key with the value it had *at the end of that
article*.  A changelog is one topic partition, so a crash leaves each table with a
prefix of its writes: with segments, that prefix is the table's state after some
article of the batch, never a mix of a later article's values with an earlier
article's missing writes (which a redelivery would then read "from the future").
Reads see every pending write, of every segment.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

_DELETED = object()


class Overlay(MutableMapping[str, Any]):
    def __init__(self, base: MutableMapping[str, Any]) -> None:
        self.base = base
        self._pending: dict[str, Any] = {}  # every uncommitted write: what reads see
        self._segments: list[dict[str, Any]] = []  # closed by checkpoint(), applied in order
        self._open: dict[str, Any] = {}  # writes since the last checkpoint

    def __getitem__(self, key: str) -> Any:
        if key in self._pending:
            value = self._pending[key]
            if value is _DELETED:
                raise KeyError(key)
            return value
        return self.base[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._pending[key] = value
        self._open[key] = value

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self._pending[key] = _DELETED
        self._open[key] = _DELETED

    def __contains__(self, key: object) -> bool:
        if key in self._pending:
            return self._pending[key] is not _DELETED
        return key in self.base

    def __iter__(self) -> Iterator[str]:
        for key in self.base:
            if key not in self._pending:
                yield key
        for key, value in self._pending.items():
            if value is not _DELETED:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)

    @property
    def dirty(self) -> bool:
        return bool(self._pending)

    def checkpoint(self) -> None:
        """Close the writes made since the last checkpoint into one segment."""
        if self._open:
            self._segments.append(self._open)
            self._open = {}

    def commit(self) -> int:
        """Apply the buffered writes to the base mapping, segment by segment; returns how many."""
        self.checkpoint()
        n = 0
        for segment in self._segments:
            n += len(segment)
            for key, value in segment.items():
                if value is _DELETED:
                    if key in self.base:
                        del self.base[key]
                else:
                    self.base[key] = value
        self.discard()
        return n

    def drop_open(self) -> None:
        """Forget the writes since the last checkpoint (a failed article's); keep the segments."""
        self._open = {}
        self._pending = {}
        for segment in self._segments:
            self._pending.update(segment)

    def discard(self) -> None:
        self._pending.clear()
        self._segments.clear()
        self._open = {}
