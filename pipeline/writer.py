"""Write the datasets as hive-partitioned Parquet, atomically.

All datasets are written into a staging folder beside the output, then each dataset
folder is swapped in by rename; a crash before the swap leaves the previous output as
it was, and every dataset folder is always complete.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .schema import DATASETS

NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # what pyarrow, Spark and DuckDB read back as null
ANCHOR = {True: "__schema__", False: "0"}  # zero-row partition values: string key, integer key


def _partition_value(v) -> str:
    return NULL_PARTITION if v is None else str(v)


def write_dataset(table: pa.Table, folder: Path, partition_by: tuple[str, ...]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if not partition_by or table.num_rows == 0:
        # an empty dataset still gets a file, so readers see every column
        pq.write_table(table, folder / "part-0.parquet")
        return
    keys = list(zip(*(table.column(c).to_pylist() for c in partition_by)))
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        groups[k].append(i)
    body = table.drop_columns(list(partition_by))
    if any(all(k[i] is None for k in groups) for i in range(len(partition_by))):
        # Readers infer a partition key's type from its non-null folder names; when every row's
        # key is null there is none, so a zero-row anchor partition carries the type.
        anchor = folder.joinpath(*(f"{c}={ANCHOR[table.schema.field(c).type == pa.string()]}" for c in partition_by))
        anchor.mkdir(parents=True, exist_ok=True)
        pq.write_table(body.schema.empty_table(), anchor / "part-0.parquet")
    for key, idx in sorted(groups.items(), key=lambda kv: tuple(_partition_value(v) for v in kv[0])):
        sub = folder.joinpath(*(f"{c}={_partition_value(v)}" for c, v in zip(partition_by, key)))
        sub.mkdir(parents=True, exist_ok=True)
        pq.write_table(body.take(pa.array(idx)), sub / "part-0.parquet")


def write_all(tables: dict[str, pa.Table], out: Path) -> None:
    """Write every declared dataset into `out`, replacing each one atomically."""
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".cchc-staging-", dir=out))
    try:
        for name, ds in DATASETS.items():
            table = tables.get(name, ds.schema.empty_table())
            if table.schema != ds.schema:
                table = table.cast(ds.schema)
            write_dataset(table, staging / name, ds.partition_by)
        for name in DATASETS:
            target, old = out / name, out / f".{name}.old"
            if old.exists():
                shutil.rmtree(old)
            if target.exists():
                os.replace(target, old)
            os.replace(staging / name, target)
            if old.exists():
                shutil.rmtree(old)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def sort_table(table: pa.Table, keys: list[str]) -> pa.Table:
    """Deterministic row order, so a re-run writes identical files."""
    if table.num_rows == 0:
        return table
    return table.take(pc.sort_indices(table, sort_keys=[(k, "ascending") for k in keys]))
