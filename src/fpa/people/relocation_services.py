"""Relocations of a person between orgs (转入/转出): the receiving org asks, the holding org
decides; the person and their active membership move, both sides audited."""

from __future__ import annotations

import datetime

from django.db import transaction

from fpa.audit.services import record
from fpa.core.errors import DomainError
from fpa.kernel import counters
from fpa.kernel.scope import Actor
from fpa.orgs.models import Org

from .models import (
    MEMBERS,
    PERSONS,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Person,
    Relocation,
    RelocationStatus,
)
from .services import issue_card_number, reachable_org


@transaction.atomic
def request_relocation(person_id: int, to_org: Org, reason: str, *, actor: Actor) -> Relocation:
    """Ask the org that holds a person to let them move to an org in the actor's reach."""
    actor.require("people.add")
    reachable_org(to_org, actor)
    person = Person.unscoped_objects.select_for_update().get(pk=person_id)
    if Relocation.objects.filter(person=person, status=RelocationStatus.PENDING).exists():
        raise DomainError("该人员已有待处理的转入申请")
    relocation = Relocation.objects.create(
        person=person,
        from_org_id=person.org_id,
        to_org=to_org,
        reason=reason,
        requested_by=actor.require_user(),
    )
    record(actor, "fpa.person.relocation.requested", relocation, {"to_org": [None, to_org.pk]})
    return relocation


@transaction.atomic
def decide_relocation(relocation: Relocation, accept: bool, *, actor: Actor) -> Relocation:
    """The holding org accepts (the person and their active membership move) or refuses."""
    actor.require("people.change")
    if not Org.objects.for_actor(actor).filter(pk=relocation.from_org_id).exists():
        raise DomainError("只有转出单位可以处理该申请")
    relocation = Relocation.objects.select_for_update().get(pk=relocation.pk)
    if relocation.status != RelocationStatus.PENDING:
        raise DomainError("该申请已处理")
    relocation.status = RelocationStatus.ACCEPTED if accept else RelocationStatus.REJECTED
    relocation.decided_by = actor.user
    relocation.decided_at = datetime.datetime.now(datetime.UTC)
    relocation.save()
    if accept:
        _move_person(relocation.person, relocation.to_org)
    record(actor, "fpa.person.relocation.decided", relocation, {"accepted": accept})
    return relocation


def _move_person(person: Person, to_org: Org) -> None:
    today = datetime.date.today()
    counters.bump_many({person.org_id: -1, to_org.pk: 1}, PERSONS)
    person.place_in(to_org)
    person.save()
    for membership in Membership.unscoped_objects.filter(person=person, status="active"):
        membership.status = MembershipStatus.RELOCATED
        membership.save(update_fields=["status"])
        counters.bump_many({membership.org_id: -1, to_org.pk: 1}, MEMBERS)
        MembershipEvent.objects.create(
            membership=membership,
            at=today,
            org=membership.org,
            status=MembershipStatus.RELOCATED,
            note=f"转出至{to_org.name}",
        )
        new = Membership(
            person=person,
            joined_on=membership.joined_on,
            card_number=issue_card_number(to_org, today.year),
        )
        new.place_in(to_org)
        new.save()
        MembershipEvent.objects.create(
            membership=new,
            at=today,
            org=to_org,
            status=MembershipStatus.ACTIVE,
            note=f"由{membership.org.name}转入",
        )
