"""Who may benefit from a program: checked at application, at approval and when a batch is built."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q

from fpa.families.models import FamilyParent, FamilyStatus
from fpa.people.models import Household, Membership, Person, PersonStatus

from .models import Eligibility, Program


def _alive(program: Program, status: str, person: str) -> Q:
    """The rule once: an active person who (for the family and member rules) holds the role
    today. `status` names the person's status column, `person` the person's id, from the rows
    the filter runs on."""
    alive = Q(**{status: PersonStatus.ACTIVE})
    if program.eligibility == Eligibility.FAMILY_MEMBER:
        alive &= Q(
            Exists(
                FamilyParent.objects.filter(
                    person=OuterRef(person), until__isnull=True, family__status=FamilyStatus.ACTIVE
                )
            )
        )
    elif program.eligibility == Eligibility.MEMBER:
        alive &= Q(
            Exists(Membership.unscoped_objects.filter(person=OuterRef(person), status="active"))
        )
    return alive


def person_q(program: Program) -> Q:
    """The rule as a filter on persons."""
    return _alive(program, "status", "pk")


def eligible_q(program: Program, person: str = "person") -> Q:
    """The rule as a filter on rows that name a person through `person` (a foreign key); a row
    without a person (a household's) passes: households stay eligible while they exist."""
    return Q(**{f"{person}__isnull": True}) | _alive(program, f"{person}__status", f"{person}_id")


def eligible_persons(program: Program, person_ids: Iterable[int]) -> set[int]:
    """The ids among `person_ids` the program's eligibility rule accepts today."""
    found = Person.unscoped_objects.filter(person_q(program), pk__in=list(person_ids))
    return set(found.values_list("pk", flat=True))


def problem(program: Program, person: Person | None, household: Household | None) -> str | None:
    """Why this beneficiary may not benefit, in Chinese, or None."""
    if program.for_households:
        return None if household is not None else "本项目以家庭户为单位申请，请选择家庭户"
    if person is None:
        return "本项目以个人为单位申请，请选择人员"
    if person.pk in eligible_persons(program, [person.pk]):
        return None
    if person.status != PersonStatus.ACTIVE:
        return f"{person.name}的状态为“{person.get_status_display()}”，不能享受"
    return f"{person.name}不符合本项目的受益条件（{program.get_eligibility_display()}）"
