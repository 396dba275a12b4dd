"""Rows broken by a page end are joined back whatever columns continue; new rows at the top of a
page stay rows; a merged objective goes on beside a new task; no fragment becomes a task."""
from __future__ import annotations

from extractors.appendix import assemble
from extractors.model import Table
from extractors.quality import report

HEADER = ["STT", "Mục tiêu", "Nhiệm vụ", "Sản phẩm", "Chủ trì", "Phối hợp", "Thời gian"]


def pages(*parts: list[list[str | None]]) -> list[Table]:
    """One table per page, the header repeated on each."""
    return [Table.from_grid([HEADER, *rows], [n] * (len(rows) + 1), extractor="test", index=n - 1)
            for n, rows in enumerate(parts, start=1)]


def rows_of(tables):
    return [{k: v for k, v in r.cells.items() if v} for r in assemble(tables).rows]


SECTION = ["I. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", None, None, None, None, None, None]


def test_a_row_continued_in_several_columns_at_once():
    got = rows_of(pages(
        [SECTION, ["1", "Công khai TTHC", "Rà soát, cập nhật và công khai 100% TTHC thuộc thẩm quyền giải quyết",
                   "Danh mục TTHC được công", "Văn phòng Sở", "Phòng Kế hoạch – Tài", "Thường xuyên, liên"]],
        [["", "", "trong năm", "khai", "", "chính", "tục"],
         ["2", "Giải quyết hồ sơ", "Giải quyết hồ sơ đúng hạn", "Báo cáo", "Văn phòng Sở", "Thanh tra Sở",
          "Quý I/2024"]]))
    assert len(got) == 2
    assert got[0]["task"].endswith("giải quyết trong năm")
    assert got[0]["output"] == "Danh mục TTHC được công khai"
    assert got[0]["support"] == "Phòng Kế hoạch – Tài chính"
    assert got[0]["deadline"] == "Thường xuyên, liên tục"
    assert got[1]["item_no"] == "2"


def test_a_tail_with_an_empty_stt_and_only_a_few_words():
    got = rows_of(pages(
        [SECTION, ["1", "Nâng cao chất lượng", "Tổ chức tập huấn nghiệp vụ kiểm soát thủ tục hành chính cho",
                   "Lớp tập huấn", "Văn phòng Sở", "Các phòng", "Quý II/2024"]],
        [["", "", "công chức đầu mối", "", "", "", ""]]))
    assert len(got) == 1 and got[0]["task"].endswith("cho công chức đầu mối")


def test_a_new_task_of_the_same_item_at_the_top_of_a_page_stays_a_row():
    got = rows_of(pages(
        [SECTION, ["1", "Nâng cao chất lượng", "Rà soát quy trình nội bộ.", "Quy trình", "Văn phòng Sở",
                   "Các phòng", "Quý II/2024"]],
        [["", "", "Công khai quy trình trên Cổng thông tin.", "Tin bài", "Văn phòng Sở", "Các phòng", "Quý III/2024"]]))
    assert len(got) == 2
    assert got[1]["task"] == "Công khai quy trình trên Cổng thông tin." and got[1]["objective"] == "Nâng cao chất lượng"


def test_a_merged_objective_goes_on_beside_a_new_task():
    got = rows_of(pages(
        [SECTION, ["1", "Bảo đảm 100% hồ sơ được giải quyết", "Theo dõi tiến độ giải quyết hồ sơ.", "Báo cáo",
                   "Văn phòng Sở", "Các phòng", "Hằng tháng"]],
        [[None, "đúng hạn", "Nhắc việc hồ sơ sắp đến hạn.", "Phiếu nhắc việc", "Văn phòng Sở", "Các phòng",
          "Thường xuyên"]]))
    assert len(got) == 2
    assert got[0]["objective"] == got[1]["objective"] == "Bảo đảm 100% hồ sơ được giải quyết đúng hạn"


def test_no_fragment_left_as_a_row_of_its_own():
    tables = pages(
        [SECTION, ["1", "Cải thiện chỉ số", "Triển khai các giải pháp nâng cao chỉ số cải cách hành chính và",
                   "Kế hoạch", "Văn phòng Sở", "Các phòng", "Quý I/2024"]],
        [["", "", "sắp xếp", "", "", "", ""],
         ["2", "Đo lường sự hài lòng", "Khảo sát sự hài lòng", "Báo cáo", "Văn phòng Sở", "Các phòng", "Quý IV/2024"]])
    rep, found = report("test", tables)
    assert len(found.rows) == 2 and not rep.fragments and not rep.weak
