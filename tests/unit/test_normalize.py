"""normalize_text / content_hash: folding, chrome and trailer removal, idempotence, linear time."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from worker.core.normalize import content_hash, normalize_text

# Lines that exercise every rule: chrome, trailers, duplicated captions, odd Unicode.
_SPECIAL_LINES = [
    "top of page",
    "< Back",
    "Advertisement",
    "Share this",
    "Read more: the other story",
    "Also read",
    "- a bullet link",
    "Leave a Reply",
    "(Reporting by Jane Doe; Editing by Tom Hals)",
    "Copyright 2024 The Associated Press. All rights reserved.",
    "© 2024 Reuters",
    "This material may not be published, broadcast, rewritten or redistributed.",
    "All rights reserved.",
    "A caption line (AP Photo/John Smith)",
    "He said \u201cno\u201d \u2014 it\u2019s fine.",
    "\uff26\uff35\uff2c\uff2c width and \ufb01 ligature",
    "The Associated Press contributed to this report.",
    "",
    "   ",
]

_line = st.one_of(
    st.sampled_from(_SPECIAL_LINES),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60),
    st.text(alphabet="ab c.\u00a0\t\u2019\u201c\u201d\u2014()©-", max_size=40),
)
_texts = st.lists(_line, max_size=12).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_normalize_is_idempotent_on_arbitrary_text(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_folds_unicode_quotes_dashes_whitespace_and_case() -> None:
    text = "He SAID \u201cno\u201d \u2014 it\u2019s\u00a0 fine.\r\n\r\n\uff26ULL  \ufb01ne\t ok"
    assert normalize_text(text) == 'he said "no" - it\'s fine.\nfull fine ok'


def test_strips_page_chrome_with_the_shared_definition() -> None:
    text = "top of page\n< Back\nThe story.\nAdvertisement\nMore story.\nLeave a Reply\nfirst comment"
    assert normalize_text(text) == "the story.\nmore story."


def test_strips_syndication_trailers() -> None:
    body = "The minister resigned on Tuesday.\nShe gave no reason."
    trailers = [
        "(Reporting by Jane Doe; Editing by Tom Hals)",
        "Copyright 2024 The Associated Press. All rights reserved.",
        "© 2024 Thomson Reuters. All rights reserved.",
        "This material may not be published, broadcast, rewritten or redistributed.",
        "Copyright 2013 The Associated Press. All rights reserved. This material may not be published, "
        "broadcast, rewritten or redistributed.",
        "(Reporting by A; Editing by B)\n© 2012 X Media Group\nAll rights reserved.",
    ]
    expected = normalize_text(body)
    for trailer in trailers:
        assert normalize_text(f"{body}\n{trailer}") == expected, trailer
        assert normalize_text(f"{body} {trailer}") == expected, trailer


def test_keeps_prose_that_mentions_copyright() -> None:
    text = "The court ruled on the copyright case."
    assert normalize_text(text) == "the court ruled on the copyright case."


def test_content_hash_ignores_cosmetic_changes_only() -> None:
    a = 'He said "no".\nIt\'s over.'
    b = "He  said \u201cno\u201d.\r\n\r\nIt\u2019s over.\nShare this"
    c = "He said no. It's over"
    assert content_hash(a) == content_hash(b)
    assert content_hash(a.replace("\n", " ")) == content_hash(a)  # re-wrapped
    assert content_hash(a) != content_hash(c + " again")
    assert len(content_hash(a)) == 32


def test_linear_time_on_hostile_input() -> None:
    hostile = [
        ".,;:!?()[]{}-\u2014\"'1234567890" * 40_000,  # punctuation and digits, one line
        "1. " * 340_000,
        "(reporting by " * 75_000,
        "© 1" * 260_000,
        "-\n" * 500_000,  # repeated identical lines (chrome's duplicate-caption rule)
        "x\nx (afp)\n" * 100_000,  # caption rule on every other line
        "\r" * 1_000_000,
    ]
    for pattern in hostile:
        text = pattern[:1_000_000]
        start = time.perf_counter()
        out = normalize_text(text)
        assert time.perf_counter() - start < 4.0, text[:20]
        assert normalize_text(out) == out


_WHITESPACE = "".join(chr(c) for c in range(0x3000 + 1) if chr(c).isspace())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab.\n" + _WHITESPACE, max_size=80))
def test_every_whitespace_character_folds(text: str) -> None:
    """Whatever ``\\s`` matches folds: runs inside a line become one space, lines are
    stripped, blank lines dropped; no other whitespace is left."""
    out = normalize_text(text)
    assert out == "" or all(line and line == line.strip() and "  " not in line for line in out.split("\n"))
    assert not re.search(r"[^\S\n ]", out)
    # Inside a line (line separators aside, which become line breaks) it is one space.
    inline = "".join(ch for ch in _WHITESPACE if ch not in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
    assert normalize_text("a" + inline + "b") == "a b"
