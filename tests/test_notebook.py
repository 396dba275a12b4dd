"""Issue 6 (part): the comparison notebook runs top to bottom on the sample corpus and is
committed without outputs."""
from __future__ import annotations

import nbformat
from conftest import ROOT
from nbclient import NotebookClient

NOTEBOOK = ROOT / "notebooks" / "compare_provinces.ipynb"


def test_notebook_is_committed_without_stale_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_notebook_runs_on_the_sample_corpus(corpus_out, monkeypatch):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    monkeypatch.setenv("CCHC_OUT", str(corpus_out))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = {i: c.outputs for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    assert all(not any(o.get("output_type") == "error" for o in outs) for outs in outputs.values())
    matrix = next(o for o in outputs[3] if o.get("output_type") == "execute_result")
    text = matrix["data"]["text/plain"]
    assert "on_time_resolution" in text and "Đồng Nai 2026" in text
