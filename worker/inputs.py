"""Reading articles from files: a JSONL file, or a directory of ``.txt``/``.json`` files.

Both ``produce`` and ``replay`` read inputs through ``iter_inputs`` so they see the
same messages, byte for byte: the raw value a producer would publish.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from worker.core.validate import article_from_file


@dataclass(frozen=True, slots=True)
class InputMessage:
    key: bytes | None
    value: bytes
    origin: str  # "file.jsonl:12" or "dir/file.txt", for error messages


class InputError(ValueError):
    """The path cannot be read as articles."""


def input_files(path: Path) -> list[Path]:
    return sorted(p for p in path.iterdir() if p.is_file() and p.suffix in {".txt", ".json"})


def count_inputs(path: Path) -> int:
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if path.is_dir():
        return len(input_files(path))
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def iter_inputs(path: Path) -> Iterator[InputMessage]:
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if path.is_dir():
        files = input_files(path)
        if not files:
            raise InputError(f"{path}: no .txt or .json files in this directory")
        for file in files:
            record = article_from_file(file)
            key = str(record.get("id", file.stem)).encode() if isinstance(record, dict) else None
            yield InputMessage(key, orjson.dumps(record), str(file))
        return
    with path.open("rb") as fh:
        for lineno, line in enumerate(fh, 1):
            raw = line.rstrip(b"\r\n")
            if not raw.strip():
                continue
            yield InputMessage(_key_of(raw), raw, f"{path}:{lineno}")


def _key_of(raw: bytes) -> bytes | None:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return str(data["id"]).encode()
    return None
