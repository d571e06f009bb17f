"""Input decoding: every rejection has a reason; tolerated oddities are accepted."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worker.core.validate import REASONS, InvalidArticle, decode_article, first_meaningful_line

LIMIT = 1024 * 1024
GOOD = {"id": "a1", "text": "A magnitude 6.1 earthquake struck on Monday.", "title": "Quake"}


def reason(raw: bytes | None, limit: int = LIMIT) -> str:
    with pytest.raises(InvalidArticle) as exc:
        decode_article(raw, limit)
    assert exc.value.reason in REASONS
    assert str(exc.value)
    return exc.value.reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, "tombstone"),
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"id": "x", "text": ', "invalid_json"),
        (b"\xff\xfe\x00garbage", "not_utf8"),
        (b'{"id": "x", "text": NaN}', "invalid_json"),
        (b'{"id": "x", "text": "t", "n": Infinity}', "invalid_json"),
        (b"[" * 10_000 + b"]" * 10_000, "invalid_json"),
        (b'{"id": "x", "text": "t", "n": ' + b"9" * 5000 + b"}", "invalid_json"),
        (b'[{"id": "x", "text": "t"}]', "not_object"),
        (b'"just a string"', "not_object"),
        (b'{"text": "no id"}', "schema"),
        (b'{"id": "no text"}', "schema"),
        (b'{"id": 7, "text": "t"}', "schema"),
        (b'{"id": "x", "text": ["a"]}', "schema"),
        (b'{"id": "x", "text": "t", "published_at": "yesterday"}', "schema"),
        (b'{"id": "x", "text": ""}', "schema"),
        (b'{"id": "x", "text": "   \\n\\t "}', "empty_text"),
        (b'{"id": "x", "text": "<p> <br/> </p> &nbsp;"}', "empty_text"),
        (b"\x00\x00\x00\x00\x01" + orjson.dumps(GOOD), "invalid_json"),  # schema-registry framing
    ],
)
def test_rejections_have_reasons(raw: bytes | None, expected: str) -> None:
    assert reason(raw) == expected


def test_size_is_checked_before_parsing() -> None:
    huge = b'{"id": "x", "text": "' + b"a" * (2 * LIMIT) + b'"}'
    assert reason(huge) == "too_large"
    # Not even valid JSON: the size check comes first.
    assert reason(b"{" * (LIMIT + 1)) == "too_large"


def test_tolerated_bom_extra_fields_and_duplicate_keys() -> None:
    art = decode_article(b"\xef\xbb\xbf" + orjson.dumps({**GOOD, "extra": {"x": 1}}), LIMIT)
    assert art.id == "a1"
    dup = decode_article(b'{"id": "first", "id": "last", "text": "Body text here."}', LIMIT)
    assert dup.id == "last"


def test_control_characters_are_blanked() -> None:
    art = decode_article(orjson.dumps({"id": "c", "text": "Fire\x07 kills\x1b five."}), LIMIT)
    assert art.text == "Fire  kills  five."


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=512))
def test_arbitrary_bytes_never_raise_anything_else(raw: bytes) -> None:
    try:
        decode_article(raw, LIMIT)
    except InvalidArticle as exc:
        assert exc.reason in REASONS


def test_first_meaningful_line_skips_chrome() -> None:
    assert first_meaningful_line("top of page\n< Back\n\nTrump and Putin agree to talks\nbody") == (
        "Trump and Putin agree to talks"
    )
