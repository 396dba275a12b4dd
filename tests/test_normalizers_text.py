"""Table-driven cases for text repair, areas and provinces (from the seeds and variants)."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizers.areas import area_code
from normalizers.provinces import lookup_province, province_before
from normalizers.text import _joins_without_space, clean_cell, clean_inline, match_key, repair_glyphs

REPAIRS = [
    ("SỞ CÔNG THƢƠNG", "SỞ CÔNG THƯƠNG"),
    ("ngƣời dân", "người dân"),
    ("ĐƢỢC", "ĐƯỢC"),
    ("CỘNG HÕA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Nguyễn VÕ Thị", "Nguyễn VÕ Thị"),  # VÕ is a name
    ("NÓI RÕ", "NÓI RÕ"),
    ("Kịp thời câp̣ nhâṭ danh mục", "Kịp thời cập nhật danh mục"),
    ("Cơ sở dữ liêụ quốc gia", "Cơ sở dữ liệu quốc gia"),
    ("hoaǹ thành", "hoàn thành"),
    ("ngưòi dân", "ngưòi dân"),  # the author's typo is not ours to change
    ("Hòa Bình", "Hòa Bình"),
    ("Hoà Bình", "Hoà Bình"),  # old-style tone placement is valid
    ("kiến ngh ị", "kiến ngh ị"),
]


@pytest.mark.parametrize("raw,want", REPAIRS)
def test_repair_glyphs(raw, want):
    assert repair_glyphs(raw) == want


CELLS = [
    ("Tháng 01-\n02/2023", "Tháng 01-02/2023"),
    ("Trước ngày 15/01/2\n023", "Trước ngày 15/01/2023"),
    ("Quý II-\nIII/2024", "Quý II-III/2024"),
    ("Theo Kế hoạch \nsố 45/KH-\nUBND ngày \n22/01/2023", "Theo Kế hoạch số 45/KH-UBND ngày 22/01/2023"),
    ("Phòng Kế \nhoạch – Tài \nchính – Tổng \nhợp", "Phòng Kế hoạch – Tài chính – Tổng hợp"),
    ("kinh tế -\nxã hội", "kinh tế - xã hội"),
    ("- Tờ trình\n- Quyết định", "- Tờ trình\n- Quyết định"),
    ("Kế hoạch rà soát đơn \ngiản hóa;\nQuyết định phê duyệt", "Kế hoạch rà soát đơn giản hóa; Quyết định phê duyệt"),
    ("a) Mục tiêu\nb) Nhiệm vụ", "a) Mục tiêu\nb) Nhiệm vụ"),
    ("  \n ", None),
    (None, None),
    ("Thanh tra  Sở\u00a0", "Thanh tra Sở"),
    ("Văn\u200bphòng", "Vănphòng"),
]


@pytest.mark.parametrize("raw,want", CELLS)
def test_clean_cell(raw, want):
    assert clean_cell(raw) == want


@pytest.mark.parametrize("raw,want", [c for c in CELLS if c[1]])
def test_a_cell_joins_the_same_way_after_a_long_paragraph(raw, want):
    # prose.paragraphs feeds whole tables (thousands of lines) through clean_cell as one text
    long = "Kế hoạch số 45/KH-UBND ngày 22/01/2023 " * 3000
    assert clean_cell(long + raw) == long + want


@given(st.text(alphabet="0123456789/-– ABĐKHUNDa", max_size=20), st.text(alphabet="0123UBNDa ", max_size=4))
def test_a_join_depends_only_on_the_end_of_the_previous_line(prev, nxt):
    assert _joins_without_space("Kế hoạch 45/KH-UBND 2024 " * 400 + " " + prev, nxt) == \
        _joins_without_space(" " + prev, nxt)


@given(st.text())
def test_cleaning_never_raises_and_gives_nfc(s):
    for out in (clean_inline(s), clean_cell(s)):
        assert out is None or out == unicodedata.normalize("NFC", out)
        assert out is None or ("ƣ" not in out and out == out.strip())


def test_match_key_is_accent_and_case_insensitive_but_values_keep_diacritics():
    assert match_key("Văn phòng Sở") == match_key("VĂN PHÒNG SỞ") == match_key("van phong so")
    assert match_key("Đồng Nai") == "dong nai"
    assert clean_inline("Đồng Nai") == "Đồng Nai"


AREAS = [
    ("I Cải cách thể chế", 2), ("II Cải cách thủ tục hành chính", 3), ("III. Cải cách tổ chức bộ máy", 4),
    ("IV Chế độ cải cách công vụ", 5), ("V Cải cách tài chính công", 6),
    ("VI Xây dựng và Phát triển Chính quyền điện tử, Chính quyền số", 7), ("VII Chỉ đạo điều hành CCHC", 1),
    ("I CHỈ ĐẠO ĐIỀU HÀNH", 1), ("VI CẢI CÁCH TÀI CHÍNH CÔNG", 6),
    ("8 ĐÁNH GIÁ TÁC ĐỘNG CỦA CẢI CÁCH HÀNH CHÍNH ĐẾN NGƯỜI DÂN, TỔ CHỨC", 8),
    ("Phần 3 - Cải cách TTHC", 3), ("1. Công tác chỉ đạo, điều hành CCHC", 1), ("a) Cải cách chế độ công vụ", 5),
    ("Xây dựng chính phủ số", 7), ("Linh tinh khác", None), (None, None),
]


@pytest.mark.parametrize("heading,code", AREAS)
def test_area_code(heading, code):
    assert area_code(heading) == code


PROVINCES = [
    ("Đồng Nai", "VN-39"), ("đồng nai", "VN-39"), ("DONG NAI", "VN-39"), ("tỉnh Hà Tĩnh", "VN-23"),
    ("Gia Lai", "VN-30"), ("TP. Hồ Chí Minh", "VN-SG"), ("Thừa Thiên - Huế", "VN-26"), ("Khánh Hoà", "VN-34"),
    ("VN-39", "VN-39"), ("Atlantis", None),
]


@pytest.mark.parametrize("name,code", PROVINCES)
def test_lookup_province(name, code):
    p = lookup_province(name)
    assert (p.code if p else None) == code


def test_province_of_the_place_and_date_line():
    assert province_before("Số: /KH-SCT Gia Lai, ngày tháng 7 năm 2023").code == "VN-30"
    assert province_before("Hà Tĩnh, ngày tháng 01 năm 2023").code == "VN-23"
    assert province_before("Biên Hòa, ngày 5 tháng 1 năm 2024") is None  # a city, not a province
