"""The global stage under at-least-once delivery: redelivery and half-applied commits."""

from __future__ import annotations

import re
from typing import Any

import pytest

from worker.core import pipeline
from worker.core.model import Article
from worker.core.pipeline import LANGID_CHARS, Correlator, Enriched, detect_language, ingest
from worker.core.textfeatures import _DATE_MD, _TOKEN, MONTHS
from worker.synth import generate


def enriched_stream(n: int) -> list[Enriched]:
    return [ingest(Article.from_json(r)) for r in generate(n, seed=7)]


def run(
    stream: list[Enriched], crash_at: int | None = None, partial: str = "articles"
) -> tuple[list[Any], dict]:
    stores: dict[str, dict[str, Any]] = {"articles": {}, "fingerprints": {}, "events": {}}
    correlator = Correlator(stores["articles"], stores["fingerprints"], stores["events"])
    ids: list[Any] = []
    for i, item in enumerate(stream):
        result = correlator.process(item)
        if i == crash_at:
            # The process dies after only one table's writes reached its changelog.
            overlay = {"articles": correlator._articles, "events": correlator._events}[partial]
            overlay.commit()
            correlator = Correlator(stores["articles"], stores["fingerprints"], stores["events"])
            result = correlator.process(item)  # redelivered after the restart
        correlator.commit()
        ids += [(o.value["id"], o.value.get("score")) for o in result.outputs]
    return ids, stores


def test_redelivery_of_an_applied_article_changes_nothing() -> None:
    stream = enriched_stream(60)
    ids, stores = run(stream)
    again_ids, again = run([*stream, stream[10], stream[30]])
    assert again_ids == ids and again == stores


def test_a_half_applied_article_is_finished_exactly_once() -> None:
    stream = enriched_stream(80)
    clean_ids, clean = run(stream)
    for partial in ("articles", "events"):
        ids, stores = run(stream, crash_at=40, partial=partial)
        assert set(ids) == set(clean_ids), partial  # same ids, same scores
        assert stores == clean, partial


_FRENCH = (
    "Le gouvernement a annoncé mardi un nouveau plan pour les hôpitaux publics, après des mois "
    "de grèves dans plusieurs régions du pays. Selon le ministre de la Santé, les fonds seront "
    "versés dès le mois prochain aux établissements les plus touchés par le manque de personnel. "
    "Les syndicats ont salué une avancée, tout en demandant des garanties sur les salaires des "
    "infirmières et sur le nombre de lits qui doivent rouvrir avant l'hiver. "
)
_GERMAN = (
    "Die Regierung hat am Dienstag einen neuen Plan für die öffentlichen Krankenhäuser vorgestellt, "
    "nachdem es monatelang in mehreren Regionen des Landes Streiks gegeben hatte. Nach Angaben des "
    "Gesundheitsministers sollen die Mittel schon im nächsten Monat an die Kliniken fließen, die am "
    "stärksten unter dem Personalmangel leiden. Die Gewerkschaften begrüßten den Schritt. "
)
_SPANISH = (
    "El gobierno anunció el martes un nuevo plan para los hospitales públicos, después de meses de "
    "huelgas en varias regiones del país. Según el ministro de Sanidad, los fondos llegarán el mes "
    "que viene a los centros más afectados por la falta de personal. Los sindicatos celebraron el "
    "anuncio, aunque pidieron garantías sobre los salarios de las enfermeras. "
)


def test_language_is_identified_from_the_first_langid_chars() -> None:
    english = " ".join(generate(1, seed=3)[0]["text"].split())
    assert len(english) > LANGID_CHARS
    for text, lang in ((_FRENCH * 3, "fr"), (_GERMAN * 3, "de"), (_SPANISH * 3, "es"), (english, "en")):
        assert detect_language(Article(id="x", text=text)) == lang
    # Only the first LANGID_CHARS characters are read: a long tail in another language
    # does not change the answer (and does not add to the cost).
    mixed = english[:LANGID_CHARS] + " " + _FRENCH * 20
    assert detect_language(Article(id="x", text=mixed)) == "en"
    assert detect_language(Article(id="x", text=_FRENCH, language="EN-gb")) == "en"


_DUTCH = (
    "De regering heeft dinsdag een nieuw plan voor de ziekenhuizen aangekondigd, na maanden van "
    "stakingen in het hele land. Volgens de minister is het geld er volgende maand, en het is de "
    "bedoeling dat de zwaarst getroffen ziekenhuizen het eerst aan de beurt zijn. Dat is in een "
    "brief aan de Kamer bevestigd. "
)
_ITALIAN = (
    "Il governo ha annunciato martedì un nuovo piano per gli ospedali pubblici, dopo mesi di "
    "scioperi in diverse regioni del paese. Secondo il ministro della Salute, i fondi arriveranno "
    "il mese prossimo alle strutture più colpite dalla carenza di personale. "
)


def test_english_is_recognised_by_its_function_words_without_langid(monkeypatch: pytest.MonkeyPatch) -> None:
    english = (
        "The fire broke out at the plant shortly after midnight, and it took firefighters more than "
        "four hours to bring it under control, the county sheriff said. Two workers were taken to "
        "hospital with burns. The company, which has run the site since 1998, said that it was "
        "cooperating with investigators and that the cause of the blaze had not been determined."
    )

    def refuse(_text: str) -> tuple[str, float]:
        raise AssertionError("py3langid was asked")

    monkeypatch.setattr(pipeline.py3langid, "classify", refuse)
    assert detect_language(Article(id="x", text=english)) == "en"
    # English quoted in other prose, or a headline-like scrap, is not enough: py3langid decides.
    for text in (
        _FRENCH + " The president said that the plan was a failure.",
        _DUTCH * 2,
        _ITALIAN * 2,
        "Obama wins the election",
    ):
        with pytest.raises(AssertionError, match="py3langid was asked"):
            detect_language(Article(id="x", text=text))


def test_other_languages_hold_too_few_english_markers_to_pass() -> None:
    for text in (_FRENCH, _GERMAN, _SPANISH, _DUTCH, _ITALIAN):
        assert not pipeline._looks_english((text * 3)[:LANGID_CHARS])


#: The token pattern as first written, letter by letter: the specification the faster
#: pattern (runs of letters) must equal, span for span.
_TOKEN_SPEC = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-][^\W\d_])*|\d+(?:[.,]\d+)*")


def test_the_token_pattern_equals_its_letter_by_letter_specification() -> None:
    texts = [
        "O'Brien's mid-May co-op -- a-b-c x-'y 'quoted' it's rock-'n'-roll 3.5,6 1,200.50 ",
        "Ærø’s café-bar, naïve São-Paulo; __init__ x_y 2nd 10th 1990s A.B.C. e-mail--spam - -x x- '",
        "Straße Δelta-Ω ёлка ünïcödé’’s a’’b a--b a-'-b 12-3 x1y ½ ² ",
        *(r["text"] for r in generate(40, seed=11)),
    ]
    for text in texts:
        assert [(m[0], *m.span()) for m in _TOKEN.finditer(text)] == [
            (m[0], *m.span()) for m in _TOKEN_SPEC.finditer(text)
        ]


def test_the_month_day_pattern_equals_its_specification() -> None:
    months = "|".join(sorted(MONTHS, key=len, reverse=True))
    spec = re.compile(r"\b(" + months + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b", re.IGNORECASE)
    texts = [
        "On May 3 and SEPT. 21st, not Mayor 3 or dec.5; Jan  1, jun 30th, Sept 9, nov. 2nd, ſept 4, ſep 1",
        "mid-March 12 marches 3 March12 december 31 Oct. 1st Feb 29th 2024 aug 5th.",
        *(r["text"] for r in generate(40, seed=11)),
    ]
    for text in texts:
        assert [m.span() + m.groups() for m in _DATE_MD.finditer(text)] == [
            m.span() + m.groups() for m in spec.finditer(text)
        ]


# --------------------------------------------------------------------------- batches

_DEL = object()


class Recording(dict[str, Any]):
    """A store that logs its writes in order, as a changelog partition receives them."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[tuple[str, Any]] = []

    def __setitem__(self, key: str, value: Any) -> None:
        self.log.append((key, value))
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.log.append((key, _DEL))
        super().__delitem__(key)


def _outputs(result: Any) -> list[tuple[str, bytes]]:
    import orjson

    return [(o.value["id"], orjson.dumps(o.value, option=orjson.OPT_SORT_KEYS)) for o in result.outputs]


def run_batches(
    stream: list[Enriched], size: int, crash: tuple[int, dict[str, float]] | None = None
) -> tuple[dict[str, set[bytes]], dict[str, dict[str, Any]]]:
    """The correlate agent's batch protocol on dict stores: process a batch (checkpoint after
    each article), commit once.  ``crash = (batch, {table: fraction})``: that batch's commit
    reaches each table's changelog only up to that fraction of its writes, then the process
    dies; a new Correlator recovers from the stores and the batch is redelivered."""
    names = ("articles", "fingerprints", "events")
    stores = {name: Recording() for name in names}
    correlator = Correlator(*(stores[n] for n in names))
    seen: dict[str, set[bytes]] = {}
    for b, start in enumerate(range(0, len(stream), size)):
        batch = stream[start : start + size]
        for item in batch:
            for rid, body in _outputs(correlator.process(item)):
                seen.setdefault(rid, set()).add(body)
            correlator.checkpoint()
        if crash is None or crash[0] != b:
            correlator.commit()
            continue
        before = {n: dict(stores[n]) for n in names}
        marks = {n: len(stores[n].log) for n in names}
        correlator.commit()
        for n in names:  # the crash: only a prefix of each table's writes survived
            writes = stores[n].log[marks[n] :]
            kept = writes[: int(len(writes) * crash[1][n])]
            stores[n] = Recording()
            dict.update(stores[n], before[n])
            for key, value in kept:
                if value is _DEL:
                    dict.pop(stores[n], key, None)
                else:
                    dict.__setitem__(stores[n], key, value)
        correlator = Correlator(*(stores[n] for n in names))  # restart: indexes rebuilt
        for item in batch:  # redelivery of the whole batch
            for rid, body in _outputs(correlator.process(item)):
                seen.setdefault(rid, set()).add(body)
            correlator.checkpoint()
        correlator.commit()
    return seen, {n: dict(stores[n]) for n in names}


def test_a_batch_cut_anywhere_by_a_crash_ends_as_one_clean_run() -> None:
    """Each table keeps any prefix of the batch's writes (three changelogs, each cut at
    its own point): redelivering the batch emits no id the clean run does not, none with
    other content, and the stores end as the clean run leaves them."""
    import random

    stream = enriched_stream(96)  # three expiry points (every 32), copies, shared events
    clean, clean_stores = run_batches(stream, 16)
    assert all(len(bodies) == 1 for bodies in clean.values())
    rng = random.Random(5)
    cuts = [
        {"articles": 0.0, "fingerprints": 0.0, "events": 0.0},
        {"articles": 0.0, "fingerprints": 1.0, "events": 1.0},
        {"articles": 1.0, "fingerprints": 0.0, "events": 0.0},
        {"articles": 0.0, "fingerprints": 0.0, "events": 1.0},
        {"articles": 0.5, "fingerprints": 0.2, "events": 0.9},
        *({n: rng.random() for n in ("articles", "fingerprints", "events")} for _ in range(6)),
    ]
    for batch in (1, 3, 5):
        for cut in cuts:
            seen, stores = run_batches(stream, 16, crash=(batch, cut))
            assert set(seen) == set(clean), (batch, cut, set(seen) ^ set(clean))
            assert all(seen[i] == clean[i] for i in seen), (batch, cut)
            assert stores == clean_stores, (batch, cut)
