"""``crosscheck bench``: throughput, latency, overhead and growth figures.

Sections (each can be skipped; every figure is min/median over repetitions):

1. core throughput of the replay pipeline, one core, with a per-stage split;
2. baseline: spaCy ``en_core_web_sm`` NER alone, and crosscheck's speed ratio to it;
3. the Kafka path: one worker process on the embedded broker (sustained rate, latency);
4. framework overhead: worker vs core, and a raw aiokafka passthrough for context;
5. growth: per-article time and RSS with 1k/10k/100k articles through the state;
6. real articles (the development set): the core and one worker process, their
   ratio, latency at 50 articles/s and of a burst's last article (skipped with a
   message when ``../shared/data`` is absent);
7. the table stores on the worker: RSS per article in state (10k → 20k → 50k) and
   restart time with 20k in state, ``memory://`` and ``rocksdb://`` (not in the
   default run: ``--sections 7``, about 30 minutes);
8. with ``--baseline REF`` (a git ref): the core's throughput at ``REF`` and now, on
   section 1's and section 6's articles, interleaved in this run, and their ratio.

The table goes to stdout, progress bars to stderr.  ``BENCHMARKS.md`` is written by a
full run (or wherever ``--out`` says); ``--smoke`` runs tiny sizes once and writes
nothing unless ``--out`` is given.  ``--profile`` adds a sampled profile of the replay
core (pyinstrument) to the report.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from worker.bench.report import Report, previous_data, render_text, write_markdown

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="crosscheck bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--smoke", action="store_true", help="tiny sizes, one repetition (< 60 s); writes nothing")
    p.add_argument("--articles", type=int, default=None, help="articles for core throughput (default 5000)")
    p.add_argument("--repeat", type=int, default=None, help="repetitions per figure (default 3)")
    p.add_argument("--out", default=None, help="markdown report path (default BENCHMARKS.md; smoke: none)")
    p.add_argument("--skip-kafka", action="store_true", help="skip the Kafka path and overhead sections")
    p.add_argument("--skip-spacy", action="store_true", help="skip the spaCy baseline")
    p.add_argument("--skip-growth", action="store_true", help="skip the 1k/10k/100k growth section")
    p.add_argument("--spacy-articles", type=int, default=None, help="articles for spaCy (default 300)")
    p.add_argument("--growth-max", type=int, default=None, help="largest state size (default 100000)")
    p.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="processes that pre-compute ingest between growth checkpoints (default 1: none)",
    )
    p.add_argument(
        "--growth-checkpoints",
        default=None,
        help="state sizes to measure at, e.g. 1000,10000,30000 (default: max/100, max/10, max)",
    )
    p.add_argument("--profile", action="store_true", help="profile the replay core (pyinstrument)")
    p.add_argument(
        "--profile-worker",
        action="store_true",
        help="profile the worker process with py-spy while it drains the real articles (section 6)",
    )
    p.add_argument("--real-articles", type=int, default=None, help="articles in section 6 (default 1000)")
    p.add_argument(
        "--store",
        default="memory://",
        help="table store of the worker in section 6 (default memory://; rocksdb:// for the production one)",
    )
    p.add_argument("--profile-articles", type=int, default=2000, help="articles to profile (default 2000)")
    p.add_argument(
        "--sections",
        default="1,2,3,4,5,6",
        help="sections to run, e.g. 3,4 (others keep their figures from the existing --out file)",
    )
    p.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    p.add_argument(
        "--baseline",
        metavar="REF",
        default=None,
        help="also measure the core of git ref REF (e.g. 8ade686) in this run, interleaved (section 8)",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(argv) if argv is not None else None)
    smoke = bool(args.smoke)
    repeat = max(1, args.repeat if args.repeat is not None else (1 if smoke else 3))
    n_core = args.articles if args.articles is not None else (40 if smoke else 5000)
    n_spacy = args.spacy_articles if args.spacy_articles is not None else (5 if smoke else 300)
    growth_max = args.growth_max if args.growth_max is not None else (400 if smoke else 100_000)
    if args.growth_checkpoints:
        checkpoints = tuple(sorted({int(x) for x in args.growth_checkpoints.split(",") if x.strip()}))
    else:
        checkpoints = tuple(sorted({max(1, growth_max // 100), max(1, growth_max // 10), growth_max}))
    window = 20 if smoke else 300
    out = Path(args.out) if args.out else (None if smoke else Path("BENCHMARKS.md"))

    from worker.bench import core

    report = Report(smoke=smoke)
    report.params = {
        "articles": n_core,
        "repeat": repeat,
        "spacy_articles": n_spacy,
        "growth": "/".join(f"{c:,}" for c in checkpoints),
        "seed": args.seed,
    }
    print(f"crosscheck bench: {'smoke, ' if smoke else ''}{n_core} articles x {repeat}", file=sys.stderr)

    from worker.bench.against import SECTION_BASE
    from worker.bench.baseline import SECTION as SECTION_SPACY
    from worker.bench.kafka import SECTION_KAFKA, SECTION_OVERHEAD
    from worker.bench.real import SECTION_REAL
    from worker.bench.store import SECTION_STORE

    names = {
        "1": core.SECTION_CORE,
        "2": SECTION_SPACY,
        "3": SECTION_KAFKA,
        "4": SECTION_OVERHEAD,
        "5": core.SECTION_GROWTH,
        "6": SECTION_REAL,
        "7": SECTION_STORE,
        "8": SECTION_BASE,
    }
    chosen = {part.strip() for part in args.sections.split(",") if part.strip()}
    if not chosen <= set(names):
        raise SystemExit(f"crosscheck bench: --sections takes numbers 1-8, got {args.sections!r}")
    # The ratios in 2 and 4 need the core rate, so section 1 runs whenever they do.
    run_core = bool(chosen & {"1", "2", "4"})

    core_rate: float | None = None
    if run_core:
        try:
            core_rate = core.core_throughput(report, n_core, repeat, args.seed)
        except ImportError as exc:
            # Core modules may be mid-rewrite; the other sections can still say something.
            report.skip(core.SECTION_CORE, f"the core pipeline does not import: {exc}")

    if "2" not in chosen or args.skip_spacy:
        report.skip(SECTION_SPACY, "--skip-spacy" if args.skip_spacy else "not selected")
    else:
        from worker.bench.baseline import spacy_throughput

        spacy_throughput(report, n_spacy, repeat, args.seed, core_rate)

    if args.skip_kafka or not chosen & {"3", "4"}:
        why = "--skip-kafka" if args.skip_kafka else "not selected"
        report.skip(SECTION_KAFKA, why)
        report.skip(SECTION_OVERHEAD, why)
    else:
        from worker.bench.kafka import KafkaParams, kafka_path

        params = KafkaParams(repeat=repeat)
        if smoke:
            params.sustained_articles, params.latency_seconds = 60, 3.0
        kafka_path(report, params, core_rate)

    if args.skip_growth or "5" not in chosen:
        report.skip(core.SECTION_GROWTH, "--skip-growth" if args.skip_growth else "not selected")
    else:
        try:
            core.growth(
                report, checkpoints, window, max(3, repeat) if not smoke else 1, args.seed + 7, jobs=args.jobs
            )
        except ImportError as exc:
            report.skip(core.SECTION_GROWTH, f"the core pipeline does not import: {exc}")

    if args.skip_kafka or "6" not in chosen:
        report.skip(SECTION_REAL, "--skip-kafka" if args.skip_kafka else "not selected")
    else:
        from worker.bench.real import RealParams, real_articles

        real = RealParams(
            repeat=repeat,
            seed=args.seed,
            profile_worker=args.profile_worker,
            worker_env={"CROSSCHECK_STORE": args.store},
        )
        if args.real_articles is not None:
            real.articles = args.real_articles
        if smoke:
            real.articles, real.bursts, real.burst_gap_s = 60, 2, 0.5
        real_articles(report, real)

    if "7" in chosen and not args.skip_kafka:
        from worker.bench.store import StoreParams, state_store

        store_params = StoreParams()
        if smoke:
            store_params.checkpoints, store_params.chunk, store_params.ready_timeout = (
                (100, 200, 300),
                100,
                120,
            )
        state_store(report, store_params)
    else:
        report.skip(SECTION_STORE, "--skip-kafka" if args.skip_kafka else "not selected (--sections 7)")

    if args.baseline:
        from worker.bench.against import against_base

        n_real = 60 if smoke else (args.real_articles or 1000)
        against_base(report, args.baseline, repeat=repeat, n_synth=n_core, n_real=n_real, seed=args.seed)
    else:
        report.skip(SECTION_BASE, "no --baseline REF")

    if args.profile:
        from worker.bench.profile import profile_core

        report.profile = profile_core(args.profile_articles if not smoke else 30, args.seed + 11)

    ran = {names[k] for k in chosen} | ({core.SECTION_CORE} if run_core else set())
    ran |= {SECTION_BASE} if args.baseline else set()
    if out is not None and ran != set(names.values()):
        # Sections not run keep their figures from the existing report (marked "from <date>").
        report.carry_over(previous_data(out), ran)

    print(render_text(report))
    if report.profile:
        print(report.profile)
    if out is not None:
        write_markdown(report, out)
        print(f"wrote {out}", file=sys.stderr)
    return 0
