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

from .models import (
    PerformanceTarget,
    Project,
    ProjectKind,
    ProjectState,
    Purpose,
    Source,
    TargetKind,
)


def _years() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(y, f"{y}年") for y in range(this + 1, this - 6, -1)]


def _this_year() -> int:
    return timezone.localdate().year


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
    year = forms.TypedChoiceField(
        label="年度", choices=_years, coerce=int, required=False, initial=_this_year
    )


class TransferFilter(ActorForm):
    year = forms.TypedChoiceField(
        label="年度", choices=lambda: [("", "全部"), *_years()], coerce=int, required=False
    )
    org = OrgField(label="收款单位（含下级）", required=False, help_text="")
    doc_number = forms.CharField(label="文号", max_length=60, required=False)


class LineForm(ActorForm):
    org = OrgField(label="单位")
    year = forms.TypedChoiceField(label="年度", choices=_years, coerce=int, initial=_this_year)
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


class ProjectFilter(ActorForm):
    year = forms.TypedChoiceField(
        label="年度", choices=lambda: [("", "全部"), *_years()], coerce=int, required=False
    )
    state = forms.ChoiceField(
        label="状态", choices=[("", "全部"), *ProjectState.choices], required=False
    )
    kind = forms.ChoiceField(
        label="类别", choices=[("", "全部"), *ProjectKind.choices], required=False
    )
    org = OrgField(label="申报单位（含下级）", required=False, help_text="")


class ProjectForm(ActorForm):
    org = OrgField(label="申报单位")
    code = forms.CharField(label="项目编号", max_length=30)
    name = forms.CharField(label="项目名称", max_length=100)
    kind = forms.ChoiceField(label="项目类别", choices=ProjectKind.choices)
    year = forms.TypedChoiceField(label="年度", choices=_years, coerce=int, initial=_this_year)
    budget = money_field("申报预算（元）")
    description = forms.CharField(label="项目内容", widget=forms.Textarea, required=False)


class TargetForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label="指标类别", choices=TargetKind.choices)
    name = forms.CharField(label="指标名称", max_length=100)
    target = forms.DecimalField(label="目标值", max_digits=14, decimal_places=2)
    unit = forms.CharField(label="计量单位", max_length=10)
    weight = forms.DecimalField(
        label="分值", max_digits=5, decimal_places=1, min_value=Decimal("0.1"), max_value=100
    )


class MilestoneForm(StyledForm, forms.Form):
    name = forms.CharField(label="节点", max_length=100)
    due_on = forms.DateField(label="计划完成日期", widget=DATE)


class EvaluationForm(StyledForm, forms.Form):
    """The evaluation of an accepted project: an actual value and a score per target."""

    evaluator = forms.CharField(label="评价人", max_length=50)
    on = forms.DateField(label="评价日期", widget=DATE, initial=datetime.date.today)

    def __init__(self, *args: Any, targets: list[PerformanceTarget], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        for t in targets:
            self.fields[f"actual_{t.pk}"] = forms.DecimalField(
                label=f"{t.name}实际值（{t.unit}）", max_digits=14, decimal_places=2
            )
            self.fields[f"score_{t.pk}"] = forms.DecimalField(
                label=f"{t.name}得分（满分 {t.weight}）",
                max_digits=5,
                decimal_places=1,
                min_value=Decimal("0"),
                max_value=t.weight,
            )
        for name in self.fields:
            self.fields[name].widget.attrs["class"] = "form-control"

    def results(self) -> dict[int, tuple[Decimal, Decimal]]:
        data = self.cleaned_data
        return {t.pk: (data[f"actual_{t.pk}"], data[f"score_{t.pk}"]) for t in self.targets}


class MilestoneDoneForm(StyledForm, forms.Form):
    done_on = forms.DateField(label="实际完成日期", widget=DATE)


class SpendForm(StyledForm, forms.Form):
    amount = money_field("金额（元）")
    on = forms.DateField(label="支出日期", widget=DATE, initial=datetime.date.today)
    voucher = forms.CharField(label="凭证号", max_length=60)
    payee = forms.CharField(label="收款方", max_length=100)
    note = forms.CharField(label="用途说明", max_length=200, required=False)
