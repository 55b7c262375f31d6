"""The association tree's figures: associations by level and whether established, service sites.

All are stocks read on the period's day. An org is live unless abolished by then; it is
established if its status says so (the tree keeps no dated history of founding). A year still
running reads today's statuses, so the home page shows what the tree holds now.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from fpa.figures.registry import Figure, Period

from .models import Kind, Level, Org, ServiceSite, SiteKind, SiteStatus, Status


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
        Figure(
            f"orgs.sites.{kind}",
            label,
            "个",
            open_sites,
            measure=lambda kind=kind: Count("pk", filter=Q(kind=kind)),
        )
        for kind, label in SiteKind.choices
    ),
]
