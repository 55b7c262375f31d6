from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured

from fpa.core.forms import FULL_WIDTH, StyledForm, ascii_int
from fpa.kernel.scope import Actor

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


class OrgCodeField(forms.CharField):
    """An org named by its 12-digit code (or its number for non-territorial orgs), in reach."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("help_text", "12 位区划代码，如 430121001001")
        super().__init__(*args, **kwargs)
        self.actor: Actor | None = None

    def clean(self, value: Any) -> Org | None:
        value = super().clean(value)
        if not value:
            return None
        # ASCII digits only ("²".isdigit() is true); full-width ones as typed by an IME count.
        number = ascii_int(value, digits=12)
        if self.actor is None:
            raise ImproperlyConfigured("OrgCodeField: the form names the actor (ActorForm)")
        scoped = Org.objects.for_actor(self.actor).live()
        code = value.translate(FULL_WIDTH)
        org = scoped.filter(code=code).first() if len(code) == 12 else None
        if org is None and number is not None and len(code) < 12:
            org = scoped.filter(pk=number).first()
        if org is None:
            raise forms.ValidationError("在您的管辖范围内找不到该单位")
        return org


class MergeForm(StyledForm, forms.Form):
    successor_code = forms.CharField(
        label="承继单位区划代码",
        max_length=12,
        min_length=12,
        help_text="12 位统计用区划代码，例如 430121001000",
    )
