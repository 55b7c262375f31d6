"""The people registry's row schema for the one import engine, its commit, and its import flow."""

from __future__ import annotations

import re
from collections import Counter as Tally
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from fpa.audit.services import record
from fpa.core import bulk, crypto
from fpa.core.errors import DomainError
from fpa.core.imports import Column, RowSchema
from fpa.core.imports.flow import Commit, ImportFlow, Mode
from fpa.core.imports.schema import Status
from fpa.core.phone import parse_phone
from fpa.kernel import counters
from fpa.kernel.scope import Actor

from . import services
from .models import MEMBERS, PERSONS, Gender, IdType, Membership, MembershipEvent, Person
from .villages import VillageIndex

COMPARED = ("name", "gender", "ethnicity", "org_id", "hukou_code", "hukou_address", "address")
HUKOU_CODE = re.compile(r"^\d{6}(\d{6})?$")


@dataclass
class ImportContext:
    actor: Actor
    villages: VillageIndex
    stored: dict[str, Person] = field(default_factory=dict)
    reach: set[int] = field(default_factory=set)
    members: set[int] = field(default_factory=set)


def make_context(actor: Actor) -> ImportContext:
    return ImportContext(actor=actor, villages=VillageIndex(actor))


class PersonSchema(RowSchema):
    kind = "people"
    title = "人员"
    columns = (
        Column(
            "name",
            "姓名",
            required=True,
            synonyms=("名字", "姓 名"),
            max_length=50,
            example="张桂兰",
        ),
        Column(
            "id_type", "证件类型", kind="choice", choices=IdType.choices, help="不填即为居民身份证"
        ),
        Column(
            "id_number",
            "身份证号码",
            kind="id_number",
            synonyms=("身份证号", "公民身份号码", "公民身份证号码", "证件号码", "身份证", "证件号"),
            example="430121196803090129",
        ),
        Column("gender", "性别", kind="choice", choices=Gender.choices, help="不填则按身份证号码"),
        Column("ethnicity", "民族", max_length=20, example="汉族"),
        Column("phone", "联系电话", kind="phone", synonyms=("手机", "手机号", "电话", "手机号码")),
        # Headers are matched exactly, then without brackets (所在村（社区）, 居住地（村/社区）),
        # then without 现/名称/代码 (现居住村, 村名称) — fpa.core.imports.headers. The hukou
        # place has its own spellings, so 户籍所在村 never lands in the residence.
        Column(
            "village",
            "居住地",
            required=True,
            synonyms=(
                "所在村",
                "村",
                "社区",
                "村社区",
                "村居",
                "居住村",
                "所在社区",
                "村/社区",
                "所在村/社区",
                "村委会",
                "居委会",
                "村居委会",
            ),
            help="12位区划代码，或“乡镇+村”，或本辖区内唯一的村名",
            example="星沙街道湖湾村",
        ),
        Column(
            "hukou_code",
            "户籍地区划代码",
            kind="code",
            synonyms=("户籍地代码", "户籍区划代码"),
            help="6位或12位区划代码",
        ),
        Column(
            "hukou_address",
            "户籍地址",
            max_length=200,
            synonyms=("户籍所在地", "户籍所在村", "户籍村", "户口所在地", "户籍住址"),
            help="户籍所在的村（社区）或地址；写成区划代码时记入户籍地区划代码",
        ),
        Column("address", "居住地址", max_length=200, synonyms=("住址", "家庭住址", "详细地址")),
        Column(
            "joined_on",
            "入会日期",
            kind="date",
            synonyms=("入会时间",),
            help="填写则登记为会员并发放会员证",
        ),
    )
    key_columns = ("id_number",)

    def clean(self, values: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        id_type = values.get("id_type") or IdType.RESIDENT
        if id_type != IdType.NONE and not values.get("id_number"):
            raise DomainError("请填写证件号码", field="id_number")
        document = services.clean_document(
            id_type, values.get("id_number") or "", values.get("gender") or ""
        )
        values["id_type"] = id_type
        values["id_number"] = document["id_number"]
        for derived in ("birth_date", "gender"):
            if document.get(derived):
                values[derived] = document[derived]
        if values.get("phone"):
            values["phone"] = parse_phone(values["phone"])
        # A roster's 户籍所在村 column may hold the village's code: that is the hukou code.
        place = values.get("hukou_address") or ""
        if HUKOU_CODE.match(place) and not values.get("hukou_code"):
            values["hukou_code"], values["hukou_address"] = place, None
        if values.get("hukou_code") and not HUKOU_CODE.match(values["hukou_code"]):
            raise DomainError("户籍地区划代码应为6位或12位数字", field="hukou_code")
        values["org"] = context.villages.resolve(values.get("village") or "")
        return values

    def prepare(self, rows: list[dict[str, Any]], context: ImportContext) -> None:
        """Load, a few thousand at a time, the persons the file's numbers already name.

        Each row keeps its number's blind index (`id_number_index`): the commit stores it
        instead of computing it again.
        """
        indexes = {}
        for values in rows:
            if values.get("id_number"):
                index = crypto.blind_index(values["id_number"], "id_number")
                values["id_number_index"] = index
                indexes[index] = values["id_number"]
        keys = list(indexes)
        for start in range(0, len(keys), 2000):
            for person in Person.unscoped_objects.filter(
                id_number_index__in=keys[start : start + 2000]
            ):
                context.stored[indexes[person.id_number_index]] = person
        ids = [p.pk for p in context.stored.values()]
        context.reach = set(
            Person.objects.for_actor(context.actor).filter(pk__in=ids).values_list("pk", flat=True)
        )
        context.members = set(
            Membership.unscoped_objects.filter(person_id__in=ids, status="active").values_list(
                "person_id", flat=True
            )
        )

    def classify(self, values: dict[str, Any], context: ImportContext) -> Status:
        stored = context.stored.get(values.get("id_number") or "")
        if stored is None:
            return "new"
        if stored.pk not in context.reach:
            raise DomainError("已在其他单位登记，请发起转入", field="id_number")
        values["person_id"] = stored.pk
        incoming = {**values, "org_id": values["org"].pk}
        # An empty cell keeps what is stored (see services.apply_values), so it is no change.
        same = all(
            incoming.get(k) in (None, "") or incoming[k] == getattr(stored, k) for k in COMPARED
        )
        phone_same = not values.get("phone") or (
            crypto.blind_index(values["phone"], "phone") == stored.phone_index
        )
        joins = bool(values.get("joined_on")) and stored.pk not in context.members
        values["joins"] = joins
        return "unchanged" if same and phone_same and not joins else "update"

    def will_write(self, rows: list[Any], mode: str) -> str:
        """“新增人员 120 人、更新 30 人，新增会员 140 人”: who is written, and who joins (a row
        with a join date whose person is not yet a member, see `_memberships`)."""
        updated = sum(1 for row in rows if row.values.get("person_id"))
        joining = sum(
            1
            for row in rows
            if (row.values.get("joins") if row.values.get("person_id") else row.values["joined_on"])
        )
        words = f"新增人员 {len(rows) - updated} 人"
        if updated:
            words += f"、更新 {updated} 人"
        return words + (f"，新增会员 {joining} 人" if joining else "")


@transaction.atomic
def commit(rows: list[Any], *, actor: Actor, filename: str = "") -> dict[str, int]:
    """Write the accepted rows of a preview in one transaction, with one audit entry.

    New persons are created, existing ones (in the actor's reach) updated; a row with a join
    date makes the person a member unless they already are. All rows or none. Bulk writes
    (`fpa.core.bulk`: COPY on PostgreSQL): card numbers are reserved in blocks and the counters
    bumped once per org.
    """
    actor.require("people.add")
    persons_delta: Tally[int] = Tally()
    updating = [row for row in rows if row.values.get("person_id")]
    creating = [row for row in rows if not row.values.get("person_id")]
    for row in updating:
        v = row.values
        person = Person.unscoped_objects.select_for_update().get(pk=v["person_id"])
        persons_delta[person.org_id] -= 1
        services.apply_values(person, v)
        person.save()
        persons_delta[person.org_id] += 1
    # In name order the name indexes take the new rows in sequence, not scattered over their
    # pages: about 40% less COPY time on 5 million persons (docs/people.md).
    creating.sort(key=lambda row: row.values["name"])
    ids = bulk.insert_rows(Person, creating, lambda row: services.new_person_columns(row.values))
    for row in creating:
        persons_delta[row.values["org"].pk] += 1
    written = [(row, row.values["person_id"]) for row in updating]
    written += zip(creating, ids, strict=True)
    # Card numbers follow the file's row order, whatever order the persons were written in.
    joining = _memberships(sorted(written, key=lambda pair: pair[0].row))
    counters.bump_many({k: d for k, d in persons_delta.items() if d}, PERSONS)
    counters.bump_many(Tally(joining), MEMBERS)
    counts = {"created": len(creating), "updated": len(updating), "joined": len(joining)}
    record(
        actor,
        "fpa.people.imported",
        None,
        {"file": filename, **counts},
        rows=[
            {
                "row": r.row,
                "id_number": r.values.get("id_number"),
                "status": "update" if r.values.get("person_id") else "new",
            }
            for r in rows
        ],
    )
    return counts


def _memberships(written: list[tuple[Any, int]]) -> list[int]:
    """New memberships, with their join events, for the rows (and person ids) with a join date
    whose person is not yet an active member; the org id of each new membership."""
    active = set(
        Membership.unscoped_objects.filter(
            person_id__in=[pk for r, pk in written if r.values.get("person_id")],
            status="active",
        ).values_list("person_id", flat=True)
    )
    by_prefix: dict[str, list[tuple[Any, int]]] = {}
    prefixes: dict[tuple[int, int], str] = {}  # card_prefix once per (org, year)
    for r, pk in written:
        if not r.values.get("joined_on") or pk in active:
            continue
        org, year = r.values["org"], r.values["joined_on"].year
        prefix = prefixes.get((org.pk, year))
        if prefix is None:
            prefix = prefixes[org.pk, year] = services.card_prefix(org, year)
        by_prefix.setdefault(prefix, []).append((r, pk))
    memberships: list[dict[str, Any]] = []
    for prefix, group in by_prefix.items():
        numbers = services.reserve_card_numbers(prefix, len(group))
        for (r, pk), number in zip(group, numbers, strict=True):
            org = r.values["org"]
            memberships.append(
                {
                    "person_id": pk,
                    "joined_on": r.values["joined_on"],
                    "card_number": number,
                    "org_id": org.pk,
                    "city_id": org.city_id,
                    "county_id": org.county_id,
                    "township_id": org.township_id,
                }
            )
    ids = bulk.insert_rows(Membership, memberships)
    events = [
        {
            "membership_id": pk,
            "at": m["joined_on"],
            "status": "active",
            "org_id": m["org_id"],
            "note": "入会",
        }
        for pk, m in zip(ids, memberships, strict=True)
    ]
    bulk.insert_rows(MembershipEvent, events)
    return [m["org_id"] for m in memberships]


def _write(to: Commit) -> dict[str, int]:
    return commit(to.rows, actor=to.actor, filename=to.name)


FLOW = ImportFlow(
    job="people.import",
    url_name="people:import",
    route="import/",
    perm="people.add",
    title="人员",
    schema=lambda owner: PersonSchema(),
    context=lambda actor, owner: make_context(actor),
    commit=_write,
    done="导入完成：新增 {created}，更新 {updated}，新入会 {joined}",
    after="people:persons",
    after_label="查看人员名单",
    modes=(
        Mode("skip", "已登记的人员：跳过，不修改", "已登记的人员跳过时"),
        Mode("update", "已登记的人员：用表中内容更新", "已登记的人员更新时"),
    ),
    hints=(
        "“身份证号”“公民身份号码”等写法都认；身份证号码一列请设为“文本”格式，"
        "否则 Excel 会把号码变成科学计数法。",
        "居住地可写 12 位区划代码、“乡镇+村”，或本辖区内唯一的村名。",
        "填了“入会日期”的人登记为会员并发放会员证。",
    ),
)
