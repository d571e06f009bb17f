"""``crosscheck eval-stories``: contradictions on written multi-outlet stories.

The development corpus (ECB+) holds 40 events in 20 kinds of news.  The stories in
``eval/stories/`` are fictional events written for this project, three outlets each, in
kinds of news ECB+ lacks (a cup final, an election, a mine blast, a siege, a ransomware
attack, a rate decision ...).  Each outlet's report has the background a real one has:
past happenings with their own figures, parts, totals, plans, rounding, tolls that grow.
Each story lists the disagreements its writer planted (``true_disagreements``: per
article, the value it gives) and the look-alikes that are not disagreements.

Every story is replayed alone through the whole :class:`~worker.core.pipeline.Pipeline`.
A raised contradiction is **true** when one planted disagreement covers it: every article
on either side gives a value for it, the two sides' planted values differ, and each
claim's quoted words share a number or a word with its article's planted value.  Anything
else raised is **false**.  Recall is over planted disagreements (one found is one raised
true contradiction that it covers).

Files are split by how they were used: ``design`` stories were read while changing the
rules; ``held-out`` ones were measured before any rule was designed on them and are the
honest figure (see ``docs/evaluation.md`` for which rules were later designed on which).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from worker.core.model import Article
from worker.core.pipeline import Pipeline

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "eval" / "stories"

_TOKEN = re.compile(r"\d+(?:[.:,]\d+)*|[a-z]{3,}")
_STOP = frozenset(
    ("the", "and", "for", "about", "around", "some", "more", "than", "with", "its", "his", "her")
)


def _tokens(text: str) -> set[str]:
    out = set()
    for tok in _TOKEN.findall(text.lower()):
        if tok in _STOP:
            continue
        out.add(tok.rstrip("s") if tok.isalpha() else tok.replace(",", ""))
    return out


@dataclass
class StoryResult:
    name: str
    planted: int
    raised: list[dict[str, Any]] = field(default_factory=list)
    true: list[dict[str, Any]] = field(default_factory=list)
    found: set[int] = field(default_factory=set)


def covering(record: Mapping[str, Any], planted: Sequence[Mapping[str, Any]]) -> int | None:
    """The index of the planted disagreement that ``record`` raises, else None."""
    sides: dict[str, set[str]] = {"a": set(), "b": set()}
    for claim in record.get("claims", ()):
        sides.setdefault(str(claim.get("side")), set()).add(str(claim["article_id"]))
    for i, item in enumerate(planted):
        values: Mapping[str, str] = item.get("values", {})
        if not all(aid in values for side in sides.values() for aid in side):
            continue
        va = {_norm(values[aid]) for aid in sides["a"]}
        vb = {_norm(values[aid]) for aid in sides["b"]}
        if not va or not vb or va & vb:
            continue
        if all(_tokens(str(c.get("raw", ""))) & _tokens(values[c["article_id"]]) for c in record["claims"]):
            return i
    return None


def _norm(value: str) -> str:
    """A planted value's identity: its numbers when it has any ("killed 12" = "12 dead")."""
    toks = _tokens(value)
    numbers = {t for t in toks if t[0].isdigit()}
    return " ".join(sorted(numbers or toks))


def load(paths: Iterable[Path]) -> list[tuple[str, dict[str, Any]]]:
    """(file stem, story) for every story in the given files or directories."""
    out: list[tuple[str, dict[str, Any]]] = []
    for path in paths:
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        for f in files:
            for story in json.loads(f.read_text(encoding="utf-8")):
                out.append((f.stem, story))
    return out


def run_story(story: Mapping[str, Any]) -> StoryResult:
    pipeline = Pipeline()
    raised: list[dict[str, Any]] = []
    for a in story["articles"]:
        article = Article(
            id=a["id"], text=a["text"], title=a["title"], source=a["source"], published_at=a["published_at"]
        )
        raised += [o.value for o in pipeline.process(article) if o.topic == "contradictions"]
    planted = story.get("true_disagreements", [])
    result = StoryResult(name=story["name"], planted=len(planted), raised=raised)
    for record in raised:
        i = covering(record, planted)
        if i is not None:
            result.true.append(record)
            result.found.add(i)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crosscheck eval-stories", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "paths", nargs="*", type=Path, help=f"story files or directories (default {DEFAULT_DIR})"
    )
    parser.add_argument("--verbose", action="store_true", help="print every raised contradiction")
    args = parser.parse_args(argv)
    paths = args.paths or [DEFAULT_DIR]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"crosscheck eval-stories: no such file or directory: {missing[0]}", file=sys.stderr)
        return 2
    by_file: dict[str, list[StoryResult]] = {}
    for stem, story in load(paths):
        result = run_story(story)
        by_file.setdefault(stem, []).append(result)
        if args.verbose:
            for record in result.raised:
                mark = "true " if record in result.true else "FALSE"
                print(f"  {mark} {result.name}: {record['slot']}: {record['explanation'][:200]}")
    head = ("stories", "raised", "true", "false", "precision", "planted", "found")
    print(f"{'file':<22} " + " ".join(f"{h:>9}" for h in head))
    for stem, results in [*by_file.items(), ("all", [r for rs in by_file.values() for r in rs])]:
        raised = sum(len(r.raised) for r in results)
        true = sum(len(r.true) for r in results)
        planted = sum(r.planted for r in results)
        found = sum(len(r.found) for r in results)
        precision = f"{true / raised:.3f}" if raised else "-"
        row = (len(results), raised, true, raised - true, precision, planted, found)
        print(f"{stem:<22} " + " ".join(f"{v:>9}" for v in row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
