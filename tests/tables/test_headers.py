"""Header recognition by meaning: one to three header rows, group cells over sub-columns, a
numbering row, qualifiers in brackets, headers repeated on later pages."""
from __future__ import annotations

import pytest

from extractors.header import field_of_header, find_header, is_numbering_row, repeats_header
from extractors.model import Cell, Table


def table(cells: list[tuple[str, int, int, int, int]], n_rows: int, n_cols: int) -> Table:
    return Table([Cell(t, r, c, rs, cs) for t, r, c, rs, cs in cells], "test", n_rows=n_rows, n_cols=n_cols)


TWO_ROW = [("STT", 0, 0, 2, 1), ("Nhiệm vụ", 0, 1, 2, 1), ("Đơn vị thực hiện", 0, 2, 1, 2),
           ("Chủ trì", 1, 2, 1, 1), ("Phối hợp", 1, 3, 1, 1), ("Thời gian", 0, 4, 2, 1),
           ("1", 2, 0, 1, 1), ("Rà soát", 2, 1, 1, 1), ("Văn phòng", 2, 2, 1, 1), ("Thanh tra", 2, 3, 1, 1),
           ("Quý I", 2, 4, 1, 1)]

THREE_ROW = [("TT", 0, 0, 2, 1), ("Nội dung công việc", 0, 1, 2, 1), ("Thời gian thực hiện", 0, 2, 1, 2),
             ("Bắt đầu", 1, 2, 1, 1), ("Hoàn thành", 1, 3, 1, 1), ("Kinh phí", 0, 4, 1, 2),
             ("Nguồn", 1, 4, 1, 1), ("Số tiền (triệu đồng)", 1, 5, 1, 1), ("Cơ quan chủ trì", 0, 6, 2, 1),
             *[(f"({k + 1})", 2, k, 1, 1) for k in range(7)],
             ("1", 3, 0, 1, 1), ("Rà soát", 3, 1, 1, 1), ("Quý I", 3, 2, 1, 1), ("Quý II", 3, 3, 1, 1),
             ("NSNN", 3, 4, 1, 1), ("20", 3, 5, 1, 1), ("Văn phòng", 3, 6, 1, 1)]


def test_two_row_header_reads_sub_columns_under_their_group():
    h = find_header(table(TWO_ROW, 3, 5))
    assert h.fields == ["item_no", "task", "lead", "support", "deadline"]
    assert h.header_rows == 2
    assert h.headers[3] == "Đơn vị thực hiện / Phối hợp"


def test_three_row_header_with_start_end_budget_split_and_numbering_row():
    h = find_header(table(THREE_ROW, 4, 7))
    assert h.fields == ["item_no", "task", "start", "deadline", "budget_source", "budget", "lead"]
    assert h.header_rows == 3  # the "(1) (2) …" row is part of the header


def test_a_caption_row_before_the_header_is_passed_over():
    cells = [("Biểu 1: Danh mục nhiệm vụ", 0, 0, 1, 5)] + [(t, r + 1, c, rs, cs) for t, r, c, rs, cs in TWO_ROW]
    h = find_header(table(cells, 4, 5))
    assert h is not None and h.header_rows == 3 and h.fields[2:4] == ["lead", "support"]


def test_a_table_part_without_header_has_none():
    assert find_header(table([(t, r - 2, c, rs, cs) for t, r, c, rs, cs in TWO_ROW if r == 2], 1, 5)) is None


@pytest.mark.parametrize("text,group,field", [
    ("Đơn vị chủ\ntrì", None, "lead"),
    ("Thời gian hoàn\nthành", None, "deadline"),
    ("Kinh phí (triệu đồng)", None, "budget"),
    ("Hoàn thành", "deadline", "deadline"),
    ("Bắt đầu", "deadline", "start"),
    ("Nguồn", "budget", "budget_source"),
    ("Số tiền (đồng)", "budget", "budget"),
    ("Phối hợp", "lead", "support"),
    ("Bắt đầu", None, None),  # a sub-column name means nothing without its group
    ("Ghi chú", None, "note"),
    ("Hình thức văn bản", None, None),
])
def test_field_of_a_header_cell(text, group, field):
    assert field_of_header(text, group) == field


@pytest.mark.parametrize("row,numbering", [
    (["(1)", "(2)", "(3)", "(4)"], True),
    (["1", "2", "3", "4", "5"], True),
    (["(1)", "(2)", "(3)=(1)+(2)"], True),
    (["1", "Rà soát văn bản", "", "Quý I"], False),
    (["3", "1", "2"], False),  # not in order
    (["(1)", "(2)", "(3)", "(4)", "(3)", "(68", "(7", "(8)", "(9)"], True),  # as a scan read it
    (["()", "(2)", "(3)", "(4)"], True),
    (["(1)", "Rà soát văn bản (theo Kế hoạch)", "Văn phòng"], False),
])
def test_numbering_row(row, numbering):
    assert is_numbering_row(row) is numbering


def test_header_rows_repeated_on_a_page_are_recognised():
    h = find_header(table(TWO_ROW, 3, 5))
    assert repeats_header(["STT", "Nhiệm vụ", "Đơn vị thực hiện", None, "Thời gian"], h)
    assert repeats_header([None, None, "Chủ trì", "Phối hợp", None], h)
    assert not repeats_header(["2", "Công khai TTHC", "Văn phòng", "Các phòng", "Thường xuyên"], h)


def test_a_scan_that_missed_the_rule_between_two_sub_columns():
    """OCR read "Chủ trì | Phối hợp" as one cell over both sub-columns: each column gets its name."""
    cells = [(t, r, c, rs, cs) for t, r, c, rs, cs in TWO_ROW if (r, c) not in ((1, 2), (1, 3))]
    cells.append(("Chủ trì | Phối hơp", 1, 2, 1, 2))
    h = find_header(table(cells, 3, 5))
    assert h.fields == ["item_no", "task", "lead", "support", "deadline"] and h.header_rows == 2
