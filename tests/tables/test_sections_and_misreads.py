"""Sections and groups told apart by layout and meaning, whatever a scan made of their numerals; a
table part whose repeated header a scan misread is still a part of the table."""
from __future__ import annotations

from extractors.appendix import assemble
from extractors.model import Table

HEADER = ["TT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"]


def part(rows, page, header=HEADER):
    return Table.from_grid([header, *rows], [page] * (len(rows) + 1), extractor="test", index=page)


def task(n, what):
    return [n, what, "Văn phòng Sở", "Các phòng", "Quý II/2026"]


def areas_of(tables):
    return [(r.cells["item_no"], r.area_raw, r.group_raw) for r in assemble(tables).rows]


def test_sections_whose_numerals_a_scan_misread_or_lost():
    rows = [["I", "Cải cách thể chế", None, None, None], ["1.", "Rà soát văn bản", None, None, None],
            task("1", "Rà soát văn bản quy phạm pháp luật"),
            ["", "Cải cách thủ tục hành chính", None, None, None],  # the numeral II was not read
            task("2", "Công khai thủ tục hành chính"),
            ["IH", "Cải cách tổ chức bộ máy", None, None, None],  # III read as IH
            task("3", "Kiện toàn tổ chức bộ máy"),
            ["v", "Cải cách tài chính công", None, None, None],  # V read as v
            ["1,", "Quản lý tài sản công", None, None, None],  # a group whose point was read as a comma
            task("4", "Kiểm kê tài sản công")]
    got = areas_of([part(rows, 3)])
    assert got == [("1", "I Cải cách thể chế", "1. Rà soát văn bản"),
                   ("2", "Cải cách thủ tục hành chính", None),
                   ("3", "IH Cải cách tổ chức bộ máy", None),
                   ("4", "v Cải cách tài chính công", "1, Quản lý tài sản công")]


def test_arabic_numbered_sections_without_roman_ones():
    rows = [["1", "CẢI CÁCH THỂ CHẾ", "", "", ""], task("1.1", "Rà soát văn bản"),
            ["2", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "", "", ""], task("2.1", "Công khai thủ tục"),
            ["3", "HIỆN ĐẠI HÓA HÀNH CHÍNH CÔNG SỞ", "", "", ""],  # not an area's name, but next in the sequence
            task("3.1", "Ứng dụng chữ ký số")]
    assert [a for _, a, _ in areas_of([part(rows, 2)])] == ["1 CẢI CÁCH THỂ CHẾ", "2 CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
                                                           "3 HIỆN ĐẠI HÓA HÀNH CHÍNH CÔNG SỞ"]


def test_a_part_whose_repeated_header_a_scan_misread_stays_in_the_table():
    misread = ["TT", "N dung cong viêc", "Cơ quan chủ tri", "Cơ quan phôi hơp", "Thời han"]
    tables = [part([["I", "Cải cách thể chế", None, None, None], task("1", "Rà soát văn bản")], 3, misread),
              part([task("2", "Công khai văn bản")], 4)]
    assert [n for n, _, _ in areas_of(tables)] == ["1", "2"]
