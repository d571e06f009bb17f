"""Reconcile articles as one event, as if grouping had joined them (shared by the claim
and identity tests)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from worker.core.claims import analyse
from worker.core.events import EventConfig, EventIndex
from worker.core.model import Article
from worker.core.pipeline import ingest
from worker.core.reconcile import Output, Routed, reconcile


def contradictions(articles: Iterable[Article], identity: bool = False) -> list[dict[str, Any]]:
    """The contradiction records of reconciling ``articles`` in order as event "ev".

    With ``identity`` each article also carries its signature (``Routed.signature``), as
    the pipeline routes it, so reports whose identities conflict are not compared."""
    return [o.value for o in outputs(articles, identity) if o.topic == "contradictions"]


def outputs(articles: Iterable[Article], identity: bool = False) -> list[Output]:
    """Every record (contradictions and updates) of reconciling ``articles`` in order as
    event "ev", as :func:`contradictions` reconciles them."""
    index = EventIndex({}, EventConfig())
    state: dict[str, Any] | None = None
    out: list[Output] = []
    for a in articles:
        found, ref = analyse(a)
        msg = Routed(
            op="article",
            event_id="ev",
            article_id=a.id,
            source=a.source or a.id,
            published_at=a.published_at,
            content_hash=a.id,
            claims=tuple(found),
            reference=ref.to_json() if ref else None,
            signature=index.identity_of(ingest(a).features) if identity else None,
        )
        state, more = reconcile(state, msg)
        out += more
    return out
