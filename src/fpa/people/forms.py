from __future__ import annotations

import datetime
from typing import Any

from django import forms

from fpa.core.forms import StyledForm
from fpa.kernel.scope import Actor
from fpa.orgs.forms import OrgField

from .models import Gender, IdType, MembershipStatus
from .positions import EstablishmentKind, Position

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KEEP_HINT = "已隐藏部分号码；输入新号码即替换，不改或留空则保留原号码"


class ActorForm(StyledForm, forms.Form):
    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, OrgField):
                field.actor = actor


class PersonForm(ActorForm):
    #: set when the ID number is registered in another county: the page offers a relocation
    relocation_offer = False
    name = forms.CharField(label="姓名", max_length=50)
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices, initial=IdType.RESIDENT)
    id_number = forms.CharField(label="证件号码", max_length=30, required=False)
    gender = forms.ChoiceField(
        label="性别", choices=[("", "按身份证号码")] + Gender.choices, required=False
    )
    birth_date = forms.DateField(
        label="出生日期", required=False, widget=DATE, help_text="居民身份证自动带出"
    )
    ethnicity = forms.CharField(label="民族", max_length=20, initial="汉族", required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    org = OrgField(label="居住地（村、社区或驻外计生协）")
    hukou_code = forms.RegexField(
        label="户籍地区划代码",
        regex=r"^\d{6}(\d{6})?$",
        required=False,
        error_messages={"invalid": "户籍地区划代码应为6位或12位数字"},
    )
    address = forms.CharField(label="居住地址", max_length=200, required=False)

    def __init__(
        self, *args: Any, actor: Actor, masked: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        """`masked`: on the edit page, the stored numbers as shown (`fpa.core.masking`). The page
        never carries a full number; a field left as shown, or emptied, keeps the stored one."""
        self.masked = masked or {}
        if self.masked:
            kwargs["initial"] = {**kwargs.get("initial", {}), **self.masked}
        super().__init__(*args, actor=actor, **kwargs)
        for name, shown in self.masked.items():
            if shown:
                self.fields[name].help_text = KEEP_HINT
        #: the number fields the user left as they were (the service is not given them)
        self.kept: set[str] = set()

    def _number(self, name: str) -> str:
        value = self.cleaned_data.get(name, "")
        if name not in self.masked:
            return value
        if value in ("", self.masked[name]):
            self.kept.add(name)
            return ""
        if "*" in value:
            raise forms.ValidationError("请输入完整的新号码，或保留显示的号码不改")
        return value

    def clean_id_number(self) -> str:
        return self._number("id_number")

    def clean_phone(self) -> str:
        return self._number("phone")


class JoinForm(ActorForm):
    org = OrgField(label="入会单位")
    joined_on = forms.DateField(label="入会日期", widget=DATE, initial=datetime.date.today)


class RelocationForm(ActorForm):
    to_org = OrgField(label="转入单位（本辖区）")
    reason = forms.CharField(label="原因", max_length=200, required=False)


AGE_BANDS = [
    ("", "全部年龄"),
    ("0-17", "17岁及以下"),
    ("18-35", "18–35岁"),
    ("36-59", "36–59岁"),
    ("60-200", "60岁及以上"),
]


class PersonFilter(ActorForm):
    q = forms.CharField(
        label="搜索", required=False, help_text="姓名或姓氏、拼音首字母、证件号后4位、会员证号"
    )
    org = OrgField(label="单位", required=False, help_text="")
    gender = forms.ChoiceField(
        label="性别", choices=[("", "全部")] + Gender.choices, required=False
    )
    age = forms.ChoiceField(label="年龄段", choices=AGE_BANDS, required=False)


class MemberFilter(PersonFilter):
    status = forms.ChoiceField(label="会员状态", choices=MembershipStatus.choices, required=False)
    joined_year = forms.IntegerField(
        label="入会年份", required=False, min_value=1980, max_value=2100
    )


class VolunteerForm(ActorForm):
    org = OrgField(label="注册单位")
    since = forms.DateField(label="注册日期", widget=DATE, initial=datetime.date.today)
    skills = forms.CharField(label="特长", max_length=200, required=False)


class CouncilForm(ActorForm):
    org = OrgField(label="理事会所属单位")
    standing = forms.BooleanField(label="常务理事", required=False)
    term_start = forms.DateField(label="任期开始", widget=DATE)
    term_end = forms.DateField(label="任期结束", widget=DATE)


class StaffForm(ActorForm):
    org = OrgField(label="所在单位")
    post = forms.CharField(label="岗位", max_length=50, initial="专干")
    full_time = forms.BooleanField(label="专职", required=False, initial=True)
    establishment = forms.ChoiceField(label="编制", choices=EstablishmentKind.choices)
    since = forms.DateField(label="到岗日期", widget=DATE, required=False)


class OfficerForm(ActorForm):
    org = OrgField(label="任职单位")
    position = forms.ChoiceField(label="职务", choices=Position.choices)
    term_start = forms.DateField(label="任期开始", widget=DATE)
    term_end = forms.DateField(label="任期结束", widget=DATE)
    filed_on = forms.DateField(
        label="报县级备案日期",
        widget=DATE,
        required=False,
        help_text="乡镇、村级计生协的副会长、秘书长报县级计生协备案",
    )


POSITION_FORMS = {
    "volunteer": VolunteerForm,
    "council": CouncilForm,
    "staff": StaffForm,
    "officer": OfficerForm,
}


class PositionFilter(ActorForm):
    q = forms.CharField(label="搜索", required=False, help_text="姓名或姓氏、拼音首字母")
    org = OrgField(label="单位", required=False, help_text="")
