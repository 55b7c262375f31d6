"""The shared form base: styling, and one cleaning step every form's fields go through.

The cleaning step stands between the browser and each field's own cleaning, so that no value
reaches a parser or the database in a shape that fails there (a 500) instead of on the form:
control characters are refused, full-width digits become ASCII before a number, date or id is
parsed, ids are ASCII digits of a bounded length, integers stay within a database integer, and
dates within 1900–2100. Forms get it by inheriting `StyledForm`; the API and the views that read
a raw parameter use `ascii_int`, `refuse_control` and `CONTROL_MESSAGE` from here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms

from fpa.core.dates import ANY_FIRST_YEAR as FIRST_YEAR
from fpa.core.dates import ANY_LAST_YEAR as LAST_YEAR
from fpa.core.dates import span_message
from fpa.core.errors import DomainError

CONTROL_MESSAGE = "含有不可见的控制字符，请删除后重新输入"
DATE_MESSAGE = "日期须在 1900 年至 2100 年之间"
CHOICE_MESSAGE = "请选择有效的选项"
INTEGER_MESSAGE = "数值超出范围"
#: C0 control characters (tab allowed anywhere; newline and carriage return in a text area)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
#: full-width digits and signs, as a Chinese input method types them, to their ASCII forms
FULL_WIDTH = str.maketrans("０１２３４５６７８９－＋．：", "0123456789-+.:")
ASCII_ID = re.compile(r"[0-9]{1,18}")
DB_INT = 2**31 - 1  # a PostgreSQL integer column, the narrowest the models use
#: a `%` in a label put into a message that Django formats with `%` (e.g. "年利率（%）")
STRAY_PERCENT = re.compile(r"(?<!%)%(?![(%])")


def ascii_int(value: Any, digits: int = 18) -> int | None:
    """A parameter as an id or number: ASCII digits only (full-width ones accepted), bounded.

    `str.isdigit()` is true for "²" and `int()` takes "٣"; neither is a number here."""
    text = str(value or "").strip().translate(FULL_WIDTH)
    if len(text) > digits or not ASCII_ID.fullmatch(text):
        return None
    return int(text)


def refuse_control(value: str, multiline: bool = False) -> None:
    """Raise a field error for a control character (NUL and the like) in a typed value."""
    if (CONTROL if multiline else CONTROL_LINE).search(value):
        raise forms.ValidationError(CONTROL_MESSAGE, code="control")


def posted_text(data: Any, name: str, max_length: int, *, multiline: bool = False) -> str:
    """A text parameter that a view reads without a form, with the forms' checks (control
    characters, the column's length: PostgreSQL refuses a longer value where SQLite keeps it);
    the refusal is a DomainError on the field, shown as the view shows a service's."""
    value = str(data.get(name, ""))
    if (CONTROL if multiline else CONTROL_LINE).search(value):
        raise DomainError(CONTROL_MESSAGE, field=name)
    if len(value.strip()) > max_length:
        raise DomainError(f"不能超过 {max_length} 个字符", field=name)
    return value


def posted_date(data: Any, name: str, message: str) -> datetime.date:
    """A date parameter read without a form: ISO, within the forms' years, else `message`."""
    try:
        value = datetime.date.fromisoformat(str(data.get(name, "")).translate(FULL_WIDTH))
    except ValueError as exc:
        raise DomainError(message, field=name) from exc
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise DomainError(DATE_MESSAGE, field=name)
    return value


def safe_message(text: str) -> str:
    """A message Django will `%`-format, with a stray `%` (from a label) doubled."""
    return STRAY_PERCENT.sub("%%", text)


def _numeric(field: forms.Field) -> bool:
    return isinstance(
        field,
        forms.IntegerField
        | forms.DecimalField
        | forms.FloatField
        | forms.DateField
        | forms.DateTimeField
        | forms.ModelChoiceField,
    )


def _pk_is_integer(field: forms.ModelChoiceField[Any]) -> bool:
    if field.to_field_name or field.queryset is None:
        return False
    target = field.queryset.model._meta.pk
    return target is not None and target.get_internal_type() in (
        "AutoField",
        "BigAutoField",
        "IntegerField",
        "BigIntegerField",
    )


def _before(field: forms.Field, value: Any) -> Any:
    multiline = isinstance(field.widget, forms.Textarea)
    values = value if isinstance(value, list | tuple) else [value]
    for item in values:
        if isinstance(item, str):
            refuse_control(item, multiline)
    if _numeric(field):
        values = [v.strip().translate(FULL_WIDTH) if isinstance(v, str) else v for v in values]
    if isinstance(field, forms.ModelChoiceField) and _pk_is_integer(field):
        for item in values:
            # a typed or posted id (an object given by code is the field's own business)
            if isinstance(item, str) and item not in field.empty_values and ascii_int(item) is None:
                raise forms.ValidationError(CHOICE_MESSAGE, code="invalid_choice")
    return values if isinstance(value, list | tuple) else values[0]


def _after(field: forms.Field, cleaned: Any) -> Any:
    low, high = getattr(field, "year_span", (FIRST_YEAR, LAST_YEAR))
    if isinstance(cleaned, datetime.date) and not low <= cleaned.year <= high:
        message = DATE_MESSAGE if (low, high) == (FIRST_YEAR, LAST_YEAR) else None
        raise forms.ValidationError(
            message or safe_message(span_message(str(field.label or "日期"))), code="date_range"
        )
    if (
        isinstance(field, forms.IntegerField)
        and isinstance(cleaned, int)
        and field.max_value is None
        and abs(cleaned) > DB_INT
    ):
        raise forms.ValidationError(INTEGER_MESSAGE, code="int_range")
    return cleaned


def guard(field: forms.Field) -> None:
    """Put the shared cleaning around one field's own (once; fields are copied per form)."""
    if getattr(field, "_guarded", False):
        return
    original: Callable[[Any], Any] = field.clean
    field.error_messages = {k: safe_message(str(v)) for k, v in field.error_messages.items()}

    def clean(value: Any, *initial: Any) -> Any:  # a FileField takes its initial value too
        return _after(field, original(_before(field, value), *initial))

    field.clean = clean  # type: ignore[method-assign]
    field._guarded = True  # type: ignore[attr-defined]


class StyledForm:
    """The base of every form: the admin kit's classes on each widget, so templates can render
    fields plainly, and the shared cleaning (above) on each field, whenever it was added."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def full_clean(self) -> None:
        # Here rather than in __init__: subclasses add fields after the base's __init__ runs.
        for field in self.fields.values():  # type: ignore[attr-defined]
            guard(field)
        super().full_clean()  # type: ignore[misc]


class CleanForm(StyledForm, forms.Form):
    """A plain form with the shared cleaning, for the few forms that render no widgets."""


_Field = TypeVar("_Field", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[_Field]) -> _Field:
    """The form's own copy of a field, as the kind it was declared, to set its choices or
    queryset for this request (`form.fields` only promises a plain field)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a service's refusal on the form: on the field it names, else above the form."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def error_text(form: forms.BaseForm) -> str:
    """A form's errors in one line, each after its field's label (for a flash message)."""
    return "；".join(
        f"{form.fields[k].label}：{e}" if k in form.fields else str(e)
        for k, errors in form.errors.items()
        for e in errors
    )
