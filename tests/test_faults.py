"""Faults around a run: limits, a cached timeout, odd paths in an input folder, Ctrl-C, SIGTERM
and kill -9. Each ends in one line or one issue row, never a traceback or a lost input."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest
from conftest import RAW, ROOT, read, run_cli

import pipeline.run as pipeline_run
from pipeline.executor import Limits
from pipeline.layout import Layout

TXT = RAW / "txt" / "001_f76b48a4b12a19b8.txt"


@pytest.mark.parametrize("flags", [["--timeout", "0"], ["--timeout", "-1"], ["--timeout", "nan"],
                                   ["--timeout", "inf"], ["--memory-mb", "-5"], ["--memory-mb", "10"]])
def test_bad_limits_are_refused_with_one_line(tmp_path, flags):
    proc = run_cli("run", str(TXT), "--out", str(tmp_path / "o"), *flags)
    assert proc.returncode == 2 and proc.stderr.startswith("cchc: --") and proc.stderr.count("\n") == 1, proc.stderr
    assert not (tmp_path / "o").exists()


def _slow(*args):
    time.sleep(30)
    return pipeline_run.DocResult(None)


def test_a_timed_out_document_is_read_again_on_the_next_run(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    (src / "plan.txt").write_bytes(TXT.read_bytes())
    out = tmp_path / "out"
    with monkeypatch.context() as m:  # a reader that hangs on this file, as a huge scan would
        m.setattr(pipeline_run, "process_file", _slow)
        pipeline_run.run([str(src)], out, workers=1, limits=Limits(timeout_s=1, memory_mb=0))
    assert [i["code"] for i in read(out, "issues")] == ["timeout"]
    assert "raise --timeout" in read(out, "issues")[0]["message"]
    again = pipeline_run.run([str(src)], out, workers=1)  # a sane limit: not "unchanged"
    assert again.skipped == 0
    assert not [i for i in read(out, "issues") if i["code"] == "timeout"]
    assert len(read(out, "tasks")) == 39
    assert pipeline_run.run([str(src)], out, workers=1).skipped == 1  # a final result is cached


def test_links_that_loop_or_lead_nowhere_pipes_and_folder_loops_are_accounted_for(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "plan.txt").write_bytes(TXT.read_bytes())
    os.symlink("me.txt", src / "me.txt")  # ln -s me.txt me.txt
    os.symlink("a.txt", src / "b.txt")
    os.symlink("b.txt", src / "a.txt")
    os.symlink("gone.pdf", src / "dangling.pdf")
    os.mkfifo(src / "pipe.txt")  # would block a reader for ever
    os.symlink("..", src / "sub" / "up")  # a folder link back to an ancestor
    os.symlink("../plan.txt", src / "sub" / "plan_link.txt")
    out = tmp_path / "out"
    proc = run_cli("run", str(src), str(src / "me.txt"), "--out", str(out), "--quiet")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    codes = {i["source_file"].rsplit("/", 1)[-1]: i["code"] for i in read(out, "issues") if i["severity"] == "error"}
    assert codes == {"me.txt": "unreadable_file", "a.txt": "unreadable_file", "b.txt": "unreadable_file",
                     "dangling.pdf": "unreadable_file", "pipe.txt": "unreadable_file"}
    loop = next(i for i in read(out, "issues") if i["source_file"].endswith("/me.txt"))
    assert "loops" in loop["message"]
    docs = [d["source_file"].rsplit("/", 1)[-1] for d in read(out, "documents")]
    assert docs == ["plan.txt"]  # the linked copy is the same bytes: a duplicate_file warning, not a second doc
    assert [i["code"] for i in read(out, "issues") if i["source_file"].endswith("plan_link.txt")] == ["duplicate_file"]


def _slow_corpus(tmp_path, n=8):
    src = tmp_path / "many"
    src.mkdir()
    for k in range(n):
        (src / f"copy{k}.pdf").write_bytes((RAW / "dongnai_2024_phuluc_nhiemvu_cchc.pdf").read_bytes() + b"%" * k)
    return src


def _started(out, proc):
    """Wait until the run has workers going (its temporary work folder holds a job)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the run ended before it could be stopped"
        work = list((out / ".cchc" / "tmp").glob("*/work/cchc-*"))
        kids = psutil.Process(proc.pid).children(recursive=True)
        if work and kids:
            return kids
        time.sleep(0.1)
    raise AssertionError("the run never started its workers")


@pytest.mark.parametrize("signum,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_and_sigterm_print_one_line_stop_workers_and_leave_nothing_behind(tmp_path, signum, code):
    out = tmp_path / "out"
    assert run_cli("run", str(TXT), "--out", str(out), "--quiet").returncode == 0
    before = read(out, "documents")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(_slow_corpus(tmp_path)), "--out", str(out),
                             "--quiet", "--workers", "2"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    kids = _started(out, proc)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert err.count("\n") == 1 and "Traceback" not in err and "previous output" in err, err
    assert read(out, "documents") == before
    gone, alive = psutil.wait_procs(kids, timeout=5)
    assert not alive, "workers left running"
    assert not list(Layout(out).tmp.iterdir()) and len(list(Layout(out).runs.iterdir())) == 1


def test_kill_9_of_the_run_takes_its_workers_and_the_next_run_removes_its_folders(tmp_path):
    out = tmp_path / "out"
    assert run_cli("run", str(TXT), "--out", str(out), "--quiet").returncode == 0
    before = read(out, "documents")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(_slow_corpus(tmp_path)), "--out", str(out),
                             "--quiet", "--workers", "2"], cwd=ROOT, stderr=subprocess.DEVNULL)
    kids = _started(out, proc)
    proc.kill()  # the parent only, as kill -9 PID does
    proc.wait()
    gone, alive = psutil.wait_procs(kids, timeout=10)
    assert not alive, "workers outlived their run"
    assert read(out, "documents") == before
    assert list(Layout(out).tmp.iterdir())  # what kill -9 leaves ...
    assert run_cli("run", str(TXT), "--out", str(out), "--quiet").returncode == 0
    assert not list(Layout(out).tmp.iterdir())  # ... the next run removes
    assert read(out, "documents") == before


def test_two_runs_into_one_folder_one_writes_the_other_stops_at_once(tmp_path):
    out = tmp_path / "out"
    src = _slow_corpus(tmp_path, n=3)
    first = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(src), "--out", str(out), "--quiet",
                              "--workers", "1"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    _started(out, first)
    t0 = time.monotonic()
    second = run_cli("run", str(TXT), "--out", str(out), "--quiet")
    assert second.returncode == 3 and "another cchc run" in second.stderr and time.monotonic() - t0 < 30
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert sorted(d["source_file"].rsplit("/", 1)[-1] for d in read(out, "documents")) == [
        "copy0.pdf", "copy1.pdf", "copy2.pdf"]  # the first run's rows, whole; nothing of the second
