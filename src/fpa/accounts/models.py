"""Users, each bound to one org, and roles granted as data (not code branches)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from fpa.kernel.merging import Moves


class Action(models.TextChoices):
    VIEW = "view", "查看"
    ADD = "add", "新增"
    CHANGE = "change", "修改"
    APPROVE = "approve", "审批"
    EXPORT = "export", "导出"
    PAY = "pay", "发放"
    MANAGE_USERS = "manage_users", "管理用户"
    EXPORT_FULL = "export_full", "导出完整号码"


class Module(models.TextChoices):
    ORGS = "orgs", "组织网络"
    ACCOUNTS = "accounts", "账号"
    AUDIT = "audit", "审计日志"
    PEOPLE = "people", "人员"
    FAMILIES = "families", "特殊家庭"
    PROGRAMS = "programs", "帮扶项目"
    FUNDS = "funds", "资金"
    ACTIVITIES = "activities", "活动"
    ASSESSMENT = "assessment", "考核"
    REPORTS = "reports", "统计"


class User(AbstractUser):
    on_merge = Moves("users")

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="users", verbose_name="所属单位"
    )
    display_name = models.CharField("姓名", max_length=50, blank=True)
    must_change_password = models.BooleanField("下次登录须修改密码", default=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    REQUIRED_FIELDS = ["org"]

    #: set on the request's user by django-otp's OTPMiddleware: has this session passed the
    #: second factor (an annotation only, for the type checker; the model has no such field)
    is_verified: Callable[[], bool]

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    def password_expired(self) -> bool:
        days = settings.FPA_PASSWORD_MAX_AGE_DAYS
        if not days or self.password_changed_at is None:
            return False
        return timezone.now() - self.password_changed_at > datetime.timedelta(days=days)

    def grants(self) -> tuple[frozenset[str], bool, tuple[str, ...]]:
        """The "module.action" permissions the user's roles grant, whether the reach is the
        org itself only (本级: every role of the user is granted that way), and the roles' names
        (shown beside the user's org on every page)."""
        assignments = list(
            RoleAssignment.objects.filter(user=self)
            .order_by("role_id")
            .values_list("own_org_only", "role__name")
        )
        perms = frozenset(
            f"{module}.{action}"
            for module, action in Grant.objects.filter(role__assignments__user=self)
            .values_list("module", "action")
            .distinct()
        )
        self_only = bool(assignments) and all(own for own, _ in assignments)
        return perms, self_only, tuple(name for _, name in assignments)


class Role(models.Model):
    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=50)
    description = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "角色"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Grant(models.Model):
    """One permission of a role: an action on a module."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="grants")
    module = models.CharField("模块", max_length=20, choices=Module.choices)
    action = models.CharField("操作", max_length=20, choices=Action.choices)

    class Meta:
        verbose_name = "权限"
        constraints = [
            models.UniqueConstraint(fields=["role", "module", "action"], name="grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.module}.{self.action}"


class GrantRule(models.Model):
    """Which role may assign which: the table shown where roles are assigned."""

    granter = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="may_grant")
    grantable = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="granted_by")

    class Meta:
        verbose_name = "授权规则"
        constraints = [
            models.UniqueConstraint(fields=["granter", "grantable"], name="grantrule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.granter} → {self.grantable}"


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments")
    own_org_only = models.BooleanField("仅限本级", default=False)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "角色分配"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.role}"


class LoginEvent(models.Model):
    """The login log: every attempt, its address, browser and result."""

    class Result(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILED = "failed", "失败"
        LOCK = "lock", "锁定"
        LOCKED = "locked", "账号已锁定"
        LOGOUT = "logout", "退出"
        TIMEOUT = "timeout", "超时退出"

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="logins")
    username = models.CharField("用户名", max_length=150)
    ip = models.GenericIPAddressField("IP", null=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices)

    class Meta:
        verbose_name = "登录日志"
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "at"], name="login_user_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.result}"


class PasswordHistory(models.Model):
    """A password the user had before (its hash), so the last five are not used again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="old_passwords")
    password = models.CharField("密码哈希", max_length=128)
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.replaced_at:%Y-%m-%d}"


class PasswordReset(models.Model):
    """A password reset by an account administrator: applied at once for a business account,
    held until the security administrator confirms it for one that reviews, approves or
    administers (two people), and shown to the user at the next login."""

    class Status(models.TextChoices):
        PENDING = "pending", "待安全管理员确认"
        APPLIED = "applied", "已生效"
        REFUSED = "refused", "已驳回"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="resets")
    # The temporary password's hash: the plain text is never kept.
    password = models.CharField("临时密码哈希", max_length=128)
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "密码重置"
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One reset waits per account at a time: a second request replaces nothing silently.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="reset_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.status}"
