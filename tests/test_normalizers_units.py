"""Unit cells -> ids (contract table), PAR criteria matching, legacy encodings."""
from __future__ import annotations

import pytest

from normalizers.legacy import detect_legacy, to_unicode
from normalizers.par import match_criterion
from normalizers.units import match_units, units_in_text

SCT = "Sở Công Thương"

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
    m = match_units(cell, agency=SCT)
    assert m.ids == ids
    assert m.unmatched == []


@pytest.mark.parametrize("cell,unmatched", [
    ("Ban Quản lý các khu công nghiệp", ["Ban Quản lý các khu công nghiệp"]),
    ("Văn phòng, Tổ công tác đặc biệt", ["Tổ công tác đặc biệt"]),
    ("Công an tỉnh", ["Công an tỉnh"]),
])
def test_names_outside_the_catalog_are_reported_not_guessed(cell, unmatched):
    m = match_units(cell, agency=SCT)
    assert m.unmatched == unmatched
    assert "SCT.VP" not in m.ids or cell.startswith("Văn phòng")


def test_short_name_resolves_only_through_the_documents_own_full_name():
    assert match_units("Trung tâm", agency=SCT).ids == []
    assert match_units("Trung tâm", agency=SCT).unmatched == ["Trung tâm"]
    known = units_in_text("Chỉ đạo Trung tâm Khuyến công và XTTM xây dựng kế hoạch")
    assert "SCT.TTKC" in known
    assert match_units("Văn phòng, Trung tâm", known, agency=SCT).ids == ["SCT.VP", "SCT.TTKC"]


def test_one_word_never_fuzzy_matches():
    assert match_units("Phòng", agency=SCT).ids == []


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


SNV, STP = "Sở Nội vụ", "Sở Tư pháp"

AGENCY_CASES = [  # agency of the document, cell as written (forms of plans of several provinces), ids
    # generic units take the document's own prefix
    (SNV, "Văn phòng Sở", ["SNV.VP"]),
    (SNV, "Thanh tra Sở Nội vụ", ["SNV.TTRA"]),
    (SNV, "Văn phòng SNV", ["SNV.VP"]),
    (STP, "Văn phòng, Thanh tra Sở", ["STP.VP", "STP.TTRA"]),
    (STP, "Các phòng chuyên môn, đơn vị thuộc Sở", ["STP.ALL"]),
    (STP, "Bộ phận một cửa", ["STP.BPMC"]),
    (SNV, "Lãnh đạo Sở", ["SNV.LD"]),
    # the agency itself named in its own plan is its leadership; another Sở stays EXT
    (SNV, "Sở Nội vụ", ["SNV.LD"]),
    (SNV, "Sở Tư pháp", ["EXT.STP"]),
    (STP, "Sở Nội vụ, Sở Công Thương", ["EXT.SNV", "EXT.SCT"]),
    (SCT, "Sở Công Thương", ["SCT.LD"]),
    # divisions of the Sở Nội vụ, written in full, shortened and abbreviated
    (SNV, "Phòng Tổ chức, biên chế và tổ chức phi chính phủ", ["SNV.TCBC"]),
    (SNV, "Phòng Tổ chức - Biên chế và Tổ chức phi chính phủ", ["SNV.TCBC"]),
    (SNV, "Phòng Tổ chức, biên chế", ["SNV.TCBC"]),
    (SNV, "Phòng TCBC&TCPCP", ["SNV.TCBC"]),
    (SNV, "P. TCBC", ["SNV.TCBC"]),
    (SNV, "Phòng CCHC", ["SNV.CCHC"]),
    (SNV, "Phòng Cải cách hành chính", ["SNV.CCHC"]),
    (SNV, "Phòng Công chức - Viên chức", ["SNV.CCVC"]),
    (SNV, "Phòng CCVC", ["SNV.CCVC"]),
    (SNV, "Phòng Xây dựng chính quyền và Công tác thanh niên", ["SNV.XDCQ"]),
    (SNV, "Phòng Xây dựng chính quyền", ["SNV.XDCQ"]),
    (SNV, "Phòng XDCQ&CTTN", ["SNV.XDCQ"]),
    (SNV, "Ban Thi đua - Khen thưởng", ["SNV.TDKT"]),
    (SNV, "Ban Thi đua, Khen thưởng", ["SNV.TDKT"]),
    (SNV, "Ban TĐKT", ["SNV.TDKT"]),
    (SNV, "Ban Tôn giáo", ["SNV.TG"]),
    (SNV, "Chi cục Văn thư - Lưu trữ", ["SNV.VTLT"]),
    (SNV, "Chi cục VTLT", ["SNV.VTLT"]),
    (SNV, "Phòng CCHC, Phòng TCBC, Văn phòng", ["SNV.CCHC", "SNV.TCBC", "SNV.VP"]),
    (SNV, "Phòng Cải cách hành chính chủ trì, phối hợp Văn phòng Sở", ["SNV.CCHC", "SNV.VP"]),
    # divisions of the Sở Tư pháp
    (STP, "Phòng Xây dựng và kiểm tra văn bản quy phạm pháp luật", ["STP.XDKT"]),
    (STP, "Phòng Xây dựng và kiểm tra văn bản QPPL", ["STP.XDKT"]),
    (STP, "Phòng XD&KTVB", ["STP.XDKT"]),  # from the short name "Phòng Xây dựng và kiểm tra văn bản"
    (STP, "Phòng Phổ biến, giáo dục pháp luật", ["STP.PBGDPL"]),
    (STP, "Phòng PBGDPL", ["STP.PBGDPL"]),
    (STP, "Phòng Hành chính tư pháp", ["STP.HCTP"]),
    (STP, "Phòng HCTP; Phòng BTTP", ["STP.HCTP", "STP.BTTP"]),
    (STP, "Phòng Bổ trợ tư pháp", ["STP.BTTP"]),
    (STP, "Phòng Hành chính và Bổ trợ tư pháp", ["STP.HCBTTP"]),
    (STP, "Phòng Quản lý xử lý vi phạm hành chính và theo dõi thi hành pháp luật", ["STP.QLXLVP"]),
    (STP, "Phòng Quản lý xử lý vi phạm hành chính", ["STP.QLXLVP"]),
    (STP, "Trung tâm Trợ giúp pháp lý nhà nước", ["STP.TGPL"]),
    (STP, "Trung tâm TGPL", ["STP.TGPL"]),
    (STP, "TT Trợ giúp pháp lý", ["STP.TGPL"]),
    (STP, "Trung tâm Dịch vụ đấu giá tài sản", ["STP.DGTS"]),
    (STP, "Trung tâm DVĐGTS", ["STP.DGTS"]),
    # Sở Công Thương names as other provinces write them: abbreviations derived from the catalog names
    (SCT, "TT Khuyến công", ["SCT.TTKC"]),
    (SCT, "TT Khuyến công và XTTM", ["SCT.TTKC"]),
    (SCT, "Trung tâm KC&XTTM", ["SCT.TTKC"]),
    (SCT, "P. KH-TC-TH", ["SCT.KHTC"]),
    (SCT, "P.QLCN", ["SCT.QLCN"]),
    (SCT, "Phòng KTAT&MT", ["SCT.KTAT"]),
    (SCT, "KTAT&MT", ["SCT.KTAT"]),
    (SCT, "Phòng Kỹ thuật an toàn", ["SCT.KTAT"]),
    (SCT, "Bộ phận TN&TKQ", ["SCT.BPMC"]),
    (SCT, "BCĐ ISO", ["SCT.ISO"]),
    (SCT, "Sở TT&TT, Sở KH&ĐT", ["EXT.STTTT", "EXT.SKHDT"]),
    (SCT, "Trung tâm PVHCC", ["EXT.TTHCC"]),
    (SCT, "Sở TT&TT, Bưu điện tỉnh Bình Phước", ["EXT.STTTT", "EXT.BD"]),  # the province names the unit's place
    # a collective name before a list gives way to the units listed
    (SCT, "Các phòng: Quản lý thương mại, Quản lý công nghiệp, Kế hoạch – Tài chính – Tổng hợp",
     ["SCT.QLTM", "SCT.QLCN", "SCT.KHTC"]),
    (SCT, "Các phòng chuyên môn gồm: Văn phòng, Thanh tra", ["SCT.VP", "SCT.TTRA"]),
    (SCT, "Các phòng chuyên môn (Phòng QLCN, Phòng QLTM)", ["SCT.QLCN", "SCT.QLTM"]),
    (SNV, "Các phòng: CCHC, TCBC", ["SNV.CCHC", "SNV.TCBC"]),
    (SCT, "Các phòng chuyên môn", ["SCT.PHONG"]),  # with nothing listed it stays
    (SCT, "Văn phòng: tổng hợp", ["SCT.VP"]),
]


@pytest.mark.parametrize("agency,cell,ids", AGENCY_CASES)
def test_units_are_read_within_the_documents_agency(agency, cell, ids):
    assert match_units(cell, agency=agency).ids == ids


@pytest.mark.parametrize("agency,cell,unmatched", [
    # a name that resembles a catalog unit but names another body stays unknown
    (SCT, "Trung tâm Xúc tiến Thương mại", ["Trung tâm Xúc tiến Thương mại"]),
    (SCT, "Phòng Quản lý xuất nhập khẩu", ["Phòng Quản lý xuất nhập khẩu"]),
    # another agency's divisions are not this agency's
    (SCT, "Phòng Cải cách hành chính", ["Phòng Cải cách hành chính"]),
    (SNV, "Phòng Quản lý công nghiệp", ["Phòng Quản lý công nghiệp"]),
    (STP, "Ban Tôn giáo", ["Ban Tôn giáo"]),
    # an agency that is not known: generic names are not given someone else's id
    (None, "Văn phòng Sở", ["Văn phòng Sở"]),
    # the agency's name straight after another body's is "of the agency", not the agency itself
    (SNV, "Công đoàn cơ sở Sở Nội vụ", ["Công đoàn cơ sở Sở Nội vụ"]),
])
def test_other_bodies_stay_unmatched(agency, cell, unmatched):
    m = match_units(cell, agency=agency)
    assert m.ids == [] and m.unmatched == unmatched


def test_an_agency_without_a_catalog_gets_its_generic_units_under_its_own_prefix():
    assert match_units("Văn phòng Sở, Thanh tra Sở", agency="Sở Y tế").ids == ["SYT.VP", "SYT.TTRA"]
    assert match_units("Văn phòng Sở", agency="Sở Du lịch").ids == ["SDL.VP"]  # not in agencies.csv: by rule
    assert match_units("Sở Nội vụ", agency="Sở Y tế").ids == ["EXT.SNV"]


def test_a_longer_name_that_starts_like_a_unit_is_reported():
    m = match_units("Trung tâm Khuyến công và Xúc tiến đầu tư", agency=SCT)
    assert m.unmatched == ["Xúc tiến đầu tư"]  # the doubtful reading goes to the review queue


def test_no_abbreviation_is_listed_by_hand():
    from normalizers.unit_catalog import concrete_units, derived_keys, key_of
    # every abbreviation above comes from the names by rule: the catalog lists none of them
    for u in concrete_units().values():
        words = set(key_of(u.name))
        for alias in u.aliases:
            abbreviated = not set(key_of(alias)) <= words
            assert not (abbreviated and key_of(alias) in derived_keys(u.name)), (u.unit_id, alias)
            assert key_of(alias) != key_of(u.name), (u.unit_id, alias)


def test_an_agency_named_with_its_province_is_that_agency():
    assert match_units("Văn phòng Sở", agency="Sở Công Thương Tỉnh Gia Lai").ids == ["SCT.VP"]
