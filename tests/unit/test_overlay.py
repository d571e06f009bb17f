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
