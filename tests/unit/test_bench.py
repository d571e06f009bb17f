"""``crosscheck bench --smoke`` runs end to end (no timing assertions: figures vary by machine)."""

from __future__ import annotations

from pathlib import Path

import pytest

from worker import bench
from worker.bench.report import NOTES_END, NOTES_START, Figure, Report, render_markdown, write_markdown


@pytest.mark.timeout(300)
def test_smoke_runs_and_prints_every_section(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "BENCH.md"
    assert bench.main(["--smoke", "--skip-kafka", "--skip-spacy", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    sections = ("1. Core throughput", "2. Baseline", "3. Kafka path", "4. Framework overhead", "5. Growth")
    for section in sections:
        assert section in printed
    assert "Pipeline.process, per CPU-second" in printed
    for stage in ("normalize", "fingerprint", "features", "extract", "correlate", "reconcile"):
        assert f"stage {stage}" in printed
    assert "time growth" in printed
    assert "skipped: --skip-kafka" in printed
    text = out.read_text()
    assert "# Benchmarks" in text and "Machine:" in text and "Python:" in text


def test_smoke_writes_nothing_without_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert bench.main(["--smoke", "--skip-kafka", "--skip-spacy", "--skip-growth"]) == 0
    assert list(tmp_path.iterdir()) == []


def test_goals_judged_on_the_median() -> None:
    assert Figure("s", "rate", "/s", [10.0, 400.0, 500.0], goal=300.0).met is True
    assert Figure("s", "rate", "/s", [10.0, 20.0, 500.0], goal=300.0).met is False
    assert Figure("s", "p99", "ms", [150.0, 190.0, 900.0], goal=200.0, higher_is_better=False).met is True
    assert Figure("s", "info", "x", [1.0]).met is None


def test_hand_written_notes_survive_a_rewrite(tmp_path: Path) -> None:
    path = tmp_path / "B.md"
    report = Report(smoke=False)
    report.add(Figure("1. core", "rate", "/s", [1.0, 2.0, 3.0]))
    path.write_text(render_markdown(report, "my analysis\n"))
    write_markdown(report, path)
    text = path.read_text()
    assert text.count(NOTES_START) == 1
    assert f"{NOTES_START}\nmy analysis\n{NOTES_END}" in text


def test_a_carried_figure_keeps_the_date_it_was_measured() -> None:
    figure = Figure("1. core", "rate", "/s", [1.0], note="n")
    first = {"date": "2026-12-01 10:00 UTC", "figures": [vars(figure)]}
    once = Report(smoke=False)
    once.carry_over(first, only={"8. base"})
    assert once.figures[0].note == "n; from 2026-12-01 10:00 UTC"
    again = Report(smoke=False)
    again.carry_over({"date": "2026-12-02 10:00 UTC", "figures": [vars(once.figures[0])]}, only={"8. base"})
    assert again.figures[0].note == "n; from 2026-12-01 10:00 UTC"


def test_deep_size_counts_shared_objects_once_and_follows_our_classes() -> None:
    from worker.bench.core import deep_size
    from worker.core.overlay import Overlay

    text = "x" * 10_000
    seen: set[int] = set()
    first = deep_size({"a": [text]}, seen)
    assert first > 10_000
    # The same string again, held by one of our objects: counted once, not twice.
    again = deep_size(Overlay({"b": text}), seen)
    assert again < 2_000
    assert deep_size(Overlay({"b": "y" * 10_000}), set()) > 10_000


@pytest.mark.timeout(600)
def test_baseline_measures_a_git_ref_and_the_current_tree_in_one_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``--baseline REF``: REF's code from ``git archive``, run beside the current tree."""
    args = [
        "--smoke",
        "--skip-kafka",
        "--skip-spacy",
        "--skip-growth",
        "--sections",
        "1",
        "--baseline",
        "HEAD",
    ]
    assert bench.main(args) == 0
    printed = capsys.readouterr().out
    assert "8. Core throughput against a base commit" in printed
    assert "synthetic (40, section 1's): base HEAD" in printed
    assert "synthetic (40, section 1's): current ÷ base" in printed


def test_baseline_with_an_unknown_ref_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--smoke", "--skip-kafka", "--skip-spacy", "--skip-growth", "--sections", "1"]
    assert bench.main([*args, "--baseline", "no-such-ref-0000"]) == 0
    assert "git archive no-such-ref-0000" in capsys.readouterr().out
