"""Account pages: login and its policy, one's own logins and password, user management."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django_otp import login as otp_login
from rest_framework.authtoken.models import Token

from fpa.core.errors import DomainError
from fpa.core.forms import add_domain_error
from fpa.core.jobs import start_job
from fpa.core.paging import page_of
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor

from . import exports, otp, security, services, tokens
from .api_auth import expired, expires_at
from .forms import (
    PasswordChangeForm,
    ResetPasswordForm,
    RolesForm,
    TokenForm,
    UserCreateForm,
)
from .models import LoginEvent, PasswordReset, User
from .redirects import safe_next
from .requests import UserRequest

PAGE_SIZE = 50


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def get_redirect_url(self) -> str:
        return safe_next(self.request)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["timed_out"] = self.request.GET.get("timeout") == "1"
        return context


login_view = permission(None, public=True, writes=True, reason="登录页")(
    login_not_required(LoginView.as_view())
)


class LogoutView(auth_views.LogoutView):
    def get_redirect_url(self) -> str:
        return safe_next(self.request, default=resolve_url(settings.LOGOUT_REDIRECT_URL))


logout_view = permission(None, writes=True, methods=("POST",), reason="本人退出登录")(
    LogoutView.as_view()
)


@permission(None, writes=True, reason="本人修改自己的密码")
def password_change(request: UserRequest) -> HttpResponse:
    user = request.user
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_own_password(
                user,
                form.cleaned_data["old_password"],
                form.cleaned_data["new_password"],
                actor=Actor.from_request(request),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改")
            return redirect("home")
    reason = (
        "首次登录或密码被重置，请先修改密码。"
        if user.must_change_password
        else "密码已过期，请修改密码。"
        if user.password_expired()
        else ""
    )
    context = {"form": form, "reason": reason, "reset_notice": security.reset_notice(user)}
    return render(request, "accounts/password_change.html", context)


@permission(None, reason="本人的登录记录")
def my_logins(request: UserRequest) -> HttpResponse:
    events = LoginEvent.objects.filter(user=request.user)
    page = page_of(events, request.GET, PAGE_SIZE)
    return render(request, "accounts/my_logins.html", {"page": page})


@permission(None, writes=True, reason="本人的第二因素验证")
def otp_verify(request: UserRequest) -> HttpResponse:
    device = otp.device_for(request.user)
    if device is None:
        return redirect("home")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        agent = request.headers.get("User-Agent", "")
        if otp.verify(device, form.cleaned_data["token"], actor=actor, user_agent=agent):
            otp_login(request, device)
            return redirect(safe_next(request))
        form.add_error("token", "验证码错误或已过期，请重新输入")
    return render(request, "accounts/otp_verify.html", {"form": form})


@permission(None, writes=True, reason="本人绑定手机令牌")
def otp_setup(request: UserRequest) -> HttpResponse:
    """Enrol a phone: a POST makes the device (never a GET), a second POST confirms its code."""
    if otp.device_for(request.user) is not None:
        messages.info(request, "您已绑定手机令牌")
        return redirect("home")
    actor = Actor.from_request(request)
    if request.method == "POST" and request.POST.get("action") == "start":
        otp.start_enrolment(request.user, actor=actor)
        return redirect("accounts:otp_setup")
    device = otp.enrolment(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        if otp.confirm_enrolment(device, form.cleaned_data["token"], actor=actor):
            otp_login(request, device)
            messages.success(request, "手机令牌已绑定，以后登录需输入动态验证码")
            return redirect("home")
        form.add_error("token", "验证码不正确，请核对手机时间后重试")
    context: dict[str, Any] = {
        "form": form,
        "device": device,
        "required": otp.required(request.user),
    }
    if device is not None:
        context |= {"qr": otp.qr_data_uri(device), "secret": otp.secret_base32(device)}
    return render(request, "accounts/otp_setup.html", context)


@permission(None, writes=True, reason="本人的 API 令牌")
def api_token(request: UserRequest) -> HttpResponse:
    """One API token per user; it carries the user's scope and roles, and expires."""
    actor = Actor.from_request(request)
    if request.method == "POST":
        if request.POST.get("action") == "create":
            created = tokens.create_own(request.user, actor=actor)
            messages.success(request, "已生成新的 API 令牌，请妥善保存；旧令牌已失效")
            context = {"token": created, "shown": True, "expires": expires_at(created)}
            context["token_days"] = settings.FPA_API_TOKEN_DAYS
            return render(request, "accounts/api_token.html", context)
        tokens.revoke_own(request.user, actor=actor)
        messages.success(request, "API 令牌已撤销")
        return redirect("accounts:api_token")
    token = Token.objects.filter(user=request.user).first()
    context = {
        "token": token,
        "shown": False,
        "expires": expires_at(token) if token else None,
        "expired": bool(token and expired(token)),
        "token_days": settings.FPA_API_TOKEN_DAYS,
    }
    return render(request, "accounts/api_token.html", context)


@permission("accounts.view")
def user_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    actor.require("accounts.view")
    q = request.GET.get("q", "").strip()
    users = exports.listed(actor, q)
    page = page_of(users, request.GET, PAGE_SIZE, total=users.count())
    context = {
        "page": page,
        "q": q,
        "can_manage": actor.can("accounts.manage_users"),
        "can_secure": actor.can("accounts.change"),
    }
    return render(request, "accounts/user_list.html", context)


@permission("accounts.view", writes=True, methods=("POST",))
def user_export(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    actor.require("accounts.view")
    params = {"q": request.POST.get("q", "").strip()}
    job = start_job("accounts.export", actor=actor, title="导出账号名单", params=params)
    return redirect("core:job", job_id=job.pk)


@permission("accounts.manage_users", writes=True)
def user_create(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    actor.require("accounts.manage_users")
    roles = services.grantable_roles(actor)
    form = UserCreateForm(request.POST or None, actor=actor, roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data | {"org": form.cleaned_data["org_code"]}
        try:
            user = services.create_user(data, actor=actor)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"账号 {user.username} 已创建，首次登录须修改密码")
            return redirect("accounts:user", user_id=user.pk)
    context = {"form": form, "grant_table": services.grant_table()}
    return render(request, "accounts/user_create.html", context)


def _user(request: HttpRequest, user_id: int, perm: str) -> tuple[Actor, User]:
    """The account named in the URL: 404 outside the actor's reach, then 403 without `perm`."""
    actor = Actor.from_request(request)
    target = services.visible_users(actor).filter(pk=user_id).first()
    if target is None:
        raise Http404
    actor.require(perm)
    return actor, target


@permission("accounts.view", writes=True, post_perm="accounts.manage_users")
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    actor, target = _user(request, user_id, "accounts.view")
    roles = services.grantable_roles(actor)
    form = RolesForm(
        request.POST or None,
        roles=roles,
        initial={
            "roles": list(target.assignments.values_list("role_id", flat=True)),
            "own_org_only": target.assignments.filter(own_org_only=True).exists(),
        },
    )
    if request.method == "POST":
        actor.require("accounts.manage_users")
        if form.is_valid():
            try:
                services.set_roles(
                    target,
                    list(form.cleaned_data["roles"]),
                    form.cleaned_data["own_org_only"],
                    actor=actor,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "角色已保存")
                return redirect("accounts:user", user_id=target.pk)
    context = {
        "target": target,
        "form": form,
        "assignments": target.assignments.select_related("role"),
        "logins": LoginEvent.objects.filter(user=target)[:10],
        "can_manage": actor.can("accounts.manage_users"),
        "can_unlock": actor.can("accounts.change"),
        "reset_form": ResetPasswordForm(),
        "needs_second_person": services.needs_second_person(target),
        "pending_reset": target.resets.filter(status=PasswordReset.Status.PENDING).first(),
        "grant_table": services.grant_table(),
    }
    return render(request, "accounts/user_detail.html", context)


@permission("accounts.manage_users", writes=True, methods=("POST",))
def user_active(request: HttpRequest, user_id: int) -> HttpResponse:
    actor, target = _user(request, user_id, "accounts.manage_users")
    active = request.POST.get("active") == "1"
    try:
        services.set_active(target, active, actor=actor)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "账号已启用" if active else "账号已停用")
    return redirect("accounts:user", user_id=target.pk)


@permission("accounts.change", writes=True, methods=("POST",))
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    """The security administrator lifts a lockout before its ten minutes are up."""
    actor, target = _user(request, user_id, "accounts.change")
    services.unlock(target, actor=actor)
    messages.success(request, f"账号 {target.username} 已解除锁定")
    return redirect("accounts:user", user_id=target.pk)


@permission("accounts.manage_users", writes=True, methods=("POST",))
def user_reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    actor, target = _user(request, user_id, "accounts.manage_users")
    form = ResetPasswordForm(request.POST)
    if form.is_valid():
        try:
            reset = services.reset_password(target, form.cleaned_data["password"], actor=actor)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if reset.status == PasswordReset.Status.PENDING:
                messages.success(
                    request,
                    "该账号负责审核、审批或管理，重置须经安全管理员确认后生效；确认前原密码仍有效",
                )
            else:
                messages.success(request, "密码已重置，用户下次登录须修改密码")
    else:
        messages.error(request, "请输入临时密码")
    return redirect("accounts:user", user_id=target.pk)
