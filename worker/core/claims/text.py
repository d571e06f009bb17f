"""Sentences, spans, headings, embedded social posts and attribution.

The article text is cut into lines, chrome lines (``worker.core.chrome``) are dropped, each
remaining line is cut into sentences with their character spans in the original text, and each
sentence gets an :class:`~worker.core.model.Attribution`:

* inside an embedded social-media post (the lines above a ``— Name (@handle) March 18, 2025``
  signature) -> ``social`` with the handle and the ISO date;
* inside a quotation whose speaker is named next to it (``"…," the White House stated``) ->
  ``speaker``;
* a sentence carrying a reporting cue ("according to X", "X said", "X told reporters", "X wrote")
  -> ``speaker``;
* otherwise the outlet's own voice.

All patterns are bounded and anchored so the cost is linear in the text length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from worker.core.chrome import chrome_line_spans
from worker.core.claims.lexicon import trie_regex
from worker.core.model import Attribution

#: Heavy patterns only ever see this many characters of one sentence (hostile-input bound).
MAX_SENTENCE_CHARS = 2000
#: Shorter sentences cannot hold a claim ("Five dead." is 10); skipping them bounds the per-sentence
#: overhead on hostile input such as "Ab. Ab. Ab. …".
MIN_SENTENCE_CHARS = 8
#: An embedded post is at most this long (a tweet is 280; slack for emoji and links).
MAX_POST_CHARS = 300
#: A quotation longer than this is treated as unbalanced quote marks rather than a quote.
MAX_QUOTE_CHARS = 4000

OUTLET = Attribution()

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
MONTHS: dict[str, int] = _MONTHS

_SIGNATURE = re.compile(
    r"\s{0,8}[—–-]{1,2}\s{0,3}(?P<name>[^\n(]{1,120})\((?P<handle>@\w{1,30})\)\s{0,3}"
    r"(?P<month>[A-Z][a-z]{2,8})\.?\s(?P<day>\d{1,2}),\s(?P<year>\d{4})\s{0,8}$"
)
_ALPHA2 = re.compile(r"[^\W\d_]{2}")
_BOUNDARY = re.compile(r"[.!?…]{1,5}[\"”’')\]]{0,3}\s{1,20}(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREV = frozenset((
    "mr", "mrs", "ms", "dr", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "capt", "st", "no", "vs",
    "inc", "ltd", "jr", "sr", "co", "corp", "dept", "prof", "rev", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "est", "approx",
))  # fmt: skip
_AFTER_MERIDIEM = re.compile(
    r"(?:ET|EST|EDT|CT|CST|CDT|PT|PST|PDT|GMT|UTC|BST|CET|CEST|Eastern|Pacific|Central|Mountain|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|"
    r"Oct|Nov|Dec|[A-Z][a-z]{2,15}\s+time)\b"
)
_TERMINAL = frozenset(".!?\"”’':;…)")

# A name as written in running text: up to five capitalised words ("the White House", "Dan Scavino").
_NAME = r"(?:[Tt]he\s)?(?:[A-Z][\w’'.-]{0,30}\s){0,4}[A-Z][\w’'.-]{0,30}"
_SAY = (
    r"(?:said|says|stated|states|wrote|writes|told|tells|noted|notes|added|adds|announced|announces|"
    r"confirmed|confirms|reported|reports|posted|tweeted|declared|insisted|claimed|claims)"
)
_ACCORDING = re.compile(rf"\b[Aa]ccording\sto\s(?P<name>{_NAME})")
_AFTER_QUOTE = re.compile(
    rf"^[,.]?\s{{0,3}}(?P<name>{_NAME}|he|she|they|it)\s(?:also\s|later\s){{0,2}}{_SAY}\b"
)
_AFTER_QUOTE_INV = re.compile(rf"^[,.]?\s{{0,3}}{_SAY}\s(?P<name>{_NAME})")
_BEFORE_QUOTE = re.compile(rf"(?P<name>{_NAME})\s(?:also\s|later\s){{0,2}}{_SAY}[,:]\s{{0,3}}$")
_NOT_NAMES = frozenset((
    "it", "he", "she", "they", "we", "i", "you", "this", "that", "these", "those", "there", "which",
    "who", "both", "the", "a", "an", "but", "and",
))  # fmt: skip


def lower_aligned(text: str, low: str | None = None) -> str:
    """``text`` lower-cased with every offset unchanged (``low`` if the caller already has it).

    Lexicon scans run on the lower-cased sentence (a prefix tree without ``re.IGNORECASE`` is several
    times faster) and their offsets index the original; the few characters whose lower case is
    longer ("İ") are kept as written so the two stay aligned.
    """
    if low is not None:
        return low
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(lc if len(lc := c.lower()) == 1 else c for c in text)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its span in the article text, text (capped), attribution and flags."""

    start: int
    end: int
    text: str
    attribution: Attribution | None  # post or quote speaker; None = decide with sentence_speaker()
    heading: bool  # a title-like line without terminal punctuation

    def speaker(self) -> Attribution:
        """The sentence's attribution (the reporting cue is only parsed when a claim needs it)."""
        return self.attribution or sentence_speaker(self.text) or OUTLET


#: Capitalised words of a title that run into a speaker's name ("Deputy Chief of Staff
#: Dan Scavino said" is Dan Scavino speaking).
_TITLE_WORDS = frozenset((
    "staff", "chief", "deputy", "secretary", "press", "spokesman", "spokeswoman", "spokesperson",
    "president", "minister", "director", "general", "senator", "sen.", "governor", "gov.", "mayor",
    "officer", "sheriff", "judge", "attorney", "prosecutor", "coach", "manager", "chairman", "ceo",
    "executive", "commissioner", "inspector", "detective", "sergeant", "captain", "lieutenant", "dr.",
))  # fmt: skip


def _clean_name(name: str) -> str | None:
    name = name.strip().rstrip(".,")
    if name.lower().startswith("the "):
        name = name[4:]
    words = name.split()
    last = max((i for i, w in enumerate(words) if w.lower() in _TITLE_WORDS), default=-1)
    if 0 <= last < len(words) - 2:
        # the name after the title ("White House Press Secretary Karoline Leavitt"); a
        # single word left keeps the whole ("President Trump")
        name = " ".join(words[last + 1 :])
    if not name or name.lower() in _NOT_NAMES or name.split()[0].lower() in _NOT_NAMES:
        return None
    return name


def _post_blocks(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int, Attribution]]:
    """(start, end, attribution) of every embedded social post, signature line included."""
    blocks: list[tuple[int, int, Attribution]] = []
    for i, (s, e) in enumerate(lines):
        if e - s > 200 or "(@" not in text[s:e]:
            continue
        m = _SIGNATURE.match(text, s, e)
        if not m:
            continue
        month = _MONTHS.get(m.group("month").lower())
        date = f"{int(m.group('year')):04d}-{month:02d}-{int(m.group('day')):02d}" if month else None
        att = Attribution(kind="social", name=m.group("handle"), date=date)
        first = i
        total = 0
        j = i - 1
        while j >= 0:
            ls, le = lines[j]
            line = text[ls:le].strip()
            if not line or _SIGNATURE.match(text, ls, le):
                break
            total += len(line)
            if total > MAX_POST_CHARS and first != i:
                break
            first = j
            j -= 1
        blocks.append((lines[first][0], e, att))
    return blocks


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quotations: curly “…” pairs and straight "…" pairs, bounded in length."""
    spans: list[tuple[int, int]] = []
    open_at = -1
    open_ch = ""
    for m in re.finditer(r"[“”\"]", text):
        ch = m.group()
        if open_at < 0:
            if ch in '“"':
                open_at, open_ch = m.start(), ch
            continue
        if m.start() - open_at > MAX_QUOTE_CHARS:
            open_at = m.start() if ch in '“"' else -1
            open_ch = ch
            continue
        if (open_ch == "“" and ch == "”") or (open_ch == '"' and ch == '"'):
            if m.start() - open_at > 8:  # a quote too short to hold a sentence attributes nothing
                spans.append((open_at, m.end()))
            open_at = -1
        elif open_ch == "“" and ch == "“":
            open_at = m.start()
    return spans


def _quote_speakers(text: str) -> list[tuple[int, int, Attribution]]:
    out: list[tuple[int, int, Attribution]] = []
    for s, e in _quote_spans(text):
        after = text[e : e + 80]
        before = text[max(0, s - 80) : s]
        name: str | None = None
        m = _AFTER_QUOTE.match(after) or _AFTER_QUOTE_INV.match(after)
        if m:
            name = m.group("name")
        else:
            b = _BEFORE_QUOTE.search(before)
            if b:
                name = b.group("name")
        if name is None:
            continue
        clean = _clean_name(name)
        out.append((s, e, Attribution(kind="speaker", name=clean)))
    return out


_SAY_WORDS = (
    "said says stated states wrote writes told tells noted notes added adds announced announces confirmed "
    "confirms reported reports posted tweeted declared insisted claimed claims"
)
_SAY_GATE = re.compile(trie_regex([*_SAY_WORDS.split(), "according to"]))


_NAME_BEFORE = re.compile(rf"(?<![\w’'])(?P<name>{_NAME})\s(?:also\s|later\s|further\s){{0,2}}$")
_NAME_AFTER = re.compile(rf"\s(?P<name>{_NAME})")


def sentence_speaker(sentence: str) -> Attribution | None:
    """The reporting cue of one sentence, if any ("according to X", "X said", "said X")."""
    if len(sentence) > MAX_SENTENCE_CHARS:
        sentence = sentence[:MAX_SENTENCE_CHARS]
    low = sentence.lower()
    if len(low) != len(sentence) or not _SAY_GATE.search(low):
        return None
    if "according to" in low:
        m = _ACCORDING.search(sentence)
        if m:
            name = _clean_name(m.group("name"))
            if name:
                return Attribution(kind="speaker", name=name)
    # scan the reporting verbs only, then look for the name just before or just after each
    for v in _SAY_GATE.finditer(low):
        a, b = v.start(), v.end()
        if (
            (a > 0 and low[a - 1].isalnum())
            or (b < len(low) and low[b].isalnum())
            or v.group() == "according to"
        ):
            continue
        before = _NAME_BEFORE.search(sentence, max(0, a - 90), a)
        if before:
            name = _clean_name(before.group("name"))
            if name:
                return Attribution(kind="speaker", name=name)
        if sentence[max(0, a - 3) : a].rstrip()[-1:] in (",", "”", '"'):
            after = _NAME_AFTER.match(sentence, b)
            if after:
                name = _clean_name(after.group("name"))
                if name:
                    return Attribution(kind="speaker", name=name)
    return None


def _split_line(line: str) -> list[tuple[int, int]]:
    """Sentence spans within one line (offsets relative to the line)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(line):
        end = m.start() + len(m.group().rstrip())
        # the word before the period, bounded (a period with no space before it must not make the
        # token the whole line: that would be quadratic on "Ab. Ab. Ab. …")
        lo = max(start, m.start() - 40)
        ws = max(line.rfind(" ", lo, m.start()), lo - 1)
        token = line[ws + 1 : m.start()].lstrip("\"“‘'(").lower()
        bare = token.replace(".", "")
        if token.endswith(("a.m", "p.m", "a. m", "p. m")):
            if _AFTER_MERIDIEM.match(line, m.end()):
                continue
        elif (
            bare in _ABBREV
            or (len(bare) == 1 and not bare.isdigit())  # an initial; "on March 1." ends a sentence
            or (token.count(".") >= 1 and len(bare) <= 3 and "." in token)
        ):
            continue
        spans.append((start, end))
        start = m.end()
    if start < len(line):
        spans.append((start, len(line)))
    return spans


def sentences(text: str) -> list[Sentence]:
    """The article's non-chrome sentences, in text order, with spans and attribution."""
    chrome = chrome_line_spans(text)
    lines: list[tuple[int, int]] = []
    pos = 0
    ci = 0
    for raw in text.split("\n"):
        s, e = pos, pos + len(raw)
        pos = e + 1
        while ci < len(chrome) and chrome[ci][1] < s:
            ci += 1
        if ci < len(chrome) and chrome[ci][0] <= s and e <= chrome[ci][1] and e > s:
            lines.append((s, s))  # keep line indexing but blank it out
            continue
        lines.append((s, e))
    posts = _post_blocks(text, lines)
    quotes = _quote_speakers(text) if ("“" in text or '"' in text) else []
    out: list[Sentence] = []
    pi = 0
    qi = 0
    for s, e in lines:
        if e <= s:
            continue
        line = text[s:e]
        if not _ALPHA2.search(line):
            continue
        while pi < len(posts) and posts[pi][1] < s:
            pi += 1
        post_att = posts[pi][2] if pi < len(posts) and posts[pi][0] <= s < posts[pi][1] else None
        if post_att is not None and _SIGNATURE.match(text, s, e):
            continue  # the signature line itself asserts nothing
        stripped = line.rstrip()
        heading = bool(stripped) and stripped[-1] not in _TERMINAL and len(stripped) < 160
        for a, b in _split_line(line):
            seg = line[a:b]
            lead = len(seg) - len(seg.lstrip())
            seg = seg.strip()
            if len(seg) < MIN_SENTENCE_CHARS or not _ALPHA2.search(seg):
                continue
            start = s + a + lead
            end = start + len(seg)
            att: Attribution | None = post_att
            if att is None:
                while qi < len(quotes) and quotes[qi][1] <= start:
                    qi += 1
                if qi < len(quotes) and quotes[qi][0] <= start < quotes[qi][1]:
                    att = quotes[qi][2]
            out.append(
                Sentence(
                    start=start,
                    end=end,
                    text=seg[:MAX_SENTENCE_CHARS],
                    attribution=att,
                    heading=heading,
                )
            )
    return out
