"""Decode and validate one input message, or say exactly why it is rejected.

Rejected messages go to the dead-letter topic with ``error_type`` (a bounded label,
also the ``reason`` of ``crosscheck_articles_invalid_total``) and ``error_message``.

Order of checks, cheapest first, so hostile input is refused before it costs much:

1. size, before any parsing (``CROSSCHECK_MAX_ARTICLE_BYTES``);
2. null (tombstone) and empty values;
3. UTF-8 (a leading BOM is tolerated and dropped);
4. JSON via orjson, which rejects ``NaN``/``Infinity``, integers beyond 64 bits and
   nesting deeper than 1024 (so a 10k-deep document fails fast, without recursion
   in Python);
5. the published schema ``schemas/article.schema.json``;
6. semantic checks: text that is empty once markup and whitespace are removed.

Tolerated (documented in docs/architecture.md): a UTF-8 BOM; unknown extra fields
(ignored); duplicate keys (JSON leaves them undefined; orjson keeps the last one).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
import orjson

from worker.core.model import Article

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"

#: Every ``error_type`` this module can produce: metric label values are initialised from it.
REASONS: tuple[str, ...] = (
    "too_large",
    "tombstone",
    "empty",
    "not_utf8",
    "invalid_json",
    "not_object",
    "schema",
    "empty_text",
    "processing_error",
)

_MARKUP = re.compile(r"<[^<>]{0,2000}>|&[#a-zA-Z0-9]{1,10};")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InvalidArticle(ValueError):
    """The message cannot be processed. ``reason`` is one of ``REASONS``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Decoded:
    article: Article
    size: int


@lru_cache(maxsize=8)
def schema_validator(name: str) -> Callable[[Any], Any]:
    """A compiled validator for ``schemas/<name>.schema.json``."""
    schema = orjson.loads((SCHEMA_DIR / f"{name}.schema.json").read_bytes())
    return fastjsonschema.compile(schema)


def decode_article(raw: bytes | None, max_bytes: int) -> Article:
    """Parse and validate one message value, or raise ``InvalidArticle``."""
    if raw is None:
        raise InvalidArticle("tombstone", "null value (tombstone); an article must be a JSON object")
    if len(raw) > max_bytes:
        raise InvalidArticle("too_large", f"value is {len(raw)} bytes, over the limit of {max_bytes}")
    if not raw.strip():
        raise InvalidArticle("empty", "empty value")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidArticle("not_utf8", f"value is not UTF-8: {exc.reason} at byte {exc.start}") from None
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise InvalidArticle("invalid_json", f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidArticle("not_object", f"expected a JSON object, got {type(data).__name__}")
    try:
        schema_validator("article")(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise InvalidArticle("schema", f"schema: {exc.message}") from None
    body = _CONTROL.sub(" ", _MARKUP.sub(" ", data["text"]))
    if not body.strip():
        raise InvalidArticle("empty_text", "text is empty once markup and whitespace are removed")
    if _CONTROL.search(data["text"]):
        data = {**data, "text": _CONTROL.sub(" ", data["text"])}
    return Article.from_json(data)


def article_from_file(path: Path) -> dict[str, Any]:
    """An input record from a ``.txt`` (id = stem, title = first meaningful line) or ``.json`` file."""
    if path.suffix == ".json":
        data = orjson.loads(path.read_bytes())
        if isinstance(data, dict):
            data.setdefault("id", path.stem)
        return data
    text = path.read_text(encoding="utf-8", errors="replace")
    return {"id": path.stem, "title": first_meaningful_line(text), "text": text}


_NOT_A_TITLE = re.compile(r"^\s*(?:top of page|<\s*back|back|menu|home|skip to content)\s*$", re.IGNORECASE)


def first_meaningful_line(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip()
        if len(stripped) >= 12 and not _NOT_A_TITLE.match(stripped):
            return stripped[:300]
    return ""
