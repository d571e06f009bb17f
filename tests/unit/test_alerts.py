"""The Prometheus config and alert rules: valid for promtool, about the right metrics, and firing
when (and only when) they should, by ``promtool test rules`` on synthetic series.

promtool comes with Debian's ``prometheus`` package (``make system-deps``); without it the
promtool tests skip with a message and only the static checks run.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.unit.test_dashboard import (
    SCRAPE_SERIES,
    exposed_series,
    metric_names_in,
    offline_exposition,
    reference_problems,
)

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = ROOT / "deploy" / "prometheus"
ALERTS = PROMETHEUS_DIR / "alerts.yml"
CONFIG = PROMETHEUS_DIR / "prometheus.yml"
JOB = "crosscheck"
INSTANCE = "worker:6066"


def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.skip("promtool not installed (Debian package 'prometheus'; run `make system-deps`)")
    return path


def run_promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([promtool(), *args], capture_output=True, text=True, timeout=60, check=False)


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def alert_rules() -> dict[str, dict[str, Any]]:
    rules = [rule for group in load_yaml(ALERTS)["groups"] for rule in group["rules"]]
    alerts = {rule["alert"]: rule for rule in rules if "alert" in rule}
    assert len(alerts) == len([r for r in rules if "alert" in r]), "duplicate alert names"
    return alerts


def local_config(tmp_path: Path) -> Path:
    """prometheus.yml with its rule_files (container paths) pointed at the repo's files."""
    config = load_yaml(CONFIG)
    local = []
    for rule_file in config.get("rule_files", []):
        path = PROMETHEUS_DIR / Path(rule_file).name
        assert path.exists(), f"rule file {rule_file} has no counterpart in {PROMETHEUS_DIR}"
        local.append(str(path))
    config["rule_files"] = local
    out = tmp_path / "prometheus.yml"
    out.write_text(yaml.safe_dump(config, sort_keys=False))
    return out


# ------------------------------------------------------------------------- static


def test_the_required_alerts_exist_and_watch_the_right_metrics() -> None:
    alerts = alert_rules()
    required = {
        "CrosscheckWorkerDown": {"up"},
        "CrosscheckConsumerLagGrowing": {"crosscheck_consumer_lag"},
        "CrosscheckDeadLetterRateHigh": {"crosscheck_articles_invalid_total"},
        "CrosscheckNoArticlesProcessed": {"crosscheck_last_processed_timestamp_seconds"},
    }
    for name, metrics in required.items():
        assert name in alerts, f"missing alert {name}; have {sorted(alerts)}"
        assert metrics <= metric_names_in(alerts[name]["expr"]), (name, alerts[name]["expr"])
    assert f'up{{job="{JOB}"}}' in alerts["CrosscheckWorkerDown"]["expr"].replace(" ", "")
    assert "deriv(" in alerts["CrosscheckConsumerLagGrowing"]["expr"]
    assert "rate(crosscheck_articles_invalid_total[" in alerts["CrosscheckDeadLetterRateHigh"]["expr"]


def test_every_alert_is_actionable() -> None:
    for name, rule in alert_rules().items():
        assert rule.get("for"), f"{name}: no 'for', it would fire on a single evaluation"
        assert rule.get("labels", {}).get("severity") in {"page", "warn"}, name
        assert rule.get("annotations", {}).get("summary"), name


def test_alert_expressions_name_only_exposed_metrics() -> None:
    exprs = [(f"alert {name}", rule["expr"], "") for name, rule in alert_rules().items()]
    problems = reference_problems(exprs, exposed_series(offline_exposition()))
    assert not problems, "\n".join(problems)
    assert "up" in SCRAPE_SERIES


def test_the_job_the_alerts_name_is_the_job_prometheus_scrapes() -> None:
    jobs = [job["job_name"] for job in load_yaml(CONFIG)["scrape_configs"]]
    assert JOB in jobs


# ------------------------------------------------------------------------ promtool


def test_promtool_check_rules() -> None:
    result = run_promtool("check", "rules", str(ALERTS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(alert_rules())} rules found" in result.stdout


def test_promtool_check_config(tmp_path: Path) -> None:
    result = run_promtool("check", "config", str(local_config(tmp_path)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def _series(name: str, values: str, **labels: str) -> dict[str, str]:
    all_labels = {"job": JOB, "instance": INSTANCE, **labels}
    selector = ", ".join(f'{k}="{v}"' for k, v in all_labels.items())
    return {"series": f"{name}{{{selector}}}", "values": values}


def _firing(alert: str, **labels: str) -> dict[str, Any]:
    rule = alert_rules()[alert]
    summary = rule["annotations"]["summary"].replace("{{ $labels.instance }}", INSTANCE)
    return {
        "exp_labels": {**rule["labels"], **labels},
        "exp_annotations": {**rule["annotations"], "summary": summary},
    }


def _case(alert: str, at: str, firing: list[dict[str, Any]]) -> dict[str, Any]:
    return {"eval_time": at, "alertname": alert, "exp_alerts": firing}


def _rule_tests() -> dict[str, Any]:
    """Synthetic series, one sample a minute (promtool's clock starts at time() == 0)."""
    healthy = [
        _series("up", "1x60"),
        _series("crosscheck_consumer_lag", "5x60", topic="articles", partition="0"),
        _series("crosscheck_articles_received_total", "0+100x60"),
        _series("crosscheck_articles_invalid_total", "0+1x60", reason="invalid_json"),  # 1 %
        _series("crosscheck_last_processed_timestamp_seconds", "0+60x60"),  # processing every minute
    ]
    troubled = [
        _series("up", "1 1 0x58"),  # down from minute 2
        _series("crosscheck_consumer_lag", "0+200x60", topic="articles", partition="0"),  # +200/min
        _series("crosscheck_articles_received_total", "0+100x60"),
        _series("crosscheck_articles_invalid_total", "0+10x60", reason="invalid_json"),  # 10 %
        _series("crosscheck_last_processed_timestamp_seconds", "0x60"),  # nothing after t=0
    ]
    names = sorted(alert_rules())
    return {
        "rule_files": [str(ALERTS)],
        "evaluation_interval": "1m",
        "tests": [
            {
                "name": "healthy: nothing fires",
                "interval": "1m",
                "input_series": healthy,
                "alert_rule_test": [_case(name, at, []) for name in names for at in ("10m", "30m", "55m")],
            },
            {
                "name": "troubled: each alert fires after its 'for', not before",
                "interval": "1m",
                "input_series": troubled,
                "alert_rule_test": [
                    _case("CrosscheckWorkerDown", "2m", []),
                    _case(
                        "CrosscheckWorkerDown",
                        "5m",
                        [_firing("CrosscheckWorkerDown", job=JOB, instance=INSTANCE)],
                    ),
                    # lag passes 1000 at minute 6, then must keep growing for 10 minutes
                    _case("CrosscheckConsumerLagGrowing", "10m", []),
                    _case("CrosscheckConsumerLagGrowing", "30m", [_firing("CrosscheckConsumerLagGrowing")]),
                    _case("CrosscheckDeadLetterRateHigh", "5m", []),
                    _case("CrosscheckDeadLetterRateHigh", "30m", [_firing("CrosscheckDeadLetterRateHigh")]),
                    # nothing processed since t=0: above 900 s from minute 15, then 'for: 5m'
                    _case("CrosscheckNoArticlesProcessed", "14m", []),
                    _case("CrosscheckNoArticlesProcessed", "30m", [_firing("CrosscheckNoArticlesProcessed")]),
                ],
            },
        ],
    }


def test_alerts_fire_when_and_only_when_they_should(tmp_path: Path) -> None:
    tests = tmp_path / "alerts_test.yml"
    tests.write_text(yaml.safe_dump(_rule_tests(), sort_keys=False))
    result = run_promtool("test", "rules", str(tests))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_promtool_rule_tests_can_fail(tmp_path: Path) -> None:
    """The harness above is not vacuous: expecting a firing alert on healthy input fails."""
    spec = _rule_tests()
    spec["tests"] = spec["tests"][:1]
    spec["tests"][0]["alert_rule_test"] = [
        _case("CrosscheckWorkerDown", "30m", [_firing("CrosscheckWorkerDown", job=JOB, instance=INSTANCE)])
    ]
    tests = tmp_path / "alerts_test.yml"
    tests.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = run_promtool("test", "rules", str(tests))
    assert result.returncode != 0, result.stdout
    assert "CrosscheckWorkerDown" in result.stdout + result.stderr


def test_operations_doc_lists_every_alert_with_its_expression() -> None:
    doc = (ROOT / "docs" / "operations.md").read_text()
    for name, rule in alert_rules().items():
        assert f"`{name}`" in doc, f"{name} is not in docs/operations.md"
        assert f"`{rule['expr']}`" in doc, f"{name}: the documented expression differs from {rule['expr']!r}"
