"""Writing audit entries: every service call ends with exactly one `record`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import models

from fpa.kernel.scope import Actor

from . import chain
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


SECRET_KEYS = ("password", "secret", "token", "key")


@lru_cache(maxsize=4096)
def _rule(key: str) -> Callable[[str], str] | None:
    """How a value under `key` reaches the log: hidden, masked, or (None) scrubbed as it is."""
    from fpa.core.masking import mask_bank_account, mask_id_number, mask_phone

    name = key.lower()
    if any(s in name for s in SECRET_KEYS):
        return _hidden
    maskers = {"id_number": mask_id_number, "phone": mask_phone, "bank_account": mask_bank_account}
    return next((m for k, m in maskers.items() if k in name), None)


def _hidden(value: str) -> str:
    return "***"


def scrub(data: Any) -> Any:
    """Secrets never reach the log; ID and phone numbers reach it masked."""
    if isinstance(data, dict):
        clean: dict[Any, Any] = {}
        for key, value in data.items():
            rule = _rule(str(key))
            if rule is _hidden:
                clean[key] = "***"
            elif rule is not None:
                clean[key] = (
                    [rule(v) if isinstance(v, str) else v for v in value]
                    if isinstance(value, list)
                    else rule(value)
                    if isinstance(value, str)
                    else value
                )
            else:
                clean[key] = scrub(value)
        return clean
    if isinstance(data, list):
        return [scrub(v) for v in data]
    return data


def record(
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    rows: list | None = None,
) -> LogEntry:
    """Append one audit entry for a service call (who, from where, what, before/after).

    A bulk action passes its rows: still one entry, with the rows attached.
    """
    user = actor.user if actor.user is not None and actor.user.pk else None
    entry = LogEntry(
        actor=user,
        actor_org=actor.org if actor.org.pk else None,
        ip=actor.ip,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=scrub(changes or {}),
        rows=scrub(rows or []),
    )
    return chain.append(entry)


def record_reveal(actor: Actor, obj: models.Model, field: str) -> LogEntry:
    """Showing a full, unmasked ID or phone number is itself an audited action."""
    return record(actor, "fpa.pii.revealed", obj, {"field": field})


def record_api_read(
    actor: Actor,
    model: type[models.Model],
    objects: list[models.Model],
    *,
    single: bool,
    query: dict[str, list[str]],
) -> LogEntry:
    """A read of personal data through the API, audited as a page view is: the object of a
    `retrieve`, or the ids of a `list`'s page with the query that chose them."""
    action = f"fpa.{model._meta.model_name}.viewed"
    if single:
        return record(actor, action, objects[0], {"via": "api"})
    return record(
        actor,
        action,
        None,
        {"via": "api", "model": model._meta.label_lower, "count": len(objects), "query": query},
        rows=[{"id": obj.pk} for obj in objects],
    )
