"""Rebuilding the registry's counters from its records (after a bulk load, or to check them)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count

from fpa.kernel import counters

from .models import MEMBERS, PERSONS, Membership, Person


@transaction.atomic
def recount_people() -> dict[str, int]:
    persons = Person.unscoped_objects.exclude(status="merged").values("org_id")
    members = Membership.unscoped_objects.filter(status="active").values("org_id")
    totals = {}
    for key, qs in ((PERSONS, persons), (MEMBERS, members)):
        rows = list(qs.annotate(n=Count("id")).values_list("org_id", "n"))
        counters.recount(key, rows)
        totals[key] = sum(n for _, n in rows)
    return totals
