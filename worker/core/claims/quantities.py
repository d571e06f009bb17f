"""Quantities and durations as intervals.

Value shape (kinds ``duration`` and ``quantity``)::

    {"lo": float | None, "hi": float | None,     # None = unbounded on that side
     "lo_open": bool, "hi_open": bool,          # open ends: "more than two hours" = (120, None)
     "unit": "min" | "people" | "years" | "magnitude" | "percent" | "USD" | ... ,
     "value": float,                            # the number as written, in ``unit``
     "hedge": str | None}                       # the hedge word(s) that shaped the interval

Hedges: about/around/roughly/approximately/some/an estimated/"or so" widen the point by
:data:`APPROX_TOLERANCE` (relative) on both sides; "nearly"/"almost"/"just under" give
[v·(1-t), v); "more than"/"over"/"upwards of" give (v, ∞); "at least"/"or more" give [v, ∞);
"less than"/"under"/"fewer than" give [0, v); "up to"/"at most"/"no more than" give [0, v].
An exact number is the point [v, v].
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from worker.core.claims.gazetteer import DEMONYMS, fold
from worker.core.claims.lexicon import contains_any, trie_regex
from worker.core.claims.numbers import (
    NUMBER_RE,
    NUMBER_WORD_LIST,
    NUMBER_WORDS_RE,
    NUMERAL_RE,
    VAGUE,
    parse_number,
)
from worker.core.claims.roles import given_name, person_key
from worker.core.claims.text import MONTHS
from worker.core.claims.text import lower_aligned as _lower

#: Relative widening for "about"/"around"/"approximately"-hedged numbers (10%).
APPROX_TOLERANCE = 0.10

_UNIT_MIN = {
    "second": 1 / 60, "sec": 1 / 60, "minute": 1.0, "min": 1.0, "hour": 60.0, "hr": 60.0,
    "day": 1440.0, "week": 10080.0, "fortnight": 20160.0, "month": 43200.0, "year": 525600.0,
}  # fmt: skip
_HEDGE_WORDS = [
    "about", "around", "roughly", "approximately", "approx.", "some", "an estimated", "nearly", "almost",
    "just under", "just over", "well over", "more than", "over", "upwards of", "in excess of",
    "longer than", "at least", "a minimum of", "less than", "fewer than", "under", "shorter than",
    "up to", "at most", "no more than", "close to",
]  # fmt: skip
_HEDGE = trie_regex(_HEDGE_WORDS)
_APPROX = frozenset(
    {"about", "around", "roughly", "approximately", "approx.", "some", "an estimated", "close to"}
)
_NEARLY = frozenset({"nearly", "almost", "just under", "nearly a"})
_MORE = frozenset({"more than", "over", "upwards of", "in excess of", "longer than", "well over"})
_AT_LEAST = frozenset({"at least", "a minimum of"})
_LESS = frozenset({"less than", "fewer than", "under", "shorter than"})
_UP_TO = frozenset({"up to", "at most", "no more than"})

_DUR_UNIT = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|fortnights?|months?|years?)"
_DURATION = re.compile(
    rf"(?<![\w-])(?i:(?P<hedge>{_HEDGE})\s)?"
    rf"(?:(?P<half>half\s(?:an?\s)?(?=hour|day))|(?P<num>{NUMBER_RE}|an?)(?P<andhalf1>\sand\s(?:a\s)?half)?[\s-])"
    rf"(?P<unit>{_DUR_UNIT})\b"
    rf"(?P<andhalf2>\sand\s(?:a\s)?half)?"
    rf"(?:\s(?:and\s)?(?P<num2>{NUMERAL_RE}|{NUMBER_WORDS_RE})\sminutes?)?"
    r"(?P<orso>\sor\s(?:so|more))?",
    re.IGNORECASE,
)
_COMM = (
    r"call|phone\scall|calls|conversation|discussion|discussions|talks|talk|chat|dialogue|phone|spoke|"
    r"speak|talked|talking|speaking|conversed|chatted|conference\scall|video\scall"
)
_CEASEFIRE = (
    r"ceasefire|cease-fire|truce|pause|halt|moratorium|cessation|armistice|suspension\sof\s(?:strikes|attacks|"
    r"hostilities)|stop\sattacks|stop\sstrikes"
)
_OTHER_SUBJECTS = (
    r"meeting|summit|visit|sentence|prison\sterm|jail\sterm|jail|prison|stay|strike|siege|standoff|trial|"
    r"hearing|delay|lockdown|curfew|ban|search|flight|blackout|outage|closure|suspension|"
    r"session|journey|trip|tour|shutdown|investigation|probe|rehab|rehabilitation|treatment|detention|"
    r"operation|offensive|battle|war|occupation|deployment|mission|ceremony|service|speech|surgery|interview|"
    r"concert|performance|funeral|vigil|protest|rally|game|match|fight|bout|eruption|fire|blaze|storm|"
    r"evacuation|rescue|chase|pursuit"
)
_SUBJECT_MAP: dict[str, str] = {
    "phone": "call", "phone call": "call", "calls": "call", "conversation": "call", "discussion": "call",
    "discussions": "call", "talks": "call", "talk": "call", "chat": "call", "dialogue": "call",
    "spoke": "call", "speak": "call", "talked": "call", "talking": "call", "speaking": "call",
    "conversed": "call", "chatted": "call", "conference call": "call", "video call": "call",
    "cease-fire": "ceasefire", "truce": "ceasefire", "pause": "ceasefire", "halt": "ceasefire",
    "moratorium": "ceasefire", "cessation": "ceasefire", "armistice": "ceasefire",
    "stop attacks": "ceasefire", "stop strikes": "ceasefire", "summit": "meeting",
    "prison term": "sentence", "jail term": "sentence", "jail": "sentence", "prison": "sentence",
    "rehabilitation": "rehab", "probe": "investigation", "blaze": "fire", "bout": "fight",
    "pursuit": "chase", "standoff": "siege", "surgery": "operation",
}  # fmt: skip
_SUBJECT_WORD = re.compile(rf"\b(?:{_COMM}|{_CEASEFIRE}|{_OTHER_SUBJECTS})\b", re.IGNORECASE)
#: The same words as a prefix tree over the lower-cased sentence: a case-insensitive alternation
#: of ~70 words costs ~5x more per character (it was the largest single cost of extraction).
_SUBJECT_SCAN = re.compile(
    r"\b(?:"
    + trie_regex(
        w.replace("\\s", " ")
        for w in f"{_COMM}|{_CEASEFIRE}|{_OTHER_SUBJECTS}".replace(
            "suspension\\sof\\s(?:strikes|attacks|hostilities)",
            "suspension of strikes|suspension of attacks|suspension of hostilities",
        ).split("|")
    )
    + r")\b"
)
# "lasted", "went on for", "for" after a verb: the duration measures the clause's subject/verb.
_GOVERN = re.compile(
    r"(?:\blast(?:ed|ing|s)?|\bstretched(?:\son)?\s(?:for)?|\bwent\son\sfor|\bran\sfor|\bfor|\btook)\s$",
    re.IGNORECASE,
)
_OTHER_VERB = re.compile(
    r"\b(?:went|was|were|is|are|had|has|have|did|made|took|left|stayed|worked|lived|served|waited|\w{3,}ed)\b",
    re.IGNORECASE,
)
_ADJ_FOLLOW = re.compile(r"^(?:[\s-]+(?:long|old))", re.IGNORECASE)
_RELATIVE_AFTER = re.compile(
    r"^\s(?:ago|later|earlier|before|after|since|from\snow|old|of\sage)\b", re.IGNORECASE
)
_RELATIVE_BEFORE = re.compile(
    r"(?:\b(?:in|within|after|over\sthe\s(?:past|last|next)|the\s(?:past|last|next|first|previous)|"
    r"for\sthe\s(?:past|last|next|first)|every|each|per|than)\s)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Found:
    """A quantity found in one sentence: kind, subject, predicate, value and span in the sentence."""

    kind: str
    subject: str
    predicate: str
    value: dict[str, Any]
    start: int
    end: int
    hedges: tuple[str, ...] = ()


def interval(v: float, hedge: str | None, unit: str, floor: float | None = 0.0) -> dict[str, Any]:
    """The interval a (possibly hedged) number stands for."""
    h = (hedge or "").lower().replace("\n", " ")
    h = re.sub(r"\s+", " ", h)
    lo: float | None = v
    hi: float | None = v
    lo_open = hi_open = False
    if h in _APPROX:
        lo, hi = v * (1 - APPROX_TOLERANCE), v * (1 + APPROX_TOLERANCE)
    elif h in _NEARLY:
        lo, hi, hi_open = v * (1 - APPROX_TOLERANCE), v, True
    elif h in _MORE:
        lo, hi, lo_open = v, None, True
    elif h == "just over":
        lo, hi, lo_open = v, v * (1 + APPROX_TOLERANCE), True
    elif h in _AT_LEAST:
        lo, hi = v, None
    elif h in _LESS:
        lo, hi, hi_open = floor, v, True
    elif h in _UP_TO:
        lo, hi = floor, v
    return {
        "lo": _r(lo),
        "hi": _r(hi),
        "lo_open": lo_open,
        "hi_open": hi_open,
        "unit": unit,
        "value": _r(v),
        "hedge": h or None,
    }


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def _subject_words(low: str) -> list[re.Match[str]]:
    """Every subject word of a (lower-cased) sentence, found once and shared by its durations."""
    return list(_SUBJECT_SCAN.finditer(low))


def _subject_of(word: str) -> str:
    word = " ".join(word.split())
    return _SUBJECT_MAP.get(word, word)


def _duration_subject(sentence: str, m: re.Match[str], words: list[re.Match[str]]) -> str | None:
    """What a duration measures, or None (precision first: no subject, no claim).

    ``words`` are the sentence's subject words (:func:`_subject_words`), so the subject lexicon is
    scanned once per sentence rather than once per duration.
    """
    end = m.end()
    if m.group("num") and sentence[m.start("unit") - 1] == "-":
        # adjective form "a 90-minute discussion", "30-day temporary ceasefire": the noun after it.
        for w in words:
            if w.start() >= end:
                if w.end() <= end + 40 and len(sentence[end : w.start()].split()) <= 2:
                    return _subject_of(w.group())
                break
        return None
    lo = max(0, m.start() - 160)
    before = sentence[lo : m.start()]
    gov = _GOVERN.search(before)
    if not gov:
        return None
    # the nearest subject word before the duration, within the clause
    cut = lo + max(before.rfind(";"), before.rfind(":")) + 1
    last = None
    for w in words:
        if w.end() > m.start():
            break
        if w.start() >= cut:
            last = w
    if last is None:
        return None
    between = sentence[last.end() : m.start()]
    if gov.group().strip().lower() == "for" and (
        "," in between or _OTHER_VERB.search(between) or len(between) > 70
    ):
        # "talked to his team, went on vacation for a week": "for" belongs to another verb
        return None
    return _subject_of(last.group())


_UNITS = ["second", "sec", "minute", "min", "hour", "hr", "day", "week", "fortnight", "month", "year"]
_UNIT_WORD = re.compile(r"(?<![a-z])(?:" + trie_regex(_UNITS) + r")s?\b")  # not "Tuesday", "minister"
_DIGIT = re.compile(r"\d")
#: Tokens that can end the number of a duration ("two hours", "an hour", "half a day", "2 million years").
_NUM_TOKENS = frozenset([*NUMBER_WORD_LIST, "hundred", "thousand", "million", "billion", "a", "an", "half"])


def _unit_candidates(low: str) -> list[re.Match[str]]:
    """Unit words that follow a number-like token ("90 minutes", "two-hour", "an hour", "half a day",
    "and a half hours", "2 million years"): most unit words in news ("for years", "hours after") are
    not durations, and the full duration pattern is the expensive part."""
    out: list[re.Match[str]] = []
    for u in _UNIT_WORD.finditer(low):
        a = u.start()
        if a < 2 or not (low[a - 1].isspace() or low[a - 1] == "-"):
            continue
        head = low[max(0, a - 30) : a - 1].rsplit(None, 1)
        prev = head[-1].rsplit("-", 1)[-1] if head else ""
        if prev[-1:].isdigit() or prev in _NUM_TOKENS:
            out.append(u)
    return out


def _duration_matches(sentence: str, units: list[re.Match[str]]) -> Iterator[re.Match[str]]:
    """The duration matches of a sentence, searching only just before each candidate unit word."""
    last_end = 0
    for u in units:
        a = u.start()
        lo = max(last_end, a - 70)
        for m in _DURATION.finditer(sentence, lo, min(len(sentence), u.end() + 50)):
            if m.start("unit") == a:
                last_end = m.end()
                yield m
                break


def durations(sentence: str, low: str | None = None) -> Iterator[Found]:
    """Durations with an identifiable subject ("the call lasted 90 minutes")."""
    low = _lower(sentence, low)
    units = _unit_candidates(low)
    if not units:
        return
    words = _subject_words(low)
    if not words:
        return  # no call, ceasefire, meeting …: no duration here has a subject
    for m in _duration_matches(sentence, units):
        unit = m.group("unit").lower().rstrip("s")
        if unit not in _UNIT_MIN:
            unit = {"min": "min", "hr": "hr", "sec": "sec"}.get(unit, unit)
        per = _UNIT_MIN.get(unit)
        if per is None:
            continue
        relative = _RELATIVE_AFTER.match(sentence, m.end()) or _ADJ_FOLLOW.match(
            sentence[m.end() : m.end() + 6]
        )
        if relative and not sentence[m.end() : m.end() + 6].lower().lstrip(" -").startswith("long"):
            continue  # "two weeks ago", "a 30-year-old": not a duration ("two-hour-long" is)
        if m.group("hedge") is None and _RELATIVE_BEFORE.search(sentence[max(0, m.start() - 30) : m.start()]):
            continue
        if m.group("half"):
            n: float | None = 0.5
        else:
            n = parse_number(m.group("num"))
        if n is None:
            continue
        if m.group("andhalf1") or m.group("andhalf2"):
            n += 0.5
        minutes = n * per
        if m.group("num2"):
            extra = parse_number(m.group("num2"))
            if extra is None:
                continue
            minutes += extra
        subject = _duration_subject(sentence, m, words)
        if subject is None:
            continue
        hedge = m.group("hedge")
        if m.group("orso"):
            hedge = hedge or ("about" if m.group("orso").strip().endswith("so") else "at least")
        val = interval(minutes, hedge, "min")
        hedges: tuple[str, ...] = (hedge.lower(),) if hedge else ()
        if _running(sentence, m.start(), m.end()) and val["lo"] is not None and val["lo"] > 0:
            # Told while it goes on ("has been on hunger strike for a week", "12 days so
            # far"): how long it had lasted by then, a lower bound of its whole length.
            val = {**val, "hi": None, "hi_open": False}
            hedges = (*hedges, SO_FAR)
        yield Found("duration", subject, "duration", val, m.start(), m.end(), hedges)


#: The hedge of a duration told while the happening goes on (a lower bound of its length).
SO_FAR = "so far"
_PERFECT = re.compile(
    r"\b(?:has|have|had|['’]s|['’]ve)\s+(?:(?:now|already|so\s+far|reportedly|effectively)\s+)?"
    r"(?:been|lasted|gone\s+on|continued|stayed|remained|spent|run|dragged\s+on)\b",
    re.I,
)
_FOR_END = re.compile(r"\bfor\s+$", re.I)
_SO_FAR_AFTER = re.compile(r"\s*,?\s*(?:so\s+far|to\s+date|and\s+counting)\b", re.I)


def _running(sentence: str, start: int, end: int) -> bool:
    """Whether the duration at ``sentence[start:end]`` is told while the happening goes on:
    "for <it>" in a clause of the perfect ("has been on strike for a week", "had lasted
    for 12 days"), or "<it> so far" / "to date" / "and counting"."""
    if _SO_FAR_AFTER.match(sentence, end):
        return True
    before = sentence[max(0, start - 80) : start]
    before = before[max(before.rfind(";"), before.rfind(". ")) + 1 :]
    return _FOR_END.search(before) is not None and _PERFECT.search(before) is not None


_PEOPLE = (
    r"(?:people|persons|civilians|soldiers|troops|children|adults|women|men|students|police(?:\sofficers)?|"
    r"officers|others|residents|passengers|workers|miners|fighters|militants|protesters|demonstrators|"
    r"suspects|migrants|tourists|victims|patients|firefighters|journalists|hostages|crew(?:\smembers)?)"
)
_COUNT_VERBS = {
    "killed": "killed", "dead": "killed", "died": "killed", "dies": "killed", "perished": "killed",
    "die": "killed", "injured": "injured", "wounded": "injured", "hurt": "injured",
    # those taken to hospital are some of the injured, not a count of them
    "hospitalized": "hospitalized", "hospitalised": "hospitalized",
    "taken to hospital": "hospitalized", "taken to the hospital": "hospitalized",
    "taken to hospitals": "hospitalized", "sent to hospital": "hospitalized",
    "rushed to hospital": "hospitalized", "rushed to the hospital": "hospitalized",
    "admitted to hospital": "hospitalized", "treated in hospital": "hospitalized",
    "arrested": "arrested", "detained": "arrested", "missing": "missing",
    "evacuated": "evacuated", "rescued": "rescued",
}  # fmt: skip
_CV = "|".join(_COUNT_VERBS)
_COUNT_SUBJ = re.compile(
    rf"(?<![\w.,-])(?i:(?P<hedge>{_HEDGE})\s)?(?P<num>{NUMBER_RE}|dozens|hundreds|thousands|scores|several)"
    rf"(?:\s(?:of\s)?(?:more\s)?(?P<noun>{_PEOPLE})|\sof\sthem|\sof\sthose)?"
    rf"(?:\s(?:(?P<still>(?:were|was|are|is)\sstill|still|remain|remains|remained)|"
    rf"were|was|have\sbeen|had\sbeen|are|got|have|had|been|(?:could|would|may|might|will|can)"
    rf"(?:\shave)?(?:\sbe|\sbeen)?))?\s(?P<verb>{_CV})\b",
    re.IGNORECASE,
)
#: Verbs whose count is a count of people only with the outcome after it ("leaving two
#: dead", "sending 14 people to hospital").
_SENDING_VERBS = frozenset(
    {"left", "leaving", "sending", "sent", "sends", "taking", "took", "putting", "put"}
)
#: Verbs whose object is a count of people ("killing 12", "sending 14 people to hospital").
_OBJ_VERBS = (
    "killing", "killed", "kills", "kill", "injuring", "injured", "injures", "injure", "wounding", "wounded",
    "arresting", "arrested", "rescuing", "rescued", "rescues", "saving", "saved", "evacuating", "evacuated",
    "evacuates", *sorted(_SENDING_VERBS),
)  # fmt: skip
_COUNT_OBJ = re.compile(
    rf"\b(?P<verb>{'|'.join(_OBJ_VERBS)})\s(?:all\s)?"
    rf"(?i:(?P<hedge>{_HEDGE})\s)?(?P<num>{NUMBER_RE}|dozens|hundreds|thousands|scores|several)"
    rf"(?:\s(?:more\s)?(?P<noun>{_PEOPLE}))?(?P<dead>\s(?:dead|injured|wounded|(?:to|in)\s(?:the\s)?hospital))?\b",
    re.IGNORECASE,
)
#: Verbs of a figure that grew (also what dates an update in ``times``: "rose to 22 on Wednesday").
#: Present tense too: headlines tell a toll's growth so ("Ferry toll rises to 23").
RISE_VERBS = (
    r"(?:rose|risen|rises|climbed|climbs|jumped|jumps|increased|increases|grew|grown|grows|mounted|mounts)"
)
_TOLL = re.compile(
    rf"\b(?P<what>death\stoll|toll|number\sof\s(?:people\s|persons\s)?"
    rf"(?:dead|deaths|killed|injured|wounded|hurt|casualties))\s"
    # "the death toll from the ferry sinking rose to 23": what the toll is of, before its verb;
    # told as grown, it may be long ("killed by Wednesday's earthquake in X, in Y, has risen to")
    rf"(?:from\s(?:the\s|a\s)?(?:[\w'’-]+\s){{1,3}}?"
    rf"(?=(?:has\s|had\s)?(?:{RISE_VERBS}|stood|stands|reached|hit|is|was)\s)|"
    rf"(?:from|by|in|after)\s[^.;:!?]{{1,90}}?,?\s(?=(?:has\s|had\s)?{RISE_VERBS}\sto\s))?"
    rf"(?:\w+\s){{0,2}}?"
    rf"(?:to|at|of|is|was|stands\sat|stood\sat|reached|hit)\s(?i:(?P<hedge>{_HEDGE})\s)?(?P<num>{NUMBER_RE})\b",
    re.IGNORECASE,
)
_NOUN_AFTER = re.compile(rf"^\s(?:[A-Z]\w+\s)?{_PEOPLE}\b", re.IGNORECASE)


def _count_value(num: str, hedge: str | None) -> dict[str, Any] | None:
    key = num.lower()
    if key in VAGUE or key + " of" in VAGUE:
        lo, hi = VAGUE.get(key) or VAGUE[key + " of"]
        return {
            "lo": lo,
            "hi": hi,
            "lo_open": False,
            "hi_open": False,
            "unit": "people",
            "value": lo,
            "hedge": key,
        }
    v = parse_number(num)
    if v is None or v != int(v) or v > 10_000_000:
        return None
    return interval(v, hedge, "people")


_COUNT_VERB_SCAN = re.compile(r"\b(?:" + trie_regex(_COUNT_VERBS) + r")\b")
_COUNT_GATE = ("kill", "dead", "die", "injur", "wound", "hurt", "hospital", "arrest", "detain", "missing",
               "evacuat", "rescu", "saved", "saving", "toll")  # fmt: skip


#: Nouns that count everyone (the event's total); any other noun counts a subgroup.
_TOTAL_NOUNS = frozenset({"people", "persons", "victims", "others"})


def _group(pred: str, noun: str | None) -> str:
    """``killed`` for a total, ``killed:women`` for a subgroup ("two women died" is not the toll)."""
    if noun is None:
        return pred
    n = re.sub(r"\s+", " ", noun.lower())
    return pred if n in _TOTAL_NOUNS else f"{pred}:{n}"


def _count_subj_matches(sentence: str, low: str) -> list[re.Match[str]]:
    """_COUNT_SUBJ matches, searched only in the 90 characters before each count verb."""
    out: list[re.Match[str]] = []
    last_end = 0
    for v in _COUNT_VERB_SCAN.finditer(low):
        lo = max(last_end, v.start() - 90)
        for m in _COUNT_SUBJ.finditer(sentence, lo, min(len(sentence), v.end() + 2)):
            if m.end("verb") == v.end():
                out.append(m)
                last_end = m.end()
                break
    return out


_OBJ_VERB_SCAN = re.compile(r"\b(?:" + trie_regex(_OBJ_VERBS) + r")\s")


def _count_obj_matches(sentence: str, low: str) -> list[re.Match[str]]:
    """_COUNT_OBJ matches, tried only where one of its verbs starts (found on the lower-cased text)."""
    out: list[re.Match[str]] = []
    last_end = 0
    for v in _OBJ_VERB_SCAN.finditer(low):
        if v.start() < last_end:
            continue
        m = _COUNT_OBJ.match(sentence, v.start())
        if m:
            out.append(m)
            last_end = m.end()
    return out


_PARTITIVE = re.compile(r"\bof\s(?:the\s|those\s|these\s)?$", re.IGNORECASE)
_NONE_BEFORE = re.compile(r"\b(?:no|not|nobody|none)\s$")
#: A year, not a count: after a preposition, a month ("a collapse in March 2021 killed
#: nine") or a day of the month ("on June 3, 2019 killed").
_YEAR_BEFORE = re.compile(
    rf"\b(?:in|since|of|by|from|until|during|year|{trie_regex(MONTHS)}|"
    r"\d{1,2}(?:st|nd|rd|th)?,?)\.?\s(?:19|20)\d\d$"
)


def counts(sentence: str, low: str | None = None) -> Iterator[Found]:
    """The sentence's counts of people, read together (see :func:`_counts_together`)."""
    low = _lower(sentence, low)
    if not contains_any(low, _COUNT_GATE):
        return
    yield from _counts_together(sentence, list(_counts(sentence, low)))


def _counts(sentence: str, low: str) -> Iterator[Found]:
    seen: set[tuple[int, int]] = set()
    for m in _count_subj_matches(sentence, low):
        if _NONE_BEFORE.search(low, max(0, m.start("num") - 8), m.start("num")):
            continue  # "no one was hurt", "not one person died": zero, not one
        if _YEAR_BEFORE.search(low, max(0, m.start("num") - 16), m.end("num")):
            continue  # "an earthquake in 1999 killed …": a year, not a count
        if _NOUN_AFTER.match(sentence, m.end()):
            continue  # "23 severely wounded Ukrainian soldiers": an adjective, not the event's count
        if _PARTITIVE.search(sentence, max(0, m.start("num") - 12), m.start("num")):
            continue  # "two of the three victims died": the count is the part, not the whole
        if re.match(r"\s?(?:years?|months?|days?|hours?|minutes?|percent|%)", sentence[m.end("num") :]):
            continue
        val = _count_value(m.group("num"), m.group("hedge"))
        if val is None:
            continue
        pred = _combined(_COUNT_VERBS[m.group("verb").lower()], sentence, m.end())
        seen.add((m.start("num"), m.end("num")))
        hedges = _h(m.group("hedge")) + ((STILL,) if m.group("still") else ())
        yield Found("quantity", "event", _group(pred, m.group("noun")), val, m.start(), m.end(), hedges)
    for m in _count_obj_matches(sentence, low):
        verb = m.group("verb").lower()
        outcome = (m.group("dead") or "").strip().lower()
        if verb in _SENDING_VERBS and (
            not outcome or outcome.endswith("hospital") == (verb in ("left", "leaving"))
        ):
            # "left two dead", "sent 14 people to hospital": only with their outcome; "left
            # 14 in hospital" tells who is there at the time of writing, which is not read
            continue
        if (m.start("num"), m.end("num")) in seen:
            continue
        if re.match(r"\s?(?:years?|months?|days?|hours?|minutes?|percent|%|times)", sentence[m.end("num") :]):
            continue
        val = _count_value(m.group("num"), m.group("hedge"))
        if val is None:
            continue
        base = outcome or verb
        if base.endswith("hospital"):
            base = "hospitalized"
        pred = {
            "killing": "killed",
            "kills": "killed",
            "kill": "killed",
            "injures": "injured",
            "injure": "injured",
            "injuring": "injured",
            "wounding": "injured",
            "arresting": "arrested",
            "rescuing": "rescued",
            "rescues": "rescued",
            "saving": "rescued",
            "saved": "rescued",
            "evacuating": "evacuated",
            "evacuates": "evacuated",
        }.get(base, _COUNT_VERBS.get(base, "killed"))
        if base in ("saving", "saved") and not m.group("noun"):
            continue  # "saved 300 jobs", "saved $2 million": only people saved are rescued
        pred = _combined(pred, sentence, m.end())
        yield Found(
            "quantity", "event", _group(pred, m.group("noun")), val, m.start(), m.end(), _h(m.group("hedge"))
        )
    if "toll" in low or "number of" in low:
        for m in _TOLL.finditer(sentence):
            what = m.group("what").lower()
            pred = "injured" if any(w in what for w in ("injured", "wounded", "hurt")) else "killed"
            val = _count_value(m.group("num"), m.group("hedge"))
            if val is not None:
                hedges = _h(m.group("hedge"))
                if _RISEN.search(m.group()):
                    hedges = (*hedges, RISEN)
                yield Found("quantity", "event", pred, val, m.start(), m.end(), hedges)


#: A count the sentence gives again, elliptically, as another voice's or an earlier
#: figure: "seven people by the state's count and eight by the emergency agency's",
#: "Five students were hurt ...; police had earlier said four."  The bare number takes the
#: count's measure.
_ALT_COUNT = re.compile(
    rf"\s(?:by|according\sto)\s[^.;:!?]{{1,50}}?,?\s(?:and|but|while|whereas|or)\s"
    rf"(?:(?i:(?P<hedge>{_HEDGE}))\s)?(?P<num>{NUMBER_RE})\s(?:by|according\sto)\s"
)
_EARLIER_COUNT = re.compile(
    rf"[;,]\s(?:[\w’'-]+\s){{0,4}}?(?:had\s)?(?:initially|originally|earlier|previously|at\sfirst|first)\s"
    rf"(?:had\s)?(?:said|reported|given|counted|put\s(?:it|the\s(?:toll|number|figure|count))\sat)\s"
    rf"(?:(?i:(?P<hedge>{_HEDGE}))\s)?(?P<num>{NUMBER_RE})(?=\s?[.;,)]|\s?$)",
    re.IGNORECASE,
)


def _counts_together(sentence: str, found: list[Found]) -> Iterator[Found]:
    """What a sentence's counts say of each other.

    * A count told after a toll's growth ("has risen to six, with 47 people injured") is
      one of the latest counts: it carries :data:`RISEN` as the toll does.
    * The dead beside the missing ("Three dead, one missing") bound a toll that may yet
      count the missing: the death count carries ``missing`` and ``relate`` reads a higher
      toll within that many as no disagreement.
    * A count given again elliptically is a second count of the same measure: another
      voice's (:data:`_ALT_COUNT`), so the article holds two values that ``_two_values``
      keeps from being compared; or an earlier one (:data:`_EARLIER_COUNT`), which the
      occasion model reads as ``background`` and ``reconcile.told_elsewhere`` as the
      figure this report updates.
    """
    if not found:
        return  # most sentences the gate lets through hold no count
    rise = _RISEN_TO.search(sentence)
    missing = sum(
        float(f.value["lo"])
        for f in found
        if f.predicate.partition(":")[0] == "missing" and isinstance(f.value.get("lo"), int | float)
    )
    taken = {(f.start, f.end) for f in found}
    for f in found:
        out = f
        if rise is not None and f.start > rise.start() and RISEN not in f.hedges:
            out = dataclasses.replace(out, hedges=(*out.hedges, RISEN))
        if missing and f.predicate.partition(":")[0] in ("killed", "dead"):
            out = dataclasses.replace(out, value={**out.value, "missing": missing})
        yield out
        # the other voice's count follows right on; an earlier one may come a clause later
        for m, later in (
            (_ALT_COUNT.match(sentence, f.end), False),
            (_EARLIER_COUNT.search(sentence, f.end), True),
        ):
            if m is None or any(s <= m.start("num") < e for s, e in taken):
                continue
            if later and any(f.end < g.start < m.start() for g in found):
                continue  # another count stands between: the bare number is not this one's
            val = _count_value(m.group("num"), m.group("hedge"))
            if val is not None:
                taken.add((m.start("num"), m.end("num")))
                yield Found(
                    f.kind, f.subject, f.predicate, val, m.start("num"), m.end("num"), _h(m.group("hedge"))
                )


#: "Fifty people were killed or are missing", "left 30 dead or injured": one count of two
#: fates together, not a toll.
_OR_FATE = re.compile(
    r"\s(?:or|and/or)\s(?:(?:are|is|were|was|remain|remained|have\sbeen|had\sbeen|been)\s)?(?:still\s)?"
    r"(?P<fate>missing|unaccounted\sfor|injured|wounded|hurt|dead|killed)\b",
    re.IGNORECASE,
)


def _combined(pred: str, sentence: str, end: int) -> str:
    """``killed_or_missing`` when the count's verb is joined to a second fate ("killed or
    missing"): a count of both, compared only with such counts."""
    m = _OR_FATE.match(sentence, end)
    if m is None:
        return pred
    other = _COUNT_VERBS.get(m.group("fate").lower().split()[0], "missing")
    return pred if other == pred else f"{pred}_or_{other}"


#: The hedge of a toll told as having grown ("the toll rose to 15", "has climbed to"):
#: the latest count of an evolving figure, which supersedes a lower one whatever the
#: reports' times (``worker/core/reconcile.py``).
RISEN = "risen"
#: The hedge of a count told as what remains ("nine remain missing", "two are still in
#: hospital"): a remainder at the time of writing, which the search or the recovery
#: changes; two such counts are not a disagreement (``relate``).
STILL = "still"
_RISEN = re.compile(rf"\b{RISE_VERBS}\b", re.IGNORECASE)
#: A figure grown to a level ("has risen to six"): the counts told after it are the latest.
_RISEN_TO = re.compile(rf"\b{RISE_VERBS}\s(?:to|past|above)\s", re.IGNORECASE)


def _h(hedge: str | None) -> tuple[str, ...]:
    return (re.sub(r"\s+", " ", hedge.lower()),) if hedge else ()


_NAME_WORD = r"[A-Z][a-z][\w’'-]{0,20}"
_NAME = rf"{_NAME_WORD}(?:[^\S\n]{_NAME_WORD}){{0,2}}"
#: A name written in full: two or three words.
_FULL_NAME = rf"{_NAME_WORD}(?:[^\S\n]{_NAME_WORD}){{1,2}}"
_AGE_APPOS = re.compile(rf"(?P<name>{_NAME}),\s(?P<age>\d{{1,3}}),")
_AGE_ADJ = re.compile(
    rf"\b(?P<age>\d{{1,3}}|{NUMBER_WORDS_RE})[-\s]years?[-\s]old\s(?:[a-z]+\s){{0,2}}(?P<name>{_NAME})"
)
#: "a 61-year-old French engineer, Alain Kerbrat,": an age, a description and the person it
#: describes, named in full right after it (set off like an appositive).
_AGE_DESCRIBED = re.compile(
    rf"\b(?P<age>\d{{1,3}}|{NUMBER_WORDS_RE})[-\s]years?[-\s]old\s(?P<desc>(?:[\w’'-]+\s){{0,3}}[a-z][\w-]*),\s"
    rf"(?P<name>{_FULL_NAME})(?=[,.;]|\s\(|\swho\b|$)"
)
#: Words that cannot stand between "N-year-old" and the person's name.
_NOT_BETWEEN = frozenset(("in", "of", "at", "from", "on", "for", "with", "and", "to", "by", "near"))
#: A capitalised word followed by one of these is a place or group modifier, not a name.
_PERSON_NOUN_AFTER = re.compile(
    r"\s(?:man|woman|men|women|boy|girl|resident|residents|native|teen|teenager|youth|student|mother|"
    r"father|couple|driver|worker|officer|motorist|pedestrian)\b"
)
#: What a number after "died at" must not be followed by: it is a clock time ("died at
#: 9:15pm", "died at 9 p.m."), a percentage or a span, not an age.
_NOT_AGE_AFTER = (
    r"(?!\s?[:.]\s?\d|\s?[aApP]\.?\s?[mM]\b|\s?o['’]clock|\s?%|\s(?:percent|hours?|minutes?|days?|"
    r"weeks?|months?|a\.m|p\.m|am\b|pm\b|in\sthe\s(?:morning|evening|afternoon)))"
)
#: After an age at death comes the end of the clause or a preposition, never a noun
#: ("died at one hospital" is a place).
_AGE_END = r"(?=\s*(?:[,.;:)\]—–]|$|\s(?:in|on|after|following|from|of|years?|at|and|but|while|when|-)\b))"
_AGE_DEATH = re.compile(
    rf"\b(?:dies|died|dead|passed\saway)\s(?:\w+\s){{0,3}}?(?:at|aged|at\sthe\sage\sof)\s"
    rf"(?P<age>\d{{1,3}}|{NUMBER_WORDS_RE})\b{_NOT_AGE_AFTER}{_AGE_END}"
)
#: "Jane Doe, aged 58," / "Jane Doe, 58, who was": the name and "aged" next to it.
_AGE_AGED = re.compile(rf"(?P<name>{_NAME}),?\s(?:was\s)?aged\s(?P<age>\d{{1,3}})\b{_NOT_AGE_AFTER}")
#: "She was 102." / "He was 64 years old": a pronoun's age, the article's main person's
#: when the text names only one person up front (resolved by the caller).
_AGE_PRONOUN = re.compile(
    r"\b(?:[Hh]e|[Ss]he)\s(?:was|is)\s(?P<age>\d{1,3})(?:\syears?\sold)?(?=[.,;]|\sand\b|$)"
)
#: The subject given to an age whose person is a pronoun or is not named next to it.
MAIN_PERSON = "person:?"
_NAME_RE = re.compile(_NAME)
#: What every appositive age has ("Smith, 62,"): a literal-led search, far cheaper than _AGE_APPOS.
_APPOS_HINT = re.compile(r",\s\d{1,3},")
_PAST_YEAR = re.compile(r"\b(?:in|since|of)\s(?:1[89]\d\d|20\d\d)\b")
#: A relative clause set off by commas ("Haugli, who joined in 2022, was named"): a year in it
#: dates what the clause tells, not the sentence's age.
RELATIVE_CLAUSE = re.compile(r",\s(?:who|whose|which)\s[^,;]*,")


def _age(v: float, name: str) -> dict[str, Any]:
    value = interval(v, None, "years")
    value["given"] = given_name(name)
    return value


#: What stands before a place, not a person: "from Bavaria", "in Leeds", "near Lyon".
_PLACE_BEFORE = re.compile(r"\b(?:from|in|near)\s$")


def ages(sentence: str, low: str | None = None) -> Iterator[Found]:
    """Ages of people.  A pronoun's age, or an age at death with no name before it, gets the
    subject :data:`MAIN_PERSON` for the caller to resolve (or drop)."""
    low = _lower(sentence, low)
    death = "die" in low or "dead" in low or "passed away" in low
    appos = _APPOS_HINT.search(sentence) is not None
    adj = "year" in low and "old" in low
    aged = "aged " in low
    pronoun = "he was " in low or "he is " in low
    if not (death or appos or adj or aged or pronoun):
        return
    past = bool(_PAST_YEAR.search(RELATIVE_CLAUSE.sub(",", sentence)))
    for m in _AGE_DEATH.finditer(sentence) if death else ():
        # the person is the last capitalised name before the verb ("Legendary actor John Smith dies")
        names = [
            n for n in _NAME_RE.finditer(sentence, max(0, m.start() - 80), m.start()) if " " in n.group()
        ]
        v = parse_number(m.group("age"))
        if v is None or not 0 < v < 130:
            continue
        key = person_key(names[-1].group()) if names else MAIN_PERSON
        if key:
            value = _age(v, names[-1].group()) if names else interval(v, None, "years")
            yield Found("quantity", key, "age", value, m.start(), m.end())
    for m in _AGE_AGED.finditer(sentence) if aged else ():
        if _PLACE_BEFORE.search(sentence, max(0, m.start() - 6), m.start()):
            continue  # "three men from Bavaria aged 34, 38 and 45": the name is a place
        key = person_key(m.group("name"))
        v = float(m.group("age"))
        if key and 0 < v < 130:
            yield Found("quantity", key, "age", _age(v, m.group("name")), m.start(), m.end())
    for m in _AGE_PRONOUN.finditer(sentence) if pronoun else ():
        v = float(m.group("age"))
        if 0 < v < 130:
            yield Found(
                "quantity", MAIN_PERSON, "age", interval(v, None, "years"), m.start("age"), m.end("age")
            )
    if past:
        return  # "Smith, 62, told reporters in 2015": an age at a past date, not today's
    for m in _AGE_APPOS.finditer(sentence) if appos else ():
        if _PLACE_BEFORE.search(sentence, max(0, m.start() - 6), m.start()):
            continue  # "a woman from Leeds, 34, and ...": the name is a place
        key = person_key(m.group("name"))
        v = float(m.group("age"))
        if key and 0 < v < 130 and not re.match(r"\s?\d{4}", sentence[m.end() : m.end() + 6]):
            yield Found("quantity", key, "age", _age(v, m.group("name")), m.start(), m.end())
    for m in _AGE_ADJ.finditer(sentence) if adj else ():
        between = sentence[m.end("age") : m.start("name")].lower().split()
        if any(w in _NOT_BETWEEN for w in between):
            continue  # "a 30-year-old congregation in Wasilla": the age is not of a person named next
        if _PERSON_NOUN_AFTER.match(sentence, m.end("name")):
            continue  # "a 57-year-old Wasilla woman": the name is a place
        key = person_key(m.group("name"))
        v = parse_number(m.group("age"))
        if key and v is not None and 0 < v < 130:
            yield Found("quantity", key, "age", _age(v, m.group("name")), m.start(), m.end())
    for m in _AGE_DESCRIBED.finditer(sentence) if adj else ():
        desc = m.group("desc").split()
        if any(w in _NOT_BETWEEN for w in desc) or any(
            w[0].isupper() and fold(w) not in DEMONYMS for w in desc
        ):
            continue  # "a 30-year-old man from Leeds, ...", "a 40-year-old Acme driver, ...": no description
        key = person_key(m.group("name"))
        v = parse_number(m.group("age"))
        if key and v is not None and 0 < v < 130:
            yield Found("quantity", key, "age", _age(v, m.group("name")), m.start(), m.end())


_MAGNITUDE = re.compile(
    rf"(?:\bmagnitude[\s-](?:of\s)?(?i:(?P<hedge>{_HEDGE})\s)?(?P<num>\d{{1,2}}(?:\.\d{{1,2}})?)\b|"
    r"\b(?P<num2>\d{1,2}(?:\.\d{1,2})?)[\s-]magnitude\b|"
    r"\bmeasur(?:ed|ing)\s(?P<num3>\d{1,2}(?:\.\d{1,2})?)\son\sthe\sRichter)",
    re.IGNORECASE,
)
_SCORE = re.compile(
    r"\b(?P<a>\d{1,2})\s?[-–]\s?(?P<b>\d{1,2})\s(?:[\w-]+\s)?(?:win|victory|defeat|loss|draw|triumph|thrashing|rout)\b"
    r"|\b(?:won|beat|beating|defeated|defeating|lost\sto|lost|drew|edged|edging|routed|routing|thrashed|thrashing)"
    r"\s(?:[A-ZÀ-ÖØ-Þ][\w.'’]*\s){0,3}"
    r"(?:the\s(?:game|match|final|tie|contest|series|bout)\s)?(?:by\s)?"
    r"(?P<c>\d{1,2})\s?[-–]\s?(?P<d>\d{1,2})\b"
)
# Money only for amounts an event usually has one of (a fine, a bail, a ransom): contracts, deals
# and offers come in several per story (different players, counter-offers), so they are not slots.
_MONEY = re.compile(
    rf"(?P<cur>[$€£¥])\s?(?P<num>{NUMERAL_RE})(?:[\s-]?(?P<scale>(?i:million|billion|thousand)|bn|m|k)\b)?"
    r"(?P<after>\s(?:fine|bail|ransom|reward|settlement|damages|penalty|payout|bond))?",
)
_MONEY_NOUN_BEFORE = re.compile(
    r"\b(?P<noun>fine|bail|ransom|reward|settlement|damages|penalty|payout|bond)\s(?:of|worth|valued\sat|totaling|"
    r"totalling|set\sat)\s(?:(?:about|around|roughly|approximately|nearly|almost|more\sthan|over|"
    r"at\sleast|up\sto|some)\s)?$",
    re.IGNORECASE,
)
#: What a happening cost or took: damage ("$1 million in damage", "damage estimated at $1
#: million", "caused $2 million in damages") and a haul ("stole $2.5 million", "jewels worth
#: $2.5 million", "$2.5 million worth of jewellery").  One per happening, unlike deals.
_DAMAGE_AFTER = re.compile(r"^(?:\sin)?\s(?:property\s)?damages?\b")
_DAMAGE_BEFORE = re.compile(
    r"\b(?:damages?|losses)\s(?:\w+\s){0,5}?(?:(?:estimated|put|valued|pegged|assessed)\s(?:at\s)?|at\s|"
    r"(?:of|totaling|totalling|reached|topped|exceeded)\s)(?:(?:about|around|roughly|approximately|nearly|"
    r"almost|more\sthan|over|at\sleast|up\sto|some|an\sestimated)\s)?(?:US)?$",
    re.IGNORECASE,
)
_HAUL_BEFORE = re.compile(
    r"\b(?:stole|stolen|stealing|steal|snatched|took|taking|grabbed|made\soff\swith|escaped\swith|"
    r"haul\sof|loot\sof|(?:jewels|jewelry|jewellery|gems|diamonds|goods|cash|valuables|watches)\s"
    r"(?:\w+\s){0,2}?(?:worth|valued\sat))\s(?:(?:about|around|roughly|approximately|nearly|almost|more\sthan|"
    r"over|at\sleast|up\sto|some|an\sestimated)\s)?(?:US)?$",
    re.IGNORECASE,
)
_HAUL_AFTER = re.compile(
    r"^\sworth\sof\s(?:\w+\s){0,2}?(?:jewels|jewelry|jewellery|gems|diamonds|goods|watches|cash)\b"
)


def _loss_noun(sentence: str, low: str, m: re.Match[str]) -> str | None:
    """``damage`` or ``haul`` for an amount a happening caused or took, else None."""
    after = low[m.end() : m.end() + 40]
    before = sentence[max(0, m.start() - 70) : m.start()]
    if _DAMAGE_AFTER.match(after) or _DAMAGE_BEFORE.search(before):
        return "damage"
    if _HAUL_BEFORE.search(before) or _HAUL_AFTER.match(after):
        return "haul"
    return None


#: A bare "$" is some dollar (US, Canadian, Australian …, or a conversion at some day's
#: rate): unit "$", compared loosely (see ``relate``); "US$" is the US dollar.
_CURRENCY = {"$": "$", "€": "EUR", "£": "GBP", "¥": "JPY"}
#: An amount in brackets right after another amount is its conversion, not a figure of its
#: own: "€2 million ($2.6 million)", "2 million euros (£1.7 million)".
_CONVERSION_BEFORE = re.compile(
    r"(?:[$€£¥]\s?\d[\d.,]*(?:\s?(?:million|billion|m|bn))?|\d[\d.,]*\s?(?:million\s|billion\s)?"
    r"(?:euros?|pounds|dollars|yen|francs|rupees|yuan))\s?\($",
    re.IGNORECASE,
)
_SCALE = {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "thousand": 1e3, "k": 1e3}
_PERCENT = re.compile(
    rf"\b(?P<noun>turnout|unemployment|inflation|growth|gdp|approval\srating|approval|interest\srate|"
    rf"support|vote|votes|share)\s(?:rate\s)?(?:\w+\s){{0,4}}?(?P<verb>of|at|was|is|to|by|stood\sat|reached|hit|"
    rf"grew\sby|rose\sto|fell\sto|rose\sby|fell\sby)\s(?i:(?P<hedge>{_HEDGE})\s)?"
    rf"(?P<num>\d{{1,3}}(?:\.\d{{1,3}})?)\s?(?:%|percent|per\scent)",
    re.IGNORECASE,
)


#: A word before a rate's noun that makes it another measure ("core inflation", "youth
#: unemployment", "annual growth").
_PERCENT_MODIFIER = re.compile(
    r"\b(core|headline|underlying|annual|annualized|annualised|monthly|quarterly|youth|food|energy|producer|"
    r"consumer|wage|long-term|short-term|economic|population|job|jobs|sales|revenue|profit|earnings)\s$",
    re.IGNORECASE,
)


_SCORE_GATE = re.compile(
    trie_regex(["win", "won", "victory", "defeat", "beat", "lost", "loss", "draw", "drew", "triumph", "edged",
                "routed", "rout", "thrashing"])
)  # fmt: skip


_SCORE_HINT = re.compile(r"\d\s?[-–]\s?\d")
#: A score in a list of scores is a set's or a frame's: "6-4, 3-6, 7-6 (7-5), 6-3".
_SET_AFTER = re.compile(r"\s?(?:\(\d{1,2}(?:\s?[-–]\s?\d{1,2})?\))?,\s?\d{1,2}\s?[-–]\s?\d{1,2}\b")
_SET_BEFORE = re.compile(r"\b\d{1,2}\s?[-–]\s?\d{1,2}\s?(?:\(\d{1,2}(?:\s?[-–]\s?\d{1,2})?\))?,\s?$")
#: What a score right after it says it counts, when not the match's final score: a
#: shoot-out ("3-2 on penalties" after a 1-1 draw), two legs together, the half-time score.
_SCORE_KIND = re.compile(
    r"\s(?:(?P<penalties>on\s(?:penalties|penalty\skicks|pens|spot[\s-]kicks)|in\s(?:a|the)\s(?:penalty\s)?"
    r"shoot-?out)|(?P<aggregate>on\saggregate|on\saway\sgoals)|(?P<halftime>at\s(?:half-?\s?time|the\sbreak|"
    r"the\sinterval)))\b",
    re.IGNORECASE,
)


def _score_kind(sentence: str, end: int) -> str:
    """``score``, or ``score:penalties`` / ``score:aggregate`` / ``score:halftime``."""
    m = _SCORE_KIND.match(sentence, end)
    return f"score:{m.lastgroup}" if m and m.lastgroup else "score"


def _rounded(value: dict[str, Any], written: str) -> dict[str, Any]:
    """A measured figure as written carries its rounding: "64 percent" is 63.5–64.5 and
    "magnitude 7.1" is 7.05–7.15 (``step``: the unit of its last written digit; ``relate``
    widens an exact value by half a step).  Counts of people are exact and have none."""
    _, dot, decimals = written.partition(".")
    return {**value, "step": 10.0 ** -len(decimals) if dot else 1.0}


def misc(sentence: str, low: str | None = None) -> Iterator[Found]:
    low = _lower(sentence, low)
    if "magnitude" in low or "richter" in low:
        for m in _MAGNITUDE.finditer(sentence):
            raw = m.group("num") or m.group("num2") or m.group("num3")
            v = float(raw)
            if 0 < v < 11:
                val = _rounded(interval(v, m.group("hedge"), "magnitude", floor=None), raw)
                yield Found(
                    "quantity", "earthquake", "magnitude", val, m.start(), m.end(), _h(m.group("hedge"))
                )
    if ("-" in sentence or "–" in sentence) and _SCORE_GATE.search(low) and _SCORE_HINT.search(sentence):
        for m in _SCORE.finditer(sentence):
            first, last = ("a", "b") if m.group("a") else ("c", "d")
            if _SET_AFTER.match(sentence, m.end(last)) or _SET_BEFORE.search(
                sentence, max(0, m.start(first) - 12), m.start(first)
            ):
                continue  # "6-4, 3-6, 7-6 (7-5), 6-3": set scores, not a match's final score
            a = int(m.group("a") or m.group("c"))
            b = int(m.group("b") or m.group("d"))
            hi, lo = max(a, b), min(a, b)
            val = {"score": [hi, lo], "unit": "score"}
            yield Found("quantity", "match", _score_kind(sentence, m.end()), val, m.start(), m.end())
    if any(c in sentence for c in "$€£¥"):
        for m in _MONEY.finditer(sentence):
            noun = m.group("after")
            if noun is None:
                nb = _MONEY_NOUN_BEFORE.search(sentence[max(0, m.start() - 60) : m.start()])
                noun = nb.group("noun") if nb else None
                hedge_m = re.search(rf"(?i:({_HEDGE}))\s$", sentence[max(0, m.start() - 25) : m.start()])
            else:
                hedge_m = re.search(rf"(?i:({_HEDGE}))\s$", sentence[max(0, m.start() - 25) : m.start()])
            if noun is None:
                noun = _loss_noun(sentence, low, m)
            if noun is None:
                continue
            amount = parse_number(m.group("num"))
            if amount is None:
                continue
            amount *= _SCALE.get((m.group("scale") or "").lower(), 1.0)
            hedge = hedge_m.group(1) if hedge_m else None
            if hedge is None and "estimat" in low[max(0, m.start() - 40) : m.start()]:
                hedge = "about"  # "an estimated $1 million", "damage estimated at $1 million"
            if _CONVERSION_BEFORE.search(sentence, max(0, m.start() - 40), m.start()):
                continue  # a conversion of the figure before it
            unit = _CURRENCY[m.group("cur")]
            if unit == "$" and sentence[max(0, m.start() - 2) : m.start()].upper() == "US":
                unit = "USD"
            val = interval(amount, hedge, unit)
            subj = re.sub(r"\s+", " ", noun.strip().lower())
            yield Found("quantity", subj, "amount", val, m.start(), m.end(), _h(hedge))
    if "%" in sentence or "percent" in low or "per cent" in low:
        for m in _PERCENT.finditer(sentence):
            v = float(m.group("num"))
            noun = re.sub(r"\s+", " ", m.group("noun").lower())
            noun = {"votes": "vote", "approval rating": "approval"}.get(noun, noun)
            mod = _PERCENT_MODIFIER.search(sentence, max(0, m.start() - 20), m.start())
            if mod:
                noun = f"{mod.group(1).lower()} {noun}"  # "core inflation" is another measure
            # "rose by 0.25 percent" is a change; "rose to 5.25 percent" a level
            pred = "percent_change" if m.group("verb").lower().endswith("by") else "percent"
            val = _rounded(interval(v, m.group("hedge"), "percent"), m.group("num"))
            yield Found("quantity", noun, pred, val, m.start(), m.end(), _h(m.group("hedge")))


# --------------------------------------------------------------------------- person figures
# Figures of what happened to one person: how far they fell, how many times they were shot,
# how long they were sentenced to.  Keyed by the person (the last name written before the
# verb in the clause, or a pronoun for the caller to resolve), so two climbers' falls or two
# defendants' sentences are never one slot.

_LENGTH_UNITS = {
    "m": 1.0, "metre": 1.0, "metres": 1.0, "meter": 1.0, "meters": 1.0, "ft": 0.3048, "feet": 0.3048,
    "foot": 0.3048, "km": 1000.0, "kilometres": 1000.0, "kilometers": 1000.0, "miles": 1609.344,
    "mile": 1609.344, "yards": 0.9144,
}  # fmt: skip
_FALL = re.compile(
    rf"\b(?:fell|falling|fall|plunged|plunging|plummeted|tumbled|tumbling|slid|sliding|dropped)\s"
    rf"(?:(?:some|about|around|roughly|approximately|nearly|almost|more\sthan|over|up\sto|an\sestimated)\s)?"
    rf"(?P<num>{NUMERAL_RE}|{NUMBER_WORDS_RE})\s?(?P<unit>m|metres|meters|metre|meter|ft|feet|foot|km|"
    rf"kilometres|kilometers|miles|mile|yards)\b",
    re.IGNORECASE,
)
_SHOT_TIMES = re.compile(
    rf"\b(?P<verb>shot|stabbed|struck|hit)\s(?:(?P<obj>[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+){{0,2}})\s)?"
    rf"(?:(?:at\sleast|more\sthan|about|some)\s)?(?P<num>\d{{1,3}}|{NUMBER_WORDS_RE})\stimes\b"
)
_SENTENCED = re.compile(
    rf"\bsentenced\s(?:(?P<obj>[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+){{0,2}})\s)?to\s"
    rf"(?:(?:at\sleast|up\sto|more\sthan|nearly|almost)\s)?(?P<num>{NUMERAL_RE}|{NUMBER_WORDS_RE})"
    rf"[\s-](?P<unit>years?|months?)\b(?!\s(?:of\sprobation|probation|suspended))",
)
_PRONOUN_BEFORE = re.compile(r"\b(?:he|she)\s(?:\w+\s){0,3}$", re.IGNORECASE)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being)\s$")
_CLAUSE_START = re.compile(r"[;:]|,\s(?:and|but|while|after|before|when)\s|\.\s")


def _name_before(sentence: str, pos: int) -> tuple[str | None, str | None]:
    """(person key, first name) of the last name written before ``pos`` in its clause, else
    (:data:`MAIN_PERSON`, None) for a pronoun right before it; (None, None) when unclear."""
    lo = max(0, pos - 120)
    for b in _CLAUSE_START.finditer(sentence, lo, pos):
        lo = b.end()
    names = [
        n for n in _NAME_RE.finditer(sentence, lo, pos) if n.group().split()[0].lower() not in _NOT_NAMES
    ]
    if names:
        return person_key(names[-1].group()), given_name(names[-1].group())
    if _PRONOUN_BEFORE.search(sentence, lo, pos):
        return MAIN_PERSON, None
    return None, None


def _given(value: dict[str, Any], given: str | None) -> dict[str, Any]:
    value["given"] = given
    return value


#: Capitalised words that start a sentence without being a name.
_NOT_NAMES = frozenset(("he", "she", "it", "they", "we", "i", "the", "a", "an", "his", "her", "police",
                        "officers", "authorities", "on", "in", "at", "after", "before", "when", "while",
                        "there", "this", "that", "one", "two", "three"))  # fmt: skip


#: How far a length given in feet, yards or miles is taken to be from the metric figure
#: it may round (each side, as a fraction).
CONVERSION_SPREAD = 0.05


def person_figures(sentence: str, low: str | None = None) -> Iterator[Found]:
    low = _lower(sentence, low)
    if "fell" in low or "fall" in low or "plung" in low or "plumm" in low or "tumbl" in low or "slid" in low:
        for m in _FALL.finditer(sentence):
            who, given = _name_before(sentence, m.start())
            n = parse_number(m.group("num"))
            if who is None or n is None or n <= 0:
                continue
            factor = _LENGTH_UNITS[m.group("unit").lower()]
            metres = n * factor
            hedge = _HEDGE_OF.search(sentence, m.start(), m.start("num"))
            h = hedge.group(1) if hedge else None
            val = _given(interval(metres, h, "m"), given)
            if factor not in (1.0, 1000.0):
                # "1,000 feet" is 304.8 m only to the foot: a figure given in another unit
                # system is most often a conversion's rounding, so it is compared within
                # CONVERSION_SPREAD ("fell 300 metres" and "fell 1,000 feet" agree)
                val["step"] = round(metres * 2 * CONVERSION_SPREAD, 3)
            yield Found("quantity", who, "fall_distance", val, m.start(), m.end(), _h(h))
    if " times" in low:
        for m in _SHOT_TIMES.finditer(sentence):
            if m.group("obj"):
                who, given = person_key(m.group("obj")), given_name(m.group("obj"))
            elif _PASSIVE_BEFORE.search(sentence, max(0, m.start() - 12), m.start()):
                who, given = _name_before(sentence, m.start())  # "Gray was shot eleven times"
            else:
                continue
            if who is None:
                continue  # "he was shot 11 times" names no one next to it: left out
            n = parse_number(m.group("num"))
            if n is None or n <= 0:
                continue
            pred = "times_stabbed" if m.group("verb") == "stabbed" else "times_shot"
            if m.group("verb") in ("struck", "hit"):
                pred = "times_struck"
            yield Found("quantity", who, pred, _given(interval(n, None, "times"), given), m.start(), m.end())
    if "sentenced" in low:
        for m in _SENTENCED.finditer(sentence):
            if m.group("obj"):
                who, given = person_key(m.group("obj")), given_name(m.group("obj"))
            else:
                who, given = _name_before(sentence, m.start())
            n = parse_number(m.group("num"))
            if who is None or n is None or n <= 0:
                continue
            years = n if m.group("unit").startswith("year") else n / 12
            value = _given(interval(years, None, "years"), given)
            yield Found("quantity", who, "sentence", value, m.start(), m.end())


_HEDGE_OF = re.compile(rf"(?i:({_HEDGE}))\s")


# --------------------------------------------------------------------------- responders
# How many came to deal with it: "40 firefighters fought the blaze", "eight fire engines
# were called", "200 police officers were deployed".  Outlets often give different counts.
_RESPONDER_NOUNS = {
    "firefighters": "firefighters", "fire fighters": "firefighters", "firemen": "firefighters",
    "fire engines": "fire_engines", "fire appliances": "fire_engines", "fire trucks": "fire_engines",
    "fire crews": "fire_crews", "crews": "fire_crews", "police officers": "police", "officers": "police",
    "troops": "troops", "soldiers": "troops", "rescuers": "rescuers", "rescue workers": "rescuers",
    "paramedics": "paramedics", "ambulances": "ambulances",
}  # fmt: skip
_RESPONDERS = re.compile(
    rf"(?<![\w.,-])(?i:(?P<hedge>{_HEDGE})\s)?(?P<num>{NUMBER_RE}|dozens|hundreds|several)\s"
    r"(?P<noun>(?i:fire\s?fighters|firemen|fire\s(?:engines|appliances|trucks|crews)|crews|police\sofficers|"
    r"officers|troops|soldiers|rescuers|rescue\sworkers|paramedics|ambulances))\s"
    r"(?:(?:from|of|with)\s(?:[\w'’-]+\s){1,5}?)?(?:(?:were|had\sbeen|have\sbeen|was)\s)?(?:\w+\s)?"
    r"(?P<verb>(?i:fought|battled|tackled|attended|"
    r"responded|called|sent|dispatched|deployed|arrived|rushed|worked|involved|at\sthe\sscene|on\sthe\sscene|"
    r"brought|needed|used|searched|took\spart|helped))\b",
    re.IGNORECASE,
)


def responders(sentence: str, low: str | None = None) -> Iterator[Found]:
    low = _lower(sentence, low)
    if not contains_any(low, ("fire", "crews", "officers", "troops", "soldiers", "rescue", "paramedic",
                              "ambulance")):  # fmt: skip
        return
    for m in _RESPONDERS.finditer(sentence):
        val = _count_value(m.group("num"), m.group("hedge"))
        if val is None:
            continue
        noun = _RESPONDER_NOUNS.get(
            re.sub(r"\s+", " ", m.group("noun").lower()).replace("fire fighters", "firefighters")
        )
        if noun is None:
            continue
        val["unit"] = noun
        yield Found("quantity", "response", noun, val, m.start(), m.end(), _h(m.group("hedge")))


def find_quantities(sentence: str, low: str | None = None) -> list[Found]:
    """All durations and quantities of one sentence, in text order."""
    out: list[Found] = []
    low = _lower(sentence, low)
    out.extend(durations(sentence, low))
    out.extend(counts(sentence, low))
    out.extend(ages(sentence, low))
    out.extend(misc(sentence, low))
    out.extend(person_figures(sentence, low))
    out.extend(responders(sentence, low))
    if len(out) > 1:
        out.sort(key=lambda f: (f.start, f.end, f.predicate))
    return out
