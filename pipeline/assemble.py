"""One document's way through the pipeline after it is read, stage by stage:

    read (extractors.extract: text lines, the tables of the best candidate reader)
      -> rows       (pipeline/rows.py: task and criteria rows with raw values; prose tasks)
      -> normalise  (pipeline/normalise.py: unit ids, deadlines, areas, criteria)
      -> targets    (pipeline/targets.py: numbers from every text cell and the prose)
      -> checks     (pipeline/checks.py: what looks wrong, said in issues; document status)

Each stage has one entry point taking the previous stage's output. To add a table layout, add a
reader to extractors/registry.py; to add a normaliser, call it from pipeline/normalise.py.
"""
from __future__ import annotations

from extractors import SourceDocument

from .checks import check
from .normalise import normalise
from .rows import Rows, build_rows
from .targets import collect_targets

__all__ = ["Rows", "document_rows"]


def document_rows(doc: SourceDocument, document: dict) -> Rows:
    rows = build_rows(doc, document)
    normalise(rows, doc, document)
    collect_targets(rows, document)
    check(rows, doc, document)
    return rows
