"""Session and account policy applied to every request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .models import LoginEvent, User

#: requests that repeat by themselves (progress bars) carry this header and keep no one logged in
BACKGROUND_HEADER = "X-FPA-Background"
EXEMPT_PREFIXES = ("/static/", "/healthz", "/accounts/login/", "/accounts/logout/")
#: paths answered as JSON: a gate there says what is owed instead of redirecting to a page
API_PREFIX = "/api/"


class IdleTimeoutMiddleware:
    """Log out a session idle for FPA_IDLE_SECONDS; background polling does not count as use."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and "_auth_user_id" in request.session:
            now = time.time()
            last = request.session.get("last_seen", now)
            if now - last > settings.FPA_IDLE_SECONDS:
                LoginEvent.objects.create(
                    user=user,
                    username=user.username,
                    ip=request.META.get("REMOTE_ADDR"),
                    user_agent=request.headers.get("User-Agent", "")[:300],
                    result=LoginEvent.Result.TIMEOUT,
                )
                # Read by the logout signal (signals.py); HttpRequest declares no such attribute.
                request._fpa_timed_out = True  # type: ignore[attr-defined]
                logout(request)
                login_url = reverse("accounts:login") + "?timeout=1"
                if request.path.startswith(API_PREFIX):
                    return JsonResponse({"detail": "登录已超时，请重新登录"}, status=401)
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = login_url
                    return response
                return redirect(login_url)
            if not request.headers.get(BACKGROUND_HEADER):
                request.session["last_seen"] = now
        return self.get_response(request)


def _api_message(target: str) -> str:
    """What an API caller is told it owes (it cannot follow a redirect to a page)."""
    if target == reverse("accounts:password_change"):
        return "须先在平台页面修改密码，才能使用 API"
    if target == reverse("accounts:otp_setup"):
        return "须先在平台页面绑定手机令牌，才能使用 API"
    return "须先在平台页面通过手机令牌验证，才能使用 API"


class AccountPolicyMiddleware:
    """Send a user who must change the password, or owes a second factor, to that page first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES):
            target = self._owed(user)
            if target and request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": _api_message(target)}, status=403)
            if target and request.path != target:
                return redirect(target)
        return self.get_response(request)

    def _owed(self, user: User) -> str | None:
        from .otp import otp_owed

        owed = otp_owed(user)
        if owed:
            return owed
        if user.must_change_password or user.password_expired():
            return reverse("accounts:password_change")
        return None
