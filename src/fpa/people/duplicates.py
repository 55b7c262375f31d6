"""Likely duplicates in the registry, and merging two records of one person."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count

from fpa.audit.services import record
from fpa.core.errors import DomainError
from fpa.core.jobs import Progress, runner
from fpa.core.models import Job
from fpa.kernel import counters
from fpa.kernel.scope import Actor
from fpa.orgs.models import Level

from .models import (
    MEMBERS,
    PERSONS,
    HouseholdMember,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Person,
)
from .positions import CouncilMember, Officer, Staff, Volunteer

GROUP_LIMIT = 100
#: Above a county the search is a background job: the phone groups need every phone of the
#: scope aggregated (seconds on millions of persons).
JOB_LEVELS = (Level.PROVINCE, Level.CITY)


def in_background(actor: Actor) -> bool:
    return actor.org.level in JOB_LEVELS


def duplicate_groups(actor: Actor) -> list[dict[str, Any]]:
    """Groups of person ids in reach with the same name and birth date, or the same phone.

    Name groups in name order (the name index walks there); phone groups with the most
    repeated phone first: ordering by the count makes PostgreSQL aggregate the scope's phones
    instead of walking the province-wide phone index until it finds 100 groups, which on a
    county with few duplicates meant all of it (7 s on 5 million persons).
    """
    live = Person.objects.for_actor(actor).exclude(status="merged")
    groups: list[dict[str, Any]] = []
    same_birth = (
        live.exclude(birth_date=None)
        .values("name", "birth_date")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("name")[:GROUP_LIMIT]
    )
    for g in same_birth:
        ids = live.filter(name=g["name"], birth_date=g["birth_date"]).values_list("pk", flat=True)
        groups.append({"reason": f"姓名、出生日期相同（{g['name']}）", "ids": list(ids)})
    same_phone = (
        live.exclude(phone_index=None)
        .values("phone_index")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("-n", "phone_index")[:GROUP_LIMIT]
    )
    for g in same_phone:
        ids = live.filter(phone_index=g["phone_index"]).values_list("pk", flat=True)
        groups.append({"reason": "联系电话相同", "ids": list(ids)})
    return groups


def with_persons(groups: list[dict[str, Any]], actor: Actor) -> list[dict[str, Any]]:
    """The groups with their persons as they are now, in reach and not merged since (a stored
    report may be older than the registry); groups left with fewer than two are dropped."""
    ids = {pk for g in groups for pk in g["ids"]}
    persons = {
        p.pk: p
        for p in Person.objects.for_actor(actor)
        .exclude(status="merged")
        .filter(pk__in=ids)
        .select_related("org")
    }
    shown = []
    for g in groups:
        found = [persons[pk] for pk in sorted(g["ids"]) if pk in persons]
        if len(found) > 1:
            shown.append({"reason": g["reason"], "persons": found})
    return shown


def likely_duplicates(actor: Actor) -> list[dict[str, Any]]:
    """Groups of persons in reach with the same name and birth date, or the same phone."""
    return with_persons(duplicate_groups(actor), actor)


@runner("people.duplicates")
def run_search(job: Job, actor: Actor, progress: Progress) -> None:
    """The search for a city or the province, kept with the job for the report page."""
    actor.require("people.view")
    progress.start(1, "正在查找疑似重复记录")
    groups = duplicate_groups(actor)
    job.result = {"groups": groups, "next_url": "/people/duplicates/", "next_label": "查看结果"}
    job.message = f"找到 {len(groups)} 组疑似重复"


def last_search(actor: Actor) -> Job | None:
    """The actor's latest search job (running or finished), if any."""
    return Job.objects.for_actor(actor).filter(kind="people.duplicates").first()


@transaction.atomic
def merge_persons(keep: Person, drop: Person, *, actor: Actor) -> Person:
    """Fold `drop` into `keep`: positions and memberships move, `drop` stays as a merged record.

    A document only `drop` has moves to `keep`; two different documents mean two people and the
    merge is refused. An active membership of `drop` lapses when `keep` already has one.
    """
    actor.require("people.change")
    reach = Person.objects.for_actor(actor)
    if keep.pk == drop.pk:
        raise DomainError("不能与自身合并")
    if reach.filter(pk__in=[keep.pk, drop.pk]).count() != 2:
        raise DomainError("两条记录都必须在您的管辖范围内")
    keep, drop = (Person.unscoped_objects.select_for_update().get(pk=p.pk) for p in (keep, drop))
    if "merged" in (keep.status, drop.status):
        raise DomainError("已合并的记录不能再合并")
    if (
        keep.id_number_index
        and drop.id_number_index
        and keep.id_number_index != drop.id_number_index
    ):
        raise DomainError("两条记录的证件号码不同，是两个人，不能合并")
    moved: dict[str, int] = {}
    if drop.id_number_index and not keep.id_number_index:
        document = {
            f: getattr(drop, f)
            for f in ("id_number_enc", "id_number_index", "id_number_last4", "id_type")
        }
        Person.unscoped_objects.filter(pk=drop.pk).update(
            id_number_enc=None, id_number_index=None, id_number_last4=""
        )
        Person.unscoped_objects.filter(pk=keep.pk).update(**document)
        moved["document"] = 1
    if not keep.phone_index and drop.phone_index:
        Person.unscoped_objects.filter(pk=keep.pk).update(
            phone_enc=drop.phone_enc, phone_index=drop.phone_index, phone_last4=drop.phone_last4
        )
    keep_active = Membership.unscoped_objects.filter(person=keep, status="active").exists()
    for m in Membership.unscoped_objects.filter(person=drop):
        if m.status == MembershipStatus.ACTIVE and keep_active:
            counters.bump(m.org_id, MEMBERS, -1)
            m.status = MembershipStatus.LAPSED
            MembershipEvent.objects.create(
                membership=m,
                at=m.joined_on,
                org=m.org,
                status=MembershipStatus.LAPSED,
                note=f"合并重复记录，保留 {keep.pk}",
            )
        m.person = keep
        m.save()
        moved["memberships"] = moved.get("memberships", 0) + 1
    for model in (Volunteer, CouncilMember, Staff, Officer):
        n = model.unscoped_objects.filter(person=drop).update(person=keep)
        if n:
            moved[model.__name__.lower()] = n
    if not HouseholdMember.objects.filter(person=keep).exists():
        HouseholdMember.objects.filter(person=drop).update(person=keep)
    Person.unscoped_objects.filter(pk=drop.pk).update(status="merged", merged_into=keep)
    counters.bump(drop.org_id, PERSONS, -1)
    record(actor, "fpa.person.merged", keep, {"merged": [None, drop.pk], "moved": moved})
    keep.refresh_from_db()
    return keep
