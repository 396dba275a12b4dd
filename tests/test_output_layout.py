"""The output folder as analysts' tools read it, and as runs replace it: every reader gets every
column (province and year included), all datasets switch together, one writer at a time, and
what a killed run leaves is cleaned up by the next one."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest
from conftest import RAW, ROOT, read, run_cli

from pipeline.layout import CURRENT, Layout, OutputLock
from pipeline.run import run
from pipeline.schema import DATASETS

KEYS = {"documents": ("doc_id", "province_code", "plan_year"), "par_assignments": ("criterion_code",
        "province_code", "plan_year"), "tasks": ("task_id", "province_code", "plan_year")}


def _rows(records, cols):
    rows = [tuple(None if pd.isna(r[c]) else (int(r[c]) if c == "plan_year" else r[c]) for c in cols)
            for r in records]
    return sorted(rows, key=lambda t: tuple((v is None, str(v)) for v in t))


@pytest.mark.parametrize("name", sorted(KEYS))
def test_every_reader_gets_every_column_province_and_year(corpus_out_no_manifest, name):
    """Seed 002 has no province here: its rows must read back as null in every tool, not vanish."""
    folder = corpus_out_no_manifest / name
    cols = KEYS[name]
    want = _rows(pads.dataset(folder, partitioning="hive").to_table().to_pylist(), cols)
    assert want and all(r[2] is not None for r in want)
    if name != "tasks":  # seed 002 (criteria, no province) is in documents and par_assignments
        assert any(r[1] is None for r in want)
    schema = set(DATASETS[name].schema.names)
    glob = f"{folder}/**/*.parquet"
    readers = {
        "pandas.read_parquet(dir)": lambda: pd.read_parquet(folder),
        "pyarrow.parquet.read_table(dir)": lambda: pq.read_table(folder).to_pandas(),
        "pyarrow.dataset, no partitioning": lambda: pads.dataset(folder).to_table().to_pandas(),
        "polars.read_parquet(dir)": lambda: pl.read_parquet(folder).to_pandas(),
        "polars.scan_parquet(glob)": lambda: pl.scan_parquet(glob).collect().to_pandas(),
        "duckdb hive": lambda: duckdb.sql(f"SELECT * FROM read_parquet('{glob}', hive_partitioning = true)").df(),
        "duckdb no hive": lambda: duckdb.sql(f"SELECT * FROM read_parquet('{glob}', hive_partitioning = false)").df(),
        "file by file": lambda: pd.concat([pq.read_table(f).to_pandas() for f in sorted(folder.rglob("*.parquet"))]),
    }
    for label, reader in readers.items():
        df = reader()
        assert schema <= set(df.columns), (label, schema - set(df.columns))
        assert _rows(df.to_dict("records"), cols) == want, label


def test_files_hold_the_typed_keys_and_there_is_no_fake_partition(corpus_out_no_manifest):
    for name, spec in DATASETS.items():
        files = sorted((corpus_out_no_manifest / name).rglob("*.parquet"))
        assert files, name
        for f in files:
            schema = pq.read_schema(f)
            assert schema.names == spec.schema.names, f  # the file alone has every column, in order
            assert "=" not in str(f.relative_to(corpus_out_no_manifest)), f  # no hive key to conflict with
        if len(files) > 1:
            assert all(pq.read_metadata(f).num_rows for f in files), f"{name}: a zero-row file beside data"
    docs = read(corpus_out_no_manifest, "documents")
    for d in docs:  # the folder says what the file says
        f = next(iter((corpus_out_no_manifest / "documents").glob(f"{d['province_code'] or 'unknown'}/"
                                                                 f"{d['plan_year'] or 'unknown'}/*.parquet")))
        assert d["doc_id"] in pq.read_table(f).column("doc_id").to_pylist()


def _small_output(tmp_path, *names):
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    for n in names:
        shutil.copy(RAW / "txt" / n, src / n)
    out = tmp_path / "out"
    run([str(src)], out, workers=1)
    return src, out


def test_a_moved_output_folder_still_reads_and_its_duckdb_views_follow(tmp_path):
    _, out = _small_output(tmp_path, "001_f76b48a4b12a19b8.txt")
    db = out / "cchc.duckdb"
    assert run_cli("export", str(out), "--duckdb", str(db), "--quiet").returncode == 0
    n_tasks = len(read(out, "tasks"))
    moved = tmp_path / "elsewhere" / "cchc output"
    moved.parent.mkdir()
    shutil.move(out, moved)
    assert len(pd.read_parquet(moved / "tasks")) == n_tasks == 39
    assert subprocess.run([sys.executable, str(ROOT.parent / "shared" / "tools" / "check_contract.py"),
                           str(moved)], capture_output=True).returncode == 0
    con = duckdb.connect(str(moved / "cchc.duckdb"), read_only=True, config={"file_search_path": str(moved)})
    assert con.execute("SELECT count(*) FROM tasks").fetchone()[0] == n_tasks
    assert con.execute("SELECT count(*) FROM documents WHERE plan_year = 2023 AND province_code = 'VN-23'"
                       ).fetchone()[0] == 1


def test_the_report_and_exports_follow_the_current_run(tmp_path):
    src, out = _small_output(tmp_path, "001_f76b48a4b12a19b8.txt")
    db = tmp_path / "views.duckdb"
    assert run_cli("export", str(out), "--duckdb", str(db), "--quiet").returncode == 0
    shutil.copy(RAW / "txt" / "004_4f7a36543f88cd95.txt", src / "004.txt")
    run([str(src)], out, workers=1)
    con = duckdb.connect(str(db), read_only=True, config={"file_search_path": str(tmp_path)})
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2  # the same views, the new run
    html = tmp_path / "r.html"
    assert run_cli("report", str(out), "--html", str(html)).returncode == 0
    assert "Đồng Nai" in html.read_text("utf-8")


def test_one_run_folder_is_kept_and_the_datasets_link_to_it(tmp_path):
    src, out = _small_output(tmp_path, "001_f76b48a4b12a19b8.txt")
    first = Layout(out).current_run()
    (src / "001_f76b48a4b12a19b8.txt").write_text("Kế hoạch CCHC năm 2024 của Sở Công Thương tỉnh Gia Lai\n", "utf-8")
    run([str(src)], out, workers=1)
    layout = Layout(out)
    assert layout.current_run() != first and not first.exists()  # the old run pruned once the new one is current
    assert [p.name for p in layout.runs.iterdir()] == [layout.current_run().name]
    for name in DATASETS:
        assert os.readlink(out / name) == f"{CURRENT}/{name}"
    assert not os.path.isabs(os.readlink(out / CURRENT))


def test_leftovers_of_killed_runs_are_removed_by_the_next_run(tmp_path):
    src, out = _small_output(tmp_path, "001_f76b48a4b12a19b8.txt")
    layout = Layout(out)
    (layout.tmp / "20260101T000000-1-abcdef" / "work" / "cchc-x").mkdir(parents=True)
    (layout.runs / "20260101T000000-1-abcdef" / "tasks").mkdir(parents=True)
    os.symlink(".cchc/runs/20260101T000000-1-abcdef", out / ".current.deadbeef")
    (out / ".cchc-staging-x1" / "tasks").mkdir(parents=True)  # the older writer's staging and swap folders
    (out / ".tasks.old").mkdir()
    run([str(src)], out, workers=1)  # unchanged inputs: nothing to write, but the clean-up still runs
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".cchc"]
    assert not list(layout.tmp.iterdir()) and [p.name for p in layout.runs.iterdir()] == [layout.current_run().name]


def test_an_output_of_the_per_dataset_layout_is_adopted(tmp_path):
    src, out = _small_output(tmp_path, "001_f76b48a4b12a19b8.txt")
    before = {name: read(out, name) for name in DATASETS}
    old = tmp_path / "old"  # what the older writer left: real dataset folders and .cchc/state.json
    old.mkdir()
    for name in DATASETS:
        shutil.copytree(out / name, old / name)
    shutil.copytree(out / ".cchc" / "cache", old / ".cchc" / "cache")
    shutil.copy(Layout(out).state_path(), old / ".cchc" / "state.json")
    run([str(src)], old, workers=1)
    assert all(os.path.islink(old / name) for name in DATASETS)
    assert {name: read(old, name) for name in DATASETS} == before


def test_without_symbolic_links_datasets_are_swapped_one_by_one_and_a_warning_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(Layout, "symlinks_supported", lambda self: False)
    src, out = _small_output(tmp_path, "001_f76b48a4b12a19b8.txt")
    assert all((out / n).is_dir() and not (out / n).is_symlink() for n in DATASETS)
    warn = [i for i in read(out, "issues") if i["code"] == "no_atomic_switch"]
    assert len(warn) == 1 and "local" in warn[0]["message"]
    shutil.copy(RAW / "txt" / "004_4f7a36543f88cd95.txt", src / "004.txt")
    result = run([str(src)], out, workers=1)
    assert len(read(out, "documents")) == 2 and result.notes
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".cchc"]


def test_a_second_run_into_a_busy_folder_stops_at_once_with_one_line(tmp_path):
    src, out = _small_output(tmp_path, "001_f76b48a4b12a19b8.txt")
    before = read(out, "documents")
    with OutputLock(out):  # as a run in another process holds it
        proc = run_cli("run", str(src), "--out", str(out), "--force")
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.count("\n") == 1 and "another cchc run" in proc.stderr and f"pid {os.getpid()}" in proc.stderr
    assert read(out, "documents") == before
    assert run_cli("run", str(src), "--out", str(out), "--quiet").returncode == 0  # free again


KILL_AT_STEP = """
import os, shutil, sys
from pathlib import Path
step, parent = int(sys.argv[1]), os.getpid()
count = [0]
def hook(fn):
    def wrapped(*a, **k):
        if os.getpid() == parent:
            count[0] += 1
            if count[0] == step:
                os._exit(137)  # as kill -9: no finally, no clean-up
        return fn(*a, **k)
    return wrapped
for mod, name in ((os, "replace"), (os, "rename"), (os, "symlink"), (shutil, "rmtree")):
    setattr(mod, name, hook(getattr(mod, name)))
from pipeline.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_a_run_killed_at_any_step_leaves_one_whole_output_and_the_next_run_cleans_up(tmp_path):
    """Kill the writer before each rename, link or removal it makes: the readers see either the
    previous run or the new one, never documents of one beside tasks of the other."""
    src, out = _small_output(tmp_path, "001_f76b48a4b12a19b8.txt")
    old = {name: read(out, name) for name in DATASETS}
    shutil.copy(RAW / "txt" / "004_4f7a36543f88cd95.txt", src / "004.txt")
    reference = tmp_path / "reference"
    run([str(src)], reference, workers=1)
    new = {name: read(reference, name) for name in DATASETS}
    assert len(new["documents"]) == 2 and len(old["documents"]) == 1
    step, completed = 0, False
    while not completed:
        step += 1
        assert step < 40, "the run never finished"
        work = tmp_path / f"kill{step}"
        shutil.copytree(out, work, symlinks=True)
        proc = subprocess.run([sys.executable, "-c", KILL_AT_STEP, str(step), "run", str(src), "--out", str(work),
                               "--workers", "1", "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=300)
        completed = proc.returncode == 0
        assert proc.returncode in (0, 137), proc.stderr
        seen = {name: read(work, name) for name in DATASETS}
        assert seen == (new if completed else seen) and seen in (old, new), f"killed at step {step}: two runs mixed"
        run([str(src)], work, workers=1)
        assert {name: read(work, name) for name in DATASETS} == new
        assert not list(Layout(work).tmp.iterdir()) and len(list(Layout(work).runs.iterdir())) == 1
        assert sorted(p.name for p in work.iterdir() if p.name.startswith(".")) == [".cchc"]
        shutil.rmtree(work)
    assert step > 3  # the hook saw the writer's steps
