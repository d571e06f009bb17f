"""The global stage under at-least-once delivery: redelivery and half-applied commits."""

from __future__ import annotations

from typing import Any

from worker.core.model import Article
from worker.core.pipeline import LANGID_CHARS, Correlator, Enriched, detect_language, ingest
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
