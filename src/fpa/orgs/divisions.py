"""Loading the statistical division code table into the association tree.

A first load creates one Org per division node. A newer table is compared with the codes
in force: renames and additions are applied, a unit found under a new code with the same name
and parent is re-coded, and a vanished unit is marked abolished (never deleted) for an operator
to merge into its successor. Every change is written to a CSV change report.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

from fpa.audit.services import record
from fpa.core.dates import in_span, span_message
from fpa.core.errors import DomainError
from fpa.core.exports import write_csv
from fpa.kernel import upkeep
from fpa.kernel.scope import Actor

from . import tree
from .models import LEVEL_ORDER, DivisionCode, Kind, Level, Org, Status

HEADER = ["code", "name", "level", "parent_code"]
# digits of the 12-digit code that identify a unit at each level
SIGNIFICANT = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}
DEFAULT_TABLE = "2023"
DEFAULT_VALID_FROM = datetime.date(2023, 6, 30)


class DivisionFileError(DomainError):
    """The code table cannot be read or is inconsistent; nothing was loaded."""


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent_code: str


@dataclass
class LoadReport:
    created: int = 0
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    recoded: list[tuple[str, str, str]] = field(default_factory=list)
    vanished: list[tuple[str, str]] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0
    report_file: Path | None = None

    def summary(self) -> str:
        return (
            f"新增 {self.created}，更名 {len(self.renamed)}，改码 {len(self.recoded)}，"
            f"调整隶属 {len(self.moved)}，消失（已标记撤销）{len(self.vanished)}，"
            f"未变 {self.unchanged}"
        )


def default_file(province: str) -> Path:
    return Path(settings.BASE_DIR) / "data" / "divisions" / DEFAULT_TABLE / f"{province}.csv.gz"


def read_table(path: Path, province: str) -> list[Division]:
    """Read and check a whole table before anything is written."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DivisionFileError(f"无法读取区划代码文件 {path}：{exc.strerror}") from exc
    try:
        text = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
        content = text.decode("utf-8-sig")
    except (EOFError, OSError, zlib.error) as exc:
        raise DivisionFileError(f"区划代码文件 {path.name} 不完整或已损坏") from exc
    except UnicodeDecodeError as exc:
        raise DivisionFileError(f"区划代码文件 {path.name} 不是 UTF-8 编码") from exc
    reader = csv.reader(io.StringIO(content))
    if next(reader, None) != HEADER:
        raise DivisionFileError(f"区划代码文件表头应为 {','.join(HEADER)}")
    rows: list[Division] = []
    seen: dict[str, str] = {}
    for lineno, rec in enumerate(reader, start=2):
        if not rec:
            continue
        if len(rec) != 4:
            raise DivisionFileError(f"第 {lineno} 行应有 4 列，实有 {len(rec)} 列")
        div = Division(*(value.strip() for value in rec))
        _check_row(div, lineno, province, seen)
        seen[div.code] = div.level
        rows.append(div)
    if not rows or rows[0].level != Level.PROVINCE:
        raise DivisionFileError(f"区划代码文件中没有省份 {province}")
    return rows


def _check_row(div: Division, lineno: int, province: str, seen: dict[str, str]) -> None:
    where = f"第 {lineno} 行（{div.code}）"
    if len(div.code) != 12 or not (div.code.isascii() and div.code.isdigit()):
        raise DivisionFileError(f"{where}：区划代码应为 12 位数字")
    if not div.code.startswith(province):
        raise DivisionFileError(f"{where}：不属于省份 {province}")
    if div.level not in SIGNIFICANT:
        raise DivisionFileError(f"{where}：未知级别 {div.level}")
    if not div.name:
        raise DivisionFileError(f"{where}：名称为空")
    if div.code in seen:
        raise DivisionFileError(f"{where}：区划代码重复")
    if div.level == Level.PROVINCE:
        return
    parent_level = seen.get(div.parent_code)
    # A higher level, not always the next one: cities without counties hold townships directly.
    if parent_level is None or LEVEL_ORDER.index(parent_level) >= LEVEL_ORDER.index(div.level):
        raise DivisionFileError(f"{where}：上级代码 {div.parent_code} 未在前面出现")


def load(
    province: str,
    path: Path | None = None,
    *,
    actor: Actor | None = None,
    table: str = DEFAULT_TABLE,
    valid_from: datetime.date = DEFAULT_VALID_FROM,
) -> LoadReport:
    """Load a province's division table: a first load, or the changes of a newer table."""
    if not in_span(valid_from):
        raise DivisionFileError(span_message("代码表启用日期"))
    rows = read_table(path or default_file(province), province)
    with transaction.atomic():
        root = _current_org(rows[0].code)
        if root is None:
            report = _first_load(rows, table, valid_from)
            root = _loaded_org(rows[0].code)
        else:
            report = _apply_changes(rows, table, valid_from)
        report.report_file = _write_report(report, province, table)
        record(
            actor or Actor.system(root),
            "fpa.org.divisions.loaded",
            root,
            {"table": table, "summary": report.summary(), "report": str(report.report_file)},
        )
    return report


def _current_org(code: str) -> Org | None:
    current = DivisionCode.objects.filter(code=code, valid_to__isnull=True).first()
    return current.org if current else None


def _loaded_org(code: str) -> Org:
    """The org a loaded code names: the province, once its first load has made it."""
    org = _current_org(code)
    if org is None:
        raise DivisionFileError(f"区划代码 {code} 没有对应的单位")
    return org


def _new_org(div: Division, parent: Org | None, position: int) -> Org:
    org = Org(
        parent=parent,
        path=(parent.path if parent else "") + tree.step(position),
        depth=(parent.depth + 1) if parent else 0,
        level=div.level,
        kind=Kind.TERRITORIAL,
        name=div.name,
        initials=tree.initials(div.name),
        code=div.code,
        status=Status.NOT_ESTABLISHED,
    )
    upkeep.fill_ancestors(org, parent)
    return org


def _set_self_ancestors(level: str, orgs: list[Org]) -> None:
    column = {"city": "city", "county": "county", "township": "township"}.get(level)
    if column:
        Org.unscoped_objects.filter(pk__in=[o.pk for o in orgs]).update(**{column: F("pk")})
        for org in orgs:
            setattr(org, f"{column}_id", org.pk)


def _first_load(rows: list[Division], table: str, valid_from: datetime.date) -> LoadReport:
    by_level: dict[str, list[Division]] = defaultdict(list)
    for div in rows:
        by_level[div.level].append(div)
    orgs: dict[str, Org] = {}
    root_position = Org.unscoped_objects.filter(parent=None).count() + 1
    for level in LEVEL_ORDER:
        positions: dict[str, int] = defaultdict(int)
        batch = []
        for div in by_level[level]:
            parent = orgs.get(div.parent_code)
            positions[div.parent_code] += 1
            position = positions[div.parent_code] if parent else root_position
            batch.append(_new_org(div, parent, position))
        created = Org.unscoped_objects.bulk_create(batch, batch_size=2000)
        _set_self_ancestors(level, created)
        orgs.update({org.code: org for org in created})
    DivisionCode.objects.bulk_create(
        [
            DivisionCode(org=org, code=org.code, name=org.name, table=table, valid_from=valid_from)
            for org in orgs.values()
        ],
        batch_size=5000,
    )
    return LoadReport(created=len(orgs))


def _apply_changes(rows: list[Division], table: str, valid_from: datetime.date) -> LoadReport:
    report = LoadReport()
    province_code = rows[0].code
    root = _loaded_org(province_code)
    current = {
        dc.code: dc
        for dc in DivisionCode.objects.select_related("org").filter(
            valid_to__isnull=True, org__path__startswith=root.path
        )
    }
    incoming = {div.code: div for div in rows}
    by_code: dict[str, Org] = {code: dc.org for code, dc in current.items()}
    vanished = {code: dc for code, dc in current.items() if code not in incoming}
    # A vanished unit reappearing with the same name under the same parent was re-coded.
    vanished_by_key = {(dc.name, dc.org.parent_id): dc for dc in vanished.values()}

    def close(dc: DivisionCode) -> None:
        dc.valid_to = valid_from
        dc.save(update_fields=["valid_to"])

    def open_code(org: Org, div: Division) -> None:
        DivisionCode.objects.create(
            org=org, code=div.code, name=div.name, table=table, valid_from=valid_from
        )

    for div in rows:  # parents come first, so a new child always finds its parent
        parent = by_code.get(div.parent_code) if div.parent_code else None
        dc = current.get(div.code)
        if dc is not None:
            org = dc.org
            if div.name != dc.name:
                report.renamed.append((div.code, dc.name, div.name))
                close(dc)
                open_code(org, div)
                org.name, org.initials = div.name, tree.initials(div.name)
                org.save(update_fields=["name", "initials", "updated_at"])
            else:
                report.unchanged += 1
            if parent is not None and org.parent_id != parent.pk:
                report.moved.append((div.code, div.name))
                upkeep.move_subtree(org, parent, tree.next_child_path(parent))
            continue
        old = vanished_by_key.pop((div.name, parent.pk if parent else None), None)
        if old is not None:
            vanished.pop(old.code)
            report.recoded.append((div.code, old.code, div.name))
            close(old)
            open_code(old.org, div)
            old.org.code = div.code
            old.org.save(update_fields=["code", "updated_at"])
            by_code[div.code] = old.org
            continue
        if parent is None:
            raise DivisionFileError(f"{div.code} 的上级 {div.parent_code} 不存在")
        locked_parent = Org.unscoped_objects.select_for_update().get(pk=parent.pk)
        org = _new_org(div, locked_parent, 1)
        org.path = tree.next_child_path(locked_parent)
        org.save()
        _set_self_ancestors(div.level, [org])
        open_code(org, div)
        by_code[div.code] = org
        report.created += 1
    for dc in vanished.values():
        report.vanished.append((dc.code, dc.name))
        close(dc)
        Org.unscoped_objects.filter(pk=dc.org_id).update(
            status=Status.ABOLISHED, abolished_on=valid_from
        )
    return report


def _write_report(report: LoadReport, province: str, table: str) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
    path = Path(settings.VAR_DIR) / "reports" / f"divisions-{province}-{table}-{stamp}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows: list[list[Any]] = [
        *(["更名", code, "", name, old_name] for code, old_name, name in report.renamed),
        *(["改码", code, old_code, name, ""] for code, old_code, name in report.recoded),
        *(["调整隶属", code, "", name, ""] for code, name in report.moved),
        *(["消失（已标记撤销，待指定承继单位）", "", c, "", n] for c, n in report.vanished),
        ["新增合计", report.created, "", "", ""],
    ]
    # The shared writer: names come from an outside table, and open in Excel as plain text.
    write_csv(path, ["变更", "区划代码", "原代码", "名称", "原名称"], rows)
    return path
