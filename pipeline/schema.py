"""The output datasets, declared once (docs/SCHEMA.md is the data contract).

Every writer goes through `conform`, which checks a table against its declared schema
before anything touches the disk. Columns beyond the contract are marked `extension`.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

SCHEMA_VERSION = "1.1"  # plan identity, the 2025 provinces, source_field and the dimension datasets are 1.1

STR, I8, I16, I32, F64, BOOL, DATE = pa.string(), pa.int8(), pa.int16(), pa.int32(), pa.float64(), pa.bool_(), \
    pa.date32()
LIST_STR = pa.list_(pa.string())


@dataclass(frozen=True)
class Dataset:
    name: str
    schema: pa.Schema
    partition_by: tuple[str, ...]
    doc: str
    descriptions: dict[str, str]


def _schema(fields: list[tuple[str, pa.DataType, str]]) -> tuple[pa.Schema, dict[str, str]]:
    return pa.schema([pa.field(n, t) for n, t, _ in fields]), {n: d for n, _, d in fields}


_DOCUMENTS = [
    ("doc_id", STR, "first 16 hex of the SHA-256 of the file bytes"),
    ("source_file", STR, "path of the input as given (relative to the input folder when walked)"),
    ("source_format", STR, "pdf | docx | doc | txt | pdf-ocr, detected from the bytes"),
    ("province", STR, "province name with diacritics; null when unknown (with an issue row)"),
    ("province_code", STR, "ISO 3166-2:VN code of the province when the plan was issued"),
    ("province_2025", STR, "province of the 34-unit arrangement (Resolution 202/2025/QH15) the plan's province is "
     "part of: itself when unchanged and for plans issued after 1 July 2025"),
    ("province_code_2025", STR, "its code (a merged province carries the code of the former province whose name it "
     "kept); group by it to compare across the arrangement"),
    ("plan_year", I16, "year the plan is for"),
    ("agency", STR, "issuing agency, e.g. Sở Công Thương"),
    ("title", STR, "document title as written (cleaned)"),
    ("doc_number", STR, "e.g. 110/KH-SCT; null when the number is left blank"),
    ("doc_date", DATE, "issue date; null when left blank"),
    ("pages", I32, "page count (PDF), null for DOCX/TXT"),
    ("n_tasks", I32, "rows in tasks for this document"),
    ("n_targets", I32, "rows in targets for this document"),
    ("schema_version", STR, "version of this schema"),
    ("pipeline_version", STR, "version of cchc that wrote the row"),
    ("status", STR, "ok | partial (read, with error issues) | failed (unreadable)"),
    ("metadata_source", STR, "extension: per field, where province/year/agency came from (text or manifest)"),
    ("plan_id", STR, "the plan the file holds: shared by its PDF, DOCX, DOC, TXT and scan"),
    ("is_primary", BOOL, "true for the one file of the plan whose rows count in comparisons"),
    ("corrected_fields", LIST_STR, "columns an analyst corrected (cchc run --corrections); null when none"),
]

_TASKS = [
    ("task_id", STR, "stable id: same input, same id"),
    ("doc_id", STR, "document the row comes from"),
    ("province", STR, "as in documents"),
    ("province_code", STR, "as in documents"),
    ("province_2025", STR, "as in documents"),
    ("province_code_2025", STR, "as in documents"),
    ("plan_year", I16, "as in documents"),
    ("agency", STR, "as in documents"),
    ("area_code", I8, "PAR Index area 1-8; null only with an issue row"),
    ("area_raw", STR, "section heading as written"),
    ("group_raw", STR, "sub-heading under the area, when there is one"),
    ("item_no", STR, "STT/TT as written; null for continuation lines of the same item"),
    ("objective", STR, "Mục tiêu (inherited by every task line of a merged cell)"),
    ("task", STR, "Nhiệm vụ / Nhiệm vụ cụ thể / Nhiệm vụ trọng tâm"),
    ("activity", STR, "Hoạt động (null where the table has none)"),
    ("output", STR, "Sản phẩm / Kết quả, sản phẩm"),
    ("lead_raw", STR, "Chủ trì cell as written (cleaned)"),
    ("support_raw", STR, "Phối hợp cell as written (cleaned)"),
    ("lead_units", LIST_STR, "unit ids of the lead units, in order"),
    ("support_units", LIST_STR, "unit ids of the supporting units, in order"),
    ("deadline_raw", STR, "Thời gian hoàn thành as written"),
    ("deadline_kind", STR, "by_date | period | continuous | conditional | scheduled | unknown"),
    ("due_start", DATE, "first day of the window the deadline names"),
    ("due_end", DATE, "last day of the window the deadline names"),
    ("deadline_ref", STR, "what a conditional or scheduled deadline waits on"),
    ("budget_raw", STR, "Kinh phí as written"),
    ("par_criterion", STR, "closest PAR Index criterion code, null when none is close"),
    ("source_page", I32, "first page of the row (PDF), null otherwise"),
    ("extractor", STR, "which extractor produced the row"),
    ("needs_review", BOOL, "true when any field was left unparsed or matched below threshold"),
    ("source_row", I32, "extension: row number in the source table (1 = first body row)"),
    ("extra_cells", STR, "extension: JSON object of cells under columns the extractor did not recognise"),
    ("plan_id", STR, "as in documents"),
    ("corrected_fields", LIST_STR, "columns an analyst corrected (cchc run --corrections); null when none"),
]

_TARGETS = [
    ("target_id", STR, "stable id"),
    ("doc_id", STR, "document"),
    ("task_id", STR, "task the target belongs to; null for prose"),
    ("province", STR, "as in documents"),
    ("province_code", STR, "as in documents"),
    ("province_2025", STR, "as in documents"),
    ("province_code_2025", STR, "as in documents"),
    ("plan_year", I16, "as in documents"),
    ("area_code", I8, "PAR Index area 1-8"),
    ("indicator", STR, "indicator catalog key; null when unmapped"),
    ("indicator_raw", STR, "the phrase the number belongs to"),
    ("comparator", STR, ">= | <= | = | range | increase_by | decrease_by"),
    ("value", F64, "the number (decimal comma read)"),
    ("value_max", F64, "upper bound for ranges"),
    ("unit", STR, "% | count | minutes | percentage_points"),
    ("baseline_value", F64, "baseline the text gives"),
    ("baseline_year", I16, "year of the baseline"),
    ("source_page", I32, "page (PDF)"),
    ("source_field", STR, "1.1: the part of the plan the number was read from: prose | objective | task | activity | "
                          "output | note"),
    ("plan_id", STR, "as in documents"),
    ("corrected_fields", LIST_STR, "columns an analyst corrected (cchc run --corrections); null when none"),
]

_COMPARISON = [
    ("indicator", STR, "indicator catalog key"),
    ("province", STR, "province name"),
    ("province_code", STR, "ISO 3166-2:VN"),
    ("province_2025", STR, "province of the 34-unit arrangement it is part of"),
    ("province_code_2025", STR, "its code"),
    ("plan_year", I16, "plan year"),
    ("comparator", STR, "comparator of the strictest mention"),
    ("value", F64, "value of the strictest mention"),
    ("value_max", F64, "upper bound (ranges)"),
    ("unit", STR, "unit"),
    ("n_mentions", I32, "how many targets of the plan's counted file state this indicator"),
    ("target_ids", LIST_STR, "the targets behind the row"),
]

_PAR = [
    ("doc_id", STR, "document"),
    ("province_code", STR, "as in documents"),
    ("province_2025", STR, "as in documents"),
    ("province_code_2025", STR, "as in documents"),
    ("plan_year", I16, "as in documents"),
    ("criterion_code", STR, "e.g. 1.3.2; null when the row has no STT"),
    ("level", I8, "1 area, 2 criterion, 3 sub-criterion"),
    ("criterion_name", STR, "name as written"),
    ("responsible_raw", STR, "responsible cell as written (inherited from a merged parent cell)"),
    ("responsible_units", LIST_STR, "unit ids"),
    ("survey_scored", BOOL, "scored by sociological survey (ĐTXHH)"),
    ("note", STR, "Ghi chú, without the ĐTXHH mark"),
    ("area_code", I8, "extension: PAR area 1-8 the criterion belongs to"),
    ("source_page", I32, "extension: page (PDF)"),
    ("plan_id", STR, "as in documents"),
    ("corrected_fields", LIST_STR, "columns an analyst corrected (cchc run --corrections); null when none"),
]

_ISSUES = [
    ("doc_id", STR, "document; null when the file could not be read at all"),
    ("source_file", STR, "input path"),
    ("severity", STR, "error | warning"),
    ("code", STR, "short stable slug, e.g. unreadable_file, unknown_unit"),
    ("message", STR, "one line saying what is wrong and what to do"),
    ("task_id", STR, "task concerned, if any"),
    ("field", STR, "field concerned, if any"),
    ("raw_value", STR, "the value as written, if any"),
    ("source_page", I32, "extension: page (PDF), if known"),
]

_PROVINCES = [
    ("province_code", STR, "ISO 3166-2:VN code (a unit of the 34 keeps its namesake's code)"),
    ("province", STR, "name during the period"),
    ("province_code_2025", STR, "the unit of the 34-unit arrangement it is, or became, part of"),
    ("province_2025", STR, "that unit's current name"),
    ("valid_from", DATE, "first day of the period (null: before the catalog's history)"),
    ("valid_to", DATE, "last day of the period (null: still in force)"),
]


# Names beside codes: dimension datasets built from the catalogs, and the task-unit bridge for BI tools.
_UNITS = [
    ("unit_id", STR, "unit id as in tasks.lead_units / support_units"),
    ("agency_prefix", STR, "the id's prefix before the dot: SCT (Sở Công Thương), EXT (outside the agency), ..."),
    ("name", STR, "canonical Vietnamese name"),
    ("name_en", STR, "English name, where there is one"),
    ("aliases", LIST_STR, "spellings the catalog recognises"),
]
_INDICATORS = [
    ("indicator", STR, "indicator catalog key, as in targets.indicator"),
    ("name", STR, "Vietnamese name"),
    ("name_en", STR, "English name"),
    ("unit", STR, "unit the indicator is usually stated in: % | count | minutes | percentage_points"),
]
_AREAS = [
    ("area_code", I8, "PAR Index area 1-8"),
    ("name", STR, "Vietnamese name"),
    ("name_en", STR, "English name"),
]
_CRITERIA = [
    ("criterion_code", STR, "PAR Index criterion code, e.g. 1.3.2"),
    ("level", I8, "1 area, 2 criterion, 3 sub-criterion"),
    ("name", STR, "Vietnamese name"),
    ("area_code", I8, "PAR Index area 1-8"),
]
_TASK_UNITS = [
    ("task_id", STR, "task"),
    ("doc_id", STR, "document of the task"),
    ("role", STR, "lead | support"),
    ("unit_id", STR, "unit id"),
    ("unit_name", STR, "the unit's canonical name"),
    ("position", I32, "order in the cell, from 1"),
]
_CORRECTIONS = [
    ("dataset", STR, "tasks | targets | documents | par_assignments"),
    ("id", STR, "task_id, target_id, doc_id or doc_id:criterion_code"),
    ("field", STR, "the corrected column"),
    ("extracted_value", STR, "what the pipeline found (lists joined with '; '); null when the row or field is gone"),
    ("corrected_value", STR, "the analyst's value as given in the corrections file"),
    ("note", STR, "the analyst's note"),
    ("applied", BOOL, "false when orphaned, invalid or superseded by a later line for the same field"),
    ("doc_id", STR, "extension: document of the corrected row, when found"),
    ("corrected_by", STR, "extension: who made the correction (the file's `who`)"),
    ("corrected_on", STR, "extension: when, as written (the file's `when`)"),
    ("problem", STR, "extension: why it was not applied"),
    ("line", I32, "extension: line of the corrections file (1 = header)"),
]


def _dataset(name: str, fields, partition_by: tuple[str, ...], doc: str) -> Dataset:
    schema, desc = _schema(fields)
    return Dataset(name, schema, partition_by, doc, desc)


PARTITIONED = ("province_code", "plan_year")
DATASETS: dict[str, Dataset] = {d.name: d for d in [
    _dataset("documents", _DOCUMENTS, PARTITIONED, "one row per input file"),
    _dataset("tasks", _TASKS, PARTITIONED, "one row per task line of an appendix table or prose plan"),
    _dataset("targets", _TARGETS, PARTITIONED, "one row per numeric target"),
    _dataset("target_comparison", _COMPARISON, (), "one row per indicator x province x year"),
    _dataset("par_assignments", _PAR, PARTITIONED, "rows of PAR-criteria assignment tables"),
    _dataset("issues", _ISSUES, (), "the review queue: one row per problem"),
    _dataset("provinces", _PROVINCES, (), "one row per province and period of validity (from the catalogs in "
             "normalizers/data/): join a plan's province_code and date to it"),
    _dataset("units", _UNITS, (), "the unit catalog: one row per unit id"),
    _dataset("indicators", _INDICATORS, (), "the indicator catalog: one row per indicator"),
    _dataset("areas", _AREAS, (), "the eight PAR Index areas"),
    _dataset("criteria", _CRITERIA, (), "the PAR Index criteria tree"),
    _dataset("task_units", _TASK_UNITS, (), "one row per unit named in a task's lead or support cell"),
    _dataset("corrections", _CORRECTIONS, (), "the analyst's corrections and whether each was applied"),
]}


class SchemaError(ValueError):
    pass


def conform(name: str, rows: list[dict]) -> pa.Table:
    """Build the declared Arrow table from row dicts; unknown keys or wrong types raise SchemaError."""
    ds = DATASETS[name]
    known = set(ds.schema.names)
    for r in rows:
        extra = set(r) - known
        if extra:
            raise SchemaError(f"{name}: columns not in the declared schema: {sorted(extra)}")
    try:
        return pa.Table.from_pylist(rows, schema=ds.schema) if rows else ds.schema.empty_table()
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise SchemaError(f"{name}: {exc}") from exc
