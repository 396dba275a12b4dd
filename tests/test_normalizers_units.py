"""Unit cells -> ids (contract table), PAR criteria matching, legacy encodings."""
from __future__ import annotations

import pytest

from normalizers.legacy import detect_legacy, to_unicode
from normalizers.par import match_criterion
from normalizers.units import match_units, units_in_text

UNIT_CASES = [  # cell as written, ids in order
    ("Văn phòng", ["SCT.VP"]),
    ("Văn phòng Sở", ["SCT.VP"]),
    ("VP", ["SCT.VP"]),
    ("Thanh tra", ["SCT.TTRA"]),
    ("Thanh tra Sở", ["SCT.TTRA"]),
    ("Phòng KH-TC-TH", ["SCT.KHTC"]),
    ("KHTCTH", ["SCT.KHTC"]),
    ("Phòng KH.TC.TH", ["SCT.KHTC"]),
    ("Phòng Kế hoạch – Tài chính – Tổng hợp", ["SCT.KHTC"]),
    ("Phòng Kế hoạch\n– Tài chính – Tổng hợp", ["SCT.KHTC"]),
    ("Phòng Kế hoạch-Tài chính-Tổng hợp", ["SCT.KHTC"]),
    ("Quản lý công nghiệp", ["SCT.QLCN"]),
    ("Quản lý thương mại", ["SCT.QLTM"]),
    ("Phòng Quản lý năng lượng", ["SCT.QLNL"]),
    ("Kỹ thuật an toàn – Môi trường", ["SCT.KTAT"]),
    ("Trung tâm KC&TVPTCN", ["SCT.TTKC"]),
    ("Trung tâm Khuyến công và Xúc tiến thương mại", ["SCT.TTKC"]),
    ("Bộ phận một cửa", ["SCT.BPMC"]),
    ("BPMC", ["SCT.BPMC"]),
    ("BCĐ ISO", ["SCT.ISO"]),
    ("Hội đồng phối hợp phổ biến, giáo dục pháp luật", ["SCT.HDPBPL"]),
    ("Lãnh đạo Sở", ["SCT.LD"]),
    ("Các phòng, đơn vị thuộc Sở", ["SCT.ALL"]),
    ("Các phòng chuyên môn, đơn vị thuộc Sở", ["SCT.ALL"]),
    ("Các phòng chuyên môn", ["SCT.PHONG"]),
    ("Các phòng thuộc Sở", ["SCT.PHONG"]),
    ("Các đơn vị thuộc Sở", ["SCT.DONVI"]),
    ("Đơn vị thuộc Sở", ["SCT.DONVI"]),
    ("Các đơn vị có liên quan", ["SCT.LQ"]),
    ("UBND tỉnh", ["EXT.UBND"]),
    ("Sở Nội vụ", ["EXT.SNV"]),
    ("Sở Tư pháp", ["EXT.STP"]),
    ("Sở Thông tin và Truyền thông", ["EXT.STTTT"]),
    ("Sở KH&CN", ["EXT.SKHCN"]),
    ("Trung tâm HCC", ["EXT.TTHCC"]),
    ("Bưu điện tỉnh", ["EXT.BD"]),
    # several units in one cell, in order, on every kind of separator
    ("Văn phòng, Bộ phận một cửa", ["SCT.VP", "SCT.BPMC"]),
    ("Văn phòng Sở, BCĐ ISO", ["SCT.VP", "SCT.ISO"]),
    ("Thanh tra, các phòng chuyên môn", ["SCT.TTRA", "SCT.PHONG"]),
    ("Thanh tra Sở Văn phòng Sở", ["SCT.TTRA", "SCT.VP"]),
    ("Văn phòng Sở phối hợp Thanh tra Sở; Phòng KH-TC-TH", ["SCT.VP", "SCT.TTRA", "SCT.KHTC"]),
    ("Văn phòng Sở Thanh tra Sở Phòng KH.TC.TH (căn cứ chức năng, nhiệm vụ thực hiện)",
     ["SCT.VP", "SCT.TTRA", "SCT.KHTC"]),
    ("- Văn phòng\n- Thanh tra", ["SCT.VP", "SCT.TTRA"]),
    ("Sở Nội vụ và Sở Tư pháp", ["EXT.SNV", "EXT.STP"]),
    ("Sở Khoa học và Công nghệ", ["EXT.SKHCN"]),  # "và" inside a name does not split it
    ("UBND tỉnh, Văn phòng UBND tỉnh", ["EXT.UBND", "EXT.VPUBND"]),
    ("Văn phòng (Các phòng, đơn vị phối hợp)", ["SCT.VP", "SCT.ALL"]),
    # words that are not units are ignored
    ("Thanh tra Sở làm đầu mối tổng hợp", ["SCT.TTRA"]),
    ("Văn phòng Sở phối hợp hỗ trợ về hạ tầng, kỹ thuật", ["SCT.VP"]),
    ("Phòng QLCN (nếu có)", ["SCT.QLCN"]),
    ("Văn phòng ĐTXHH", ["SCT.VP"]),
    ("Các phòng, đơn vị thuộc Sở rà soát, đề xuất", ["SCT.ALL"]),
    ("Các phòng, đơn vị thuộc Sở phối hợp giải quyết các phản ánh, kiến nghị và báo cáo về Thanh tra Sở",
     ["SCT.ALL"]),
    # spelling variants: case, accents typed differently, a name cut by a page break (fuzzy)
    ("VĂN PHÒNG SỞ", ["SCT.VP"]),
    ("Văn phòng Sở".replace("ò", "o\u0300"), ["SCT.VP"]),  # NFD input
    ("Hội đồng Phối hợp phổ biến giáo dục pháp", ["SCT.HDPBPL"]),
    ("Phòng Quản lý công nghiêp", ["SCT.QLCN"]),
    ("", []),
]


@pytest.mark.parametrize("cell,ids", UNIT_CASES)
def test_unit_cells_to_ids(cell, ids):
    m = match_units(cell)
    assert m.ids == ids
    assert m.unmatched == []


@pytest.mark.parametrize("cell,unmatched", [
    ("Ban Quản lý các khu công nghiệp", ["Ban Quản lý các khu công nghiệp"]),
    ("Văn phòng, Tổ công tác đặc biệt", ["Tổ công tác đặc biệt"]),
    ("Công an tỉnh", ["Công an tỉnh"]),
])
def test_names_outside_the_catalog_are_reported_not_guessed(cell, unmatched):
    m = match_units(cell)
    assert m.unmatched == unmatched
    assert "SCT.VP" not in m.ids or cell.startswith("Văn phòng")


def test_short_name_resolves_only_through_the_documents_own_full_name():
    assert match_units("Trung tâm").ids == []
    assert match_units("Trung tâm").unmatched == ["Trung tâm"]
    known = units_in_text("Chỉ đạo Trung tâm Khuyến công và XTTM xây dựng kế hoạch")
    assert "SCT.TTKC" in known
    assert match_units("Văn phòng, Trung tâm", known).ids == ["SCT.VP", "SCT.TTKC"]


def test_one_word_never_fuzzy_matches():
    assert match_units("Phòng").ids == []


@pytest.mark.parametrize("task,area,code", [
    ("Triển khai ứng dụng các nền tảng thanh toán không dùng tiền mặt, trong đó có thanh toán phí, lệ phí", 7,
     "7.2.4"),
    ("Triển khai các giải pháp truyền thông, thông tin về cải cách hành chính", 1, "1.4"),
    ("Triển khai quy định về lưu trữ hồ sơ TTHC điện tử", 7, "7.1.5"),
    ("Nghiên cứu đề xuất sáng kiến mới (hoặc giải pháp mới) về CCHC", 1, "1.6"),
])
def test_tasks_match_the_closest_par_criterion(task, area, code):
    assert match_criterion(task, area)[0] == code


@pytest.mark.parametrize("task", ["Phối hợp thực hiện các hội nghị đối thoại, diễn đàn, cuộc họp", "Khác", None])
def test_no_criterion_when_none_is_close(task):
    assert match_criterion(task, 3) is None


@pytest.mark.parametrize("legacy,encoding,unicode", [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
])
def test_legacy_encodings_are_detected_and_converted(legacy, encoding, unicode):
    assert detect_legacy(legacy) == encoding
    assert to_unicode(legacy, encoding) == unicode


@pytest.mark.parametrize("text", ["Cộng hòa xã hội chủ nghĩa Việt Nam", "THƢƠNG MẠI câp̣ nhâṭ", "Plain text", ""])
def test_unicode_text_is_not_taken_for_legacy(text):
    assert detect_legacy(text) is None


def test_legacy_conversion_keeps_tabs_and_line_breaks():
    assert to_unicode("Céng hoµ\tx· héi\nViÖt Nam", "tcvn3") == "Cộng hoà\txã hội\nViệt Nam"
