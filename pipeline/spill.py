"""A mapping whose values live in a file: what the parent needs of every document until the end
of a run (each file's row signature for plan identity), without holding the corpus in memory.

Only an offset per key stays in memory. Each value is appended with its own `open`, so a worker
forked meanwhile inherits no buffered file object that could write twice.
"""
from __future__ import annotations

import pickle
from collections.abc import Iterator, MutableMapping
from pathlib import Path


class Spill(MutableMapping):
    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._index: dict[str, tuple[int, int]] = {}

    def __setitem__(self, key: str, value) -> None:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with open(self.path, "ab") as fh:
            offset = fh.tell()
            fh.write(data)
        self._index[key] = (offset, len(data))

    def __getitem__(self, key: str):
        offset, size = self._index[key]
        with open(self.path, "rb") as fh:  # our own staging file, written above
            fh.seek(offset)
            return pickle.loads(fh.read(size))

    def __delitem__(self, key: str) -> None:
        del self._index[key]  # the bytes stay until the staging folder goes

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)
