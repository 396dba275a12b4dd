"""Issue 6 (part): the workbook, the DuckDB views and the data dictionary."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import duckdb
import openpyxl
import pytest
from conftest import ROOT, read, run_cli
from pypdf import PdfReader

from pipeline.export import data_dictionary
from pipeline.labels import target_text, text


@pytest.fixture(scope="module")
def workbooks(corpus_out, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("xlsx")
    paths = {}
    for lang in ("vi", "en"):
        paths[lang] = folder / f"cchc_{lang}.xlsx"
        proc = run_cli("export", str(corpus_out), "--xlsx", str(paths[lang]), "--lang", lang)
        assert proc.returncode == 0, proc.stderr
    return paths


def test_workbook_starts_with_a_sheet_saying_what_each_sheet_holds_and_which_run(workbooks, corpus_out):
    wb = openpyxl.load_workbook(workbooks["vi"])
    about = wb[wb.sheetnames[0]]
    assert wb.sheetnames[0] == text("sheet.about", "vi")
    assert str(corpus_out) in about["A2"].value and "cchc" in about["A2"].value
    listed = {r[0].value: r[2].value for r in about.iter_rows(min_row=6) if r[0].value}
    assert list(listed) == wb.sheetnames[1:]  # every other sheet, in order, with its row count
    for name, n in listed.items():
        assert wb[name].max_row - 1 == n, name


def test_workbook_counts_each_plan_once_and_shows_names_beside_codes(workbooks, corpus_out):
    wb = openpyxl.load_workbook(workbooks["vi"])
    docs = read(corpus_out, "documents")
    counted = {d["doc_id"] for d in docs if d["is_primary"]}
    tasks = wb[text("sheet.tasks", "vi")]
    assert tasks.max_row - 1 == sum(t["doc_id"] in counted for t in read(corpus_out, "tasks")) == 188
    assert wb[text("sheet.documents", "vi")].max_row - 1 == len(docs)  # every file listed, counted or not
    header = [c.value for c in tasks[1]]
    assert header[:3] == ["Mã nhiệm vụ", "Mã văn bản", "Tỉnh"]  # Vietnamese headers with --lang vi
    col = {h: i for i, h in enumerate(header)}
    rows = list(tasks.iter_rows(min_row=2, values_only=True))
    ids_and_names = [(r[col["Mã đơn vị chủ trì"]], r[col["Đơn vị chủ trì"]]) for r in rows]
    assert ("SCT.VP; SCT.TTRA; SCT.KHTC",
            "Văn phòng Sở; Thanh tra Sở; Phòng Kế hoạch – Tài chính – Tổng hợp") in ids_and_names
    assert {r[col["Tên lĩnh vực"]] for r in rows} >= {"Cải cách thể chế", "Cải cách thủ tục hành chính"}
    assert "Thường xuyên" in {r[col["Loại thời hạn (tên)"]] for r in rows}
    due = col["Hạn hoàn thành"]
    dates = [r[due] for r in rows if r[due] is not None]
    assert dates and all(isinstance(d, dt.datetime) for d in dates)  # real Excel dates
    assert tasks.auto_filter.ref and tasks.auto_filter.ref.startswith("A1:") and tasks.freeze_panes == "A2"
    en = openpyxl.load_workbook(workbooks["en"])
    en_header = [c.value for c in en[text("sheet.tasks", "en")][1]]
    assert en_header[:3] == ["task_id", "doc_id", "province"] and "lead_unit_names" in en_header


def test_comparison_sheet_is_an_indicator_by_plan_matrix_with_comparators(workbooks, corpus_out):
    wb = openpyxl.load_workbook(workbooks["vi"])
    ws = wb[text("sheet.comparison_matrix", "vi")]
    header = [c.value for c in ws[1]]
    assert header[2:] == ["Gia Lai 2023", "Hà Tĩnh 2023", "Đồng Nai 2024", "Đồng Nai 2026"]
    cells = {(r[1], p): r[i + 2] for r in ws.iter_rows(min_row=2, values_only=True) for i, p in enumerate(header[2:])}
    for c in read(corpus_out, "target_comparison"):
        plan = f"{c['province']} {c['plan_year']}"
        assert cells[(c["indicator"], plan)] == target_text(c["comparator"], c["value"], c["value_max"], c["unit"],
                                                            "vi")
    assert cells[("on_time_resolution", "Đồng Nai 2026")] == "≥ 98%"
    equal = next(cell for row in ws.iter_rows(min_row=2) for cell in row if str(cell.value).startswith("= "))
    assert equal.data_type == "s"  # '= 100%' stays text, not a broken formula


def test_every_sheet_is_set_up_to_print_landscape_fitted_to_width_with_the_header_repeated(workbooks):
    wb = openpyxl.load_workbook(workbooks["vi"])
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        if ws.title != wb.sheetnames[0]:
            assert ws.print_title_rows.replace("$", "") == "1:1", ws.title
            assert ws.max_row == 1 or any(c.alignment.wrap_text for c in ws[2]), ws.title  # (ws[2] makes a row)


def test_workbook_renders_to_landscape_pages_in_libreoffice(workbooks, tmp_path):
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (make testdeps installs it when run as root)")
    proc = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                           "pdf", "--outdir", str(tmp_path), str(workbooks["vi"])], capture_output=True, text=True,
                          timeout=240)
    pdf = tmp_path / "cchc_vi.pdf"
    if not pdf.exists():
        pytest.skip(f"LibreOffice could not open the workbook (is libreoffice-calc installed?): {proc.stderr[-300:]}")
    pages = PdfReader(pdf).pages
    assert all(p.mediabox.width > p.mediabox.height for p in pages)  # landscape
    assert len(pages) < 150  # fitted to the width: was 284 portrait pages
    assert text("about.title", "vi") in pages[0].extract_text()


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
    # the named views: names beside codes, each plan once
    assert con.execute("SELECT indicator_name FROM comparison_named WHERE indicator = 'on_time_resolution' "
                       "LIMIT 1").fetchone() == ("Tỷ lệ giải quyết hồ sơ TTHC đúng hạn",)
    assert con.execute("SELECT count(*) FROM tasks_named").fetchone()[0] == 188
    assert con.execute("SELECT lead_unit_names FROM tasks_named WHERE list_has(lead_units, 'SCT.TTRA') "
                       "AND len(lead_units) = 1 LIMIT 1").fetchone() == ("Thanh tra Sở",)


def test_export_of_a_folder_that_is_not_an_output_says_so(tmp_path):
    proc = run_cli("export", str(tmp_path), "--xlsx", str(tmp_path / "x.xlsx"))
    assert proc.returncode == 2 and "is it the --out folder" in proc.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_committed_data_dictionary_is_the_generated_one():
    committed = (ROOT / "docs" / "DATA_DICTIONARY.md").read_text("utf-8")
    assert committed == data_dictionary() + "\n", "run: cchc schema --markdown docs/DATA_DICTIONARY.md"
