"""Program forms; the detail and rate fields come from the program's benefit rule."""

from __future__ import annotations

import datetime
from typing import Any, TypedDict

from django import forms

from fpa.core import uploads
from fpa.core.dates import SettingDateField
from fpa.core.forms import CleanForm, StyledForm, field_of, safe_message
from fpa.kernel.scope import Actor
from fpa.orgs.models import Level, Org

from . import banks
from .models import (
    STEP_LEVELS,
    ApplicationStatus,
    FundingSource,
    Payee,
    PayeeKind,
    Program,
    ProgramKind,
)
from .rules import Field, rule_for

DATE = forms.DateInput(attrs={"type": "date"})


class _Common(TypedDict):
    label: str
    required: bool
    help_text: str


def rule_field(f: Field) -> forms.Field:
    """A form field for one rule field or parameter."""
    common: _Common = {"label": f.label, "required": f.required, "help_text": f.help}
    if f.type == "date":
        return forms.DateField(widget=DATE, **common)
    if f.type == "decimal":
        return forms.DecimalField(
            max_digits=14,
            decimal_places=4,
            # the label may hold a "%" (年利率（%）); Django %-formats this message
            error_messages={"min_value": safe_message(f"{f.label}不能为负数")},
            min_value=0,
            **common,
        )
    if f.type == "int":
        return forms.IntegerField(**common)
    return forms.CharField(max_length=200, **common)


class ProgramForm(StyledForm, forms.ModelForm):
    levels = forms.MultipleChoiceField(
        label="审批环节",
        choices=[(lv.value, lv.label) for lv in STEP_LEVELS],
        widget=forms.CheckboxSelectMultiple,
        initial=[Level.TOWNSHIP, Level.COUNTY],
        help_text="由下而上逐级办理；最后一级为审批，其余为审核",
    )

    class Meta:
        model = Program
        fields = [
            "code",
            "name",
            "year",
            "funding_source",
            "budget",
            "eligibility",
            "opens_on",
            "closes_on",
            "status",
            "description",
        ]
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in rule_for(kind).params:
            self.fields[f"rate_{f.name}"] = rule_field(f)
            self.fields[f"rate_{f.name}"].widget.attrs["class"] = "form-control"
        field_of(self, "funding_source", forms.ChoiceField).choices = FundingSource.choices
        self.fields["year"] = forms.IntegerField(
            label="年度",
            min_value=2000,
            max_value=2100,
            initial=datetime.date.today().year,
            widget=forms.NumberInput(attrs={"class": "form-control"}),
        )
        self.fields["levels"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "受理截止日期不能早于开始日期")
        return data

    def steps(self) -> list[tuple[str, str]]:
        levels = [lv.value for lv in STEP_LEVELS if lv.value in self.cleaned_data["levels"]]
        return [(lv, "审批" if i == len(levels) - 1 else "审核") for i, lv in enumerate(levels)]

    def rate(self) -> dict[str, Any]:
        return {
            k.removeprefix("rate_"): v
            for k, v in self.cleaned_data.items()
            if k.startswith("rate_")
        }


class RateForm(StyledForm, forms.Form):
    effective_from = SettingDateField(label="生效日期", widget=DATE)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in rule_for(kind).params:
            self.fields[f.name] = rule_field(f)
            self.fields[f.name].widget.attrs["class"] = "form-control"


class SplitForm(StyledForm, forms.Form):
    org = forms.ModelChoiceField(label="分配单位", queryset=Org.unscoped_objects.none())
    basis = forms.ChoiceField(
        label="分配依据",
        choices=[("families", "按在册特殊家庭成员数"), ("equal", "平均分配")],
    )

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "org", forms.ModelChoiceField).queryset = orgs


class ApplicationForm(StyledForm, forms.Form):
    """One application. The beneficiary is given by ID number (or fixed when coming from a
    person page); the money goes to the person's own account or to a registered payee."""

    id_number = forms.CharField(label="申请人身份证号码", max_length=30, required=False)
    payee = forms.ModelChoiceField(
        label="收款方",
        queryset=Payee.unscoped_objects.none(),
        required=False,
        help_text="保险公司、贷款银行或项目账户；发给本人时留空并填写本人账户",
    )
    bank_name = forms.CharField(label="本人开户行", max_length=100, required=False)
    account = forms.CharField(label="本人银行账号", max_length=40, required=False)
    attachment = forms.FileField(
        label="证明材料",
        required=False,
        allow_empty_file=True,  # refused by clean_attachment with a clearer message
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )
    attachment_label = forms.CharField(label="材料说明", max_length=50, required=False)

    def __init__(
        self, *args: Any, program: Program, actor: Actor, fixed_person: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit = uploads.size_text(uploads.max_bytes(uploads.PDF))
        self.fields["attachment"].help_text = f"如 出院小结；jpg、png 或 pdf，最大 {limit}"
        self.rule = rule_for(program.kind)
        if fixed_person:
            del self.fields["id_number"]
        field_of(self, "payee", forms.ModelChoiceField).queryset = (
            Payee.objects.for_actor(actor).exclude(kind=PayeeKind.PERSON).order_by("name")
        )
        for f in self.rule.fields:
            self.fields[f.name] = rule_field(f)
            widget = self.fields[f.name].widget
            widget.attrs["class"] = "form-control"
        # Who and what first, then where the money goes, then the evidence.
        self.order_fields(["id_number", *(f.name for f in self.rule.fields)])

    def clean_attachment(self) -> Any:
        """Refused early, beside the other fields' errors; the filing service checks again."""
        upload = self.cleaned_data.get("attachment")
        if upload is None:
            return None
        try:
            uploads.check(upload, uploads.ATTACHMENT)
        except uploads.UploadRefused as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload

    def details(self) -> dict[str, Any]:
        return {f.name: self.cleaned_data.get(f.name) for f in self.rule.fields}


class DetailsForm(StyledForm, forms.Form):
    """The rule's fields alone: correcting a returned application."""

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule = rule_for(program.kind)
        for f in self.rule.fields:
            self.fields[f.name] = rule_field(f)
            self.fields[f.name].widget.attrs["class"] = "form-control"

    def details(self) -> dict[str, Any]:
        return {f.name: self.cleaned_data.get(f.name) for f in self.rule.fields}


#: what a step may decide, and how the page names it
DECISIONS = {"approve": "同意", "return": "退回修改", "reject": "不予批准"}


class DecisionForm(CleanForm):
    action = forms.ChoiceField(choices=list(DECISIONS.items()))
    reason = forms.CharField(max_length=200, required=False)
    version = forms.IntegerField(required=False)


class ApplicationFilter(StyledForm, forms.Form):
    program = forms.ModelChoiceField(
        label="项目", queryset=Program.unscoped_objects.none(), required=False
    )
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部"), *ApplicationStatus.choices], required=False
    )
    number = forms.CharField(label="申请编号", max_length=30, required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programs = Program.objects.for_actor(actor).order_by("-year", "code")
        field_of(self, "program", forms.ModelChoiceField).queryset = programs


def this_month() -> str:
    return datetime.date.today().strftime("%Y-%m")


class BatchForm(StyledForm, forms.Form):
    program = forms.ModelChoiceField(label="项目", queryset=Program.unscoped_objects.none())
    county = forms.ModelChoiceField(label="县（市、区）", queryset=Org.unscoped_objects.none())
    period = forms.CharField(label="发放期间", max_length=7, help_text="年-月，如 2021-06")
    bank = forms.ChoiceField(label="银行文件格式", choices=banks.CHOICES)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"period": this_month()})
        super().__init__(*args, **kwargs)
        programs = Program.objects.for_actor(actor).order_by("-year", "code")
        field_of(self, "program", forms.ModelChoiceField).queryset = programs
        field_of(self, "county", forms.ModelChoiceField).queryset = (
            Org.objects.for_actor(actor).filter(level=Level.COUNTY).order_by("path")
        )


class ExportForm(StyledForm, forms.Form):
    control_count = forms.IntegerField(label="核对笔数", min_value=0)
    control_total = forms.DecimalField(label="核对合计金额（元）", max_digits=14, decimal_places=2)


class ReissueForm(StyledForm, forms.Form):
    period = forms.CharField(label="重新发放期间", max_length=7, help_text="年-月")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"period": this_month()})
        super().__init__(*args, **kwargs)


class AccountForm(StyledForm, forms.Form):
    bank_name = forms.CharField(label="开户行", max_length=100)
    account = forms.CharField(label="银行账号", max_length=40)


class ClaimForm(StyledForm, forms.Form):
    claimed_on = forms.DateField(label="理赔日期", widget=DATE)
    amount = forms.DecimalField(label="保险公司赔付（元）", max_digits=14, decimal_places=2)
    note = forms.CharField(label="说明", max_length=200, required=False)


class KindForm(CleanForm):
    kind = forms.ChoiceField(choices=ProgramKind.choices)
