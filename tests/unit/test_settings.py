from __future__ import annotations

import pytest

from worker.settings import Settings, SettingsError


def test_defaults_match_the_documented_ones() -> None:
    s = Settings.from_env({})
    assert s.broker == "kafka://127.0.0.1:9092"
    assert s.web_host == "127.0.0.1" and s.web_port == 6066
    assert (s.topic_articles, s.topic_dlq, s.topic_updates, s.topic_contradictions) == (
        "articles",
        "articles.dlq",
        "updates",
        "contradictions",
    )
    assert s.input_partitions == 4 and s.event_partitions == 4
    assert s.max_article_bytes == 1024 * 1024


def test_environment_overrides_and_round_trips() -> None:
    env = {"CROSSCHECK_WEB_PORT": "7000", "CROSSCHECK_APP_ID": "x", "CROSSCHECK_EVENT_PARTITIONS": "8"}
    s = Settings.from_env(env)
    assert (s.web_port, s.app_id, s.event_partitions) == (7000, "x", 8)
    assert s.topic_enriched == "x-articles-enriched"
    assert Settings.from_env(s.env()) == s


@pytest.mark.parametrize(
    "env",
    [
        {"CROSSCHECK_WEB_PORT": "eighty"},
        {"CROSSCHECK_INPUT_PARTITIONS": "0"},
        {"CROSSCHECK_BROKER": "127.0.0.1:9092"},
        {"CROSSCHECK_LOG_FORMAT": "xml"},
    ],
)
def test_bad_values_are_clear_errors(env: dict[str, str]) -> None:
    with pytest.raises(SettingsError):
        Settings.from_env(env)


def test_bootstrap_strips_scheme() -> None:
    assert Settings(broker="kafka://h1:1;kafka://h2:2").bootstrap == "h1:1,h2:2"


def test_topic_configs_follow_the_settings() -> None:
    from worker.topics import MAX_MESSAGE_BYTES, topic_configs

    assert topic_configs(Settings()) == {"max.message.bytes": str(MAX_MESSAGE_BYTES)}
    tuned = Settings.from_env(
        {"CROSSCHECK_TOPIC_RETENTION_MS": "604800000", "CROSSCHECK_MIN_INSYNC_REPLICAS": "2"}
    )
    assert topic_configs(tuned)["retention.ms"] == "604800000"
    assert topic_configs(tuned)["min.insync.replicas"] == "2"
