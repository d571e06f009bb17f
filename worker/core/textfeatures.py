"""Cheap, deterministic lexical features for grouping articles into events.

Everything here is pure Python over one article's text, with no state and no model:

* ``content_terms`` — lowercased, lightly stemmed content words with stopwords and
  news boilerplate ("said", "reported", weekdays) removed.
* ``entity_tokens`` — tokens of capitalised sequences (people, places, organisations).
  A sentence-initial capitalised word only counts when it is not a common word: its
  lowercase form is neither a stopword nor used lowercase elsewhere in the same text.
  Month and weekday names, honorifics and pronouns never count.
* ``date_keys`` / ``number_keys`` — normalised dates ("may-3", years) and numbers
  ("6.1", "2.5"): look-alike events usually differ in exactly these.

The stemmer is a deliberately light suffix stripper ("killings" -> "kill",
"charged" -> "charg"): it only has to map inflections of one word to one key within
a news stream, not produce dictionary stems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


# Function words plus news boilerplate that appears in every story regardless of event.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: frozenset[str] = _words(
    """
a about above after again against ago all almost along already also although always am among an and
another any anyone anything are around as at away back be became because become been before being
below between both but by can cannot could did do does doing done down during each either else
enough even ever every few for from further get gets getting got had has have having he her here hers
herself him himself his how however i if in into is it its itself just last late later least less
let like made make many may me might more most much must my myself near nearly neither never
new next no nor not now of off often on once one only or other others our ours ourselves out over
own per perhaps put quite rather really said same say saying says see seen several she should
since so some something still such than that the their theirs them themselves then there these they
this those though three through thus to today together told too took toward two under until up upon
us very via was way we well were what whatever when where whether which while who whom whose why will
with within without would yet you your yours yourself yourselves according reported reports report
reporting told telling tell asked added statement news story article update updated posted published
stated says mr mrs ms dr st monday tuesday wednesday thursday friday saturday sunday week weeks
yesterday tomorrow tonight morning afternoon evening night day days year years month months time
times first second third people person including include includes included went go goes going
come came comes take takes taking give gave given know known think want wanted use used using
lot lots thing things part parts s t re ve ll d m am pm a.m p.m et est pdt pst gmt utc
"""
)

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip

# Capitalised words that are never (part of) a name on their own.
_NON_ENTITY: frozenset[str] = _words(
    """
i he she it we they you his her its their our my your this that these those the a an there here
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
mr mrs ms dr sir update updated breaking news photo video watch read more
"""
) | frozenset(MONTHS)

# Lowercase words allowed inside a capitalised sequence ("Bank of England").
_CONNECTORS: frozenset[str] = frozenset({"of", "de", "del", "la", "le", "van", "von", "der", "al", "bin"})

_ABBREV: frozenset[str] = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "gov", "sen", "rep", "lt"}
)

_CLITICS: frozenset[str] = frozenset({"s", "ve", "re", "ll", "d", "m", "t"})

_FULL_STOP = re.compile(r"[.!?]")
_RUN_BREAK = re.compile(r"[,;:()\"“”]")
# Letters, joined by single apostrophes or hyphens ("o'brien", "mid-may"), or a number.
# Written as runs of letters (not letter by letter): the same tokens, a third less time.
_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d+(?:[.,]\d+)*")
# The lookahead (the months' first letters) turns most positions away before the
# alternation is tried: the same matches in 40 % of the time.
_DATE_MD = re.compile(
    r"\b(?=[adfjmnos])("
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b",
    re.IGNORECASE,
)
_DATE_DM = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_NUMBER = re.compile(r"(?<![\w.])(\d+(?:,\d{3})*(?:\.\d+)?)(?![\w])")


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """Light, deterministic suffix stripping (see module docstring)."""
    w = word.lower().replace("’", "'")
    base, sep, suffix = w.rpartition("'")
    if sep and suffix in _CLITICS:
        w = base
    w = w.strip("'-")
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("sses"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    return w


def tokens(text: str) -> list[str]:
    """Word and number tokens of ``text``, in order, case preserved."""
    return _TOKEN.findall(text)


def content_terms(text: str) -> list[str]:
    """Stemmed content-word keys of ``text`` (stopwords, short words and bare numbers dropped)."""
    return content_terms_of(tokens(text))


def content_terms_of(toks: Iterable[str]) -> list[str]:
    """:func:`content_terms` of an already tokenised text."""
    out: list[str] = []
    memo = _TERM_OF
    if len(memo) > _TERM_MEMO_MAX:
        memo.clear()
    for tok in toks:
        key = memo.get(tok, "")  # "" is never a key: keys have three characters or more
        if key == "":
            key = memo[tok] = _term_of(tok)
        if key is not None:
            out.append(key)
    return out


def _term_of(tok: str) -> str | None:
    """The content-word key of one token, or None (see :func:`content_terms_of`)."""
    low = tok.lower()
    if low in STOPWORDS or not tok[0].isalpha() or len(low) < 3:
        return None
    key = stem(low)
    if key in STOPWORDS or len(key) < 3:
        return None
    return key


#: Token -> its content-word key (None: not a content word).  A token's key depends on
#: the token alone, and news reuses its vocabulary: one lookup instead of lowercasing,
#: two stopword checks and the stemmer per token.  Cleared past the bound (~5 MB).
_TERM_OF: dict[str, str | None] = {}
_TERM_MEMO_MAX = 50_000


def _lowercase_vocabulary(text: str) -> set[str]:
    """Words used in lowercase somewhere in ``text``: evidence a word is common, not a name."""
    return {tok for tok in tokens(text) if tok[0].islower()}


def entity_tokens(
    text: str, common: Iterable[str] | None = None, known: Iterable[str] | None = None
) -> list[str]:
    """Normalised (stemmed) tokens of capitalised sequences in ``text``, one per occurrence.

    ``common`` is the set of words the article uses lowercase: ordinary words, never
    names.  A word capitalised only because it starts a sentence ("Police said") counts
    when the text also capitalises it mid-sentence, when it is in ``known`` (names
    found elsewhere, e.g. the body for a headline), or when it starts a multi-word name.
    """
    common_set = set(common) if common is not None else _lowercase_vocabulary(text)
    return [tok for keys in entity_tokens_by_run(text, scan(text), common_set, known) for tok in keys]


def scan(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) of every token of ``text``: the one pass the other helpers share."""
    return [(m[0], m.start(), m.end()) for m in _TOKEN.finditer(text)]


#: A capitalised run: its (token, starts a sentence) pairs and the offset of its first token.
Run = tuple[list[tuple[str, bool]], int]


def capital_runs(text: str, spans: list[tuple[str, int, int]]) -> list[Run]:
    """The runs of capitalised words of ``text`` given its :func:`scan` (one pass, shared
    by the entity tokens and the event signature)."""
    runs: list[Run] = []
    run: list[tuple[str, bool]] = []  # (token, was sentence-initial)
    start = 0
    prev_end = 0
    prev_tok = ""
    for tok, begin, end in spans:
        if not run and not tok[0].isupper():
            prev_end, prev_tok = end, tok  # a lower-case word outside a run: nothing to decide
            continue
        gap = text[prev_end:begin]
        # A sentence starts at a line start or after a full stop that does not follow
        # an initial or abbreviation ("U.S.", "J. Smith", "Dr.").
        initial = (
            prev_end == 0
            or "\n" in gap
            or (
                _FULL_STOP.search(gap) is not None and not (len(prev_tok) <= 2 or prev_tok.lower() in _ABBREV)
            )
        )
        first = tok[0]
        if first.isupper():
            if run and (initial or _RUN_BREAK.search(gap) is not None):
                # Punctuation or a sentence break splits a run ("Paris, France").
                runs.append((run, start))
                run = []
            if not run:
                start = begin
            run.append((tok, initial))
        elif run and not initial and tok.lower() in _CONNECTORS:
            run.append((tok, False))
        elif run:
            runs.append((run, start))
            run = []
        prev_end, prev_tok = end, tok
    if run:
        runs.append((run, start))
    return runs


def entity_tokens_by_run(
    text: str,
    spans: list[tuple[str, int, int]],
    common: set[str],
    known: Iterable[str] | None = None,
    runs: list[Run] | None = None,
) -> list[list[str]]:
    """:func:`entity_tokens` of ``text`` given its :func:`scan` (no second regex pass) and,
    if the caller has them, its :func:`capital_runs`: one list per run (in their order),
    so a caller can take the names of a part of the text."""
    if runs is None:
        runs = capital_runs(text, spans)
    names = {_normalise(tok) for run, _ in runs for tok, initial in run if not initial}
    if known is not None:
        names.update(known)
    return [_flush(run, common, names) for run, _ in runs]


def normalise_token(tok: str) -> str:
    """The entity key of one capitalised token ("Reid's" -> "reid"): what ``@`` keys hold."""
    return _normalise(tok)


def _normalise(tok: str) -> str:
    key = _NORMALISED.get(tok)
    if key is None:
        if len(_NORMALISED) > _TERM_MEMO_MAX:
            _NORMALISED.clear()
        key = _NORMALISED[tok] = _normalise_once(tok)
    return key


#: Token -> its entity key: names recur across a stream as words do (see ``_TERM_OF``).
_NORMALISED: dict[str, str] = {}


def _normalise_once(tok: str) -> str:
    low = tok.lower().replace("’", "'")
    base, sep, suffix = low.rpartition("'")
    if sep and suffix in _CLITICS:
        # Possessives and contractions: "Reid's" -> "reid", "I've" -> "i".
        low = base
    return stem(low)


def _flush(run: list[tuple[str, bool]], common: set[str], names: set[str]) -> list[str]:
    # Connectors only count between two capitalised words ("Bank of England").
    end = len(run)
    while end and run[end - 1][0].lower() in _CONNECTORS:
        end -= 1
    keep: list[str] = []
    for tok, initial in run[:end] if end < len(run) else run:
        low = tok.lower()
        if low in _CONNECTORS or low in _NON_ENTITY or low in STOPWORDS or len(low) < 2:
            continue
        if low in common:
            # Used lowercase elsewhere in the article: an ordinary word capitalised by
            # position or by a title-case headline ("Trial Begins").
            continue
        key = _normalise(tok)
        if key in STOPWORDS or len(key) < 2:
            continue
        if initial and end == 1 and key not in names:
            continue
        keep.append(key)
    return keep


def date_keys(text: str, words: Iterable[str] | None = None) -> list[str]:
    """Normalised calendar references: "may-3" for "May 3"/"3 May", "y2013" for years.

    ``words`` (the text's tokens, when the caller has them) lets a text that names no
    month skip the two month patterns, the costly part.
    """
    out: list[str] = []
    if words is not None and MONTHS.keys().isdisjoint(map(str.lower, words)):
        out.extend("y" + m.group(1) for m in _YEAR.finditer(text))
        return out
    for m in _DATE_MD.finditer(text):
        day = int(m.group(2))
        if 1 <= day <= 31:
            out.append(f"{MONTHS[m.group(1).lower()]}-{day}")
    for m in _DATE_DM.finditer(text):
        day = int(m.group(1))
        if 1 <= day <= 31:
            out.append(f"{MONTHS[m.group(2).lower()]}-{day}")
    out.extend("y" + m.group(1) for m in _YEAR.finditer(text))
    return out


def number_keys(text: str) -> list[str]:
    """Numbers other than years, normalised ("1,200" -> "1200"); 0-10 are too common to help."""
    out: list[str] = []
    for m in _NUMBER.finditer(text):
        raw = m.group(1).replace(",", "")
        if _YEAR.fullmatch(raw):
            continue
        try:
            value = float(raw)
        except ValueError:
            continue
        if value <= 10 and "." not in raw:
            continue
        out.append(raw)
    return out
