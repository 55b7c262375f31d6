"""Rules for the positions a person holds besides membership: one service per position, one
audit entry."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Model, Q

from fpa.audit.services import record
from fpa.core.errors import DomainError
from fpa.kernel.scope import Actor, in_reach
from fpa.orgs.models import Level, Org, Status

from .models import Person
from .positions import CouncilMember, Officer, Position, Staff, Volunteer

KINDS: dict[str, type[Volunteer | CouncilMember | Staff | Officer]] = {
    "volunteer": Volunteer,
    "council": CouncilMember,
    "staff": Staff,
    "officer": Officer,
}
LABELS = {
    "volunteer": "志愿者",
    "council": "理事",
    "staff": "工作人员",
    "officer": "会长/副会长/秘书长",
}


def _check(person: Person, org: Org, actor: Actor) -> None:
    actor.require("people.change")
    if not in_reach(person, actor):
        raise DomainError("该人员不在您的管辖范围内")
    if not in_reach(org, actor):
        raise DomainError("该单位不在您的管辖范围内", field="org")
    if org.status == Status.ABOLISHED:
        raise DomainError("该单位已撤销", field="org")


def _term(data: dict[str, Any]) -> None:
    if data["term_end"] <= data["term_start"]:
        raise DomainError("任期结束日期必须晚于开始日期", field="term_end")


@transaction.atomic
def add_position(kind: str, person: Person, data: dict[str, Any], *, actor: Actor) -> Model:
    """Give a person a position at an org (volunteer, council member, staff, officer).

    An org has one president at a time: a president's term may not overlap another's. Officers of
    township and village associations are filed with the county (备案): the filing date is kept.
    """
    org: Org = data["org"]
    _check(person, org, actor)
    model = KINDS[kind]
    fields = {k: v for k, v in data.items() if k != "org"}
    if kind in ("council", "officer"):
        _term(data)
    if kind == "officer" and data["position"] == Position.PRESIDENT:
        overlap = Officer.unscoped_objects.filter(
            org=org,
            position=Position.PRESIDENT,
            term_start__lt=data["term_end"],
            term_end__gt=data["term_start"],
        )
        if overlap.exists():
            raise DomainError("该单位在这段任期内已有会长", field="term_start")
    if kind == "officer" and data.get("filed_on") and org.level in (Level.PROVINCE, Level.CITY):
        raise DomainError("只有乡镇、村级计生协的副会长、秘书长需报县级备案", field="filed_on")
    if (
        kind == "staff"
        and Staff.unscoped_objects.filter(person=person, org=org, until__isnull=True).exists()
    ):
        raise DomainError(f"{person.name} 已是该单位在岗工作人员", field="org")
    obj = model(person=person, **fields)
    obj.place_in(org)
    obj.save()
    record(actor, f"fpa.person.{kind}.added", obj, {k: [None, v] for k, v in data.items()})
    return obj


@transaction.atomic
def end_staff(staff: Staff, until: datetime.date, *, actor: Actor) -> Staff:
    """A staff member leaves the post (the record stays, with its end date)."""
    _check(staff.person, staff.org, actor)
    if staff.since and until < staff.since:
        raise DomainError("离岗日期不能早于到岗日期", field="until")
    staff.until = until
    staff.save(update_fields=["until"])
    record(actor, "fpa.person.staff.ended", staff, {"until": [None, str(until)]})
    return staff


def officers_of(org: Org, on: datetime.date | None = None) -> list[Officer]:
    on = on or datetime.date.today()
    return list(
        Officer.unscoped_objects.filter(org=org, term_start__lte=on, term_end__gte=on)
        .select_related("person")
        .order_by("position", "term_start")
    )


def staff_counts(org: Org) -> dict[str, int]:
    """The org's staff from the registry: in post today, full-time and part-time."""
    current = Staff.unscoped_objects.filter(org=org).filter(
        Q(until__isnull=True) | Q(until__gte=datetime.date.today())
    )
    full = current.filter(full_time=True).count()
    return {"total": current.count(), "full_time": full, "part_time": current.count() - full}


def election_from_terms(org: Org) -> datetime.date | None:
    """The next election the officers' terms imply: the earliest end of a current term."""
    ends = [o.term_end for o in officers_of(org)]
    return min(ends) if ends else None
