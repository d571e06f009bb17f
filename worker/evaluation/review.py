"""The review file: unlabelled items with both sides' sentences, context and a label line.

An item is a dict (see ``worker.evaluation.contradictions``): ``type``, ``slot``,
``event_id``, ``half``, optional ``id``/``confidence``/``explanation``/``raised``, the
sides ``a`` and ``b`` (lists of claim infos: article id, title, span, raw, value,
normalised value, slot, occasion, sentence and :func:`context`), and ``label_line``.
The Markdown file shows them for a person; the ``.jsonl`` twin holds the same items for
scripts.  Both quote the articles, so both are gitignored and never committed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from worker.core.model import Article
from worker.evaluation.labels import CATEGORIES, Sides

#: Context shown around a claim: the paragraph (line) holding it, cut to this many
#: characters around the claim, and the lines before and after it, cut likewise.
CONTEXT_CHARS = 700


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _cut(text: str, lo: int, hi: int, limit: int = CONTEXT_CHARS) -> str:
    """``text`` cut to ``limit`` characters centred on [lo, hi), with ellipses where cut."""
    if len(text) <= limit:
        return text
    pad = max(0, (limit - (hi - lo)) // 2)
    start, end = max(0, lo - pad), min(len(text), hi + pad)
    return ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")


def context(article: Article | None, span: Sequence[int]) -> dict[str, str]:
    """The paragraph holding ``span`` (the claim marked ⟦…⟧) and its neighbours, as text."""
    if article is None:
        return {"previous": "", "paragraph": "", "next": ""}
    text = article.text
    lines = _lines(text)
    start, end = int(span[0]), int(span[1])
    idx = next((i for i, (lo, hi) in enumerate(lines) if lo <= start <= hi), len(lines) - 1)
    lo, hi = lines[idx]
    end = min(end, hi)
    marked = text[lo:start] + "⟦" + text[start:end] + "⟧" + text[end:hi]
    paragraph = _cut(marked, start - lo, end - lo + 2)

    def neighbour(step: int) -> str:
        j = idx + step
        while 0 <= j < len(lines):
            line = text[lines[j][0] : lines[j][1]].strip()
            if line:
                return _cut(line, len(line) if step < 0 else 0, len(line) if step < 0 else 0)
            j += step
        return ""

    return {"previous": neighbour(-1), "paragraph": paragraph.strip(), "next": neighbour(1)}


def label_line(sides: Sides, slot: str) -> dict[str, Any]:
    """A label line to fill in (``label``, ``category``, ``by``) and append to the labels."""
    return {
        "a": [list(r) for r in sides[0]],
        "b": [list(r) for r in sides[1]],
        "slot": slot,
        "label": None,
        "category": None,
        "by": None,
    }


def _md_side(name: str, info: Mapping[str, Any]) -> list[str]:
    ctx = info["context"]
    occasion = info.get("occasion") or {}
    occ = str(occasion.get("kind", "main")) + (f":{occasion['key']}" if occasion.get("key") else "")
    if occasion.get("cue"):
        occ += f" (cue “{occasion['cue']}”)"
    lines = [
        f"**{name}** `{info['article_id']}` span {info['span'][0]}–{info['span'][1]} "
        f"· title: {info['title']}",
        f"- “{info['raw']}” → {info['normalised']} · slot `{info['slot']}` · occasion {occ}"
        + (f" · source {info['source']}" if info.get("source") else ""),
        f"- value `{json.dumps(info['value'], sort_keys=True)}`",
    ]
    for key, prefix in (("previous", "before"), ("paragraph", "here"), ("next", "after")):
        if ctx.get(key):
            lines.append(f"  > *{prefix}:* {ctx[key]}")
    return lines


def render_review(items: Sequence[Mapping[str, Any]], title: str) -> str:
    """The review file's Markdown: every unlabelled item with both sides and a label line."""
    out = [
        f"# {title}",
        "",
        f"{len(items)} item(s) without a label. For each one, copy the label line, set `label` "
        f"(true/false), `category` ({', '.join(CATEGORIES)}) and `by`, and append it to the labels "
        "file. ⟦…⟧ marks the claim in its paragraph. This file quotes the articles: never commit it.",
        "",
    ]
    for n, item in enumerate(items, 1):
        head = f"## {n}. {item['type']} · `{item['slot']}`"
        if "confidence" in item:
            head += f" · confidence {item['confidence']:.3f}"
        if "raised" in item:
            head += " · raised" if item["raised"] else " · not raised"
        out += [head, "", f"event `{item['event_id']}` · half {item['half']}"]
        if item.get("explanation"):
            out.append(f"why: {item['explanation']}")
        out.append("")
        for side in ("a", "b"):
            for i, info in enumerate(item[side]):
                out += _md_side(side.upper() if i == 0 else side.upper() + f"{i + 1}", info)
                out.append("")
        out += ["```json", json.dumps(item["label_line"]), "```", ""]
    return "\n".join(out)


def write_review(path: Path, items: Sequence[Mapping[str, Any]], title: str) -> tuple[Path, Path]:
    """Write the Markdown review file and its JSONL twin (same name, ``.jsonl``).

    Given a ``.jsonl`` path, that is the twin and the Markdown file is the ``.md`` beside it.
    Returns (Markdown path, JSONL path).
    """
    md, twin = (
        (path.with_suffix(".md"), path) if path.suffix == ".jsonl" else (path, path.with_suffix(".jsonl"))
    )
    md.parent.mkdir(parents=True, exist_ok=True)
    md.write_text(render_review(items, title), encoding="utf-8")
    with twin.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    return md, twin


__all__ = ["CONTEXT_CHARS", "context", "label_line", "render_review", "write_review"]
