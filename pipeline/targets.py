"""Stage 'targets': numeric targets from every text cell of a task row and from the plan's prose.

A task row's objective, task, activity, output and note are all read (plans state targets in
any of them: "kiểm tra tối thiểu 40% số phòng", "100% kết quả được số hóa"); each statement once:
a cell merged over several rows of an item (an objective over its tasks, a task over its
activities) is read on the first row only. Each target records the part it came from
(`source_field`). Prose passages come from extractors.prose.
"""
from __future__ import annotations

from normalizers.areas import area_code
from normalizers.text import fold_spaces

from .enrich import target_rows
from .rows import Rows

CELL_FIELDS = ("objective", "task", "activity", "output", "note")  # read in this order
PROSE_TASK_FIELDS: dict[str, tuple[str, ...]] = {}  # prose tasks: their text is read from the passages


def collect_targets(rows: Rows, document: dict) -> None:
    """Stage entry point: fill rows.targets."""
    seen: set[tuple[str, str]] = set()  # (field, text) already read within the current item
    for task in rows.tasks:
        r = rows.logical[task["task_id"]]
        if task["extractor"].startswith("prose-"):
            fields = PROSE_TASK_FIELDS.get(task["extractor"].removeprefix("prose-"), ())
        else:
            fields = CELL_FIELDS
        if r.cells.get("item_no") or task["extractor"].startswith("prose-"):
            seen = set()
        for f in fields:
            text = r.cells.get(f)
            key = (f, fold_spaces(text))
            if not text or key in seen:
                continue
            seen.add(key)
            rows.targets += target_rows(text, document, origin=f"task:{task['task_id']}:{f}", task_id=task["task_id"],
                                        area_code=task["area_code"], page=r.page, source_field=f)
    for k, passage in enumerate(rows.prose.target_passages if rows.prose else []):
        task = rows.prose_tasks.get(passage.task) if passage.task is not None else None
        rows.targets += target_rows(passage.text, document, origin=f"prose:{k}",
                                    task_id=task["task_id"] if task else None,
                                    area_code=task["area_code"] if task else area_code(passage.area),
                                    page=passage.page, source_field=passage.field if task else "prose")
