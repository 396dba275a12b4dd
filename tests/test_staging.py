"""What the parent keeps while a run's rows stream to disk: the part writer's buffers and the
spilled per-document values plan identity reads at the end."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from pipeline.plans import identify, signature
from pipeline.spill import Spill
from pipeline.writer import MAX_PIECES, PART_ROWS, ROW_GROUP_ROWS, RunWriter


def _document(i: int) -> dict:
    return {"doc_id": f"{i:016x}", "source_file": f"so_noi_vu_{i}.pdf", "province": "Tỉnh Quảng Trị",
            "province_code": "QT", "plan_year": 2026, "agency": "Sở Nội vụ", "doc_date": dt.date(2025, 12, 30),
            "n_tasks": i % 7, "status": "ok"}


def test_one_row_tables_are_combined_so_the_buffer_stays_small_and_nothing_is_lost(tmp_path):
    writer = RunWriter(tmp_path)
    n = PART_ROWS + 2 * MAX_PIECES + 5  # one flush to a part file, then a buffer combined twice
    for i in range(n):
        writer.add("documents", [_document(i)])
        assert len(writer._buffers["documents"]) <= MAX_PIECES  # one Arrow table per document would pile up
    import pyarrow as pa
    table = pa.Table.from_batches(list(writer.batches("documents")))
    assert table.num_rows == n == writer.rows["documents"]
    assert table.column("doc_id").to_pylist() == [f"{i:016x}" for i in range(n)]  # arrival order kept
    assert table.column("n_tasks").to_pylist() == [i % 7 for i in range(n)]
    assert set(table.column("province").to_pylist()) == {"Tỉnh Quảng Trị"}
    assert len(list((tmp_path / "parts" / "documents").glob("*.parquet"))) == 2  # PART_ROWS, then the rest


def test_a_spill_gives_back_each_value_and_holds_only_offsets(tmp_path):
    spill = Spill(tmp_path / "staging" / "signatures.pickle")
    keys = ("rà soát thủ tục hành chính thuộc thẩm quyền", "số hoá hồ sơ, kết quả giải quyết tthc")
    spill["a"] = keys
    spill["b"] = ()
    spill["a"] = keys + ("tuyên truyền cải cách hành chính",)  # a later value replaces the first
    assert spill["a"] == keys + ("tuyên truyền cải cách hành chính",)
    assert spill["b"] == () and spill.get("c", ()) == ()
    assert spill["a"] is not spill["a"]  # read from the file each time, not held
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


def _task(i: int, province: str | None, year: int | None) -> dict:
    return {"task_id": f"t{i:05d}", "doc_id": f"{i // 40:016x}",
            "province_code": province, "plan_year": year, "source_row": i % 40,
            "task": f"Rà soát, đơn giản hoá thủ tục hành chính số {i}"}


def test_compaction_writes_each_partition_whole_in_arrival_order_with_bounded_row_groups(tmp_path, monkeypatch):
    """Documents of several provinces and years arrive interleaved, in many part files; each
    partition's file gets exactly its rows, in arrival order, plan identity stamped, in row groups
    no larger than ROW_GROUP_ROWS, and a null key goes to `unknown`."""
    keys = [("QT", 2026), ("HUE", 2025), ("QT", 2025), (None, 2026), ("HUE", None)]
    rows = [_task(i, *keys[(i // 40) % len(keys)]) for i in range(ROW_GROUP_ROWS * 3 + 77)]
    writer = RunWriter(tmp_path / "staging")
    for start in range(0, len(rows), 40):  # a document at a time
        writer.add("tasks", rows[start:start + 40])
    assert len(writer._parts["tasks"]) > 10

    def stamp(name, batch):
        import pyarrow as pa
        ids = pa.array([f"plan-{d}" for d in batch.column("doc_id").to_pylist()], pa.string())
        return batch.set_column(batch.schema.get_field_index("plan_id"), "plan_id", ids)

    import pyarrow.parquet as pq

    from pipeline import writer as writer_module
    open_now, most_open = [0], [0]

    class Counted(pq.ParquetWriter):  # an open Parquet writer holds buffers for every column
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            open_now[0] += 1
            most_open[0] = max(most_open[0], open_now[0])

        def close(self):
            super().close()
            open_now[0] -= 1

    monkeypatch.setattr(writer_module.pq, "ParquetWriter", Counted)
    writer.compact(tmp_path / "out", stamp)
    assert most_open[0] == 1 and open_now[0] == 0  # one file at a time, every one closed
    files = sorted((tmp_path / "out" / "tasks").rglob("*.parquet"))
    folders = {f.parent.relative_to(tmp_path / "out" / "tasks").as_posix() for f in files}
    assert folders == {"QT/2026", "HUE/2025", "QT/2025", "unknown/2026", "HUE/unknown"}
    assert len(files) == len(folders)  # one file per partition
    for (province, year) in keys:
        f = tmp_path / "out" / "tasks" / (province or "unknown") / str(year or "unknown") / "part-0.parquet"
        meta = pq.ParquetFile(f).metadata
        assert max(meta.row_group(g).num_rows for g in range(meta.num_row_groups)) <= ROW_GROUP_ROWS
        got = pq.read_table(f)
        want = [r for r in rows if (r["province_code"], r["plan_year"]) == (province, year)]
        assert got.column("task_id").to_pylist() == [r["task_id"] for r in want]
        assert got.column("plan_id").to_pylist() == [f"plan-{r['doc_id']}" for r in want]
        assert got.column("province_code").to_pylist() == [province] * len(want)  # the typed key kept
