from __future__ import annotations

from typing import Any

from django import forms

from fpa.core.errors import DomainError


class StyledForm:
    """Gives every widget the admin kit's classes, so templates can render fields plainly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css


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
