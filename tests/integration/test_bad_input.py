"""Hostile input against the real worker: it never exits, every bad message lands in
the DLQ with the right ``error_type`` and ``source_offset``, the invalid-input metric
counts it, and every valid article around it is still processed.

Two tests:

* ``test_catalogue_of_bad_input``: 50 named kinds of bad (or odd-but-tolerated)
  messages, each followed by a valid generated article, on one input partition so
  each message's offset is its position;
* ``test_random_messages``: a few hundred seeded random messages (random bytes,
  random JSON, mutated articles, valid articles): DLQ count + processed count == sent.
"""

from __future__ import annotations

import json
import pickle
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
import pytest

from tests.integration.conftest import WorkerProcess, produce_raw, read_topic, run, values
from worker.core.validate import REASONS, InvalidArticle, decode_article
from worker.settings import Settings
from worker.synth import generate

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

DLQ_MAX = 64 * 1024
OK = "ok"  # tolerated: processed like any valid article


@dataclass(frozen=True)
class Kind:
    name: str
    key: bytes | None
    value: bytes | None
    expect: str  # an error_type from REASONS, or OK
    article_id: str | None = None  # for OK kinds: the id it must be processed under


def _article(aid: str, text: str = "", **extra: Any) -> dict[str, Any]:
    text = text or (
        f"Officials in Port Velden said on Tuesday that {len(aid)} people were hurt when a "
        f"warehouse roof collapsed during a storm. Case {aid} was opened by the police."
    )
    return {"id": aid, "title": f"Report {aid}", "text": text, **extra}


def _j(obj: Any) -> bytes:
    return orjson.dumps(obj)


def catalogue() -> list[Kind]:
    base = _article("base")
    base_json = _j(base)
    big_text = "Storm damage reported across the region. " * (5 * 1024 * 1024 // 40 + 1)  # > 5 MiB
    deep = b"[" * 10_000 + b"]" * 10_000
    rng = random.Random(1234)
    blob = bytes(rng.randrange(256) for _ in range(4096))
    blob = b"\xff" + blob  # certainly not UTF-8
    kinds = [
        Kind("empty value", b"k-empty", b"", "empty"),
        Kind("tombstone", b"k-tomb", None, "tombstone"),
        Kind("whitespace-only value", b"k-ws", b" \r\n\t ", "empty"),
        Kind("truncated JSON", b"k-trunc", base_json[: len(base_json) // 2], "invalid_json"),
        Kind(
            "non-UTF-8 bytes", b"k-latin1", '{"id": "x", "text": "café crème"}'.encode("latin-1"), "not_utf8"
        ),
        Kind("UTF-16 JSON", b"k-utf16", json.dumps(base).encode("utf-16"), "not_utf8"),
        Kind("overlong UTF-8", b"k-overlong", b'{"id": "x", "text": "a\xc0\xafb"}', "not_utf8"),
        Kind("encoded surrogate", b"k-surr", b'{"id": "x", "text": "\xed\xa0\x80"}', "not_utf8"),
        Kind("lone surrogate escape", b"k-esc", b'{"id": "x", "text": "a \\ud800 b"}', "invalid_json"),
        Kind("JSON NaN", b"k-nan", b'{"id": "x", "text": "t", "score": NaN}', "invalid_json"),
        Kind("JSON Infinity", b"k-inf", b'{"id": "x", "text": "t", "score": Infinity}', "invalid_json"),
        Kind("JSON -Infinity", b"k-ninf", b'{"id": "x", "text": "t", "score": -Infinity}', "invalid_json"),
        Kind("1e999 overflow", b"k-exp", b'{"id": "x", "text": "t", "score": 1e999}', "invalid_json"),
        Kind("10k-deep nesting", b"k-deep", deep, "invalid_json"),
        Kind(
            "10k-deep nesting inside an article",
            b"k-deep2",
            base_json[:-1] + b', "extra": ' + deep + b"}",
            "invalid_json",
        ),
        Kind(
            "5,000-digit integer",
            b"k-bigint",
            b'{"id": "x", "text": "t", "n": ' + b"7" * 5000 + b"}",
            "invalid_json",
        ),
        Kind("trailing garbage", b"k-trail", base_json + b" and more", "invalid_json"),
        Kind("two concatenated objects", b"k-two", base_json + base_json, "invalid_json"),
        Kind(
            "schema-registry framing", b"k-sr", b"\x00" + (42).to_bytes(4, "big") + base_json, "invalid_json"
        ),
        Kind("BOM then not JSON", b"k-bomjunk", b"\xef\xbb\xbfhello", "invalid_json"),
        Kind("array instead of object", b"k-array", _j([base]), "not_object"),
        Kind("JSON string", b"k-str", b'"an article"', "not_object"),
        Kind("JSON number", b"k-num", b"42", "not_object"),
        Kind("JSON null", b"k-null", b"null", "not_object"),
        Kind("missing id", b"k-noid", _j({"title": "t", "text": "Some text here."}), "schema"),
        Kind("missing text", b"k-notext", _j({"id": "x", "title": "t"}), "schema"),
        Kind("id is an int", b"k-idint", _j({"id": 7, "text": "Some text here."}), "schema"),
        Kind("id is empty", b"k-idempty", _j({"id": "", "text": "Some text here."}), "schema"),
        Kind("id is 600 chars", b"k-idlong", _j({"id": "i" * 600, "text": "Some text here."}), "schema"),
        Kind("text is a list", b"k-textlist", _j({"id": "x", "text": ["a", "b"]}), "schema"),
        Kind("text is null", b"k-textnull", _j({"id": "x", "text": None}), "schema"),
        Kind("title is a number", b"k-title", _j({**_article("x"), "title": 3.5}), "schema"),
        Kind(
            "published_at not a date", b"k-date", _j({**_article("x"), "published_at": "yesterday"}), "schema"
        ),
        Kind(
            "published_at impossible date",
            b"k-date2",
            _j({**_article("x"), "published_at": "2024-19-39T29:59:59Z"}),
            "schema",
        ),
        Kind("language malformed", b"k-lang", _j({**_article("x"), "language": "english!"}), "schema"),
        Kind("url 5,000 chars", b"k-url", _j({**_article("x"), "url": "http://" + "u" * 5000}), "schema"),
        Kind("empty text", b"k-emptytext", _j({"id": "x", "text": ""}), "schema"),
        Kind("whitespace-only text", b"k-wstext", _j({"id": "x", "text": " \n\t\u00a0 \r\n"}), "empty_text"),
        Kind(
            "markup-only text",
            b"k-markup",
            _j({"id": "x", "text": "<p> <br/> </p> &nbsp; <div></div>"}),
            "empty_text",
        ),
        Kind(
            "control-characters-only text",
            b"k-ctlonly",
            _j({"id": "x", "text": "\x00\x01\x07\x1b\x7f"}),
            "empty_text",
        ),
        Kind("5 MB article", b"k-huge", _j(_article("huge", big_text)), "too_large"),
        Kind("binary blob", b"k-blob", blob, "not_utf8"),
        Kind("gzip bytes", b"k-gzip", b"\x1f\x8b\x08\x00" + blob[:64], "not_utf8"),
        # a pickle is data, never code: there is no pickle codec, so it is just bytes that are not UTF-8
        Kind("Python pickle", b"k-pickle", pickle.dumps(_article("pickled"), protocol=4), "not_utf8"),
        # tolerated: processed as articles
        Kind(
            "duplicate keys",
            b"k-dupkeys",
            b'{"id": "bad-dupkeys-first", '
            + base_json[1:-1].replace(b'"id":"base"', b'"id":"bad-dupkeys"')
            + b', "id": "bad-dupkeys"}',
            OK,
            "bad-dupkeys",
        ),
        Kind("UTF-8 BOM", b"k-bom", b"\xef\xbb\xbf" + _j(_article("bad-bom")), OK, "bad-bom"),
        Kind(
            "unknown extra fields",
            b"k-extra",
            _j(
                {**_article("bad-extra"), "extra": {"nested": [1, 2, {"x": None}]}, "votes": 3, "tags": ["a"]}
            ),
            OK,
            "bad-extra",
        ),
        Kind(
            "control characters in text",
            b"k-ctl",
            _j(
                _article(
                    "bad-ctl", "Fire\x07 kills\x1b five people in Port Velden\x00 on Monday, police said."
                )
            ),
            OK,
            "bad-ctl",
        ),
        Kind("no key", None, _j(_article("bad-nokey")), OK, "bad-nokey"),
        Kind(
            "markup around real text",
            b"k-markup-ok",
            _j(
                _article("bad-markup-ok", "<p>The <b>bridge</b> in Port Velden reopened on Friday.</p>&nbsp;")
            ),
            OK,
            "bad-markup-ok",
        ),
        Kind(
            "non-English article",
            b"k-de",
            _j(
                _article(
                    "bad-de", "Die Brücke in Port Velden wurde am Freitag nach drei Monaten wieder eröffnet."
                )
            ),
            OK,
            "bad-de",
        ),
    ]
    return kinds


METRIC = re.compile(r'^crosscheck_articles_invalid_total\{reason="([a-z0-9_]+)"\} ([0-9.e+]+)$', re.M)


def invalid_counts(metrics_text: str) -> dict[str, float]:
    return {reason: float(v) for reason, v in METRIC.findall(metrics_text)}


async def collect(
    settings: Settings, topic: str, until: Callable[[list[Any]], bool], timeout: float
) -> list[Any]:
    """All records of ``topic`` once ``until`` holds and a second passed quietly, or at the
    timeout (then the caller's assertions say what is missing, instead of a bare timeout)."""
    return await read_topic(settings, topic, until, timeout=timeout, quiet=1.0, strict=False)


def processed_ids(records: list[Any]) -> set[str]:
    return {v["article_id"] for v in values(records) if v.get("type") in ("article_assigned", "duplicate")}


def test_catalogue_of_bad_input(
    make_settings: Callable[..., Settings],
    start_worker: Callable[..., WorkerProcess],
    record_property: Callable[[str, object], None],
) -> None:
    kinds = catalogue()
    # The catalogue is the contract of validate.py: check it offline first, so a
    # mismatch points at the catalogue (or the validator) rather than at Kafka.
    for kind in kinds:
        try:
            art = decode_article(kind.value, 1024 * 1024)
            got, got_id = OK, art.id
        except InvalidArticle as exc:
            got, got_id = exc.reason, None
        assert got == kind.expect, f"{kind.name}: decode_article says {got}, catalogue says {kind.expect}"
        if kind.expect == OK:
            assert got_id == kind.article_id, kind.name
    n_bad = sum(k.expect != OK for k in kinds)
    assert n_bad >= 30
    # every reason decode_article can give ("processing_error" is the agent's, for a core failure)
    decode_reasons = set(REASONS) - {"processing_error"}
    assert {k.expect for k in kinds} - {OK} == decode_reasons, "every rejection reason is exercised"

    valid = generate(len(kinds), seed=11)
    messages: list[tuple[bytes | None, bytes | None]] = []
    expected_dlq: dict[int, Kind] = {}  # input offset -> kind
    expected_ids: set[str] = set()
    for kind, good in zip(kinds, valid, strict=True):
        if kind.expect == OK:
            assert kind.article_id is not None
            expected_ids.add(kind.article_id)
        else:
            expected_dlq[len(messages)] = kind
        messages.append((kind.key, kind.value))
        messages.append((good["id"].encode(), orjson.dumps(good)))
        expected_ids.add(good["id"])

    settings = make_settings()
    worker = start_worker(settings)  # default CROSSCHECK_MAX_ARTICLE_BYTES: 1 MiB
    assert settings.max_article_bytes == 1024 * 1024
    run(produce_raw(settings, messages))

    dlq = run(collect(settings, settings.topic_dlq, lambda r: len(r) >= len(expected_dlq), timeout=120))
    updates = run(
        collect(settings, settings.topic_updates, lambda r: processed_ids(r) >= expected_ids, timeout=120)
    )
    assert worker.alive(), worker.tail()

    # Every bad message exactly once in the DLQ, with the right headers and bytes.
    by_offset: dict[int, Any] = {}
    for rec in dlq:
        headers = {k: v.decode() for k, v in rec.headers}
        offset = int(headers["source_offset"])
        assert offset not in by_offset, f"offset {offset} dead-lettered twice"
        by_offset[offset] = (rec, headers)
    assert set(by_offset) == set(expected_dlq), (
        f"missing {sorted(set(expected_dlq) - set(by_offset))}, "
        f"extra {sorted(set(by_offset) - set(expected_dlq))}"
    )
    for offset, kind in expected_dlq.items():
        rec, headers = by_offset[offset]
        raw = kind.value or b""
        assert headers["error_type"] == kind.expect, f"{kind.name}: {headers}"
        assert headers["source_topic"] == settings.topic_articles
        assert headers["source_partition"] == "0"
        assert headers["original_size"] == str(len(raw)), kind.name
        assert headers["error_message"], kind.name
        assert (rec.value or b"") == raw[:DLQ_MAX], kind.name
        assert rec.key == kind.key, kind.name
    huge = next(k for k in kinds if k.expect == "too_large")
    huge_rec, huge_headers = by_offset[next(o for o, k in expected_dlq.items() if k is huge)]
    assert len(huge_rec.value) == DLQ_MAX
    assert int(huge_headers["original_size"]) > 5 * 1024 * 1024

    # Every valid and every tolerated article was processed.
    got = processed_ids(updates)
    assert expected_ids <= got, f"not processed: {sorted(expected_ids - got)}\n{worker.tail(80)}"

    # The metric counts each rejection under its reason.
    want = Counter(k.expect for k in expected_dlq.values())
    counts = invalid_counts(worker.metrics())
    for reason in REASONS:
        assert counts.get(reason, 0.0) == float(want.get(reason, 0)), (reason, counts)
    assert worker.alive(), worker.tail()

    summary = (
        f"bad input: {len(kinds)} kinds ({n_bad} rejected, {len(kinds) - n_bad} tolerated), "
        f"{len(messages)} messages, DLQ {len(dlq)}, processed {len(got)}, "
        f"by reason {dict(sorted(want.items()))}"
    )
    print("\n" + summary)
    record_property("bad_input_kinds", len(kinds))
    record_property("bad_input_summary", summary)


# --------------------------------------------------------------------------- random messages

RANDOM_MESSAGES = 300


def _random_json(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.randrange(8 if depth < 4 else 5)
    if pick == 0:
        return None
    if pick == 1:
        return rng.random() < 0.5
    if pick == 2:
        return rng.choice([0, -1, 2**63, 2**70, rng.randrange(-(10**9), 10**9)])
    if pick == 3:
        return rng.choice([0.5, 1e308, float("nan"), float("inf"), -0.0])
    if pick == 4:
        return "".join(
            chr(rng.choice([rng.randrange(32, 127), rng.randrange(0, 0x2FFF)]))
            for _ in range(rng.randrange(12))
        )
    if pick in (5, 6):
        return {
            rng.choice(
                ["id", "text", "title", "url", "source", "published_at", "language", "x"]
            ): _random_json(rng, depth + 1)
            for _ in range(rng.randrange(5))
        }
    return [_random_json(rng, depth + 1) for _ in range(rng.randrange(4))]


def random_messages(seed: int, n: int) -> list[tuple[bytes | None, bytes | None]]:
    """Seeded random messages: bytes, JSON values, mutated and valid articles (valid ids unique)."""
    rng = random.Random(seed)
    pool = generate(n, seed=seed)
    out: list[tuple[bytes | None, bytes | None]] = []
    seen_ids: set[str] = set()
    i = 0
    while len(out) < n:
        i += 1
        kind = rng.randrange(5)
        value: bytes | None
        if kind == 0:
            value = bytes(rng.randrange(256) for _ in range(rng.randrange(300)))
        elif kind == 1:
            value = json.dumps(_random_json(rng), allow_nan=True).encode("utf-8", "surrogatepass")
        elif kind == 2:
            raw = bytearray(orjson.dumps(pool[i % len(pool)]))
            for _ in range(rng.randrange(1, 4)):
                at = rng.randrange(len(raw))
                raw[at] = rng.randrange(256)
            value = bytes(raw)
        elif kind == 3:
            value = rng.choice([None, b"", b"{}", b"[]", b"\xef\xbb\xbf{}", b"\x00" * 8])
        else:
            record = dict(pool[i % len(pool)])
            record["id"] = f"rnd-{seed}-{i}"
            value = orjson.dumps(record)
        try:
            aid: str | None = decode_article(value, 1024 * 1024).id
        except InvalidArticle:
            aid = None
        if aid is not None:
            if aid in seen_ids:
                continue  # the same id twice would be a revision or a no-op, not a new article
            seen_ids.add(aid)
        key = aid.encode() if aid and rng.random() < 0.8 else b"k%d" % i
        if value is not None and rng.random() < 0.3:
            key = None  # a message without a key is fine as long as it has a value
        out.append((key, value))
    return out


def test_random_messages(
    make_settings: Callable[..., Settings],
    start_worker: Callable[..., WorkerProcess],
    record_property: Callable[[str, object], None],
) -> None:
    messages = random_messages(seed=20251123, n=RANDOM_MESSAGES)
    valid_ids: set[str] = set()
    n_bad = 0
    for _key, value in messages:
        try:
            valid_ids.add(decode_article(value, 1024 * 1024).id)
        except InvalidArticle:
            n_bad += 1
    assert n_bad >= RANDOM_MESSAGES // 3 and len(valid_ids) >= RANDOM_MESSAGES // 5, (n_bad, len(valid_ids))

    settings = make_settings()
    worker = start_worker(settings)
    run(produce_raw(settings, messages))
    dlq = run(collect(settings, settings.topic_dlq, lambda r: len(r) >= n_bad, timeout=120))
    updates = run(
        collect(settings, settings.topic_updates, lambda r: processed_ids(r) >= valid_ids, timeout=120)
    )
    assert worker.alive(), worker.tail()
    processed = processed_ids(updates)
    offsets = [int(dict(r.headers)["source_offset"].decode()) for r in dlq]
    assert len(offsets) == len(set(offsets)), "an input was dead-lettered twice"
    print(
        f"\nrandom messages: sent {len(messages)}, DLQ {len(dlq)}, processed {len(processed)} "
        f"(predicted {n_bad} bad, {len(valid_ids)} valid)"
    )
    record_property("random_messages", f"sent={len(messages)} dlq={len(dlq)} processed={len(processed)}")
    assert processed == valid_ids, f"not processed: {sorted(valid_ids - processed)[:10]}\n{worker.tail(80)}"
    assert len(dlq) + len(processed) == len(messages)
    assert sum(invalid_counts(worker.metrics()).values()) == len(dlq)
