"""Write the datasets as Parquet, a document at a time, with memory flat in the corpus size.

Rows arrive per document and are buffered per dataset only up to PART_ROWS, then written as a
part file into the run's staging folder; at the end each dataset is compacted from its parts by
streaming record batches into its folder, one file at a time, so the parent never holds the corpus.

Partitioned datasets get a folder per partition, `<name>/<province_code>/<plan_year>/part-0.parquet`
(`unknown` for a null key), and every file holds every column, the keys included. The folders
are deliberately not `key=value`: pyarrow reads a hive key as dictionary (pandas) or plain
(pyarrow.dataset) type and then refuses a file that holds the same column, and pandas cannot read
a null hive partition at all; plain folders let every reader take the typed columns from the files.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .schema import DATASETS, conform

# rows of one dataset buffered in the parent before they go to a part file: small, because every
# worker is forked from the parent and counts the parent's pages in its own resident memory (the
# datasets' row groups are made at compaction, whatever the size of the parts)
PART_ROWS = 250
# tables of one dataset buffered before they are combined into one: a document brings a one-row
# documents table and a few issue rows, and each small table costs ~15 KB of column buffers and
# C++ objects whatever its rows, so a thousand of them held the parent 15 MB above a 10-document run
MAX_PIECES = 8
# rows per row group of a dataset file. Compaction writes one file at a time: an open Parquet
# writer holds page and dictionary buffers for every column (some 9 MB for tasks), so writing every
# partition at once, as pyarrow's dataset writer does, costs memory per province and year
ROW_GROUP_ROWS = 5000
UNKNOWN = "unknown"  # folder of the rows whose partition key is null
PART_FILE = "part-0.parquet"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


class RunWriter:
    """Collects one run's rows per dataset in part files under `staging`, then compacts them."""

    def __init__(self, staging: Path):
        self.staging = staging
        self._buffers: dict[str, list[pa.Table]] = {name: [] for name in DATASETS}
        self._buffered: dict[str, int] = dict.fromkeys(DATASETS, 0)
        self._parts: dict[str, list[Path]] = {name: [] for name in DATASETS}
        # partitioned datasets: the partition folders each part file holds rows of
        self._holds: dict[str, list[set[str]]] = {name: [] for name in DATASETS}
        self.rows: dict[str, int] = dict.fromkeys(DATASETS, 0)

    def add(self, name: str, rows: list[dict]) -> None:
        if rows:
            self.add_table(name, conform(name, rows))

    def add_table(self, name: str, table: pa.Table) -> None:
        schema = DATASETS[name].schema
        if table.schema != schema:
            table = table.cast(schema)
        if not table.num_rows:
            return
        pieces = self._buffers[name]
        pieces.append(table)
        self._buffered[name] += table.num_rows
        self.rows[name] += table.num_rows
        if self._buffered[name] >= PART_ROWS:
            self._flush(name)
        elif len(pieces) >= MAX_PIECES:
            self._buffers[name] = [pa.concat_tables(pieces).combine_chunks()]

    def _flush(self, name: str) -> None:
        if not self._buffers[name]:
            return
        folder = self.staging / "parts" / name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{len(self._parts[name]):06d}.parquet"
        table = pa.concat_tables(self._buffers[name])
        pq.write_table(table, path)
        self._parts[name].append(path)
        keys = DATASETS[name].partition_by
        if keys:
            self._holds[name].append(set(_segments(table, keys).unique().to_pylist()))
        self._buffers[name], self._buffered[name] = [], 0
        pa.default_memory_pool().release_unused()  # give freed Arrow buffers back before the next fork

    def batches(self, name: str, columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
        """The rows of `name` so far, in arrival order, a batch at a time."""
        self._flush(name)
        for path in self._parts[name]:
            yield from pq.ParquetFile(path).iter_batches(columns=columns)

    def compact(self, dest: Path, stamp: Callable[[str, pa.RecordBatch], pa.RecordBatch] | None = None) -> None:
        """Write every declared dataset into dest/<name>/ (an empty one still gets a file with its columns);
        `stamp(name, batch)` fills columns known only once every document is in (plan identity)."""
        stamp = stamp or (lambda _name, batch: batch)
        for name, spec in DATASETS.items():
            folder = dest / name
            folder.mkdir(parents=True)
            self._flush(name)
            if not self.rows[name]:
                pq.write_table(spec.schema.empty_table(), folder / PART_FILE)
            elif spec.partition_by:
                self._write_partitioned(name, folder, stamp)
            else:
                _write_file((stamp(name, b) for b in self.batches(name)), spec.schema, folder / PART_FILE)

    def _write_partitioned(self, name: str, folder: Path,
                           stamp: Callable[[str, pa.RecordBatch], pa.RecordBatch]) -> None:
        """One partition at a time: its rows taken, in arrival order, from the part files that hold
        it (a part file holds the rows of a few documents, so of a few partitions: linear work)."""
        spec = DATASETS[name]
        order = dict.fromkeys(key for held in self._holds[name] for key in sorted(held))
        for key in order:
            f = _File(folder.joinpath(*key.split("/")) / PART_FILE, spec.schema)
            for path, held in zip(self._parts[name], self._holds[name]):
                if key not in held:
                    continue
                for batch in pq.ParquetFile(path).iter_batches():
                    rows = batch.filter(pc.equal(_segments(batch, spec.partition_by), key))
                    if rows.num_rows:
                        f.add(stamp(name, rows))
            f.close()


class _File:
    """One Parquet file being written: rows gathered into row groups of ROW_GROUP_ROWS."""

    def __init__(self, path: Path, schema: pa.Schema):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = pq.ParquetWriter(path, schema)
        self.pending: list[pa.RecordBatch] = []
        self.rows = 0

    def add(self, batch: pa.RecordBatch) -> None:
        self.pending.append(batch)
        self.rows += batch.num_rows
        if self.rows >= ROW_GROUP_ROWS:
            self.write()

    def write(self) -> None:
        if self.pending:
            self.writer.write_table(pa.Table.from_batches(self.pending), row_group_size=ROW_GROUP_ROWS)
        self.pending, self.rows = [], 0

    def close(self) -> None:
        self.write()
        self.writer.close()


def _write_file(batches: Iterator[pa.RecordBatch], schema: pa.Schema, path: Path) -> None:
    f = _File(path, schema)
    for batch in batches:
        f.add(batch)
    f.close()


def _segments(rows: pa.Table | pa.RecordBatch, keys: tuple[str, ...]) -> pa.Array | pa.ChunkedArray:
    """Each row's partition folders joined by "/": the key as text with anything but letters, digits,
    `-` and `_` made `_` (so nothing escapes the folder, and "/" is never inside a name), and
    `unknown` for a null or empty key."""
    segs = []
    for k in keys:
        v = pc.cast(rows.column(k), pa.string())
        v = pc.replace_substring_regex(v, _UNSAFE.pattern, "_")
        segs.append(pc.fill_null(pc.if_else(pc.equal(v, ""), None, v), UNKNOWN))
    return segs[0] if len(segs) == 1 else pc.binary_join_element_wise(*segs, "/")


def sort_table(table: pa.Table, keys: list[str]) -> pa.Table:
    """Deterministic row order, so a re-run writes identical files."""
    if table.num_rows == 0:
        return table
    return table.take(pc.sort_indices(table, sort_keys=[(k, "ascending") for k in keys]))
