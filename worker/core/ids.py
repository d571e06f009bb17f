"""Deterministic ids: a hash of what a record is about, never of when it was made.

The same input yields the same id in ``replay`` and through Kafka, after a restart too,
so downstream consumers can dedupe at-least-once deliveries by id.
"""

from __future__ import annotations

import hashlib

import orjson


def stable_id(prefix: str, *parts: object) -> str:
    """``prefix`` + 20 hex chars of a BLAKE2b digest over the canonical JSON of ``parts``.

    ``orjson.OPT_SORT_KEYS`` makes dict order irrelevant; callers pass lists in a
    deterministic order.
    """
    payload = orjson.dumps(list(parts), option=orjson.OPT_SORT_KEYS)
    return f"{prefix}-{hashlib.blake2b(payload, digest_size=10).hexdigest()}"
