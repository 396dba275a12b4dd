"""Province names read on a date, across the 2025 arrangement (Resolution 202/2025/QH15), and the
catalogs they come from checked against the resolution and an independent source."""
from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
from collections import defaultdict
from pathlib import Path

import pytest

from normalizers.provinces import (
    CatalogError,
    arrangement_date,
    build_periods,
    named_provinces,
    plan_date,
    province_before,
    province_mentions,
    province_periods,
    resolve,
)
from normalizers.text import DATA, match_key

BEFORE, AFTER = dt.date(2024, 5, 1), dt.date(2026, 1, 15)


def rows(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


RESOLVE = [  # name, date -> (code, name) of the unit valid then, and whether the name's own unit had been merged
    ("Bình Phước", BEFORE, "VN-58", "Bình Phước", False),
    ("Bình Phước", AFTER, "VN-39", "Đồng Nai", True),  # a former province read after the merger: its successor
    ("tỉnh Đồng Nai", BEFORE, "VN-39", "Đồng Nai", False),
    ("Đồng Nai", AFTER, "VN-39", "Đồng Nai", False),
    ("Lâm Đồng (mới)", AFTER, "VN-35", "Lâm Đồng", False),
    ("LÂM ĐỒNG (MỚI)", None, "VN-35", "Lâm Đồng", False),
    ("Lâm Đồng cũ", AFTER, "VN-35", "Lâm Đồng", False),  # the former Lâm Đồng, part of the new one
    ("Đắk Nông", AFTER, "VN-35", "Lâm Đồng", True),
    ("Đăk Nông", BEFORE, "VN-72", "Đắk Nông", False),
    ("Hoà Bình", AFTER, "VN-68", "Phú Thọ", True),
    ("Thừa Thiên Huế", BEFORE, "VN-26", "Thừa Thiên Huế", False),
    ("Thừa Thiên - Huế", AFTER, "VN-26", "Huế", False),  # renamed, not merged: the same unit
    ("thành phố Huế", dt.date(2025, 3, 1), "VN-26", "Huế", False),
    ("TP. Hồ Chí Minh", AFTER, "VN-SG", "Hồ Chí Minh", False),
    ("Bà Rịa - Vũng Tàu", AFTER, "VN-SG", "Hồ Chí Minh", True),
    ("Hải Dương", AFTER, "VN-HP", "Hải Phòng", True),
    ("Long An", AFTER, "VN-37", "Tây Ninh", True),  # named after the other member, seated in Long An
    ("Kiên Giang", AFTER, "VN-44", "An Giang", True),
    ("Hà Tĩnh", AFTER, "VN-23", "Hà Tĩnh", False),
    ("VN-58", AFTER, "VN-39", "Đồng Nai", True),
    ("VN-58", BEFORE, "VN-58", "Bình Phước", False),
    ("Bình Phước", dt.date(2025, 6, 30), "VN-58", "Bình Phước", False),  # the last day before the arrangement
    ("Bình Phước", dt.date(2025, 7, 1), "VN-39", "Đồng Nai", True),
]


@pytest.mark.parametrize("name,when,code,province,merged", RESOLVE)
def test_a_name_is_read_as_the_unit_valid_on_the_plans_date(name, when, code, province, merged):
    r = resolve(name, when)
    assert (r.code, r.name, r.superseded) == (code, province, merged)


@pytest.mark.parametrize("name", ["Atlantis", "", None, "Biên Hòa", "tỉnh ban hành"])
def test_names_that_are_no_province(name):
    assert resolve(name, AFTER) is None


def test_every_former_province_carries_its_2025_unit():
    assert resolve("Bình Phước", BEFORE).province.code_2025 == "VN-39"
    assert resolve("Bình Thuận", BEFORE).province.name_2025 == "Lâm Đồng"
    assert resolve("Thừa Thiên Huế", BEFORE).province.name_2025 == "Huế"  # its current name
    assert resolve("Hà Tĩnh", BEFORE).province.code_2025 == "VN-23"


def test_plan_date_is_the_issue_date_else_the_plan_year():
    assert plan_date(dt.date(2025, 12, 25), 2026) == dt.date(2025, 12, 25)
    assert plan_date(None, 2026) == dt.date(2026, 1, 1) > arrangement_date()
    assert plan_date(None, 2025) < arrangement_date() == dt.date(2025, 7, 1)
    assert plan_date(None, None) is None


BODY = ("Thực hiện Kế hoạch của UBND tỉnh Lâm Đồng (mới); trên địa bàn tỉnh Bình Thuận (cũ), tỉnh Đắk Nông cũ và "
        "tỉnh Lâm Đồng; phối hợp với TP.HCM. Các tỉnh ban hành")


def test_mentions_after_the_merger_keep_only_units_that_exist_then():
    named = [(r.named.name, r.superseded) for r in named_provinces(BODY, AFTER)]
    assert named == [("Lâm Đồng", False), ("Bình Thuận", True), ("Đắk Nông", True), ("Lâm Đồng", False),
                     ("Hồ Chí Minh", False)]  # "tỉnh A và tỉnh B" names both
    assert [p.code for p in province_mentions(BODY, AFTER)] == ["VN-35", "VN-35", "VN-SG"]


def test_mentions_of_the_longest_names_with_their_dashes():
    text = "tỉnh Bà Rịa - Vũng Tàu cũ, tỉnh Bà Rịa – Vũng Tàu và tỉnh Thừa Thiên - Huế"
    assert [p.code for p in province_mentions(text, BEFORE)] == ["VN-43", "VN-43", "VN-26"]
    assert [r.province.code for r in named_provinces(text, AFTER)] == ["VN-SG", "VN-SG", "VN-26"]


def test_mentions_before_the_merger_skip_the_new_unit():
    text = "Chuẩn bị hợp nhất tỉnh Đắk Nông, tỉnh Bình Thuận vào tỉnh Lâm Đồng (mới); tỉnh Đắk Nông"
    assert [p.name for p in province_mentions(text, dt.date(2025, 6, 10))] == ["Đắk Nông", "Bình Thuận", "Đắk Nông"]


def test_place_and_date_line_read_on_the_date():
    assert province_before("Lâm Đồng, ngày 15 tháng 01 năm 2026", AFTER).province.valid_from == arrangement_date()
    assert province_before("Lâm Đồng, ngày 15 tháng 01 năm 2024", BEFORE).province.valid_to == dt.date(2025, 6, 30)
    assert province_before("Thành phố Hồ Chí Minh, ngày 2 tháng 1 năm 2026", AFTER).code == "VN-SG"
    r = province_before("Số: 5/KH-SCT Bình Phước, ngày 9 tháng 1 năm 2026", AFTER)
    assert (r.code, r.named.name, r.superseded) == ("VN-39", "Bình Phước", True)


# -- the catalogs -------------------------------------------------------------------------------------------

def test_catalogs_hold_63_former_provinces_and_34_units_as_the_resolution_says():
    former, units, mapping = rows("provinces.csv"), rows("provinces_2025.csv"), rows("province_mapping_2025.csv")
    assert len(former) == 63 and len(units) == 34 and len(mapping) == 63
    members = defaultdict(list)
    for r in mapping:
        members[r["province_code_2025"]].append(r["province_code"])
    unchanged = [c for c, m in members.items() if m == [c]]
    assert len(unchanged) == 11  # Điều 1: 23 units formed from 52 provinces; 11 not arranged
    assert sum(len(m) for c, m in members.items() if c not in unchanged) == 52
    assert {u["kind"] for u in units} == {"tỉnh", "thành phố"}
    assert sum(u["kind"] == "thành phố" for u in units) == 6  # 28 tỉnh, 6 thành phố trực thuộc trung ương


def test_a_merged_unit_carries_the_code_of_the_former_province_whose_name_it_kept():
    eve = arrangement_date() - dt.timedelta(days=1)
    for u in rows("provinces_2025.csv"):
        members = {r["province_code"] for r in rows("province_mapping_2025.csv")
                   if r["province_code_2025"] == u["province_code_2025"]}
        assert u["province_code_2025"] in members, u
        assert resolve(u["province_code_2025"], eve).name == u["province_2025"], u  # the name it kept
        assert resolve(u["seat"], eve).code in members, u  # the seat is in one of its former provinces


def test_mapping_names_match_the_catalogs():
    names = {r["province_code"]: r["province"] for r in rows("provinces.csv")}
    units = {r["province_code_2025"]: r["province_2025"] for r in rows("provinces_2025.csv")}
    for r in rows("province_mapping_2025.csv"):
        assert names[r["province_code"]] == r["province"] and units[r["province_code_2025"]] == r["province_2025"]


def test_every_code_is_an_iso_3166_2_vn_code_and_iso_has_none_for_the_new_units():
    """ISO 3166-2:VN (Debian's iso-codes) still lists the 63 provinces: the 34 reuse their codes."""
    iso = Path("/usr/share/iso-codes/json/iso_3166-2.json")
    if not iso.exists():
        pytest.skip("iso-codes is not installed")
    vn = {s["code"] for s in json.loads(iso.read_text("utf-8"))["3166-2"] if s["code"].startswith("VN-")}
    ours = {r["province_code"] for r in rows("provinces.csv")}
    assert ours == vn
    assert {r["province_code_2025"] for r in rows("provinces_2025.csv")} <= vn


def test_mapping_agrees_with_vietnamadminunits_where_it_is_installed():
    """An independent source of the 63 -> 34 mapping (PyPI vietnamadminunits; not a dependency)."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("vietnamadminunits is not installed")
    data = Path(next(iter(spec.submodule_search_locations))) / "data" / "converter_2025.json"
    theirs = {tuple(sorted(v)): k for k, v in json.loads(data.read_text("utf-8"))["DICT_PROVINCE"].items()}

    def key(kind_name: str) -> str:
        return match_key(kind_name).replace(" ", "")

    kinds = {r["province_code"]: r for r in rows("provinces.csv")}
    units = {r["province_code_2025"]: r for r in rows("provinces_2025.csv")}
    city = {"VN-HN", "VN-HP", "VN-DN", "VN-SG", "VN-CT", "VN-26"}
    ours = defaultdict(list)
    for r in rows("province_mapping_2025.csv"):
        name = "Huế" if r["province_code"] == "VN-26" else kinds[r["province_code"]]["province"]  # theirs: 2024 name
        ours[r["province_code_2025"]].append(key(("thành phố " if r["province_code"] in city else "tỉnh ") + name))
    mine = {tuple(sorted(v)): key(f"{units[c]['kind']} {units[c]['province_2025']}") for c, v in ours.items()}
    assert mine == theirs


# -- periods, and later changes as data ----------------------------------------------------------------------

def test_periods_of_an_unchanged_a_renamed_and_a_merged_unit():
    by_code = defaultdict(list)
    for p in province_periods():
        by_code[p.code].append((p.name, p.valid_from, p.valid_to))
    assert by_code["VN-23"] == [("Hà Tĩnh", None, None)]
    assert by_code["VN-26"] == [("Thừa Thiên Huế", None, dt.date(2024, 12, 31)), ("Huế", dt.date(2025, 1, 1), None)]
    assert by_code["VN-35"] == [("Lâm Đồng", None, dt.date(2025, 6, 30)), ("Lâm Đồng", dt.date(2025, 7, 1), None)]
    assert by_code["VN-58"] == [("Bình Phước", None, dt.date(2025, 6, 30))]
    assert len(province_periods()) == 63 + 23 + 1  # one period each, a second for the 23 new units and Huế


def test_a_later_change_is_a_row_of_data():
    """A province made a centrally-run city under a new name (hypothetical): a row of province_changes.csv."""
    later = {"province_code": "VN-39", "province": "Biên Hòa", "valid_from": "2030-01-01",
             "change": "tỉnh Đồng Nai thành thành phố Biên Hòa", "aliases": "Thành phố Biên Hòa", "basis": "-"}
    built = build_periods(rows("provinces.csv"), rows("provinces_2025.csv"), rows("province_mapping_2025.csv"),
                          rows("province_changes.csv") + [later])
    periods = {(p.code, p.name, p.valid_from): (p, names) for p, names in built}
    city, names = periods[("VN-39", "Biên Hòa", dt.date(2030, 1, 1))]
    assert city.code_2025 == "VN-39" and "Thành phố Biên Hòa" in names
    new_dn, _ = periods[("VN-39", "Đồng Nai", dt.date(2025, 7, 1))]
    assert new_dn.valid_to == dt.date(2029, 12, 31)
    binh_phuoc, _ = periods[("VN-58", "Bình Phước", None)]
    assert (binh_phuoc.code_2025, binh_phuoc.name_2025) == ("VN-39", "Biên Hòa")  # the unit's current name


def test_contradicting_catalogs_are_refused():
    former, units, mapping = rows("provinces.csv"), rows("provinces_2025.csv"), rows("province_mapping_2025.csv")
    with pytest.raises(CatalogError, match="no row in province_mapping"):
        build_periods(former, units, [r for r in mapping if r["province_code"] != "VN-58"], [])
    with pytest.raises(CatalogError, match="falls in no period"):
        build_periods(former, units, mapping, [{"province_code": "VN-58", "province": "X", "valid_from": "2026-01-01"}])
    with pytest.raises(CatalogError, match="not a date"):
        build_periods(former, units, mapping, [{"province_code": "VN-39", "province": "X", "valid_from": "sau này"}])
