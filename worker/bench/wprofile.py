"""Where a running worker spends its time: py-spy on the worker process, summarised.

``WorkerProfile`` attaches ``py-spy record`` to a worker pid (sampling without pausing
it, idle frames and threads included) and ``summarise`` folds the collapsed stacks
into a markdown table: the share of the worker's main thread (the event loop that runs
the agents) per kind of work, and the functions with the most self time.  py-spy comes
with the ``bench`` extra; without it the profile is skipped with a message.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

#: Kinds of work: a sample counts for the innermost frame (leaf first) whose file
#: matches one of these, so the core counts as core although faust's and mode's
#: frames sit above it, and a socket write counts for the client that made it.
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("core (worker/core)", "worker/core/"),
    ("producer (aiokafka send, batches, acks)", "aiokafka/producer"),
    ("consumer (aiokafka fetch, records)", "aiokafka/consumer"),
    ("aiokafka other (client, protocol)", "aiokafka/"),
    ("faust tables and changelog", "faust/tables"),
    ("faust streams, agents, topics, producer buffer", "faust/"),
    ("our agents and metrics (worker/)", "worker/"),
    ("prometheus client", "prometheus_client"),
    ("mode (services, timers)", "mode/"),
)
IDLE = "idle (event loop waiting)"


class WorkerProfile:
    """``with WorkerProfile(pid, out) as prof: ...``; then ``prof.summary()``."""

    def __init__(self, pid: int, out: Path, rate: int = 250) -> None:
        self.pid, self.out, self.rate = pid, out, rate
        self.proc: subprocess.Popen[bytes] | None = None
        self.error = ""

    @staticmethod
    def available() -> str | None:
        exe = Path(sys.executable).parent / "py-spy"
        return str(exe) if exe.exists() else shutil.which("py-spy")

    def __enter__(self) -> WorkerProfile:
        exe = self.available()
        if exe is None:
            self.error = "py-spy is not installed (pip install -e '.[bench]')"
            return self
        self.proc = subprocess.Popen(
            [
                exe,
                "record",
                "--pid",
                str(self.pid),
                "--rate",
                str(self.rate),
                "--format",
                "raw",
                "--idle",
                "--threads",
                "--nonblocking",
                "--output",
                str(self.out),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(0.5)  # attached before the work starts
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
        try:
            _, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        if not self.out.exists():
            self.error = f"py-spy wrote nothing: {err.decode(errors='replace')[-500:]}"

    def summary(self, title: str) -> str:
        if self.error:
            return f"{title}: not profiled ({self.error})"
        return summarise(self.out.read_text(errors="replace"), title)


def _stacks(text: str) -> list[tuple[str, list[str], int]]:
    """(thread frame, frames root first, samples) per collapsed line."""
    out = []
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        thread = frames[0] if frames and frames[0].startswith(("thread", "process")) else ""
        if thread and frames[0].startswith("process"):
            frames = frames[1:]
            thread = frames[0] if frames and frames[0].startswith("thread") else ""
        if thread:
            frames = frames[1:]
        out.append((thread, frames, int(count)))
    return out


def summarise(text: str, title: str, top: int = 15) -> str:
    stacks = _stacks(text)
    per_thread: Counter[str] = Counter()
    for thread, _frames, n in stacks:
        per_thread[thread] += n
    if not per_thread:
        return f"{title}: no samples"
    # The main thread runs the event loop with the agents: the one whose stacks hold them.
    agents: Counter[str] = Counter()
    for thread, frames, n in stacks:
        if any("/worker/agents/" in f or "/worker/core/" in f for f in frames):
            agents[thread] += n
    main = agents.most_common(1)[0][0] if agents else per_thread.most_common(1)[0][0]
    main_stacks = [(f, n) for t, f, n in stacks if t == main]
    total = sum(n for _, n in main_stacks)
    kinds: Counter[str] = Counter()
    selfs: Counter[str] = Counter()
    for frames, n in main_stacks:
        leaf = frames[-1] if frames else "?"
        if not frames or _idle(leaf):
            kinds[IDLE] += n
            continue
        kinds[_kind(frames)] += n
        selfs[_short(leaf)] += n
    busy = total - kinds[IDLE]
    lines = [
        f"{title}: {total:,} samples of the main thread (event loop + agents), "
        f"busy {100 * busy / max(1, total):.0f}% of the time; other threads: "
        + ", ".join(f"{100 * n / max(1, total):.0f}%" for t, n in per_thread.most_common() if t != main)[
            :200
        ],
        "",
        "| where the main thread's time goes | % of samples | % of busy |",
        "|---|---:|---:|",
    ]
    for name, n in kinds.most_common():
        share_busy = "" if name.startswith("idle") else f"{100 * n / max(1, busy):.1f}"
        lines.append(f"| {name} | {100 * n / max(1, total):.1f} | {share_busy} |")
    lines += ["", "| function (self time, main thread) | % of busy |", "|---|---:|"]
    for name, n in selfs.most_common(top):
        lines.append(f"| `{name}` | {100 * n / max(1, busy):.1f} |")
    return "\n".join(lines)


def _idle(leaf: str) -> bool:
    """The event loop waiting for I/O or a timer (selectors' select/poll)."""
    name, _, where = leaf.partition(" (")
    return "selectors.py" in where and name.rsplit(".", 1)[-1] in ("select", "poll")


def _kind(frames: list[str]) -> str:
    for frame in reversed(frames):
        where = frame.partition(" (")[2]
        for name, needle in CATEGORIES:
            if needle in where:
                return name
    return "other (asyncio, interpreter)"


def _short(frame: str) -> str:
    """``func (path/to/file.py:12)`` -> ``func (file.py)``, with the package for site-packages."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    path = where.rsplit(":", 1)[0]
    parts = Path(path).parts
    with contextlib.suppress(ValueError):
        i = parts.index("site-packages")
        return f"{name} ({'/'.join(parts[i + 1 :])})"
    if "worker" in parts:
        return f"{name} ({'/'.join(parts[parts.index('worker') :])})"
    return f"{name} ({Path(path).name})"
