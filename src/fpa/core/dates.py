"""The years a date may fall in: any date a user types (1900–2100, checked by the form base,
`fpa.core.forms`), and the narrower span of a dated or versioned setting (rates, festivals, code
tables, org years: 2000–2100).

A setting dated 0001-01-01 or 9999-12-31 is a typo that would apply to everything or nothing,
and breaks date arithmetic downstream; the database refuses it too, not only the form.
"""

from __future__ import annotations

import datetime

from django import forms
from django.db import models
from django.db.models import Q

from fpa.core.errors import DomainError

#: any date typed into a form or filter (a birth, a visit, a report's end)
ANY_FIRST_YEAR, ANY_LAST_YEAR = 1900, 2100
#: a dated setting
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


class SettingDateField(forms.DateField):
    """The date a setting takes effect: the form base checks it against the setting span
    (`year_span`) with `span_message`, instead of the span of any date."""

    year_span = (FIRST_YEAR, LAST_YEAR)


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
