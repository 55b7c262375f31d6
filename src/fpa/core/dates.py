"""The span a dated or versioned setting may fall in (rates, festivals, code tables, org years).

A setting dated 0001-01-01 or 9999-12-31 is a typo that would apply to everything or nothing,
and breaks date arithmetic downstream; the database refuses it too, not only the form.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from fpa.core.errors import DomainError

FIRST_YEAR = 2000
LAST_YEAR = 2100
FIRST_DAY = datetime.date(FIRST_YEAR, 1, 1)
LAST_DAY = datetime.date(LAST_YEAR, 12, 31)


def span_message(label: str) -> str:
    return f"{label}须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间"


def in_span(value: datetime.date | int) -> bool:
    if isinstance(value, int):
        return FIRST_YEAR <= value <= LAST_YEAR
    return FIRST_DAY <= value <= LAST_DAY


def check_span(value: datetime.date | int | None, label: str, field: str | None = None) -> None:
    """Refuse, as a field error in Chinese, a date or year outside 2000–2100 (None passes)."""
    if value is not None and not in_span(value):
        raise DomainError(span_message(label), field=field)


def span_constraint(
    model: str, field: str, label: str, *, year: bool = False
) -> models.CheckConstraint:
    """The same rule as a check constraint; a nullable column passes when NULL."""
    low, high = (FIRST_YEAR, LAST_YEAR) if year else (FIRST_DAY, LAST_DAY)
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=f"{model}_{field}_span",
        violation_error_message=span_message(label),
    )
