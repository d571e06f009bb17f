"""Fuzzing ``decode_article``: whatever the bytes, it returns an ``Article`` or raises
``InvalidArticle`` with a reason from ``REASONS``: never any other exception.

Four strategies, 10,500 generated messages in all (counted, and the count is
asserted, so a strategy that silently runs fewer examples fails the suite):

* random bytes (including random bytes behind a BOM or a schema-registry frame);
* random JSON values, encoded (objects, arrays, scalars, deep nesting);
* article-shaped objects whose fields have random types and values;
* valid articles (the seeds) mutated at the byte level: flips, cuts, insertions,
  duplicated slices, spliced-in hostile tokens.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worker.core.model import Article
from worker.core.validate import REASONS, InvalidArticle, decode_article
from worker.inputs import iter_inputs

LIMIT = 64 * 1024  # small limit so the size check is exercised too
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_VALUES: list[bytes] = [m.value for m in iter_inputs(SEEDS)]

EXAMPLES = {"bytes": 3000, "json": 2500, "shaped": 2500, "mutated": 2500}
COUNTS: dict[str, int] = dict.fromkeys(EXAMPLES, 0)
OUTCOMES: dict[str, int] = {}

FUZZ = settings(
    deadline=None,
    database=None,  # reproducible: no replay of earlier failures from .hypothesis
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def check(raw: bytes | None, strategy: str, limit: int = LIMIT) -> None:
    COUNTS[strategy] += 1
    try:
        art = decode_article(raw, limit)
    except InvalidArticle as exc:
        assert exc.reason in REASONS, f"unknown reason {exc.reason!r}"
        assert str(exc), "a rejection must say why"
        OUTCOMES[exc.reason] = OUTCOMES.get(exc.reason, 0) + 1
        return
    # Anything else propagates and fails the test with the offending input.
    assert isinstance(art, Article)
    assert isinstance(art.id, str) and art.id
    assert isinstance(art.text, str) and art.text.strip()
    assert isinstance(art.title, str)
    for name in ("url", "source", "published_at", "language"):
        assert getattr(art, name) is None or isinstance(getattr(art, name), str)
    OUTCOMES["ok"] = OUTCOMES.get("ok", 0) + 1


# --------------------------------------------------------------------------- strategies

FRAMES = st.sampled_from([b"", b"\xef\xbb\xbf", b"\x00\x00\x00\x00\x01", b"\xff\xfe", b"\x00"])


@settings(FUZZ, max_examples=EXAMPLES["bytes"])
@given(prefix=FRAMES, body=st.binary(max_size=2048))
def test_random_bytes(prefix: bytes, body: bytes) -> None:
    check(prefix + body, "bytes")


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=64)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)


def _encode_any(value: object) -> bytes:
    """Python's json allows NaN/Infinity and huge integers: exactly the hostile cases."""
    return json.dumps(value, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")


@settings(FUZZ, max_examples=EXAMPLES["json"])
@given(value=json_values, depth=st.integers(min_value=0, max_value=1500))
def test_random_json_values(value: object, depth: int) -> None:
    raw = _encode_any(value)
    if depth > 1000:  # now and then, bury it deep
        raw = b"[" * depth + raw + b"]" * depth
    check(raw, "json")


def _field(*extra: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.one_of(json_values, st.text(max_size=80), *extra)


dates = st.one_of(
    st.datetimes().map(lambda d: d.isoformat() + "Z"),
    st.sampled_from(
        ["2024-19-39T29:59:59Z", "yesterday", "", "2024-02-30T00:00:00+00:00", "0000-00-00T00:00:00Z"]
    ),
    st.text(max_size=30),
)
texts = st.one_of(
    st.text(max_size=400),
    st.sampled_from(
        ["", " ", "\n\t ", "<p></p>", "&nbsp;", "<br/>" * 50, "\x00\x07\x1b", "a\x00b", "\ufeff"]
    ),
    st.lists(st.sampled_from(["<b>", "</b>", "&amp;", " ", "x", "\x0b", "9", "."]), max_size=60).map("".join),
)


@st.composite
def shaped_articles(draw: st.DrawFn) -> dict[str, object]:
    article: dict[str, object] = {}
    if draw(st.booleans()) or draw(st.booleans()):
        article["id"] = draw(st.one_of(st.text(min_size=0, max_size=600), _field()))
    if draw(st.booleans()) or draw(st.booleans()):
        article["text"] = draw(st.one_of(texts, _field()))
    for name, strategy in (
        ("title", st.one_of(st.text(max_size=40), _field())),
        ("url", st.one_of(st.text(max_size=40), _field())),
        ("source", st.one_of(st.text(max_size=40), _field())),
        ("published_at", st.one_of(dates, _field())),
        ("language", st.one_of(st.sampled_from(["en", "en-GB", "de_DE", "x", "english", ""]), _field())),
        ("extra", _field()),
    ):
        if draw(st.booleans()):
            article[name] = draw(strategy)
    return article


@settings(FUZZ, max_examples=EXAMPLES["shaped"])
@given(article=shaped_articles(), bom=st.booleans())
def test_article_shaped_objects(article: dict[str, object], bom: bool) -> None:
    raw = _encode_any(article)
    check((b"\xef\xbb\xbf" if bom else b"") + raw, "shaped")


HOSTILE = [
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",  # an encoded surrogate: not UTF-8
    b"NaN",
    b"Infinity",
    b"-Infinity",
    b"9" * 40,
    b"[" * 1100,
    b'"',
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b'"id":"dup",',
    b",,",
    b"}",
    b"{",
    b"\xef\xbb\xbf",
]


@st.composite
def mutated_seeds(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(st.sampled_from(SEED_VALUES)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "delete", "dup", "hostile"]))
        at = draw(st.integers(min_value=0, max_value=max(0, len(raw) - 1)))
        if op == "flip" and raw:
            raw[at] = draw(st.integers(min_value=0, max_value=255))
        elif op == "cut":
            raw = raw[:at]
        elif op == "insert":
            raw[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del raw[at : at + draw(st.integers(min_value=1, max_value=64))]
        elif op == "dup":
            raw[at:at] = raw[at : at + draw(st.integers(min_value=1, max_value=256))]
        else:
            raw[at:at] = draw(st.sampled_from(HOSTILE))
    return bytes(raw)


@settings(FUZZ, max_examples=EXAMPLES["mutated"])
@given(raw=mutated_seeds())
def test_mutated_valid_articles(raw: bytes) -> None:
    check(raw, "mutated")


def test_seeds_themselves_decode() -> None:
    for raw in SEED_VALUES:
        assert isinstance(decode_article(raw, 1024 * 1024), Article)


@pytest.mark.parametrize("limit", [1024, 4096])
def test_size_limit_holds_for_any_payload(limit: int) -> None:
    for raw in SEED_VALUES:
        if len(raw) > limit:
            with pytest.raises(InvalidArticle) as exc:
                decode_article(raw, limit)
            assert exc.value.reason == "too_large"


def test_fuzz_volume() -> None:
    """Runs after the fuzz tests (file order): the promised volume really ran."""
    total = sum(COUNTS.values())
    if total == 0:
        pytest.skip("fuzz tests were deselected; nothing to count")
    print(f"\nfuzz decode_article: {total} messages {COUNTS}; outcomes {dict(sorted(OUTCOMES.items()))}")
    for name, expected in EXAMPLES.items():
        if COUNTS[name]:  # each strategy that ran, ran in full
            assert COUNTS[name] >= expected, (name, COUNTS[name])
    if all(COUNTS.values()):
        assert total >= 10_000
    assert "ok" in OUTCOMES, "no generated message was valid: the strategies are too hostile to be useful"
