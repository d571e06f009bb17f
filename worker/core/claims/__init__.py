"""Claim extraction: typed, slot-keyed claims from one news article, and how two claims relate.

Public API: :func:`extract_claims`, :func:`relate`, :func:`describe`, :data:`RULES`.

Every claim has a *slot* ``subject|predicate``; claims of different articles with the same slot
are compared with :func:`relate`, which returns ``same``, ``refines`` (b is compatible and strictly
more specific), ``generalizes`` (a is), ``compatible`` or ``conflict``.  Conflicts become
contradictions.  Extraction is pure and deterministic, English only (``language`` None or "en").

Kinds, value shapes, slots and conflict rules
---------------------------------------------

``duration`` — value ``{"lo", "hi", "lo_open", "hi_open", "unit": "min", "value", "hedge"}``;
``lo``/``hi`` null = unbounded.  Slot ``<thing measured>|duration``: "spoke for 90 minutes",
"phone call lasted", "90-minute discussion", "conversation", "talks" -> ``call``; "30-day
ceasefire/pause/halt" -> ``ceasefire``; "meeting/summit" -> ``meeting``; other event nouns keep
their name ("sentence", "stay"); a duration with no identifiable subject is no claim.
Hedges: about/around/approximately widen by ``APPROX_TOLERANCE`` (10%, in ``quantities``);
"more than two hours" = (120, ∞); "over an hour" = (60, ∞); "at least 90 minutes" = [90, ∞);
"nearly" = [0.9v, v); "up to" = [0, v].  Rule: conflict iff the intervals are disjoint —
"more than two hours" vs "90 minutes" conflicts; "at least 90 minutes" vs either is no conflict
(both refine it).  Stops: relative spans ("two weeks ago", "in 30 days", "the past year") are not
durations; a "for"-duration belongs to the verb right before it ("talked to his team, went on
vacation for a week" is not a call duration).

``quantity`` — same interval shape with ``unit`` "people" (slot ``event|killed``,
``event|injured``, ``event|arrested``, ``event|missing``…; a subgroup gets its own predicate:
"two women died" -> ``event|killed:women``, never the toll; "killed or missing" ->
``event|killed_or_missing``, a count of both fates), "years" (``person:<surname>|age``;
"dies at 88", "Smith, 62,", "31-year-old Robert Buckley"; a sentence dated in a past year is
skipped; the value keeps ``given`` — the first name — so "Kimani Gray, 16" and "Mahnefah Gray, 19"
are namesakes, not a conflict), "magnitude" (``earthquake|magnitude``), a currency code
(``<fine|bail|ransom|settlement…>|amount``; contracts/deals/offers are left out, stories carry
several), "percent" (``<turnout|inflation…>|percent``); scores ``{"score": [hi, lo], "unit":
"score"}`` (``match|score``).  Vague words: "dozens" = [24, 99], "several" = [3, 9], "hundreds" =
[200, 999].  Rule: disjoint intervals of the same unit conflict ("five dead" vs "at least 23
dead"; a percentage or magnitude widened by half its last written digit, ``step``); scores
conflict when they differ.  Stops: counts need the verb next to the number ("23 severely
wounded soldiers" is an adjective, no claim); a toll that grows over a day of reporting
does conflict — telling updates from disagreements is the reconciler's job (publication times).

``time`` — ``{"local": "HH:MM", "zone", "zone_source", "date", "approx", "tol", "utc_lo",
"utc_hi"}`` (see :mod:`.times`); ``date`` is the day the sentence names (written, or a
resolved relative day), never the publication day.  Slot ``<event>|start_time``
(began/started/commenced/broke out/erupted), ``|end_time`` (ended/concluded/finished/wrapped up),
``|scheduled_start_time`` when the verb is governed by scheduled/expected/due/planned/supposed
("scheduled to begin at 3:00 PM" is never the actual start), ``|reported_time`` (was reported),
``|time`` for struck/occurred/happened.  Zones: explicit; else the readers' zone revealed by a
conversion "10:00 AM ET (4:00 PM Romanian time)"; else the article's single explicit zone; else
the one clock of the place it reports from (a wire dateline "RYBNIK, Poland -", or the places
its lead names; never a country with several clocks); else unknown.  Rule: conflict iff both
zones are known and the UTC windows (``HEDGED_TIME_TOLERANCE_MIN`` = 15 min if hedged, 1 min
if exact) are disjoint: "approximately 12:52 p.m." (ET) vs "around 6:00 PM" (Romanian time)
conflicts; "10 a.m. ET" vs "10:00 AM ET" is the same.  Stops: unknown zones never conflict;
without both local dates the nearest reading a day either way decides ("8:15 a.m. in Kabul"
and "11:45 p.m. ET" the evening before are one moment).

``date`` — ``{"year": int | None, "lo": "MM-DD", "hi": "MM-DD"}`` plus ``"relative"`` (the
expression, for relative dates) and ``"year_hi"`` (only when a range crosses New Year); slot
``<event>|date`` (call, meeting, attack, election…).  "mid-February" = 02-10..02-20, so vs
"February 12" it refines; "March" vs "March 18" refines.  Relative dates ("Tuesday", "on Monday",
"last week", "yesterday", "earlier this month", "two days ago") are resolved against
``published_at`` to a day or a day range (see :mod:`.frames`); without ``published_at`` they stay
relative: ``lo``/``hi`` null, only "same" as the identical expression, never compared as dates.
Rule: disjoint day ranges conflict; a missing year compares month/day only.  Stops: a date after
"before/after/since/until" bounds another happening; a date right after a reporting verb ("police
said Saturday") dates the report; an event noun after "ahead of/before/after/following" is another
occasion, and so is one after a finite verb ("two men on Tuesday were discussing the shooting": the
day is the discussion's); "Super Tuesday" is a name; bare years are not dated.

Occasions (see :mod:`.occasion`): every quantity, duration, time, date or place claim
records which happening it is about in ``Claim.occasion`` — ``main`` only with evidence (the
headline or lead, or a definite reference to the main happening in its clause), else an
earlier or background happening, another incident, a part, a hypothetical or generic figure,
or ``uncertain``.  The occasion is part of the slot (``event@1998|killed``,
``call@2025-02|date``), and an ``uncertain`` claim is never compared.  Earlier-frame markers
and their keys come from :mod:`.frames`.  Propositions and roles are always ``main``: a refusal
last week and an agreement today answer the same question.  Ages are anchored to the
article's reference time (``asof``) or to a death (``at_death``) and compared only at the same
time.  Person figures (``fall_distance``, ``times_shot``, ``sentence``) are keyed by the person.
Damage and haul amounts (``damage|amount``, ``haul|amount``) and responders
(``response|firefighters``) are quantities of the happening.

``place`` — ``{"name", "key", "ancestors", "members"}`` (see :mod:`.places`); slot
``talks|location``, ``meeting|location``, ``earthquake|location``.  Rule: conflict iff neither
contains the other and they share no member: "Middle East" vs "Saudi Arabia" refines; "Riyadh" vs
"Geneva" conflicts.  Stops: only clear patterns ("negotiations will begin in X", "talks in X").

``role`` — ``{"title", "office", "generic", "org", "country", "given"}``; slot
``person:<surname>|role``
(see :mod:`.roles` for the person key and its collision risk).  Synonyms are one office:
spokesman = spokeswoman = spokesperson = press secretary (news uses them for one job).  Rule:
conflict only when both head offices are known, specific and distinct ("spokesman" vs "Deputy
Chief of Staff"); the same head with different modifiers is one office ("business envoy" vs
"envoy for international cooperation": compatible); generic heads (leader, official, head, chief,
aide, counterpart…), ranks (general, inspector, sergeant, commander…) and what someone is
besides an office (founder, owner, investor, billionaire…) are compatible with anything;
different first names on one surname key are namesakes (compatible); a spokesperson and the
office of the body they speak for are compatible ("a spokeswoman for the prosecutor's office" and
"Prosecutor Ewa Sadowska").  Forms: "spokesman Dan Scavino", "Dan Scavino, Deputy Chief of
Staff", "Norbeck's chief financial officer, Thomas Reinholt,".  Stops: "former …" roles
are skipped; appositive lists ("X, Y and sheriff's deputy Z") are not roles; a person who holds
two offices at once ("president and general manager") will show as a conflict.

``proposition`` — ``{"polarity", "conditional", "topic", "scope", "verb"}``; slot
``<party>|accepts:<topic>/<scope>`` (see :mod:`.propositions`).  Rule: opposite polarity on the
same agent and scoped proposition conflicts — "Putin refused to accept an immediate ceasefire" vs
"Putin has agreed to a ceasefire in Ukraine under the conditions …": a conditional agreement still
conflicts with a refusal of the same scoped proposition, because the refusal says no agreement
was given at all.  Energy-scoped agreements never meet full-scope refusals (different slots).
"A spoke to B but failed to win agreement for X" is B's refusal of X (agent: a possessive
"failed to win B's agreement" or the person spoken/met with in the sentence; else no claim).
Stops: irrealis, infinitives, "initially …" past positions, pronouns, headlines, "declined to
provide the offer's value" (the infinitive is not the proposition).

Attribution (:class:`~worker.core.model.Attribution`): the outlet by default; a named speaker for
quoted statements and sentences with a reporting cue; ``social`` with handle and ISO date for
lines of an embedded post signed ``— Name (@handle) March 18, 2025`` (the post is the lines above
the signature, back to a blank line or ``MAX_POST_CHARS``).  Attribution is per sentence: a role
stated in a sentence Scavino is quoted in is attributed to Scavino.  Hedges ("apparently",
"reportedly", "about") go into ``Claim.hedges``.  Chrome lines (``worker.core.chrome``) are never
a claim source.

Cost: linear in the text; patterns are bounded prefix trees gated by cheap substring checks;
sentences longer than ``MAX_SENTENCE_CHARS`` are truncated for the heavy patterns, shorter than
``MIN_SENTENCE_CHARS`` skipped; lines without two consecutive letters are skipped.
"""

from __future__ import annotations

import dataclasses
import re

from worker.core.claims.frames import (
    ANCHORED_KINDS,
    PAST_EVENT_DAYS,
    Frame,
    find_relative_dates,
    frame_of,
    frames,
    publication_days,
    relative_dates,
)
from worker.core.claims.numbers import NUMBER_WORDS_RE
from worker.core.claims.occasion import age_fields, main_occasion, occasion_of
from worker.core.claims.places import find_places, name_candidates
from worker.core.claims.places import resolve as resolve_place
from worker.core.claims.propositions import find_propositions
from worker.core.claims.quantities import APPROX_TOLERANCE, MAIN_PERSON, Found, find_quantities
from worker.core.claims.relate import RULES, describe, relate
from worker.core.claims.roles import Memo, RoleMention, person_countries, person_key, role_mentions
from worker.core.claims.text import MAX_SENTENCE_CHARS, OUTLET, lower_aligned, sentences
from worker.core.claims.times import (
    HEDGED_TIME_TOLERANCE_MIN,
    article_zone,
    clock_zone,
    date_mentions,
    find_dates,
    find_times,
    published_date,
)
from worker.core.model import MAIN, Article, Attribution, Claim, Occasion
from worker.core.reftime import ReferenceTime, reference_time

__all__ = [
    "APPROX_TOLERANCE",
    "HEDGED_TIME_TOLERANCE_MIN",
    "MAX_SENTENCE_CHARS",
    "PAST_EVENT_DAYS",
    "RULES",
    "analyse",
    "article_reference",
    "describe",
    "earlier_anchor",
    "extract_claims",
    "relate",
]


def earlier_anchor(sentence: str, published_at: str | None = None) -> str | None:
    """The earlier time frame a sentence's figures belong to, as a slot key, or None.

    The first frame of :func:`~worker.core.claims.frames.frames` (a frame may cover only a clause).
    """
    low = lower_aligned(sentence)
    days = publication_days(published_at, None)
    rels = relative_dates(sentence, low, days)
    found = frames(sentence, low, days, rels, date_mentions(sentence))
    return found[0].key if found else None


def article_reference(article: Article) -> ReferenceTime | None:
    """The article's reference time (:mod:`worker.core.reftime`), its zone taken from the text."""
    return reference_time(article.text, article.published_at, article.title, article_zone(article.text)[0])


def extract_claims(article: Article) -> list[Claim]:
    """Typed claims of one article, in text order ([] unless the language is None or "en")."""
    return analyse(article, claims=True)[0]


def analyse(article: Article, claims: bool = True) -> tuple[list[Claim], ReferenceTime | None]:
    """The article's claims (unless ``claims`` is false: a language without them) and its
    reference time, in one pass (the time zone the text reveals serves both)."""
    text = article.text
    zone = article_zone(text)
    ref = reference_time(text, article.published_at, article.title, zone[0])
    if not claims or (
        article.language not in (None, "en") and not str(article.language).lower().startswith("en")
    ):
        return [], ref
    return _extract(article, zone, ref), ref


def _extract(article: Article, zone: tuple[str | None, str | None], ref: ReferenceTime | None) -> list[Claim]:
    text = article.text
    days = ref.days if ref is not None else None
    pub = days[1] if days else published_date(article.published_at)
    clocks = clock_zone(text, zone)
    sents = sentences(text)
    main = main_occasion(article.title, sents, ref, text)
    # pass 1: everything but propositions; roles also tell which country a person speaks for
    per_sentence: list[list[Found]] = []
    lows: list[str] = []
    sentence_frames: list[list[Frame]] = []
    mentions: list[RoleMention] = []
    memo: Memo = {}
    for sent in sents:
        s = sent.text
        low = lower_aligned(s)
        found: list[Found] = find_quantities(s, low)
        rels = relative_dates(s, low, days)
        dates = date_mentions(s)
        # the day a sentence names, for its clock times: one written date, else one resolved day
        day = None
        one_day = [r.days[0] for r in rels if r.days and r.days[0] == r.days[1] and not r.bound]
        if len(one_day) == 1 and not dates:
            day = one_day[0]
        found.extend(find_times(s, clocks, pub, day))
        found.extend(find_dates(s, low, dates))
        found.extend(find_relative_dates(s, low, rels))
        found.extend(find_places(s, low))
        for r in role_mentions(s, memo, low):
            mentions.append(r)
            value = {
                "title": r.title,
                "office": r.office,
                "generic": r.generic,
                "org": r.org,
                "country": r.country,
                "given": r.given,
            }
            found.append(Found("role", r.person, "role", value, r.start, r.end))
        per_sentence.append(_own_dates(found, s))
        lows.append(low)
        sentence_frames.append(frames(s, low, days, rels, dates) if (rels or dates or found) else [])
    countries = person_countries(mentions)
    claims: list[Claim] = []
    seen: set[tuple[str, str, str, int, int]] = set()
    first_date: dict[str, tuple[str, str]] = {}  # subject -> its first absolute (month-day) range
    for i, (sent, found) in enumerate(zip(sents, per_sentence, strict=True)):
        s = sent.text
        if not sent.heading:
            found.extend(find_propositions(s, countries, lows[i]))
        if not found:
            continue
        attribution = sent.speaker()
        sframes = sentence_frames[i]
        for found_claim in found:
            f = found_claim
            occasion = MAIN
            if f.kind in ANCHORED_KINDS:
                # a figure about an earlier happening mentioned in passing ("In February, a gunman
                # killed five people ...") has its frame; the occasion weighs it with the other cues
                anchor = frame_of(sframes, f.start, f.end) if sframes else None
                if anchor is None and days is None and f.kind == "date" and f.value.get("lo"):
                    anchor = _before_first_date(first_date, f)
                if f.subject == MAIN_PERSON:
                    if main.person is None:
                        continue  # "she was 102" with no one person up front: whose age?
                    f = dataclasses.replace(f, subject=main.person, value={**f.value, "given": main.given})
                if f.subject.startswith("person:") and "given" in f.value and not f.value["given"]:
                    given = main.given_of(f.subject)
                    if given:  # "Gray's autopsy showed …" in an article naming only Kimani Gray
                        f = dataclasses.replace(f, value={**f.value, "given": given})
                occasion = occasion_of(f, sent, lows[i], main, anchor)
                if f.predicate == "age":
                    f = dataclasses.replace(f, value={**f.value, **age_fields(occasion, main)})
            start = sent.start + max(0, f.start)
            end = sent.start + min(len(s), f.end)
            if f.kind == "quantity" and f.value.get("unit") == "people":
                found_place = _where_after(s, f.end)
                if found_place:
                    where, name, place_end = found_place
                    if occasion.comparable and _PER_PLACE.match(s, place_end):
                        # "killed 20 people in Haiti and 5 in Cuba": the sentence splits the
                        # count by place, so each is a part, keyed by its place
                        occasion = Occasion("part", name.lower(), cue=f"in {name}")
                    f = dataclasses.replace(f, value={**f.value, "where": where})
            if f.kind == "quantity" and "score" in f.value:
                sides = _sides_of(s)
                if sides:
                    f = dataclasses.replace(f, value={**f.value, "sides": sides})
            key = (f.kind, f.subject, f.predicate, start, end)
            if key in seen:
                continue
            seen.add(key)
            claims.append(
                Claim(
                    kind=f.kind,
                    subject=f.subject,
                    predicate=f.predicate,
                    value=f.value,
                    raw=text[start:end],
                    sentence=s,
                    span=(start, end),
                    attribution=_own_words(attribution, f),
                    hedges=f.hedges,
                    occasion=occasion,
                )
            )
    top = sents[PERPETRATOR_SENTENCES - 1].end if len(sents) >= PERPETRATOR_SENTENCES else len(text)
    head_end = 0
    for sent in sents:
        if not sent.heading:
            break
        head_end = sent.end
    claims = _article_wide(claims, text[:top], head_end)
    claims.sort(key=lambda c: (c.span[0], c.span[1], c.kind, c.subject, c.predicate))
    return claims


_PERPETRATOR = (
    r"(?:gunman|gunmen|shooter|attacker|assailant|bomber|killer|perpetrator|hijacker|suspect|"
    r"driver)"
)
#: The article reports the perpetrator dead ("before turning the gun on himself", "the
#: gunman was also killed", "police shot the attacker dead", "including the bomber").
_PERPETRATOR_DEAD = re.compile(
    rf"\b(?:{_PERPETRATOR}\s(?:[\w’'-]+\s){{0,4}}?(?:was|were|is)\s(?:also\s|later\s)?"
    rf"(?:killed|shot\sdead|found\sdead|dead|among\sthe\sdead)|"
    rf"{_PERPETRATOR}\s(?:[\w’'-]+\s){{0,3}}?(?:died|killed\s(?:himself|herself)|shot\s(?:himself|herself)|"
    rf"took\s(?:his|her)\sown\slife|blew\s(?:himself|herself)\sup)|"
    rf"turn(?:ed|ing)\sthe\s(?:gun|weapon|rifle)\son\s(?:himself|herself)|"
    rf"(?:killed|killing|shot|shooting)\s(?:himself|herself)|"
    rf"(?:shot|killed)\s(?:and\skilled\s)?the\s{_PERPETRATOR}|"
    rf"(?:including|among\sthem)\sthe\s{_PERPETRATOR})\b",
    re.IGNORECASE,
)


#: How far into the article (sentences, the title first) the perpetrator's death is
#: looked for: its own happening's, not one recalled further down.
PERPETRATOR_SENTENCES = 6


def _article_wide(claims: list[Claim], top: str, head_end: int = 0) -> list[Claim]:
    """What the article as a whole says about its own figures.

    * An exact figure the article also states with a hedge at the same number ("Floods
      kill 12" above "killed at least 12 people") is that hedged figure: a headline or a
      later mention drops the hedge, it does not retract it.
    * A headline count (in the heading lines, before ``head_end``) the body gives at the
      same number as a part ("Plane crash kills 49" above "killing 49 people on board and
      one person on the ground") is that part: a headline drops the qualifier too.
    * When the article's top (``top``: its first :data:`PERPETRATOR_SENTENCES`
      sentences) reports the perpetrator dead, its death tolls may count him or not:
      the value carries ``perpetrator``, and ``relate`` reads a difference of one as no
      disagreement.
    """
    hedged: dict[tuple[str, float], Claim] = {}
    for c in claims:
        if c.kind == "quantity" and c.hedges and c.value.get("value") is not None:
            hedged.setdefault((c.slot, float(c.value["value"])), c)
    parts: dict[tuple[str, float], Claim] = {}  # (base slot, number) -> a body count of a part
    for c in claims:
        if c.kind == "quantity" and c.occasion.kind == "part" and c.span[0] >= head_end and _exact(c):
            parts.setdefault((c.base_slot, float(c.value["lo"])), c)
    perpetrator: bool | None = None
    out: list[Claim] = []
    for claim in claims:
        c = claim
        if (
            parts
            and c.span[1] <= head_end
            and c.kind == "quantity"
            and c.occasion.kind == "main"
            and _exact(c)
        ):
            part = parts.get((c.base_slot, float(c.value["lo"])))
            if part is not None:
                c = dataclasses.replace(c, occasion=part.occasion)
        if c.kind == "quantity" and not c.hedges and c.value.get("lo") is not None:
            exact = c.value["lo"] == c.value.get("hi")
            bound = hedged.get((c.slot, float(c.value["lo"]))) if exact else None
            if bound is not None:
                c = dataclasses.replace(c, value={**c.value, **_bound_fields(bound)}, hedges=bound.hedges)
        if c.kind == "quantity" and c.subject == "event" and c.predicate.split("_or_")[0] == "killed":
            if perpetrator is None:
                perpetrator = _perpetrator_dead(top)
            if perpetrator:
                c = dataclasses.replace(c, value={**c.value, "perpetrator": True})
        out.append(c)
    return _two_values(out)


def _own_words(attribution: Attribution, f: Found) -> Attribution:
    """A speaker's title in the attribution ("Chief executive Larry Ellison said …") is the
    outlet's description of the speaker, not what the speaker said."""
    own = f.kind == "role" and attribution.kind == "speaker" and attribution.name
    return OUTLET if own and person_key(str(attribution.name)) == f.subject else attribution


#: A place right after a count: "killed 35 people in India (and 20 in Nepal)".
_WHERE_AFTER = re.compile(r"\s(?:in|across)\s(?P<place>[A-Z][\w'’.-]+(?:[^\S\n][A-Z][\w'’.-]+){0,2})")


#: After a count's place, another count of another place: "… in Haiti and 5 in Cuba".
_PER_PLACE = re.compile(
    r"(?:,|\sand|,\sand|;)\s(?:another\s|at\sleast\s)?(?:\d[\d,]*|" + NUMBER_WORDS_RE + r")\s"
    r"(?:[a-z]+\s)?(?:in|across)\s[A-Z]"
)


def _where_after(sentence: str, end: int) -> tuple[dict[str, object], str, int] | None:
    """The gazetteer place a count is of, when one follows it: (``where`` for the value,
    the name as written, where it ends in the sentence).  ``relate`` does not compare the
    counts of two places neither of which holds the other."""
    m = _WHERE_AFTER.match(sentence, end)
    if m is None:
        return None
    for name in name_candidates(m.group("place")):
        place = resolve_place(name)
        if place:
            where = {k: place[k] for k in ("key", "ancestors", "members")}
            return where, name, m.start("place") + len(name)
    return None


#: The names a result is told against: the run of capitals right after "beat", "against",
#: "over", "to", "at" ... ("beat Ellesford Town 2-0", "lost 3-1 at Brantford Athletic") or
#: right before "beat", "won", "lost" ... ("City beat United").
_SIDE_AFTER = re.compile(
    r"\b(?:beat|beating|defeated|defeating|edged|edging|thrashed|routed|downed|stunned|against|over|"
    r"to|at|versus|vs\.?|past)\s+(?:the\s+)?(?P<name>[A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s[A-ZÀ-ÖØ-Þ][\w'’-]+){0,2})"
)
_SIDE_BEFORE = re.compile(
    r"(?P<name>[A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s[A-ZÀ-ÖØ-Þ][\w'’-]+){0,2})\s+(?:beat|defeated|edged|thrashed|routed|downed|"
    r"stunned|won|lost|drew|fell|retained|claimed)\b"
)
_NOT_SIDE_WORDS = (
    "the a an he she they it his her their its monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december"
)
_NOT_SIDES = frozenset(_NOT_SIDE_WORDS.split())


def _sides_of(sentence: str) -> list[str]:
    """Who a result in ``sentence`` is told against (folded names, sorted): two scores
    told against different sides are two games (``relate``)."""
    out: set[str] = set()
    for rx in (_SIDE_AFTER, _SIDE_BEFORE):
        for m in rx.finditer(sentence):
            words = [w for w in m.group("name").split() if w.lower() not in _NOT_SIDES]
            if words:
                out.add(" ".join(words).lower().removesuffix("'s").removesuffix("’s"))
    return sorted(out)


def _exact(c: Claim) -> bool:
    return c.value.get("lo") is not None and c.value.get("lo") == c.value.get("hi")


#: The occasion of figures the article itself gives two conflicting values for.
TWO_VALUES = Occasion("uncertain", cue="the article gives two values")
#: Kinds read by :func:`_two_values`: figures of one happening (roles may be co-held and
#: propositions scoped, and reconcile has rules for both).
_ONE_VALUE_KINDS = frozenset(("quantity", "duration", "time", "date", "place"))


def _two_values(claims: list[Claim]) -> list[Claim]:
    """Figures one article states two conflicting ways, in its own voice, are about two
    things the slot does not tell apart: a mother and a daughter of one name, a match's
    score at two moments, the quake's day and the day its toll rose.  A writer does not
    contradict himself within one article, so which value belongs to the slot is
    uncertain: both are recorded and never compared (:data:`TWO_VALUES`).  Two named
    voices ("12, spokesman John Reed said", "15, according to Dr Anna Cole") are left
    alone: that is a disagreement the article reports.  (An unnamed "police said" is the
    outlet's voice, so "police said 12, hospital officials said 15" abstains.)
    """
    groups: dict[tuple[str, str, str | None], list[int]] = {}
    for i, c in enumerate(claims):
        if c.kind in _ONE_VALUE_KINDS and c.occasion.comparable:
            groups.setdefault((c.slot, c.attribution.kind, c.attribution.name), []).append(i)
    torn: set[int] = set()
    for members in groups.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if relate(claims[i], claims[j]) == "conflict":
                    torn.update((i, j))
    if not torn:
        return claims
    return [dataclasses.replace(c, occasion=TWO_VALUES) if i in torn else c for i, c in enumerate(claims)]


#: What every reading of :data:`_PERPETRATOR_DEAD` holds: the full pattern runs only in a
#: window around one of these (the pattern tried at every position cost 130 us an article).
_PERPETRATOR_STEMS = (
    "gunm", "shooter", "attacker", "assailant", "bomber", "killer", "perpetrator", "hijacker", "suspect",
    "driver", "himself", "herself",
)  # fmt: skip


def _perpetrator_dead(top: str) -> bool:
    low = top.lower()
    for stem in _PERPETRATOR_STEMS:
        at = low.find(stem)
        while at >= 0:
            if _PERPETRATOR_DEAD.search(top, max(0, at - 60), at + 120):
                return True
            at = low.find(stem, at + 1)
    return False


def _bound_fields(c: Claim) -> dict[str, object]:
    return {k: c.value.get(k) for k in ("lo", "hi", "lo_open", "hi_open", "hedge")}


def _own_dates(found: list[Found], sentence: str) -> list[Found]:
    """A happening dated by a possessive ("Saturday's shooting") has that date: other dates
    of the sentence found near it ("On Wednesday, officers in Saturday's shooting were
    arrested") are another happening's."""
    owned = {
        f.subject for f in found if f.kind == "date" and sentence[max(0, f.end - 2) : f.end] in ("'s", "’s")
    }
    if not owned:
        return found
    return [
        f
        for f in found
        if not (
            f.kind == "date"
            and f.subject in owned
            and sentence[max(0, f.end - 2) : f.end] not in ("'s", "’s")
        )
    ]


def _before_first_date(first: dict[str, tuple[str, str]], f: Found) -> str | None:
    """Without a publication date: a date wholly before the first one the article gave for the same
    event is an earlier happening ("they spoke on March 18 … they last spoke on February 12")."""
    lo, hi = str(f.value["lo"]), str(f.value["hi"])
    prev = first.setdefault(f.subject, (lo, hi))
    if prev == (lo, hi) or f.value.get("year") is not None or hi >= prev[0]:
        return None
    return f"--{lo[:2]}"
