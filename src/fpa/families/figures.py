"""The special families' figures: families on the register and the care they were given.

Families are a stock read on the period's day, at the org that holds them now (a family that
moved counts where it lives, as the registry's pages do). Care records are a flow: what was done
from the period's first day to its last, each record where it was recorded. A family cared for in
two associations' subtrees counts once in `families.cared`, so that figure is distinct.
The coverage figures (`families.coverage.*`) are the coverage page's counts on the period's day.
"""

from __future__ import annotations

from functools import partial

from django.db.models import Count, Q, QuerySet, Sum

from fpa.figures.registry import Figure, Period, Value
from fpa.kernel.scope import Actor
from fpa.orgs.models import Org

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


#: the coverage page's counts (families.coverage: who has been missed), as registry figures
COVERAGE = {
    "families": "期末在册特殊家庭（按期末所在单位）",
    "gap_visit": "本季度未走访的特殊家庭",
    "gap_emotional": "本期未精神慰藉的特殊家庭",
    "gap_volunteer": "本期无志愿服务的特殊家庭",
    "gap_insurance": "本年度无保险保障的特殊家庭",
    "gap_contact": "双岗联系人不全的特殊家庭",
    "gap_doctor": "无家庭医生签约的特殊家庭",
}


def _coverage_name(key: str) -> str:
    return f"families.coverage.{key.removeprefix('gap_')}"


def coverage(org: Org, period: Period) -> tuple[dict[str, Value], dict[int, dict[str, Value]]]:
    """The coverage page's counts on the period's day, for `org` and each child: the same
    computation (`coverage.by_child_org`, one GROUP BY) as the page and its snapshot job, so
    they are these figures. A family counts where it was held on that day."""
    from .coverage import by_child_org

    rows, totals = by_child_org(Actor.system(org), org, period.day, None)
    named: dict[str, Value] = {_coverage_name(k): totals.get(k, 0) for k in COVERAGE}
    per_child: dict[int, dict[str, Value]] = {
        r["org"].pk: {_coverage_name(k): r.get(k, 0) for k in COVERAGE} for r in rows
    }
    return named, per_child


FIGURES = [
    Figure("families.special_families", "计生特殊家庭", "户", families),
    *(
        Figure(
            f"families.{kind}",
            label,
            "户",
            families,
            measure=partial(Count, "pk", filter=Q(kind=kind)),
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
            measure=partial(Count, "pk", filter=Q(kind=kind)),
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
    *(
        Figure(_coverage_name(key), label, "户", None, computed=coverage)
        for key, label in COVERAGE.items()
    ),
]
