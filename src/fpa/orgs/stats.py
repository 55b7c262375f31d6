"""Counts over an org's subtree for its page and the dashboard."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from fpa import figures

from .models import PATH_STEP, Level, Org, ServiceSite, SiteKind, Status


def child_counts(org: Org) -> dict[str, dict[str, int]]:
    """For each child's path: descendants, established descendants, service sites (2 queries)."""
    width = len(org.path) + PATH_STEP
    counts: dict[str, dict[str, int]] = defaultdict(
        lambda: {"orgs": 0, "established": 0, "sites": 0}
    )
    descendants = (
        Org.unscoped_objects.filter(path__startswith=org.path, depth__gt=org.depth + 1)
        .exclude(status=Status.ABOLISHED)
        .annotate(prefix=Substr("path", 1, width))
        .values("prefix")
        .annotate(n=Count("id"), est=Count("id", filter=Q(status=Status.ESTABLISHED)))
    )
    for row in descendants:
        counts[row["prefix"]]["orgs"] = row["n"]
        counts[row["prefix"]]["established"] = row["est"]
    for prefix, n in child_sites(org).items():
        counts[prefix]["sites"] = n
    return counts


def child_sites(org: Org) -> dict[str, int]:
    """Open service sites below each child, by the child's path (1 query)."""
    width = len(org.path) + PATH_STEP
    sites = (
        ServiceSite.unscoped_objects.filter(org__path__startswith=org.path, status="open")
        .exclude(org=org)
        .annotate(prefix=Substr("org__path", 1, width))
        .values("prefix")
        .annotate(n=Count("id"))
    )
    return {row["prefix"]: row["n"] for row in sites}


def dashboard(org: Org) -> dict[str, Any]:
    """The figures of the home page for one org's subtree, read through the figure registry."""
    year = timezone.localdate().year
    names = [
        *(f"orgs.{level}" for level in Level.values),
        *(f"orgs.{level}.established" for level in Level.values),
        "orgs.non_territorial",
        "orgs.election_overdue",
        *(f"orgs.sites.{kind}" for kind in SiteKind.values),
    ]
    got = figures.many(names, org, year)
    levels = [
        {
            "level": level,
            "label": label,
            "total": got[f"orgs.{level}"],
            "established": got[f"orgs.{level}.established"],
            "missing": got[f"orgs.{level}"] - got[f"orgs.{level}.established"],
        }
        for level, label in Level.choices
        if got[f"orgs.{level}"]
    ]
    sites = [
        {"kind": k, "label": label, "n": got[f"orgs.sites.{k}"]} for k, label in SiteKind.choices
    ]
    # The list of overdue orgs is not a figure: it names them, ten at most.
    overdue = (
        Org.unscoped_objects.filter(path__startswith=org.path)
        .exclude(status=Status.ABOLISHED)
        .filter(next_election_due__lt=timezone.localdate())
    )
    children = list(Org.unscoped_objects.filter(parent=org).live().order_by("path"))
    # Only the sites per child: the descendant counts of `child_counts` would scan the tree again.
    sites_below = figures.by_child("orgs.sites", org, year)
    chart = {
        "names": [c.name for c in children],
        "sites": [sites_below.get(c.pk, 0) for c in children],
    }
    return {
        "levels": levels,
        "non_territorial": got["orgs.non_territorial"],
        "sites": sites,
        "sites_total": sum(s["n"] for s in sites),
        "overdue_count": got["orgs.election_overdue"],
        "overdue": list(overdue.order_by("next_election_due")[:10]),
        "chart": chart,
    }
