"""Households (户) and members' small groups (会员小组), and organizations that are members."""

from __future__ import annotations

import datetime

from django.db import transaction

from fpa.audit.services import record
from fpa.core.errors import DomainError
from fpa.kernel.scope import Actor, in_reach
from fpa.orgs.models import Kind, Level, Org

from .models import Household, HouseholdMember, MemberGroup, Membership, Person, Relation
from .positions import GroupMember


def _in_reach(actor: Actor, *persons: Person) -> None:
    actor.require("people.change")
    ids = [p.pk for p in persons]
    if Person.objects.for_actor(actor).filter(pk__in=ids).count() != len(set(ids)):
        raise DomainError("该人员不在您的管辖范围内")


@transaction.atomic
def found_household(head: Person, *, actor: Actor) -> Household:
    """Make a person the head of a new household at their residence."""
    _in_reach(actor, head)
    if HouseholdMember.objects.filter(person=head).exists():
        raise DomainError(f"{head.name} 已在一个家庭户中")
    household = Household(head=head, address=head.address)
    household.place_in(head.org)
    household.save()
    HouseholdMember.objects.create(household=household, person=head, relation=Relation.HEAD)
    Person.unscoped_objects.filter(pk=head.pk).update(household=household)
    record(actor, "fpa.household.founded", household, {"head": [None, head.pk]})
    return household


@transaction.atomic
def add_to_household(
    household: Household, person: Person, relation: str, *, actor: Actor
) -> HouseholdMember:
    """Add a person to a household with their relation to the head (one household a person)."""
    _in_reach(actor, person)
    if not in_reach(household, actor):
        raise DomainError("该家庭户不在您的管辖范围内")
    if relation == Relation.HEAD or relation not in Relation.values:
        raise DomainError("请选择与户主的关系（户主只有一位）", field="relation")
    if HouseholdMember.objects.filter(person=person).exists():
        raise DomainError(f"{person.name} 已在一个家庭户中", field="person")
    member = HouseholdMember.objects.create(household=household, person=person, relation=relation)
    Person.unscoped_objects.filter(pk=person.pk).update(household=household)
    record(
        actor,
        "fpa.household.member.added",
        household,
        {"person": [None, person.pk], "relation": [None, relation]},
    )
    return member


@transaction.atomic
def create_group(org: Org, name: str, *, actor: Actor) -> MemberGroup:
    """A members' small group belongs to a village association."""
    actor.require("people.add")
    if not in_reach(org, actor):
        raise DomainError("该单位不在您的管辖范围内")
    if org.level != Level.VILLAGE or org.kind != Kind.TERRITORIAL:
        raise DomainError("会员小组设在村（社区）计生协下")
    if not name.strip():
        raise DomainError("请填写小组名称", field="name")
    if MemberGroup.unscoped_objects.filter(org=org, name=name.strip()).exists():
        raise DomainError("本村已有同名小组", field="name")
    group = MemberGroup(name=name.strip())
    group.place_in(org)
    group.save()
    record(actor, "fpa.member_group.created", group, {"name": [None, group.name]})
    return group


@transaction.atomic
def assign_group(membership: Membership, group: MemberGroup | None, *, actor: Actor) -> Membership:
    """Put a member in a small group of the village they are a member of (or take them out)."""
    actor.require("people.change")
    if not in_reach(membership, actor):
        raise DomainError("该会员不在您的管辖范围内")
    if group is not None and group.org_id != membership.org_id:
        raise DomainError("只能加入本村的会员小组", field="group")
    before = membership.group_id
    membership.group = group
    membership.save(update_fields=["group"])
    record(
        actor,
        "fpa.member.group.changed",
        membership,
        {"group": [before, group.pk if group else None]},
    )
    return membership


@transaction.atomic
def add_group_member(
    org: Org, name: str, credit_code: str, contact: str, joined_on: datetime.date, *, actor: Actor
) -> GroupMember:
    """An organization joins as a group member (团体会员), counted apart from persons."""
    actor.require("people.add")
    if not in_reach(org, actor):
        raise DomainError("该单位不在您的管辖范围内")
    credit_code = credit_code.strip().upper()
    if credit_code and len(credit_code) != 18:
        raise DomainError("统一社会信用代码应为18位", field="credit_code")
    if joined_on > datetime.date.today():
        raise DomainError("入会日期不能晚于今天", field="joined_on")
    member = GroupMember(
        name=name.strip(), credit_code=credit_code, contact=contact.strip(), joined_on=joined_on
    )
    member.place_in(org)
    member.save()
    record(actor, "fpa.group_member.added", member, {"name": [None, member.name]})
    return member
