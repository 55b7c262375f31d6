"""Writing audit entries: every service call ends with exactly one `record`."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import models

from fpa.core.scope import Actor

from .models import LogEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime.date, datetime.datetime, Decimal)):
        return str(value)
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields that changed, as {field: [before, after]}."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in after
        if _plain(before.get(key)) != _plain(after.get(key))
    }


def record(
    actor: Actor, action: str, obj: models.Model | None = None, changes: dict | None = None
) -> LogEntry:
    """Append one audit entry for a service call (who, from where, what, before/after)."""
    user = actor.user if actor.user is not None and actor.user.pk else None
    return LogEntry.objects.create(
        actor=user,
        actor_org=actor.org if actor.org.pk else None,
        ip=actor.ip,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=changes or {},
    )
