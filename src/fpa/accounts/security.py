"""The security administrator's side: confirming password resets (the second person), locked
accounts and repeated lockouts."""

from __future__ import annotations

import datetime
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from fpa.audit.services import record
from fpa.core.errors import DomainError
from fpa.kernel.scope import Actor

from .models import LoginEvent, PasswordReset, RoleAssignment, User
from .services import set_password_hash, visible_users

#: how far back repeated lockouts are counted, and from how many on an account is listed
REPEATED_DAYS = 30
REPEATED_FROM = 2


def reset_in_reach(reset_id: int, actor: Actor) -> bool:
    """Whether a reset (in any state) is of an account the actor reaches: outside, it does not
    exist for them (404), as every other record."""
    actor.require("accounts.change")
    return PasswordReset.objects.filter(pk=reset_id, user__in=visible_users(actor)).exists()


def pending_resets(actor: Actor) -> Any:
    """The resets waiting for the security administrator, of accounts in reach."""
    actor.require("accounts.change")
    return (
        PasswordReset.objects.filter(
            status=PasswordReset.Status.PENDING, user__in=visible_users(actor)
        )
        .select_related("user", "user__org", "requested_by")
        .order_by("requested_at")
    )


def _pending(reset_id: int, actor: Actor) -> PasswordReset:
    reset = pending_resets(actor).select_for_update(of=("self",)).filter(pk=reset_id).first()
    if reset is None:
        raise DomainError("该密码重置已处理或不在您的管辖范围内")
    if actor.user is not None and actor.user.pk in (reset.user_id, reset.requested_by_id):
        # Two people: neither the one who asked nor the account itself confirms.
        raise DomainError("不能确认自己提出的或针对自己账号的密码重置")
    granted_by_requester = RoleAssignment.objects.filter(
        user=actor.user,
        granted_by_id=reset.requested_by_id,
        role__grants__module="accounts",
        role__grants__action="change",
    )
    if reset.requested_by_id and granted_by_requester.exists():
        # Otherwise an administrator makes itself a security administrator account and
        # confirms its own resets: the second person would be the first one again.
        raise DomainError(
            "您的安全管理员角色由提出该重置的管理员授予，不能由您确认，请另一位安全管理员办理"
        )
    return reset


@transaction.atomic
def confirm_reset(reset_id: int, *, actor: Actor) -> PasswordReset:
    """Apply a pending reset: the temporary password works from now, to be changed at login."""
    reset = _pending(reset_id, actor)
    reset.status = PasswordReset.Status.APPLIED
    reset.decided_by = actor.user
    reset.decided_at = timezone.now()
    reset.save(update_fields=["status", "decided_by", "decided_at"])
    user = reset.user
    set_password_hash(user, reset.password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record(actor, "fpa.account.password.reset_confirmed", user, {"reset": reset.pk})
    return reset


@transaction.atomic
def refuse_reset(reset_id: int, *, actor: Actor) -> PasswordReset:
    """Refuse a pending reset: the account keeps its password."""
    reset = _pending(reset_id, actor)
    reset.status = PasswordReset.Status.REFUSED
    reset.decided_by = actor.user
    reset.decided_at = timezone.now()
    reset.save(update_fields=["status", "decided_by", "decided_at"])
    record(actor, "fpa.account.password.reset_refused", reset.user, {"reset": reset.pk})
    return reset


def reset_notice(user: User) -> str:
    """What the user is told on the forced change after someone reset the password."""
    reset = (
        PasswordReset.objects.filter(user=user, status=PasswordReset.Status.APPLIED)
        .select_related("requested_by", "decided_by")
        .first()
    )
    if reset is None or not user.must_change_password:
        return ""
    if (
        user.password_changed_at
        and reset.decided_at
        and reset.decided_at < user.password_changed_at
    ):
        return ""
    when = timezone.localtime(reset.requested_at).strftime("%Y-%m-%d %H:%M")
    who = _name(reset.requested_by)
    text = f"您的密码已于 {when} 由 {who} 重置"
    if reset.decided_by_id and reset.decided_by_id != reset.requested_by_id:
        text += f"，经安全管理员 {_name(reset.decided_by)} 确认"
    return text + "。如非您本人要求，请立即报告安全管理员。"


def _name(user: User | None) -> str:
    if user is None:
        return "系统"
    return f"{user.display_name or user.username}（{user.username}）"


def locked_accounts(actor: Actor) -> list[dict[str, Any]]:
    """Accounts in reach locked now, with when the lock ends."""
    actor.require("accounts.change")
    cool_off: datetime.timedelta = settings.AXES_COOLOFF_TIME
    since = timezone.now() - cool_off
    # One row per username, address and browser: the lock counts their failures together.
    attempts = (
        AccessAttempt.objects.values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT, last__gte=since)
    )
    until = {a["username"]: a["last"] + cool_off for a in attempts}
    users = visible_users(actor).filter(username__in=until).select_related("org")
    return [{"user": u, "until": until[u.username]} for u in users.order_by("username")]


def repeated_lockouts(actor: Actor) -> list[dict[str, Any]]:
    """Accounts in reach locked at least twice in the last 30 days: someone may be guessing."""
    actor.require("accounts.change")
    since = timezone.now() - datetime.timedelta(days=REPEATED_DAYS)
    counts = (
        LoginEvent.objects.filter(
            result=LoginEvent.Result.LOCK, at__gte=since, user__in=visible_users(actor)
        )
        .values("user")
        .annotate(n=Count("id"))
        .filter(n__gte=REPEATED_FROM)
    )
    by_user = {row["user"]: row["n"] for row in counts}
    users = User.objects.filter(pk__in=by_user).select_related("org").order_by("username")
    return [{"user": u, "count": by_user[u.pk]} for u in users]
