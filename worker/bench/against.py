"""``--baseline REF``: the core's throughput against a base commit, in the same run.

The team's rule "core throughput drops by at most 10 % against the base commit" needs
both measured side by side: the machine is shared and its speed drifts by more than
10 % over an hour.  This section extracts ``REF``'s ``worker/`` and ``schemas/`` with
``git archive`` into a temporary directory, copies the current tree's beside it, and
runs the same small program in each (a subprocess with ``cwd`` set to the snapshot, so
``import worker`` imports that snapshot), **interleaved**: repetition by repetition,
base and current take turns (the order alternates), on the same input files:

* section 1's synthetic articles (``synth.generate(n, seed)``);
* section 6's real articles (``realdata.articles``; skipped without ``../shared/data``).

Each run: ``Pipeline().process`` over the file's articles, decoded beforehand, pinned
to one CPU, after a warm-up of 20 articles; articles per CPU-second.  The ratio
current ÷ base is taken per repetition (the pair ran back to back); goal ≥ 0.90.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson

from worker.bench.report import Figure, Report

SECTION_BASE = "8. Core throughput against a base commit (same run)"
ROOT = Path(__file__).resolve().parents[2]

#: Runs inside a snapshot (cwd): only APIs every version has (Article.from_json,
#: Pipeline().process), so an older commit runs it unchanged.
PROGRAM = r"""
import os, sys, time
import orjson
from worker.core.model import Article
from worker.core.pipeline import Pipeline

cpu = int(os.environ.get("CROSSCHECK_BENCH_CPU", max(os.sched_getaffinity(0))))
os.sched_setaffinity(0, {cpu})
with open(sys.argv[1], "rb") as fh:
    articles = [Article.from_json(orjson.loads(line)) for line in fh if line.strip()]
warm = Pipeline()
for article in articles[:20]:
    warm.process(article)
pipeline = Pipeline()
start = time.process_time()
for article in articles:
    pipeline.process(article)
print(orjson.dumps({"rate": len(articles) / (time.process_time() - start)}).decode())
"""


class BaselineError(RuntimeError):
    pass


def snapshot(ref: str | None, dest: Path) -> Path:
    """``worker/`` and ``schemas/`` of ``ref`` (None: the current tree) under ``dest``."""
    dest.mkdir(parents=True)
    if ref is None:
        for part in ("worker", "schemas"):
            shutil.copytree(ROOT / part, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        return dest
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "worker", "schemas"],
            capture_output=True,
            check=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        err = getattr(exc, "stderr", b"") or b""
        raise BaselineError(f"git archive {ref}: {exc} {err.decode(errors='replace')[-500:]}") from None
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True, timeout=120)
    return dest


def rate(code: Path, data: Path) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHONPATH")}
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(data)],
        cwd=code,
        env=env,
        capture_output=True,
        check=False,
        timeout=3600,
    )
    if out.returncode != 0:
        raise BaselineError(f"core run in {code} failed:\n{out.stderr.decode(errors='replace')[-2000:]}")
    return float(orjson.loads(out.stdout.splitlines()[-1])["rate"])


def against_base(report: Report, ref: str, *, repeat: int, n_synth: int, n_real: int, seed: int) -> None:
    from worker import synth
    from worker.bench import realdata

    with tempfile.TemporaryDirectory(prefix="crosscheck-against-") as tmp:
        work = Path(tmp)
        try:
            base = snapshot(ref, work / "base")
        except BaselineError as exc:
            report.skip(SECTION_BASE, str(exc))
            return
        current = snapshot(None, work / "current")
        inputs: dict[str, Path] = {}
        synth.write_jsonl(synth.generate(n_synth, seed=seed), work / "synthetic.jsonl")
        inputs[f"synthetic ({n_synth:,}, section 1's)"] = work / "synthetic.jsonl"
        try:
            real = realdata.articles(n_real, seed=seed)
        except realdata.NoDevData as exc:
            print(f"bench: --baseline: real articles skipped: {exc}", file=sys.stderr)
        else:
            synth.write_jsonl(real, work / "real.jsonl")
            inputs[f"real ({n_real:,}, section 6's)"] = work / "real.jsonl"
        rates: dict[tuple[str, str], list[float]] = {}
        try:
            for rep in range(repeat):
                order = (("base", base), ("current", current))
                if rep % 2:
                    order = order[::-1]
                for name, data in inputs.items():
                    for who, code in order:
                        rates.setdefault((name, who), []).append(rate(code, data))
                        print(
                            f"bench: --baseline {ref} rep {rep + 1} {name} {who}: "
                            f"{rates[(name, who)][-1]:.0f} articles/s",
                            file=sys.stderr,
                        )
        except BaselineError as exc:
            report.skip(SECTION_BASE, str(exc)[:2000])
            return
    for name in inputs:
        b, c = rates[(name, "base")], rates[(name, "current")]
        unit = "articles/s"
        report.add(Figure(SECTION_BASE, f"{name}: base {ref}", unit, b, note="per CPU-second, pinned"))
        report.add(Figure(SECTION_BASE, f"{name}: current", unit, c))
        report.add(
            Figure(
                SECTION_BASE,
                f"{name}: current ÷ base",
                "×",
                [x / y for x, y in zip(c, b, strict=True)],
                goal=0.90,
                note="per repetition; base and current ran back to back, order alternating",
            )
        )
