"""Demo accounts for `make run`: a clerk at every level, an outsider, and the three separated
duties (user administration, security administration, audit), each with its roles.

Idempotent: an account that exists is kept as it is (its password too); its roles are added when
missing, so an older demo database gets new ones. Called from `fpa.demo.loader.load`.
"""

from __future__ import annotations

from django.utils import timezone

from fpa.orgs.models import Level, Org

from .models import Role, RoleAssignment, User

DEMO_PASSWORD = "Fpa@2021demo"
# (username, display name, level, division code, roles): a clerk per level, an outsider, and the
# three separated duties (user administration, security administration, audit)
DEMO_USERS = [
    ("sheng", "省计生协业务员", Level.PROVINCE, "430000000000", ["clerk"]),
    ("changsha", "长沙市计生协", Level.CITY, "430100000000", ["clerk"]),
    ("changshaxian", "长沙县计生协", Level.COUNTY, "430121000000", ["clerk"]),
    ("xingsha", "星沙街道计生协", Level.TOWNSHIP, None, ["clerk"]),
    ("cun", "村计生协专干", Level.VILLAGE, None, ["clerk"]),
    ("xingsha_shenhe", "星沙街道审核员", Level.TOWNSHIP, None, ["reviewer"]),
    ("changshaxian_shenpi", "长沙县审批员", Level.COUNTY, "430121000000", ["approver"]),
    ("liuyang_town", "浏阳市乡镇计生协（对照）", Level.TOWNSHIP, "430181001000", ["clerk"]),
    ("changshaxian_admin", "长沙县账号管理员", Level.COUNTY, "430121000000", ["org_admin"]),
    ("sheng_admin", "省系统管理员", Level.PROVINCE, "430000000000", ["province_admin"]),
    ("sheng_security", "省安全管理员", Level.PROVINCE, "430000000000", ["security_admin"]),
    ("sheng_audit", "省审计员", Level.PROVINCE, "430000000000", ["auditor"]),
]


def loaded() -> bool:
    """Whether the demo accounts are there: the demo was loaded before."""
    return User.objects.filter(username=DEMO_USERS[0][0]).exists()


def demo_logins() -> list[tuple[str, str, str, str]]:
    """(username, password, org, roles) of each demo account there is, for the command to print."""
    users = User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).select_related("org")
    by_name = {u.username: u for u in users}
    names = dict(Role.objects.values_list("code", "name"))
    return [
        (name, DEMO_PASSWORD, by_name[name].org.name, "、".join(names[c] for c in roles))
        for name, _display, _level, _code, roles in DEMO_USERS
        if name in by_name
    ]


def users() -> None:
    """The demo accounts with their roles (added to an older demo database too)."""
    codes = [u[3] for u in DEMO_USERS if u[3]]
    orgs = {o.code: o for o in Org.unscoped_objects.filter(code__in=codes)}
    county = orgs["430121000000"]
    township = Org.unscoped_objects.filter(parent=county).order_by("path").first()
    village = Org.unscoped_objects.filter(parent=township).order_by("path").first()
    for username, display, level, code, roles in DEMO_USERS:
        org = orgs.get(code) if code else (township if level == Level.TOWNSHIP else village)
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": display, "org": org}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            # Demo accounts skip the first-login password change so the tour starts at once.
            user.must_change_password = False
            user.password_changed_at = timezone.now()
            user.save()
        for role_code in roles:
            RoleAssignment.objects.get_or_create(user=user, role=Role.objects.get(code=role_code))
