from __future__ import annotations

from typing import Any

from django import forms

from fpa.core.forms import StyledForm, field_of
from fpa.kernel.scope import Actor
from fpa.orgs.forms import OrgField

from .models import Role

NEW_PASSWORD = forms.PasswordInput(attrs={"autocomplete": "new-password"})


class RolesForm(StyledForm, forms.Form):
    """The roles an actor may grant, as check boxes."""

    roles = forms.ModelMultipleChoiceField(
        label="角色",
        queryset=Role.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    own_org_only = forms.BooleanField(label="仅限本级（不含下级单位）", required=False)

    def __init__(self, *args: Any, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "roles", forms.ModelMultipleChoiceField).queryset = Role.objects.filter(
            pk__in=[r.pk for r in roles]
        )
        self.fields["roles"].widget.attrs["class"] = "form-check-input"


class UserCreateForm(RolesForm):
    username = forms.RegexField(
        label="用户名",
        max_length=30,
        regex=r"^[A-Za-z0-9_.-]+$",
        error_messages={"invalid": "用户名只能包含字母、数字和 _ . -"},
    )
    display_name = forms.CharField(label="姓名", max_length=50)
    org_code = OrgField(label="所属单位")
    password = forms.CharField(
        label="初始密码", widget=NEW_PASSWORD, help_text="用户首次登录时必须修改"
    )
    field_order = ["username", "display_name", "org_code", "password", "roles", "own_org_only"]

    def __init__(self, *args: Any, actor: Actor, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, roles=roles, **kwargs)
        field_of(self, "org_code", OrgField).actor = actor


class ResetPasswordForm(StyledForm, forms.Form):
    password = forms.CharField(label="临时密码", widget=NEW_PASSWORD)


class PasswordChangeForm(StyledForm, forms.Form):
    old_password = forms.CharField(
        label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(label="新密码", widget=NEW_PASSWORD)
    new_password2 = forms.CharField(label="再次输入新密码", widget=NEW_PASSWORD)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


class TokenForm(StyledForm, forms.Form):
    token = forms.RegexField(
        label="动态验证码",
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": "请输入手机令牌上的 6 位数字"},
    )
