"""Table heuristics on variants nobody has seen in the seeds: other column order and names,
an unknown column, rows broken across pages, merged cells open at a page break."""
from __future__ import annotations

import json

from docx import Document
from docx.oxml import OxmlElement

from extractors import RawTable, extract
from extractors.appendix import assemble
from extractors.header import field_of_header

HEADER = ["Thời hạn", "Nội dung nhiệm vụ", "TT", "Cơ quan chủ trì", "Mức độ ưu tiên", "Cơ quan phối hợp", "Chỉ tiêu"]


def test_header_names_map_by_meaning():
    assert [field_of_header(h) for h in HEADER] == ["deadline", "task", "item_no", "lead", None, "support",
                                                     "objective"]
    assert field_of_header("Thời gian hoàn\nthành") == "deadline"
    assert field_of_header("Đơn vị chủ\ntrì") == "lead"
    assert field_of_header("Kết quả/ sản phẩm") == "output"


def build_variant_docx(path):
    doc = Document()
    doc.add_paragraph("KẾ HOẠCH Cải cách hành chính năm 2025")
    t = doc.add_table(rows=1, cols=len(HEADER))
    for cell, h in zip(t.rows[0].cells, HEADER):
        cell.text = h
    tr_pr = t.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    span = t.add_row()
    span.cells[0].merge(span.cells[-1]).text = "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"
    rows = [["Quý 2/2025", "Rà soát thủ tục", "1", "Văn phòng", "Cao", "Các phòng", "100% TTHC công khai"],
            ["Thường xuyên", "Công khai thủ tục", "", "VP", "", "Thanh tra", ""],
            ["trước 30/6/2025", "Số hóa hồ sơ", "2", "Phòng KH-TC-TH", "", "Bộ phận một cửa", "Tối thiểu 80%"]]
    first = len(t.rows)
    for values in rows:
        r = t.add_row()
        for cell, v in zip(r.cells, values):
            cell.text = v
    # TT and Chỉ tiêu of item 1 merged over its two rows
    for col in (2, 6):
        top = t.cell(first, col).merge(t.cell(first + 1, col))
        for extra in top.paragraphs[1:]:  # merging appends the lower cell's (empty) paragraph
            extra._p.getparent().remove(extra._p)
    doc.save(path)


def test_docx_with_other_column_order_and_an_unknown_column(tmp_path):
    path = tmp_path / "variant.docx"
    build_variant_docx(path)
    res = assemble(extract(path).tables)
    assert len(res.rows) == 3
    first, second, third = (r.cells for r in res.rows)
    assert first["task"] == "Rà soát thủ tục" and first["deadline"] == "Quý 2/2025" and first["lead"] == "Văn phòng"
    assert first["objective"] == "100% TTHC công khai" and first["item_no"] == "1"
    assert second["objective"] == "100% TTHC công khai" and second["item_no"] is None  # merged cells inherited
    assert second["lead"] == "VP" and second["support"] == "Thanh tra"
    assert third["item_no"] == "2" and third["objective"] == "Tối thiểu 80%"
    assert {r.area_raw for r in res.rows} == {"II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"}
    assert res.rows[0].extra == {"Mức độ ưu tiên": "Cao"}  # unknown column kept ...
    assert [c for c, _ in res.warnings] == ["unknown_column"]  # ... and reported


def pdf_like(pages: list[list[list[str | None]]]) -> list[RawTable]:
    """Per-page tables as pdfplumber returns them (header repeated on every page)."""
    header = ["STT", "Mục tiêu", "Nhiệm vụ", "Sản phẩm", "Chủ trì", "Phối hợp", "Thời gian"]
    return [RawTable([header] + rows, [n] * (len(rows) + 1), "pdfplumber", n - 1) for n, rows in
            enumerate(pages, start=1)]


def test_row_broken_by_a_page_break_is_joined_back():
    tables = pdf_like([
        [["I Cải cách thể chế", None, None, None, None, None, None],
         ["1", "Mục tiêu một", "Xây dựng dự thảo văn bản quy", "Văn bản", "Văn phòng", "Thanh tra", "Quý I/2025"]],
        [["", "", "phạm pháp luật của tỉnh", "trình ban hành", "", "", ""],
         ["2", "Mục tiêu hai", "Nhiệm vụ hai", "Báo cáo", "Thanh tra", "Văn phòng", "Năm 2025"]],
    ])
    res = assemble(tables)
    assert [r.cells["task"] for r in res.rows] == ["Xây dựng dự thảo văn bản quy phạm pháp luật của tỉnh",
                                                   "Nhiệm vụ hai"]
    assert res.rows[0].cells["output"] == "Văn bản trình ban hành"
    assert res.rows[0].page == 1 and res.rows[1].page == 2


def test_new_task_row_at_the_top_of_a_page_is_not_a_continuation():
    tables = pdf_like([
        [["1", "Mục tiêu chung", "Nhiệm vụ A", "SP A", "Văn phòng", "Thanh tra", "Quý I/2025"]],
        [["", "", "Nhiệm vụ B", "SP B", "Thanh tra", "Văn phòng", "Quý II/2025"],
         [None, None, "Nhiệm vụ C", "SP C", "Văn phòng", "Các phòng", "Năm 2025"]],
    ])
    res = assemble(tables)
    assert [r.cells["task"] for r in res.rows] == ["Nhiệm vụ A", "Nhiệm vụ B", "Nhiệm vụ C"]
    assert {r.cells["objective"] for r in res.rows} == {"Mục tiêu chung"}  # the merged objective, across pages
    assert [r.cells["item_no"] for r in res.rows] == ["1", None, None]


def test_narrow_columns_wrap_mid_token_and_join_right():
    tables = pdf_like([[["1.2", "Tỷ lệ đạt tối\nthiểu 97%", "Nhiệm\nvụ", "Quyết\nđịnh", "Phòng KH-\nTC-TH",
                         "Các phòng,\nđơn vị", "Tháng 01-\n02/2025"]]])
    cells = assemble(tables).rows[0].cells
    assert cells["deadline"] == "Tháng 01-02/2025" and cells["lead"] == "Phòng KH-TC-TH"
    assert cells["objective"] == "Tỷ lệ đạt tối thiểu 97%" and cells["support"] == "Các phòng, đơn vị"


def test_a_document_without_a_table_gives_no_table_found(tmp_path):
    from pipeline.assemble import document_rows
    p = tmp_path / "plan.txt"
    p.write_text("KẾ HOẠCH Cải cách hành chính năm 2025\nI. MỤC ĐÍCH\n- Nội dung.\n", encoding="utf-8")
    rows = document_rows(extract(p), {"doc_id": "0" * 16, "source_file": "plan.txt", "province": None,
                                      "province_code": None, "plan_year": 2025, "agency": None})
    assert rows.tasks == [] and [i["code"] for i in rows.issues] == ["no_table_found"]
    assert json.dumps(rows.issues, ensure_ascii=False)
