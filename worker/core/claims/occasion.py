"""Occasions: which happening a figure is about, and the evidence for it.

A news article mentions many happenings besides its own: a past disaster's toll, the
score of another game, one district's count inside a city's total, what "a storm like
this can" do.  Only figures about the same happening are comparable, so every claim of
an *anchored* kind (quantity, duration, time, date, place) gets an
:class:`~worker.core.model.Occasion` from the evidence around it.  Roles and
propositions are not tied to one happening and are always ``main``.

**The presumption runs towards silence.**  A figure is the main occasion's only when
there is evidence that it is:

1. it stands in the **headline or the lead** (the title, heading lines before the
   body, and the first :data:`LEAD_SENTENCES` body sentences: news is written as an
   inverted pyramid, and the lead carries the main happening's figures), or
2. deeper in the article, its clause refers **definitely** to the main happening:
   "the fire", "Tuesday's blast", "this call", where the trigger word's class is one the
   headline and lead name (:data:`TRIGGERS`), outside the figure's own words.

and, in either place, nothing in its clause says otherwise.  What says otherwise, in
this order (the first that applies wins):

* **modality** — can, could, would, may, might, if, unless, expected to, forecast,
  predicted, projected, likely to, threatens to: ``hypothetical``;
* **plans** — will, scheduled to, set to, plans to, is due to appear, upcoming, next
  month, before the figure in its clause: ``planned``, compared only with other plans
  (a plan and what happened are two facts, both true when plans change);
* **generic** statements — typically, usually, on average, each/every year, annually,
  "a storm of this category": ``generic``;
* **time anchors** other than the article's reference time — an earlier-frame marker or
  date from :mod:`.frames` (keyed by its month or year), or an explicit year other than
  the reference year (``earlier``); "since", "so far this year", "in the past", "the
  worst since", "in history", "on record", "ever", "previous", "the last major", and a
  figure first given and since superseded ("had initially said 11 were wounded",
  "earlier reported seven deaths") (``background``), but not a ranking against the past
  after the figure ("killed 30, the deadliest since 2004"); a relative clause takes the time
  of what it names ("the 2019 shooting that killed three", "a rampage two years ago
  that left two dead", "three years after a fire that killed five");
* **ordinals and series** — "the first blast", "a second attack", "another fire", "an
  aftershock", "a separate/similar incident": ``other_incident`` keyed by the ordinal,
  unless the headline gives the main happening that number ("Game 7");
  deeper in the article, an indefinite trigger ("a fire killed three …") introduces
  another happening too;
* **parts** — "of them", "of whom", "among them", "among the", "including", "one of"
  before the figure; a narrower place in a deep clause ("in the northern suburb", "at
  one hospital"): ``part`` keyed by the place phrase when there is one;
* **totals** — a count over a wider extent than one happening ("throughout the
  country", "nationwide", "in five cities"): ``total``, never compared, unless the
  headline and lead themselves span that widely (:attr:`MainOccasion.wide`).

Everything else deeper in the article is ``uncertain``: recorded, shown, never
compared (the product may stay silent; it may not cry wolf).

**Ages** are facts about a person at a time.  An age at death ("died at 64", "Smith,
64, died", "dies aged 88") is fixed and comparable whatever the dates; any other age is
the person's age at the article's reference time (:mod:`worker.core.reftime`), so it is
compared only with ages of about the same time (``asof`` in the value, see
:func:`worker.core.claims.relate.relate`), and without a reference time it is
``uncertain``.  An age given for another occasion ("when he was arrested", "at the
time", "at the time of the killing") is that occasion's: ``earlier``, never compared.

Cost: only sentences with claims are looked at, and only the clause around each claim;
the cue patterns are prefix trees over the lower-cased clause.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from worker.core.claims.frames import clause_span
from worker.core.claims.gazetteer import CITY_COUNTRY, COUNTRY_BY_NAME, fold
from worker.core.claims.lexicon import contains_any, trie_regex
from worker.core.claims.quantities import RELATIVE_CLAUSE, Found
from worker.core.claims.text import Sentence
from worker.core.model import MAIN, Occasion
from worker.core.reftime import MAX_DATELINE_CHARS, ReferenceTime, dateline

#: Body sentences after the headline that count as the lead.
LEAD_SENTENCES = 2
#: Kinds whose figures belong to one happening.
ANCHORED = frozenset({"quantity", "duration", "time", "date", "place"})

#: Event trigger words by class.  A class the headline or lead names is the main
#: happening's; a deep clause that refers to it definitely is evidence for ``main``.
TRIGGERS: dict[str, tuple[str, ...]] = {
    "fire": ("fire", "fires", "blaze", "blazes", "flames", "inferno", "arson", "wildfire", "bushfire"),
    "explosion": ("explosion", "explosions", "blast", "blasts", "bomb", "bombs", "bombing", "bombings",
                  "detonation", "molotov"),
    "shooting": ("shooting", "shootings", "gunfire", "shootout", "gunman", "gunmen", "rampage", "massacre"),
    "attack": ("attack", "attacks", "assault", "stabbing", "stabbings", "ambush", "raid", "raids", "strike",
               "strikes", "airstrike", "airstrikes", "offensive", "killing", "killings", "murder",
               "murders", "slaying", "homicide"),
    "quake": ("earthquake", "earthquakes", "quake", "quakes", "tremor", "temblor", "tsunami"),
    "storm": ("storm", "storms", "hurricane", "typhoon", "cyclone", "tornado", "tornadoes", "blizzard",
              "monsoon"),
    "flood": ("flood", "floods", "flooding", "deluge", "landslide", "landslides", "mudslide", "avalanche"),
    "crash": ("crash", "crashes", "collision", "accident", "derailment", "wreck", "pileup", "sinking",
              "hit-and-run", "fall", "plunge"),
    "unrest": ("riot", "riots", "rioting", "protest", "protests", "clashes", "unrest", "demonstration",
               "demonstrations", "violence", "uprising"),
    "court": ("trial", "hearing", "verdict", "sentencing", "sentence", "conviction", "case", "indictment",
              "arraignment", "appeal", "lawsuit"),
    "arrest": ("arrest", "arrests", "manhunt", "escape", "search", "standoff", "siege", "kidnapping",
               "abduction", "hostage"),
    "vote": ("election", "elections", "vote", "voting", "ballot", "poll", "polls", "referendum",
             "runoff", "primary", "race", "campaign"),
    "match": ("game", "games", "match", "matches", "bout", "fight", "final", "tournament", "race",
              "contest", "season", "series"),
    "talks": ("call", "talks", "meeting", "summit", "conversation", "negotiations", "visit", "conference",
              "discussion", "discussions", "session"),
    "business": ("deal", "contract", "offer", "merger", "acquisition", "takeover", "bid", "sale", "ipo",
                 "layoffs", "bankruptcy", "recall"),
    "crime": ("robbery", "heist", "theft", "burglary", "fraud", "scam", "smuggling", "hijacking"),
    "health": ("outbreak", "epidemic", "pandemic", "infection", "infections", "poisoning", "spill",
               "leak", "collapse", "blackout", "outage", "eruption", "drought", "heatwave"),
    "career": ("rehab", "treatment", "surgery", "injury", "retirement", "resignation", "firing",
               "dismissal", "appointment", "hiring", "departure", "death", "funeral"),
}  # fmt: skip
_CLASS_OF: dict[str, str] = {}
for _cls, _words in TRIGGERS.items():
    for _w in _words:
        _CLASS_OF.setdefault(_w, _cls)
#: Verbs whose presence in the headline or lead names a class too ("Gunman kills …",
#: "Fire destroys …" is caught by the noun; "… shot dead", "… exploded" by these).
_VERB_CLASS = {
    "shot": "shooting", "opened fire": "shooting", "exploded": "explosion", "burned": "fire",
    "burnt": "fire", "burns": "fire", "flooded": "flood", "crashed": "crash", "collided": "crash",
    "derailed": "crash", "rioted": "unrest", "stabbed": "attack", "murdered": "attack", "robbed": "crime",
    "stole": "crime", "convicted": "court", "sentenced": "court", "acquitted": "court", "arrested": "arrest",
    "escaped": "arrest", "elected": "vote", "won": "match", "beat": "match", "defeated": "match",
    "spoke": "talks", "met": "talks", "signed": "business", "hired": "career", "fired": "career",
    "died": "career", "dies": "career", "killed": "attack", "kills": "attack", "fell": "crash",
}  # fmt: skip
_TRIGGER_RE = re.compile(r"\b(?:" + trie_regex([*_CLASS_OF, *_VERB_CLASS]) + r")\b")
#: "That fire took 19 days to contain", after a paragraph on a fire of 2017: the distal
#: "that"/"those" points back at whatever happening was told last, often another one, so
#: it is no evidence for the main happening (the clause stays ``uncertain``).
_DEFINITE = re.compile(
    r"(?:\b(?:the|this|these|its|their|his|her|yesterday['’]s|today['’]s|tonight['’]s|"
    r"last\snight['’]s|(?:mon|tues|wednes|thurs|fri|satur|sun)day['’]s|weekend['’]s)\s(?:[\w-]+\s){0,2}|"
    r"[A-Z][\w-]+['’]s\s(?:[\w-]+\s){0,1})$"
)
_INDEFINITE = re.compile(r"\b(?:a|an|one)\s(?:[\w-]+\s){0,2}$")

_MODAL = re.compile(
    r"\b(?:can|could|would|might|if|unless|expect|expects|expected|forecasts?|forecasted|predicted|predicts?|"
    r"projected|projects|likely\sto|threatens?\sto|feared\sto|potentially|hypothetical|estimates?\sthat|"
    r"would\shave|could\shave|may)\b"
)
#: A demand or proposal is not what happened ("prosecutors had asked that he be sentenced
#: to 15 years", "the union is seeking a 10 percent raise").  Like a plan, it must come
#: before the figure: "a call that lasted two hours as Trump sought a breakthrough" is a
#: fact about the call.
_DEMAND = re.compile(
    r"\b(?:asked\s(?:that|for)|asking\sfor|asks\sfor|sought|seeking|seeks|requested|requesting|demanded|"
    r"demanding|demands|called\sfor|calling\sfor|calls\sfor|urged|recommended|recommending|proposed|"
    r"proposing|proposes)\b"
)
_MAY_MONTH = re.compile(r"\bMay\s(?:\d|of\b)")
#: Verbs a plan's "due to" / "is to" takes ("is due to appear", "was to be held"): "due to
#: the storm" gives a cause, not a plan.
_PLAN_VERBS = (
    r"(?:be|begin|start|open|take|last|meet|hold|appear|face|return|resume|end|close|vote|arrive|visit|"
    r"sign|testify|hear|run|travel|fly|stand|launch|announce|present|deliver|release|go)"
)
#: A plan or schedule: a figure about what will happen ("the summit will be held next month",
#: "the talks were scheduled to last three hours", "he will serve at least eight years").
#: It is compared only with other plans: a plan and what happened are two facts, both true
#: when plans change.  The mark must come before the figure in its clause (or be its own
#: words: "next month"): "12 were killed and the toll will rise" is a count of what happened.
_PLANNED = re.compile(
    r"(?<!\bthe\s)(?<!\bhis\s)(?<!\bher\s)(?<!\bits\s)(?<!\bown\s)(?<!\bfree\s)(?<!\bgood\s)"
    r"\b(?:will|won['’]t|shall)\b(?!\s(?:of|power)\b)|"
    r"\b(?:scheduled|slated|planned|set)\s(?:to|for)\b(?!\s[\d$€£])|\b(?:plans?|planning|intends?|intending|aims?)\sto\b|"
    r"\b(?:is|are|was|were)\s(?:due|to)\s(?:to\s)?" + _PLAN_VERBS + r"\b|\bdue\sin\scourt\b|"
    r"\b(?:upcoming|forthcoming|next\s(?:week|month|year|season|spring|summer|autumn|fall|winter)|"
    r"later\sthis\s(?:week|month|year)|tomorrow)\b"
)
_GENERIC = re.compile(
    r"\b(?:typically|usually|generally|normally|on\saverage|on\san\saverage|each\syear|every\syear|"
    r"annually|a\syear(?!\s(?:earlier|later|after|before|ago))|per\syear|"
    r"a\sday(?!\s(?:earlier|later|after|before|ago))|per\sday|in\sgeneral|of\sthis\s(?:kind|type|category|size|"
    r"magnitude|strength)|like\sthis\sone|such\sas\sthis)\b"
)
_BACKGROUND = re.compile(
    r"\b(?:since|so\sfar\sthis\syear|so\sfar|to\sdate|in\sthe\spast|in\srecent\syears|the\sworst\ssince|"
    r"in\shistory|on\srecord|record|ever|previous|previously|the\slast\smajor|the\slast\stime|"
    r"historically|over\sthe\spast|over\sthe\slast|in\sthe\slast\s\w+\s(?:years|decades|months)|"
    r"decades?|centuries|century|once|used\sto|former|formerly|"
    # a running total at the time of writing ("police have now arrested 450"): a later
    # count of an evolving figure, not a rival one
    r"now)\b"
)
#: A figure first given, since superseded: "police had initially said 11 people were
#: wounded", "officials earlier reported seven deaths", "at first put the toll at 12".
_FIRST_WORD = re.compile(
    r"\b(?:initially|originally|earlier|previously|at\sfirst|first)\s(?:had\s)?(?:said|reported|put|gave|"
    r"estimated|announced|stated|told|counted|listed|believed|thought|feared)\b"
)
#: "two years ago", "18 months ago": an earlier time than the report's.
_AGO = re.compile(
    r"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\sfew|\d+)\s"
    r"(?:years?|months?|weeks?)\sago\b"
)
_YEAR = re.compile(r"(?<![\d.,$€£-])\b(?:19|20)\d\d\b(?![\d,.]\d)")
_ORDINAL = re.compile(
    r"\b(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|another|other|"
    r"separate|similar|earlier|later|next|previous|2nd|3rd|4th|5th)\s(?P<what>[\w-]+)(?:\s(?P<what2>[\w-]+))?"
)
_SERIES_ALWAYS = re.compile(r"\baftershocks?\b")
#: An ordinal's number, to find it in the headline however it is written ("Game 7").
_ORDINAL_NUMBER = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
}  # fmt: skip
#: A comparison with the past that follows the figure it ranks: "killed 30, the deadliest
#: attack since 2004", "winning the club's first title since 2016".  It says how this
#: happening compares, not when the figure was (a "since" that starts a span, "12 have died
#: since the fighting began", is not one).
_RANKED_SINCE = re.compile(
    r"\b(?:first|only|worst|best|deadliest|biggest|largest|highest|lowest|strongest|heaviest|"
    r"most|fewest|longest|shortest|hottest|coldest|wettest|driest)\s(?:[\w'’-]+\s){0,4}?since\s"
    r"(?:(?:early|mid|late)[\s-])?(?:(?:19|20)\d\d|the\s(?:19|20)\d0s|records\sbegan|\w+\s(?:19|20)\d\d)\b"
)
_POSSESSIVE_BEFORE = re.compile(r"(?:['’]s|\b(?:its|their|his|her|our))\s$")
#: Nouns besides the triggers that an ordinal makes another one of: "the second victim".
_SERIES_NOUNS = frozenset(
    (
        "incident",
        "incidents",
        "one",
        "time",
        "victim",
        "suspect",
        "defendant",
        "case",
        "cases",
        "round",
        "half",
        "leg",
        "stage",
        "wave",
        "day",
    )
)
_PART_BEFORE = re.compile(
    r"\b(?:of\sthem|of\swhom|among\sthem|among\sthe|among|including|included|one\sof|two\sof|three\sof|"
    r"some\sof|most\sof|half\sof|of\sthose|of\sthe\s(?:dead|victims|injured|wounded|people|passengers|"
    r"casualties|dead))\b"
)
#: After the figure: "of them", or where the counted were: "49 people on board", "one
#: person on the ground" (a crash's occupants, not necessarily its toll).
_PART_AFTER = re.compile(  # used with match(text, pos), which anchors at pos: no "^"
    r"\s(?:of\s(?:them|whom|those|these|the\s\w+)|on\sboard|aboard|on\sthe\sground|"
    r"on\sthe\s(?:plane|aircraft|flight|jet|helicopter|bus|coach|train|ship|ferry|boat|vessel)|"
    # where some of them died: "18 people died in hospital"
    r"(?:in|at)\s(?:the\s|a\s|local\s)?hospitals?)\b"
)
#: A count that takes in the unconfirmed ("52 deaths, including suspected cases"): another
#: measure than a count of the confirmed, never compared.
_WITH_UNCONFIRMED = re.compile(
    r",?\s(?:including|counting|incl\.)\s(?:\w+\s)?(?:suspected|probable|possible|unconfirmed|presumed)\b"
)
_PLACE_PART = re.compile(
    r"\b(?:in|at|on)\s(?P<place>(?:the|one|a|another|a\ssecond|each)\s(?:[\w'’-]+\s){0,2}"
    r"(?:district|suburb|neighbo(?:u)?rhood|village|ward|county|province|state|area|quarter|borough|"
    r"block|building|floor|wing|hospital|school|site|camp|prison|town|street|region|zone|shelter|"
    r"mine|factory|plant|branch|store|station|unit))\b"
)
#: A figure counted over a wider extent than one happening ("the riots in cities
#: throughout the country have left 70 injured", "nationwide, 200 were arrested"): a
#: total, whose main-occasion part nobody states.
_NUMBER_WORD = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|dozens\sof|several|many|all|both)"
_WIDE = re.compile(
    r"\b(?:nationwide|nation-wide|countrywide|statewide|state-wide|worldwide|province-wide|region-wide|"
    r"(?:across|throughout|around|all\sover)\s(?:the\s)?(?:country|nation|region|state|province|continent|"
    r"world|globe|island|territory)|"
    r"(?:across|in|throughout)\s" + _NUMBER_WORD + r"\s(?:other\s)?(?:states|countries|cities|provinces|"
    r"regions|counties|districts|towns|nations))\b"
)
#: A running total of a longer happening the figure's own is part of: "the conflict, which
#: has killed 5,000 people, claimed 12 more lives" (the conflict is not the headline's).
_ONGOING = re.compile(
    r"\b(?P<what>conflict|war|insurgency|fighting|violence|crisis|uprising|epidemic|pandemic|outbreak|"
    r"unrest|occupation|rebellion|revolt|drought|famine)\b[^.;]{0,60}?\b(?:has|have|had)\s(?:now\s|so\sfar\s|"
    r"already\s)?(?:killed|claimed|left|taken|cost)\b"
)
#: Several happenings counted together: "a wave of bombings", "a series of attacks".
_SERIES_OF = re.compile(r"\b(?P<what>wave|series|spate|string|spree|rash|flurry)\sof\s[a-z]+")
#: A happening a set time before or after the figure's clause: "a bomb killed 12 on
#: Monday, a day after 30 died in Kandahar" (the 30 are another happening's).
_OTHER_TIME_LINK = re.compile(
    r"\b(?:a|an|one|two|three|four|five|six|seven|\d+|several|a\sfew|few|just|only)\s"
    r"(?:day|days|week|weeks|month|months|year|years|hour|hours)\s(?:after|before)\s*$"
)
_DEFINITE_START = re.compile(r"\s*(?:the|this|that|these|its|his|her|their|[a-z]+day['’]s)\b")
#: A duration "of" an activity: "12 days of testimony", "10 hours of deliberation".
_OF_ACTIVITY = re.compile(r"\sof\s(?!the\b|a\b|an\b|them\b|his\b|her\b|their\b|its\b)(?P<what>[a-z]{3,})")
#: What every :data:`_WIDE` match holds (a prefilter).
_WIDE_HINTS = ("wide", "across", "throughout", "around", "all over", "states", "countries", "cities",
               "provinces", "regions", "counties", "districts", "towns", "nations")  # fmt: skip
_IN_PLACE = re.compile(r"\bin\s(?P<place>[A-Z][\w'’.-]+(?:[^\S\n][A-Z][\w'’.-]+){0,2})")
_OTHER_AGE_OCCASION = re.compile(
    r"\b(?:when\s(?:he|she|they)\s(?:was|were)|at\sthe\stime|at\sthat\stime|then|at\sthe\sage\sof\s\d+\s"
    r"when|at\s(?:his|her)\s(?:arrest|trial|sentencing|conviction)|was\sarrested|were\sarrested|"
    r"was\scharged|was\sconvicted|was\ssentenced)\b"
)
#: The person whose age this is died: the age is the object of a killing or a death
#: ("killed a 66-year-old …", "the death of 15-year-old …", "shot dead 16-year-old …") …
_DIED_BEFORE = re.compile(
    r"\b(?:killed|killing|kills|death\sof|deaths\sof|murder\sof|murdered|murdering|killing\sof|"
    r"shot\sdead|fatally\sshot|shot\sand\skilled|mourn(?:ed|ing)?|funeral\sof|body\sof|identified)"
    r"\s(?:[\w’'-]+\s){0,3}$"
)
#: … or the subject of dying ("Smith, 66, died", "Smith, 66, was killed", "dies at 88").
_DIED_AFTER = re.compile(
    r"^[^.;:]{0,60}?\b(?:died|dies|passed\saway|perished|succumbed|(?:was|were|is|has\sbeen|had\sbeen|"
    r"being)\s(?:\w+\s)?(?:killed|slain|found\sdead|shot\sdead|fatally\s\w+|pronounced\sdead|dead))\b"
)
_DIED_IN = re.compile(r"\b(?:dies|died|dead|passed\saway)\b")
_CLAUSE_BREAK = re.compile(
    r"[;:()\[\]—–]|,\s(?=(?:and|but|while|whereas|although|though|as|after|before|when|since|which|who|"
    r"where)\b)|\s-\s|\b(?:that|which|who|whom|whose|when|while|because|although|though|but|whereas|"
    r"where|after|before|until)\b"
)


class MainOccasion:
    """The article's main happening, as its headline and lead present it.

    Its parts are found when first asked for: most articles have few claims deep in the
    text and no pronoun ages, and these scans are the occasion model's main cost.
    """

    def __init__(
        self, title: str, sents: Sequence[Sentence], ref: ReferenceTime | None, text: str = ""
    ) -> None:
        self.text = text
        parts = [title]
        body = 0
        lead_end = 0
        headline = _norm(title)
        for s in sents:
            if body >= LEAD_SENTENCES:
                break
            parts.append(s.text)
            lead_end = s.end
            if _counts_as_body(s, headline):
                body += 1
        self.parts = parts
        self.lead_end = lead_end  # character offset in the text where the lead ends
        self.ref = ref

    @functools.cached_property
    def classes(self) -> frozenset[str]:
        """Trigger classes (:data:`TRIGGERS`) the headline and lead name."""
        return frozenset(_classes(" ".join(self.parts).lower()))

    @functools.cached_property
    def places(self) -> frozenset[str]:
        """Folded names of the gazetteer places the headline and lead name."""
        return frozenset(_places(" ".join(self.parts)))

    @functools.cached_property
    def wide(self) -> bool:
        """The headline or lead itself spans a country or several places ("a nationwide
        strike"): a figure counted that widely is then the main happening's own."""
        return _WIDE.search(" ".join(self.parts).lower()) is not None

    @functools.cached_property
    def _person(self) -> tuple[str | None, str | None]:
        return _main_person(". ".join(self.parts))

    @property
    def person(self) -> str | None:
        """The one person (``person:<surname>``) the headline and lead name, if only one."""
        return self._person[0]

    @property
    def given(self) -> str | None:
        """That person's first name, when written."""
        return self._person[1]

    @functools.cached_property
    def _given_names(self) -> dict[str, set[str]]:
        """Every first name the article writes with each surname (``person:<surname>``)."""
        from worker.core.claims.roles import given_name, person_key

        out: dict[str, set[str]] = {}
        for m in _PERSON_NAME.finditer(self.text):
            tokens = m.group().split()
            while tokens and fold(tokens[0]).rstrip(".") in _NOT_PERSON_WORDS:
                tokens = tokens[1:]
            if len(tokens) < 2:
                continue
            key, given = person_key(" ".join(tokens)), given_name(" ".join(tokens))
            if key and given:
                out.setdefault(key, set()).add(given)
        return out

    def given_of(self, person: str) -> str | None:
        """The first name of ``person`` when the article writes exactly one with that surname."""
        names = self._given_names.get(person) or set()
        return next(iter(names)) if len(names) == 1 else None

    @property
    def ref_year(self) -> int | None:
        return None if self.ref is None or self.ref.lo.year != self.ref.hi.year else self.ref.lo.year


#: Shorter sentences (a byline, "… Ellen DeGeneres.") do not use up the lead.
MIN_LEAD_SENTENCE_CHARS = 40


def _counts_as_body(s: Sentence, headline: str) -> bool:
    """A sentence of the body proper: not a heading, not the title repeated as the text's first
    line, not a dateline ("May 2, 2013 1:35 pm."), not a short fragment."""
    if s.heading or len(s.text) < MIN_LEAD_SENTENCE_CHARS:
        return False
    if headline and _norm(s.text) == headline:
        return False
    return not (len(s.text) <= MAX_DATELINE_CHARS and dateline(s.text) is not None)


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".!?")


def _classes(low: str) -> set[str]:
    out: set[str] = set()
    for m in _TRIGGER_RE.finditer(low):
        w = m.group()
        cls = _CLASS_OF.get(w) or _VERB_CLASS.get(w)
        if cls:
            out.add(cls)
    return out


def _places(text: str) -> set[str]:
    out: set[str] = set()
    for m in _IN_PLACE.finditer(text):
        name = fold(m.group("place")).rstrip(".")
        for n in (name, name.split(" ")[0]):
            if n in CITY_COUNTRY or n in COUNTRY_BY_NAME:
                out.add(n)
    return out


def main_occasion(
    title: str, sents: Sequence[Sentence], ref: ReferenceTime | None, text: str = ""
) -> MainOccasion:
    """Headline + lead: the title, heading lines before the body, the first body sentences."""
    return MainOccasion(title, sents, ref, text)


#: A full name: its words stand on one line ("Crash\nSmith, 45, died" names no "Crash Smith").
_PERSON_NAME = re.compile(
    r"\b[A-Z][a-z][\w’'-]{0,20}(?:[^\S\n](?:[A-Z]\.[^\S\n])?[A-Z][a-z][\w’'-]{0,20}){1,2}\b"
)
#: Words that make a capitalised phrase a place, body or thing rather than a person.
_NOT_PERSON_WORDS = frozenset(
    (
        "house", "center", "centre", "party", "department", "court", "police", "church", "bank", "university",
        "company", "street", "county", "park", "association", "city", "state", "states", "news", "times",
        "post", "press", "office", "hospital", "school", "college", "club", "team", "league", "airport",
        "station", "road", "avenue", "river", "mountain", "island", "islands", "national", "international",
        "united", "north", "south", "east", "west", "new", "saint", "st", "fort", "lake", "bay", "valley",
        "ministry", "council", "agency", "service", "services", "group", "corp", "inc", "ltd", "foundation",
        "institute", "museum", "theatre", "theater", "hall", "tower", "building", "store", "market", "prison",
        "jail", "sheriff's", "fire", "award", "awards", "games", "cup", "festival", "day", "week", "year",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
        "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "president", "minister", "governor", "senator", "mayor", "judge", "officer", "deputy", "chief",
        "the", "a", "an", "breaking", "update", "watch", "video", "photos", "report", "reports",
    )
)  # fmt: skip


def _main_person(text: str) -> tuple[str | None, str | None]:
    """The one person (``person:<surname>``) the headline and lead name, with their first name.

    Two or three capitalised words that are neither a gazetteer place nor hold a word of a
    place, body or title; more than one distinct surname means there is no main person.
    """
    from worker.core.claims.roles import given_name, person_key

    found: dict[str, str | None] = {}
    for m in _PERSON_NAME.finditer(text):
        tokens = m.group().split()
        while tokens and fold(tokens[0]).rstrip(".") in _NOT_PERSON_WORDS:
            tokens = tokens[1:]  # "Actress Jane Marlow", "Award Jane Marlow"
        name = " ".join(tokens)
        words = [fold(w).rstrip(".") for w in tokens]
        if len(words) < 2 or any(w in _NOT_PERSON_WORDS for w in words) or fold(name) in CITY_COUNTRY:
            continue
        if fold(name) in COUNTRY_BY_NAME:
            continue
        key = person_key(name)
        if key:
            found.setdefault(key, given_name(name))
    if len(found) != 1:
        return None, None
    key, given = next(iter(found.items()))
    return key, given


def _unranked(clause: str, base: int, end: int) -> str:
    """``clause`` with the comparisons with the past that follow the figure (ending at
    ``end``, the clause starting at ``base``) blanked out (:data:`_RANKED_SINCE`)."""
    if "since" not in clause:
        return clause
    for m in _RANKED_SINCE.finditer(clause):
        if m.start() + base >= end:
            clause = clause[: m.start()] + " " * (m.end() - m.start()) + clause[m.end() :]
    return clause


def _headline_numbers(title: str, ordinal: str, what: str) -> bool:
    """The headline gives the main happening this number in the series: "seventh game"
    in a report headlined "... in Game 7 thriller" is that game, not another one."""
    n = _ORDINAL_NUMBER.get(ordinal)
    if n is None:
        return False
    noun = re.escape(what.rstrip("s"))
    words = "|".join(re.escape(w) for w, k in _ORDINAL_NUMBER.items() if k == n)
    return (
        re.search(
            rf"\b{noun}s?\s(?:no\.\s?)?{n}\b|\b(?:{words}|{n}(?:st|nd|rd|th))\s{noun}s?\b", title.lower()
        )
        is not None
    )


def _clause(low: str, start: int, end: int) -> tuple[int, int]:
    """The clause holding [start, end), cut at this module's breaks (commas only before a
    conjunction: "Robert Buckley, 32, fell" is one clause)."""
    return clause_span(low, start, end, _CLAUSE_BREAK)


def _outside(m: re.Match[str], start: int, end: int, base: int) -> bool:
    return m.end() + base <= start or m.start() + base >= end


def _search_outside(rx: re.Pattern[str], text: str, base: int, start: int, end: int) -> re.Match[str] | None:
    for m in rx.finditer(text):
        if _outside(m, start, end, base):
            return m
    return None


def occasion_of(
    f: Found,
    sent: Sentence,
    low: str,
    main: MainOccasion,
    frame_key: str | None,
) -> Occasion:
    """The occasion of one found claim in its sentence (see the module docstring)."""
    if f.kind not in ANCHORED:
        return MAIN
    lo, hi = _clause(low, f.start, f.end)
    if lo > 0 and low[max(0, lo - 6) : lo].rstrip().endswith(("when", "where", "which")):
        # "… since 2004, when 700 people died": a when/where clause is about the time or
        # place the clause before it names, a which-clause about the thing it names ("the
        # 2004 tsunami, which killed 170,000 people")
        lo = _clause(low, max(0, lo - 8), max(0, lo - 7))[0]
    # A that-clause's time is the clause's before it: a relative one is about the thing
    # it names ("the 2010 shooting that killed three", "a rampage two years ago that left
    # two dead"), a complement takes the saying's time ("said on Monday that 12 died").
    # Its mood stays its own (below: "said in May that the blast killed 12").
    anchor_lo = lo
    if lo > 0 and low[max(0, lo - 6) : lo].rstrip().endswith("that"):
        anchor_lo = _clause(low, max(0, lo - 6), max(0, lo - 5))[0]
    antecedent = low[anchor_lo:lo]
    clause = low[lo:hi]
    original = sent.text[lo:hi]
    is_age = f.predicate == "age"

    if is_age:  # a person's age, whatever the clause's mood
        return _age_occasion(f, clause, low, main, frame_key)
    m = _MODAL.search(clause)  # inside the figure's words too: "the toll could rise to 50"
    if m and not (m.group() == "may" and _MAY_MONTH.search(original)):
        return Occasion("hypothetical", cue=m.group())
    m = _DEMAND.search(clause, 0, f.end - lo)
    if m is None and low[max(0, lo - 6) : lo].rstrip().endswith("that"):
        # a that-clause's mood is its governing verb's: "asked that he be sentenced to 15
        # years", "predicted that 50 would die"
        m = _DEMAND.search(low, max(0, lo - 30), lo) or _MODAL.search(low, max(0, lo - 30), lo)
        m = None if m is not None and m.group() == "may" else m  # "said in May that …"
    if m:
        return Occasion("hypothetical", cue=m.group())
    m = _FIRST_WORD.search(low, anchor_lo, f.start)
    if m:  # "police had initially said 11 were wounded, but later revised it": superseded
        return Occasion("background", cue=m.group())
    m = None if f.predicate.startswith("scheduled") else _PLANNED.search(clause, 0, f.end - lo)
    if m:  # (a "scheduled_start_time" names the plan in its predicate already)
        return Occasion("planned", cue=m.group())
    m = _search_outside(_GENERIC, clause, lo, f.start, f.end)
    if m:
        return Occasion("generic", cue=m.group())
    m = _OTHER_TIME_LINK.search(low, max(0, lo - 30), lo)
    if m is None and anchor_lo < lo:
        # "two years after a fire that killed five"; "a day after an eruption that killed
        # three" is this story's eruption, told the next day
        m = _OTHER_TIME_LINK.search(low, max(0, anchor_lo - 30), anchor_lo)
        m = m if m is not None and re.search(r"week|month|year", m.group()) else None
    if m and not _DEFINITE_START.match(low, lo if m.end() == lo else anchor_lo):
        # ("hours after the attack this morning" is the main happening, named definitely)
        return Occasion("other_incident", cue=m.group().strip())
    m = _ONGOING.search(clause, 0, f.end - lo) if f.kind == "quantity" else None
    if m and m.group("what") not in _norm(main.parts[0]):
        return Occasion("total", cue=m.group("what"))
    m = _SERIES_OF.search(clause, 0, f.start - lo) if f.kind == "quantity" else None
    if m and m.group("what") not in _norm(main.parts[0]):
        # "a wave of bombings across Afghanistan killed 40, including 12 in Kabul": the toll
        # of several happenings, unless the headline itself is about the wave
        return Occasion("total", cue=m.group().strip())
    if frame_key:
        return Occasion("earlier", frame_key, cue=frame_key)
    clause = _unranked(clause, lo, f.end)
    for text, base in ((clause, lo), (antecedent, anchor_lo)):
        m = _search_outside(_YEAR, text, base, f.start, f.end)
        if m and (main.ref_year is None or int(m.group()) != main.ref_year) and not _is_ref_date(m, text):
            return Occasion("earlier", m.group(), cue=m.group())
    m = _AGO.search(antecedent) if " ago" in antecedent else None
    if m:  # (the frames module reads "ago" in the claim's own clause)
        return Occasion("earlier", m.group(), cue=m.group())
    m = _search_outside(_BACKGROUND, clause, lo, f.start, f.end)
    if m:
        return Occasion("background", cue=m.group())
    if _SERIES_ALWAYS.search(clause):
        return Occasion("other_incident", "aftershock", cue="aftershock")
    for m in _ORDINAL.finditer(clause):
        if _POSSESSIVE_BEFORE.search(clause, max(0, m.start() - 20), m.start()):
            continue  # "the country's fourth election", "its first title": this one's number
        for what in (m.group("what"), m.group("what2")):
            if what in _CLASS_OF or what in _SERIES_NOUNS:
                if what == "time" and m.group("ord") == "first":
                    break  # "for the first time": not a series
                if _headline_numbers(main.parts[0], m.group("ord"), what):
                    break  # "Game 7" in the headline: "the seventh game" is this one
                return Occasion("other_incident", m.group("ord"), cue=m.group())
    m = _OF_ACTIVITY.match(low, f.end) if f.kind == "duration" else None
    if m and m.group("what") != f.subject and _CLASS_OF.get(m.group("what")) != _CLASS_OF.get(f.subject, ""):
        # "the trial lasted 12 days of testimony": days of an activity within the
        # happening, another measure than its length ("three hours of talks" is the talks')
        return Occasion("part", m.group("what"), cue=m.group().strip())
    before = low[lo : f.start]
    m = _PART_BEFORE.search(before)
    if m or _PART_AFTER.match(low, f.end):
        return Occasion("part", cue=(m.group() if m else low[f.end : f.end + 12].strip()))
    m = _WITH_UNCONFIRMED.match(low, f.end) or _WITH_UNCONFIRMED.match(low, _after_noun(low, f.end))
    if m:
        return Occasion("total", cue=m.group().strip(" ,"))
    wide = f.kind == "quantity" and contains_any(clause, _WIDE_HINTS)
    m = _search_outside(_WIDE, clause, lo, f.start, f.end) if wide else None
    if m and not main.wide:
        # a count, not a duration or a time: "a 24-hour nationwide strike" is the strike's
        return Occasion("total", cue=m.group())
    if f.subject.startswith("person:"):
        # how far one named person fell, how often they were shot, their sentence: the
        # person anchors it, wherever it is written (ages have their own rule above)
        return Occasion("main", cue="person")
    in_lead = sent.start + f.start < main.lead_end
    if not in_lead:
        m = _PLACE_PART.search(clause)
        if m:
            return Occasion("part", " ".join(m.group("place").split()[1:]), cue=m.group())
        other = _other_place(original, main)
        if other:
            return Occasion("other_incident", other, cue=f"in {other}")
    if in_lead:
        return MAIN
    # A claim tied to a named happening ("the call lasted …", "the meeting on May 2") was
    # tied to that noun by its extractor, anywhere in the sentence; a bare count ("12 were
    # killed") needs the happening named in its own clause.
    if f.subject != "event":
        lo, hi = 0, len(low)
    evidence = _definite_trigger(low, lo, hi, f, main)
    if evidence:
        return Occasion("main", cue=evidence)
    if _indefinite_trigger(low, lo, hi, f):
        return Occasion("other_incident", cue="indefinite")
    return Occasion("uncertain")


_NOUN_TAIL = re.compile(r"(?:\s(?:people|deaths|cases|patients|in\s[a-z]+))+")


def _after_noun(low: str, end: int) -> int:
    """Past the words a count's noun takes after it ("killed 52 people" + " in Haiti")."""
    m = _NOUN_TAIL.match(low, end)
    return m.end() if m else end


def _is_ref_date(m: re.Match[str], clause: str) -> bool:
    """A year right after a month and day ("Dec. 14, 2008") in an article with no reference
    time could be the news's own date: not enough to call it another occasion."""
    return bool(re.search(r"\d{1,2}(?:st|nd|rd|th)?,?\s$", clause[max(0, m.start() - 6) : m.start()]))


def _other_place(original: str, main: MainOccasion) -> str | None:
    """A gazetteer place in a deep clause that the headline and lead never name."""
    if not main.places:
        return None
    for m in _IN_PLACE.finditer(original):
        name = fold(m.group("place")).rstrip(".")
        first = name.split(" ")[0]
        known = name if (name in CITY_COUNTRY or name in COUNTRY_BY_NAME) else None
        known = known or (first if (first in CITY_COUNTRY or first in COUNTRY_BY_NAME) else None)
        if known and known not in main.places:
            return known
    return None


def _definite_trigger(low: str, lo: int, hi: int, f: Found, main: MainOccasion) -> str | None:
    """A definite reference to the main happening in the clause, outside the claim's words."""
    for m in _TRIGGER_RE.finditer(low, lo, hi):
        if not (m.end() <= f.start or m.start() >= f.end):
            continue
        w = m.group()
        cls = _CLASS_OF.get(w)
        if cls is None:
            continue  # a verb names a class in the lead; deep, the referring noun is what counts
        if f.subject == "event":
            if cls not in main.classes:
                continue  # a bare count: the happening the headline and lead name
        elif w != f.subject and _CLASS_OF.get(f.subject) != cls:
            continue  # "the call lasted …": the call itself, not any happening
        if _DEFINITE.search(low, max(0, m.start() - 40), m.start()):
            return low[max(lo, m.start() - 12) : m.end()].strip()
    return None


def _indefinite_trigger(low: str, lo: int, hi: int, f: Found) -> bool:
    for m in _TRIGGER_RE.finditer(low, lo, hi):
        if not (m.end() <= f.start or m.start() >= f.end):
            continue
        if m.group() in _CLASS_OF and _INDEFINITE.search(low, max(0, m.start() - 30), m.start()):
            return True
    return False


def _age_occasion(f: Found, clause: str, low: str, main: MainOccasion, frame_key: str | None) -> Occasion:
    """An age at death is fixed; any other age is the person's age at the reference time
    (``asof`` in the value, see :func:`age_fields`); without one nothing anchors it.

    Another occasion is looked for just around the age too, across clause breaks ("won
    an award in 1975, when she was 40").
    """
    # a relative clause after the age tells something else ("Haugli, who joined in 2022, was")
    after = low[f.end : f.end + 200]
    near = low[max(0, f.start - 40) : f.end] + RELATIVE_CLAUSE.sub(",", after, count=1)[:30]
    if frame_key or _OTHER_AGE_OCCASION.search(clause) or _OTHER_AGE_OCCASION.search(near):
        return Occasion("earlier", frame_key or "then", cue=frame_key or "then")
    year = _YEAR.search(near)
    if year and (main.ref_year is None or int(year.group()) != main.ref_year):
        return Occasion("earlier", year.group(), cue=year.group())
    if _died(low, f):
        return Occasion("main", cue=AT_DEATH)
    if main.ref is None:
        return Occasion("uncertain", cue="age without a reference time")
    return Occasion("main", cue=f"age as of {main.ref.lo.isoformat()}")


def _died(low: str, f: Found) -> bool:
    """The age is of someone who died in this happening (see _DIED_BEFORE/_DIED_AFTER)."""
    if _DIED_IN.search(low, f.start, f.end):
        return True  # "dies at 88", "died aged 91": the age's own words
    if _DIED_BEFORE.search(low, max(0, f.start - 60), f.start):
        return True
    return bool(_DIED_AFTER.search(low[f.end : f.end + 80]))


#: The cue of an age at death.
AT_DEATH = "age at death"


def age_fields(occasion: Occasion, main: MainOccasion) -> dict[str, object]:
    """What an age value needs to be compared with another: at death, or as of when."""
    return {
        "at_death": occasion.cue == AT_DEATH,
        "asof": main.ref.lo.isoformat() if main.ref is not None else None,
    }
