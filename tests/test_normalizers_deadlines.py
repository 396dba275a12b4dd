"""Deadline grammar: every form in the seeds and the variants a new plan brings (contract table)."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizers.deadlines import opens_deadline, parse_deadline

D = date
CASES = [  # raw, plan_year, kind, due_start, due_end
    # seeds 000 / 001 / 003 as written
    ("Thường xuyên", 2024, "continuous", D(2024, 1, 1), None),
    ("Năm 2023", 2023, "period", D(2023, 1, 1), D(2023, 12, 31)),
    ("Năm 2024", 2024, "period", D(2024, 1, 1), D(2024, 12, 31)),
    ("Quý I/2023", 2023, "period", D(2023, 1, 1), D(2023, 3, 31)),
    ("Quý I/2024", 2024, "period", D(2024, 1, 1), D(2024, 3, 31)),
    ("Quý II, III/2023", 2023, "period", D(2023, 4, 1), D(2023, 9, 30)),
    ("Quý II-III/2024", 2024, "period", D(2024, 4, 1), D(2024, 9, 30)),
    ("Quý III/2024", 2024, "period", D(2024, 7, 1), D(2024, 9, 30)),
    ("Quý IV/2024", 2024, "period", D(2024, 10, 1), D(2024, 12, 31)),
    ("Qúy II/2024", 2024, "period", D(2024, 4, 1), D(2024, 6, 30)),
    ("Trong quý II/2024", 2024, "period", D(2024, 4, 1), D(2024, 6, 30)),
    ("Tháng 01-02/2023", 2023, "period", D(2023, 1, 1), D(2023, 2, 28)),
    ("Tháng 01-\n02/2023", 2023, "period", D(2023, 1, 1), D(2023, 2, 28)),
    ("Tháng 01/2023", 2023, "period", D(2023, 1, 1), D(2023, 1, 31)),
    ("Tháng 01/2024", 2024, "period", D(2024, 1, 1), D(2024, 1, 31)),
    ("12/2024", 2024, "period", D(2024, 12, 1), D(2024, 12, 31)),  # a month as start | end columns write it
    ("02/2024", 2024, "period", D(2024, 2, 1), D(2024, 2, 29)),
    ("Trước ngày 01/12/2024", 2024, "by_date", None, D(2024, 12, 1)),
    ("Trước ngày 14/3/2024", 2024, "by_date", None, D(2024, 3, 14)),
    ("Trước ngày 15/01/2023", 2023, "by_date", None, D(2023, 1, 15)),
    ("Trước ngày 15/01/2\n023", 2023, "by_date", None, D(2023, 1, 15)),
    ("Trước ngày 30/5/2024", 2024, "by_date", None, D(2024, 5, 30)),
    ("Trong năm 2023", 2023, "period", D(2023, 1, 1), D(2023, 12, 31)),
    ("Trong năm 2023.", 2023, "period", D(2023, 1, 1), D(2023, 12, 31)),
    ("Trong năm 2023 và những năm tiếp theo.", 2023, "continuous", D(2023, 1, 1), None),
    ("Trong năm 2023/Sau khi có quyết định công bố TTHC.", 2023, "period", D(2023, 1, 1), D(2023, 12, 31)),
    ("- Tháng 01/2024\n- Đối với Kế hoạch đo lường mức độ hài lòng người dân, thực hiện sau khi có Quyết định/ "
     "Kế hoạch của UBND tỉnh", 2024, "period", D(2024, 1, 1), D(2024, 1, 31)),
    ("Khi có hướng dẫn của UBND tỉnh", 2024, "conditional", None, None),
    ("Khi có Hướng dẫn của Sở Nội vụ", 2024, "conditional", None, None),
    ("Theo hướng dẫn của Sở Nội vụ", 2024, "conditional", None, None),
    ("Theo hướng dẫn UBND tỉnh", 2024, "conditional", None, None),
    ("Theo tiến độ phê duyệt", 2024, "conditional", None, None),
    ("Sau khi có quyết định công bố TTHC", 2024, "conditional", None, None),
    ("Theo chỉ đạo của UBND tỉnh", 2024, "conditional", None, None),
    ("Theo Kế hoạch số 45/KH-UBND ngày 22/01/2023", 2023, "scheduled", None, None),
    ("Theo thời hạn đã đăng ký với UBND tỉnh", 2024, "scheduled", None, None),
    ("Theo Kế hoạch đào tạo bồi dưỡng", 2024, "scheduled", None, None),
    ("Theo Kế hoạch UBND tỉnh phê duyệt", 2024, "scheduled", None, None),
    ("Theo Kế hoạch ISO năm 2023", 2023, "scheduled", None, None),
    ("Thường xuyên theo Kế hoạch đào tạo, bồi dưỡng", 2023, "continuous", D(2023, 1, 1), None),
    # variants a new plan brings
    ("Quý 2/2024", 2024, "period", D(2024, 4, 1), D(2024, 6, 30)),
    ("quý II năm 2024", 2020, "period", D(2024, 4, 1), D(2024, 6, 30)),
    ("QII/2024", 2024, "period", D(2024, 4, 1), D(2024, 6, 30)),
    ("Q3/2025", 2025, "period", D(2025, 7, 1), D(2025, 9, 30)),
    ("Quý IV", 2025, "period", D(2025, 10, 1), D(2025, 12, 31)),
    ("6 tháng đầu năm", 2025, "period", D(2025, 1, 1), D(2025, 6, 30)),
    ("6 tháng cuối năm 2024", 2023, "period", D(2024, 7, 1), D(2024, 12, 31)),
    ("trước 30/6/2024", 2024, "by_date", None, D(2024, 6, 30)),
    ("trước 30/6", 2025, "by_date", None, D(2025, 6, 30)),
    ("Trước ngày 10/12", 2026, "by_date", None, D(2026, 12, 10)),
    ("ngày 30 tháng 6 năm 2024", 2024, "by_date", None, D(2024, 6, 30)),
    ("ngày 15 tháng 12 năm 2025", 2025, "by_date", None, D(2025, 12, 15)),
    ("Chậm nhất ngày 15/11/2025", 2025, "by_date", None, D(2025, 11, 15)),
    ("30/9/2025", 2025, "by_date", None, D(2025, 9, 30)),
    ("Tháng 12", 2024, "period", D(2024, 12, 1), D(2024, 12, 31)),
    ("tháng 6 năm 2025", 2025, "period", D(2025, 6, 1), D(2025, 6, 30)),
    ("Tháng 3, 4/2024", 2024, "period", D(2024, 3, 1), D(2024, 4, 30)),
    ("Tháng 02/2024", 2024, "period", D(2024, 2, 1), D(2024, 2, 29)),
    ("hằng quý", 2024, "continuous", D(2024, 1, 1), None),
    ("Hằng năm", 2024, "continuous", D(2024, 1, 1), None),
    ("Hàng năm", 2024, "continuous", D(2024, 1, 1), None),
    ("định kỳ hằng tháng", 2024, "continuous", D(2024, 1, 1), None),
    ("Định kỳ", 2024, "continuous", D(2024, 1, 1), None),
    ("Đến năm 2025", 2024, "by_date", None, D(2025, 12, 31)),
    ("Đến hết quý II/2025", 2025, "by_date", None, D(2025, 6, 30)),
    ("Đến hết tháng 9/2025", 2025, "by_date", None, D(2025, 9, 30)),
    ("2024-2025", 2024, "period", D(2024, 1, 1), D(2025, 12, 31)),
    ("Giai đoạn 2024 - 2025", 2024, "period", D(2024, 1, 1), D(2025, 12, 31)),
    ("Cả năm", 2023, "period", D(2023, 1, 1), D(2023, 12, 31)),
    ("Trước ngày 01/12/2024", None, "by_date", None, D(2024, 12, 1)),
    # other offices' wording: ranges in words and with spaced dashes, lists, edges of a period, recurrences
    ("Từ tháng 3 đến tháng 6/2025", 2025, "period", D(2025, 3, 1), D(2025, 6, 30)),
    ("từ tháng 03/2025 đến tháng 06/2025", 2024, "period", D(2025, 3, 1), D(2025, 6, 30)),
    ("Tháng 3/2025 - tháng 6/2025", 2025, "period", D(2025, 3, 1), D(2025, 6, 30)),
    ("Tháng 3 – tháng 4 năm 2025", 2025, "period", D(2025, 3, 1), D(2025, 4, 30)),
    ("Tháng 11/2024 - tháng 02/2025", 2025, "period", D(2024, 11, 1), D(2025, 2, 28)),
    ("Quý II - Quý III/2025", 2025, "period", D(2025, 4, 1), D(2025, 9, 30)),
    ("Quý II – III/2025", 2025, "period", D(2025, 4, 1), D(2025, 9, 30)),
    ("Quý I - II năm 2025", 2024, "period", D(2025, 1, 1), D(2025, 6, 30)),
    ("Từ quý II đến quý IV/2025", 2025, "period", D(2025, 4, 1), D(2025, 12, 31)),
    ("Trong quý II - III/2025", 2025, "period", D(2025, 4, 1), D(2025, 9, 30)),
    ("Từ ngày 01/3/2025 đến ngày 30/6/2025", 2025, "period", D(2025, 3, 1), D(2025, 6, 30)),
    ("01/3 - 30/6/2025", 2025, "period", D(2025, 3, 1), D(2025, 6, 30)),
    ("Tháng 3, 6, 9 và 12/2025", 2025, "period", D(2025, 3, 1), D(2025, 12, 31)),
    ("Tháng 6 và tháng 12/2025", 2025, "period", D(2025, 6, 1), D(2025, 12, 31)),
    ("Quý III, IV", 2025, "period", D(2025, 7, 1), D(2025, 12, 31)),
    ("Chậm nhất trước ngày 30/6", 2025, "by_date", None, D(2025, 6, 30)),
    ("Hoàn thành chậm nhất ngày 31/12/2025", 2025, "by_date", None, D(2025, 12, 31)),
    ("Từ nay đến hết năm 2025", 2025, "by_date", None, D(2025, 12, 31)),
    ("cuối năm 2025", 2025, "period", D(2025, 10, 1), D(2025, 12, 31)),  # a year's last quarter
    ("Cuối năm", 2026, "period", D(2026, 10, 1), D(2026, 12, 31)),
    ("đầu năm 2025", 2025, "period", D(2025, 1, 1), D(2025, 3, 31)),  # its first quarter
    ("đầu quý II/2025", 2025, "period", D(2025, 4, 1), D(2025, 4, 30)),  # a quarter's first month
    ("Cuối quý III", 2025, "period", D(2025, 9, 1), D(2025, 9, 30)),
    ("cuối tháng 6/2025", 2025, "period", D(2025, 6, 21), D(2025, 6, 30)),  # a month's last ten days
    ("đầu tháng 3", 2025, "period", D(2025, 3, 1), D(2025, 3, 10)),
    ("9 tháng đầu năm", 2025, "period", D(2025, 1, 1), D(2025, 9, 30)),
    ("ngày 20 hằng tháng", 2025, "continuous", D(2025, 1, 1), None),
    ("Trước ngày 15/12 hằng năm", 2025, "continuous", D(2025, 1, 1), None),
    ("Quý I/2025 và thường xuyên", 2025, "period", D(2025, 1, 1), D(2025, 3, 31)),  # the first of two deadlines
    ("Tháng 6/2025, sau đó duy trì thường xuyên", 2025, "period", D(2025, 6, 1), D(2025, 6, 30)),
    ("Từ tháng 3/2025 trở đi", 2025, "continuous", D(2025, 3, 1), None),
    ("Năm 2025 và các năm tiếp theo", 2025, "continuous", D(2025, 1, 1), None),
    ("Đợt 1: Quý II/2025; Đợt 2: Quý IV/2025", 2025, "period", D(2025, 4, 1), D(2025, 6, 30)),
    ("Quý IV/2025 (trước ngày 15/12)", 2025, "period", D(2025, 10, 1), D(2025, 12, 31)),
    ("Quý II/2025 - Đối với kế hoạch kiểm tra", 2025, "period", D(2025, 4, 1), D(2025, 6, 30)),
    # not understood or impossible: unknown, never a crash
    ("31/2/2024", 2024, "unknown", None, None),
    ("Trước ngày 31/4/2024", 2024, "unknown", None, None),
    ("Tháng 13/2024", 2024, "unknown", None, None),
    ("13/2024", 2024, "unknown", None, None),
    ("Quý IV-II/2024", 2024, "unknown", None, None),
    ("Sớm nhất có thể", 2024, "unknown", None, None),
    ("Giữa năm 2025", 2025, "unknown", None, None),  # no agreed window: never a guessed one
    ("Từ tháng 3", 2025, "unknown", None, None),  # a range without its end
    ("Tháng 6 - 3/2025", 2025, "unknown", None, None),  # runs backwards
    ("Quý III - Quý I/2025", 2025, "unknown", None, None),
    ("Tuần thứ hai của tháng", 2025, "unknown", None, None),
    ("", 2024, "unknown", None, None),
]


@pytest.mark.parametrize("raw,year,kind,start,end", CASES)
def test_deadline_kind_and_window(raw, year, kind, start, end):
    d = parse_deadline(raw, year)
    assert (d.kind, d.due_start, d.due_end) == (kind, start, end)


@pytest.mark.parametrize("raw,ref", [
    ("Khi có hướng dẫn của UBND tỉnh", "hướng dẫn của UBND tỉnh"),
    ("Theo Kế hoạch số 45/KH-UBND ngày 22/01/2023", "Kế hoạch số 45/KH-UBND ngày 22/01/2023"),
    ("Theo tiến độ phê duyệt", "tiến độ phê duyệt"),
    ("Thường xuyên theo Kế hoạch đào tạo, bồi dưỡng", "theo Kế hoạch đào tạo, bồi dưỡng"),
    ("Sau khi có quyết định công bố TTHC", "quyết định công bố TTHC"),
    ("ngày 20 hằng tháng", "ngày 20 hằng tháng"),  # the day of every month it recurs on
    ("Trước ngày 15/12 hằng năm", "Trước ngày 15/12 hằng năm"),
])
def test_conditional_and_scheduled_deadlines_say_on_what(raw, ref):
    assert parse_deadline(raw, 2024).ref == ref


def test_a_year_less_deadline_without_plan_year_has_no_window():
    d = parse_deadline("Quý II", None)
    assert d.due_start is None and d.due_end is None


YEARS = st.integers(min_value=2000, max_value=2040)
FORMS = st.one_of(
    st.builds(lambda q, y: f"Quý {q}/{y}", st.sampled_from(["I", "II", "III", "IV", "1", "2", "3", "4"]), YEARS),
    st.builds(lambda m, y: f"Tháng {m:02d}/{y}", st.integers(1, 12), YEARS),
    st.builds(lambda a, b, y: f"Tháng {min(a, b)}-{max(a, b)}/{y}", st.integers(1, 12), st.integers(1, 12), YEARS),
    st.builds(lambda d, m, y: f"Trước ngày {d}/{m}/{y}", st.integers(1, 31), st.integers(1, 12), YEARS),
    st.builds(lambda d, m, y: f"ngày {d} tháng {m} năm {y}", st.integers(1, 31), st.integers(1, 12), YEARS),
    st.builds(lambda h, y: f"6 tháng {h} năm {y}", st.sampled_from(["đầu", "cuối"]), YEARS),
    st.builds(lambda y: f"Năm {y}", YEARS),
    st.builds(lambda y: f"Đến hết quý II/{y}", YEARS),
)


@settings(max_examples=300, deadline=None)
@given(FORMS)
def test_windows_are_ordered_and_inside_the_year_they_name(raw):
    d = parse_deadline(raw, 2024)
    year = int(raw.rsplit("/", 1)[-1].split()[-1]) if "/" in raw else int(raw.split()[-1])
    if d.kind == "unknown":
        return  # e.g. 31/2: flagged, not a window
    for day in (d.due_start, d.due_end):
        if day is not None:
            assert day.year == year
    if d.due_start and d.due_end:
        assert d.due_start <= d.due_end


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.one_of(st.none(), YEARS))
def test_never_raises_on_any_text(raw, year):
    d = parse_deadline(raw, year)
    assert d.kind in {"by_date", "period", "continuous", "conditional", "scheduled", "unknown"}
    if d.due_start and d.due_end:
        assert d.due_start <= d.due_end


@pytest.mark.parametrize("text, opens", [
    ("Thường xuyên", True), ("Quý III/2024", True), ("Qúy II/2024", True), ("Trước ngày", True),
    ("Khi có Hướng", True), ("Theo thời hạn", True), ("Theo Kế hoạch", True), ("Năm 2024", True),
    ("- Tháng 01/2024", True), ("Đến hết", True), ("Trong quý", True), ("Hằng năm", True), ("Cả năm", True),
    ("6 tháng đầu năm", True), ("Quý II-", True), ("Từ tháng 3", True), ("Cuối năm", True), ("Chậm nhất", True),
    ("Đầu tư", False), ("Từ chối", False), ("Cuối cùng", False),
    # words that open other cells: a decision, a procedure, a follow-up, a fund, a unit
    ("Quyết định", False), ("Quy trình", False), ("Quy chế", False), ("Quỹ", False), ("Theo dõi", False),
    ("Trình danh mục", False), ("Thanh tra Sở", False), ("Trong", False), ("Khi", False),
])
def test_opens_deadline_tells_a_deadline_start_from_other_cells(text, opens):
    assert opens_deadline(text) is opens
