"""Write the datasets as Parquet, a document at a time, with memory flat in the corpus size.

Rows arrive per document and are buffered per dataset only up to PART_ROWS, then written as a
part file into the run's staging folder; at the end each dataset is compacted from its parts by
streaming record batches into its folder, so the parent never holds the corpus.

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
# worker is forked from the parent and counts the parent's pages in its own resident memory
PART_ROWS = 1000
UNKNOWN = "unknown"  # folder of the rows whose partition key is null
PART_FILE = "part-0.parquet"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def segment(value) -> str:
    """Folder name for a partition key value (null -> unknown; nothing that could escape the folder)."""
    return UNKNOWN if value is None else _UNSAFE.sub("_", str(value)) or UNKNOWN


class RunWriter:
    """Collects one run's rows per dataset in part files under `staging`, then compacts them."""

    def __init__(self, staging: Path):
        self.staging = staging
        self._buffers: dict[str, list[pa.Table]] = {name: [] for name in DATASETS}
        self._buffered: dict[str, int] = dict.fromkeys(DATASETS, 0)
        self._parts: dict[str, list[Path]] = {name: [] for name in DATASETS}
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
        self._buffers[name].append(table)
        self._buffered[name] += table.num_rows
        self.rows[name] += table.num_rows
        if self._buffered[name] >= PART_ROWS:
            self._flush(name)

    def _flush(self, name: str) -> None:
        if not self._buffers[name]:
            return
        folder = self.staging / "parts" / name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{len(self._parts[name]):06d}.parquet"
        pq.write_table(pa.concat_tables(self._buffers[name]), path)
        self._parts[name].append(path)
        self._buffers[name], self._buffered[name] = [], 0
        pa.default_memory_pool().release_unused()  # give freed Arrow buffers back before the next fork

    def batches(self, name: str, columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
        """The rows of `name` so far, in arrival order, a batch at a time."""
        self._flush(name)
        for path in self._parts[name]:
            yield from pq.ParquetFile(path).iter_batches(columns=columns)

    def read(self, name: str, columns: list[str] | None = None) -> pa.Table:
        schema = DATASETS[name].schema
        if columns:
            schema = pa.schema([schema.field(c) for c in columns])
        return pa.Table.from_batches(list(self.batches(name, columns)), schema=schema)

    def compact(self, dest: Path, stamp: Callable[[str, pa.RecordBatch], pa.RecordBatch] | None = None) -> None:
        """Write every declared dataset into dest/<name>/ (an empty one still gets a file with its columns);
        `stamp(name, batch)` fills columns known only once every document is in (plan identity)."""
        for name, spec in DATASETS.items():
            folder = dest / name
            folder.mkdir(parents=True)
            self._flush(name)
            batches = self.batches(name) if stamp is None else (stamp(name, b) for b in self.batches(name))
            if not self.rows[name]:
                pq.write_table(spec.schema.empty_table(), folder / PART_FILE)
            elif spec.partition_by:
                _write_partitioned(batches, spec.schema, spec.partition_by, folder)
            else:
                with pq.ParquetWriter(folder / PART_FILE, spec.schema) as w:
                    for batch in batches:
                        w.write_batch(batch)


def _write_partitioned(batches: Iterator[pa.RecordBatch], schema: pa.Schema, keys: tuple[str, ...],
                       folder: Path) -> None:
    # the folder names are computed into extra columns that write_dataset consumes (it drops the
    # columns it partitions on), so the files keep the real, typed key columns
    names = [f"__segment_{i}" for i in range(len(keys))]
    with_keys = pa.schema(list(schema) + [pa.field(n, pa.string()) for n in names])

    def keyed() -> Iterator[pa.RecordBatch]:
        for batch in batches:
            cols = list(batch.columns)
            for k in keys:
                v = pc.cast(batch.column(k), pa.string())
                v = pc.replace_substring_regex(v, _UNSAFE.pattern, "_")
                cols.append(pc.fill_null(pc.if_else(pc.equal(v, ""), None, v), UNKNOWN))  # as segment()
            yield pa.RecordBatch.from_arrays(cols, schema=with_keys)

    import pyarrow.dataset as pads  # after the CLI has told pyarrow there is no pandas (pipeline/warm.py)

    pads.write_dataset(keyed(), folder, schema=with_keys, format="parquet",
                       partitioning=pads.partitioning(pa.schema([pa.field(n, pa.string()) for n in names])),
                       basename_template="part-{i}.parquet", existing_data_behavior="overwrite_or_ignore",
                       use_threads=False, preserve_order=True)


def sort_table(table: pa.Table, keys: list[str]) -> pa.Table:
    """Deterministic row order, so a re-run writes identical files."""
    if table.num_rows == 0:
        return table
    return table.take(pc.sort_indices(table, sort_keys=[(k, "ascending") for k in keys]))
