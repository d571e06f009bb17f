"""One settings object, read from the environment, shared by every command.

Every knob has a documented default (see README "Configuration").  Module code never
names a host: it receives a ``Settings``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

MIB = 1024 * 1024


class SettingsError(ValueError):
    """An environment variable holds a value that cannot be used."""


@dataclass(frozen=True, slots=True)
class Settings:
    broker: str = "kafka://127.0.0.1:9092"
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    app_id: str = "crosscheck"
    data_dir: str = ""
    store: str = "memory://"
    topic_articles: str = "articles"
    topic_dlq: str = "articles.dlq"
    topic_updates: str = "updates"
    topic_contradictions: str = "contradictions"
    input_partitions: int = 4
    event_partitions: int = 4
    replication_factor: int = 1
    # Topic configs for the topics crosscheck creates (0: the broker's default).
    # Changelog topics are created by faust, compacted, with the same replication.
    topic_retention_ms: int = 0
    min_insync_replicas: int = 0
    max_article_bytes: int = MIB
    log_level: str = "info"
    log_format: str = "text"
    # Group membership: short timeouts so a restarted worker rejoins in seconds, not 30 s.
    session_timeout_s: float = 10.0
    rebalance_timeout_s: float = 10.0
    heartbeat_interval_s: float = 1.0
    commit_interval_s: float = 1.0
    # How long a fetch may wait at the broker for data. faust hard-codes 1500 ms; the
    # embedded Tansu broker does not answer a waiting fetch when data arrives, so each
    # topic hop then costs up to that long (measured: 1500 -> ~620 ms per hop, 100 ->
    # ~22 ms). Real Kafka answers early either way, so a short wait only costs idle polls.
    fetch_max_wait_ms: int = 50
    # Batches (worker/agents/common.py: batches): each agent takes the messages already
    # there, up to BATCH_MAX, and sends, awaits acks, writes state and drains once per
    # batch. BATCH_MS > 0 also waits up to that long for a batch to fill; 0 (default)
    # never waits for a message that is not there yet.
    batch_max: int = 32
    batch_ms: float = 0.0
    # Broker security (see docs/operations.md): PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = "PLAIN"
    sasl_username: str = ""
    sasl_password: str = ""
    ssl_cafile: str = ""
    ssl_certfile: str = ""
    ssl_keyfile: str = ""

    @property
    def bootstrap(self) -> str:
        """The broker URL as ``host:port[,host:port]`` for plain Kafka clients."""
        return ",".join(part.split("://", 1)[-1] for part in self.broker.split(";"))

    @property
    def topic_enriched(self) -> str:
        """Internal, one partition: the global dedup/event stage reads it in order."""
        return f"{self.app_id}-articles-enriched"

    @property
    def topic_by_event(self) -> str:
        """Internal, keyed by event id: the per-event reconcile stage reads it."""
        return f"{self.app_id}-articles-by-event"

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir) if self.data_dir else Path.cwd() / "data" / self.app_id

    @classmethod
    def isolated(cls, broker: str, data_dir: str, prefix: str = "cc", **overrides: Any) -> Settings:
        """Settings whose app id and topics carry a fresh random tag, so runs never share
        topics (tests, benchmarks). Port, partitions and the rest come from ``overrides``."""
        tag = uuid.uuid4().hex[:10]
        return cls(
            broker=broker,
            app_id=f"{prefix}-{tag}",
            data_dir=f"{data_dir}/data-{tag}",
            topic_articles=f"articles-{tag}",
            topic_dlq=f"articles-{tag}.dlq",
            topic_updates=f"updates-{tag}",
            topic_contradictions=f"contradictions-{tag}",
            **overrides,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            key = f"CROSSCHECK_{f.name.upper()}"
            if key not in env or env[key] == "":
                continue
            raw = env[key]
            default = f.default
            try:
                if isinstance(default, bool):
                    values[f.name] = raw.lower() in {"1", "true", "yes", "on"}
                elif isinstance(default, int):
                    values[f.name] = int(raw)
                elif isinstance(default, float):
                    values[f.name] = float(raw)
                else:
                    values[f.name] = raw
            except ValueError as exc:
                raise SettingsError(f"{key}={raw!r}: expected {type(default).__name__}") from exc
        settings = cls(**values)  # type: ignore[arg-type]
        settings.check()
        return settings

    def check(self) -> None:
        if self.input_partitions < 1 or self.event_partitions < 1:
            raise SettingsError("partition counts must be >= 1")
        if self.batch_max < 1 or self.batch_ms < 0:
            raise SettingsError("CROSSCHECK_BATCH_MAX must be >= 1 and CROSSCHECK_BATCH_MS >= 0")
        if self.max_article_bytes < 1024:
            raise SettingsError("CROSSCHECK_MAX_ARTICLE_BYTES must be at least 1024")
        if self.log_format not in {"text", "json"}:
            raise SettingsError("CROSSCHECK_LOG_FORMAT must be 'text' or 'json'")
        if not self.broker.startswith("kafka://"):
            raise SettingsError(f"CROSSCHECK_BROKER must be a kafka:// URL, got {self.broker!r}")

    def env(self) -> dict[str, str]:
        """These settings as environment variables (for child processes)."""
        return {f"CROSSCHECK_{f.name.upper()}": str(getattr(self, f.name)) for f in fields(self)}
