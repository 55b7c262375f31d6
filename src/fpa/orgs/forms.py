from __future__ import annotations

from django import forms

from fpa.core.forms import StyledForm

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


class MergeForm(StyledForm, forms.Form):
    successor_code = forms.CharField(
        label="承继单位区划代码",
        max_length=12,
        min_length=12,
        help_text="12 位统计用区划代码，例如 430121001000",
    )
