"""The donation pages' forms: the register's filters, a gift, a receipt, a campaign, a
distribution (its recipient found by ID number, the gifts it draws on picked with what they
have left)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms

from fpa.core.fields import lookup
from fpa.core.forms import StyledForm, field_of
from fpa.kernel.scope import Actor
from fpa.orgs.forms import OrgField
from fpa.orgs.models import Org
from fpa.people.forms import DATE, ActorForm
from fpa.people.models import Person

from .donation_selectors import campaigns_for
from .donations import ANONYMOUS, DistributionData, DonationData
from .forms import _years, money_field
from .models import (
    Campaign,
    Channel,
    DonationKind,
    DonorKind,
    Project,
    ReceiptStatus,
    RecipientKind,
    Valuation,
)

DONOR_KINDS = [*DonorKind.choices, (ANONYMOUS, "匿名")]


def _year_filter() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="年度", choices=lambda: [("", "全部"), *_years()], coerce=int, required=False
    )


class CampaignChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.org.name}）"


class DonationFilter(ActorForm):
    year = _year_filter()
    org = OrgField(label="接收单位（含下级）", required=False, help_text="")
    kind = forms.ChoiceField(
        label="类别", choices=[("", "全部"), *DonationKind.choices], required=False
    )
    restricted = forms.ChoiceField(
        label="定向",
        choices=[("", "全部"), ("yes", "定向捐赠"), ("no", "非定向")],
        required=False,
    )
    lacking = forms.BooleanField(label="仅看未开票据", required=False)


class ReceiptFilter(ActorForm):
    year = _year_filter()
    org = OrgField(label="单位（含下级）", required=False, help_text="")
    number = forms.CharField(label="票据号码", max_length=40, required=False)
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部"), *ReceiptStatus.choices], required=False
    )


class DistributionFilter(ActorForm):
    year = _year_filter()
    org = OrgField(label="发放单位（含下级）", required=False, help_text="")
    kind = forms.ChoiceField(
        label="类别", choices=[("", "全部"), *DonationKind.choices], required=False
    )


class DonationForm(ActorForm):
    org = OrgField(label="接收单位")
    donor_kind = forms.ChoiceField(label="捐赠人类别", choices=DONOR_KINDS)
    donor_name = forms.CharField(label="捐赠人（单位）名称", max_length=100, required=False)
    donor_id_number = forms.CharField(
        label="捐赠人身份证号码",
        max_length=30,
        required=False,
        help_text="个人捐赠人须已在人员库登记",
    )
    contact = forms.CharField(label="联系方式", max_length=100, required=False)
    kind = forms.ChoiceField(label="捐赠类别", choices=DonationKind.choices)
    amount = money_field("金额或估值（元）")
    received_on = forms.DateField(label="接收日期", widget=DATE, initial=datetime.date.today)
    channel = forms.ChoiceField(label="接收方式", choices=Channel.choices)
    item = forms.CharField(label="物资名称", max_length=100, required=False)
    quantity = forms.DecimalField(
        label="数量", max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False
    )
    unit = forms.CharField(label="计量单位", max_length=10, required=False)
    valuation = forms.ChoiceField(
        label="估值方式", choices=[("", "—"), *Valuation.choices], required=False
    )
    campaign = CampaignChoice(
        label="定向：募捐活动", queryset=Campaign.unscoped_objects.none(), required=False
    )
    project = forms.ModelChoiceField(
        label="定向：项目库项目", queryset=Project.unscoped_objects.none(), required=False
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.actor = actor
        field_of(self, "campaign", forms.ModelChoiceField).queryset = campaigns_for(actor)
        field_of(self, "project", forms.ModelChoiceField).queryset = Project.objects.for_actor(
            actor
        ).order_by("-year", "code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.person = None
        if data.get("donor_kind") == DonorKind.PERSON:
            number = (data.get("donor_id_number") or "").strip()
            person = find_person(self.actor, number) if number else None
            if person is None:
                self.add_error("donor_id_number", "在您的管辖范围内找不到该身份证号码的人员")
            self.person = person
        return data

    def data_for_service(self) -> DonationData:
        d = self.cleaned_data
        return DonationData(
            kind=d["kind"],
            amount=d["amount"],
            received_on=d["received_on"],
            channel=d["channel"],
            donor_kind=d["donor_kind"],
            person=self.person,
            donor_name=d["donor_name"],
            contact=d["contact"],
            item=d["item"],
            quantity=d["quantity"],
            unit=d["unit"],
            valuation=d["valuation"],
            campaign=d["campaign"],
            project=d["project"],
            note=d["note"],
        )


def find_person(actor: Actor, number: str) -> Person | None:
    """The person in the actor's reach holding this ID number (by its blind index)."""
    return (
        Person.objects.for_actor(actor).filter(**lookup("id_number", number, "id_number")).first()
    )


class ReceiptForm(StyledForm, forms.Form):
    number = forms.CharField(label="票据号码", max_length=60)
    issued_on = forms.DateField(label="开票日期", widget=DATE, initial=datetime.date.today)


class VoidForm(StyledForm, forms.Form):
    reason = forms.CharField(label="作废原因", max_length=200)
    on = forms.DateField(label="作废日期", widget=DATE, initial=datetime.date.today)


class CampaignForm(ActorForm):
    org = OrgField(label="发起单位")
    name = forms.CharField(label="活动名称", max_length=100)
    starts_on = forms.DateField(label="开始日期", widget=DATE, initial=datetime.date.today)
    ends_on = forms.DateField(label="结束日期", widget=DATE, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class DistributionForm(ActorForm):
    org = OrgField(label="发放单位")
    kind = forms.ChoiceField(label="发放类别", choices=DonationKind.choices)
    recipient_kind = forms.ChoiceField(label="受助对象类别", choices=RecipientKind.choices)
    id_number = forms.CharField(
        label="受助人身份证号码", max_length=30, required=False, help_text="须已在人员库登记"
    )
    recipient_org = OrgField(label="受助单位", required=False, help_text="受助对象为单位时填写")
    campaign = CampaignChoice(
        label="用于募捐活动", queryset=Campaign.unscoped_objects.none(), required=False
    )
    project = forms.ModelChoiceField(
        label="用于项目库项目", queryset=Project.unscoped_objects.none(), required=False
    )
    amount = money_field("金额或物资价值（元）")
    on = forms.DateField(label="发放日期", widget=DATE, initial=datetime.date.today)
    purpose = forms.CharField(label="用途", max_length=200)
    item = forms.CharField(label="物资名称", max_length=100, required=False)
    quantity = forms.DecimalField(
        label="数量", max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False
    )
    unit = forms.CharField(label="计量单位", max_length=10, required=False)
    signed_by = forms.CharField(label="签收人", max_length=50, required=False)
    evidence = forms.FileField(label="签收凭证", required=False, help_text="PDF、JPEG 或 PNG")

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.actor = actor
        field_of(self, "campaign", forms.ModelChoiceField).queryset = campaigns_for(actor)
        field_of(self, "project", forms.ModelChoiceField).queryset = Project.objects.for_actor(
            actor
        ).order_by("-year", "code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.person: Person | None = None
        if data.get("recipient_kind") == RecipientKind.PERSON:
            number = (data.get("id_number") or "").strip()
            self.person = find_person(self.actor, number) if number else None
            if self.person is None:
                self.add_error("id_number", "在您的管辖范围内找不到该身份证号码的人员")
        elif data.get("recipient_kind") == RecipientKind.ORG and not data.get("recipient_org"):
            self.add_error("recipient_org", "请选择受助单位")
        return data

    def data_for_service(self) -> DistributionData:
        d = self.cleaned_data
        recipient_org: Org | None = d.get("recipient_org")
        return DistributionData(
            kind=d["kind"],
            amount=d["amount"],
            on=d["on"],
            purpose=d["purpose"],
            recipient_kind=d["recipient_kind"],
            person=self.person,
            recipient_org=recipient_org if d["recipient_kind"] == RecipientKind.ORG else None,
            campaign=d["campaign"],
            project=d["project"],
            item=d["item"],
            quantity=d["quantity"],
            unit=d["unit"],
            signed_by=d["signed_by"],
        )
