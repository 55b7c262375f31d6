"""What the donation pages read: the register as its filters say, a campaign's money by child
org, and what a person received."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from fpa.kernel.scope import Actor, subtree_q
from fpa.orgs.models import Org

from .models import Campaign, Distribution, Donation, DonationReceipt

ZERO = Decimal("0.00")


def campaigns_for(actor: Actor) -> Any:
    """The campaigns a clerk may name: those of their subtree and of the orgs above them (a
    county receives gifts for the province's campaign)."""
    above = [actor.org.path[:end] for end in range(len(actor.org.path), 0, -5)]
    return (
        (Campaign.unscoped_objects.filter(org__path__in=above) | Campaign.objects.for_actor(actor))
        .select_related("org")
        .order_by("-starts_on", "pk")
    )


def donations_of(actor: Actor, filters: dict[str, Any]) -> Any:
    """The register: gifts received in the actor's subtree, newest first, as the filters say."""
    qs = Donation.objects.for_actor(actor)
    if filters.get("year"):
        # The year is the received date's (the services set it so): as a date range the page
        # stays one range of the newest-first index.
        year = filters["year"]
        qs = qs.filter(
            received_on__gte=datetime.date(year, 1, 1), received_on__lte=datetime.date(year, 12, 31)
        )
    if filters.get("org"):
        qs = qs.filter(subtree_q(filters["org"], "org__"))
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("restricted") == "yes":
        qs = qs.filter(restricted=True)
    elif filters.get("restricted") == "no":
        qs = qs.filter(restricted=False)
    if filters.get("campaign"):
        qs = qs.filter(campaign=filters["campaign"])
    if filters.get("lacking"):
        qs = lacking_receipt(qs)
    return qs.select_related("org", "donor", "campaign", "project", "receipt").order_by(
        "-received_on", "-pk"
    )


def lacking_receipt(qs: Any) -> Any:
    """Named gifts with no valid receipt (an anonymous gift has nobody to issue one to)."""
    return qs.filter(receipt__isnull=True, donor__isnull=False)


def receipts_of(actor: Actor, filters: dict[str, Any]) -> Any:
    qs = DonationReceipt.objects.for_actor(actor)
    if filters.get("year"):
        qs = qs.filter(issued_on__year=filters["year"])
    if filters.get("org"):
        qs = qs.filter(subtree_q(filters["org"], "org__"))
    if filters.get("number"):
        qs = qs.filter(number__contains=filters["number"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return qs.select_related("org", "donation__donor", "replaces").order_by("-issued_on", "-pk")


def distributions_of(actor: Actor, filters: dict[str, Any]) -> Any:
    qs = Distribution.objects.for_actor(actor)
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("org"):
        qs = qs.filter(subtree_q(filters["org"], "org__"))
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("campaign"):
        qs = qs.filter(campaign=filters["campaign"])
    return qs.select_related("org", "person", "recipient_org", "campaign", "project").order_by(
        "-on", "-pk"
    )


@dataclass
class Money:
    raised: Decimal = ZERO
    cash: Decimal = ZERO
    goods: Decimal = ZERO
    distributed: Decimal = ZERO
    gifts: int = 0
    given: int = 0

    @property
    def remaining(self) -> Decimal:
        return self.raised - self.distributed


@dataclass
class CampaignSummary:
    total: Money
    own: Money
    children: list[tuple[Org, Money]] = field(default_factory=list)


#: the ancestor column that names a row's child of an org of this level
CHILD_COLUMN = {"province": "city_id", "city": "county_id", "county": "township_id"}


def _child_of(org: Org, rows: dict[Any, Money]) -> tuple[Money, list[tuple[Org, Money]]]:
    """Rows keyed by org id (or the child's id where an ancestor column gave it) folded into
    the org's own money and each child's."""
    width = len(org.path) + 5
    orgs = {o.pk: o for o in Org.unscoped_objects.filter(pk__in=list(rows)).only("pk", "path")}
    by_path: dict[str, Money] = defaultdict(Money)
    own = Money()
    for pk, money in rows.items():
        path = orgs[pk].path if pk in orgs else ""
        target = own if len(path) <= len(org.path) else by_path[path[:width]]
        for name in ("raised", "cash", "goods", "distributed", "gifts", "given"):
            setattr(target, name, getattr(target, name) + getattr(money, name))
    children = Org.unscoped_objects.filter(path__in=list(by_path)).order_by("path")
    return own, [(child, by_path[child.path]) for child in children]


def campaign_summary(campaign: Campaign) -> CampaignSummary:
    """Raised (cash and goods), distributed and remaining, the campaign org's own and each
    child's subtree, from two grouped queries (one per table)."""
    org = campaign.org
    column = CHILD_COLUMN.get(org.level) if org.kind == "territorial" else None
    rows: dict[Any, Money] = defaultdict(Money)

    def key(row: dict[str, Any]) -> Any:
        # A row below a territorial child carries the child's id in the ancestor column; a row
        # of the org itself (or a non-territorial unit) is placed through its own org.
        return (row.get(column) if column else None) or row["org_id"]

    group = [column, "org_id"] if column else ["org_id"]
    for row in (
        Donation.unscoped_objects.filter(campaign=campaign)
        .values(*group, "kind")
        .annotate(amount=Sum("amount"), n=Count("pk"))
        .order_by()
    ):
        money = rows[key(row)]
        money.raised += row["amount"]
        money.gifts += row["n"]
        if row["kind"] == "cash":
            money.cash += row["amount"]
        else:
            money.goods += row["amount"]
    for row in (
        Distribution.unscoped_objects.filter(campaign=campaign)
        .values(*group)
        .annotate(amount=Sum("amount"), n=Count("pk"))
        .order_by()
    ):
        money = rows[key(row)]
        money.distributed += row["amount"]
        money.given += row["n"]
    own, children = _child_of(org, rows)
    total = Money()
    for part in [own, *(m for _, m in children)]:
        for name in ("raised", "cash", "goods", "distributed", "gifts", "given"):
            setattr(total, name, getattr(total, name) + getattr(part, name))
    return CampaignSummary(total, own, children)


def campaign_totals(campaign_ids: list[int]) -> dict[int, Money]:
    """Raised and distributed of each campaign of a list's page: two grouped queries."""
    out: dict[int, Money] = {pk: Money() for pk in campaign_ids}
    gifts = (
        Donation.unscoped_objects.filter(campaign_id__in=campaign_ids)
        .values("campaign_id")
        .annotate(amount=Sum("amount"), n=Count("pk"))
        .order_by()
    )
    for row in gifts:
        out[row["campaign_id"]].raised = row["amount"]
        out[row["campaign_id"]].gifts = row["n"]
    given = (
        Distribution.unscoped_objects.filter(campaign_id__in=campaign_ids)
        .values("campaign_id")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    for row in given:
        out[row["campaign_id"]].distributed = row["amount"]
    return out


def received_by(person: Any) -> list[Distribution]:
    """What a person received, whoever gave it (the caller found the person in reach: what was
    given to them is theirs to see, though the giver may be an org above the clerk)."""
    return list(
        Distribution.unscoped_objects.filter(person=person)
        .select_related("org", "campaign", "project")
        .order_by("-on", "-pk")[:200]
    )
