"""Start-up: `cchc run` imports only what the batch needs (measured by the imports the interpreter
reports, in the parent and in the forked workers alike: -X importtime writes both to stderr)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import RAW, ROOT

HEAVY = {"pandas", "pdfplumber", "pdfminer", "pypdfium2", "cv2", "camelot", "tesserocr", "docx", "openpyxl",
         "duckdb", "underthesea"}


def imported(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "pipeline", "run", *args, "--quiet",
                           "--workers", "1"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        # a look that finds nothing (pyarrow's for pandas, turned away) is listed too, in microseconds
        if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit() \
                and int(parts[1]) >= 500:
            names.add(parts[2].strip().split(".")[0])
    return names


def test_a_text_file_run_loads_no_pdf_word_ocr_or_dataframe_library(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RAW / "txt" / "002_d43268a35414126a.txt", src / "plan.txt")
    assert not imported(str(src), "--out", str(tmp_path / "out")) & HEAVY


def test_a_text_pdf_run_loads_the_pdf_readers_but_no_ocr_camelot_or_dataframes(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RAW / "phancong_bochiso_cchc_2024.pdf", src / "plan.pdf")
    names = imported(str(src), "--out", str(tmp_path / "out"))
    assert {"pypdfium2", "pdfplumber"} <= names
    assert not names & {"pandas", "cv2", "camelot", "tesserocr", "docx", "openpyxl", "duckdb"}


def test_the_pipeline_gives_arrow_the_system_allocator_unless_the_analyst_chose_one():
    """mimalloc, Arrow's default, kept what compaction freed and the run's peak grew with the corpus;
    the choice only takes effect when made before pyarrow loads, which importing `pipeline` does."""
    code = "import pipeline, pyarrow; print(pyarrow.default_memory_pool().backend_name)"
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    chosen = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert chosen.stdout.strip() == "system", chosen.stderr
    own = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**env, "ARROW_DEFAULT_MEMORY_POOL": "mimalloc"})
    assert own.stdout.strip() == "mimalloc", own.stderr
