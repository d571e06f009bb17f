"""Figures, the stdout table and ``BENCHMARKS.md``.

Every figure keeps all its repetitions; the table shows min and median, and goals are
judged on the *median* (one lucky or unlucky repetition does not decide a goal).
"""

from __future__ import annotations

import os
import platform
import re
import statistics
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

#: Hand-written notes in BENCHMARKS.md between these markers survive a re-run.
NOTES_START = "<!-- notes:start -->"
NOTES_END = "<!-- notes:end -->"
#: The generated profile; kept from the previous file when this run did not profile.
PROFILE_START = "<!-- profile:start -->"
PROFILE_END = "<!-- profile:end -->"
#: The worker's py-spy profile (--profile-worker); kept like the core profile.
WPROFILE_START = "<!-- worker-profile:start -->"
WPROFILE_END = "<!-- worker-profile:end -->"
#: The figures as JSON (one comment line), so a partial re-run can keep the others.
DATA_PREFIX = "<!-- bench-data "
#: The mark of a figure carried over from an earlier report ("from 2026-12-04 19:17 UTC").
_CARRIED = re.compile(r"(?:^|; )from (?:\d{4}-\d\d-\d\d|an earlier run)")


def _loadavg() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


@dataclass
class Figure:
    section: str
    name: str
    unit: str
    values: list[float]
    goal: float | None = None
    higher_is_better: bool = True
    note: str = ""

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def median(self) -> float:
        return float(statistics.median(self.values))

    @property
    def met(self) -> bool | None:
        if self.goal is None or not self.values:
            return None
        return self.median >= self.goal if self.higher_is_better else self.median <= self.goal

    def goal_text(self) -> str:
        if self.goal is None:
            return ""
        return f"{'≥' if self.higher_is_better else '≤'} {_fmt(self.goal)}"

    def met_text(self) -> str:
        return {None: "", True: "met", False: "NOT met"}[self.met]


@dataclass
class Report:
    smoke: bool
    figures: list[Figure] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # section -> why
    sections: list[str] = field(default_factory=list)  # in the order they ran
    profile: str = ""  # markdown, when --profile ran
    worker_profile: str = ""  # markdown, when --profile-worker ran
    params: dict[str, object] = field(default_factory=dict)
    load_start: str = field(default_factory=_loadavg)

    def add(self, figure: Figure) -> Figure:
        if figure.section not in self.sections:
            self.sections.append(figure.section)
        self.figures.append(figure)
        return figure

    def skip(self, section: str, why: str) -> None:
        if section not in self.sections:
            self.sections.append(section)
        self.skipped[section] = why

    def load_summary(self) -> str:
        """Load averages at start and end: other processes on the machine skew the figures."""
        return f"{self.load_start} at start, {_loadavg()} at end"

    def carry_over(self, previous: dict[str, Any], only: set[str]) -> None:
        """Figures of sections this run did not measure, from the previous report's data.

        Lets one section be re-run (``--sections 3``) without losing the others.
        """
        when = previous.get("date", "an earlier run")
        for raw in previous.get("figures", []):
            if raw["section"] in only:
                continue
            self.skipped.pop(raw["section"], None)
            fig = Figure(**raw)
            if not _CARRIED.search(fig.note):
                # the date it was measured; a figure carried again keeps that date
                fig.note = (fig.note + "; " if fig.note else "") + f"from {when}"
            self.add(fig)
        self.sections.sort()

    def data(self) -> dict[str, Any]:
        return {
            "date": machine()["date"],
            "figures": [asdict(f) for f in self.figures if f.section not in self.skipped],
        }


def _fmt(x: float) -> str:
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count() or 1
    return {
        "cpu": cpu,
        "cores": f"{usable} usable ({os.cpu_count()} online)",
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "os": f"{platform.system()} {platform.release()}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _rows(report: Report, section: str) -> list[list[str]]:
    rows = []
    for f in report.figures:
        if f.section != section:
            continue
        n = len(f.values)
        rows.append(
            [f.name, _fmt(f.min), _fmt(f.median), f.unit, str(n), f.goal_text(), f.met_text(), f.note]
        )
    return rows


HEADER = ["figure", "min", "median", "unit", "n", "goal", "", "note"]


def render_text(report: Report) -> str:
    """The stdout table: one block per section, aligned columns."""
    out: list[str] = []
    for section in report.sections:
        out.append(f"== {section}")
        if section in report.skipped:
            out.append(f"   skipped: {report.skipped[section]}")
        rows = _rows(report, section)
        if rows:
            cols = [HEADER, *rows]
            widths = [max(len(r[i]) for r in cols) for i in range(len(HEADER) - 1)]
            for r in cols:
                cells = [
                    r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i]) for i in range(len(widths))
                ]
                out.append("   " + "  ".join(cells) + ("  " + r[-1] if r[-1] else ""))
        out.append("")
    return "\n".join(out)


def render_markdown(report: Report, notes: str, old_profile: str = "", old_worker_profile: str = "") -> str:
    m = machine()
    lines = [
        "# Benchmarks",
        "",
        "Generated by `crosscheck bench` (`worker/bench/`); re-run with `make bench`.  Inputs are",
        "synthetic seed-sized articles from `worker/synth.py` (~700 words, ~30% of them in events",
        "reported by several outlets, ~4% exact or near copies), except section 6: the",
        "development set's real articles (`worker/bench/realdata.py`).  Every figure is measured",
        "over several repetitions; the table gives the minimum and the median, and goals are",
        "judged on the median.",
        "",
        f"* Machine: {m['cpu']}, {m['cores']} cores, {m['os']}",
        f"* Python: {m['python']}",
        f"* Load average (1/5/15 min): {report.load_summary()} — other work on this machine "
        "competes for the same cores, so figures are pessimistic when it is high",
        f"* Date: {m['date']}",
        "* Parameters: " + ", ".join(f"{k}={v}" for k, v in report.params.items()),
        "",
    ]
    # Section order (carried-over figures are appended after the ones measured now).
    goals = sorted((f for f in report.figures if f.goal is not None), key=lambda f: f.section)
    if goals:
        lines += ["## Goals", "", "| goal | median | target | |", "|---|---:|---:|---|"]
        for f in goals:
            lines.append(
                f"| {f.section}: {f.name} | {_fmt(f.median)} {f.unit} | {f.goal_text()} | {f.met_text()} |"
            )
        lines.append("")
    for section in report.sections:
        lines += [f"## {section}", ""]
        if section in report.skipped:
            lines += [f"Skipped: {report.skipped[section]}", ""]
        rows = _rows(report, section)
        if rows:
            lines.append("| " + " | ".join(h or "met" for h in HEADER) + " |")
            lines.append("|---|---:|---:|---|---:|---:|---|---|")
            lines += ["| " + " | ".join(r) + " |" for r in rows]
            lines.append("")
    profile = report.profile or old_profile
    if profile:
        lines += ["## Profile", "", PROFILE_START, profile.strip("\n"), PROFILE_END, ""]
    worker_profile = report.worker_profile or old_worker_profile
    if worker_profile:
        lines += ["## Worker profile", "", WPROFILE_START, worker_profile.strip("\n"), WPROFILE_END, ""]
    lines += [NOTES_START, notes.strip("\n"), NOTES_END, ""]
    lines += [DATA_PREFIX + orjson.dumps(report.data()).decode().replace("--", "- -") + " -->", ""]
    return "\n".join(lines)


def existing_block(path: Path, start: str, end: str) -> str:
    """A marked block of an existing BENCHMARKS.md (hand-written notes, the last profile)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    match = re.search(re.escape(start) + r"\n?(.*?)" + re.escape(end), text, re.S)
    return match.group(1) if match else ""


def previous_data(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    for line in text.splitlines():
        if line.startswith(DATA_PREFIX):
            try:
                data = orjson.loads(line[len(DATA_PREFIX) : -len(" -->")].replace("- -", "--"))
            except orjson.JSONDecodeError:
                return {}
            return data if isinstance(data, dict) else {}
    return {}


def write_markdown(report: Report, path: Path) -> None:
    notes = existing_block(path, NOTES_START, NOTES_END)
    old_profile = existing_block(path, PROFILE_START, PROFILE_END)
    old_worker_profile = existing_block(path, WPROFILE_START, WPROFILE_END)
    path.write_text(render_markdown(report, notes, old_profile, old_worker_profile), encoding="utf-8")
