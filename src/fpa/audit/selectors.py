"""Reading the audit log within an auditor's reach."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from fpa.core.forms import ascii_int
from fpa.kernel.scope import Actor, subtree_q
from fpa.orgs.models import Org

from . import labels
from .models import LogEntry, LogEntryQuerySet


def _org(actor: Actor, pk: Any) -> Org | None:
    number = ascii_int(pk, digits=12)
    return None if number is None else Org.objects.for_actor(actor).filter(pk=number).first()


def entries(actor: Actor, filters: dict[str, Any]) -> LogEntryQuerySet:
    """The entries the actor may read, narrowed by the audit page's filters."""
    qs = LogEntry.objects.for_actor(actor).select_related("actor", "actor_org")
    if chosen := filters.get("org"):
        # the page's form gives the org; an export job's parameters keep its id
        org = chosen if isinstance(chosen, Org) else _org(actor, chosen)
        qs = qs.filter(subtree_q(org, "actor_org__", False)) if org else qs.none()
    if who := filters.get("actor"):
        qs = qs.filter(Q(actor__username=who) | Q(actor__display_name__contains=who))
    if action := filters.get("action"):
        qs = qs.filter(Q(action__in=labels.actions_named(action)) | Q(action__startswith=action))
    if object_type := filters.get("object_type"):
        qs = qs.filter(object_type=object_type)
    if object_id := filters.get("object_id"):
        qs = qs.filter(object_id=object_id)
    tz = timezone.get_current_timezone()
    if since := filters.get("since"):
        qs = qs.filter(at__gte=datetime.datetime.combine(since, datetime.time.min, tz))
    if until := filters.get("until"):
        end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, tz)
        qs = qs.filter(at__lt=end)
    return qs.order_by("-id")
