"""The Grafana provisioning and dashboard agree with each other and with the worker's metrics.

No Grafana runs here, so the dashboard is checked statically: valid JSON, every panel
queries the provisioned Prometheus datasource, and every metric (and label) a PromQL
expression names exists in the worker's exposition, built offline from
``worker.metrics.create_metrics``.  ``tests/integration/test_observability.py`` repeats the
check against a live ``/metrics`` scrape and runs every expression on a real Prometheus.

The helpers here (``metric_names_in``, ``exposed_series``, ...) are imported by the
integration test and by ``test_alerts.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from worker.metrics import create_metrics

ROOT = Path(__file__).resolve().parents[2]
GRAFANA = ROOT / "deploy" / "grafana"
DASHBOARD = GRAFANA / "dashboards" / "crosscheck.json"
DATASOURCES = GRAFANA / "provisioning" / "datasources" / "prometheus.yml"
PROVIDERS = GRAFANA / "provisioning" / "dashboards" / "crosscheck.yml"

#: Series Prometheus itself attaches to every scrape (not in the worker's exposition).
SCRAPE_SERIES = frozenset({"up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_series_added"})
#: Labels Prometheus adds to every scraped series.
TARGET_LABELS = frozenset({"job", "instance"})

# --------------------------------------------------------------------------- PromQL

# Keywords followed by a parenthesised list of label names.
_LABEL_LIST_KEYWORDS = frozenset({"by", "without", "on", "ignoring", "group_left", "group_right"})
_KEYWORDS = _LABEL_LIST_KEYWORDS | {"and", "or", "unless", "bool", "offset", "atan2"}
_NUMBER_WORDS = frozenset({"inf", "nan"})
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_GRAFANA_VAR = re.compile(r"\$\{[^}]*\}|\$\w+")
_TOKEN = re.compile(
    r"0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[A-Za-z_:][A-Za-z0-9_:]*|[(){}\[\],]|\S"
)
_MATCHER = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)\s*\"(?:[^\"\\]|\\.)*\"")
_LEGEND_LABEL = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


@dataclass(frozen=True)
class Parsed:
    metrics: frozenset[str]
    labels: frozenset[str]


def parse_promql(expr: str) -> Parsed:
    """Metric names and label names an expression refers to.

    A small tokenizer, not a full parser: enough for the expressions this project
    writes (selectors, functions, aggregations with by/without, binary operators,
    ranges, subqueries, offsets, Grafana ``$variables``).
    """
    expr = _GRAFANA_VAR.sub("1", expr)
    metrics: set[str] = set()
    labels: set[str] = set()
    # Label matchers: their label names, and a metric named via __name__.
    for block in re.findall(r"\{([^}]*)\}", _STRING.sub(lambda m: m.group(0).replace("}", " "), expr)):
        for match in _MATCHER.finditer(block):
            labels.add(match.group(1))
        for name in re.findall(r'__name__\s*=\s*"([^"]+)"', block):
            metrics.add(name)
    labels.discard("__name__")
    stripped = _STRING.sub('""', expr)
    stripped = re.sub(r"\{[^}]*\}", " ", stripped)  # label matchers, handled above
    stripped = re.sub(r"\[[^\]]*\]", " ", stripped)  # range and subquery durations
    tokens = _TOKEN.findall(stripped)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if not re.match(r"[A-Za-z_:]", tok) or tok.lower() in _NUMBER_WORDS:
            i += 1
        elif tok in _LABEL_LIST_KEYWORDS and nxt == "(":
            close = tokens.index(")", i)
            labels.update(t for t in tokens[i + 2 : close] if t != ",")
            i = close + 1
        elif tok == "offset":
            i += 3 if nxt == "-" else 2  # the duration's number; "1h30m" tokenizes as 1, h30m
            i += 1  # its unit
        elif tok in _KEYWORDS:
            i += 1
        elif nxt == "(" or nxt in {"by", "without"}:
            i += 1  # a function or an aggregation operator
        else:
            metrics.add(tok)
            i += 1
    return Parsed(frozenset(metrics), frozenset(labels))


def metric_names_in(expr: str) -> set[str]:
    return set(parse_promql(expr).metrics)


# ----------------------------------------------------------------------- exposition

# Series names of each family type besides the samples it happens to carry.
_TYPE_SERIES: dict[str, tuple[str, ...]] = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "gaugehistogram": ("_bucket", "_gcount", "_gsum"),
    "summary": ("", "_count", "_sum", "_created"),
    "info": ("_info",),
    "gauge": ("",),
    "unknown": ("",),
    "untyped": ("",),
    "stateset": ("",),
}


@dataclass(frozen=True)
class Exposition:
    #: series name -> label names seen on its samples (``le`` for buckets included)
    series: dict[str, frozenset[str]]
    #: series names whose family carries no sample at all
    empty: frozenset[str]


def exposed_series(text: str) -> Exposition:
    """Every series name an exposition can put into Prometheus, with its label names.

    A counter ``x`` exposes ``x_total`` (and ``x_created``) but never a bare ``x``;
    a histogram ``h`` exposes ``h_bucket``, ``h_count``, ``h_sum``; an Info ``i``
    exposes ``i_info``.  Families without samples (labelled, no child yet) still
    contribute their type's series names, with unknown labels.
    """
    series: dict[str, set[str]] = {}
    empty: set[str] = set()
    for family in text_string_to_metric_families(text):
        names = [family.name + suffix for suffix in _TYPE_SERIES[family.type]]
        for name in names:
            series.setdefault(name, set())
        for sample in family.samples:
            series.setdefault(sample.name, set()).update(sample.labels)
        if not family.samples:
            empty.update(names)
    return Exposition({k: frozenset(v) for k, v in series.items()}, frozenset(empty))


def offline_exposition() -> str:
    """The worker's exposition right after start-up, without a broker.

    ``crosscheck_consumer_lag`` has no children until the worker's lag timer has run,
    so one child is added here exactly as ``worker.app._report_lag`` does.
    """
    metrics = create_metrics(CollectorRegistry())
    metrics.consumer_lag.labels(topic="articles", partition="0").set(0)
    return generate_latest(metrics.registry).decode()


# ------------------------------------------------------------------------ dashboard


def load_dashboard() -> dict[str, Any]:
    return dict(json.loads(DASHBOARD.read_text()))


def iter_panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every panel, including those nested in collapsed rows."""
    for panel in panels:
        yield panel
        yield from iter_panels(panel.get("panels", []))


def query_panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in iter_panels(dashboard["panels"]) if p.get("type") != "row"]


def dashboard_targets(dashboard: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(panel title, target) for every query of the dashboard."""
    return [(p["title"], t) for p in query_panels(dashboard) for t in p.get("targets", [])]


def reference_problems(exprs: list[tuple[str, str, str]], exposition: Exposition) -> list[str]:
    """What in ``(where, expr, legendFormat)`` names a metric or label the exposition lacks."""
    problems: list[str] = []
    for where, expr, legend in exprs:
        parsed = parse_promql(expr)
        if not parsed.metrics:
            problems.append(f"{where}: no metric in {expr!r}")
        available = set(TARGET_LABELS)
        for name in sorted(parsed.metrics):
            if name in SCRAPE_SERIES:
                continue
            if name not in exposition.series:
                problems.append(f"{where}: metric {name!r} is not exposed by the worker ({expr!r})")
            elif name in exposition.empty:
                problems.append(f"{where}: metric {name!r} has no samples, its labels cannot be checked")
            else:
                available |= exposition.series[name]
        for label in sorted((parsed.labels | set(_LEGEND_LABEL.findall(legend))) - available):
            problems.append(f"{where}: label {label!r} is on none of {sorted(parsed.metrics)} ({expr!r})")
    return problems


def dashboard_exprs(dashboard: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (f"panel {title!r} target {t.get('refId')}", t.get("expr", ""), t.get("legendFormat", ""))
        for title, t in dashboard_targets(dashboard)
    ]


# ---------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    return load_dashboard()


@pytest.fixture(scope="module")
def exposition() -> Exposition:
    return exposed_series(offline_exposition())


def test_parse_promql_finds_metrics_and_labels_not_functions_or_keywords() -> None:
    parsed = parse_promql(
        "histogram_quantile(0.99, sum by (le, stage)"
        ' (rate(crosscheck_processing_seconds_bucket{stage!="x"}[5m])))'
        " / on(instance) group_left(version) crosscheck_build_info offset 1h30m"
        " and sum(rate(crosscheck_updates_total[$__rate_interval])) without (type) > bool 1e-9"
        ' or {__name__="crosscheck_events_active"} unless deriv(sum(crosscheck_consumer_lag)[10m:1m]) > Inf'
    )
    assert parsed.metrics == {
        "crosscheck_processing_seconds_bucket",
        "crosscheck_build_info",
        "crosscheck_updates_total",
        "crosscheck_events_active",
        "crosscheck_consumer_lag",
    }
    assert parsed.labels == {"le", "stage", "instance", "version", "type"}
    assert metric_names_in("time() - max(crosscheck_last_processed_timestamp_seconds) > 900") == {
        "crosscheck_last_processed_timestamp_seconds"
    }


def test_exposition_maps_type_suffixes(exposition: Exposition) -> None:
    series = exposition.series
    # counters: only the _total (and _created) series exist, never the bare family name
    assert "crosscheck_articles_received_total" in series
    assert "crosscheck_articles_received" not in series
    assert series["crosscheck_articles_invalid_total"] == {"reason"}
    # histograms: _bucket carries le, _count/_sum do not; no bare series
    assert series["crosscheck_processing_seconds_bucket"] == {"stage", "le"}
    assert series["crosscheck_processing_seconds_count"] == {"stage"}
    assert "crosscheck_end_to_end_latency_seconds_sum" in series
    assert "crosscheck_end_to_end_latency_seconds" not in series
    # Info("crosscheck_build") is exposed as crosscheck_build_info
    assert series["crosscheck_build_info"] == {"version"}
    assert "crosscheck_build" not in series
    assert series["crosscheck_consumer_lag"] == {"topic", "partition"}
    # a wrong name or label is reported, so the checks below can fail
    assert reference_problems(
        [
            ("wrong label", "sum by (stag) (rate(crosscheck_processing_seconds_count[1m]))", "{{stage}}"),
            ("wrong name", "rate(crosscheck_processing_seconds[1m])", ""),
            ("wrong legend", "crosscheck_table_entries", "{{tabel}}"),
        ],
        exposition,
    ) == [
        "wrong label: label 'stag' is on none of ['crosscheck_processing_seconds_count'] "
        "('sum by (stag) (rate(crosscheck_processing_seconds_count[1m]))')",
        "wrong name: metric 'crosscheck_processing_seconds' is not exposed by the worker "
        "('rate(crosscheck_processing_seconds[1m])')",
        "wrong legend: label 'tabel' is on none of ['crosscheck_table_entries'] ('crosscheck_table_entries')",
    ]


def test_every_worker_family_has_samples_at_start_up(exposition: Exposition) -> None:
    """Label values are initialised at start-up, so panels and alerts see 0, not "no data"."""
    assert not exposition.empty, f"families without samples: {sorted(exposition.empty)}"


def test_dashboard_json_identity(dashboard: dict[str, Any]) -> None:
    assert dashboard["uid"] == "crosscheck"
    assert dashboard["title"]
    assert 36 <= dashboard["schemaVersion"] <= 41
    assert "id" not in dashboard or dashboard["id"] is None, "a provisioned dashboard must not pin an id"


def test_every_panel_has_targets_with_unique_ref_ids(dashboard: dict[str, Any]) -> None:
    panels = query_panels(dashboard)
    assert len(panels) >= 10
    ids = [p["id"] for p in panels]
    assert len(ids) == len(set(ids)), f"duplicate panel ids: {ids}"
    for panel in panels:
        targets = panel.get("targets") or []
        assert targets, f"panel {panel['title']!r} has no targets"
        ref_ids = [t["refId"] for t in targets]
        assert len(ref_ids) == len(set(ref_ids)), panel["title"]
        for target in targets:
            assert target.get("expr", "").strip(), f"panel {panel['title']!r}: empty expr"
            assert not target.get("hide"), f"panel {panel['title']!r}: hidden target"


def test_panels_fit_the_grid_without_overlap(dashboard: dict[str, Any]) -> None:
    cells: dict[tuple[int, int], str] = {}
    for panel in iter_panels(dashboard["panels"]):
        g = panel["gridPos"]
        assert g["w"] > 0 and g["h"] > 0 and g["x"] >= 0 and g["y"] >= 0, panel["title"]
        assert g["x"] + g["w"] <= 24, f"panel {panel['title']!r} is wider than the 24-column grid"
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                assert (x, y) not in cells, f"{panel['title']!r} overlaps {cells[(x, y)]!r}"
                cells[(x, y)] = panel["title"]


def test_every_dashboard_metric_and_label_is_exposed_by_the_worker(
    dashboard: dict[str, Any], exposition: Exposition
) -> None:
    problems = reference_problems(dashboard_exprs(dashboard), exposition)
    assert not problems, "\n".join(problems)


def test_dashboard_has_the_required_panels(dashboard: dict[str, Any]) -> None:
    exprs = {t["expr"].replace(" ", "") for _, t in dashboard_targets(dashboard)}
    required = [
        "sumby(stage)(rate(crosscheck_processing_seconds_count[1m]))",
        "sumby(method)(rate(crosscheck_duplicates_total[5m]))",
        "sumby(kind)(rate(crosscheck_contradictions_total[5m]))",
        "histogram_quantile(0.5,sumby(le)(rate(crosscheck_end_to_end_latency_seconds_bucket[5m])))",
        "histogram_quantile(0.99,sumby(le)(rate(crosscheck_end_to_end_latency_seconds_bucket[5m])))",
        "sumby(topic,partition)(crosscheck_consumer_lag)",
        "sumby(reason)(rate(crosscheck_articles_invalid_total[5m]))",
        "sum(crosscheck_events_active)",
        "sumby(table)(crosscheck_table_entries)",
        "sum(rate(crosscheck_articles_received_total[1m]))",
        "sumby(type)(rate(crosscheck_updates_total[5m]))",
    ]
    missing = [e for e in required if e not in exprs]
    assert not missing, f"missing panel queries: {missing}"


def test_panels_use_the_provisioned_datasource(dashboard: dict[str, Any]) -> None:
    provisioned = yaml.safe_load(DATASOURCES.read_text())
    assert provisioned["apiVersion"] == 1
    (datasource,) = provisioned["datasources"]
    assert datasource["type"] == "prometheus"
    assert datasource["uid"] == "prometheus"
    assert datasource["url"] == "http://prometheus:9090"
    for panel in query_panels(dashboard):
        refs = [panel.get("datasource"), *(t.get("datasource") for t in panel["targets"])]
        for ref in refs:
            assert ref == {"type": "prometheus", "uid": datasource["uid"]}, f"{panel['title']!r}: {ref}"


def test_provisioning_matches_the_compose_mounts() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    mounts = dict(v.split(":")[:2] for v in services["grafana"]["volumes"])
    assert mounts["./deploy/grafana/provisioning"] == "/etc/grafana/provisioning"
    assert (GRAFANA / "provisioning" / "datasources").is_dir()
    assert (GRAFANA / "provisioning" / "dashboards").is_dir()
    providers = yaml.safe_load(PROVIDERS.read_text())
    assert providers["apiVersion"] == 1
    (provider,) = providers["providers"]
    assert provider["type"] == "file"
    # the provider reads the directory the compose file mounts the repo's dashboards at
    assert mounts["./deploy/grafana/dashboards"] == provider["options"]["path"]
    assert DASHBOARD.parent == ROOT / "deploy" / "grafana" / "dashboards"
    # the datasource URL names the compose service and the port Prometheus listens on
    url = yaml.safe_load(DATASOURCES.read_text())["datasources"][0]["url"]
    assert "prometheus" in services
    assert url == "http://prometheus:9090"
    assert any(str(p).endswith(":9090") for p in services["prometheus"]["ports"])


def test_operations_doc_lists_every_metric_label_value_and_panel_query(dashboard: dict[str, Any]) -> None:
    doc = (ROOT / "docs" / "operations.md").read_text()
    problems = []
    for family in text_string_to_metric_families(offline_exposition()):
        if not family.name.startswith("crosscheck_") or family.name.endswith("_created"):
            continue  # the _created companions are documented once, for all counters
        if f"`{family.name}" not in doc:
            problems.append(f"metric {family.name} is not documented")
        for sample in family.samples:
            for label, value in sample.labels.items():
                if label not in {"le", "topic", "partition", "version"} and f"`{value}`" not in doc:
                    problems.append(f"label value {family.name}{{{label}={value!r}}} is not documented")
    for where, expr, _ in dashboard_exprs(dashboard):
        if f"`{expr}`" not in doc:
            problems.append(f"{where}: query {expr!r} is not in the panel table")
    assert not problems, "\n".join(sorted(set(problems)))
