"""Tab-separated tables in pre-extracted text: grid repair, stacked sub-rows, page breaks,
on a variant with other columns and order (not the seed's wording)."""
from __future__ import annotations

from extractors.appendix import assemble
from extractors.model import TextLine
from extractors.txt_tables import fit_width, split_stacked, tab_tables


def test_fit_width_drops_a_repeated_unit_cell_not_a_task_equal_to_its_activity():
    row = ["4", "Mục tiêu", "Làm A", "Làm A", "Sản phẩm", "Phòng X, Tổ Y", "Phòng X", "Các phòng", "Quý I", "KP"]
    fitted, extra = fit_width(row, 9)
    assert fitted == ["4", "Mục tiêu", "Làm A", "Làm A", "Sản phẩm", "Phòng X, Tổ Y", "Các phòng", "Quý I", "KP"]
    assert extra == []


def test_fit_width_aligns_a_tail_pushed_right_by_an_empty_cell_and_keeps_what_cannot_fit():
    fitted, extra = fit_width(["", "tiếp theo", "", "", "còn lại"], 4)
    assert fitted == ["", "tiếp theo", "", "còn lại"]
    fitted, extra = fit_width(["a", "b", "c", "d"], 3)
    assert fitted == ["a", "b", "c"] and extra == ["d"]  # nothing dropped: the caller keeps `extra`
    assert fit_width(["a"], 3) == (["a", "", ""], [])


def test_stacked_sub_rows_split_back_into_two_rows():
    row = ["", "", "Lập kế hoạch kiểm tra", "- Dự thảo kế hoạch. - Tổ chức kiểm tra.",
           "Kế hoạch được duyệt Biên bản kiểm tra", "Thanh tra Thanh tra", "Văn phòng Văn phòng",
           "Quý I/2025 Quý III/2025", " Ngân sách"]
    first, second = split_stacked(row)
    assert first == ["", "", "Lập kế hoạch kiểm tra", "- Dự thảo kế hoạch.", "Kế hoạch được duyệt", "Thanh tra",
                     "Văn phòng", "Quý I/2025", ""]
    assert second == ["", "", None, "- Tổ chức kiểm tra.", "Biên bản kiểm tra", "Thanh tra", "Văn phòng",
                      "Quý III/2025", "Ngân sách"]


def test_a_single_repeated_word_is_not_a_stacked_row():
    assert split_stacked(["1", "Văn phòng Văn phòng", "Làm A", "Thanh tra", "Quý I"]) is None


def test_variant_tab_table_assembles_with_page_break_continuation_and_markup():
    text = "\n".join([
        "Bảng nhiệm vụ",
        "Thời hạn\tNội dung nhiệm vụ\tTT\tCơ quan chủ trì\tCơ quan phối hợp\tChỉ tiêu",
        "\tII. CẢI CÁCH THỦ TỤC HÀNH CHÍNH\t\t\t\t",
        'Quý 2/2025\tRà soát thủ tục hành chính thuộc\t1\tVăn phòng\tCác phòng\t<ul style="x"> - Công khai 100%. '
        "- Số hóa 80%.",
        "",
        "\tthẩm quyền của Sở\t\t\t\t",
        "Thường xuyên\tCông khai thủ tục\t2\tThanh tra\tVăn phòng\t",
        "Ký tên",
    ])
    tables = tab_tables([TextLine(t) for t in text.splitlines()])
    assert len(tables) == 1 and tables[0].row_pages[-1] == 2
    result = assemble(tables)
    rows = [r.cells for r in result.rows]
    assert len(rows) == 2
    assert rows[0]["task"] == "Rà soát thủ tục hành chính thuộc thẩm quyền của Sở"
    assert rows[0]["objective"] == "- Công khai 100%.\n- Số hóa 80%."
    assert rows[0]["deadline"] == "Quý 2/2025" and rows[1]["lead"] == "Thanh tra"
    assert {r.area_raw for r in result.rows} == {"II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"}
