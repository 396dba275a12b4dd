"""What analysts open: an Excel workbook of every dataset, a DuckDB database of views, and the
data dictionary generated from the declared schema."""
from __future__ import annotations

import csv
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as pads

from .schema import DATASETS

SHEET_NAMES = {"documents": "documents", "tasks": "tasks", "targets": "targets",
               "target_comparison": "comparison", "par_assignments": "par_assignments", "issues": "issues"}


class ExportError(Exception):
    """The output folder cannot be exported (not a cchc output, or a missing optional package)."""


@lru_cache(maxsize=1)
def labels_vi() -> dict[str, str]:
    with open(Path(__file__).with_name("data") / "labels_vi.csv", encoding="utf-8") as fh:
        return {r["column"]: r["vi"] for r in csv.DictReader(fh)}


def read_dataset(out: Path, name: str) -> pa.Table:
    folder = out / name
    if not folder.exists():
        raise ExportError(f"{out} has no {name}/ dataset: is it the --out folder of `cchc run`?")
    schema = DATASETS[name].schema
    return pads.dataset(folder, format="parquet", partitioning="hive").to_table().select(schema.names)


def _cell(value):
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)  # unit ids and target ids, readable in one cell
    return value


def export_xlsx(out: Path, xlsx: Path, lang: str = "en") -> dict[str, int]:
    """One sheet per dataset (the comparison too); header frozen, filters on, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    counts: dict[str, int] = {}
    for name, sheet in SHEET_NAMES.items():
        table = read_dataset(out, name)
        ws = wb.create_sheet(sheet)
        names = table.schema.names
        ws.append([labels_vi().get(c, c) if lang == "vi" else c for c in names])
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in table.to_pylist():
            ws.append([_cell(row[c]) for c in names])
        for i, field in enumerate(table.schema, start=1):
            letter = get_column_letter(i)
            if pa.types.is_date(field.type):
                for cell in ws[letter][1:]:
                    cell.number_format = "dd/mm/yyyy"
            width = 14 if not pa.types.is_string(field.type) else 28
            if field.name in ("task", "objective", "activity", "output", "message", "indicator_raw", "title"):
                width = 60
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "A2"
        if table.num_rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{table.num_rows + 1}"
        counts[sheet] = table.num_rows
    _atomic_save(lambda p: wb.save(p), xlsx)
    return counts


def export_duckdb(out: Path, db: Path) -> list[str]:
    """A DuckDB database with one view per dataset over the Parquet files.

    The paths in the views are relative to the database file's folder (through DIR/<name>, so the
    views follow the latest run): moved together with DIR they keep working. DuckDB resolves them
    against its working folder or `file_search_path`, so open the database from its folder or with
    that setting (`duckdb.connect(db, config={"file_search_path": str(db.parent)})`)."""
    try:
        import duckdb
    except ImportError as exc:
        raise ExportError("the DuckDB export needs duckdb: pip install 'cchc[sql]'") from exc
    for name in DATASETS:
        read_dataset(out, name)  # a clear error before anything is written
    tmp = db.with_name(db.name + ".part")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp), config={"file_search_path": str(db.absolute().parent)})
    try:
        for name, ds in DATASETS.items():  # every column is in the files: no hive keys to parse
            rel = Path(os.path.relpath(out.absolute() / name, db.absolute().parent))
            glob = (rel / "**" / "*.parquet").as_posix().replace("'", "''")
            con.execute(f"CREATE VIEW {name} AS SELECT {', '.join(ds.schema.names)} FROM "
                        f"read_parquet('{glob}', hive_partitioning = false, union_by_name = true)")
    finally:
        con.close()
    os.replace(tmp, db)
    return list(DATASETS)


def data_dictionary() -> str:
    """Markdown: every dataset and column with its type and meaning (from pipeline/schema.py)."""
    lines = ["# Data dictionary", "", "Generated from `pipeline/schema.py` by `cchc schema`; do not edit by hand.",
             "Columns whose meaning starts with *extension* are beyond the data contract "
             "(`../shared/SCHEMA.md`).", ""]
    for name, ds in DATASETS.items():
        part = f" Partitioned by {', '.join(ds.partition_by)}." if ds.partition_by else " Not partitioned."
        lines += [f"## {name}", "", f"{ds.doc[:1].upper()}{ds.doc[1:]}.{part}", "",
                  "| column | type | Vietnamese label | meaning |", "|---|---|---|---|"]
        for f in ds.schema:
            meaning = ds.descriptions.get(f.name, "").replace("|", "\\|")  # a pipe would split the cell
            lines.append(f"| `{f.name}` | {f.type} | {labels_vi().get(f.name, '')} | {meaning} |")
        lines.append("")
    return "\n".join(lines)


def _atomic_save(save, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a report is meant to be shared
    try:
        save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
