"""The people registry's figures: persons, members, households and the posts persons hold.

All are stocks read on the period's day. A current stock of persons or members is the counter
the services maintain (`fpa.kernel.counters`); a past year's is read from the dated records
(join date, and the membership's events for when it lapsed, moved or ended). Each post counts
once per org that holds it; `people.volunteer_persons` counts persons, once however many
associations they volunteer for, so it is distinct, not additive.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from fpa.figures.registry import Figure, Period

from .models import (
    MEMBERS,
    PERSONS,
    Household,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Person,
    PersonStatus,
)
from .positions import CouncilMember, GroupMember, Officer, Staff, Volunteer


def persons(period: Period) -> QuerySet:
    qs = Person.unscoped_objects.exclude(status=PersonStatus.MERGED)
    return qs if period.current else qs.filter(created_at__date__lte=period.day)


def members(period: Period) -> QuerySet:
    if period.current:
        return Membership.unscoped_objects.filter(status=MembershipStatus.ACTIVE)
    left = MembershipEvent.objects.filter(membership=OuterRef("pk"), at__lte=period.day).exclude(
        status=MembershipStatus.ACTIVE
    )
    return Membership.unscoped_objects.filter(joined_on__lte=period.day).exclude(Exists(left))


def households(period: Period) -> QuerySet:
    return Household.unscoped_objects.filter(created_at__date__lte=period.day)


def volunteers(period: Period) -> QuerySet:
    qs = Volunteer.unscoped_objects.filter(since__lte=period.day)
    # Only the current register says who stopped: a past year reads it too.
    return qs.filter(active=True)


def _in_term(model: type[CouncilMember | Officer]) -> Callable[[Period], QuerySet]:
    def records(period: Period) -> QuerySet:
        return model.unscoped_objects.filter(term_start__lte=period.day, term_end__gte=period.day)

    return records


def staff(period: Period) -> QuerySet:
    day = period.day
    return Staff.unscoped_objects.filter(Q(since__isnull=True) | Q(since__lte=day)).filter(
        Q(until__isnull=True) | Q(until__gt=day)
    )


def group_members(period: Period) -> QuerySet:
    return GroupMember.unscoped_objects.filter(joined_on__lte=period.day)


council_members = _in_term(CouncilMember)
officers = _in_term(Officer)

FIGURES = [
    Figure("people.persons", "登记人员", "人", persons, counter=PERSONS),
    Figure("people.members", "会员", "人", members, counter=MEMBERS),
    Figure("people.households", "登记家庭户", "户", households),
    Figure("people.group_members", "团体会员", "个", group_members),
    Figure("people.volunteers", "志愿者", "人", volunteers),
    Figure(
        "people.volunteer_persons",
        "志愿者（按人计）",
        "人",
        volunteers,
        additive=False,
        measure=lambda: Count("person", distinct=True),
    ),
    Figure("people.council_members", "理事", "人", council_members),
    Figure(
        "people.standing_council_members",
        "常务理事",
        "人",
        council_members,
        measure=lambda: Count("pk", filter=Q(standing=True)),
    ),
    Figure("people.officers", "会长、副会长、秘书长", "人", officers),
    Figure("people.staff", "工作人员", "人", staff),
    Figure(
        "people.full_time_staff",
        "专职工作人员",
        "人",
        staff,
        measure=lambda: Count("pk", filter=Q(full_time=True)),
    ),
]
