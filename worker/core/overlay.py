"""A write buffer over a mapping: read-through, writes held until ``commit``.

The global stage's indexes write into their store as they decide.  Through an
``Overlay`` those writes reach the faust Table (and so its changelog) only when the
agent calls ``commit()``, which it does after the broker has acknowledged the
article's outputs.  A crash before that point re-runs the article on the old state
and produces the same outputs again (at-least-once, never lost); a crash after it
finds the article already applied.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

_DELETED = object()


class Overlay(MutableMapping[str, Any]):
    def __init__(self, base: MutableMapping[str, Any]) -> None:
        self.base = base
        self._pending: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key in self._pending:
            value = self._pending[key]
            if value is _DELETED:
                raise KeyError(key)
            return value
        return self.base[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._pending[key] = value

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self._pending[key] = _DELETED

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

    def commit(self) -> int:
        """Apply the buffered writes to the base mapping; returns how many."""
        n = len(self._pending)
        for key, value in self._pending.items():
            if value is _DELETED:
                if key in self.base:
                    del self.base[key]
            else:
                self.base[key] = value
        self._pending.clear()
        return n

    def discard(self) -> None:
        self._pending.clear()
