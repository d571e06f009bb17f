"""An article's reference time: the day "today" means for it, and when it was written.

One helper, shared by claim occasions (is a date "earlier" than the news?), relative
dates ("Tuesday"), the order of reports (a later, larger toll supersedes an earlier
one) and event identity (two happenings on different days are two events).

The order of evidence, strongest first:

1. ``published_at`` (ISO 8601): its local day (see
   :func:`worker.core.claims.frames.publication_days`) and, when it has a clock time,
   the instant;
2. a **dateline**: a full date (day, month and year) standing in the article's header —
   the title, or one of its first :data:`DATELINE_LINES` lines, alone or after
   "Published", "Posted", "Updated", a weekday or a clock time ("May 2, 2013 | 5:03pm",
   "PUBLISHED: THURSDAY, MAY 2, 2013", "22 Jul 2013", "2013-09-26");
3. a full date in the **first sentence** of the body ("… checked herself in on
   Tuesday, December 9, 2008."), unless it bounds another happening ("since", "before").

Else there is none, and whatever needs it abstains.  A dateline stands for its day and
the day before (update stamps and other zones shift it), a first-sentence date for its
day and the day after (the news is written on the day or the next).  A date with no year, a bare year
or a month is never a reference time.  Only the day is taken from a dateline: a clock
time next to it may be the update time, and the order of reports needs care more than
precision (see :func:`ordered`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from worker.core.claims.frames import publication_days
from worker.core.claims.text import MONTHS

#: How many of the first lines of the text may hold a dateline.
DATELINE_LINES = 6
#: A dateline line is short: a date plus at most a few words and a clock time.
MAX_DATELINE_CHARS = 90
#: Reports whose reference times are closer than this are not ordered (default 6 h).
DEFAULT_ORDER_GAP_S = 6 * 3600

_M = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_Y = r"(?P<year>(?:19|20)\d\d)"
_FULL_DATE = re.compile(
    rf"\b{_M}\s{{1,2}}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s{{1,2}}{_Y}\b"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s{{1,2}}(?P<mon2>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|"
    rf"apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
    rf"\.?,?\s{{1,2}}(?P<year2>(?:19|20)\d\d)\b"
    r"|\b(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b",
    re.IGNORECASE,
)
#: Words a dateline line may hold besides its date.
_DATELINE_WORDS = frozenset(
    (
        "published", "posted", "updated", "last", "first", "created", "story", "on", "at", "by", "date",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
        "am", "pm", "a", "p", "m", "et", "est", "edt", "ct", "cst", "cdt", "mt", "mst", "mdt", "pt", "pst",
        "pdt", "gmt", "utc", "bst", "akdt", "ist", "cet", "cest",
    )
)  # fmt: skip
_BOUND_BEFORE = re.compile(r"\b(?:since|before|after|until|till|from|between|by)\s(?:\w+,?\s)?$", re.I)


@dataclass(frozen=True, slots=True)
class ReferenceTime:
    """When an article speaks from: local day range, the evidence, the instant if known."""

    lo: dt.date
    hi: dt.date
    source: str  # "published_at" | "dateline" | "text"
    instant: float | None = None  # epoch seconds, only from a published_at with a clock time

    @property
    def days(self) -> tuple[dt.date, dt.date]:
        return self.lo, self.hi

    def bounds(self) -> tuple[float, float]:
        """The reference time as an interval of epoch seconds (a day is [00:00, 24:00) UTC)."""
        if self.instant is not None:
            return self.instant, self.instant
        start = dt.datetime(self.lo.year, self.lo.month, self.lo.day, tzinfo=dt.UTC).timestamp()
        end = dt.datetime(self.hi.year, self.hi.month, self.hi.day, tzinfo=dt.UTC).timestamp() + 86400
        return start, end

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"lo": self.lo.isoformat(), "hi": self.hi.isoformat(), "source": self.source}
        if self.instant is not None:
            out["instant"] = self.instant
        return out


def _date(m: re.Match[str]) -> dt.date | None:
    try:
        if m.group("iy"):
            return dt.date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        mon = (m.group("mon") or m.group("mon2")).lower()
        month = MONTHS.get(mon) or MONTHS.get(mon[:3])
        day = int(m.group("day") or m.group("day2"))
        year = int(m.group("year") or m.group("year2"))
        return dt.date(year, month or 0, day)
    except (ValueError, TypeError):
        return None


def _is_dateline(line: str, m: re.Match[str]) -> bool:
    """The line is the date plus dateline words, clock times and punctuation only."""
    rest = line[: m.start()] + " " + line[m.end() :]
    words = re.findall(r"[a-z]+", rest.lower())
    return all(w in _DATELINE_WORDS for w in words)


def dateline(text: str, title: str = "") -> dt.date | None:
    """The date of the article's dateline (see the module docstring), or None."""
    if title and len(title) <= MAX_DATELINE_CHARS:
        m = _FULL_DATE.search(title)
        if m and _is_dateline(title, m):
            return _date(m)
    for raw in text[:2000].split("\n", DATELINE_LINES)[:DATELINE_LINES]:
        line = raw.strip()
        if not line or len(line) > MAX_DATELINE_CHARS:
            continue
        m = _FULL_DATE.search(line)
        if m and _is_dateline(line, m):
            return _date(m)
    return None


def first_sentence_date(text: str) -> dt.date | None:
    """A full date in the first sentence of the body that does not bound another happening."""
    for raw in text[:3000].split("\n"):
        line = raw.strip()
        if len(line) < 40:  # a headline or a short label, not the body
            continue
        end = re.search(r"[.!?](?:\s|$)", line)
        first = line[: end.end()] if end else line
        for m in _FULL_DATE.finditer(first):
            if not _BOUND_BEFORE.search(first, max(0, m.start() - 30), m.start()):
                return _date(m)
        return None
    return None


def reference_time(
    text: str, published_at: str | None = None, title: str = "", zone: str | None = None
) -> ReferenceTime | None:
    """The article's reference time, or None (see the module docstring for the order)."""
    days = publication_days(published_at, zone)
    if days is not None:
        return ReferenceTime(days[0], days[1], "published_at", _instant(published_at))
    d = dateline(text, title)
    if d is not None:
        # a dateline is often an update stamp, or a day in another zone than the writer's
        # ("April 10, 2007-7:07AM" on a story written the evening before): the day before too
        return ReferenceTime(d - _DAY, d, "dateline")
    d = first_sentence_date(text)
    if d is not None:
        return ReferenceTime(d, d + _DAY, "text")  # the news's date: written that day or the next
    return None


_DAY = dt.timedelta(days=1)


def _instant(published_at: str | None) -> float | None:
    if not published_at or len(published_at.strip()) <= 10:
        return None
    try:
        when = dt.datetime.fromisoformat(published_at.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        return None
    try:
        return when.timestamp()
    except (OverflowError, ValueError):
        return None


def ordered(
    earlier: ReferenceTime | None, later: ReferenceTime | None, gap_s: float = DEFAULT_ORDER_GAP_S
) -> bool:
    """``later`` was certainly written at least ``gap_s`` after ``earlier``.

    Both must be known; day-precise times are whole days, so two reports dated to
    consecutive days are not ordered by a 6-hour gap (the first day's end and the second
    day's start are 0 s apart), but reports two days apart are.
    """
    if earlier is None or later is None:
        return False
    return later.bounds()[0] - earlier.bounds()[1] >= gap_s


def from_json(data: object) -> ReferenceTime | None:
    if not isinstance(data, dict) or "lo" not in data:
        return None
    try:
        instant = data.get("instant")
        return ReferenceTime(
            dt.date.fromisoformat(str(data["lo"])),
            dt.date.fromisoformat(str(data["hi"])),
            str(data.get("source", "")),
            float(instant) if isinstance(instant, int | float) else None,
        )
    except ValueError:
        return None
