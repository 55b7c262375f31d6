"""The rules of the special-family registry: recognition, arrangements, care, moves."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from fpa.audit.services import record
from fpa.core import uploads
from fpa.core.errors import DomainError
from fpa.kernel.scope import Actor, in_reach
from fpa.orgs.models import Org, Status
from fpa.people import household_services
from fpa.people.models import HouseholdMember, Person

from .models import (
    CareAttachment,
    CareKind,
    CareRecord,
    ContactRole,
    DoctorContract,
    FamilyEvent,
    FamilyKind,
    FamilyParent,
    FamilyStatus,
    Festival,
    GreenChannel,
    PairedContact,
    SpecialFamily,
)

CHILD_FIELDS = [
    "child_name",
    "child_birth_date",
    "child_died_on",
    "child_cause",
    "disability_grade",
    "certificate_no",
]
SITUATION_FIELDS = ["living_alone", "health", "income_difficulty", "notes"]


def _family_in_reach(family: SpecialFamily, actor: Actor) -> None:
    if not in_reach(family, actor):
        raise DomainError("该家庭不在您的管辖范围内")


def _persons_in_reach(actor: Actor, persons: list[Person]) -> None:
    ids = {p.pk for p in persons}
    if Person.objects.for_actor(actor).filter(pk__in=ids).count() != len(ids):
        raise DomainError("人员不在您的管辖范围内", field="parents")


def _check_child(data: dict[str, Any], kind: str, today: datetime.date) -> None:
    birth, died = data.get("child_birth_date"), data.get("child_died_on")
    if kind == FamilyKind.BEREAVED:
        if not died:
            raise DomainError("失独家庭须填写子女死亡日期", field="child_died_on")
        if died > today or (birth and died < birth):
            raise DomainError("子女死亡日期不合理", field="child_died_on")
        if data.get("disability_grade"):
            raise DomainError("失独家庭不填残疾等级", field="disability_grade")
    else:
        grade = data.get("disability_grade")
        if grade not in (1, 2, 3, 4):
            raise DomainError("伤残家庭须填写残疾等级（一至四级）", field="disability_grade")
        if not data.get("certificate_no"):
            raise DomainError("伤残家庭须填写残疾证号", field="certificate_no")


def check_family(data: dict[str, Any], *, actor: Actor) -> None:
    """Every rule a new family must pass, without writing (the import's preview uses it)."""
    parents: list[Person] = data["parents"]
    if not parents:
        raise DomainError("请至少填写一位父母", field="parents")
    _persons_in_reach(actor, parents)
    taken = (
        FamilyParent.objects.filter(person__in=parents, until__isnull=True)
        .select_related("person")
        .first()
    )
    if taken is not None:
        raise DomainError(f"{taken.person.name} 已属于一个在册的特殊家庭", field="parents")
    today = datetime.date.today()
    _check_child(data, data["kind"], today)
    if data["recognized_on"] > today:
        raise DomainError("认定日期不能晚于今天", field="recognized_on")


def create_family(data: dict[str, Any], *, actor: Actor) -> SpecialFamily:
    """Write a checked family (callers write the audit entry: one per call or per import)."""
    actor.require("families.add")
    check_family(data, actor=actor)
    parents: list[Person] = data["parents"]
    recognized_on = data["recognized_on"]
    head = parents[0]
    member = HouseholdMember.objects.filter(person=head).select_related("household").first()
    household = (
        member.household if member else household_services.found_household(head, actor=actor)
    )
    family = SpecialFamily(
        household=household,
        kind=data["kind"],
        recognized_on=recognized_on,
        status_on=recognized_on,
        **{k: data.get(k) for k in CHILD_FIELDS if data.get(k) is not None},
        **{k: data[k] for k in SITUATION_FIELDS if k in data},
    )
    family.place_in(head.org)
    family.save()
    try:
        with transaction.atomic():
            FamilyParent.objects.bulk_create(
                [FamilyParent(family=family, person=p, since=recognized_on) for p in parents]
            )
    except IntegrityError as exc:
        raise DomainError("父母之一已属于一个在册的特殊家庭", field="parents") from exc
    FamilyEvent.objects.create(
        family=family, on=recognized_on, status=FamilyStatus.ACTIVE, org=head.org, note="认定"
    )
    return family


@transaction.atomic
def recognize(data: dict[str, Any], *, actor: Actor) -> SpecialFamily:
    """Recognize a special family around its parents (persons already in the registry).

    A person belongs to at most one active special family (a database rule as well); the family's
    household is the first parent's, founded if they have none; its org is that parent's village.
    """
    family = create_family(data, actor=actor)
    parents: list[Person] = data["parents"]
    record(
        actor,
        "fpa.family.recognized",
        family,
        {"kind": [None, family.kind], "parents": [None, [p.pk for p in parents]]},
    )
    return family


@transaction.atomic
def set_contact(
    family: SpecialFamily, role: str, person: Person, since: datetime.date, *, actor: Actor
) -> PairedContact:
    """Name the family's township cadre or village health worker; the previous one's term ends."""
    actor.require("families.change")
    _family_in_reach(family, actor)
    if role not in ContactRole.values:
        raise DomainError("请选择联系人岗位", field="role")
    if not in_reach(person, actor):
        raise DomainError("联系人须是本辖区人员库中的人员", field="person")
    current = (
        PairedContact.objects.select_for_update()
        .filter(family=family, role=role, until__isnull=True)
        .first()
    )
    if current is not None:
        if current.person_id == person.pk:
            return current
        if since < current.since:
            raise DomainError("新联系人的起始日期不能早于现任联系人的起始日期", field="since")
        current.until = since
        current.save(update_fields=["until"])
    contact = PairedContact.objects.create(family=family, role=role, person=person, since=since)
    record(
        actor,
        "fpa.family.contact.set",
        family,
        {"role": role, "person": [current.person_id if current else None, person.pk]},
    )
    return contact


@transaction.atomic
def set_green_channel(family: SpecialFamily, data: dict[str, Any], *, actor: Actor) -> GreenChannel:
    actor.require("families.change")
    _family_in_reach(family, actor)
    card = GreenChannel.objects.create(family=family, **data)
    record(actor, "fpa.family.green_channel.set", family, {"number": [None, card.number]})
    return card


@transaction.atomic
def set_doctor(family: SpecialFamily, data: dict[str, Any], *, actor: Actor) -> DoctorContract:
    actor.require("families.change")
    _family_in_reach(family, actor)
    if data["renewal_due"] <= data["signed_on"]:
        raise DomainError("续约日期须晚于签约日期", field="renewal_due")
    contract = DoctorContract.objects.create(family=family, **data)
    record(actor, "fpa.family.doctor.set", family, {"doctor": [None, contract.doctor]})
    return contract


def _care_row(family: SpecialFamily, data: dict[str, Any], actor: Actor) -> CareRecord:
    today = datetime.date.today()
    on: datetime.date = data["on"]
    if on > today:
        raise DomainError("关怀日期不能晚于今天", field="on")
    if on < family.recognized_on:
        raise DomainError("关怀日期早于该家庭的认定日期", field="on")
    if family.status != FamilyStatus.ACTIVE and on > family.status_on:
        raise DomainError("该家庭已不在册", field="on")
    if data["kind"] not in CareKind.values:
        raise DomainError("请选择关怀类别", field="kind")
    festival: Festival | None = data.get("festival")
    if festival is not None and not festival.window_start <= on <= festival.window_end:
        raise DomainError(
            f"{festival} 的走访时间为 {festival.window_start} 至 {festival.window_end}",
            field="festival",
        )
    amount = data.get("amount") or Decimal("0")
    if amount < 0:
        raise DomainError("金额不能为负", field="amount")
    row = CareRecord(
        family=family,
        kind=data["kind"],
        on=on,
        by=data.get("by"),
        by_name=data.get("by_name", ""),
        what=data["what"],
        amount=amount,
        goods=data.get("goods", ""),
        festival=festival,
        notes=data.get("notes", ""),
        recorded_by=actor.user,
    )
    row.place_in(family.org)
    return row


@transaction.atomic
def record_care(family: SpecialFamily, data: dict[str, Any], *, actor: Actor) -> CareRecord:
    """Record one act of care (emotional support, visit, volunteer service, insurance cover)."""
    actor.require("families.add")
    _family_in_reach(family, actor)
    row = _care_row(family, data, actor)
    row.save()
    record(
        actor,
        "fpa.family.care.recorded",
        family,
        {"kind": [None, row.kind], "on": [None, str(row.on)], "amount": [None, str(row.amount)]},
    )
    return row


@transaction.atomic
def record_batch(
    families: list[SpecialFamily], data: dict[str, Any], *, actor: Actor
) -> list[CareRecord]:
    """One form, many families (a festival visit campaign): all recorded or none, one entry."""
    actor.require("families.add")
    if not families:
        raise DomainError("请至少选择一个家庭", field="families")
    ids = {f.pk for f in families}
    if SpecialFamily.objects.for_actor(actor).filter(pk__in=ids).count() != len(ids):
        raise DomainError("有家庭不在您的管辖范围内", field="families")
    rows = [_care_row(f, data, actor) for f in families]
    CareRecord.unscoped_objects.bulk_create(rows)
    record(
        actor,
        "fpa.family.care.batch",
        None,
        {
            "kind": data["kind"],
            "on": str(data["on"]),
            "festival": data["festival"].pk if data.get("festival") else None,
        },
        rows=[{"family": f.pk} for f in families],
    )
    return rows


@transaction.atomic
def end_family(
    family: SpecialFamily,
    on: datetime.date,
    reason: str,
    status: str = "ended",
    *,
    actor: Actor,
    to_org: Org | None = None,
) -> SpecialFamily:
    """End a family's record (with reason) or move it to another org; both are dated."""
    actor.require("families.change")
    _family_in_reach(family, actor)
    if family.status != FamilyStatus.ACTIVE:
        raise DomainError("该家庭已不在册")
    if on < family.recognized_on or on > datetime.date.today():
        raise DomainError("日期不合理", field="on")
    if status == "relocate":
        if to_org is None or to_org.status == Status.ABOLISHED:
            raise DomainError("请选择迁入单位", field="to_org")
        FamilyEvent.objects.create(
            family=family,
            on=on,
            status=FamilyStatus.ACTIVE,
            org=to_org,
            note=f"由{family.org.name}迁入：{reason}",
        )
        family.place_in(to_org)
        family.save()
        record(actor, "fpa.family.moved", family, {"org": [None, to_org.pk]})
        return family
    if not reason.strip():
        raise DomainError("请填写原因", field="reason")
    family.status = FamilyStatus.MOVED if status == "moved" else FamilyStatus.ENDED
    family.status_on = on
    family.end_reason = reason
    family.save()
    FamilyParent.objects.filter(family=family, until__isnull=True).update(until=on)
    FamilyEvent.objects.create(
        family=family, on=on, status=family.status, org=family.org, note=reason
    )
    record(
        actor, "fpa.family.ended", family, {"status": ["active", family.status], "reason": reason}
    )
    return family


@transaction.atomic
def attach(
    family: SpecialFamily, record_id: int, upload: Any, label: str, *, actor: Actor
) -> CareAttachment:
    """Keep a photo or signed receipt with a care record.

    The file must be a PDF, JPEG or PNG by its bytes, not only by its name, within the
    attachment size limit (`fpa.core.uploads`); a photo is kept as its pixels only (no EXIF,
    no GPS position). A refused file writes nothing.
    """
    actor.require("families.add")
    _family_in_reach(family, actor)
    row = CareRecord.unscoped_objects.filter(pk=record_id, family=family).first()
    if row is None:
        raise DomainError("找不到该关怀记录")
    stored = uploads.accept_attachment(upload)
    item = CareAttachment.objects.create(record=row, file=stored, label=label[:50])
    record(actor, "fpa.family.care.attached", family, {"record": row.pk, "file": item.file.name})
    return item


def record_view(family: SpecialFamily, *, actor: Actor) -> None:
    """Opening a family page is itself audited (sensitive personal information)."""
    record(actor, "fpa.family.viewed", family, {})
