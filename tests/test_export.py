"""Issue 6 (part): the workbook, the DuckDB views and the data dictionary."""
from __future__ import annotations

import datetime as dt

import duckdb
import openpyxl
from conftest import ROOT, read, run_cli

from pipeline.export import data_dictionary


def test_workbook_has_a_sheet_per_dataset_with_the_datasets_row_counts(corpus_out, tmp_path):
    xlsx = tmp_path / "cchc.xlsx"
    proc = run_cli("export", str(corpus_out), "--xlsx", str(xlsx), "--lang", "vi")
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(xlsx)
    expected = {"documents": "documents", "tasks": "tasks", "targets": "targets", "comparison": "target_comparison",
                "par_assignments": "par_assignments", "issues": "issues"}
    assert wb.sheetnames == list(expected)
    for sheet, dataset in expected.items():
        ws = wb[sheet]
        assert ws.max_row - 1 == len(read(corpus_out, dataset)), sheet
        assert ws.freeze_panes == "A2"
    tasks = wb["tasks"]
    header = [c.value for c in tasks[1]]
    assert header[:3] == ["Mã nhiệm vụ", "Mã văn bản", "Tỉnh"]  # Vietnamese headers with --lang vi
    due = header.index("Hạn hoàn thành") + 1
    dates = [r[due - 1].value for r in tasks.iter_rows(min_row=2) if r[due - 1].value is not None]
    assert dates and all(isinstance(d, dt.datetime) for d in dates)  # real Excel dates
    units = header.index("Mã đơn vị chủ trì")
    assert any(r[units].value == "SCT.VP; SCT.TTRA; SCT.KHTC" for r in tasks.iter_rows(min_row=2))
    assert tasks.auto_filter.ref and tasks.auto_filter.ref.startswith("A1:")


def test_duckdb_database_has_a_view_per_dataset(corpus_out, tmp_path):
    db = tmp_path / "cchc.duckdb"
    assert run_cli("export", str(corpus_out), "--duckdb", str(db), "--quiet").returncode == 0
    # the views' paths are relative to the database's folder: DuckDB resolves them against file_search_path
    con = duckdb.connect(str(db), read_only=True, config={"file_search_path": str(tmp_path)})
    n = con.execute("SELECT count(*) FROM target_comparison").fetchone()[0]
    assert n == len(read(corpus_out, "target_comparison")) > 0
    row = con.execute("SELECT comparator, value FROM target_comparison WHERE indicator = 'on_time_resolution' "
                      "AND province_code = 'VN-39' AND plan_year = 2026").fetchone()
    assert row == (">=", 98.0)
    assert con.execute("SELECT count(*) FROM tasks").fetchone()[0] == len(read(corpus_out, "tasks"))


def test_export_of_a_folder_that_is_not_an_output_says_so(tmp_path):
    proc = run_cli("export", str(tmp_path), "--xlsx", str(tmp_path / "x.xlsx"))
    assert proc.returncode == 2 and "is it the --out folder" in proc.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_committed_data_dictionary_is_the_generated_one():
    committed = (ROOT / "docs" / "DATA_DICTIONARY.md").read_text("utf-8")
    assert committed == data_dictionary() + "\n", "run: cchc schema --markdown docs/DATA_DICTIONARY.md"
