"""Criteria tables in space-linearised text (the text of a PDF without positions), seed 002's shape,
and a variant made here: other header words, page furniture, units cut by line ends, names that
mention units, notes on their own lines."""
from __future__ import annotations

from extractors.appendix import assemble
from extractors.model import TextLine
from extractors.txt_coded import coded_tables, is_unit_name, split_unit_tail

VARIANT = """\
BẢNG PHÂN CÔNG THỰC HIỆN CÁC TIÊU CHÍ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025
TT Nội dung tiêu chí Cơ quan phụ
trách
Ghi chú
1 CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH
1.1 Ban hành kế hoạch cải cách hành chính của Văn phòng UBND tỉnh Sở Nội vụ
1.1.1 Ban hành đúng thời hạn
1.1.2
Mức độ hoàn thành kế hoạch, trong đó có các nhiệm vụ do HĐND, UBND tỉnh
giao
1.2 Tuyên truyền cải cách hành chính
Phòng Kế hoạch
– Tài chính – Tổng
hợp
ĐTXHH
2
TT Nội dung tiêu chí Cơ quan phụ
trách
Ghi chú
2 CẢI CÁCH THỂ CHẾ
2.1 Theo dõi thi hành pháp luật Sở Tư pháp ĐTXHH
2.1.1 Mức độ thực hiện kế hoạch theo dõi
2.2 Rà soát văn bản quy phạm pháp luật
2.2.1 Rà soát văn bản do Sở Tư pháp chủ trì thẩm định
Nơi nhận:
- Như trên;
"""


def _rows(text: str):
    tables = coded_tables([TextLine(t) for t in text.splitlines()])
    return [r for r in assemble(tables).rows]


def test_variant_rows_cell_for_cell():
    rows = [(r.cells["item_no"], r.cells["criterion"], r.cells["lead"], r.cells.get("note")) for r in _rows(VARIANT)]
    assert rows == [
        ("1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", None, None),
        ("1.1", "Ban hành kế hoạch cải cách hành chính của Văn phòng UBND tỉnh", "Sở Nội vụ", None),
        ("1.1.1", "Ban hành đúng thời hạn", "Sở Nội vụ", None),  # the cell merged down its criterion
        ("1.1.2", "Mức độ hoàn thành kế hoạch, trong đó có các nhiệm vụ do HĐND, UBND tỉnh giao", "Sở Nội vụ", None),
        ("1.2", "Tuyên truyền cải cách hành chính", "Phòng Kế hoạch – Tài chính – Tổng hợp", "ĐTXHH"),
        ("2", "CẢI CÁCH THỂ CHẾ", None, None),  # the page number "2" and the repeated header are gone
        ("2.1", "Theo dõi thi hành pháp luật", "Sở Tư pháp", "ĐTXHH"),
        ("2.1.1", "Mức độ thực hiện kế hoạch theo dõi", "Sở Tư pháp", None),
        ("2.2", "Rà soát văn bản quy phạm pháp luật", None, None),
        ("2.2.1", "Rà soát văn bản do Sở Tư pháp chủ trì thẩm định", None, None),  # a unit inside the name
    ]


def test_header_names_other_than_the_seed_map_to_fields():
    tables = coded_tables([TextLine(t) for t in VARIANT.splitlines()])
    assert tables[0].rows[0] == ["TT", "Nội dung tiêu chí", "Cơ quan phụ trách", "Ghi chú"]


def test_no_header_no_table():
    assert coded_tables([TextLine(t) for t in VARIANT.splitlines()[4:]]) == []


def test_unit_tail_needs_a_whole_unit_name_not_tied_to_the_name():
    assert split_unit_tail("Sáng kiến trong cải cách hành chính Văn phòng") == (
        "Sáng kiến trong cải cách hành chính", "Văn phòng")
    assert split_unit_tail("Tính kịp thời trên Trang thông tin điện tử KHTCTH") == (
        "Tính kịp thời trên Trang thông tin điện tử", "KHTCTH")  # "tử" is not "từ"
    assert split_unit_tail("Quy chế làm việc của Văn phòng")[1] is None
    assert split_unit_tail("văn bản của HĐND, UBND tỉnh theo nội dung,")[1] is None
    assert split_unit_tail("nhiệm vụ do đơn vị tham mưu UBND tỉnh triển")[1] is None
    assert is_unit_name("Phòng KH-") and is_unit_name("Văn phòng") and not is_unit_name("Văn bản")
