"""target_comparison as a pure function: the strictest target per indicator, province and year, among the
most used unit; a stream of targets gives what a list gives."""
from pipeline.compare import target_comparison


def _t(tid, value, comparator=">=", unit="%", province="DNA", year=2024, indicator="on_time_resolution",
       doc="d1", **kw):
    return {"target_id": tid, "doc_id": doc, "indicator": indicator, "province": province, "province_code": province,
            "province_2025": kw.get("p2025", province), "province_code_2025": kw.get("p2025", province),
            "plan_year": year, "comparator": comparator, "value": value, "value_max": None, "unit": unit}


TARGETS = [
    _t("a", 95.0), _t("b", 98.0), _t("c", 97.0),  # Đồng Nai 2024: the strictest '>=' is 98
    _t("d", 3.0, unit="ngày"), _t("e", 4.0, unit="ngày"), _t("f", 90.0),  # '%' is still the most used unit
    _t("g", 5.0, comparator="<=", unit="ngày", indicator="processing_days"),
    _t("h", 3.0, comparator="<=", unit="ngày", indicator="processing_days"),  # '<=': the lower the stricter
    _t("i", 80.0, province="BPC", p2025="DNA", doc="d2"),  # Bình Phước, part of Đồng Nai since 2025
    _t("j", 99.0, indicator=None),  # not mapped to an indicator: not compared
    _t("k", 70.0, year=None),  # no plan year: not compared
]


def test_strictest_of_the_most_used_unit_with_every_mention():
    rows = {(r["indicator"], r["province_code"], r["plan_year"]): r for r in target_comparison(TARGETS)}
    assert set(rows) == {("on_time_resolution", "DNA", 2024), ("processing_days", "DNA", 2024),
                         ("on_time_resolution", "BPC", 2024)}
    dna = rows[("on_time_resolution", "DNA", 2024)]
    assert (dna["comparator"], dna["value"], dna["unit"]) == (">=", 98.0, "%")
    assert dna["n_mentions"] == 6 and dna["target_ids"] == ["a", "b", "c", "d", "e", "f"]
    days = rows[("processing_days", "DNA", 2024)]
    assert (days["comparator"], days["value"]) == ("<=", 3.0)


def test_grouped_by_the_2025_province_lists_the_issuers():
    rows = {(r["indicator"], r["province_code_2025"]): r for r in target_comparison(TARGETS, by="2025")}
    merged = rows[("on_time_resolution", "DNA")]
    assert merged["n_mentions"] == 7 and merged["value"] == 98.0 and merged["province_code"] == "DNA"
    assert merged["issued_by"] == ["BPC", "DNA"]


def test_a_stream_gives_what_a_list_gives():
    assert target_comparison(iter(TARGETS)) == target_comparison(list(TARGETS))
    assert target_comparison(t for t in TARGETS) == target_comparison(TARGETS)


def test_primary_files_only_when_documents_are_given():
    docs = [{"doc_id": "d1", "is_primary": True}, {"doc_id": "d2", "is_primary": False}]
    rows = target_comparison(TARGETS, docs)
    assert {r["province_code"] for r in rows} == {"DNA"}
