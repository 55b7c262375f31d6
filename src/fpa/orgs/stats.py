"""Counts over an org's subtree for its page and the dashboard."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from fpa import figures
from fpa.figures.registry import Value

from .models import Level, Org, SiteKind, Status


def child_counts(org: Org) -> dict[int, dict[str, Value]]:
    """For each child (by pk): live orgs below it, established ones below it, open service sites
    in its subtree — registry figures read for every child at once."""
    year = timezone.localdate().year
    names = ["orgs.associations", "orgs.associations.established", "orgs.sites"]
    got = figures.by_child_many(names, org, year)
    counts = {}
    for pk, status in Org.unscoped_objects.filter(parent=org).values_list("pk", "status"):
        # The figures count the child itself; the page counts what is below it.
        counts[pk] = {
            "orgs": got["orgs.associations"][pk] - (status != Status.ABOLISHED),
            "established": got["orgs.associations.established"][pk]
            - (status == Status.ESTABLISHED),
            "sites": got["orgs.sites"][pk],
        }
    return counts


#: the headline figures of every module on the home page, for a village as for the province
#: (figure, the page that lists it, that page's arguments)
HEADLINES: list[tuple[str, str, tuple[str, ...]]] = [
    ("people.persons", "people:persons", ()),
    ("people.members", "people:members", ()),
    ("people.volunteers", "people:positions", ("volunteer",)),
    ("families.special_families", "families:list", ()),
    ("families.cared", "families:coverage", ()),
    ("programs.reached", "programs:list", ()),
    ("programs.paid", "programs:list", ()),
    ("funds.budget", "funds:home", ()),
    ("orgs.sites", "orgs:tree", ()),
]


def headlines(org: Org, year: int) -> list[dict[str, Any]]:
    """The headline figures of `org`'s subtree for `year`, from the registry, each with the page
    that lists what it counts."""
    got = figures.many([name for name, _, _ in HEADLINES], org, year)
    return [
        {"figure": figures.get(name), "value": got[name], "url": reverse(url, args=args)}
        for name, url, args in HEADLINES
    ]


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
        "unit": "个",
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
