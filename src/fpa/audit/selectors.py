"""Reading the audit log within an auditor's reach."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from fpa.kernel.scope import Actor, subtree_q
from fpa.orgs.models import Org

from .models import LogEntry, LogEntryQuerySet


def entries(actor: Actor, filters: dict[str, Any]) -> LogEntryQuerySet:
    """The entries the actor may read, narrowed by the audit page's filters."""
    qs = LogEntry.objects.for_actor(actor).select_related("actor", "actor_org")
    if code := filters.get("org"):
        org = Org.objects.for_actor(actor).filter(code=code).first()
        qs = qs.filter(subtree_q(org, "actor_org__", False)) if org else qs.none()
    if username := filters.get("actor"):
        qs = qs.filter(actor__username=username)
    if action := filters.get("action"):
        qs = qs.filter(action__startswith=action)
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
