"""The association tree's figures: associations by level and whether established, service
sites, and the yearly facts (编制, 党组, 一级预算单位, 预算).

All are stocks. An org is live unless abolished by the period's day; it is established if its
status says so (the tree keeps no dated history of founding). A year still running reads today's
statuses, so the home page shows what the tree holds now. The yearly facts are the year's own.
"""

from __future__ import annotations

from functools import partial

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from fpa.figures.registry import Figure, Period

from .models import Kind, Level, Org, OrgYear, ServiceSite, SiteKind, SiteStatus, Status


def live_orgs(period: Period) -> QuerySet:
    qs = Org.unscoped_objects.all()
    if period.current:
        return qs.exclude(status=Status.ABOLISHED)
    return qs.exclude(abolished_on__lte=period.day).exclude(
        status=Status.ABOLISHED, abolished_on=None
    )


def overdue_orgs(period: Period) -> QuerySet:
    return live_orgs(period).filter(next_election_due__lt=period.day)


def open_sites(period: Period) -> QuerySet:
    qs = ServiceSite.unscoped_objects.filter(status=SiteStatus.OPEN)
    if period.current:
        return qs
    return qs.exclude(opened_on__gt=period.day)


def yearly_facts(period: Period) -> QuerySet:
    """Each org's facts of the year (编制, 党组, 预算): a fact has no whole-record sum, so
    `year=None` reads the running year's."""
    return OrgYear.unscoped_objects.filter(year=period.year or timezone.localdate().year)


def _level(level: str, label: str) -> list[Figure]:
    territorial = Q(kind=Kind.TERRITORIAL, level=level)
    return [
        Figure(
            f"orgs.{level}",
            f"{label}计生协",
            "个",
            live_orgs,
            path="path",
            measure=lambda: Count("pk", filter=territorial),
        ),
        Figure(
            f"orgs.{level}.established",
            f"已成立的{label}计生协",
            "个",
            live_orgs,
            path="path",
            measure=lambda: Count("pk", filter=territorial & Q(status=Status.ESTABLISHED)),
        ),
    ]


FIGURES = [
    *(fig for level, label in Level.choices for fig in _level(level, label)),
    Figure("orgs.associations", "计生协（各级各类）", "个", live_orgs, path="path"),
    Figure(
        "orgs.associations.established",
        "已成立的计生协（各级各类）",
        "个",
        live_orgs,
        path="path",
        measure=lambda: Count("pk", filter=Q(status=Status.ESTABLISHED)),
    ),
    Figure(
        "orgs.non_territorial",
        "非区划计生协",
        "个",
        live_orgs,
        path="path",
        measure=lambda: Count("pk", filter=~Q(kind=Kind.TERRITORIAL)),
    ),
    Figure("orgs.election_overdue", "换届逾期的计生协", "个", overdue_orgs, path="path"),
    Figure("orgs.sites", "阵地", "个", open_sites),
    *(
        Figure(name, label, unit, yearly_facts, via="org__", path="path", measure=measure)
        for name, label, unit, measure in [
            (
                "orgs.establishment",
                "编制",
                "人",
                lambda: Sum(F("establishment_admin") + F("establishment_public_service")),
            ),
            ("orgs.establishment_admin", "行政编制", "人", lambda: Sum("establishment_admin")),
            (
                "orgs.party_groups",
                "设立党组的计生协",
                "个",
                lambda: Count("pk", filter=Q(party_group=True)),
            ),
            (
                "orgs.first_level_budget_units",
                "一级财政预算单位的计生协",
                "个",
                lambda: Count("pk", filter=Q(first_level_budget_unit=True)),
            ),
            ("orgs.budget", "各级计生协年度预算", "元", lambda: Sum("budget")),
        ]
    ),
    *(
        Figure(
            f"orgs.sites.{kind}",
            label,
            "个",
            open_sites,
            measure=partial(Count, "pk", filter=Q(kind=kind)),
        )
        for kind, label in SiteKind.choices
    ),
]
