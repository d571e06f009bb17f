"""A sampled profile of the replay core, summarised as markdown.

pyinstrument (a sampling profiler, ~1 ms interval) rather than cProfile: cProfile's
per-call overhead inflates small, frequently called functions (regex helpers, token
loops) and would point at the wrong hot spots.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from worker.bench.core import articles, warm_up

TOP = 20


def _where(frame: Any) -> str:
    """The frame's file, from ``worker/`` on for our code: pyinstrument shortens paths
    relative to ``sys.path`` entries, which gives ``../../worker/...`` from some cwds."""
    path = str(frame.file_path_short or "")
    at = path.find("worker/")
    return path[at:] if at >= 0 else path


def _walk(
    frame: Any,
    own: dict[tuple[str, str, int], float],
    cum: dict[tuple[str, str, int], float],
    stack: frozenset[tuple[str, str, int]],
) -> None:
    # pyinstrument adds synthetic "[self]"/"[await]" leaves; their time is already in
    # the parent's ``total_self_time``, so they are skipped, not counted twice.
    if frame.is_synthetic:
        return
    key = (str(frame.function), _where(frame), int(frame.line_no or 0))
    own[key] += float(frame.total_self_time)
    if key not in stack:  # recursion: count cumulative time once per path
        cum[key] += float(frame.time)
    for child in frame.children:
        _walk(child, own, cum, stack | {key})


def profile_core(n: int, seed: int) -> str:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return "pyinstrument is not installed (pip install 'pyinstrument>=4.6'); no profile."
    from worker.core.pipeline import Pipeline

    arts = articles(n, seed)
    warm_up()  # model loading (langid's LZMA-packed model) is not the steady state
    pipeline = Pipeline()
    profiler = Profiler(interval=0.001)
    start = time.perf_counter()
    profiler.start()
    for article in arts:
        pipeline.process(article)
    profiler.stop()
    elapsed = time.perf_counter() - start
    root = profiler.last_session.root_frame() if profiler.last_session else None
    if root is None:
        return "no samples"
    own: dict[tuple[str, str, int], float] = defaultdict(float)
    cum: dict[tuple[str, str, int], float] = defaultdict(float)
    _walk(root, own, cum, frozenset())
    total = float(root.time) or 1.0
    lines = [
        f"pyinstrument over {n} articles ({elapsed:.1f} s, {n / elapsed:.0f} articles/s under the profiler). "
        "Self time = samples in the function itself; cumulative = including callees.",
        "",
        "| # | function | where | self % | cumulative % |",
        "|---:|---|---|---:|---:|",
    ]
    for i, (key, t) in enumerate(sorted(own.items(), key=lambda kv: -kv[1])[:TOP], 1):
        fn, path, line = key
        lines.append(
            f"| {i} | `{fn}` | {path}:{line} | {100 * t / total:.1f} | {100 * cum[key] / total:.1f} |"
        )
    lines += [
        "",
        "Top cumulative (crosscheck code only):",
        "",
        "| function | where | cumulative % |",
        "|---|---|---:|",
    ]
    ours = [(k, t) for k, t in cum.items() if "worker/" in k[1] and "bench" not in k[1]]
    for key, t in sorted(ours, key=lambda kv: -kv[1])[:TOP]:
        fn, path, line = key
        lines.append(f"| `{fn}` | {path}:{line} | {100 * t / total:.1f} |")
    return "\n".join(lines)
