"""Shared fixtures: one pipeline run over the sample corpus per test session."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
EXPECTED = ROOT / "tests" / "fixtures" / "expected"
CONTRACT_CHECKER = ROOT.parent / "shared" / "tools" / "check_contract.py"

SAMPLES = {  # file in data/raw -> (seed, province, plan_year, format)
    "dongnai_2024_phuluc_nhiemvu_cchc.pdf": ("000", "Đồng Nai", 2024, "pdf"),
    "txt/000_3c92886d3c87bfaf.txt": ("000", "Đồng Nai", 2024, "txt"),
    "hatinh_2023_kehoach_cchc.docx": ("001", "Hà Tĩnh", 2023, "docx"),
    "txt/001_f76b48a4b12a19b8.txt": ("001", "Hà Tĩnh", 2023, "txt"),
    "phancong_bochiso_cchc_2024.pdf": ("002", None, 2024, "pdf"),
    "txt/002_d43268a35414126a.txt": ("002", None, 2024, "txt"),
    "gialai_2023_kehoach_nang_cao_chiso_cchc.pdf": ("003", "Gia Lai", 2023, "pdf"),
    "txt/003_f93ae6ff23f7aa48.txt": ("003", "Gia Lai", 2023, "txt"),
    "dongnai_2026_kehoach_cchc.pdf": ("004", "Đồng Nai", 2026, "pdf"),
    "txt/004_4f7a36543f88cd95.txt": ("004", "Đồng Nai", 2026, "txt"),
    "dongnai_2024_phuluc_nhiemvu_cchc_scan.pdf": ("000", "Đồng Nai", 2024, "pdf-ocr"),  # no text layer
    "hatinh_2023_kehoach_cchc.doc": ("001", "Hà Tĩnh", 2023, "doc"),  # Word 97-2003
}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=900)


@pytest.fixture(scope="session")
def corpus_out(tmp_path_factory) -> Path:
    """`cchc run data/raw --manifest data/raw/manifest.csv` into a temporary folder."""
    out = tmp_path_factory.mktemp("out")
    proc = run_cli("run", "data/raw", "--out", str(out), "--manifest", "data/raw/manifest.csv", "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="session")
def corpus_out_no_manifest(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out_nomanifest")
    proc = run_cli("run", "data/raw", "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out


def read(out: Path, name: str):
    import pyarrow.dataset as ds
    return ds.dataset(out / name, format="parquet", partitioning="hive").to_table().to_pylist()


def load_expected(name: str) -> dict:
    return json.loads((EXPECTED / name).read_text("utf-8"))
