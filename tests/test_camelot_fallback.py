"""Borderless tables of a text PDF (a variant with other column names, a province and units the
seeds do not have): where the ruling lines find no table, the next candidate readers run — the
column-position reader first, camelot lattice and stream after it — and each reads it right."""
from __future__ import annotations

from pathlib import Path

import pdfplumber
from conftest import read, run_cli

from extractors.camelot_reader import join_wrapped_rows, looks_tabular
from extractors.pdf import TABLE_SETTINGS

VARIANT = Path(__file__).parent / "fixtures" / "variants" / "borderless_table.pdf"
# as written in scripts/build_variants.py, the source of the variant
EXPECTED = [
    ("I CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "1", "Rà soát thủ tục hành chính", "Văn phòng Sở", "Thanh tra Sở", "Quý II/2025"),
    ("I CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "2", "Công khai thủ tục trên Cổng", "Văn phòng Sở", "Các phòng", "Thường xuyên"),
    ("I CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "3", "Số hóa hồ sơ thủ tục", "Phòng QLTM", "Văn phòng Sở", "trước 30/6/2025"),
    ("II CẢI CÁCH TÀI CHÍNH CÔNG", "1", "Lập dự toán ngân sách", "Phòng KH-TC-TH", "Các phòng", "Tháng 12/2025"),
    ("II CẢI CÁCH TÀI CHÍNH CÔNG", "2", "Công khai tài chính", "Phòng KH-TC-TH", "Văn phòng Sở", "Quý IV/2025"),
]


def test_pdfplumber_alone_finds_nothing_here():
    with pdfplumber.open(VARIANT) as pdf:
        assert pdf.pages[0].find_tables(TABLE_SETTINGS) == []


def test_borderless_table_is_read_by_a_further_candidate_reader(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "quangninh.pdf").write_bytes(VARIANT.read_bytes())
    out = tmp_path / "out"
    assert run_cli("run", str(src), "--out", str(out), "--quiet").returncode == 0
    tasks = sorted(read(out, "tasks"), key=lambda t: t["source_row"])
    assert [(t["area_raw"], t["item_no"], t["task"], t["lead_raw"], t["support_raw"], t["deadline_raw"])
            for t in tasks] == EXPECTED
    assert {t["extractor"] for t in tasks} == {"pdf-columns"}  # the cheapest candidate that reads it well
    assert [t["area_code"] for t in tasks] == [3, 3, 3, 6, 6]
    assert tasks[2]["lead_units"] == ["SCT.QLTM"] and tasks[2]["deadline_kind"] == "by_date"
    doc, = read(out, "documents")
    assert doc["province_code"] == "VN-13"  # Quảng Ninh


def test_header_lines_are_recognised_but_prose_naming_the_same_words_is_not():
    assert looks_tabular("Bảng\nTT Nội dung công việc Cơ quan chủ trì Cơ quan phối hợp Thời hạn\n1 ...")
    assert not looks_tabular("- Cơ quan chủ trì: Văn phòng.\n- Cơ quan phối hợp/thực hiện: Các phòng, đơn vị "
                             "thuộc Sở.\nd) Thời gian thực hiện/hoàn thành: Trong năm 2023")


def test_stream_rows_of_a_wrapped_cell_are_joined_but_a_new_task_without_number_is_not():
    rows = [["1", "Rà soát thủ tục", "Văn phòng", "Quý I"], ["", "hành chính", "", ""],
            ["", "Công khai thủ tục", "Thanh tra", "Quý II"]]
    assert join_wrapped_rows(rows) == [["1", "Rà soát thủ tục\nhành chính", "Văn phòng", "Quý I"],
                                       ["", "Công khai thủ tục", "Thanh tra", "Quý II"]]


def test_camelot_stream_reads_the_same_rows_when_it_is_the_candidate():
    from extractors import extract
    from extractors.appendix import assemble
    from extractors.camelot_reader import camelot_tables

    doc = extract(VARIANT)
    rows = assemble(camelot_tables(VARIANT, [1], None, doc, "stream")).rows
    assert [(r.area_raw, r.cells["item_no"], r.cells["task"], r.cells["lead"], r.cells["support"],
             r.cells["deadline"]) for r in rows] == EXPECTED
    assert [r.reader for r in doc.reports] == ["pdf-rulings", "pdfplumber-rulings", "pdf-columns"]  # not camelot
