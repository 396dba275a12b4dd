"""What the parent keeps while a run's rows stream to disk: the spilled per-document values plan
identity reads at the end."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from pipeline.plans import identify, signature
from pipeline.spill import Spill


def _document(i: int) -> dict:
    return {"doc_id": f"{i:016x}", "source_file": f"so_noi_vu_{i}.pdf", "province": "Tỉnh Quảng Trị",
            "province_code": "QT", "plan_year": 2026, "agency": "Sở Nội vụ", "doc_date": dt.date(2025, 12, 30),
            "n_tasks": i % 7, "status": "ok"}


def test_a_spill_gives_back_each_value_and_holds_only_offsets(tmp_path):
    spill = Spill(tmp_path / "staging" / "signatures.pickle")
    keys = ("rà soát thủ tục hành chính thuộc thẩm quyền", "số hoá hồ sơ, kết quả giải quyết tthc")
    spill["a"] = keys
    spill["b"] = ()
    spill["a"] = keys + ("tuyên truyền cải cách hành chính",)  # a later value replaces the first
    assert spill["a"] == keys + ("tuyên truyền cải cách hành chính",)
    assert spill["b"] == () and spill.get("c", ()) == ()
    assert sorted(spill) == ["a", "b"] and len(spill) == 2
    assert all(unicodedata.is_normalized("NFC", k) for k in spill["a"])
    assert all(isinstance(v, tuple) and all(isinstance(n, int) for n in v) for v in spill._index.values())
    with pytest.raises(KeyError):
        spill["c"]


def test_plan_identity_reads_spilled_signatures_as_it_reads_a_dict(tmp_path):
    rows = [{"task": f"Nhiệm vụ {k}: rà soát, đánh giá thủ tục hành chính lĩnh vực {k}"} for k in range(12)]
    docs = [dict(_document(i), title="Kế hoạch cải cách hành chính năm 2026", doc_number="15/KH-SNV",
                 source_format=fmt) for i, fmt in enumerate(("pdf", "docx"))]
    held = {d["doc_id"]: signature(rows) for d in docs}
    spilled = Spill(tmp_path / "signatures.pickle")
    spilled.update(held)
    a, b = identify(docs, held), identify(docs, spilled)
    assert a.plan_of == b.plan_of
    assert len({pid for pid, _ in b.plan_of.values()}) == 1  # the PDF and the DOCX of one plan

