"""How two same-slot claims relate, human renderings, and the conflict rules."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from worker.core.claims.quantities import STILL
from worker.core.claims.roles import ORDINALS
from worker.core.model import Claim

RULES: dict[str, str] = {
    "duration": "Two durations conflict when their intervals (after hedges: about ±10%, more than (v,∞), "
    "at least [v,∞), nearly [v·0.9,v)) are disjoint.",
    "quantity": "Two quantities conflict when their intervals (hedges applied, same unit) are disjoint; "
    "scores conflict when the results differ; different units never conflict; two money amounts ten "
    "times apart or more are two happenings' money, not a disagreement; two earthquake magnitudes "
    "conflict only when more than 0.3 apart (agencies and revisions differ by a few tenths).",
    "time": "Two clock times conflict when both zones are known and their UTC windows (±15 min if hedged, "
    "±1 min if exact) are disjoint.",
    "date": "Two dates conflict when their day ranges (mid-month = 10–20) are disjoint; a missing year "
    "compares month and day only; a relative date of an undated article is never compared.",
    "place": "Two places conflict when neither contains the other and they do not overlap "
    "(Riyadh ⊂ Saudi Arabia ⊂ Middle East never conflicts).",
    "role": "Two roles of one person conflict only when both head offices are known, specific and "
    "distinct (spokesperson vs deputy chief of staff); same head or a generic head is compatible.",
    "proposition": "Two propositions on the same agent and scoped proposition conflict when their "
    "polarities differ (agreed vs refused); a conditional agreement still conflicts with a refusal.",
}

_EPS = 1e-9


def _eq(x: float, y: float) -> bool:
    """Equal within _EPS; two infinities of one sign are equal (inf - inf is nan)."""
    return x == y or abs(x - y) <= _EPS


def _bounds(v: Mapping[str, Any]) -> tuple[float, float, bool, bool]:
    lo = v.get("lo")
    hi = v.get("hi")
    return (
        float("-inf") if lo is None else float(lo),
        float("inf") if hi is None else float(hi),
        bool(v.get("lo_open")) and lo is not None,
        bool(v.get("hi_open")) and hi is not None,
    )


def _contains(a: tuple[float, float, bool, bool], b: tuple[float, float, bool, bool]) -> bool:
    """Interval a contains interval b."""
    alo, ahi, alo_o, ahi_o = a
    blo, bhi, blo_o, bhi_o = b
    lo_ok = alo < blo - _EPS or (_eq(alo, blo) and (not alo_o or blo_o))
    hi_ok = ahi > bhi + _EPS or (_eq(ahi, bhi) and (not ahi_o or bhi_o))
    return lo_ok and hi_ok


def _disjoint(a: tuple[float, float, bool, bool], b: tuple[float, float, bool, bool]) -> bool:
    """Apart by more than a shared end point.

    Intervals that meet at one number, open on one side ("more than $1 million" and "$1
    million", "nearly 90" and "90"), are not a disagreement: news rounds, and the writer of
    "more than" and the writer of the round figure usually mean the same amount.
    """
    alo, ahi, _alo_o, _ahi_o = a
    blo, bhi, _blo_o, _bhi_o = b
    return ahi < blo - _EPS or bhi < alo - _EPS


def relate_intervals(a: tuple[float, float, bool, bool], b: tuple[float, float, bool, bool]) -> str:
    """same / refines (b inside a) / generalizes (a inside b) / compatible / conflict."""
    if _disjoint(a, b):
        return "conflict"
    ab = _contains(a, b)
    ba = _contains(b, a)
    if ab and ba:
        return "same"
    if ab:
        return "refines"
    if ba:
        return "generalizes"
    return "compatible"


#: Two ages "as of" reference times further apart than this are ages at different times.
AGE_SAME_TIME_DAYS = 31


#: Two ages of one surname further apart than this many years are two people's.
AGE_PEOPLE_GAP = 5.0


def _gap(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    """The distance between two intervals (0 when they meet)."""
    alo, ahi, _, _ = _bounds(a)
    blo, bhi, _, _ = _bounds(b)
    return max(0.0, alo - bhi, blo - ahi)


def _same_time(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two ages describe the person at the same time: both at death, both as of reference
    times within a month, or one at death and the other dated.  Values without the
    fields (made before ages were anchored) compare as before."""
    if not ({"asof", "at_death"} & (a.keys() | b.keys())):
        return True
    if a.get("at_death") and b.get("at_death"):
        return True
    x, y = a.get("asof"), b.get("asof")
    if x and y:
        return abs(_day_index(str(x)) - _day_index(str(y))) <= AGE_SAME_TIME_DAYS
    return bool((a.get("at_death") and y) or (b.get("at_death") and x))


def _relate_quantity(a: Mapping[str, Any], b: Mapping[str, Any]) -> str:
    if "score" in a or "score" in b:
        return "same" if list(a.get("score") or []) == list(b.get("score") or []) else "conflict"
    if a.get("unit") != b.get("unit"):
        return "compatible"
    if a.get("unit") == "$":
        return relate_intervals(_widen(_bounds(a), DOLLAR_SPREAD), _widen(_bounds(b), DOLLAR_SPREAD))
    if a.get("unit") == "magnitude":
        spread_a, spread_b = _spread(_rounding(a), MAGNITUDE_SPREAD), _spread(_rounding(b), MAGNITUDE_SPREAD)
        return relate_intervals(spread_a, spread_b)
    return relate_intervals(_rounding(a), _rounding(b))


def _rounding(v: Mapping[str, Any]) -> tuple[float, float, bool, bool]:
    """An exact measured value widened by half the unit of its last written digit
    (``step``): "64 percent" and "63.8 percent" agree, "6.2" and "5.8" do not."""
    lo, hi, lo_o, hi_o = _bounds(v)
    step = v.get("step")
    if not step or lo != hi:
        return lo, hi, lo_o, hi_o
    half = float(step) / 2
    return lo - half, hi + half, lo_o, hi_o


#: A bare "$" may be any of the dollars (US, Canadian, Australian, New Zealand …) or a
#: conversion at another day's rate: two such amounts conflict only when they are more
#: than this factor apart on each side (≈ 1.5 in all), "C$137 million" against
#: "A$160 million" for one €85 million haul being no disagreement.
DOLLAR_SPREAD = 1.22


#: An earthquake's magnitude is an estimate: agencies measure on different scales (the
#: USGS's moment magnitude, a national service's local one) and revise preliminary
#: readings, commonly by a few tenths.  Two magnitudes are widened by this much on each
#: side beyond their rounding, so readings up to 0.3 apart ("7.1" and "7.3", "6.8" and
#: "7.0") are no disagreement between outlets, and "6.1" against "7.2" still is.
MAGNITUDE_SPREAD = 0.1


def _spread(x: tuple[float, float, bool, bool], by: float) -> tuple[float, float, bool, bool]:
    lo, hi, lo_o, hi_o = x
    return lo - by, hi + by, lo_o, hi_o


def _widen(x: tuple[float, float, bool, bool], factor: float) -> tuple[float, float, bool, bool]:
    lo, hi, lo_o, hi_o = x
    return (lo / factor if lo > 0 else lo * factor, hi * factor if hi > 0 else hi / factor, lo_o, hi_o)


def _time_window(v: Mapping[str, Any]) -> tuple[float, float, bool, bool]:
    """UTC window in minutes after the local date's 00:00 UTC, widened by the tolerance."""
    tol = float(v.get("tol") or 0)
    return (float(v["utc_lo"]) - tol, float(v["utc_hi"]) + tol, False, False)


def _day_index(date: str) -> int:
    return dt.date.fromisoformat(date).toordinal()


def _relate_time(a: Mapping[str, Any], b: Mapping[str, Any]) -> str:
    if a.get("utc_lo") is None or b.get("utc_lo") is None:
        # unknown zone: only local clock readings of the same (unknown) zone are comparable
        if a.get("zone") is None and b.get("zone") is None and a.get("local") == b.get("local"):
            return "same"
        return "compatible"
    wa = _time_window(a)
    wb = _time_window(b)
    if a.get("date") and b.get("date"):
        shift = (_day_index(str(b["date"])) - _day_index(str(a["date"]))) * 1440
        return relate_intervals(wa, (wb[0] + shift, wb[1] + shift, False, False))
    # Without both local dates the two readings may be a day apart in UTC ("8:15 a.m. in Kabul"
    # is "11:45 p.m. ET" the day before): the nearest reading decides.
    rels = [relate_intervals(wa, (wb[0] + shift, wb[1] + shift, False, False)) for shift in (0, -1440, 1440)]
    return next((r for r in rels if r != "conflict"), "conflict")


def _relate_date(a: Mapping[str, Any], b: Mapping[str, Any]) -> str:
    if a.get("lo") is None or b.get("lo") is None:
        # an unresolved relative date ("Tuesday" in an undated article) names no absolute day
        if a.get("lo") is None and b.get("lo") is None and a.get("relative") == b.get("relative"):
            return "same"
        return "compatible"

    def key(v: Mapping[str, Any], which: str, with_year: bool) -> float:
        m, d = (int(x) for x in str(v[which]).split("-"))
        y = 0
        if with_year:
            y = int(v["year"]) if which == "lo" else int(v.get("year_hi") or v["year"])
        return float(y * 400 + m * 32 + d)

    with_year = a.get("year") is not None and b.get("year") is not None
    if not with_year and (a.get("year_hi") or b.get("year_hi")):
        return "compatible"  # a range across New Year has no month-day order without its years
    ia = (key(a, "lo", with_year), key(a, "hi", with_year), False, False)
    ib = (key(b, "lo", with_year), key(b, "hi", with_year), False, False)
    rel = relate_intervals(ia, ib)
    if rel == "same" and a.get("year") != b.get("year"):
        return "refines" if b.get("year") is not None else "generalizes"
    return rel


def _same_person(ga: object, gb: object) -> bool:
    if not ga or not gb:
        return False
    a, b = str(ga), str(gb)
    return a == b or a.startswith(b) or b.startswith(a)


#: Words that mark a stage of one office rather than another office:
#: "President-elect Obama" and "President Obama" are the same office at two times.
_OFFICE_STAGES = re.compile(r"(?:^|[\s-])(?:elect|designate|acting|interim|incoming|outgoing)(?=$|[\s-])")


def _unranked(office: str) -> str:
    """``office`` without the ordinal that ranks one of several deputies."""
    first, _, rest = office.partition(" ")
    return rest if first in ORDINALS and rest else office


def _office_core(office: object) -> str:
    return " ".join(_OFFICE_STAGES.sub(" ", str(office or "").lower()).split())


#: Offices one person commonly holds at once, or names for one office: a company's
#: chair is often also its chief executive and president; a football club's manager is
#: its (head) coach.  Two of one group are never a disagreement.
CO_HELD_OFFICES: tuple[frozenset[str], ...] = (
    frozenset({"chair", "ceo", "president", "managing director", "chief operating officer", "coo"}),
    frozenset({"coach", "head coach", "manager", "boss"}),
)


_TITLE_HEAD = re.compile(r"^(?:.*?\s)?(?P<head>[a-z]{4,})(?:\s(?:at|of|for|in|to|with)\b.*)?$")


def _speaks_for_own_office(spokes: str, other: str) -> bool:
    """A spokesperson may hold the office of the body they speak for: "a spokeswoman for
    the regional prosecutor's office" and "Prosecutor Ewa Sadowska" (``other``'s head word,
    "prosecutor", stands in ``spokes``).  Ranks ("police Sergeant") are generic already."""
    m = _TITLE_HEAD.match(" ".join(other.split()))
    return m is not None and re.search(rf"\b{m.group('head')}", spokes) is not None


def _relate_role(a: Mapping[str, Any], b: Mapping[str, Any]) -> str:
    ta, tb = str(a.get("title", "")).lower(), str(b.get("title", "")).lower()
    if a.get("office") == b.get("office") and ta == tb:
        return "same"
    if a.get("generic") or b.get("generic"):
        return "compatible"
    oa, ob = _office_core(a.get("office")), _office_core(b.get("office"))
    if oa == ob or any(oa in group and ob in group for group in CO_HELD_OFFICES):
        return "compatible"
    if _unranked(oa) == ob or _unranked(ob) == oa:
        return "compatible"  # "First Deputy Governor" and "Deputy Governor": one less precise
    if (oa == "spokesperson" and _speaks_for_own_office(ta, tb)) or (
        ob == "spokesperson" and _speaks_for_own_office(tb, ta)
    ):
        return "compatible"
    return "conflict"


def _relate_place(a: Mapping[str, Any], b: Mapping[str, Any]) -> str:
    ka, kb = a.get("key"), b.get("key")
    if ka == kb:
        return "same"
    anc_a = set(a.get("ancestors") or [])
    anc_b = set(b.get("ancestors") or [])
    if ka in anc_b:
        return "refines"
    if kb in anc_a:
        return "generalizes"
    ma, mb = set(a.get("members") or []), set(b.get("members") or [])
    if ma & mb:
        return "compatible"
    return "conflict"


def _sides_apart(a: Sequence[str] | None, b: Sequence[str] | None) -> bool:
    """Both results name who they were against, and each names a side the other does
    not ("City beat United" and "United lost to City" name the same two; "Manchester
    City" is "City": a name sharing a word with one of the other's is no other side)."""
    if not a or not b:
        return False

    def unmatched(xs: Sequence[str], ys: Sequence[str]) -> bool:
        words = {w for y in ys for w in y.split()}
        return any(not set(x.split()) & words for x in xs)

    return unmatched(a, b) and unmatched(b, a)


def _places_apart(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    return bool(a and b and _relate_place(a, b) == "conflict")


def _relate_prop(a: Mapping[str, Any], b: Mapping[str, Any]) -> str:
    if bool(a.get("polarity")) != bool(b.get("polarity")):
        return "conflict"
    if bool(a.get("conditional")) != bool(b.get("conditional")):
        return "compatible"
    return "same"


def relate(a: Claim, b: Claim, rules: bool = True) -> str:
    """Relation of two claims of the same slot: same/refines/generalizes/compatible/conflict.

    ``rules=False`` gives the bare relation of the values, without the person rules below
    (namesakes, ages at different times): what the evaluation's candidate pairs use.
    """
    if a.kind != b.kind:
        return "compatible"
    rel = _relate_values(a.kind, a.value, b.value)
    if not rules:
        return rel
    if rel == "conflict" and a.predicate == "age" and not _same_time(a.value, b.value):
        return "compatible"  # a person's ages at different times
    if (
        rel == "conflict"
        and a.predicate == "age"
        and not (a.value.get("given") and b.value.get("given"))
        and _gap(a.value, b.value) > AGE_PEOPLE_GAP
    ):
        # "Smith, 45, died" and "Smith, 12, was hurt": with a first name missing, nothing
        # says one person is meant; outlets misstate an age by a year or two, and ages
        # further apart on one surname are more often two people (a father and a son).
        return "compatible"
    if rel == "conflict" and a.predicate == "amount" and _apart_in_size(a.value, b.value):
        # "$137 million" against "$2.6 million" for one haul: not outlets disagreeing on a
        # figure but another happening's money, as the identity rule reads it (``size`` in
        # worker/core/signature.py; the same ratio).  Precision first: no contradiction.
        return "compatible"
    if rel == "conflict" and _sides_apart(a.value.get("sides"), b.value.get("sides")):
        # "beat Ellesford Town 2-0" and "lost 3-1 at Brantford Athletic": each result is
        # told against a side the other never names, so they are two games' results
        return "compatible"
    if rel == "conflict" and _places_apart(a.value.get("where"), b.value.get("where")):
        # "killed 35 people in India" and "killed 20 people in Nepal": counts of two
        # places, neither inside the other (a city inside its country still compares)
        return "compatible"
    if rel == "conflict" and a.kind == "quantity" and STILL in (*a.hedges, *b.hedges):
        # "two people were still missing" against "nine missing": what remains is told
        # as of its writing, and the search changes it
        return "compatible"
    if rel == "conflict" and (_missing_counted(a, b) or _missing_counted(b, a)):
        # "Three dead, one missing" and "Four die as missing skier is found": the toll
        # told beside the missing may yet count them, so a higher one within as many is
        # no disagreement.
        return "compatible"
    if rel == "conflict" and _perpetrator_counted(a, b):
        # "Gunman kills 12" and "Eleven were killed; the gunman also died": a toll may
        # count the perpetrator or not, so one apart is no disagreement.
        return "compatible"
    if (
        rel != "same"
        and a.kind in ("role", "quantity")
        and a.subject.startswith("person:")
        and not _same_person(a.value.get("given"), b.value.get("given"))
    ):
        # A person slot is keyed by surname. Two claims are about one person only when both
        # name them with the same first name: "17-year-old Jeremy Ortiz" and "Ortiz, 35" may
        # be father and son, "Kimani Gray" and "Mahnefah Gray" are siblings. Precision first.
        return "compatible"
    return rel


def _missing_counted(a: Claim, b: Claim) -> bool:
    """``a`` is a toll told beside ``missing`` people, and ``b`` is higher by no more than
    the missing ``b`` no longer counts: the dead and the missing together are what both
    reports must agree on ("14 dead, nine missing" against "17 dead, nine missing" is a
    disagreement; against "17 dead" it may be three of the missing found)."""
    missing = a.value.get("missing") if a.kind == "quantity" else None
    if not isinstance(missing, int | float) or missing <= 0:
        return False
    theirs = b.value.get("missing")
    found = missing - (float(theirs) if isinstance(theirs, int | float) else 0.0)
    _, ahi, _, _ = _bounds(a.value)
    blo, _, _, _ = _bounds(b.value)
    return ahi < blo <= ahi + found + _EPS


def _perpetrator_counted(a: Claim, b: Claim) -> bool:
    """Two death tolls, one from an article reporting the perpetrator dead, that come
    within one of each other."""
    if a.kind != "quantity" or not (a.value.get("perpetrator") or b.value.get("perpetrator")):
        return False
    return _gap(a.value, b.value) <= 1 + _EPS


#: Money amounts of one slot this many times apart are two happenings' money: the identity
#: rule's ``size`` (worker/core/signature.py) and the reason two reports' amounts that far
#: apart are no contradiction (:func:`relate`).
SIZE_RATIO = 10.0


def _apart_in_size(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two positive amounts whose every pair of values is at least ``SIZE_RATIO`` apart."""
    alo, ahi, _, _ = _bounds(a)
    blo, bhi, _, _ = _bounds(b)
    if alo <= 0 or blo <= 0:
        return False
    return ahi * SIZE_RATIO <= blo or bhi * SIZE_RATIO <= alo


def _relate_values(kind: str, va: Mapping[str, Any], vb: Mapping[str, Any]) -> str:
    if kind in ("duration", "quantity"):
        return _relate_quantity(va, vb)
    if kind == "time":
        return _relate_time(va, vb)
    if kind == "date":
        return _relate_date(va, vb)
    if kind == "role":
        return _relate_role(va, vb)
    if kind == "place":
        return _relate_place(va, vb)
    if kind == "proposition":
        return _relate_prop(va, vb)
    return "compatible"


def _num(x: Any) -> str:
    f = float(x)
    return str(int(f)) if f == int(f) else f"{f:g}"


def _describe_interval(v: Mapping[str, Any]) -> str:
    unit = str(v.get("unit", ""))
    vals = [x for x in (v.get("lo"), v.get("hi")) if x is not None]
    if unit == "min" and vals and all(float(x) >= 1440 and float(x) % 1440 == 0 for x in vals):
        scaled = {
            k: (float(x) / 1440 if k in ("lo", "hi", "value") and x is not None else x) for k, x in v.items()
        }
        scaled["unit"] = "days"
        return _describe_interval(scaled)
    u = f" {unit}" if unit else ""
    lo, hi = v.get("lo"), v.get("hi")
    hedge = v.get("hedge")
    if "score" in v:
        s = v["score"]
        return f"{s[0]}-{s[1]}"
    if lo is not None and hi is not None and float(lo) == float(hi):
        return f"{_num(lo)}{u}"
    if hi is None and lo is not None:
        return f"{'more than' if v.get('lo_open') else 'at least'} {_num(lo)}{u}"
    if lo is None or (
        float(lo) == 0
        and hi is not None
        and hedge in ("less than", "fewer than", "under", "shorter than", "up to", "at most", "no more than")
    ):
        return f"{'less than' if v.get('hi_open') else 'at most'} {_num(hi)}{u}"
    if hedge in (
        "about",
        "around",
        "roughly",
        "approximately",
        "approx.",
        "some",
        "an estimated",
        "close to",
    ):
        return f"about {_num(v.get('value', lo))}{u}"
    return f"{_num(lo)}–{_num(hi)}{u}"


def _hhmm(minutes: int) -> str:
    return f"{(minutes // 60) % 24:02d}:{minutes % 60:02d}"


def describe(claim: Claim) -> str:
    """Short human rendering of a claim's normalised value."""
    v = claim.value
    if claim.kind in ("duration", "quantity"):
        return _describe_interval(v)
    if claim.kind == "time":
        zone = v.get("zone")
        label = {"America/New_York": "ET", "UTC": "UTC"}.get(str(zone), str(zone)) if zone else "local"
        pre = "about " if v.get("approx") else ""
        s = f"{pre}{v.get('local')} {label}"
        if zone and v.get("utc_lo") is not None and zone != "UTC":
            lo, hi = int(v["utc_lo"]), int(v["utc_hi"])
            s += f" ({_hhmm(lo)} UTC)" if lo == hi else f" ({_hhmm(lo)}–{_hhmm(hi)} UTC)"
        return s
    if claim.kind == "date":
        if v.get("lo") is None:
            return f"{v.get('relative')} (relative, undated article)"
        y = v.get("year")
        if v.get("year_hi"):
            return f"{y}-{v['lo']}..{v['year_hi']}-{v['hi']}"
        span = v["lo"] if v["lo"] == v["hi"] else f"{v['lo']}..{v['hi']}"
        return f"{y}-{span}" if y else span
    if claim.kind == "role":
        # the title as written reads best ("White House spokesman"); the office when it is long
        title = str(v.get("title") or "")
        return title if 0 < len(title) <= 48 else str(v.get("office") or title)
    if claim.kind == "place":
        return str(v.get("name"))
    if claim.kind == "proposition":
        verb = "agreed" if v.get("polarity") else "refused"
        cond = " (with conditions)" if v.get("conditional") else ""
        scope = v.get("scope")
        what = f"{scope} {v.get('topic')}" if scope not in (None, "any") else str(v.get("topic"))
        if scope == "full" and v.get("topic") == "ceasefire":
            what = "immediate full ceasefire"
        return f"{verb}: {what}{cond}"
    return str(dict(v))
