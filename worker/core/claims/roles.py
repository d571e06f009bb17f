"""Roles and titles of named people, canonical person keys and person -> country parties.

Person key: ``person:<surname>`` from the last capitalised token of the name, accent-folded, with
doubled letters collapsed ("Zelenskyy" = "Zelensky") and titles, initials and suffixes dropped:
"Trump" = "Donald Trump" = "President Trump" = "Donald J. Trump" -> ``person:trump``.  Collision
risk: two people sharing a surname in one event (the Bushes, the Kims) get one key; within one news
event that is rare and the price of matching "Trump" with "Donald Trump" across outlets.

Role value: ``{"title": str, "office": str, "generic": bool, "org": str | None}``.  ``office`` is
the head office: a known multi-word office ("deputy chief of staff", "secretary of state") or the
head title noun, with synonyms folded ("spokesman" = "spokeswoman" = "spokesperson" = "press
secretary" -> "spokesperson": in news usage the press secretary *is* the spokesperson).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from worker.core.claims.gazetteer import CITY_COUNTRY, DEMONYMS, country_code, fold
from worker.core.claims.lexicon import trie_regex

_TITLE_LIST = [
    "vice president", "president", "prime minister", "deputy prime minister", "foreign minister",
    "defense minister", "defence minister", "finance minister", "interior minister", "minister",
    "secretary of state", "secretary general", "secretary-general", "press secretary", "secretary",
    "chancellor", "spokesman", "spokeswoman", "spokesperson", "envoy", "ambassador", "adviser",
    "advisor", "deputy chief of staff", "chief of staff", "director", "chairman", "chairwoman", "chair",
    "ceo", "chief executive", "governor", "senator", "sen.", "congressman", "congresswoman",
    "representative", "rep.", "mayor", "general", "gen.", "commander", "leader", "official", "judge",
    "justice", "king", "queen", "prince", "princess", "pope", "premier", "attorney general", "attorney",
    "lawyer", "sheriff", "coach", "captain", "counterpart", "aide", "head", "chief", "founder",
    "president-elect", "speaker", "chief justice", "lieutenant", "colonel", "admiral", "sergeant",
    "detective", "inspector", "superintendent", "commissioner", "prosecutor", "negotiator", "emissary",
    "actress", "actor", "singer", "rapper", "star", "general manager", "assistant general manager",
    "manager", "district attorney", "chief financial officer", "chief operating officer",
    "chief technology officer", "cfo", "coo", "cto", "managing director",
]  # fmt: skip
_TITLE_WORDS = trie_regex(_TITLE_LIST)
_TITLE_RE = re.compile(rf"\b(?:{_TITLE_WORDS})(?!\w)", re.IGNORECASE)
_NAME_TOKEN = r"(?:[A-Z](?:[’'][A-Z])?[a-z][\w’'-]{0,20}|[A-Z]\.)"
_SKIP_NAME_TOKENS = frozenset((
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "the", "a", "an", "and", "of", "in", "on", "at", "for",
))  # fmt: skip
# Title immediately followed by a name: "spokesman Dan Scavino", "President Donald J. Trump".
_TITLE_NAME = re.compile(
    rf"\b(?P<title>(?i:{_TITLE_WORDS}))\s(?P<name>{_NAME_TOKEN}(?:\s{_NAME_TOKEN}){{0,3}})"
)
# Name followed by an appositive: "Dan Scavino, Deputy Chief of Staff at the White House, ...".
_NAME_APPOS = re.compile(
    rf"(?<![\w’'])(?P<name>[A-Z][a-z][\w’'-]{{0,20}}(?:\s{_NAME_TOKEN}){{1,3}}),\s"
    r"(?P<desc>[^,.;:“”\"()]{3,90}?)(?=,|\s(?:said|says|wrote|writes|told|noted|added|stated)\b|\.\s|\.$|$)"
)
# A title set off before the name: "Norbeck's chief financial officer, Thomas Reinholt, told",
# "the country's prime minister, Priit Valgma, said".
_TITLE_APPOS = re.compile(
    rf"(?:\b[Tt]he\s|(?P<org>[A-Z][\w’'-]*)[’']s\s)(?P<mods>(?:[a-z][\w’'-]*\s){{0,2}}?)"
    rf"(?P<title>(?:{_TITLE_WORDS})),\s(?P<name>[A-Z][a-z][\w’'-]{{0,20}}(?:\s{_NAME_TOKEN}){{1,3}}),"
)
_FORMER = re.compile(r"\b(?:former|ex-|then-|late|erstwhile|outgoing|previous)\b", re.IGNORECASE)

#: Multi-word offices and synonyms -> canonical office.  Longest first wins.
_OFFICES: tuple[tuple[str, str], ...] = (
    ("deputy chief of staff", "deputy chief of staff"),
    ("chief of staff", "chief of staff"),
    ("press secretary", "spokesperson"),
    ("spokesman", "spokesperson"),
    ("spokeswoman", "spokesperson"),
    ("spokesperson", "spokesperson"),
    ("secretary of state", "secretary of state"),
    ("secretary general", "secretary general"),
    ("secretary-general", "secretary general"),
    ("deputy prime minister", "deputy prime minister"),
    ("prime minister", "prime minister"),
    ("premier", "prime minister"),
    ("foreign minister", "foreign minister"),
    ("defense minister", "defense minister"),
    ("defence minister", "defense minister"),
    ("finance minister", "finance minister"),
    ("interior minister", "interior minister"),
    ("vice president", "vice president"),
    ("president-elect", "president-elect"),
    ("attorney general", "attorney general"),
    ("chief executive", "ceo"),
    ("chief financial officer", "cfo"),
    ("chief operating officer", "coo"),
    ("chief technology officer", "cto"),
    ("chief justice", "chief justice"),
    ("national security adviser", "national security adviser"),
    ("national security advisor", "national security adviser"),
    ("advisor", "adviser"),
    ("chairwoman", "chair"),
    ("chairman", "chair"),
    ("emissary", "envoy"),
    ("gen.", "general"),
    ("sen.", "senator"),
    ("rep.", "representative"),
    ("congressman", "representative"),
    ("congresswoman", "representative"),
    ("lawyer", "attorney"),
    ("assistant general manager", "assistant general manager"),
    ("general manager", "general manager"),
    ("district attorney", "attorney"),
    ("prosecutor", "attorney"),
)
#: Heads that name no particular office: compatible with any role.
GENERIC_OFFICES = frozenset((
    # generic heads, then ranks: a rank is not an office (an inspector can be the police spokesman)
    "leader", "official", "head", "chief", "aide", "counterpart", "representative", "figure", "member",
    "star", "negotiator", "adviser", "general", "colonel", "lieutenant", "sergeant", "inspector",
    "detective", "captain", "admiral", "superintendent", "commander", "officer",
    # what someone is besides any office: a founder can be the chief executive, an owner the chairman
    "founder", "co-founder", "cofounder", "owner", "co-owner", "creator", "inventor", "investor",
    "shareholder", "billionaire", "entrepreneur", "philanthropist", "tycoon", "veteran", "activist",
))  # fmt: skip
#: Capitalised words that start a sentence or clause and are never part of an organisation name.
_NOT_ORG = frozenset((
    "both", "but", "and", "meanwhile", "however", "while", "when", "after", "before", "though",
    "although", "since", "as", "if", "in", "on", "at", "with", "by", "from", "today", "yesterday",
    "readout", "also", "then", "so", "yet", "under", "during", "following",
))  # fmt: skip
_MOD_WORDS = frozenset((
    "deputy", "special", "senior", "chief", "acting", "top", "business", "press", "foreign", "interior",
    "defense", "defence", "finance", "economic", "trade", "national", "security", "presidential",
    "personal", "assistant", "associate", "executive", "general", "first", "vice", "principal", "lead",
    "head", "second", "third", "fourth", "fifth",
))  # fmt: skip
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


#: Capitalised words that precede a name without being part of it ("Actress Jane Marlow").
_NOT_GIVEN = frozenset(
    {w for t in _TITLE_LIST for w in t.split() if " " not in t}
    | {"legendary", "veteran", "former", "late", "the", "actor", "actress", "singer", "star", "dr", "mr",
       "mrs", "ms", "sir", "dame", "lord", "lady", "rev", "police", "officer", "deputy", "sgt", "lt", "capt",
       "suspect", "victim", "climber", "player", "boxer", "pilot", "driver", "teen", "teenager"}
)  # fmt: skip


def _demonym(token: str) -> bool:
    t = fold(token).rstrip(".")
    return t in DEMONYMS or (t.endswith(("man", "woman")) and t[:-3].rstrip("wo") in DEMONYMS)


@lru_cache(maxsize=65_536)
def given_name(name: str) -> str | None:
    """The first name of a written full name ("Dan Scavino" -> "dan"), None for a bare surname.

    Title and descriptor words before the name are not its first name ("Actress Jane
    Marlow" -> "jane")."""
    toks = [t for t in name.split() if len(t.rstrip(".")) > 1]
    while len(toks) > 1 and (fold(toks[0]).rstrip(".") in _NOT_GIVEN or _demonym(toks[0])):
        toks = toks[1:]  # "Actress Jane Marlow", "Englishman Robert Buckley"
    if len(toks) < 2:
        return None
    return fold(toks[0])


@lru_cache(maxsize=65_536)
def person_key(name: str) -> str | None:
    """``person:<surname>`` for a written name, or None when no surname can be found
    (remembered: a stream names its people again and again)."""
    toks = [t for t in re.split(r"\s+", name.strip()) if t]
    toks = [t for t in toks if fold(t).rstrip(".") not in _SUFFIXES]
    while toks and (len(toks[-1].rstrip(".")) <= 1 or fold(toks[-1]) in _SKIP_NAME_TOKENS):
        toks.pop()
    if not toks:
        return None
    last = fold(toks[-1])
    last = re.sub(r"('s|')$", "", last)
    whole = fold(" ".join(toks))
    if last in DEMONYMS or whole in DEMONYMS or country_code(whole) or whole in CITY_COUNTRY:
        return None  # "36-year-old Australian", "61-year-old Vancouver": not people
    last = re.sub(r"[^a-z-]", "", last)
    last = re.sub(r"(.)\1+", r"\1", last)  # Zelenskyy = Zelensky, Scavinno = Scavino
    return f"person:{last}" if len(last) >= 2 else None


def office_of(title: str) -> tuple[str, bool]:
    """(canonical head office, generic?) of a role description.

    A deputy is another office than the one it deputises for: "Deputy Governor" is
    ``deputy governor``, not ``governor`` ("vice" is the same rank in other
    translations: "Vice Governor" is ``deputy governor`` too), and an assistant's is
    ``assistant …``.  An ordinal before it ranks the deputy ("First Deputy Governor" is
    ``first deputy governor``; outlets often drop it, so ``relate`` reads the office
    without one as compatible).  Offices named whole keep their names ("vice
    president", "deputy prime minister"); a generic head stays generic ("deputy head")."""
    t = fold(title)
    t = re.split(r"\s(?:at|of the|for|to|in|with|on)\s", t, maxsplit=1)[0] if " of staff" not in t else t
    for phrase, office in _OFFICES:
        at = t.find(phrase)
        if at >= 0:
            return _subordinate(t[:at], office), office in GENERIC_OFFICES
    heads = _TITLE_RE.findall(t)
    if not heads:
        return t.split()[-1] if t.split() else t, True
    head = fold(heads[-1])
    for phrase, office in _OFFICES:
        if head == phrase:
            head = office
    if head in GENERIC_OFFICES:
        return head, True
    return _subordinate(t[: t.rfind(fold(heads[-1]))], head), False


#: First words of an office that names its rank already ("vice president").
_RANKED = frozenset({"deputy", "vice", "assistant"})
#: Words that make an office a subordinate one, and the rank they name.
_SUBORDINATE = {"deputy": "deputy", "vice": "deputy", "vice-": "deputy", "assistant": "assistant"}
#: Ordinals that rank one of several deputies ("First Deputy Governor").
ORDINALS = frozenset({"first", "second", "third", "fourth", "fifth"})
#: The ranks a subordinate office starts with ("deputy governor", "assistant coach").
SUBORDINATE_RANKS = frozenset(_SUBORDINATE.values())


def _subordinate(before: str, office: str) -> str:
    """``office`` as a deputy's or an assistant's when the word right before it (in
    ``before``, the title up to the office) says so, unless the office names a rank
    already ("deputy prime minister", "vice president") or is generic."""
    words = before.split()
    if not words or office in GENERIC_OFFICES:
        return office
    if office.split(maxsplit=1)[0] not in _RANKED:
        rank = _SUBORDINATE.get(words[-1])
        if rank is None:
            return office
        office, words = f"{rank} {office}", words[:-1]
    # "First Deputy Governor": the ordinal is part of the office when it is given
    # (``relate`` reads an office without one as compatible with it).
    return f"{words[-1]} {office}" if words and words[-1] in ORDINALS else office


@dataclass(frozen=True, slots=True)
class RoleMention:
    """A role attached to a person, with spans relative to the sentence."""

    person: str
    title: str
    office: str
    generic: bool
    org: str | None
    country: str | None
    start: int
    end: int
    given: str | None = None  # first name when written ("Dan" in "Dan Scavino"), to tell namesakes apart


def _trim_name(name: str) -> str:
    toks = name.split()
    for i, tok in enumerate(toks):
        if tok.endswith(("’s", "'s")):
            toks = [*toks[:i], tok[:-2]]  # "Donald J. Trump's Call" -> "Donald J. Trump"
            break
    while toks and fold(toks[-1]).rstrip(".") in _SKIP_NAME_TOKENS:
        toks.pop()
    return " ".join(toks)


def _modifiers(sentence: str, end: int) -> tuple[list[str], int]:
    """Tokens before a title that belong to it ("White House", "Putin's business", "Russian")."""
    mods: list[str] = []
    pos = end
    for _ in range(6):
        seg = sentence[max(0, pos - 40) : pos].rstrip()
        m = re.search(r"([\w.’'-]{1,30})$", seg)
        if not m:
            break
        tok = m.group(1)
        low = fold(tok)
        if (
            (tok[:1].isupper() or low in _MOD_WORDS or low.endswith("'s") or low in DEMONYMS)
            and low not in _SKIP_NAME_TOKENS
            and low not in _NOT_ORG
        ):
            mods.insert(0, tok)
            pos = max(0, pos - 40) + m.start(1)
            if low.endswith("'s"):
                break
            continue
        break
    return mods, pos


def _country_from_mods(mods: list[str]) -> tuple[str | None, str | None]:
    """(country code, org text) from the words before a title."""
    org_words = [m for m in mods if m[:1].isupper() and fold(m) not in _MOD_WORDS]
    country = None
    for i in range(len(org_words)):
        for j in range(len(org_words), i, -1):
            cand = " ".join(org_words[i:j])
            code = DEMONYMS.get(fold(cand)) or country_code(cand)
            if code:
                country = code
                break
        if country:
            break
    org = " ".join(org_words) or None
    return country, org


_TITLE_SCAN = re.compile(
    r"(?<![a-z-])(?:" + _TITLE_WORDS + ")"
)  # on the lower-cased sentence: no (?i), so the scan is fast
_NAME_AT = re.compile(rf"\s(?P<name>{_NAME_TOKEN}(?:\s{_NAME_TOKEN}){{0,3}})")


def _title_name_matches(
    sentence: str, low: str | None = None
) -> tuple[bool, list[tuple[int, int, str, int, int]]]:
    """(any title word at all?, [(title start, title end, name, name start, name end)])."""
    low = sentence.lower() if low is None else low
    if len(low) != len(sentence):  # a few Unicode letters change length when lower-cased
        found = [
            (m.start("title"), m.end("title"), m.group("name"), m.start("name"), m.end("name"))
            for m in _TITLE_NAME.finditer(sentence)
        ]
        return bool(_TITLE_RE.search(sentence)), found
    out: list[tuple[int, int, str, int, int]] = []
    any_title = False
    for t in _TITLE_SCAN.finditer(low):
        a, b = t.start(), t.end()
        if (a > 0 and (low[a - 1].isalnum() or low[a - 1] == "-")) or (b < len(low) and low[b].isalnum()):
            continue
        any_title = True
        n = _NAME_AT.match(sentence, b)
        if n:
            out.append((a, b, n.group("name"), n.start("name"), n.end("name")))
    return any_title, out


#: Per-article memo (owned by the caller, never module-level): names and titles repeat in a story.
Memo = dict[tuple[str, ...], Any]


def _name_info(raw_name: str, memo: Memo) -> tuple[str, str | None, str | None]:
    """(trimmed name, person key, given name), memoised per article."""
    k = ("name", raw_name)
    if k not in memo:
        name = _trim_name(raw_name)
        memo[k] = (name, person_key(name) if name else None, given_name(name))
    out: tuple[str, str | None, str | None] = memo[k]
    return out


#: Words of offices a nationality makes a state's ("French President", "Russian spokesman",
#: "Iraqi Foreign Minister"): with one of them a nationality names the organisation.
_STATE_WORDS = frozenset((
    "president", "premier", "chancellor", "minister", "secretary", "ambassador", "envoy",
    "spokesperson", "senator", "representative", "governor", "king", "queen", "monarch", "emperor",
    "prince", "princess", "attorney", "judge", "justice", "consul", "diplomat", "chief", "general",
    "admiral", "commander", "officer", "official", "leader", "lawmaker", "legislator", "negotiator",
))  # fmt: skip


def _nationality(words: str) -> bool:
    """Whether ``words`` are only demonyms ("British", "Iranian-French")."""
    parts = [p for p in re.split(r"[-\s]+", fold(words)) if p]
    return bool(parts) and all(p in DEMONYMS for p in parts)


def _title_info(mods: list[str], title: str, memo: Memo) -> tuple[str | None, str | None, str, bool]:
    """(country, org, office, generic) of a pre-name title and its modifiers, memoised per article."""
    k = ("title", title, *mods)
    if k not in memo:
        country, org = _country_from_mods(mods)
        office, generic = office_of(" ".join([*[x for x in mods if fold(x) in _MOD_WORDS], title]))
        if org and not generic and _nationality(org) and not _STATE_WORDS.intersection(office.split()):
            # "British actor", "Iranian-French director": who someone is, not a post held
            # (a jury's president can be a film director); "French President" is a post.
            generic = True
        memo[k] = (country, org, office, generic)
    out: tuple[str | None, str | None, str, bool] = memo[k]
    return out


def role_mentions(sentence: str, memo: Memo | None = None, low: str | None = None) -> Iterator[RoleMention]:
    """Roles stated in one sentence ("White House spokesman Dan Scavino", "X, Putin's envoy ...")."""
    any_title, matches = _title_name_matches(sentence, low)
    if not any_title:
        return
    memo = {} if memo is None else memo
    for t_start, t_end, raw_name, n_start, _n_end in matches:
        name, key, given = _name_info(raw_name, memo)
        if not key:
            continue
        title = sentence[t_start:t_end]
        if _TITLE_RE.fullmatch(name.split()[0]):
            continue  # "Commander Inspector Dave Gaskin": the next title owns the name
        mods, mstart = _modifiers(sentence, t_start)
        if (
            not mods
            and title[:1].islower()
            and title.lower() in ("head", "chief", "star", "general", "leader")
        ):
            # a bare lower-case generic word before a capitalised one is rarely a title ("head Smith")
            continue
        prefix = sentence[max(0, mstart - 12) : mstart]
        if _FORMER.search(prefix) or any(_FORMER.fullmatch(fold(x)) for x in mods):
            continue
        country, org, office, generic = _title_info(mods, title, memo)
        full = " ".join([*mods, title])
        lead_word = raw_name.split(maxsplit=1)[0]
        if lead_word.lower() in _SUBORDINATE and not generic:
            # "Sheriff Deputy Jerry Ortiz": the word after the title is his rank
            office, full = _subordinate(lead_word.lower(), office), f"{full} {lead_word}"
        yield RoleMention(key, full, office, generic, org, country, mstart, n_start + len(name), given)
    if ", " not in sentence:
        return
    for m in _TITLE_APPOS.finditer(sentence):
        name = _trim_name(m.group("name"))
        key = person_key(name)
        before = sentence[max(0, m.start() - 12) : m.start()]
        if not key or _FORMER.search(m.group("mods")) or _FORMER.search(before):
            continue
        office, generic = office_of(f"{m.group('mods')}{m.group('title')}")  # "the deputy governor"
        org = m.group("org")
        country = country_code(org) if org else None
        title = sentence[m.start("org") if org else m.start("mods") : m.end("title")]
        yield RoleMention(
            key,
            title,
            office,
            generic,
            None if country else org,
            country,
            m.start(),
            m.end("name"),
            given_name(name),
        )
    for m in _NAME_APPOS.finditer(sentence):
        desc = m.group("desc").strip()
        low = fold(desc)
        if not _TITLE_RE.search(low) or _FORMER.search(low) or len(desc.split()) > 10 or " and " in low:
            continue  # "X, Brandau and sheriff's deputy Y": a list, not an appositive
        if re.match(r"(?:\d|who\b|which\b|and\b|but\b|as\b|in\b|on\b|at\b|when\b)", low):
            continue
        name = _trim_name(m.group("name"))
        key = person_key(name)
        if not key:
            continue
        # the description must start with its title part, not a clause ("Smith, the city said ...")
        lead = re.sub(r"^(?:the|a|an)\s", "", low)
        first = re.match(r"([\w.'-]+)", lead)
        if not first:
            continue
        w = first.group(1)
        if not (_TITLE_RE.match(lead) or w.endswith("'s") or w in _MOD_WORDS or desc[:1].isupper()):
            continue
        office, generic = office_of(lead)
        words = desc.split()
        country, org = _country_from_mods([x for x in words if x[:1].isupper()])
        org_m = re.search(r"\bat\s(?:the\s)?([A-Z][\w.]*(?:\s[A-Z][\w.]*){0,3})", desc) or re.search(
            r"\bof\s(?:the\s)?([A-Z][\w.]*(?:\s[A-Z][\w.]*){0,3})$", desc
        )
        org_name = org_m.group(1) if org_m else org
        yield RoleMention(
            key, desc, office, generic, org_name, country, m.start(), m.end("desc"), given_name(name)
        )


_HEAD_OF_STATE = frozenset({
    "president", "prime minister", "chancellor", "counterpart", "leader", "foreign minister", "king",
    "queen", "vice president", "president-elect",
})  # fmt: skip


def person_countries(mentions: list[RoleMention]) -> dict[str, str]:
    """person key -> country code, from demonym/country titles in the article ("Russian President
    Vladimir Putin", "Ukraine President Volodymyr Zelenskyy").  A person with two different
    countries in one article gets none."""
    out: dict[str, str] = {}
    bad: set[str] = set()
    for r in mentions:
        if r.country is None or r.office not in _HEAD_OF_STATE:
            continue
        if out.get(r.person, r.country) != r.country:
            bad.add(r.person)
        out[r.person] = r.country
    return {k: v for k, v in sorted(out.items()) if k not in bad}
