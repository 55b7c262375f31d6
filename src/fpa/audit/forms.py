from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps

from fpa.core.forms import StyledForm, field_of
from fpa.kernel.scope import Actor
from fpa.orgs.forms import OrgField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _object_types() -> list[tuple[str, str]]:
    """The kinds of record an entry can be about, by their Chinese names."""
    found = [
        (m._meta.label_lower, str(m._meta.verbose_name))
        for m in apps.get_models()
        if m.__module__.startswith("fpa.")
    ]
    return [("", "全部"), *sorted(found, key=lambda pair: pair[1])]


class LogFilterForm(StyledForm, forms.Form):
    org = OrgField(label="操作人所在单位", required=False)
    actor = forms.CharField(
        label="操作人", max_length=150, required=False, help_text="用户名或姓名"
    )
    action = forms.CharField(
        label="操作", max_length=100, required=False, help_text="如“查看”“导出”“重置密码”"
    )
    object_type = forms.ChoiceField(label="对象类型", required=False, choices=_object_types)
    object_id = forms.CharField(label="对象编号", max_length=40, required=False)
    since = forms.DateField(label="起始日期", required=False, widget=DATE)
    until = forms.DateField(label="截止日期", required=False, widget=DATE)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "org", OrgField).actor = actor

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "截止日期不能早于起始日期")
        return data
