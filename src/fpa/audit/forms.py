from __future__ import annotations

from typing import Any

from django import forms

from fpa.core.forms import StyledForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LogFilterForm(StyledForm, forms.Form):
    org = forms.CharField(label="单位区划代码", max_length=12, required=False)
    actor = forms.CharField(label="操作人用户名", max_length=150, required=False)
    action = forms.CharField(label="操作（前缀）", max_length=100, required=False)
    object_type = forms.CharField(label="对象类型", max_length=60, required=False)
    object_id = forms.CharField(label="对象ID", max_length=40, required=False)
    since = forms.DateField(label="起始日期", required=False, widget=DATE)
    until = forms.DateField(label="截止日期", required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "截止日期不能早于起始日期")
        return data
