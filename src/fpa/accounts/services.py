"""Account management: who may create, disable and grant what, within their subtree."""

from __future__ import annotations

from typing import Any

from axes.utils import reset
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from fpa.audit.services import record
from fpa.core.errors import DomainError
from fpa.kernel.scope import Actor, in_reach, subtree_q
from fpa.orgs.models import Org, Status

from . import roles as builtin
from .models import Grant, GrantRule, PasswordHistory, PasswordReset, Role, RoleAssignment, User

#: how many passwords (the current one included) may not be used again
PASSWORD_HISTORY = 5


def _in_reach(actor: Actor, org: Org) -> None:
    if not in_reach(org, actor):
        raise DomainError("该单位不在您的管辖范围内", field="org")


def _user_in_reach(actor: Actor, user: User) -> None:
    _in_reach(actor, user.org)


def perms_of(user: User) -> set[str]:
    """The "module.action" permissions a user's roles grant."""
    return {
        f"{m}.{a}"
        for m, a in Grant.objects.filter(role__assignments__user=user).values_list(
            "module", "action"
        )
    }


def _may_manage(actor: Actor, user: User) -> None:
    """An account administrator leaves another administrator's account alone unless it sits
    strictly above it: otherwise one admin creates a second and each widens the other's rights."""
    if actor.user is None or "accounts.manage_users" not in perms_of(user):
        return
    if user.pk == actor.user.pk:
        return
    above = in_reach(user.org, actor) and user.org_id != actor.org.pk
    if not above:
        raise DomainError(
            "不能修改另一账号管理员的账号（角色、停用、重置密码），须由其上级单位的管理员办理"
        )


def grantable_roles(actor: Actor) -> list[Role]:
    """The roles the actor may assign, by the grant table."""
    if actor.user is None:
        return list(Role.objects.all())
    return list(
        Role.objects.filter(granted_by__granter__assignments__user=actor.user)
        .distinct()
        .order_by("id")
    )


def _check_password(password: str, user: User) -> None:
    try:
        # Django's own validators speak the UI language only when told to, also in tasks.
        with translation.override(settings.LANGUAGE_CODE):
            validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("；".join(exc.messages), field="password") from exc


@transaction.atomic
def create_user(data: dict[str, Any], *, actor: Actor) -> User:
    """Create an account in the actor's subtree; its first login must change the password."""
    actor.require("accounts.manage_users")
    org: Org = data["org"]
    _in_reach(actor, org)
    if org.status == Status.ABOLISHED:
        raise DomainError("该单位已撤销，不能新建账号", field="org")
    if User.objects.filter(username__iexact=data["username"]).exists():
        raise DomainError("用户名已被使用", field="username")
    user = User(
        username=data["username"],
        display_name=data.get("display_name", ""),
        org=org,
        must_change_password=True,
    )
    _check_password(data["password"], user)
    user.set_password(data["password"])
    user.save()
    for role in data.get("roles", []):
        _assign(user, role, data.get("own_org_only", False), actor)
    _check_separation(user)
    record(
        actor,
        "fpa.account.created",
        user,
        {"org": [None, org.pk], "roles": [None, [r.code for r in data.get("roles", [])]]},
    )
    return user


def _assign(user: User, role: Role, own_org_only: bool, actor: Actor) -> RoleAssignment:
    if role not in grantable_roles(actor):
        raise DomainError(f"您无权授予“{role.name}”角色", field="roles")
    if actor.self_only and not own_org_only:
        raise DomainError("您的权限仅限本级，授予的角色也只能限于本级", field="own_org_only")
    assignment, _ = RoleAssignment.objects.update_or_create(
        user=user,
        role=role,
        defaults={"own_org_only": own_org_only, "granted_by": actor.user},
    )
    return assignment


def _check_separation(user: User) -> None:
    if reason := builtin.conflict(perms_of(user)):
        raise DomainError(reason, field="roles")


@transaction.atomic
def set_roles(user: User, roles: list[Role], own_org_only: bool, *, actor: Actor) -> User:
    """Replace a user's roles with roles the actor may grant (separation of duties kept)."""
    actor.require("accounts.manage_users")
    _user_in_reach(actor, user)
    if actor.user is not None and user.pk == actor.user.pk:
        raise DomainError("不能修改自己的角色", field="roles")
    _may_manage(actor, user)
    before = sorted(user.assignments.values_list("role__code", flat=True))
    mine = {r.pk for r in grantable_roles(actor)}
    # Only roles the actor could grant are replaced: nobody takes away what they cannot give.
    user.assignments.filter(role_id__in=mine).exclude(role__in=roles).delete()
    for role in roles:
        _assign(user, role, own_org_only, actor)
    _check_separation(user)
    after = sorted(user.assignments.values_list("role__code", flat=True))
    if before != after:
        record(actor, "fpa.account.roles.changed", user, {"roles": [before, after]})
    return user


@transaction.atomic
def set_active(user: User, active: bool, *, actor: Actor) -> User:
    """Disable or re-enable an account (never delete: the audit trail points at it)."""
    actor.require("accounts.manage_users")
    _user_in_reach(actor, user)
    if actor.user is not None and user.pk == actor.user.pk:
        raise DomainError("不能停用自己的账号")
    _may_manage(actor, user)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        action = "fpa.account.enabled" if active else "fpa.account.disabled"
        record(actor, action, user, {"is_active": [not active, active]})
    return user


def needs_second_person(user: User) -> bool:
    """Whether resetting this account's password waits for the security administrator: an
    account that reviews, approves or administers is worth taking over."""
    perms = perms_of(user)
    return builtin.administers(perms) or any(p.endswith(".approve") for p in perms)


def set_password_hash(user: User, encoded: str) -> None:
    """Replace the user's password by an encoded one, keeping the old one in the history."""
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)
        old = list(keep[PASSWORD_HISTORY - 1 :])
        PasswordHistory.objects.filter(pk__in=old).delete()
    user.password = encoded


@transaction.atomic
def reset_password(user: User, password: str, *, actor: Actor) -> PasswordReset:
    """Set a temporary password; the user must change it at the next login.

    For an account that reviews, approves or administers, the reset waits until the security
    administrator confirms it (two people); until then the old password still works.
    """
    actor.require("accounts.manage_users")
    _user_in_reach(actor, user)
    _may_manage(actor, user)
    _check_password(password, user)
    if PasswordReset.objects.filter(user=user, status=PasswordReset.Status.PENDING).exists():
        raise DomainError("该账号已有待安全管理员确认的密码重置，请等其处理后再试")
    reset = PasswordReset(user=user, password=make_password(password), requested_by=actor.user)
    if needs_second_person(user):
        reset.status = PasswordReset.Status.PENDING
        reset.save()
        record(actor, "fpa.account.password.reset_requested", user, {"reset": reset.pk})
        return reset
    reset.status = PasswordReset.Status.APPLIED
    reset.decided_by = actor.user
    reset.decided_at = timezone.now()
    reset.save()
    set_password_hash(user, reset.password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record(actor, "fpa.account.password.reset", user, {"reset": reset.pk})
    return reset


@transaction.atomic
def change_own_password(user: User, old: str, new: str, *, actor: Actor) -> User:
    """A user changes their own password (first login, expiry, or by choice).

    None of the last five passwords may come back (the validators check the history).
    """
    if not user.check_password(old):
        raise DomainError("原密码不正确", field="old_password")
    if old == new:
        raise DomainError("新密码不能与原密码相同", field="new_password")
    _check_password(new, user)
    set_password_hash(user, make_password(new))
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    record(actor, "fpa.account.password.changed", user, {})
    return user


@transaction.atomic
def unlock(user: User, *, actor: Actor) -> User:
    """Lift a login lockout (security administration, not user administration)."""
    actor.require("accounts.change")
    _user_in_reach(actor, user)
    reset(username=user.username)
    record(actor, "fpa.account.unlocked", user, {})
    return user


def grant_table() -> list[tuple[Role, list[Role]]]:
    """Which role may grant which, for the page where roles are assigned."""
    rules: dict[int, list[Role]] = {}
    for rule in GrantRule.objects.select_related("grantable").order_by("grantable_id"):
        rules.setdefault(rule.granter_id, []).append(rule.grantable)
    return [(role, rules[role.pk]) for role in Role.objects.order_by("id") if role.pk in rules]


def visible_users(actor: Actor) -> Any:
    """The accounts of the actor's reach (the one scoped way to list users)."""
    if actor.self_only:
        return User.objects.filter(org=actor.org)
    return User.objects.filter(subtree_q(actor.org, "org__", ancestor_columns=False))
