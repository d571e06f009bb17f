"""The worker's GC policy (``worker.app.bound_gc_pauses``): short full collections, no lost cycles."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from worker.app import bound_gc_pauses, unfreeze_gc


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def cycle() -> tuple[Node, weakref.ref[Node]]:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return a, weakref.ref(b)


@pytest.fixture
def policy() -> Iterator[None]:
    gc.collect()
    gc.unfreeze()
    try:
        yield
    finally:
        gc.callbacks[:] = [cb for cb in gc.callbacks if getattr(cb, "__name__", "") != "_crosscheck_on_gc"]
        gc.unfreeze()
        gc.collect()


def test_a_full_collection_over_the_limit_freezes_the_survivors(policy: None) -> None:
    bound_gc_pauses(limit=1)
    bound_gc_pauses(limit=1)  # idempotent: one callback
    assert sum(getattr(cb, "__name__", "") == "_crosscheck_on_gc" for cb in gc.callbacks) == 1
    live, _ = cycle()
    gc.collect()
    assert gc.get_freeze_count() > 0
    assert not any(obj is live for obj in gc.get_objects(generation=2))  # out of the collector's view
    # a cycle made after the freeze is still collected
    new, new_ref = cycle()
    del new
    gc.collect(generation=2)
    assert new_ref() is None


def test_under_the_limit_nothing_is_frozen(policy: None) -> None:
    bound_gc_pauses(limit=10**9)
    gc.collect()
    assert gc.get_freeze_count() == 0


def test_unfreeze_hands_cycles_that_died_while_frozen_back(policy: None) -> None:
    bound_gc_pauses(limit=1)
    old, old_ref = cycle()
    gc.collect()  # frozen while alive
    del old
    gc.collect()
    assert old_ref() is not None  # the cost of freezing: not seen while frozen
    unfreeze_gc()  # what a rebalance does
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert old_ref() is None
