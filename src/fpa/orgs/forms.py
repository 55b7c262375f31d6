from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured

from fpa.core.forms import StyledForm, field_of
from fpa.kernel.scope import Actor

from . import picker
from .models import Kind, Org, OrgYear, ServiceSite
from .services import PROFILE_FIELDS, SITE_FIELDS, YEAR_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProfileForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Org
        fields = PROFILE_FIELDS
        widgets = {"established_on": DATE, "term_start": DATE, "next_election_due": DATE}


class YearForm(StyledForm, forms.ModelForm):
    class Meta:
        model = OrgYear
        fields = YEAR_FIELDS
        widgets = {"party_group_on": DATE}


class SiteForm(StyledForm, forms.ModelForm):
    class Meta:
        model = ServiceSite
        fields = SITE_FIELDS
        widgets = {"opened_on": DATE}


class ChildForm(StyledForm, forms.ModelForm):
    kind = forms.ChoiceField(
        label="类型", choices=[c for c in Kind.choices if c[0] != Kind.TERRITORIAL]
    )

    class Meta:
        model = Org
        fields = ["kind", "name", "status", "established_on", "address"]
        widgets = {"established_on": DATE}


class OrgPicker(forms.TextInput):
    """A text box that suggests orgs in reach as the clerk types (HTMX fills a datalist from
    `orgs:pick`); it shows an org's label, never its code."""

    template_name = "orgs/_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "autocomplete": "off",
                "placeholder": "输入单位名称、拼音首字母或代码",
                **(attrs or {}),
            }
        )


class OrgField(forms.CharField):
    """An org in the actor's reach, chosen by name, pinyin initials or code (`fpa.orgs.picker`).
    The form sets `actor` before it validates or renders."""

    widget = OrgPicker

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault(
            "help_text", "输入名称、拼音首字母（如 hwc）或区划代码的开头，从提示中选择"
        )
        super().__init__(*args, **kwargs)
        self.actor: Actor | None = None

    def clean(self, value: Any) -> Org | None:
        value = super().clean(value)
        if not value:
            return None
        if self.actor is None:
            raise ImproperlyConfigured("OrgField: the form names the actor (ActorForm)")
        try:
            return picker.resolve(self.actor, value)
        except picker.NotFound as exc:
            raise forms.ValidationError(str(exc)) from exc

    def prepare_value(self, value: Any) -> Any:
        """An org, or text that names one in reach, is shown as its label (a drill-down link
        that carries a code shows the name)."""
        if isinstance(value, Org):
            return picker.label_of(value)
        if value and isinstance(value, str) and self.actor is not None and len(value) <= 100:
            try:
                return picker.label_of(picker.resolve(self.actor, value))
            except picker.NotFound:
                return value
        return value


class MergeForm(StyledForm, forms.Form):
    # the successor chosen by name like every other org (its code is still read)
    successor_code = OrgField(label="承继单位")

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "successor_code", OrgField).actor = actor
