from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured

from fpa.core.forms import StyledForm, ascii_int
from fpa.kernel.scope import Actor
from fpa.orgs.forms import OrgField
from fpa.people import services as people
from fpa.people.forms import DATE, ActorForm
from fpa.people.models import Person

from .models import CareKind, ContactRole, FamilyKind, Festival, Health


class PersonByNumber(forms.CharField):
    """A person in the actor's reach, named by their full ID number."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)
        self.actor: Actor | None = None

    def clean(self, value: Any) -> Person | None:
        value = super().clean(value)
        if not value:
            return None
        if self.actor is None:
            raise ImproperlyConfigured("PersonByNumber: the form names the actor")
        person = people.find_by_document("resident", value.strip().upper())
        if person is None or not Person.objects.for_actor(self.actor).filter(pk=person.pk).exists():
            raise forms.ValidationError("本辖区没有登记该身份证号码的人员，请先在人员库登记")
        return person


class FamilyActorForm(ActorForm):
    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        for f in self.fields.values():
            if isinstance(f, PersonByNumber):
                f.actor = actor
        offer_festivals(self)


class RecognizeForm(FamilyActorForm):
    kind = forms.ChoiceField(label="类别", choices=FamilyKind.choices)
    parent1 = PersonByNumber(label="父/母身份证号码")
    parent2 = PersonByNumber(label="配偶身份证号码", required=False)
    recognized_on = forms.DateField(label="认定日期", widget=DATE)
    child_name = forms.CharField(label="子女姓名", max_length=50)
    child_birth_date = forms.DateField(label="子女出生日期", widget=DATE, required=False)
    child_died_on = forms.DateField(label="子女死亡日期（失独）", widget=DATE, required=False)
    child_cause = forms.CharField(
        label="死亡或致残原因",
        max_length=200,
        required=False,
        help_text="仅在家庭页面显示，列表和导出中不显示",
    )
    disability_grade = forms.TypedChoiceField(
        label="残疾等级（伤残）",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—"), (1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")],
    )
    certificate_no = forms.CharField(label="残疾证号", max_length=50, required=False)
    living_alone = forms.BooleanField(label="独居", required=False)
    health = forms.ChoiceField(label="健康状况", choices=Health.choices)
    income_difficulty = forms.BooleanField(label="经济困难", required=False)


SOON = datetime.timedelta(days=30)


def offer_festivals(form: forms.BaseForm) -> None:
    """Narrow every festival choice of `form` to what is offered today (see FestivalField)."""
    for name, field in form.fields.items():
        if isinstance(field, FestivalField):
            field.offer(form[name].value())


def festival_label(festival: Festival) -> str:
    """A festival as every choice shows it: year, name, day (2026年 · 重阳节（10月18日）)."""
    return f"{festival.year}年 · {festival.name}（{festival.date.month}月{festival.date.day}日）"


class FestivalField(forms.ModelChoiceField):
    """The one festival choice: this year's and last year's festivals in date order, the same on
    every page, the year apart from the name. Any festival of the queryset is still accepted (a
    coverage report of an earlier year names its festival in the address), and a chosen older
    one stays offered."""

    def __init__(self, *, begun_only: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("label", "节日")
        kwargs.setdefault("empty_label", "（不选节日）")
        super().__init__(queryset=Festival.objects.all(), **kwargs)
        self.begun_only = begun_only

    def label_from_instance(self, obj: Festival) -> str:
        return festival_label(obj)

    def offer(self, chosen: Any) -> None:
        """Offer this and last year's festivals of the queryset, and `chosen` if it is older."""
        today = datetime.date.today()
        offered = Festival.objects.all()
        if self.begun_only:
            offered = offered.filter(window_start__lte=today + SOON)
        self.queryset = offered
        recent = offered.filter(year__gte=today.year - 1, year__lte=today.year)
        if (pk := ascii_int(chosen, digits=9)) is not None:
            recent = recent | offered.filter(pk=pk)
        shown: list[tuple[int | str, str]] = []
        if self.empty_label is not None:
            shown.append(("", str(self.empty_label)))
        shown += [(f.pk, festival_label(f)) for f in recent.order_by("date", "pk")]
        self.widget.choices = shown


class CareForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label="类别", choices=CareKind.choices)
    on = forms.DateField(label="日期", widget=DATE, initial=datetime.date.today)
    by_name = forms.CharField(label="服务人员", max_length=50, required=False)
    what = forms.CharField(label="内容", max_length=300)
    amount = forms.DecimalField(
        label="金额（元）", max_digits=10, decimal_places=2, required=False, min_value=0
    )
    goods = forms.CharField(label="物品", max_length=200, required=False)
    # A visit is recorded for a festival that has begun (or begins within a month).
    festival = FestivalField(required=False, begun_only=True)
    notes = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_festivals(self)


class ContactForm(FamilyActorForm):
    role = forms.ChoiceField(label="岗位", choices=ContactRole.choices)
    person = PersonByNumber(label="联系人身份证号码")
    since = forms.DateField(label="起始日期", widget=DATE, initial=datetime.date.today)


class GreenChannelForm(StyledForm, forms.Form):
    number = forms.CharField(label="卡号", max_length=50)
    hospital = forms.CharField(label="医院", max_length=100)
    issued_on = forms.DateField(label="办理日期", widget=DATE)


class DoctorForm(StyledForm, forms.Form):
    doctor = forms.CharField(label="签约医生", max_length=50)
    institution = forms.CharField(label="医疗机构", max_length=100)
    signed_on = forms.DateField(label="签约日期", widget=DATE)
    renewal_due = forms.DateField(label="续约日期", widget=DATE)


class EndForm(FamilyActorForm):
    action = forms.ChoiceField(
        label="变动",
        choices=[("relocate", "迁至本辖区其他村"), ("moved", "迁出本辖区"), ("ended", "终止")],
    )
    on = forms.DateField(label="日期", widget=DATE, initial=datetime.date.today)
    reason = forms.CharField(label="原因", max_length=200)
    to_org = OrgField(label="迁入单位（迁至本辖区其他村时）", required=False)


GAPS = [
    ("", "全部"),
    ("gap_visit", "本季度未走访"),
    ("gap_contact", "双岗联系人不全"),
    ("gap_doctor", "无家庭医生签约"),
    ("gap_insurance", "本年度无保险保障"),
]


class FamilyFilter(FamilyActorForm):
    kind = forms.ChoiceField(
        label="类别", choices=[("", "全部")] + FamilyKind.choices, required=False
    )
    org = OrgField(label="单位", required=False, help_text="")
    gap = forms.ChoiceField(label="缺项", choices=GAPS, required=False)


class CoverageForm(FamilyActorForm):
    end = forms.DateField(
        label="统计截止日",
        widget=DATE,
        required=False,
        help_text="默认为本季度末；家庭按该日在册及所属单位统计",
    )
    festival = FestivalField(required=False)
    org = OrgField(label="单位", required=False, help_text="")


class BatchForm(CareForm):
    """A festival visit campaign: one form, the families ticked below it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["festival"].required = True
        self.fields["kind"].initial = CareKind.VISIT
