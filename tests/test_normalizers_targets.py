"""Target grammar: comparators, ranges, baselines and the numbers that are not targets (contract table).

Forms come from the contract, the seeds' kin and public plans of other provinces and offices
(a province's 2026 plan: "Tỷ lệ giao dịch thanh toán trực tuyến đạt tối thiểu từ 55% trở lên";
task and output cells of department appendices: "kiểm tra tối thiểu 40% số phòng, đơn vị").
"""
from __future__ import annotations

import pytest

from normalizers.targets import find_targets

CASES = [  # text, [(indicator, comparator, value, value_max, unit)]
    # >= in every wording the contract lists, and their kin
    ("Tỷ lệ hồ sơ trực tuyến đạt tối thiểu 80%", [("online_dossier_rate", ">=", 80.0, None, "%")]),
    ("Tỷ lệ hồ sơ trực tuyến đạt ít nhất là 80%", [("online_dossier_rate", ">=", 80.0, None, "%")]),
    ("tỷ lệ hồ sơ giải quyết đúng hạn đạt từ 98% trở lên", [("on_time_resolution", ">=", 98.0, None, "%")]),
    ("Tỷ lệ giao dịch thanh toán trực tuyến đạt tối thiểu từ 55% trở lên.",
     [("online_payment_transactions", ">=", 55.0, None, "%")]),
    ("Phấn đấu từ 90% văn bản QPPL trở lên được thực hiện kịp thời", [(None, ">=", 90.0, None, "%")]),
    ("Mức độ hài lòng của người dân không thấp hơn 90%", [("satisfaction", ">=", 90.0, None, "%")]),
    ("Tỷ lệ hồ sơ trực tuyến không dưới 60%", [("online_dossier_rate", ">=", 60.0, None, "%")]),
    ("Tỷ lệ hồ sơ trực tuyến không ít hơn 60%", [("online_dossier_rate", ">=", 60.0, None, "%")]),
    ("tỷ lệ hài lòng đạt trên 90%", [("satisfaction", ">=", 90.0, None, "%")]),
    ("Tỷ lệ số hóa kết quả giải quyết TTHC vượt 85%", [("digitization_rate", ">=", 85.0, None, "%")]),
    ("tối thiếu 93% hồ sơ giải quyết đúng hạn", [("on_time_resolution", ">=", 93.0, None, "%")]),  # a scan's accent
    # <=
    ("Thời gian chờ đợi không quá 15 phút", [("waiting_time", "<=", 15.0, None, "minutes")]),
    ("thời gian chờ đợi tối đa là 20 phút/lượt", [("waiting_time", "<=", 20.0, None, "minutes")]),
    ("Tỷ lệ hồ sơ trễ hạn dưới 2%", [(None, "<=", 2.0, None, "%")]),
    ("Tỷ lệ hồ sơ trễ hạn ít hơn 1%", [(None, "<=", 1.0, None, "%")]),
    ("hồ sơ trễ hạn không vượt quá 3%", [(None, "<=", 3.0, None, "%")]),
    ("thời gian chờ đợi từ 15 phút trở xuống", [("waiting_time", "<=", 15.0, None, "minutes")]),
    # = (a bare figure), also in task and output cells
    ("100% kết quả được số hóa", [("digitization_rate", "=", 100.0, None, "%")]),
    ("trả kết quả.100% kết quả được số hóa", [("digitization_rate", "=", 100.0, None, "%")]),  # a scan lost a space
    ("Số hóa hồ sơ đạt 99,5%", [("digitization_rate", "=", 99.5, None, "%")]),
    ("số hóa hồ sơ đạt 99.5 %", [("digitization_rate", "=", 99.5, None, "%")]),  # a decimal point, a space
    ("tỷ lệ hồ sơ trực tuyến đạt 70 phần trăm", [("online_dossier_rate", "=", 70.0, None, "%")]),
    ("kiểm tra tối thiểu 40% số phòng, đơn vị", [("units_inspected", ">=", 40.0, None, "%")]),
    ("Kiểm tra công tác CCHC tại 03 đơn vị trực thuộc", [("units_inspected", "=", 3.0, None, "count")]),
    ("Kiểm tra trên 40% các phòng áp dụng HTQLCL ISO 9001:2015", [(None, ">=", 40.0, None, "%")]),  # not CCHC
    # ranges: X–Y, từ … đến …, counts with leading zeros
    ("Có từ 02 đến 03 sáng kiến cải cách hành chính được công nhận", [("initiatives", "range", 2.0, 3.0, "count")]),
    ("Phấn đấu có 01 - 02 sáng kiến về CCHC", [("initiatives", "range", 1.0, 2.0, "count")]),
    ("tỷ lệ hồ sơ trực tuyến đạt từ 60% đến 70%", [("online_dossier_rate", "range", 60.0, 70.0, "%")]),
    ("tỷ lệ hồ sơ giải quyết đúng hạn đạt 98 - 100%", [("on_time_resolution", "range", 98.0, 100.0, "%")]),
    ("25% – 35% số lãnh đạo, quản lý cấp Sở", [(None, "range", 25.0, 35.0, "%")]),
    ("Kiểm tra 03 - 05 đơn vị trực thuộc", [("units_inspected", "range", 3.0, 5.0, "count")]),
    ("Tổ chức 02 cuộc đối thoại với doanh nghiệp", [(None, "=", 2.0, None, "count")]),
    ("Tổ chức 04 lớp bồi dưỡng nghiệp vụ", [(None, "=", 4.0, None, "count")]),
    ("đăng tải tối thiểu 10 tin, bài về CCHC", [(None, ">=", 10.0, None, "count")]),
    ("Kiểm tra liên ngành tại tối thiểu 05 xã, phường", [(None, ">=", 5.0, None, "count")]),  # any bounded count
    ("công chức có tối thiểu 02 năm công tác", []),  # a span of time is no count of outputs
    ("Tối thiểu 80% phiếu lý lịch tư pháp được cấp bản điện tử", [("e_result_rate", ">=", 80.0, None, "%")]),
    ("100% văn bản đi được ký số và gửi trên môi trường mạng", [("e_records_rate", "=", 100.0, None, "%")]),
    # a figure after a comma without its own subject keeps the one before
    ("Mức độ hài lòng của người dân đạt tối thiểu 92%, tăng 3% so với năm 2025",
     [("satisfaction", ">=", 92.0, None, "%"), ("satisfaction", "increase_by", 3.0, None, "%")]),
    # changes: the direction wins; "tăng cường" is no increase; a level reached is a level
    ("Giảm tối thiểu 20% thông tin phải khai báo", [("declared_info_reduction", "decrease_by", 20.0, None, "%")]),
    ("cắt giảm 15% chi trực tiếp từ ngân sách nhà nước",
     [("budget_support_reduction", "decrease_by", 15.0, None, "%")]),
    ("Tăng cường kiểm tra, bảo đảm 100% phòng, đơn vị được kiểm tra CCHC",
     [("units_inspected", "=", 100.0, None, "%")]),
    ("giảm thời gian chờ đợi xuống còn 20 phút", [("waiting_time", "=", 20.0, None, "minutes")]),
    ("giảm thời gian chờ đợi của người dân dưới 25 phút", [("waiting_time", "<=", 25.0, None, "minutes")]),
    ("Chỉ số hài lòng tăng 2 điểm phần trăm so với năm 2024",
     [("satisfaction", "increase_by", 2.0, None, "percentage_points")]),
    ("Chỉ số hài lòng tăng ít nhất 1,5 điểm % so với năm 2024",
     [("satisfaction", "increase_by", 1.5, None, "percentage_points")]),
    # several targets in one sentence keep their own phrases
    ("100% TTHC có nghĩa vụ tài chính được thanh toán trực tuyến, trong đó tỷ lệ giao dịch thanh toán trực tuyến "
     "đạt 40%; tỷ lệ hồ sơ trực tuyến đạt tối thiểu 60%",
     [("online_payment_procedures", "=", 100.0, None, "%"), ("online_payment_transactions", "=", 40.0, None, "%"),
      ("online_dossier_rate", ">=", 60.0, None, "%")]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_target_comparators_and_ranges(text, expected):
    assert [(h.indicator, h.comparator, h.value, h.value_max, h.unit) for h in find_targets(text)] == expected


NOT_TARGETS = [
    "Thực hiện Kế hoạch số 12/KH-UBND ngày 15/01/2025 của UBND tỉnh về cải cách hành chính năm 2025",
    "theo quy định tại Điều 5, khoản 2 Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ",
    "tập trung thực hiện đồng bộ 06 nội dung trọng tâm giai đoạn 2021 - 2030",
    "Kinh phí thực hiện: 150.000.000 đồng (Một trăm năm mươi triệu đồng) từ nguồn ngân sách năm 2025",
    "Mọi ý kiến xin liên hệ Văn phòng Sở, điện thoại 0251.3822.456, Fax 0251 3822 457",
    "Trang 5/12",
    "1.2. Cải cách thủ tục hành chính; 2.3.1. Rà soát quy định",
    "Sở hiện có 05 phòng chuyên môn và 02 đơn vị sự nghiệp trực thuộc",
    "Quyết định số 1085/QĐ-TTg ngày 15/9/2022 ban hành Kế hoạch giai đoạn 2022 - 2025",
    "Tỷ lệ hồ sơ đúng hạn năm trước đã đạt 99,5%",
    "Cấp độ 4, 2 cấp chính quyền địa phương, 28 Nghị định về phân cấp",
]


@pytest.mark.parametrize("text", NOT_TARGETS)
def test_numbers_that_are_not_targets(text):
    assert find_targets(text) == []


@pytest.mark.parametrize("text,plan_year,values", [
    ("Năm 2024, tỷ lệ hồ sơ giải quyết đúng hạn đạt 99,8%", 2025, []),  # last year's result
    ("Năm 2025, tỷ lệ hồ sơ giải quyết đúng hạn đạt 99%", 2025, [99.0]),  # this year's target
    ("Trong năm 2026 phấn đấu 100% hồ sơ được số hóa", 2026, [100.0]),
    ("Năm 2024, tỷ lệ hồ sơ giải quyết đúng hạn đạt 99,8%", None, [99.8]),  # no plan year: cannot tell
    ("3. Năm 2023, Sở tiếp nhận 2.450 hồ sơ, trong đó 98,7% hồ sơ được giải quyết đúng hạn; năm 2024 phấn đấu 99%",
     2024, [99.0]),  # "trong đó" goes on with the year before it, ";" starts anew
])
def test_a_clause_about_an_earlier_year_is_a_result(text, plan_year, values):
    assert [h.value for h in find_targets(text, plan_year)] == values


@pytest.mark.parametrize("text,value,baseline_value,baseline_year", [
    ("Chỉ số hài lòng về tiếp cận dịch vụ tăng ít nhất 2% so với năm 2022 (năm 2022 là 83,99%).", 2.0, 83.99, 2022),
    ("Chỉ số hài lòng tăng 3% so với năm 2024 (87,5%)", 3.0, 87.5, 2024),
    ("Chỉ số hài lòng tăng 3% so với kết quả năm 2024 (đạt 87,5%)", 3.0, 87.5, 2024),
    ("Chỉ số hài lòng tăng 3% (năm 2024: 87,5%)", 3.0, 87.5, 2024),
    ("Chỉ số hài lòng tăng 3% so với cùng kỳ năm 2024", 3.0, None, 2024),
    ("Nâng tỷ lệ hồ sơ trực tuyến từ 40% lên 60%", 60.0, 40.0, None),
])
def test_baseline_is_read_and_not_a_target(text, value, baseline_value, baseline_year):
    hits = find_targets(text)
    assert [(h.value, h.baseline_value, h.baseline_year) for h in hits] == [(value, baseline_value, baseline_year)]
