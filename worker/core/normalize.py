"""Text normalisation for deduplication: the canonical form two copies of one story share.

Copies of a story differ in ways no reader would call a change of content: Unicode
compatibility forms (full-width letters, ligatures, non-breaking spaces), typographic
quotes, dashes and apostrophes, line wrapping and spacing, letter case, page chrome
(navigation, share buttons, captions) and the syndication trailer a republisher adds
("(Reporting by …; Editing by …)", "Copyright 2024 The Associated Press. All rights
reserved.", "© …", "This material may not be published, broadcast, rewritten or
redistributed.").  :func:`normalize_text` removes all of that so exact copies hash
alike (:func:`content_hash`) and near copies share word shingles.

Method, in one *step*:

1. NFKC, then fold quotes/apostrophes to ``'``/``"``, dashes and minus signs to ``-``,
   and drop zero-width characters and soft hyphens;
2. unify line breaks to ``\\n`` and strip page chrome line by line with
   :func:`worker.core.chrome.strip_chrome` (the project's one definition of chrome);
3. fold runs of whitespace inside a line to one space, drop blank lines, casefold;
4. drop syndication trailers: whole trailing lines that are a trailer, and a trailer
   phrase that ends the last line.

Line breaks are kept (one ``\\n`` between non-empty lines) so that chrome, which is
defined per line, is judged on the same lines on a second pass.  Even so one step is
not always a fixed point (removing a chrome line can make two equal lines adjacent,
which the chrome detector treats as a duplicated caption), so :func:`normalize_text`
repeats the step until the text stops changing.  Every step after the first only
deletes text, so this converges in two or three steps on real input; the loop is
capped for safety.  The result is idempotent by construction.

Every pattern here is either anchored and bounded (``{0,n}``) or applied to a bounded
slice, so the cost is linear in the input: no catastrophic backtracking on hostile
input.  ``chrome.strip_chrome`` is quadratic in the number of *repeated* lines on
pathological input, so texts with very many lines (never a real article) are passed
to it in blocks of lines; see :data:`_CHROME_BLOCK_LINES`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from worker.core.chrome import chrome_line_spans, strip_chrome

__all__ = ["content_hash", "normalize_text"]

# Typographic quotes, primes, dashes and invisible characters -> ASCII / nothing.
# NFKC already maps many compatibility forms (full-width, ligatures, NBSP, ellipsis);
# these are the canonical characters that NFKC leaves alone.
_FOLD_MAP: dict[str, str] = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2035\u0060\u00b4\u02bc\u02b9", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u2039\u203a", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", ""),
    # Every line separator becomes "\n" so chrome (defined per line) sees real lines.
    **dict.fromkeys("\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85", "\n"),
}
# A regex over the folded characters instead of str.translate: translate with a
# dict table costs ~0.1 us per character, the regex scan is C-speed and calls back
# only on the (rare) characters that change.
_FOLD_RE = re.compile("[" + re.escape("".join(_FOLD_MAP)) + "]")


def _fold(text: str) -> str:
    return _FOLD_RE.sub(lambda m: _FOLD_MAP[m.group()], text)


# Trailers, matched against one casefolded, whitespace-folded line.  Whole-line forms:
_TRAILER_LINE = re.compile(
    r"""(?:
        \((?:additional\ )?(?:reporting|writing|editing|compiled|compiling|research|translation
            |translated|written)\b[^()]{0,300}\)\.?
      | (?:copyright|©|\(c\))[^\n]{0,200}?(?:\d{4}|rights\ reserved)[^\n]{0,200}
      | all\ rights\ reserved\.?
      | this\ (?:material|article|story)\ may\ not\ be\ (?:published|reproduced)[^\n]{0,120}
      | (?:the\ )?(?:associated\ press|ap|reuters|afp)\b[^\n]{0,80}\bcontributed\ to\ this\ report\.?
    )""",
    re.VERBOSE,
)
# The same trailers run on at the end of the last line of text ("...he said. (Reporting
# by ...)").  Only forms with an unambiguous start are removed inline, so prose that
# merely mentions copyright is kept.
_TRAILER_TAIL = re.compile(
    r"""\s*(?:
        \((?:additional\ )?(?:reporting|writing|editing|compiled|compiling)\ by\b[^()]{0,300}\)\.?
      | (?:copyright\ |©\ ?|\(c\)\ )(?:©\ |copyright\ )?\d{4}\b[^\n]{0,120}
      | all\ rights\ reserved\.?
      | this\ material\ may\ not\ be\ published,?\ broadcast,?\ rewritten,?\ (?:or|and/or|and)
        \ redistributed\.?
    )\s*$""",
    re.VERBOSE,
)
# Trailers are short; a longer line is content.  Bounding the slice searched for an
# inline trailer keeps the search linear however long the line is.
_MAX_TRAILER_CHARS = 400

# Above this many lines strip_chrome is applied block by block (see module docstring).
# Real articles have tens of lines, so they are never split.
_CHROME_BLOCK_LINES = 128
_MAX_STEPS = 8


def _strip_chrome_bounded(text: str) -> str:
    """``strip_chrome`` with its cost bounded on inputs of very many lines.

    A block ends at a line boundary; chrome is judged per line (plus the line before),
    so splitting only loses the "same line twice" rule across a block boundary.  A
    tail header ("Leave a Reply") inside a block cuts the rest of the text, as it would
    unsplit.
    """
    lines = text.split("\n")
    if len(lines) <= _CHROME_BLOCK_LINES:
        return strip_chrome(text)
    out: list[str] = []
    for i in range(0, len(lines), _CHROME_BLOCK_LINES):
        block = "\n".join(lines[i : i + _CHROME_BLOCK_LINES])
        spans = chrome_line_spans(block)
        last = 0
        for start, end in spans:  # the same splice as strip_chrome, without a second scan
            out.append(block[last:start])
            last = end
        out.append(block[last:])
        out.append("\n")
        # A span reaching the block's end across a line break is the comment/footer cut.
        if spans and spans[-1][1] == len(block) and "\n" in block[spans[-1][0] : spans[-1][1]]:
            break
    return "".join(out)


def _strip_trailers(lines: list[str]) -> list[str]:
    """``lines`` without the syndication trailers that end them."""
    while lines:
        last = lines[-1]
        if len(last) <= _MAX_TRAILER_CHARS and _TRAILER_LINE.fullmatch(last):
            lines.pop()
            continue
        head, tail = last[:-_MAX_TRAILER_CHARS], last[-_MAX_TRAILER_CHARS:]
        m = _TRAILER_TAIL.search(tail)
        if m is None:
            break
        kept = (head + tail[: m.start()]).rstrip()
        if kept:
            lines[-1] = kept
        else:
            lines.pop()
    return lines


def _step(text: str) -> str:
    text = _fold(unicodedata.normalize("NFKC", text))
    text = _strip_chrome_bounded(text)
    # NFKC again after casefolding: casefolding can produce characters with
    # compatibility forms.  Whole-text operations: one C-level pass each.
    text = _fold(unicodedata.normalize("NFKC", text.casefold()))
    # Whitespace runs inside a line -> one space, lines stripped, blank lines dropped.
    # ``str.split()`` splits on exactly what ``\s`` matches (``str.isspace``), and every
    # line separator is "\n" by now; it is several times faster than a regex over
    # the text (which was half the cost of a step).
    lines = [folded for line in text.split("\n") if (folded := " ".join(line.split()))]
    return "\n".join(_strip_trailers(lines))


def normalize_text(text: str) -> str:
    """The canonical form of ``text`` for deduplication (see the module docstring).

    Idempotent: ``normalize_text(normalize_text(x)) == normalize_text(x)``.  Lines are
    separated by single ``\\n``; there are no blank lines and no leading or trailing
    whitespace.
    """
    current = text
    for _ in range(_MAX_STEPS):
        nxt = _step(current)
        if nxt == current:
            return nxt
        current = nxt
    return current


def content_hash(text: str) -> str:
    """Hex BLAKE2b-128 of the normalised text with line breaks folded to spaces.

    Line breaks are folded so that re-wrapped copies (a paragraph joined or split)
    still hash alike.
    """
    canon = normalize_text(text).replace("\n", " ")
    return hashlib.blake2b(canon.encode("utf-8"), digest_size=16).hexdigest()
