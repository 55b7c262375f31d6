"""The rules of the people registry: one person province-wide, memberships (relocations between
orgs are in `relocation_services.py`)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from fpa.audit.services import diff, record, record_reveal
from fpa.core import idnumber
from fpa.core.errors import DomainError
from fpa.core.fields import lookup, protect, protected_fields, reveal
from fpa.core.phone import parse_phone
from fpa.kernel import counters
from fpa.kernel.scope import Actor, in_reach
from fpa.orgs import tree
from fpa.orgs.models import PATH_STEP, Org, Status

from .models import (
    MEMBERS,
    PERSONS,
    CardCounter,
    IdType,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Person,
)

PERSON_FIELDS = [
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "hukou_code",
    "hukou_address",
    "address",
]
OTHER_DOCUMENT = re.compile(r"^[A-Z0-9]{6,20}$")


class RegisteredElsewhere(DomainError):
    """The document is registered outside the actor's reach: nothing about the holder is told."""

    def __init__(self, person_id: int) -> None:
        super().__init__("已在其他单位登记，请发起转入", field="id_number")
        self.person_id = person_id


def reachable_org(org: Org, actor: Actor) -> Org:
    if not in_reach(org, actor):
        raise DomainError("该单位不在您的管辖范围内", field="org")
    if org.status == Status.ABOLISHED:
        raise DomainError("该单位已撤销，请选择现存单位", field="org")
    return org


def clean_document(id_type: str, number: str, gender: str = "") -> dict[str, Any]:
    """Validate a document number; a resident ID also gives the birth date and gender."""
    number = (number or "").strip()
    if id_type == IdType.NONE or not number:
        if id_type != IdType.NONE:
            raise DomainError("请填写证件号码，或将证件类型选为“未登记证件”", field="id_number")
        return {"id_number": None, "warnings": []}
    if id_type == IdType.RESIDENT:
        parsed = idnumber.parse(number)
        if gender:
            idnumber.check_gender(parsed, gender)
        return {
            "id_number": parsed.number,
            "birth_date": parsed.birth_date,
            "gender": parsed.gender,
            "warnings": list(parsed.warnings),
        }
    normalised = re.sub(r"\s+", "", number).upper()
    if not OTHER_DOCUMENT.match(normalised):
        raise DomainError("证件号码应为6到20位字母或数字", field="id_number")
    return {"id_number": normalised, "warnings": []}


def find_by_document(id_type: str, number: str) -> Person | None:
    kind = "id_number"
    return Person.unscoped_objects.filter(
        id_type=id_type, **lookup("id_number", number, kind)
    ).first()


def _holder_check(
    id_type: str, number: str | None, actor: Actor, exclude: int | None = None
) -> None:
    if not number:
        return
    holder = find_by_document(id_type, number)
    if holder is None or holder.pk == exclude:
        return
    if in_reach(holder, actor):
        raise DomainError(f"该证件号码已登记（{holder.name}），请勿重复登记", field="id_number")
    raise RegisteredElsewhere(holder.pk)


def new_person(values: dict[str, Any]) -> Person:
    """An unsaved person from checked values (document and phone already validated)."""
    person = Person(id_type=values.get("id_type") or IdType.RESIDENT)
    apply_values(person, values)
    return person


def new_person_columns(values: dict[str, Any]) -> dict[str, Any]:
    """The columns `new_person(values)` sets, as a dict for `fpa.core.bulk.insert_rows`."""
    columns = value_columns(values)
    columns["id_type"] = values.get("id_type") or IdType.RESIDENT
    columns["initials"] = tree.initials(columns.get("name", ""))
    return columns


def apply_values(person: Person, values: dict[str, Any]) -> None:
    """Set checked values on a person: fields, residence, encrypted document and phone."""
    for name, value in value_columns(values).items():
        setattr(person, name, value)
    person.org = values["org"]
    person.initials = tree.initials(person.name)


def value_columns(values: dict[str, Any]) -> dict[str, Any]:
    """The columns checked values set: fields, residence, encrypted document and phone.

    Rule: an empty value never erases what is stored (clerks' files often leave a column out).
    `values["id_number_index"]`, when present, is the blind index an import's preview already
    computed for `values["id_number"]`; it is not computed again.
    """
    columns = {name: values[name] for name in PERSON_FIELDS if values.get(name) not in (None, "")}
    org = values["org"]
    columns.update(
        org_id=org.pk, city_id=org.city_id, county_id=org.county_id, township_id=org.township_id
    )
    if values.get("id_number"):
        number = protect(values["id_number"], "id_number", index=values.get("id_number_index"))
        columns.update(number.as_fields("id_number"))
    if values.get("phone"):
        columns.update(protect(values["phone"], "phone").as_fields("phone"))
    return columns


@transaction.atomic
def register_person(data: dict[str, Any], *, actor: Actor) -> Person:
    """Register a person once, province-wide, residing at an org in the actor's reach.

    A document registered in the actor's reach is refused as a duplicate; one registered
    elsewhere raises RegisteredElsewhere so the user can ask for a relocation instead.
    """
    actor.require("people.add")
    org = reachable_org(data["org"], actor)
    id_type = data.get("id_type", IdType.RESIDENT)
    document = clean_document(id_type, data.get("id_number", ""), data.get("gender", ""))
    _holder_check(id_type, document["id_number"], actor)
    phone = parse_phone(data["phone"]) if data.get("phone") else None
    person = new_person({**data, **document, "id_type": id_type, "org": org, "phone": phone})
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # a concurrent registration of the same document won the race
        raise DomainError("该证件号码刚被登记，请刷新后重试", field="id_number") from exc
    counters.bump(org, PERSONS)
    record(
        actor,
        "fpa.person.registered",
        person,
        {
            "id_number": [None, document["id_number"]],
            "org": [None, org.pk],
        },
    )
    return person


@transaction.atomic
def update_person(person: Person, data: dict[str, Any], *, actor: Actor) -> Person:
    """Change a person's details; a changed document is checked like a new one."""
    actor.require("people.change")
    if not in_reach(person, actor):
        raise DomainError("该人员不在您的管辖范围内")
    before = model_to_dict(person, fields=[*PERSON_FIELDS, "id_type", "org"])
    id_type = data.get("id_type", person.id_type)
    changes: dict[str, Any] = {}
    if "id_number" in data or id_type != person.id_type:
        number = data.get("id_number", reveal(person.id_number_enc))
        document = clean_document(id_type, number, data.get("gender", ""))
        _holder_check(id_type, document["id_number"], actor, exclude=person.pk)
        old = reveal(person.id_number_enc)
        if document["id_number"] != (old or None):
            changes["id_number"] = [old, document["id_number"]]
        for name, value in protected_fields(
            "id_number", document["id_number"], "id_number"
        ).items():
            setattr(person, name, value)
        data = {**data, **{k: document[k] for k in ("birth_date", "gender") if document.get(k)}}
    if "phone" in data:
        phone = parse_phone(data["phone"]) if data["phone"] else None
        for name, value in protected_fields("phone", phone, "phone").items():
            setattr(person, name, value)
    for name in PERSON_FIELDS:
        if name in data:
            setattr(person, name, data[name])
    person.id_type = id_type
    if "org" in data and data["org"].pk != person.org_id:
        counters.bump_many({person.org_id: -1, data["org"].pk: 1}, PERSONS)
        person.place_in(reachable_org(data["org"], actor))
    person.initials = tree.initials(person.name)
    person.save()
    changes.update(diff(before, model_to_dict(person, fields=[*PERSON_FIELDS, "id_type", "org"])))
    if changes:
        record(actor, "fpa.person.changed", person, changes)
    return person


def card_prefix(org: Org, year: int) -> str:
    """The card number names the issuing county (or city, or province) and the year.

    Rule: 6 digits of the issuing county-level code (a city's code + "00" when the org hangs
    directly under a city, the province's + "0000" at province level), 2 digits of the year,
    6 digits of sequence: 43012121000123 is the 123rd card issued in 长沙县 in 2021.
    """
    anchor = org.county or org.city
    if anchor is not None:
        region = anchor.code[:6]
    else:
        root = Org.unscoped_objects.get(path=org.path[:PATH_STEP])
        region = root.code[:6]
    return f"{region}{year % 100:02d}"


def reserve_card_numbers(prefix: str, n: int) -> list[str]:
    """Take the next `n` sequence numbers of a prefix under a row lock (no number twice)."""
    counter, _ = CardCounter.objects.get_or_create(prefix=prefix)
    counter = CardCounter.objects.select_for_update().get(pk=counter.pk)
    first = counter.last + 1
    counter.last += n
    if counter.last > 999_999:
        raise DomainError(f"{prefix} 本年度会员证号已用完")
    counter.save(update_fields=["last"])
    return [f"{prefix}{seq:06d}" for seq in range(first, counter.last + 1)]


def issue_card_number(org: Org, year: int) -> str:
    return reserve_card_numbers(card_prefix(org, year), 1)[0]


@transaction.atomic
def join(person: Person, org: Org, joined_on: datetime.date, *, actor: Actor) -> Membership:
    """Make a person a member of an org and issue the card; one active membership a person."""
    actor.require("people.add")
    reachable_org(org, actor)
    if not in_reach(person, actor):
        raise DomainError("该人员不在您的管辖范围内")
    if joined_on > datetime.date.today():
        raise DomainError("入会日期不能晚于今天", field="joined_on")
    if Membership.unscoped_objects.filter(person=person, status=MembershipStatus.ACTIVE).exists():
        raise DomainError(f"{person.name} 已是会员", field="person")
    membership = add_membership(person, org, joined_on)
    record(actor, "fpa.member.joined", membership, {"card_number": [None, membership.card_number]})
    return membership


def add_membership(person: Person, org: Org, joined_on: datetime.date) -> Membership:
    """Issue the card and record the join (callers check reach and the one-active rule)."""
    membership = Membership(
        person=person, joined_on=joined_on, card_number=issue_card_number(org, joined_on.year)
    )
    membership.place_in(org)
    membership.save()
    MembershipEvent.objects.create(
        membership=membership, at=joined_on, status=MembershipStatus.ACTIVE, org=org, note="入会"
    )
    counters.bump(org, MEMBERS)
    return membership


@transaction.atomic
def set_membership_status(
    membership: Membership, status: str, on: datetime.date, note: str, *, actor: Actor
) -> Membership:
    """Lapse, or record the death of, a member (relocations go through relocation requests)."""
    actor.require("people.change")
    if not in_reach(membership, actor):
        raise DomainError("该会员不在您的管辖范围内")
    if status not in (MembershipStatus.LAPSED, MembershipStatus.DECEASED, MembershipStatus.ACTIVE):
        raise DomainError("不支持的状态")
    if membership.status == status:
        return membership
    before = membership.status
    if MembershipStatus.ACTIVE in (before, status):
        counters.bump(membership.org_id, MEMBERS, 1 if status == MembershipStatus.ACTIVE else -1)
    membership.status = status
    membership.save(update_fields=["status"])
    MembershipEvent.objects.create(
        membership=membership, at=on, status=status, org=membership.org, note=note
    )
    record(actor, "fpa.member.status.changed", membership, {"status": [before, status]})
    return membership


def reveal_number(person: Person, field: str, *, actor: Actor) -> str:
    """One full ID or phone number, shown once; showing it is an audited action."""
    value = reveal(getattr(person, f"{field}_enc"))
    record_reveal(actor, person, field)
    return value
