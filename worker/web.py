"""The worker's HTTP server (faust web, bound to CROSSCHECK_WEB_HOST, 127.0.0.1 by default).

* ``GET /metrics``: Prometheus exposition of this worker's registry.
* ``GET /livez``: the process is up.
* ``GET /readyz``: 200 once table recovery is done, 503 while it runs.
* ``GET /events/{id}``, ``GET /articles/{id}``, ``GET /contradictions?status=open``:
  read-only views of the state tables this worker holds.
"""

from __future__ import annotations

from typing import Any

import faust
from faust.web import Request, Response, View
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from worker.app import Runtime
from worker.core.reconcile import claim_records


def register(runtime: Runtime) -> None:
    app = runtime.app
    tables = runtime.tables

    @app.page("/metrics")
    class MetricsView(View):
        async def get(self, request: Request) -> Response:
            # aiohttp wants the charset apart from the content type
            content_type = CONTENT_TYPE_LATEST.split(";")[0]
            return self.bytes(generate_latest(runtime.metrics.registry), content_type=content_type)

    @app.page("/livez")
    class Live(View):
        async def get(self, request: Request) -> Response:
            return self.json({"status": "ok"})

    @app.page("/readyz")
    class Ready(View):
        async def get(self, request: Request) -> Response:
            recovering = _recovering(app)
            runtime.metrics.recovery_in_progress.set(1 if recovering else 0)
            body = {"status": "recovering" if recovering else "ready"}
            return self.json(body, status=503 if recovering else 200)

    @app.page("/events/{event_id}")
    class EventView(View):
        async def get(self, request: Request, event_id: str) -> Response:
            state = tables.event_claims.get(event_id)
            if state is None:
                return self.json({"error": f"event {event_id!r} is not held by this worker"}, status=404)
            return self.json(event_summary(event_id, state))

    @app.page("/articles/{article_id}")
    class ArticleView(View):
        async def get(self, request: Request, article_id: str) -> Response:
            record = tables.articles.get(article_id)
            if record is None:
                return self.json({"error": f"article {article_id!r} is not held by this worker"}, status=404)
            event_id = record.get("e") or None
            state = tables.event_claims.get(event_id) if event_id else None
            return self.json(article_summary(article_id, record, state))

    @app.page("/contradictions")
    class ContradictionList(View):
        async def get(self, request: Request) -> Response:
            status = request.query.get("status", "open")
            out = []
            for event_id, state in sorted(tables.event_claims.items()):
                for cid, k in sorted(state["contradictions"].items()):
                    if status in ("all", k["status"]):
                        out.append({"id": cid, "event_id": event_id, **k})
            return self.json({"contradictions": out})


def event_summary(event_id: str, state: dict[str, Any]) -> dict[str, Any]:
    """``GET /events/{id}``: articles, slots with their values and sources, open contradictions."""
    slots: dict[str, list[dict[str, Any]]] = {}
    for slot, r in claim_records(state):
        slots.setdefault(slot, []).append(
            {
                "article_id": r["article_id"],
                "source": r["source"],
                "value": r["claim"]["value"],
                "raw": r["claim"]["raw"],
                "occasion": r["claim"].get("occasion") or {"kind": "main"},
            }
        )
    return {
        "event_id": event_id,
        "articles": sorted(state["articles"]),
        "sources": sorted({a["src"] for a in state["articles"].values()}),
        "slots": slots,
        "contradictions": {
            cid: k for cid, k in sorted(state["contradictions"].items()) if k["status"] == "open"
        },
    }


def article_summary(article_id: str, record: dict[str, Any], state: dict[str, Any] | None) -> dict[str, Any]:
    """``GET /articles/{id}``: the article's event, duplicate parent and claims.

    ``record`` is the article's row in the ``articles`` table; ``state`` its event's
    ``event_claims`` value, when this worker holds that partition.
    """
    claims = [r["claim"] for _, r in claim_records(state) if r["article_id"] == article_id] if state else []
    return {
        "article_id": article_id,
        "event_id": record.get("e") or None,
        "duplicate_of": record.get("d"),
        "claims": claims,
    }


def _recovering(app: faust.App) -> bool:
    try:
        recovery = getattr(app.tables, "recovery", None)
        return bool(app.rebalancing) or bool(getattr(recovery, "in_recovery", False))
    except AttributeError:
        return False
