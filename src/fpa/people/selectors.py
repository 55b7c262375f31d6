"""The registry's lists: scoped, filtered, searched only in ways an index can answer.

Search accepts an exact name or a surname prefix (姓名 / 姓), pinyin initials, the last four
characters of the document number, or a card number. A 2-character Chinese substring in the
middle of a name is not offered: no index answers it at province scale.

Lists of persons are in pinyin order (`name_order`): the stored initials, then the name, so 安
冯 何 余 张 and not the code points' 何 余 冯. The initials indexes (`person_county_initials`,
`person_initials`) give that order a county or the province at a time, PostgreSQL sorting only
the names that share their initials; a township or village sorts its few thousand rows. A search
by the start of a name keeps the name order: its matches share the typed start, the name index
walks them in that order, and sorting a province's 王 by initials instead costs a sort of every
match (docs/people.md, "Name order").
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db.models import Q, QuerySet

from fpa.kernel.scope import Actor, subtree_q
from fpa.orgs.models import Org

from .models import Membership, Person, Relocation
from .positions_services import KINDS as POSITION_KINDS

CARD = re.compile(r"^\d{14}$")
LAST4 = re.compile(r"^\d{3}[\dXx]$")
INITIALS = re.compile(r"^[A-Za-z]{1,20}$")


def _by_name(q: str) -> bool:
    """Whether the search `q` is the start of a name (not a card, last four or initials)."""
    return not (CARD.match(q) or LAST4.match(q) or INITIALS.match(q))


def search_q(q: str, prefix: str = "") -> Q:
    q = q.strip()
    if CARD.match(q):
        return Q(**{f"{prefix}memberships__card_number": q}) if prefix == "" else Q(card_number=q)
    if LAST4.match(q):
        return Q(**{f"{prefix}id_number_last4": q.upper()})
    # A string sorts after its own prefix in every collation, so `>= q` is always true of a match;
    # it lets PostgreSQL start a name-ordered index walk at q instead of at the first name.
    if INITIALS.match(q):
        return Q(
            **{f"{prefix}initials__startswith": q.lower(), f"{prefix}initials__gte": q.lower()}
        )
    return Q(**{f"{prefix}name__startswith": q, f"{prefix}name__gte": q})


def name_order(filters: dict[str, Any], prefix: str = "") -> tuple[str, ...]:
    """How a list of persons (reached through `prefix`) is ordered: pinyin initials, name, id;
    a search by the start of a name in name order, which its index walks (module docstring)."""
    q = (filters.get("q") or "").strip()
    if q and _by_name(q):
        return (f"{prefix}name", "id")
    return (f"{prefix}initials", f"{prefix}name", "id")


def _age_q(band: str, prefix: str) -> Q:
    low, high = (int(x) for x in band.split("-"))
    today = datetime.date.today()
    latest = today.replace(year=today.year - low)
    earliest = today.replace(year=today.year - high - 1) + datetime.timedelta(days=1)
    return Q(**{f"{prefix}birth_date__lte": latest, f"{prefix}birth_date__gte": earliest})


def _common(qs: QuerySet, filters: dict[str, Any], prefix: str) -> QuerySet:
    if filters.get("q"):
        qs = qs.filter(search_q(filters["q"], prefix))
    if filters.get("org"):
        qs = qs.filter(subtree_q(filters["org"], "org__"))
    if filters.get("gender"):
        qs = qs.filter(**{f"{prefix}gender": filters["gender"]})
    if filters.get("age"):
        qs = qs.filter(_age_q(filters["age"], prefix))
    return qs


def persons(actor: Actor, filters: dict[str, Any]) -> QuerySet:
    qs: QuerySet[Person] = (
        Person.objects.for_actor(actor).exclude(status="merged").select_related("org")
    )
    qs = _common(qs, filters, "")
    if CARD.match((filters.get("q") or "").strip()):
        qs = qs.distinct()  # only the card search joins memberships
    return qs.order_by(*name_order(filters))


def members(actor: Actor, filters: dict[str, Any]) -> QuerySet:
    # Scoping the person too (members live where their membership is) lets PostgreSQL walk the
    # person's (county, initials) index in page order where that beats sorting a county's
    # members (on 1,000,000 persons it sorts 长沙县's either way: docs/people.md).
    qs: QuerySet[Membership] = (
        Membership.objects.for_actor(actor)
        .filter(subtree_q(actor.org, "person__org__"))
        .select_related("person", "org")
    )
    qs = _common(qs, filters, "person__")
    # The member roll is of active members unless another status is asked for.
    qs = qs.filter(status=filters.get("status") or "active")
    if filters.get("joined_year"):
        qs = qs.filter(joined_on__year=filters["joined_year"])
    return qs.order_by(*name_order(filters, "person__"))


def positions(actor: Actor, kind: str, filters: dict[str, Any]) -> QuerySet:
    """Holders of one position (volunteer, council, staff, officer) in reach, in pinyin order."""
    qs = POSITION_KINDS[kind].objects.for_actor(actor).select_related("person", "org")
    if filters.get("q"):
        qs = qs.filter(search_q(filters["q"], "person__"))
    if filters.get("org"):
        qs = qs.filter(subtree_q(filters["org"], "org__"))
    return qs.order_by(*name_order(filters, "person__"))


def relocations(actor: Actor, direction: str) -> QuerySet:
    """Relocation requests, newest first: "out" are those the actor's orgs must decide (the
    person is theirs), "in" those the actor's orgs sent (the person is not theirs to see)."""
    side = "from_org__in" if direction == "out" else "to_org__in"
    reach = Org.objects.for_actor(actor)
    qs = Relocation.objects.filter(**{side: reach})
    return qs.select_related("to_org", "from_org", "person").order_by("-requested_at", "-id")
