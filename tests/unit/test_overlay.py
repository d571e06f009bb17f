from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from worker.core.overlay import Overlay


def test_writes_reach_base_only_on_commit() -> None:
    base = {"a": 1, "b": 2}
    o = Overlay(base)
    o["c"] = 3
    del o["a"]
    assert "a" not in o and o["c"] == 3 and sorted(o) == ["b", "c"]
    assert base == {"a": 1, "b": 2}
    assert o.commit() == 2
    assert base == {"b": 2, "c": 3}


def test_discard_drops_pending_writes() -> None:
    base = {"a": 1}
    o = Overlay(base)
    o["a"] = 9
    o.discard()
    assert o["a"] == 1 and not o.dirty


ops = st.lists(
    st.tuples(st.sampled_from(["set", "del"]), st.sampled_from("abcde"), st.integers()), max_size=30
)


@given(ops)
def test_overlay_then_commit_equals_direct_writes(seq: list[tuple[str, str, int]]) -> None:
    direct: dict[str, int] = {"a": 0}
    base: dict[str, int] = {"a": 0}
    o = Overlay(base)
    for op, key, value in seq:
        for m in (direct, o):
            if op == "set":
                m[key] = value
            elif key in m:
                del m[key]
        assert dict(o) == direct
    o.commit()
    assert base == direct


def test_commit_applies_each_segment_in_order_with_its_own_values() -> None:
    writes: list[tuple[str, object]] = []

    class Recording(dict[str, object]):
        def __setitem__(self, key: str, value: object) -> None:
            writes.append((key, value))
            super().__setitem__(key, value)

        def __delitem__(self, key: str) -> None:
            writes.append((key, None))
            super().__delitem__(key)

    base = Recording(old=0)
    o = Overlay(base)
    o["e"] = 1  # article 1 founds e
    o["a1"] = "e"
    o.checkpoint()
    o["f"] = 1  # article 2
    o["a2"] = "f"
    o.checkpoint()
    o["e"] = 2  # article 3 joins e
    del o["old"]
    assert o["e"] == 2 and "old" not in o  # reads see every pending write
    o.commit()
    # A prefix of these writes is the state after some article: e is 1 until article 3.
    assert writes == [("e", 1), ("a1", "e"), ("f", 1), ("a2", "f"), ("e", 2), ("old", None)]
    assert dict(base) == {"e": 2, "a1": "e", "f": 1, "a2": "f"}


def test_drop_open_forgets_only_the_writes_since_the_checkpoint() -> None:
    base = {"a": 1}
    o = Overlay(base)
    o["b"] = 2
    o.checkpoint()
    o["a"] = 9
    o["c"] = 3
    o.drop_open()
    assert o["a"] == 1 and o["b"] == 2 and "c" not in o
    o.commit()
    assert base == {"a": 1, "b": 2}
