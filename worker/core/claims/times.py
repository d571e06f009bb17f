"""Clock times (kind ``time``) and calendar dates (kind ``date``).

Time value::

    {"local": "HH:MM", "zone": IANA name | None, "zone_source": "explicit" | "conversion" |
     "article" | "place" | None, "date": "YYYY-MM-DD" | None, "approx": bool, "tol": minutes,
     "utc_lo": int | None, "utc_hi": int | None}

``utc_lo``/``utc_hi`` are minutes after 00:00 UTC of the local date.  With a known date they are
equal (zoneinfo gives the DST-correct offset: 2025-03-18 ET = UTC-4).  Without a date they span
the zone's standard and daylight offsets (ET: UTC-5..UTC-4), so comparisons stay sound either way.
Unknown zone -> both None: such a time never conflicts (a conflict needs both zones).

Zone inference for an unzoned time: a conversion written as "10:00 AM ET (4:00 PM Romanian time)"
reveals the readers' zone (the parenthetical one) and becomes the article default; else the single
explicit zone used in the article; else the one clock of the place the article reports from (its
wire dateline, or the places its lead names: :func:`place_zone`); else unknown.

Date value: ``{"year": int | None, "lo": "MM-DD", "hi": "MM-DD"}``; "mid-February" is 02-10..02-20,
"early" 01..10, "late" 20..end, a bare month its whole length.  A missing year never conflicts.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from worker.core.claims.gazetteer import (
    CAPITAL_ZONE,
    CITY_COUNTRY,
    CITY_ZONE,
    ONE_ZONE_COUNTRIES,
    US_STATE_NAMES,
    country_code,
    fold,
    us_state_zone,
)
from worker.core.claims.lexicon import trie_regex
from worker.core.claims.quantities import RISE_VERBS, Found
from worker.core.claims.text import MONTHS, lower_aligned

#: Widening, in minutes, of a hedged time ("approximately 12:52 p.m.", "around 6 PM").
HEDGED_TIME_TOLERANCE_MIN = 15
#: Widening, in minutes, of an exact time (rounding to the minute).
EXACT_TIME_TOLERANCE_MIN = 1
#: Year used to find a zone's standard and daylight offsets when the article has no date.
_REFERENCE_YEAR = 2025

_ABBR_ZONES = {
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "eastern": "America/New_York", "eastern time": "America/New_York",
    "ct": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago", "central": "America/Chicago",
    "central time": "America/Chicago", "mt": "America/Denver", "mst": "America/Denver",
    "mdt": "America/Denver", "mountain": "America/Denver", "mountain time": "America/Denver",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles", "pacific time": "America/Los_Angeles", "gmt": "UTC", "utc": "UTC",
    "bst": "Europe/London", "cet": "Europe/Paris", "cest": "Europe/Paris", "eet": "Europe/Bucharest",
    "eest": "Europe/Bucharest", "msk": "Europe/Moscow", "jst": "Asia/Tokyo", "ist": "Asia/Kolkata",
    "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "hkt": "Asia/Hong_Kong",
}  # fmt: skip
_ZONE = (
    r"(?:ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|GMT|UTC|BST|CET|CEST|EET|EEST|MSK|JST|IST|AEST|AEDT|HKT|"
    r"(?:Eastern|Central|Mountain|Pacific)(?:\s(?:Standard\s|Daylight\s)?[Tt]ime)?|"
    r"[A-Z][a-z]{2,15}(?:\s[A-Z][a-z]{2,15})?\s(?:local\s)?time)"
)
_CLOCK = (
    r"(?P<h>\d{1,2})(?:\s?[:.]\s?(?P<m>[0-5]\d))?\s?(?P<ap>[aApP]\.?\s?[mM]\b\.?)?"
    rf"(?:\s(?P<zone>{_ZONE})\b)?"
)
_TIME = re.compile(
    r"(?:(?P<hedge>approximately|approx\.|around|about|roughly|circa|some\stime\saround|shortly\safter|"
    r"just\safter|shortly\sbefore|just\sbefore)\s)?" + _CLOCK
)
_CONVERSION = re.compile(
    rf"\d{{1,2}}(?:\s?[:.]\s?[0-5]\d)?\s?(?:[aApP]\.?\s?[mM]\b\.?)?\s(?P<z1>{_ZONE})\s?\(\s?"
    rf"\d{{1,2}}(?:\s?[:.]\s?[0-5]\d)?\s?(?:[aApP]\.?\s?[mM]\b\.?)?\s?(?P<z2>{_ZONE})\s?\)"
)
_CLOCK_HINT = re.compile(r"\d\s?(?:[aApP]\.?\s?[mM]\b|[:.]\s?[0-5]\d\s?[aApP]\.?\s?[mM]\b|:\s?[0-5]\d)")
# An unzoned time followed by its conversion into a named zone.
_LOCAL_CONVERSION = re.compile(
    r"\d{1,2}(?:\s?[:.]\s?[0-5]\d)?\s?[aApP]\.?\s?[mM]\b\.?(?:\s[A-Z][a-z]{2,8})?\s?\(\s?"
    rf"\d{{1,2}}(?:\s?[:.]\s?[0-5]\d)?\s?(?:[aApP]\.?\s?[mM]\b\.?)?\s?{_ZONE}"
)
_EXPLICIT_ZONE = re.compile(rf"\d\s?(?:[aApP]\.?\s?[mM]\b\.?)?\s(?P<zone>{_ZONE})\b")
_EXPLICIT_DATE_IN_SENT = re.compile(
    r"\b(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.?\s(?P<day>\d{1,2}),?\s"
    r"(?P<year>\d{4})\b"
)

_EVENT = re.compile(
    r"\b(?P<w>phone\scall|call|conversation|discussion|talks|spoke|talked|meeting|summit|quake|opened\sfire|"
    r"earthquake|tremor|explosion|blast|attack|shooting|crash|fire|blaze|storm|hurricane|landslide|"
    r"ceremony|speech|press\sconference|vote|launch|game|match|raid|strike|strikes|arrest|eruption|"
    r"flight|protest)\b",
    re.IGNORECASE,
)
_EVENT_MAP = {
    "phone call": "call", "conversation": "call", "discussion": "call", "talks": "call", "spoke": "call",
    "speak": "call", "talked": "call", "summit": "meeting", "quake": "earthquake", "tremor": "earthquake",
    "blast": "explosion", "blaze": "fire", "strikes": "strike", "opened fire": "shooting",
}  # fmt: skip
_VERB = re.compile(
    r"\b(?P<v>began|begin|begins|beginning|started|start|starts|commenced|commence|commences|kicked\soff|"
    r"got\sunderway|opened\sfire|opened|ended|ends|end|concluded|conclude|finished|finish|wrapped\sup|was\sover|"
    r"hung\sup|struck|hit|occurred|happened|took\splace|erupted|broke\sout|exploded|landed|took\soff|"
    r"crashed|rang|was\sreported)\b",
    re.IGNORECASE,
)
_START = frozenset((
    "began", "begin", "begins", "beginning", "started", "start", "starts", "commenced", "commence",
    "commences", "opened",
))  # fmt: skip
#: An outbreak is the start of a happening that lasts: a fire that "broke out" at 2:40 "started"
#: at 2:40.
_START_PHRASES = frozenset({"kicked off", "got underway", "took off", "broke out", "erupted"})
#: When a happening was reported (or police were told of it) is not when it happened.
_REPORTED_PHRASES = frozenset({"was reported"})
_END = frozenset(["ended", "ends", "end", "concluded", "conclude", "finished", "finish", "landed"])
_END_PHRASES = frozenset({"wrapped up", "was over", "hung up"})
_SCHEDULED = re.compile(
    r"\b(?:scheduled|expected|due|planned|set|supposed|slated|poised|going)\s(?:to|for)\b", re.IGNORECASE
)


@functools.lru_cache(maxsize=4096)
def zone_name(text: str | None) -> str | None:
    """IANA zone for a written zone ("ET", "Romanian time", "Moscow time"), else None."""
    if not text:
        return None
    key = fold(text)
    if key in _ABBR_ZONES:
        return _ABBR_ZONES[key]
    m = re.match(r"(.+?)\s(?:local\s)?time$", key)
    if not m:
        return None
    place = m.group(1)
    if place in ("local", "the local", "our"):
        return None
    if place in _ABBR_ZONES:
        return _ABBR_ZONES[place]
    if place in CITY_ZONE:
        return CITY_ZONE[place]
    code = country_code(place)
    return CAPITAL_ZONE.get(code) if code else None


#: Characters a conversion can reach on either side of its "(": "10:00 AM ET (4:00 PM Romanian time)".
_PAREN_REACH = 70


def _paren_windows(text: str) -> list[tuple[int, int]]:
    """Disjoint spans of ``text`` within reach of a "(": the only places a conversion can be.

    Jumps to the farthest "(" of an open window, so a run of brackets costs one step per window.
    """
    out: list[tuple[int, int]] = []
    p = text.find("(")
    while p >= 0:
        lo, hi = max(0, p - _PAREN_REACH), p + _PAREN_REACH
        q = text.rfind("(", p + 1, hi + 1)
        while q >= 0:
            hi = q + _PAREN_REACH
            q = text.rfind("(", q + 1, hi + 1)
        out.append((lo, min(len(text), hi)))
        p = text.find("(", hi + 1)
    return out


#: A wire dateline at the start of a line: the place in capitals, a region or country, a date,
#: an agency in brackets, a dash ("RYBNIK, Poland, Nov 20 -", "LIEGE, Belgium (BPS) -", "OSLO -").
_DATELINE_PLACE = re.compile(
    r"^(?P<city>[A-Z][A-Z.'’-]+(?:\s[A-Z][A-Z.'’-]+){0,3}),?"
    r"(?:\s(?P<region>[A-Z][A-Za-z.'’-]+(?:\s[A-Z][A-Za-z.'’-]+){0,2}),?)?"
    r"(?:\s[A-Z][a-z]{2,4}\.?\s\d{1,2},?)?\s?(?:\([^()\n]{1,40}\)\s?)?[-–—]{1,2}\s",
    re.MULTILINE,
)
#: Where the lead says it happened: "in southern Poland", "off Lampedusa", "near Liege".
_LEAD_PLACE = re.compile(
    r"\b(?:in|near|off|outside)\s(?:(?:the\s)?(?:(?:north|south|east|west)(?:ern|-?east(?:ern)?|-?west(?:ern)?)?"
    r"|central)\s)?(?P<place>[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){0,2})"
)
#: Further places listed after a lead place, each right after the previous one.
_MORE_PLACES = re.compile(r"(?:,\s|,?\s(?:and|or)\s)(?P<place>[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){0,2})")
#: How much of the text's start holds the dateline and the lead.
_LEAD_CHARS = 600


def _zone_of_place(name: str, within: str | None = None) -> str | None:
    """The one clock of a place: a large city's zone, or a one-zone country's.  ``within`` is the
    country or US state written after a city ("LIEGE, Belgium", "FILLMORE, Calif."): the
    state's clock when it keeps one (not Texas or Florida); any other region leaves the
    city's clock unknown rather than guessing a namesake's."""
    key = fold(name)
    if within is not None:
        code = country_code(within)
        if code is None:
            return us_state_zone(within)
        if CITY_COUNTRY.get(key) == code:
            return CITY_ZONE[key]
        return CAPITAL_ZONE.get(code) if code in ONE_ZONE_COUNTRIES else None
    if key in CITY_ZONE:
        return CITY_ZONE[key]
    code = country_code(name)
    return CAPITAL_ZONE.get(code) if code in ONE_ZONE_COUNTRIES else None


def place_zone(text: str) -> str | None:
    """The zone of the place an article reports from, for its unzoned clock times.

    Wire style writes clock times in the local time of the dateline's place unless it names a
    zone; without a dateline, the one clock of the places the lead puts the happening in
    ("in southern Poland").  None when there is no such place, a place has several clocks
    ("in Texas", "Russia"), or the lead's places disagree ("a British climber ... in New Zealand")."""
    head = text[:_LEAD_CHARS]
    m = _DATELINE_PLACE.search(head)
    if m is not None:
        return _zone_of_place(m.group("city").title(), m.group("region"))
    zones: set[str | None] = set()
    for p in _LEAD_PLACE.finditer(head):
        # "in Moscow and Warsaw", "in Haiti, Cuba and Jamaica": every place listed
        places, q = [p.group("place")], _MORE_PLACES.match(head, p.end())
        while q is not None:
            places.append(q.group("place"))
            q = _MORE_PLACES.match(head, q.end())
        for name in places:
            key = fold(name)
            if key in US_STATE_NAMES:
                zones.add(None)  # "in Georgia": the state (several clocks in some) or the country
            elif country_code(name) or key in CITY_ZONE:
                zones.add(_zone_of_place(name))
    return zones.pop() if len(zones) == 1 else None


def article_zone(text: str) -> tuple[str | None, str | None]:
    """(default zone, how it was found) for the article's unzoned times: a conversion's
    readers' zone, else the one zone the article writes.  It also resolves the article's
    relative days, so it never guesses from places (see :func:`clock_zone`)."""
    t = text[:200_000]
    if not _CLOCK_HINT.search(t):
        return None, None  # no clock time at all: skip the three zone scans
    windows = _paren_windows(t)
    if any(_LOCAL_CONVERSION.search(t, lo, hi) for lo, hi in windows):
        # "9:40 p.m. Friday (1:40 a.m. ET)": the article's own times are in some other, unnamed zone
        return None, None
    for lo, hi in windows:
        for m in _CONVERSION.finditer(t, lo, hi):
            z = zone_name(m.group("z2"))
            if z:
                return z, "conversion"
    zones = sorted({z for m in _EXPLICIT_ZONE.finditer(t) if (z := zone_name(m.group("zone")))})
    if len(zones) == 1:
        return zones[0], "article"
    return None, None


def clock_zone(text: str, zone: tuple[str | None, str | None]) -> tuple[str | None, str | None]:
    """The default zone of the article's unzoned clock times: ``zone`` (:func:`article_zone`),
    else the one clock of the place it reports from (:func:`place_zone`, source "place").

    Only clock times take a place's zone.  A relative day ("on Sunday") is the writer's day,
    and a writer in another zone can name the day before or after the place's."""
    if zone[0] is not None or not _CLOCK_HINT.search(text[:200_000]):
        return zone
    place = place_zone(text)
    return (place, "place") if place else zone


def _offsets(zone: str, date: dt.date | None) -> tuple[int, int]:
    """(min, max) UTC offset in minutes of ``zone`` on ``date`` (or over the reference year)."""
    tz = ZoneInfo(zone)
    days = [date] if date is not None else [dt.date(_REFERENCE_YEAR, 1, 15), dt.date(_REFERENCE_YEAR, 7, 15)]
    offs = []
    for d in days:
        off = dt.datetime(d.year, d.month, d.day, 12, tzinfo=tz).utcoffset()
        offs.append(int(off.total_seconds() // 60) if off is not None else 0)
    return min(offs), max(offs)


def published_date(published_at: str | None) -> dt.date | None:
    if not published_at:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published_at.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


#: How far (characters) the event noun and the verb may be from the time they anchor.
_EVENT_WINDOW = 50
_VERB_WINDOW = 100


def _distance(a: re.Match[str], t_start: int, t_end: int) -> int:
    return max(0, a.start() - t_end, t_start - a.end())


def _predicate(sentence: str, t_start: int, t_end: int) -> str | None:
    verbs = [v for v in _VERB.finditer(sentence) if _distance(v, t_start, t_end) <= _VERB_WINDOW]
    if not verbs:
        return None
    v = min(verbs, key=lambda m: _distance(m, t_start, t_end))
    word = re.sub(r"\s+", " ", v.group("v").lower())
    before = sentence[max(0, v.start() - 30) : v.start()]
    scheduled = bool(_SCHEDULED.search(before))
    if word in _START or word in _START_PHRASES:
        base = "start_time"
    elif word in _END or word in _END_PHRASES:
        base = "end_time"
    elif word in _REPORTED_PHRASES:
        base = "reported_time"
    else:
        base = "time"
    return f"scheduled_{base}" if scheduled else base


_PAREN_TIME = re.compile(
    rf"(?:\s[A-Z][a-z]{{2,8}})?\s?\(\s?\d{{1,2}}(?:\s?[:.]\s?[0-5]\d)?\s?(?:[aApP]\.?\s?[mM]\b\.?)?\s?{_ZONE}"
)


_TIME_GATE = re.compile(r"\d\s?(?:[:.]\s?[0-5]\d|[aApP]\.?\s?[mM]\b)")


def find_times(
    sentence: str,
    default_zone: tuple[str | None, str | None],
    pub: dt.date | None,
    day: dt.date | None = None,
) -> Iterator[Found]:
    """Clock times of events.  ``day`` is the day the sentence names ("Tuesday", resolved), if any;
    the value's ``date`` is the day written in the sentence, never the publication day (two reports
    published a day apart of "ended at 12:52 p.m." are the same time).  ``pub`` only picks the
    zone's UTC offset (DST) when the sentence names no day."""
    if not _TIME_GATE.search(sentence):
        return
    skip_after: int = -1
    for m in _TIME.finditer(sentence):
        if m.start() < skip_after:
            continue
        if not m.group("ap") and not (m.group("m") and m.group("zone")):
            continue
        if m.group("m") is None and not m.group("ap"):
            continue
        pre = sentence[max(0, m.start() - 2) : m.start()]
        if re.search(r"[\d.,:$]$", pre):
            continue
        h = int(m.group("h"))
        mi = int(m.group("m") or 0)
        ap = (m.group("ap") or "").lower().replace(".", "").replace(" ", "")
        if h > 23 or (ap and not 1 <= h <= 12):
            continue
        if ap == "pm" and h != 12:
            h += 12
        elif ap == "am" and h == 12:
            h = 0
        written = m.group("zone")
        zone = zone_name(written)
        source = "explicit" if zone else None
        if zone is None and (not (written and "local" in written.lower()) or default_zone[1] == "place"):
            # nothing (or no known zone) written: the article's default zone.  "local time" is
            # the place's zone, which need not be the article's: it takes only a place's zone.
            zone, source = default_zone
        # "10:00 AM ET (4:00 PM Romanian time)": the parenthetical is the same moment, skip it.
        # "9:40 p.m. Friday (1:40 a.m. ET)": the zoned parenthetical is the one to keep.
        paren = _PAREN_TIME.match(sentence, m.end())
        if paren:
            if not m.group("zone"):
                continue
            close = sentence.find(")", m.end(), m.end() + 60)
            skip_after = close if close > 0 else m.end() + 40
        event_words = [
            e for e in _EVENT.finditer(sentence) if _distance(e, m.start(), m.end()) <= _EVENT_WINDOW
        ]
        if not event_words:
            continue
        ev = min(event_words, key=lambda e: _distance(e, m.start(), m.end()))
        word = re.sub(r"\s+", " ", ev.group("w").lower())
        subject = _EVENT_MAP.get(word, word)
        pred = _predicate(sentence, m.start(), m.end())
        if pred is None:
            continue
        date: dt.date | None = None
        dm = _EXPLICIT_DATE_IN_SENT.search(sentence)
        if dm:
            mon = MONTHS.get(dm.group("month").lower())
            try:
                date = dt.date(int(dm.group("year")), mon or 0, int(dm.group("day")))
            except ValueError:
                date = None
        if date is None:
            date = day
        hedge = m.group("hedge")
        tol = HEDGED_TIME_TOLERANCE_MIN if hedge else EXACT_TIME_TOLERANCE_MIN
        local = h * 60 + mi
        value: dict[str, Any] = {
            "local": f"{h:02d}:{mi:02d}",
            "zone": zone,
            "zone_source": source,
            "date": date.isoformat() if date else None,
            "approx": bool(hedge),
            "tol": tol,
            "utc_lo": None,
            "utc_hi": None,
        }
        if zone:
            lo_off, hi_off = _offsets(zone, date or pub)
            value["utc_lo"] = local - hi_off
            value["utc_hi"] = local - lo_off
        hedges = (re.sub(r"\s+", " ", hedge.lower()),) if hedge else ()
        yield Found("time", subject, pred, value, m.start(), m.end(), hedges)


_MONTH_NAMES = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DATE = re.compile(
    rf"\b(?:(?P<mod>early|mid|late)[-\s])?(?P<month>{_MONTH_NAMES})\b\.?(?:\s(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b)?"
    r"(?:,?\s(?P<year>(?:19|20)\d\d)\b)?"
)
_DATE_EVENT_WORDS = (
    "phone call", "call", "conversation", "discussion", "talks", "spoke", "talked", "meeting", "summit",
    "quake", "earthquake", "explosion", "blast", "attack", "shooting", "crash", "election", "vote",
    "ceremony", "referendum", "wedding", "funeral", "trial",
)  # fmt: skip
#: Event nouns a date can belong to, scanned once per sentence on the lower-cased text.
_DATE_EVENT = re.compile(r"\b(?P<w>" + trie_regex(_DATE_EVENT_WORDS) + r")\b")
_MONTH_GATE = re.compile(trie_regex(_MONTH_NAMES.split("|")) + r"\b")
#: How far (characters) a date may be from the event noun it dates.
_DATE_WINDOW = 50
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DATE_PREP = re.compile(r"(?:\bon|\bin|\bof|\bduring|\bmid|\b(?:early|late))\s?-?$", re.IGNORECASE)
#: "before/after/since February 12" bound another happening; they are not its date.
_BOUND_PREP = re.compile(r"\b(?:before|after|since|until|till|by|from)\s$", re.IGNORECASE)
#: Words between a date and a later event noun that make the event another occasion:
#: "a post on Monday ahead of the phone call", "on Tuesday, two days before the EU summit".
_OTHER_OCCASION = re.compile(
    r"\b(?:ahead\sof|before|after|prior\sto|following|since|until|till|preceding|"
    # "arrested on Tuesday for the shooting", "charged on Monday over the killing": the
    # date is the arrest's, the happening another
    r"for|over|in\sconnection\swith|in\srelation\sto)\b",
    re.IGNORECASE,
)

#: A finite verb between a date and a later event noun: the date is when that verb's
#: action happened ("two men on Tuesday were discussing the recent shooting"), not the
#: noun's.  "There was a shooting" names the happening itself.
_OTHER_VERB = re.compile(
    r"(?<!there )\b(?:is|are|was|were|has|have|had|will|would|could|should|did|does|do)\s(?!a\s|an\s)"
)

#: A date right after a reporting verb dates the report, not the event ("police said Saturday",
#: "near-complete results showed on Monday").
_REPORTED_ON = re.compile(
    r"\b(?:said|says|told\s(?:\w+\s)?\w+|announced|reported|confirmed|stated|added|wrote|tweeted|posted|"
    r"disclosed|revealed|noted|indicated|showed|shows|show)\s(?:on\s)?$"
)
#: A date right after a figure's update dates the update, not the happening ("the death
#: toll from the earthquake rose to 22 on Wednesday", "the number of arrests had climbed to
#: 300 by Friday").
_UPDATED_ON = re.compile(
    rf"\b(?:{RISE_VERBS}|rising|soared|stood|stands|was\sraised)\s"
    r"(?:to|at)\s(?:[\w.,-]+\s){1,3}(?:on\s|by\s)?$"
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A calendar date written in a sentence: span, month/day range and year (if written)."""

    start: int
    end: int
    year: int | None
    month: int
    lo: int
    hi: int
    bound: bool  # introduced by before/after/since…: a bound, never an event's date

    def value(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "lo": f"{self.month:02d}-{self.lo:02d}",
            "hi": f"{self.month:02d}-{self.hi:02d}",
        }


def date_mentions(sentence: str) -> list[DateMention]:
    """Every calendar date in a sentence ("February 12", "mid-February", "Jan. 3, 2011", "March")."""
    if not _MONTH_GATE.search(sentence):
        return []
    out: list[DateMention] = []
    for m in _DATE.finditer(sentence):
        month = MONTHS.get(m.group("month").lower())
        if month is None:
            continue
        if m.group("month") == "May" and not m.group("day"):
            continue  # the modal verb
        pre = sentence[max(0, m.start() - 12) : m.start()]
        bound = bool(_BOUND_PREP.search(pre))
        if not (bound or _DATE_PREP.search(pre)) and not (
            m.group("day")
            and re.match(r"\s(?:[A-Z]\w+\s){0,3}(?:meeting|summit|talks|call)", sentence[m.end() :])
        ):
            continue
        last = _MONTH_DAYS[month - 1]
        mod = (m.group("mod") or "").lower()
        if m.group("day"):
            d = int(m.group("day"))
            if not 1 <= d <= last:
                continue
            lo = hi = d
        elif mod == "early":
            lo, hi = 1, 10
        elif mod == "mid":
            lo, hi = 10, 20
        elif mod == "late":
            lo, hi = 20, last
        else:
            lo, hi = 1, last
        end = m.end()
        if sentence[end - 1 : end] == "." and not m.group("day") and len(m.group("month")) > 4:
            end -= 1  # "in mid-February." ends the sentence; only "Feb." owns its period
        year = int(m.group("year")) if m.group("year") else None
        out.append(DateMention(m.start(), end, year, month, lo, hi, bound))
    return out


def event_of(sentence: str, low: str, start: int, end: int) -> str | None:
    """The event noun a date at [start, end) belongs to (nearest within the window), or None.

    An event noun after the date with "ahead of/before/after …" in between is another occasion.
    """
    if _REPORTED_ON.search(sentence, max(0, start - 40), start):
        return None  # "police said Saturday the explosion …": the day of the statement
    if _UPDATED_ON.search(low, max(0, start - 50), start):
        return None  # "the toll rose to 22 on Wednesday": the day of the count
    best: tuple[int, str] | None = None
    for e in _DATE_EVENT.finditer(
        low, max(0, start - _DATE_WINDOW - 20), min(len(low), end + _DATE_WINDOW + 20)
    ):
        dist = _distance(e, start, end)
        if dist > _DATE_WINDOW:
            continue
        if e.start() >= end and (
            _OTHER_OCCASION.search(sentence, end, e.start()) or _OTHER_VERB.search(low, end, e.start())
        ):
            continue
        if best is None or dist < best[0]:
            best = (dist, e.group("w"))
    if best is None:
        return None
    word = " ".join(best[1].split())
    return _EVENT_MAP.get(word, word)


def find_dates(
    sentence: str, low: str | None = None, mentions: list[DateMention] | None = None
) -> Iterator[Found]:
    """Dates of events ("the call on February 12", "the summit in mid-March")."""
    low = lower_aligned(sentence, low)
    for d in date_mentions(sentence) if mentions is None else mentions:
        if d.bound:
            continue
        subject = event_of(sentence, low, d.start, d.end)
        if subject is None:
            continue
        yield Found("date", subject, "date", d.value(), d.start, d.end)
