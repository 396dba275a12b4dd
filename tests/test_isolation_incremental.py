"""Issue 7 (part): per-document worker processes with limits, identical results for any
number of workers, incremental re-runs, and a killed run that leaves the last output whole."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pyarrow.dataset as ds
from conftest import RAW, ROOT, read, run_cli

from pipeline.executor import Limits, run_isolated


def _sleep(seconds):
    time.sleep(seconds)
    return "slept"


def _die():
    os._exit(3)


def _boom():
    raise ValueError("bad table")


def _hog():
    return bytearray(600 * 2**20)


def test_a_hang_a_crash_an_exception_and_a_memory_hog_each_end_as_one_status():
    jobs = [(0.01,), (30,)]
    out = list(run_isolated(jobs, _sleep, workers=2, limits=Limits(timeout_s=1.0, memory_mb=0)))
    assert [(i, s) for i, s, _ in out] == [(0, "ok"), (1, "timeout")]
    assert [s for _, s, _ in run_isolated([()], _die, 1, Limits(5, 0))] == ["crash"]
    (_, status, detail), = run_isolated([()], _boom, 1, Limits(5, 0))
    assert status == "error" and "ValueError: bad table" in detail
    assert [s for _, s, _ in run_isolated([()], _hog, 1, Limits(5, 300))] == ["memory"]


def _dump(out):
    tables = {}
    for name in ("documents", "tasks", "targets", "par_assignments", "issues", "target_comparison"):
        t = ds.dataset(out / name, partitioning="hive").to_table()
        rows = t.to_pylist()
        tables[name] = sorted(repr(sorted(r.items())) for r in rows)
    return tables


def test_same_datasets_with_one_and_two_workers_and_on_dask(tmp_path, corpus_out):
    outs = {}
    for label, extra in (("w1", ["--workers", "1"]), ("w2", ["--workers", "2"]),
                         ("dask", ["--executor", "dask", "--workers", "2"])):
        outs[label] = tmp_path / label
        proc = run_cli("run", "data/raw", "--out", str(outs[label]), "--manifest", "data/raw/manifest.csv",
                       "--quiet", *extra)
        assert proc.returncode == 0, proc.stderr
    assert _dump(outs["w1"]) == _dump(outs["w2"]) == _dump(outs["dask"]) == _dump(corpus_out)


def test_incremental_runs_skip_replace_keep_and_prune(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("txt/001_f76b48a4b12a19b8.txt", "txt/004_4f7a36543f88cd95.txt"):
        shutil.copy(RAW / name, src / name.split("/")[-1])
    out = tmp_path / "out"
    first = run_cli("run", str(src), "--out", str(out), "--json")
    assert first.returncode == 0
    n_tasks = len(read(out, "tasks"))
    mtime = (out / "tasks").stat().st_mtime_ns

    again = run_cli("run", str(src), "--out", str(out))
    assert "2 unchanged documents" in again.stdout
    assert (out / "tasks").stat().st_mtime_ns == mtime  # nothing rewritten

    # a changed document replaces its rows, no duplicates
    changed = src / "004_4f7a36543f88cd95.txt"
    changed.write_text(changed.read_text("utf-8") + "\n- Báo cáo bổ sung: trước ngày 20/12/2026\n", "utf-8")
    run_cli("run", str(src), "--out", str(out))
    docs = read(out, "documents")
    assert len(docs) == 2 and len({d["doc_id"] for d in docs}) == 2
    assert len(read(out, "tasks")) == n_tasks + 1

    # a deleted input keeps its rows until --prune
    (src / "001_f76b48a4b12a19b8.txt").unlink()
    run_cli("run", str(src), "--out", str(out))
    assert len(read(out, "documents")) == 2
    run_cli("run", str(src), "--out", str(out), "--prune")
    assert [d["source_file"].split("/")[-1] for d in read(out, "documents")] == ["004_4f7a36543f88cd95.txt"]

    forced = run_cli("run", str(src), "--out", str(out), "--force")
    assert "unchanged" not in forced.stdout


def test_a_run_killed_half_way_leaves_the_previous_output_whole(tmp_path):
    out = tmp_path / "out"
    assert run_cli("run", "data/raw", "--out", str(out), "--quiet").returncode == 0
    before = _dump(out)
    # a second run over more work, killed while it reads
    src = tmp_path / "many"
    src.mkdir()
    for k in range(12):
        (src / f"copy{k}.pdf").write_bytes((RAW / "dongnai_2024_phuluc_nhiemvu_cchc.pdf").read_bytes() + b"%" * k)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(src), "--out", str(out), "--quiet",
                             "--workers", "1"], cwd=ROOT, start_new_session=True)
    time.sleep(2.5)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _dump(out) == before
