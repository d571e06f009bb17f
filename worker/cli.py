"""The ``crosscheck`` command line.

Every command reads the same environment variables (``worker/settings.py``).  Data
goes to stdout; logs and progress bars go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

import orjson
from tqdm import tqdm

from worker import __version__
from worker.settings import Settings, SettingsError

log = logging.getLogger("crosscheck")


# --------------------------------------------------------------------------- helpers


def _setup_logging(settings: Settings) -> None:
    level = getattr(logging, settings.log_level.upper(), logging.INFO)
    if settings.log_format == "json":
        fmt = '{"t":"%(asctime)s","level":"%(levelname)s","logger":"%(name)s","msg":%(message)r}'
    else:
        fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    logging.basicConfig(level=level, format=fmt, stream=sys.stderr, force=True)


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise SystemExit(f"crosscheck: configuration error: {exc}") from None


def _new_loop() -> asyncio.AbstractEventLoop:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    return loop


# --------------------------------------------------------------------------- broker


def cmd_broker(args: argparse.Namespace) -> int:
    """Run Tansu until SIGINT or SIGTERM; either stops the broker before this returns.

    The broker is in its own process group and dies with this process even when this
    one is SIGKILLed (``worker.broker.spawn``), so it never outlives the command.
    """
    from worker.broker import Terminated, start_broker, stop_process, terminate_on_sigterm

    with terminate_on_sigterm():
        proc = start_broker(args.port, host=args.host)
        print(
            f"embedded broker (Tansu) listening on kafka://{args.host}:{args.port}; "
            "Ctrl-C or SIGTERM stops it",
            file=sys.stderr,
        )
        try:
            return proc.wait()
        except (KeyboardInterrupt, Terminated):
            return 0
        finally:
            stop_process(proc)


# --------------------------------------------------------------------------- worker


def cmd_worker(args: argparse.Namespace) -> int:
    import faust

    from worker.app import LocalState, create_app
    from worker.topics import ensure_topics

    settings = _settings()
    _setup_logging(settings)
    loop = _new_loop()
    created = loop.run_until_complete(ensure_topics(settings))
    if created:
        log.info("created topics %s", ", ".join(created))
    app = create_app(settings)
    worker = faust.Worker(app, loop=loop, loglevel=settings.log_level, quiet=True, redirect_stdouts=False)
    # No spinner: with it, faust sets the root logger to DEBUG whenever the level is
    # WARNING or higher, so every faust/aiokafka debug call builds a record (~3% CPU).
    worker.spinner = None
    log.info(
        "crosscheck %s worker: broker %s, metrics on http://%s:%d/metrics",
        __version__,
        settings.broker,
        settings.web_host,
        settings.web_port,
    )
    local = LocalState(settings, Path(app.conf.tabledir))
    if local.start():
        log.warning(
            "the last run did not stop cleanly: local tables in %s dropped, restoring them "
            "from the changelogs",
            app.conf.tabledir,
        )
    try:
        worker.execute_from_commandline()
    except SystemExit as exc:
        if exc.code in (0, None) and worker.crash_reason is None:
            local.clean_stop()
        raise
    return 0


# --------------------------------------------------------------------------- produce


async def _produce(settings: Settings, path: Path, progress: bool, rate: float) -> int:
    from aiokafka import AIOKafkaProducer

    from worker.inputs import count_inputs, iter_inputs
    from worker.topics import MAX_MESSAGE_BYTES, client_kwargs, ensure_topics

    total = count_inputs(path)
    await ensure_topics(settings)
    producer = AIOKafkaProducer(
        **client_kwargs(settings),
        acks="all",
        max_request_size=MAX_MESSAGE_BYTES,
        linger_ms=5,
    )
    await producer.start()
    sent = 0
    try:
        bar = tqdm(total=total, unit="article", desc="produce", disable=not progress, file=sys.stderr)
        futures = []
        start = time.monotonic()
        for msg in iter_inputs(path):
            futures.append(await producer.send(settings.topic_articles, value=msg.value, key=msg.key))
            sent += 1
            bar.update(1)
            if rate > 0:
                delay = start + sent / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
        for fut in futures:
            await fut
        bar.close()
    finally:
        await producer.stop()
    return sent


def cmd_produce(args: argparse.Namespace) -> int:
    from worker.inputs import InputError

    settings = _settings()
    _setup_logging(settings)
    try:
        n = _new_loop().run_until_complete(
            _produce(settings, Path(args.path), not args.no_progress, args.rate)
        )
    except InputError as exc:
        raise SystemExit(f"crosscheck produce: {exc}") from None
    print(f"published {n} articles to {settings.topic_articles!r} on {settings.broker}", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- watch


def render_card(value: dict[str, Any]) -> str:
    """A contradiction as a readable card: both sides with source, sentence and value."""
    lines = [
        f"━━ {value.get('kind', '?')} · {value.get('subject', '')} / {value.get('predicate', '')} "
        f"· confidence {value.get('confidence', 0):.2f}"
        + (" · self-contradiction" if value.get("self_contradiction") else ""),
        f"   event {value.get('event_id', '')}   id {value.get('id', '')}",
    ]
    for side in ("a", "b"):
        claims = [c for c in value.get("claims", []) if c.get("side") == side]
        for i, c in enumerate(claims):
            label = side.upper() if i == 0 else " "
            attribution = c.get("attribution") or {}
            who = c.get("source", "")
            if attribution.get("kind") == "social" and attribution.get("name") == who:
                who += f" (post in {c.get('article_id', '')}"
                who += f", {attribution['date']})" if attribution.get("date") else ")"
            elif attribution.get("kind") in ("speaker", "social") and attribution.get("name"):
                who += f" (quoting {attribution['name']}"
                who += f", {attribution['date']})" if attribution.get("date") else ")"
            lines.append(f"   {label}  {who}: \u201c{c.get('raw', '')}\u201d \u2192 {_value_text(c)}")
            sentence = " ".join(str(c.get("text", "")).split())
            wrapped = textwrap.shorten(sentence, width=220, placeholder=" …")
            lines.extend("        " + part for part in textwrap.wrap(wrapped, width=100))
    lines.append("   why: " + str(value.get("explanation", "")))
    return "\n".join(lines)


def _value_text(claim: dict[str, Any]) -> str:
    """The normalised value of a published claim, as the core describes it."""
    from worker.core.claims import describe
    from worker.core.model import Claim

    try:
        return describe(Claim.from_json({**claim, "sentence": claim.get("text", "")}))
    except (KeyError, TypeError, ValueError):
        value = claim.get("value")
        if isinstance(value, dict):
            return ", ".join(f"{k}={v}" for k, v in value.items() if v is not None)
        return str(value)


async def _watch(
    settings: Settings,
    topic: str,
    emit: Callable[[dict[str, Any]], None],
    idle_timeout: float,
    limit: int,
) -> int:
    from aiokafka import AIOKafkaConsumer

    from worker.topics import MAX_MESSAGE_BYTES, client_kwargs

    consumer = AIOKafkaConsumer(
        topic,
        **client_kwargs(settings),
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_partition_fetch_bytes=MAX_MESSAGE_BYTES,
    )
    await consumer.start()
    n = 0
    last = time.monotonic()
    try:
        while True:
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    last = time.monotonic()
                    try:
                        value = orjson.loads(record.value)
                    except orjson.JSONDecodeError:
                        continue
                    emit(value)
                    n += 1
                    if limit and n >= limit:
                        return n
            if idle_timeout and time.monotonic() - last > idle_timeout:
                return n
    finally:
        await consumer.stop()


def cmd_watch(args: argparse.Namespace) -> int:
    settings = _settings()
    topic = {"contradictions": settings.topic_contradictions, "updates": settings.topic_updates}.get(
        args.topic, args.topic
    )

    def emit(value: dict[str, Any]) -> None:
        if args.min_confidence and float(value.get("confidence", 1.0)) < args.min_confidence:
            return
        if args.json:
            sys.stdout.write(orjson.dumps(value).decode() + "\n")
        elif value.get("type") == "contradiction":
            sys.stdout.write(render_card(value) + "\n\n")
        else:
            sys.stdout.write(_update_line(value) + "\n")
        sys.stdout.flush()

    with contextlib.suppress(KeyboardInterrupt):
        _new_loop().run_until_complete(_watch(settings, topic, emit, args.idle_timeout, args.max))
    return 0


def _update_line(value: dict[str, Any]) -> str:
    keys = ("event_id", "article_id", "duplicate_of", "method", "slot", "contradiction_id", "source")
    fields = " ".join(f"{k}={value[k]}" for k in keys if value.get(k))
    return f"{value.get('type', '?'):<24} {fields}"


# --------------------------------------------------------------------------- replay


def replay(path: Path, out: IO[str], progress: bool = False) -> tuple[int, int, int]:
    """Run the core over ``path``; write output records as JSONL. Returns (inputs, rejected, outputs)."""
    from worker.app import utc_now
    from worker.core.events import EventConfig
    from worker.core.pipeline import Pipeline
    from worker.core.reconcile import ReconcileConfig
    from worker.core.validate import InvalidArticle, decode_article
    from worker.inputs import count_inputs, iter_inputs

    settings = _settings()
    try:
        event_config = EventConfig.from_env()  # CROSSCHECK_EVENT_*, as the worker reads them
        reconcile_config = ReconcileConfig.from_env()  # CROSSCHECK_ORDER_GAP_HOURS
    except ValueError as exc:
        raise SystemExit(f"crosscheck: configuration error: {exc}") from None
    pipeline = Pipeline(event_config=event_config, reconcile_config=reconcile_config)
    n_in = n_bad = n_out = 0
    bar = tqdm(total=count_inputs(path), unit="article", desc="replay", disable=not progress, file=sys.stderr)
    for msg in iter_inputs(path):
        n_in += 1
        bar.update(1)
        try:
            article = decode_article(msg.value, settings.max_article_bytes)
        except InvalidArticle as exc:
            n_bad += 1
            print(f"rejected {msg.origin}: {exc.reason}: {exc}", file=sys.stderr)
            continue
        for output in pipeline.process(article):
            record = {
                "topic": output.topic,
                "key": output.key,
                "value": {**output.value, "emitted_at": utc_now()},
            }
            out.write(orjson.dumps(record).decode() + "\n")
            n_out += 1
    bar.close()
    return n_in, n_bad, n_out


def cmd_replay(args: argparse.Namespace) -> int:
    """``topic`` in each line is the logical name ("updates"/"contradictions")."""
    from worker.inputs import InputError

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    path = Path(args.path)
    try:
        if args.out:
            with open(args.out, "w", encoding="utf-8") as fh:
                n_in, n_bad, n_out = replay(path, fh, progress=not args.no_progress)
        else:
            n_in, n_bad, n_out = replay(path, sys.stdout, progress=False)
    except InputError as exc:
        raise SystemExit(f"crosscheck replay: {exc}") from None
    print(f"replayed {n_in} inputs: {n_bad} rejected, {n_out} records written", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- demo


def cmd_demo(args: argparse.Namespace) -> int:
    from worker.broker import Terminated, terminate_on_sigterm
    from worker.demo import run_demo

    # SIGTERM unwinds like Ctrl-C: run_demo's ``finally`` stops the worker and the broker.
    with terminate_on_sigterm():
        try:
            return run_demo(Path(args.seeds), keep_running=args.keep_running)
        except (KeyboardInterrupt, Terminated):
            return 130


# --------------------------------------------------------------------------- evaluations


def cmd_eval_events(args: argparse.Namespace) -> int:
    from worker.evaluation import events

    return int(events.main(args.rest))


def cmd_eval_contradictions(args: argparse.Namespace) -> int:
    from worker.evaluation import contradictions

    return int(contradictions.main(args.rest))


def cmd_eval_stories(args: argparse.Namespace) -> int:
    from worker.evaluation import stories

    return int(stories.main(args.rest))


def cmd_bench(args: argparse.Namespace) -> int:
    from worker import bench

    return int(bench.main(args.rest))


def cmd_eval_dedup(args: argparse.Namespace) -> int:
    from worker.evaluation import dedup

    return int(dedup.main(args.rest))


# --------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crosscheck",
        description="Streaming worker that finds where news sources disagree. "
        "Configuration comes from CROSSCHECK_* environment variables (see README).",
    )
    parser.add_argument("--version", action="version", version=f"crosscheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("broker", help="run the embedded Kafka-protocol broker (Tansu) until interrupted")
    p.add_argument("--port", type=int, default=9092, help="port to listen on (default 9092)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.set_defaults(func=cmd_broker)

    p = sub.add_parser("worker", help="run the faust worker (configured by CROSSCHECK_* variables)")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("produce", help="publish a JSONL file or a directory of .txt/.json articles")
    p.add_argument("path", help="a .jsonl file, or a directory of .txt/.json files (sorted by name)")
    p.add_argument(
        "--rate", type=float, default=0.0, help="articles per second (default: as fast as possible)"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_produce)

    p = sub.add_parser("watch", help="print contradictions (or updates) as they arrive")
    p.add_argument(
        "--topic", default="contradictions", help="contradictions (default), updates, or a topic name"
    )
    p.add_argument("--json", action="store_true", help="print raw JSON lines, for piping")
    p.add_argument(
        "--min-confidence", type=float, default=0.0, help="hide contradictions below this confidence"
    )
    p.add_argument(
        "--idle-timeout", type=float, default=0.0, help="exit after this many idle seconds (0: never)"
    )
    p.add_argument("--max", type=int, default=0, help="exit after this many records (0: never)")
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("replay", help="run the same core over a file, offline, with in-memory state")
    p.add_argument("path", help="a .jsonl file, or a directory of .txt/.json files (sorted by name)")
    p.add_argument("--out", help="write JSON lines here instead of stdout")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (with --out)")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("demo", help="broker + worker + seeds end to end, then print the contradictions")
    p.add_argument("--seeds", default="seeds", help="directory of articles to publish (default: seeds)")
    p.add_argument("--keep-running", action="store_true", help="leave the stack up until Ctrl-C")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("eval-events", help="BCubed evaluation of event grouping on a labelled JSONL file")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="its own arguments (crosscheck eval-events --help)")
    p.set_defaults(func=cmd_eval_events)

    p = sub.add_parser("bench", help="benchmarks: core, spaCy baseline, Kafka path, overhead, growth")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="its own arguments (crosscheck bench --help)")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("eval-dedup", help="precision/recall of dedup on a generated labelled set")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="its own arguments (crosscheck eval-dedup --help)")
    p.set_defaults(func=cmd_eval_dedup)

    p = sub.add_parser(
        "eval-contradictions",
        help="precision, calibration, candidates and injected-conflict recall of contradictions",
    )
    p.add_argument(
        "rest", nargs=argparse.REMAINDER, help="its own arguments (crosscheck eval-contradictions --help)"
    )
    p.set_defaults(func=cmd_eval_contradictions)

    p = sub.add_parser(
        "eval-stories", help="contradictions on the written multi-outlet stories (eval/stories)"
    )
    p.add_argument(
        "rest", nargs=argparse.REMAINDER, help="its own arguments (crosscheck eval-stories --help)"
    )
    p.set_defaults(func=cmd_eval_stories)
    return parser


#: Commands whose own parser takes every argument after the command name.
PASSTHROUGH = {
    "bench": cmd_bench,
    "eval-events": cmd_eval_events,
    "eval-dedup": cmd_eval_dedup,
    "eval-contradictions": cmd_eval_contradictions,
    "eval-stories": cmd_eval_stories,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in PASSTHROUGH:
        return int(PASSTHROUGH[argv[0]](argparse.Namespace(rest=argv[1:])) or 0)
    parser = build_parser()
    args = parser.parse_args(argv)
    result = args.func(args)
    return int(result or 0)


__all__ = ["build_parser", "main", "render_card", "replay"]
