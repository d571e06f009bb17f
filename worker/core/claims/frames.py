"""Relative dates and time frames: which day "Tuesday" is, and which happening a figure is about.

Relative dates ("Tuesday", "on Monday", "last week", "yesterday", "earlier this month", "two
years ago") are resolved against the article's ``published_at``:

* the publication's *local* day is what "today" means.  ``published_at`` with a non-UTC offset
  gives it directly; a UTC instant is converted with the article's zone when one is known (see
  :func:`~worker.core.claims.times.article_zone`), else it stays a range: UTC-12..UTC+14 put the
  local day within a day of the UTC one, on the side the time of day allows;
* every expression is resolved for each candidate local day and the union is kept, so the result
  is a date or a date interval (``lo``..``hi``) and never more precise than the text allows;
* a bare weekday is the most recent such day (today included), or the next one when the
  sentence speaks of the future ("will", "is expected to", "scheduled"); "last Tuesday" and
  "next Tuesday" are each one of two weeks, so they keep both;
* without ``published_at`` nothing is resolved: the expression stays relative (``relative`` set,
  ``lo``/``hi`` null) and is never compared as an absolute date.

Time frames: a figure about an earlier happening mentioned in passing ("In February, a gunman
killed five people", "the last recorded conversation took place in mid-February", "last
Thursday's 27-24 loss") must not land in the slot of this event's figure.  A claim of the
anchored kinds (:data:`ANCHORED_KINDS`) is moved to the slot ``<subject>@<frame>|<predicate>``
when

1. the sentence opens on another time frame ("In February, …", "Back in 2015, …", "Last week,
   …"): the whole sentence; or
2. its clause (text between commas, semicolons, brackets and subordinators such as "that",
   "when", "as") holds an earlier-frame marker: "last week/month/year/Thursday", "N years ago",
   "in 2015", "the previous/last/prior/earlier <event>"; or
3. its clause holds a date at least :data:`PAST_EVENT_DAYS` days before publication, or, with no
   ``published_at``, before the date the article first gives for the same event.

A frame that contains the publication day is this event's frame, never an earlier one ("In
March, …" in an article of March 18).  Yesterday, last night and today are the news cycle of the
article itself and never mark another frame.  Propositions and roles are not anchored: a refusal
stated last week and one stated today answer the same question, and a person's role is the same
person's role.

Frame keys are ``YYYY-MM`` (or ``YYYY``) when the frame resolves to one month (or year), ``--MM``
for a month without a known year, else the marker as written ("previous", "last thursday").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from worker.core.claims.lexicon import trie_regex
from worker.core.claims.numbers import parse_number
from worker.core.claims.quantities import Found
from worker.core.claims.times import DateMention, event_of

#: A dated happening this many days or more before publication is an earlier one, not the news.
PAST_EVENT_DAYS = 7
#: Claim kinds whose figures belong to one happening and so are moved to an earlier frame's slot.
ANCHORED_KINDS = frozenset({"quantity", "duration", "time", "date", "place"})

Days = tuple[dt.date, dt.date]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WD = "|".join(_WEEKDAYS)
_NUM_WORD = (
    r"\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
)
#: The last word of every relative date, scanned on the lower-cased sentence; the words before it
#: are read as tokens (cheaper than one pattern with optional prefixes tried at every word).
_TRIGGER = re.compile(
    r"\b(?:"
    + trie_regex([*_WEEKDAYS, "today", "tonight", "yesterday", "tomorrow", "night", "morning", "afternoon",
                  "evening", "week", "weekend", "month", "year", "ago"])
    + r")\b"
)  # fmt: skip
_WD_MODS = (
    "this past",
    "this coming",
    "last",
    "next",
    "this",
    "on",
    "since",
    "until",
    "by",
    "before",
    "after",
)
_SPAN_MODS = ("earlier this", "later this", "this past", "the past", "this", "last", "next")
_AGO_UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
              "months": "month", "year": "year", "years": "year"}  # fmt: skip
_AGO_NUMS = frozenset(_NUM_WORD.split("|")[1:])
#: Capitalised words that make a weekday part of a name ("Super Tuesday", "Good Friday").
_WEEKDAY_NAME_OK = frozenset(("on", "by", "last", "next", "this", "since", "until", "early", "late", "past"))
_FUTURE = re.compile(
    r"\b(?:will|would|shall|is\sdue|are\sdue|scheduled|expected|set\sto|plans?\sto|planned|slated|"
    r"upcoming|going\sto|to\sbe\sheld)\b"
)

_MONTH_NAMES = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
)
_MONTH_NUM = {
    name: i + 1
    for i, names in enumerate(
        ("january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
         "august aug", "september sep sept", "october oct", "november nov", "december dec")
    )
    for name in names.split()
}  # fmt: skip
#: A sentence that opens on another time frame: "In February, ...", "Earlier in 2007, ...".
_OPENING = re.compile(
    rf"^\W{{0,3}}(?:in|during|by|since|earlier\s+in|back\s+in)\s+(?:(?:early|late|mid)-?\s*)?"
    rf"(?P<when>(?:(?P<month>{_MONTH_NAMES})\.?(?:\s+(?P<myear>\d{{4}}))?)|(?P<year>(?:19|20)\d\d))\b",
    re.IGNORECASE,
)
#: "last Thursday's 27-24 loss", "two years ago", "the last recorded conversation", "in 2015".
_INLINE = re.compile(
    rf"\b(?P<when>last\s+(?:{_WD}|week|weekend|month|year|season)"
    r"|(?:\w+\s+)(?:years?|months?|weeks?)\s+ago"
    r"|(?:the|their|his|her|its|an?)\s+(?P<prev>last|previous|prior|earlier|preceding)\s+(?:\w+\s+){0,2}?"
    r"(?:call|phone\s+call|conversation|talks|meeting|summit|visit|quake|earthquake|attack|shooting|"
    r"election|vote|game|match|season|war|crisis|outbreak|incident|storm|strike)"
    r"|in\s+(?P<inyear>(?:19|20)\d\d))\b",
)  # on the lower-cased sentence
_INLINE_GATE = ("last", " ago", "previous", "prior", "earlier", "preceding", "in 19", "in 20")
#: Clause boundaries: a marker's frame reaches the end of its clause, not the whole sentence.
_CLAUSE_BREAK = re.compile(
    r"[,;:()\[\]—–]|\s-\s|\b(?:that|which|who|whom|whose|when|while|as|because|although|though|but|"
    r"whereas|where|since|after|before|until)\b",
)  # on the lower-cased sentence


@dataclass(frozen=True, slots=True)
class Relative:
    """A relative date in a sentence: span, normalised expression and (if resolvable) days."""

    start: int
    end: int
    expr: str
    days: Days | None
    bound: bool  # "since Tuesday", "before Monday": bounds another happening, not its date


def publication_days(published_at: str | None, zone: str | None) -> Days | None:
    """The local day(s) the article was published on (see the module docstring), or None."""
    if not published_at:
        return None
    raw = published_at.strip()
    try:
        when = dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", raw)
        if not m:
            return None
        try:
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
        return d, d
    if len(raw) <= 10 or when.tzinfo is None:
        return when.date(), when.date()  # a date, or a local time as written: its day is the day
    off = when.utcoffset()
    if off is not None and off != dt.timedelta(0):
        return when.date(), when.date()  # written with its own offset: the writer's local day
    if zone:
        local = when.astimezone(ZoneInfo(zone)).date()
        return local, local
    try:
        return (when - dt.timedelta(hours=12)).date(), (when + dt.timedelta(hours=14)).date()
    except OverflowError:
        return when.date(), when.date()


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _month_span(year: int, month: int) -> Days:
    while month < 1:
        year, month = year - 1, month + 12
    while month > 12:
        year, month = year + 1, month - 12
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def _resolve_one(kind: str, arg: str, mod: str, future: bool, day: dt.date) -> Days | None:
    """Days a relative expression names, seen from local publication day ``day``."""
    one = dt.timedelta(days=1)
    if kind == "wd":
        w = _WEEKDAYS.index(arg)
        back = (day.weekday() - w) % 7  # days since the most recent such weekday (0 = today)
        ahead = (w - day.weekday()) % 7
        if mod == "last":
            d = day - dt.timedelta(days=back or 7)
            return d - dt.timedelta(days=7), d
        if mod == "next":
            d = day + dt.timedelta(days=ahead or 7)
            return d, d + dt.timedelta(days=7)
        if mod == "this coming" or (future and mod != "this past"):
            d = day + dt.timedelta(days=ahead)
            return d, d
        d = day - dt.timedelta(days=back)
        return d, d
    if kind == "word":
        shift = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(arg, 0)
        d = day + dt.timedelta(days=shift)
        return d, d
    if kind == "span":
        mon = _monday(day)
        if arg == "week":
            return {
                "last": (mon - 7 * one, day - one),  # the calendar week before, or the past 7 days
                "this": (mon, mon + 6 * one),
                "earlier this": (mon, day),
                "later this": (day, mon + 6 * one),
                "this past": (day - 7 * one, day),
                "the past": (day - 7 * one, day),
                "next": (mon + 7 * one, mon + 13 * one),
            }.get(mod)
        if arg == "weekend":
            return {
                "last": (mon - 9 * one, mon - one),
                "this": (mon - 2 * one, mon + 6 * one),
                "this past": (mon - 9 * one, day),
                "next": (mon + 5 * one, mon + 13 * one),
            }.get(mod)
        if arg == "month":
            if mod == "last":
                return _month_span(day.year, day.month - 1)
            if mod == "next":
                return _month_span(day.year, day.month + 1)
            first, last = _month_span(day.year, day.month)
            return {
                "this": (first, last),
                "earlier this": (first, day),
                "later this": (day, last),
                "this past": (day - 31 * one, day),
                "the past": (day - 31 * one, day),
            }.get(mod)
        if arg == "year":
            y = day.year
            return {
                "last": (dt.date(y - 1, 1, 1), dt.date(y - 1, 12, 31)),
                "next": (dt.date(y + 1, 1, 1), dt.date(y + 1, 12, 31)),
                "this": (dt.date(y, 1, 1), dt.date(y, 12, 31)),
                "earlier this": (dt.date(y, 1, 1), day),
                "later this": (day, dt.date(y, 12, 31)),
                "this past": (day - 366 * one, day),
                "the past": (day - 366 * one, day),
            }.get(mod)
        return None
    if kind == "ago":
        n = parse_number(mod)
        if n is None or n != int(n):
            return None
        k = int(n)
        if arg == "day":
            d = day - k * one
            return d, d
        if arg == "week":
            d = day - 7 * k * one
            return d - 3 * one, d + 3 * one
        if arg == "month":
            return _month_span(day.year, day.month - k)
        if arg == "year":
            return dt.date(day.year - k, 1, 1), dt.date(day.year - k, 12, 31)
    return None


def resolve(kind: str, arg: str, mod: str, future: bool, days: Days) -> Days | None:
    """Union of the expression's days over every candidate publication day."""
    out: Days | None = None
    d = days[0]
    while d <= days[1]:
        try:
            r = _resolve_one(kind, arg, mod, future, d)
        except (ValueError, OverflowError):  # at the ends of the calendar (year 1, year 9999)
            return None
        if r is None:
            return None
        out = r if out is None else (min(out[0], r[0]), max(out[1], r[1]))
        if d == dt.date.max:
            break
        d += dt.timedelta(days=1)
    return out


def _mod_before(words: list[str], mods: tuple[str, ...]) -> str | None:
    """The longest modifier in ``mods`` that the words before a trigger end with."""
    for mod in mods:
        parts = mod.split()
        if words[-len(parts) :] == parts:
            return mod
    return None


#: A happening at the edge of the night may be dated either side of midnight: "late
#: Monday" and "just after midnight on Tuesday" are one night.  "Late <day>", "<day>
#: night" reach into the next day; "early <day>", "overnight", "after midnight on
#: <day>", "the early hours of <day>" reach back into the day before.
_LATE_BEFORE = re.compile(r"\blate\s(?:on\s)?$")
_LATE_AFTER = re.compile(r"(?:['’]s)?\s(?:night|evening)\b")
_EARLY_BEFORE = re.compile(
    r"\b(?:early|overnight|after\smidnight|before\sdawn|early\shours\sof|small\shours\sof)\s(?:on\s)?"
    r"(?:the\s)?$"
)


def _night_edge(low: str, start: int, end: int, days: Days) -> Days:
    lo, hi = days
    before = low[max(0, start - 24) : start]
    if _LATE_BEFORE.search(before) or _LATE_AFTER.match(low, end):
        hi = hi + dt.timedelta(days=1)
    if _EARLY_BEFORE.search(before):
        lo = lo - dt.timedelta(days=1)
    return lo, hi


def relative_dates(sentence: str, low: str, days: Days | None) -> list[Relative]:
    """Relative dates of one sentence, resolved when the publication day is known."""
    out: list[Relative] = []
    future: bool | None = None
    for t in _TRIGGER.finditer(low):
        word = t.group()
        head = low[max(0, t.start() - 24) : t.start()]
        prev = head.split()
        if len(head) == 24 and prev:
            prev = prev[1:]  # the first token may be cut
        start, end = t.start(), t.end()
        mod: str | None = ""
        if word in _WEEKDAYS:
            kind, arg = "wd", word
            mod = _mod_before(prev, _WD_MODS) or ""
            if (
                not mod
                and prev
                and sentence[start - 1 : start] == " "
                and prev[-1][:1].isalpha()
                and prev[-1] not in _WEEKDAY_NAME_OK
                and sentence[start - len(prev[-1]) - 1 : start - len(prev[-1])][:1].isupper()
            ):
                continue  # "Super Tuesday", "Good Friday": a name, not a day
            if low[end : end + 2] in ("'s", "’s"):
                end += 2
        elif word in ("today", "tonight", "yesterday", "tomorrow"):
            kind, arg = "word", word
        elif word in ("night", "morning", "afternoon", "evening"):
            if not prev or prev[-1] not in ("last", "this") or (prev[-1] == "this" and word == "night"):
                continue
            kind, arg = "word", f"{prev[-1]} {word}"
            start = max(0, low.rfind(prev[-1], max(0, t.start() - 24), t.start()))
        elif word == "ago":
            if (
                len(prev) < 2
                or prev[-1] not in _AGO_UNITS
                or not (prev[-2] in _AGO_NUMS or prev[-2].isdigit())
            ):
                continue
            kind, arg, mod = "ago", _AGO_UNITS[prev[-1]], prev[-2]
        else:
            mod = _mod_before(prev, _SPAN_MODS)
            if mod is None:
                continue
            kind, arg = "span", word
        if mod:
            first = prev[-2] if kind == "ago" else mod.split()[0]
            found_at = low.rfind(first, max(0, t.start() - 24), t.start())
            start = found_at if found_at >= 0 else t.start()
        bound = mod in ("since", "until", "by", "before", "after")
        if bound or mod == "on":
            expr_mod, mod = "", ""
        else:
            expr_mod = mod or ""
        resolved: Days | None = None
        if days is not None:
            if kind == "wd" and future is None:
                future = bool(_FUTURE.search(low))
            resolved = resolve(kind, arg, mod or "", bool(future), days)
            if resolved is not None and kind == "wd":
                resolved = _night_edge(low, start, end, resolved)
        expr = arg if kind == "word" else f"{expr_mod} {word}".strip()
        if kind == "ago":
            expr = f"{expr_mod} {low[t.start() - len(prev[-1]) - 1 : t.start() - 1]} ago"
        out.append(Relative(start, end, expr, resolved, bound))
    return out


def date_value(days: Days | None, expr: str | None = None) -> dict[str, Any]:
    """The ``date`` value of a day range (``year_hi`` only when it crosses a new year)."""
    if days is None:
        return {"year": None, "lo": None, "hi": None, "relative": expr}
    lo, hi = days
    value: dict[str, Any] = {"year": lo.year, "lo": f"{lo:%m-%d}", "hi": f"{hi:%m-%d}"}
    if hi.year != lo.year:
        value["year_hi"] = hi.year
    if expr is not None:
        value["relative"] = expr
    return value


def find_relative_dates(sentence: str, low: str, rels: Iterable[Relative]) -> Iterator[Found]:
    """Event dates written relatively ("spoke Tuesday", "Monday's attack", "the call yesterday")."""
    for r in rels:
        if r.bound:
            continue
        subject = event_of(sentence, low, r.start, r.end)
        if subject is None:
            continue
        yield Found("date", subject, "date", date_value(r.days, r.expr), r.start, r.end)


def mention_days(d: DateMention, days: Days | None) -> Days | None:
    """Days of a calendar date; a missing year is the latest one not after publication (+ a week)."""
    year = d.year
    if year is None:
        if days is None:
            return None
        ref = days[1] + dt.timedelta(days=PAST_EVENT_DAYS)
        year = ref.year if (d.month, d.lo) <= (ref.month, ref.day) else ref.year - 1
    try:
        return dt.date(year, d.month, d.lo), dt.date(year, d.month, d.hi)
    except ValueError:
        return None


def _key(span: Days | None, text: str, month: int | None = None, year: int | None = None) -> str:
    if span is not None:
        lo, hi = span
        if (lo.year, lo.month) == (hi.year, hi.month):
            return f"{lo:%Y-%m}"
        if lo.year == hi.year:
            return f"{lo.year:04d}"
        return f"{lo:%Y-%m}"
    if month is not None:
        return f"{year:04d}-{month:02d}" if year else f"--{month:02d}"
    if year is not None:
        return f"{year:04d}"
    return " ".join(text.lower().rstrip(".").split())


def _before(span: Days, days: Days) -> bool:
    """The span ends at least PAST_EVENT_DAYS before the earliest publication day."""
    return (days[0] - span[1]).days >= PAST_EVENT_DAYS


def clause_span(low: str, start: int, end: int, breaks: re.Pattern[str] = _CLAUSE_BREAK) -> tuple[int, int]:
    """The clause holding [start, end): from the last break before ``start`` to the first
    break after ``end`` (``breaks`` matched on the lower-cased sentence)."""
    lo, hi = 0, len(low)
    for b in breaks.finditer(low):
        if b.end() <= start:
            lo = b.end()
        elif b.start() >= end:
            hi = b.start()
            break
    return lo, hi


def _clause(low: str, pos: int) -> tuple[int, int]:
    """The clause around ``pos``."""
    return clause_span(low, pos, pos)


@dataclass(frozen=True, slots=True)
class Frame:
    """An earlier time frame over [start, end) of a sentence, with its slot key."""

    start: int
    end: int
    key: str


def frames(
    sentence: str, low: str, days: Days | None, rels: list[Relative], dates: list[DateMention]
) -> list[Frame]:
    """The earlier time frames of one sentence (see the module docstring)."""
    out: list[Frame] = []
    opening = _OPENING.match(sentence)
    if opening is None and rels and rels[0].start <= 3:
        r = rels[0]
        if (r.expr.startswith(("last ", "earlier ")) and r.expr != "last night") or r.expr.endswith(" ago"):
            # "Last week, …", "Earlier this month, …", "Two years ago, …": the whole sentence
            return [Frame(0, len(sentence), _key(r.days, r.expr))]
    if opening is not None:
        month = _MONTH_NUM.get(opening.group("month").lower().rstrip(".")) if opening.group("month") else None
        year = int(opening.group("myear") or opening.group("year") or 0) or None
        span: Days | None = None
        if days is not None:
            if month is not None:
                y = year
                if y is None:
                    y = days[1].year if month <= days[1].month else days[1].year - 1
                span = _month_span(y, month)
            elif year is not None:
                span = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if span is None or days is None or not (span[0] <= days[1] and days[0] <= span[1]):
            return [Frame(0, len(sentence), _key(span, opening.group("when"), month, year))]
    if any(w in low for w in _INLINE_GATE):
        for m in _INLINE.finditer(low):
            text = m.group("when")
            key_span: Days | None = None
            inyear = m.group("inyear")
            if inyear:
                y = int(inyear)
                if days is not None and days[0].year <= y <= days[1].year:
                    continue  # "in 2025" in a 2025 article is this year, not another frame
                key_span = (dt.date(y, 1, 1), dt.date(y, 12, 31))
            else:
                for r in rels:
                    if r.start >= m.start() and r.end <= m.end() and r.days is not None:
                        key_span = r.days
            lo, hi = _clause(low, m.start())
            month = year = None
            if key_span is None:
                # "the last recorded conversation took place in mid-February": the clause's date
                for d in dates:
                    if lo <= d.start < hi:
                        key_span = mention_days(d, days)
                        month, year = d.month, d.year
                        break
            out.append(Frame(lo, hi, _key(key_span, "previous" if m.group("prev") else text, month, year)))
    if days is not None:
        for d in dates:
            span = mention_days(d, days)
            if span is not None and _before(span, days):
                lo, hi = _clause(low, d.start)
                out.append(Frame(lo, hi, _key(span, "")))
    return out


def frame_of(frames_: list[Frame], start: int, end: int) -> str | None:
    """The key of the frame a claim span falls in, or None (this event's frame)."""
    for f in frames_:
        if f.start <= start and end <= f.end:
            return f.key
    return None
