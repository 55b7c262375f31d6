"""Importing existing family registers through the one engine (same rules as the people import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from fpa.audit.services import record
from fpa.core import crypto
from fpa.core.errors import DomainError
from fpa.core.imports import Column, RowSchema
from fpa.core.imports.flow import Commit, ImportFlow
from fpa.core.imports.schema import Status
from fpa.kernel.scope import Actor
from fpa.people.models import Person

from . import services
from .models import FamilyKind, FamilyParent, Health

YES_NO = (("yes", "是"), ("no", "否"))


@dataclass
class FamilyContext:
    actor: Actor
    persons: dict[str, Person] = field(default_factory=dict)
    #: person id -> (kind, child name) of the active family they already belong to
    in_family: dict[int, tuple[str, str]] = field(default_factory=dict)


class FamilySchema(RowSchema):
    kind = "families"
    title = "特殊家庭"
    columns = (
        Column(
            "kind",
            "类别",
            kind="choice",
            required=True,
            choices=FamilyKind.choices,
            synonyms=("家庭类别", "特殊家庭类别"),
        ),
        Column(
            "parent1",
            "父/母身份证号码",
            kind="id_number",
            required=True,
            synonyms=("户主身份证号码", "身份证号码", "父亲身份证号码", "母亲身份证号码"),
        ),
        Column("parent2", "配偶身份证号码", kind="id_number", synonyms=("另一方身份证号码",)),
        Column("recognized_on", "认定日期", kind="date", required=True, synonyms=("认定时间",)),
        Column("child_name", "子女姓名", required=True, max_length=50),
        Column("child_birth_date", "子女出生日期", kind="date"),
        Column("child_died_on", "子女死亡日期", kind="date", help="失独家庭必填"),
        Column("disability_grade", "残疾等级", kind="int", help="伤残家庭必填，1至4"),
        Column("certificate_no", "残疾证号", max_length=50),
        Column("living_alone", "独居", kind="choice", choices=YES_NO),
        Column("health", "健康状况", kind="choice", choices=Health.choices),
        Column("income_difficulty", "经济困难", kind="choice", choices=YES_NO),
    )
    key_columns = ("parent1",)

    def prepare(self, rows: list[dict[str, Any]], context: FamilyContext) -> None:
        numbers = {v[k] for v in rows for k in ("parent1", "parent2") if v.get(k)}
        index = {crypto.blind_index(n, "id_number"): n for n in numbers}
        reach = Person.objects.for_actor(context.actor).filter(id_number_index__in=list(index))
        context.persons = {index[p.id_number_index]: p for p in reach}
        context.in_family = {
            pid: (kind, child)
            for pid, kind, child in FamilyParent.objects.filter(
                person__in=context.persons.values(), until__isnull=True
            ).values_list("person_id", "family__kind", "family__child_name")
        }

    def classify(self, values: dict[str, Any], context: FamilyContext) -> Status:
        parents = []
        for key in ("parent1", "parent2"):
            if values.get(key):
                person = context.persons.get(values[key])
                if person is None:
                    raise DomainError("本辖区人员库中没有该身份证号码，请先导入人员", field=key)
                parents.append(person)
        if context.in_family.get(parents[0].pk) == (values["kind"], values["child_name"]):
            return "unchanged"  # the same family, imported before
        values["parents"] = parents
        for flag in ("living_alone", "income_difficulty"):
            values[flag] = values.get(flag) == "yes"
        values["health"] = values.get("health") or "good"
        services.check_family(values, actor=context.actor)
        return "new"

    def will_write(self, rows: list[Any], mode: str) -> str:
        return f"新增特殊家庭 {len(rows)} 户"


@transaction.atomic
def commit(rows: list[Any], *, actor: Actor, filename: str) -> int:
    """All accepted rows become families in one transaction, with one audit entry."""
    families = [services.create_family(r.values, actor=actor) for r in rows]
    record(
        actor,
        "fpa.families.imported",
        None,
        {"file": filename, "created": len(families)},
        rows=[{"row": r.row, "family": f.pk} for r, f in zip(rows, families, strict=True)],
    )
    return len(families)


def _write(to: Commit) -> dict[str, int]:
    return {"created": commit(to.rows, actor=to.actor, filename=to.name)}


FLOW = ImportFlow(
    job="families.import",
    url_name="families:import",
    route="import/",
    perm="families.add",
    title="特殊家庭",
    schema=lambda owner: FamilySchema(),
    context=lambda actor, owner: FamilyContext(actor),
    commit=_write,
    done="导入完成：新增 {created} 户",
    after="families:list",
    after_label="查看特殊家庭",
    hints=("父母须先在人员库登记（可先导入人员）；一行一户，按父或母的身份证号码找到人员。",),
)
