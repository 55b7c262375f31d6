"""The login log: every login, failure, lockout and logout."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from .models import LoginEvent, User


def _log(request: HttpRequest | None, username: str, result: str, user: User | None) -> None:
    meta = request.META if request is not None else {}
    LoginEvent.objects.create(
        user=user,
        username=username[:150],
        ip=meta.get("REMOTE_ADDR"),
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
        result=result,
    )


@receiver(user_logged_in)
def logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session["last_seen"] = time.time()
    _log(request, user.username, LoginEvent.Result.SUCCESS, user)


@receiver(user_login_failed)
def login_failed(
    sender: Any, credentials: dict, request: HttpRequest | None = None, **kw: Any
) -> None:
    username = credentials.get("username", "")
    _log(
        request, username, LoginEvent.Result.FAILED, User.objects.filter(username=username).first()
    )


@receiver(user_locked_out)
def locked_out(sender: Any, request: HttpRequest, username: str | None = None, **kw: Any) -> None:
    name = username or ""
    # axes counts the failure that locks (and says how many there were); an attempt while
    # locked is refused without being counted, so it is logged apart from the lock itself.
    new_lock = getattr(request, "axes_failures_since_start", None) is not None
    result = LoginEvent.Result.LOCK if new_lock else LoginEvent.Result.LOCKED
    _log(request, name, result, User.objects.filter(username=name).first())


@receiver(user_logged_out)
def logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    # An idle timeout has logged its own event.
    if user is not None and not getattr(request, "_fpa_timed_out", False):
        _log(request, user.username, LoginEvent.Result.LOGOUT, user)
