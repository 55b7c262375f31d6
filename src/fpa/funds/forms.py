from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from fpa.core.forms import StyledForm, field_of
from fpa.kernel.scope import Actor
from fpa.orgs.forms import OrgField
from fpa.people.forms import DATE, ActorForm
from fpa.programs.models import Program

from .models import Project, Purpose, Source


def _years() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(y, f"{y}年") for y in range(this + 1, this - 6, -1)]


def money_field(label: str, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("999999999999.99"),
        **kwargs,
    )


class FundsFilter(ActorForm):
    """The funds page's org and year (the org chosen by name; the clerk's own by default)."""

    org = OrgField(label="单位", required=False, help_text="")
    year = forms.TypedChoiceField(label="年度", choices=_years, coerce=int, required=False)


class TransferFilter(ActorForm):
    year = forms.TypedChoiceField(
        label="年度", choices=lambda: [("", "全部"), *_years()], coerce=int, required=False
    )
    org = OrgField(label="收款单位（含下级）", required=False, help_text="")
    doc_number = forms.CharField(label="文号", max_length=60, required=False)


class LineForm(ActorForm):
    org = OrgField(label="单位")
    year = forms.TypedChoiceField(label="年度", choices=_years, coerce=int)
    source = forms.ChoiceField(label="资金来源", choices=Source.choices)
    purpose = forms.ChoiceField(label="用途", choices=Purpose.choices)
    program = forms.ModelChoiceField(
        label="帮扶项目",
        queryset=Program.unscoped_objects.none(),
        required=False,
        help_text="用途为帮扶项目时选择",
    )
    project = forms.ModelChoiceField(
        label="项目库项目",
        queryset=Project.unscoped_objects.none(),
        required=False,
        help_text="用途为项目库项目时选择",
    )
    amount = money_field("预算金额（元）")
    doc_number = forms.CharField(label="文号", max_length=60, required=False)
    reason = forms.CharField(label="说明", max_length=200, initial="年初预算")
    on = forms.DateField(
        label="日期", widget=DATE, required=False, help_text="默认为该年 1 月 1 日"
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        field_of(self, "program", forms.ModelChoiceField).queryset = Program.objects.for_actor(
            actor
        ).order_by("-year", "code")
        field_of(self, "project", forms.ModelChoiceField).queryset = Project.objects.for_actor(
            actor
        ).order_by("-year", "code")


class ReviseForm(StyledForm, forms.Form):
    amount = money_field("调整后预算（元）")
    on = forms.DateField(label="调整日期", widget=DATE, initial=datetime.date.today)
    doc_number = forms.CharField(label="文号", max_length=60, required=False)
    reason = forms.CharField(label="调整原因", max_length=200)


class TransferForm(ActorForm):
    to_org = OrgField(label="下拨给", help_text="本单位的下级单位，输入名称或拼音首字母")
    amount = money_field("金额（元）")
    doc_number = forms.CharField(label="下达文号", max_length=60)
    on = forms.DateField(label="下达日期", widget=DATE, initial=datetime.date.today)
    note = forms.CharField(label="说明", max_length=200, required=False)
