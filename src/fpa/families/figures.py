"""The special families' figures: families on the register and the care they were given.

Families are a stock read on the period's day, at the org that holds them now (a family that
moved counts where it lives, as the registry's pages do). Care records are a flow: what was done
from the period's first day to its last, each record where it was recorded. A family cared for in
two associations' subtrees counts once in `families.cared`, so that figure is distinct.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from fpa.figures.registry import Figure, Period

from .models import CareKind, CareRecord, FamilyKind, FamilyParent, FamilyStatus, SpecialFamily


def families(period: Period) -> QuerySet:
    gone = Q(status__in=[FamilyStatus.MOVED, FamilyStatus.ENDED], status_on__lte=period.day)
    return SpecialFamily.unscoped_objects.filter(recognized_on__lte=period.day).exclude(gone)


def parents(period: Period) -> QuerySet:
    """The parents (特殊家庭成员) of the families on the register that day."""
    day = period.day
    return FamilyParent.objects.filter(since__lte=day, family__in=families(period)).filter(
        Q(until__isnull=True) | Q(until__gt=day)
    )


def care(period: Period) -> QuerySet:
    qs = CareRecord.unscoped_objects.all()
    if period.year is None:
        return qs
    return qs.filter(on__gte=period.start, on__lte=period.end)


FIGURES = [
    Figure("families.special_families", "计生特殊家庭", "户", families),
    *(
        Figure(
            f"families.{kind}",
            label,
            "户",
            families,
            measure=lambda kind=kind: Count("pk", filter=Q(kind=kind)),
        )
        for kind, label in FamilyKind.choices
    ),
    Figure("families.parents", "计生特殊家庭成员", "人", parents, via="family__"),
    Figure("families.care", "关怀服务", "次", care, stock=False),
    *(
        Figure(
            f"families.care.{kind}",
            label,
            "次",
            care,
            stock=False,
            measure=lambda kind=kind: Count("pk", filter=Q(kind=kind)),
        )
        for kind, label in CareKind.choices
    ),
    Figure(
        "families.care_amount",
        "关怀慰问金",
        "元",
        care,
        stock=False,
        measure=lambda: Sum("amount"),
    ),
    Figure(
        "families.cared",
        "得到关怀的特殊家庭",
        "户",
        care,
        additive=False,
        stock=False,
        measure=lambda: Count("family", distinct=True),
    ),
]
