"""What analysts open: an Excel workbook of every dataset, a DuckDB database of views, and the
data dictionary generated from the declared schema."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyarrow as pa

from .labels import labels_vi
from .schema import DATASETS


class ExportError(Exception):
    """The output folder cannot be exported (not a cchc output, or a missing optional package)."""


def read_dataset(out: Path, name: str) -> pa.Table:
    folder = out / name
    if not folder.exists():
        raise ExportError(f"{out} has no {name}/ dataset: is it the --out folder of `cchc run`?")
    schema = DATASETS[name].schema
    import pyarrow.dataset as pads  # loaded by the commands that read an output, not by `cchc run`

    return pads.dataset(folder, format="parquet", partitioning="hive").to_table().select(schema.names)


def export_xlsx(out: Path, xlsx: Path, lang: str = "en") -> dict[str, int]:
    """The workbook to hand out (pipeline/workbook.py); sheet name -> data rows."""
    from .workbook import build_workbook
    wb, counts = build_workbook(out, lang)
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
        for name, sql in NAMED_VIEWS.items():
            con.execute(f"CREATE VIEW {name} AS {sql}")
    finally:
        con.close()
    os.replace(tmp, db)
    return [*DATASETS, *NAMED_VIEWS]


# Views with names beside codes, each plan counted once (rows of its primary file): what a BI tool or an
# analyst's SELECT should start from. Built on the dataset views above, so they follow them.
_UNIT_NAMES = ("(SELECT string_agg(u.unit_name, '; ' ORDER BY u.position) FROM task_units u "
               "WHERE u.task_id = t.task_id AND u.role = '{role}')")
NAMED_VIEWS = {
    "comparison_named": "SELECT c.*, i.name AS indicator_name, i.name_en AS indicator_name_en "
                        "FROM target_comparison c LEFT JOIN indicators i USING (indicator)",
    "tasks_named": "SELECT t.*, a.name AS area_name, " + _UNIT_NAMES.format(role="lead") + " AS lead_unit_names, "
                   + _UNIT_NAMES.format(role="support") + " AS support_unit_names FROM tasks t "
                   "JOIN documents d ON d.doc_id = t.doc_id AND d.is_primary LEFT JOIN areas a USING (area_code)",
    "targets_named": "SELECT t.*, i.name AS indicator_name, a.name AS area_name FROM targets t "
                     "JOIN documents d ON d.doc_id = t.doc_id AND d.is_primary "
                     "LEFT JOIN indicators i USING (indicator) LEFT JOIN areas a USING (area_code)",
}


def data_dictionary() -> str:
    """Markdown: every dataset and column with its type and meaning (from pipeline/schema.py)."""
    lines = ["# Data dictionary", "", "Generated from `pipeline/schema.py` by `cchc schema`; do not edit by hand.",
             "Columns whose meaning starts with *extension* are beyond the data contract "
             "([`SCHEMA.md`](SCHEMA.md)).", ""]
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
