"""Number words and numerals: "twenty-three", "1,200", "2.5", "a dozen", "an hour and a half".

Everything here is a bounded, non-nested pattern so it is linear on hostile input.
"""

from __future__ import annotations

import re

_UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
_SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

#: Vague quantity words -> (lo, hi) interval they stand for.  "dozens" is 24..(unbounded above
#: but in practice < 100): we keep it as [24, 99] so "dozens" vs "150" can conflict while "dozens"
#: vs "40" cannot.
VAGUE: dict[str, tuple[float, float | None]] = {
    "a dozen": (12.0, 12.0),
    "dozens": (24.0, 99.0),
    "dozens of": (24.0, 99.0),
    "scores of": (40.0, 199.0),
    "hundreds": (200.0, 999.0),
    "hundreds of": (200.0, 999.0),
    "thousands": (2000.0, 9999.0),
    "thousands of": (2000.0, 9999.0),
    "a few": (2.0, 5.0),
    "several": (3.0, 9.0),
    "a couple of": (2.0, 3.0),
    "a handful of": (3.0, 6.0),
}

#: Every single number word ("one" … "ninety"), for cheap token checks before the full patterns.
NUMBER_WORD_LIST: tuple[str, ...] = (*_UNITS, *_TENS)
_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
#: A spelled-out number: "twenty-three", "twenty three", "one hundred", "a hundred and five".
#: Bounded to a few words: longer chains are not how news writes numbers.
NUMBER_WORDS_RE = (
    rf"(?:(?:{_WORD})(?:[- ](?:{_WORD}))?(?:\s(?:hundred|thousand|million|billion)"
    rf"(?:\s(?:and\s)?(?:{_WORD})(?:[- ](?:{_WORD}))?)?)?|(?:a|one)\s(?:hundred|thousand|million|billion))"
)
#: A numeral: "1,200", "2.5", "90"; at most 15 digits so hostile digit runs stay cheap.
NUMERAL_RE = r"(?:\d{1,3}(?:,\d{3}){1,4}|\d{1,15}(?:\.\d{1,6})?)"
#: Either form, plus "half" ("half an hour") and "a"/"an" ("an hour").
NUMBER_RE = rf"(?:{NUMERAL_RE}(?:\s?(?:million|billion|thousand))?|{NUMBER_WORDS_RE})"


def parse_number(text: str) -> float | None:
    """Value of a numeral or spelled-out number, or None when it is not one."""
    t = text.strip().lower().replace("\u2011", "-")
    if not t or len(t) > 60:
        return None
    if t in ("a", "an"):
        return 1.0
    if t == "half":
        return 0.5
    if t[0].isdigit():
        m = re.match(r"([\d,.]+)\s?(million|billion|thousand)?$", t)
        if not m:
            return None
        try:
            base = float(m.group(1).replace(",", ""))
        except ValueError:
            return None
        scale = _SCALES.get(m.group(2) or "", 1)
        return base * scale
    total = 0
    current = 0
    seen = False
    for tok in re.split(r"[\s-]+", t):
        if tok in ("and", "a"):
            if tok == "a":
                current = max(current, 1)
            continue
        if tok in _UNITS:
            current += _UNITS[tok]
        elif tok in _TENS:
            current += _TENS[tok]
        elif tok in _SCALES:
            scale = _SCALES[tok]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None
