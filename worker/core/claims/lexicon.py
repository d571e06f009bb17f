"""Regex helpers: word lists compiled as prefix trees.

A plain alternation ``a|ab|abc|…`` of a hundred words makes the regex engine try every word at
every position.  A prefix tree (``a(?:b(?:c)?)?``) tries each character once, which is what keeps
the lexicon patterns fast enough (and strictly linear) on long or hostile input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_Trie = dict[str, "_Trie"]


def trie_regex(words: Iterable[str]) -> str:
    """A non-capturing regex matching exactly ``words`` (longest first), as a prefix tree.

    Words may contain spaces (matched as ``\\s``), dots and hyphens; matching is as given, use
    ``(?i:…)`` around the result for case-insensitivity.
    """
    tree: _Trie = {}
    for w in sorted(set(words)):
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(tree)


def _esc(ch: str) -> str:
    return r"\s" if ch == " " else re.escape(ch)


def _emit(node: _Trie) -> str:
    end = "" in node
    branches = [_esc(ch) + _emit(child) for ch, child in sorted(node.items(), key=lambda kv: kv[0]) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end:
        return "(?:" + body + ")?"
    return (
        body
        if len(branches) == 1 and len(body) <= 2
        else ("(?:" + body + ")" if len(branches) == 1 else body)
    )


def contains_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether any of ``words`` occurs in ``text`` (a prefilter before the real patterns).

    A loop of ``in`` tests is about twice as fast as a prefix-tree regex search on a sentence:
    ``in`` is a C substring search, while the regex engine enters the tree at every position whose
    character starts some word.
    """
    for w in words:  # noqa: SIM110 - the loop is the point: any() over a generator costs ~2x more
        if w in text:
            return True
    return False
