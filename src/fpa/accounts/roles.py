"""The built-in roles, their grants, who may grant them, and the separation of duties.

Roles are rows (`Role`, `Grant`, `GrantRule`), loaded from this table by a data migration and by
`manage.py sync_roles`; an administrator may add roles as data. The three duties of 等保 三级 –
system administration (managing users), security administration and audit – stay apart, and
an account that administers accounts (users or their security) holds no business role, whoever
assigns it. Payment release (`programs.pay`: building a batch, exporting its bank file, importing
the bank's return) belongs to the clerk, never to the reviewer or approver of the applications.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

BUSINESS = [
    "orgs",
    "people",
    "families",
    "programs",
    "funds",
    "activities",
    "assessment",
    "reports",
]


def _all(modules: Iterable[str], *actions: str) -> list[str]:
    return [f"{m}.{a}" for m in modules for a in actions]


# code: (name, description, permissions)
BUILTIN_ROLES: dict[str, tuple[str, str, list[str]]] = {
    "province_admin": (
        "省级系统管理员",
        "管理全省账号与组织网络；不审批、不查看审计日志",
        ["accounts.view", "accounts.manage_users", *_all(["orgs"], "view", "add", "change")],
    ),
    "org_admin": (
        "单位管理员",
        "管理本单位及下级的账号；不审批、不查看审计日志",
        ["accounts.view", "accounts.manage_users", "orgs.view"],
    ),
    "security_admin": (
        "安全管理员",
        "查看账号与登录日志，解锁账号；不管理用户、不查看审计日志",
        ["accounts.view", "accounts.change"],
    ),
    "clerk": (
        "业务录入员",
        "录入与维护本辖区业务数据",
        [*_all(BUSINESS, "view", "add", "change", "export"), "programs.pay"],
    ),
    "reviewer": (
        "审核员",
        "审核申请（初审）",
        [*_all(BUSINESS, "view", "export"), "programs.approve"],
    ),
    "approver": ("审批员", "审批申请", [*_all(BUSINESS, "view", "export"), "programs.approve"]),
    "viewer": ("查看员", "只读查看业务数据", _all(BUSINESS, "view")),
    # A bank or insurer list needs whole ID and phone numbers; every such export is audited.
    "roster_officer": (
        "名单经办员",
        "导出含完整证件号码和电话的人员、会员名单（报银行、保险机构），每次导出记入审计日志",
        ["people.view", "people.export", "people.export_full"],
    ),
    "auditor": ("审计员", "只查看与导出审计日志", ["audit.view", "audit.export"]),
}

GRANT_RULES: dict[str, list[str]] = {
    "province_admin": [
        "org_admin",
        "clerk",
        "reviewer",
        "approver",
        "viewer",
        "roster_officer",
        "security_admin",
    ],
    "org_admin": ["org_admin", "clerk", "reviewer", "approver", "viewer", "roster_officer"],
    "security_admin": ["auditor"],
}


#: what an account administrator may still hold: the org network it administers accounts of
ADMIN_MODULES = {"accounts", "orgs"}
#: the permissions that make an account an administrator of accounts
ADMIN_PERMS = {"accounts.manage_users", "accounts.change"}


def administers(perms: set[str] | frozenset[str]) -> bool:
    """Whether these permissions administer accounts (users or their security)."""
    return bool(ADMIN_PERMS & set(perms))


def conflict(perms: set[str]) -> str | None:
    """Why a set of permissions breaks the separation of duties, or None."""
    audits = any(p.startswith("audit.") for p in perms)
    if "accounts.manage_users" in perms and audits:
        return "管理用户与查看审计日志不能由同一账号兼任（三员分立）"
    if "accounts.manage_users" in perms and "accounts.change" in perms:
        return "管理用户与安全管理不能由同一账号兼任（三员分立）"
    if "accounts.change" in perms and audits:
        return "安全管理与查看审计日志不能由同一账号兼任（三员分立）"
    if "accounts.manage_users" in perms and any(p.endswith(".approve") for p in perms):
        return "管理用户的账号不能同时拥有审批权限"
    if administers(perms) and any(p.split(".")[0] not in ADMIN_MODULES | {"audit"} for p in perms):
        return "管理账号的账号不能同时拥有业务角色（三员分立），请为业务工作另建账号"
    if "programs.pay" in perms and "programs.approve" in perms:
        return "发放资金与审核审批不能由同一账号兼任，请由业务录入员发放"
    return None


def sync(role_model: Any, grant_model: Any, rule_model: Any) -> None:
    """Create or update the built-in roles (works with migration-time models too, which the type
    checker cannot know: hence Any)."""
    roles = {}
    for code, (name, description, perms) in BUILTIN_ROLES.items():
        role, _ = role_model.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        roles[code] = role
        grant_model.objects.filter(role=role).delete()
        grant_model.objects.bulk_create(
            [grant_model(role=role, module=p.split(".")[0], action=p.split(".")[1]) for p in perms]
        )
    for granter, grantables in GRANT_RULES.items():
        for grantable in grantables:
            rule_model.objects.get_or_create(granter=roles[granter], grantable=roles[grantable])
