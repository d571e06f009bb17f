"""Propositions with polarity and scope: who agreed to / refused what.

Slot: subject = the agent as a party (``country:RU`` when the agent is a country, its capital, a
government metonym such as "the Kremlin", or a person the article titles with a demonym, e.g.
"Russian President Vladimir Putin"; else the person key ``person:putin``).  Predicate =
``accepts:<topic>/<scope>``, e.g. ``accepts:ceasefire/full`` vs ``accepts:ceasefire/energy``.

Value: ``{"polarity": bool, "conditional": bool, "topic": str, "scope": str, "verb": str}``.

Scope comes first from the object phrase itself ("ceasefire on energy infrastructure",
"infrastructure and energy ceasefire" -> energy; "full/complete/total/immediate ceasefire",
"across the entire battlefield" -> full), then from narrowing words anywhere in the sentence
("agreed to a ceasefire and ordered a halt to attacks on energy infrastructure" -> energy), else an
unqualified proposition is full scope.

Not claims: irrealis ("is expected to convince Ukraine to agree", "hopes to", "would", "could",
questions), infinitives not governed by refuse/decline/fail, past positions marked "initially",
"at first", "originally", "previously" (so "initially did not agree … later agreed" is no
self-contradiction), pronoun agents and objects ("they", "it"), headline lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from worker.core.claims.gazetteer import country_code
from worker.core.claims.lexicon import contains_any, trie_regex
from worker.core.claims.quantities import Found
from worker.core.claims.roles import person_key
from worker.core.claims.text import lower_aligned

_VERB_WORDS = [
    "agreed to", "agreed on", "agreed upon", "agrees to", "agrees on", "agrees upon", "agree to",
    "agree on", "agree upon", "accepted", "accepts", "accept", "endorsed", "endorses", "approved",
    "approves", "backed", "backs", "signed on to", "signed off on", "embraced", "refused to accept",
    "refused to agree to", "refused", "refuses", "rejected", "rejects", "reject", "resisted", "resists",
    "declined to accept", "declined", "turned down", "balked at", "opposed", "opposes", "snubbed",
    "spurned",
]  # fmt: skip
# Run on the lower-cased sentence (same length checked by the caller): a prefix tree, no (?i).
_VERBS = re.compile(r"\b(?P<v>" + trie_regex(_VERB_WORDS) + r")\b")
_NEGATIVE = ("refus", "reject", "resist", "declin", "turned down", "balked", "oppos", "snubbed", "spurned")
_WRAPPER = re.compile(
    r"^\s(?:(?:growing|repeated|international|western|u\.s\.|us|american|renewed)\s)?(?:calls|demands|"
    r"pressure|proposals?|requests?|appeals?|efforts?)\s(?:for|to\saccept|to\sagree\sto|to\sjoin|to\sback)\b",
    re.IGNORECASE,
)
_AGENT = re.compile(
    r"(?P<agent>(?:[Tt]he\s)?(?:[A-Z][\w’'.-]{0,25}\s){0,5}[A-Z][\w’'.-]{0,25}"
    r"(?:\s(?:and|&)\s(?:[A-Z][\w’'.-]{0,25}\s){0,4}[A-Z][\w’'.-]{0,25})?)"
    r"\s(?P<mid>(?:(?:has|have|had|also|apparently|reportedly|allegedly|reluctantly|finally|later|then|"
    r"already|now|still|again|not|never|did|does|do|didn['’]t|doesn['’]t|hasn['’]t|haven['’]t|so\sfar|"
    r"quickly|swiftly|formally|officially|publicly|initially|firmly|flatly|effectively)\s){0,4})$"
)
_IRREALIS = re.compile(
    r"\b(?:expected|hop(?:e|es|ed|ing)|would|could|might|may|will|shall|should|must|wants?|wanted|"
    r"seeks?|sought|trying|tries|tried|urged?|urging|pressed|pressing|persuaded?|convince[sd]?|"
    r"convincing|asked|asking|if|whether|unless|likely|unlikely|ready|willing|plans?|planned|"
    r"intends?|aims?|called\son|calls\son)\b",
    re.IGNORECASE,
)
_PAST_POSITION = re.compile(r"\b(?:initially|at\sfirst|originally|previously|earlier|once)\b", re.IGNORECASE)
_HEDGES = re.compile(
    r"\b(?:apparently|reportedly|allegedly|suggesting\sthat|seemingly|purportedly|it\sappears|"
    r"appears\sto|appeared\sto|is\ssaid\sto|was\ssaid\sto)\b",
    re.IGNORECASE,
)
_CONDITIONAL = re.compile(
    r"\b(?:under\sthe\sconditions?|on\s(?:the\s)?condition|with\s(?:certain\s|some\s|several\s)?conditions|"
    r"provided\sthat|subject\sto|in\sexchange\sfor|as\slong\sas|but\swith|conditional|with\scaveats)\b",
    re.IGNORECASE,
)
_TOPICS: tuple[tuple[str, str], ...] = (
    (r"cease-?fires?|truce|armistice|cessation\sof\shostilities|pause|halt|moratorium|stop\sto\s(?:strikes|attacks)",
     "ceasefire"),
    (r"peace\s(?:deal|agreement|plan|proposal|accord|treaty)|deal|agreement|accord|pact|treaty", "deal"),
    (r"talks|negotiations", "talks"),
    (r"sanctions", "sanctions"),
    (r"proposal|plan|offer|terms|demands|conditions|request|invitation|resignation|bid|settlement|"
     r"plea\sdeal|merger|takeover|resolution|verdict", "proposal"),
)  # fmt: skip
_TOPIC_RES = tuple((re.compile(rf"\b(?:{p})\b", re.IGNORECASE), t) for p, t in _TOPICS)
_NARROW: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:energy|infrastructure|power\s(?:plants?|grid|stations?)|electricity)\b", re.I),
     "energy"),
    (re.compile(r"\b(?:maritime|black\ssea|naval|at\ssea|shipping|sea)\b", re.I), "maritime"),
    (re.compile(r"\b(?:air|aerial|airstrikes?|sky)\b", re.I), "air"),
    (re.compile(r"\b(?:partial|limited|local(?:ised|ized)?)\b", re.I), "partial"),
)  # fmt: skip
_FULL = re.compile(
    r"\b(?:full|complete|total|comprehensive|general|unconditional|immediate|entire\s(?:battlefield|front)|"
    r"all\sfronts|across\sthe\s(?:front|frontline|board))\b",
    re.IGNORECASE,
)
_NP_END = re.compile(
    r"\s(?:that|which|who|as|but|while|because|after|before|when|under|with|without|and\s(?:ordered|said|"
    r"has|have|will|would|instructed|called))\b|[,;:.!?()]",
    re.IGNORECASE,
)
_OTHER_INFINITIVE = re.compile(
    r"\s(?:to|on)\s(?!accept\b|agree\b|endorse\b|back\b|sign\b|approve\b|the\b|a\b|an\b|any\b|its\b|"
    r"their\b|his\b|her\b|this\b|that\b|these\b|those\b|[A-Z0-9])[a-z]+\b"
)
_PRONOUNS = frozenset(["it", "they", "them", "this", "that", "these", "those", "he", "she", "we", "i", "you"])
_AGENT_DROP = re.compile(
    r"^(?:(?:the|but|and|while|after|though|although|meanwhile|however|when|since|yet|so|both|also|"
    r"following|today|tuesday|monday|wednesday|thursday|friday|saturday|sunday|us|u\.s\.)\s)+",
    re.IGNORECASE,
)
_TITLE_PREFIX = re.compile(
    r"^(?:(?:[A-Z][a-z]+\s)?(?:President|Prime\sMinister|Chancellor|Premier|King|Queen|Minister|Secretary|"
    r"Leader|Senator|Governor|Mayor|General)\s)",
)


def _parties(agent: str, countries: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    for raw_part in re.split(r"\s(?:and|&)\s", agent):
        part = _AGENT_DROP.sub("", raw_part.strip())
        if not part or part.lower() in _PRONOUNS:
            continue
        code = country_code(part)
        if code:
            out.append(f"country:{code}")
            continue
        # "Russian President Putin": a demonym title names the country side directly.
        m = re.match(r"([A-Z][a-z]+)\s(?:President|Prime\sMinister|Chancellor|Premier|Leader)\s", part)
        bare = _TITLE_PREFIX.sub("", part)
        key = person_key(bare)
        if key is None:
            continue
        demonym_code = country_code(m.group(1)) if m else None
        code = demonym_code or countries.get(key)
        out.append(f"country:{code}" if code else key)
    return sorted(set(out))


def _scope(segment: str, sentence: str) -> str:
    for pat, scope in _NARROW:
        if pat.search(segment):
            return scope
    if _FULL.search(segment):
        return "full"
    for pat, scope in _NARROW:
        if pat.search(sentence):
            return scope
    return "full"


_GATE_WORDS = (
    "agree accept endorse approve backed backs signed embrace refus reject resist declin turned balked "
    "oppose snub spurn"
)
#: Substrings one of which every proposition needs ("fail" covers "failed to win …").
_GATE = (*_GATE_WORDS.split(), "fail")


def _object(rest: str, sentence: str) -> tuple[str, str, int] | None:
    """(topic, scope, length of the object text consumed) of the object after a verb, or None."""
    if _OTHER_INFINITIVE.match(rest):
        return None  # "declined to provide the value of the offer": the offer is not what was declined
    consumed = 0
    w = _WRAPPER.match(rest)
    if w:
        consumed = w.end()
        rest = rest[w.end() :]
    inf = re.match(r"\s(?:to\saccept|to\sagree\sto|to\sendorse)\b", rest)
    if inf:
        consumed += inf.end()
        rest = rest[inf.end() :]
    obj_word = re.match(r"\s*(\w+)", rest)
    if obj_word and obj_word.group(1).lower() in _PRONOUNS:
        return None
    end = _NP_END.search(rest)
    np = rest[: end.start()] if end else rest[:150]
    found = next(((m, name) for pat, name in _TOPIC_RES if (m := pat.search(np))), None)
    if found is None:
        return None
    tm, topic = found
    # the scope phrase: the object up to its topic word plus the phrase attached to it
    after_topic = rest[tm.end() : tm.end() + 80]
    cut = re.search(r"\s(?:and|that|which|who|as|but|under|with|without|while|to)\s|[,;.!?]", after_topic)
    segment = rest[: tm.end()] + (after_topic[: cut.start()] if cut else after_topic)
    consumed += len(segment)
    segment = segment.replace("“", "").replace("”", "").replace('"', "")
    # only ceasefires have a modelled scope; other topics are "full" when said so, else "any"
    scope = (
        _scope(segment, sentence) if topic == "ceasefire" else ("full" if _FULL.search(segment) else "any")
    )
    return topic, scope, consumed


def _hedges(sentence: str) -> tuple[str, ...]:
    return tuple(sorted({re.sub(r"\s+", " ", h.group().lower()) for h in _HEDGES.finditer(sentence)}))


# "Trump spoke to Putin but failed to win agreement for an immediate ceasefire": the counterpart of
# the talks did not agree.  The agent is a possessive ("failed to win Putin's agreement") or the person
# the subject spoke/met with in the same sentence; otherwise there is no claim.
_FAILED = re.compile(
    r"\b(?:failed|fails|failing)\sto\s(?:win|secure|get|obtain|extract)\s(?:(?P<owner>(?:[A-Z][\w.-]{0,25}\s){0,3}"
    r"[A-Z][\w.-]{0,25})['’]s\s)?(?:agreement|approval|consent|backing|support|acceptance)\s(?:for|to|on)\b"
)
_COUNTERPART = re.compile(
    r"\b(?:spoke|speaks|talked|talks|met|meets|negotiated|call|conversation|talks)\s(?:to|with)\s"
    r"(?P<who>(?:(?:[A-Z][\w.-]{0,25}|president|prime\sminister|leader|counterpart)\s){0,5}[A-Z][\w.-]{0,25})"
)


def _failed_to_win(sentence: str, countries: Mapping[str, str]) -> Iterator[Found]:
    for m in _FAILED.finditer(sentence):
        who = m.group("owner")
        start = m.start()
        if who is None:
            cp = None
            for c in _COUNTERPART.finditer(sentence, 0, m.start()):
                cp = c
            if cp is None:
                continue
            who = cp.group("who")
            start = cp.start("who")
        parties = _parties(who, countries)
        obj = _object(" " + sentence[m.end() : m.end() + 240].lstrip(), sentence)
        if not parties or obj is None:
            continue
        topic, scope, consumed = obj
        value = {
            "polarity": False,
            "conditional": False,
            "topic": topic,
            "scope": scope,
            "verb": "failed to win",
        }
        end_pos = min(len(sentence), m.end() + consumed)
        for party in parties:
            yield Found(
                "proposition",
                party,
                f"accepts:{topic}/{scope}",
                dict(value),
                start,
                end_pos,
                _hedges(sentence),
            )


def find_propositions(sentence: str, countries: Mapping[str, str], low: str | None = None) -> Iterator[Found]:
    """Agreements and refusals of a scoped proposition in one sentence (see the module docstring)."""
    low = lower_aligned(sentence, low)
    if not contains_any(low, _GATE):
        return
    if sentence.rstrip().endswith("?"):
        return
    if "fail" in low:
        yield from _failed_to_win(sentence, countries)
    for m in _VERBS.finditer(low):
        verb = re.sub(r"\s+", " ", m.group("v").lower())
        before = sentence[: m.start()]
        am = _AGENT.search(before[-160:])
        if not am:
            continue
        mid = am.group("mid").lower()
        agent_start = m.start() - (len(before[-160:]) - am.start())
        clause = sentence[max(0, agent_start - 60) : m.start()]
        lead = clause[: max(0, len(clause) - (m.start() - agent_start))]
        if _PAST_POSITION.search(mid) or _PAST_POSITION.search(lead[-40:]):
            continue
        if _IRREALIS.search(lead[-50:]) or _IRREALIS.search(mid):
            continue
        if re.search(r"\bto\s$", before[-4:]):
            continue
        polarity = not any(verb.startswith(n) for n in _NEGATIVE)
        if re.search(r"\b(?:not|never)\b|n['’]t", mid):
            polarity = not polarity
        parties = _parties(am.group("agent"), countries)
        if not parties:
            continue
        obj = _object(sentence[m.end() : m.end() + 240], sentence)
        if obj is None:
            continue
        topic, scope, consumed = obj
        conditional = bool(_CONDITIONAL.search(sentence[m.end() :]))
        hedges = _hedges(sentence)
        value = {
            "polarity": polarity,
            "conditional": conditional,
            "topic": topic,
            "scope": scope,
            "verb": verb,
        }
        end_pos = m.end() + consumed
        for party in parties:
            yield Found(
                "proposition", party, f"accepts:{topic}/{scope}", dict(value), agent_start, end_pos, hedges
            )
