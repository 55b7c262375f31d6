"""Separation of duties that cannot be walked around (finding H1): an account administrator
holds no business role whoever grants it, leaves other administrators' accounts to their
superiors, and resets the password of an account that matters only with a second person."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from fpa.accounts import security, services
from fpa.accounts.models import PasswordReset, Role, User
from fpa.audit.models import LogEntry
from fpa.core.errors import DomainError
from tests.conftest import PASSWORD, actor_of
from tests.factories import UserFactory, grant

TEMP = "Lin$shi2026mima"


def role(code: str) -> int:
    return Role.objects.get(code=code).pk


@pytest.fixture
def admin(tree):
    return UserFactory(username="cs_admin", org=tree["430121000000"], roles=["org_admin"])


def test_admin_creates_a_second_admin_who_cannot_grant_the_first_a_business_role(
    users, tree, admin, client
):
    client.force_login(admin)
    client.post(
        "/accounts/users/add/",
        {
            "username": "cs_admin_b",
            "display_name": "第二管理员",
            "org_code": "430121000000",
            "password": "Huang#hua21",
            "roles": [role("org_admin")],
        },
    )
    second = User.objects.get(username="cs_admin_b")
    User.objects.filter(pk=second.pk).update(must_change_password=False)  # its first login done
    client.force_login(second)
    page = client.post(
        f"/accounts/users/{admin.pk}/", {"roles": [role("org_admin"), role("clerk")]}
    )
    assert "另一账号管理员" in page.content.decode()
    assert not admin.assignments.filter(role__code="clerk").exists()
    client.force_login(admin)
    assert client.get("/people/").status_code == 403


def test_no_one_gives_an_account_administrator_a_business_role(users, tree, admin):
    province = UserFactory(
        username="sheng_admin", org=tree["430000000000"], roles=["province_admin"]
    )
    clerk, org_admin = Role.objects.get(code="clerk"), Role.objects.get(code="org_admin")
    with pytest.raises(DomainError, match="业务角色"):
        services.set_roles(admin, [org_admin, clerk], False, actor=actor_of(province))
    with pytest.raises(DomainError, match="业务角色"):
        services.create_user(
            {
                "username": "both",
                "org": tree["430121000000"],
                "password": "Huang#hua21",
                "roles": [org_admin, clerk],
            },
            actor=actor_of(province),
        )
    assert not admin.assignments.filter(role=clerk).exists()


def test_an_admin_leaves_another_admins_account_to_its_superior(users, tree, admin, client):
    second = UserFactory(username="cs_admin_b", org=tree["430121000000"], roles=["org_admin"])
    for service, args in (
        (services.set_active, (False,)),
        (services.reset_password, (TEMP,)),
        (services.set_roles, ([], False)),
    ):
        with pytest.raises(DomainError, match="须由其上级单位的管理员办理"):
            service(second, *args, actor=actor_of(admin))
    client.force_login(admin)
    client.post(f"/accounts/users/{second.pk}/active/", {"active": "0"})
    second.refresh_from_db()
    assert second.is_active
    province = UserFactory(
        username="sheng_admin", org=tree["430000000000"], roles=["province_admin"]
    )
    services.set_active(second, False, actor=actor_of(province))
    second.refresh_from_db()
    assert not second.is_active


def test_admin_resets_an_approvers_password_and_cannot_log_in_before_the_security_admin_confirms(
    users, tree, admin, client
):
    approver = UserFactory(username="cs_shenpi", org=tree["430121000000"], roles=["approver"])
    client.force_login(admin)
    response = client.post(f"/accounts/users/{approver.pk}/password/", {"password": TEMP})
    assert response.status_code == 302
    reset = PasswordReset.objects.get(user=approver)
    assert reset.status == "pending"
    detail = client.get(f"/accounts/users/{approver.pk}/").content.decode()
    assert 'data-testid="reset-pending"' in detail
    client.logout()
    refused = client.post("/accounts/login/", {"username": "cs_shenpi", "password": TEMP})
    assert refused.status_code == 200 and "用户名或密码错误" in refused.content.decode()
    # The old password still works until the second person confirms.
    assert client.post("/accounts/login/", {"username": "cs_shenpi", "password": PASSWORD}).url
    client.logout()
    client.force_login(admin)
    assert client.post(f"/accounts/security/resets/{reset.pk}/confirm/").status_code == 403
    security = UserFactory(username="sheng_sec", org=tree["430000000000"], roles=["security_admin"])
    client.force_login(security)
    page = client.get("/accounts/security/").content.decode()
    assert 'data-testid="pending-resets"' in page and "cs_shenpi" in page
    client.post(f"/accounts/security/resets/{reset.pk}/confirm/")
    client.logout()
    assert client.post("/accounts/login/", {"username": "cs_shenpi", "password": TEMP}).url == "/"
    assert client.get("/programs/worklist/").url == "/accounts/password/"
    notice = client.get("/accounts/password/").content.decode()
    assert 'data-testid="reset-notice"' in notice
    assert "cs_admin" in notice and "sheng_sec" in notice
    assert LogEntry.unscoped_objects.filter(action="fpa.account.password.reset_confirmed").exists()


def test_the_security_admin_may_refuse_a_reset(users, tree, admin):
    approver = UserFactory(username="cs_shenpi", org=tree["430121000000"], roles=["approver"])
    reset = services.reset_password(approver, TEMP, actor=actor_of(admin))
    with pytest.raises(DomainError, match="待安全管理员确认"):
        services.reset_password(approver, TEMP, actor=actor_of(admin))
    security_admin = UserFactory(
        username="sheng_sec", org=tree["430000000000"], roles=["security_admin"]
    )
    security.refuse_reset(reset.pk, actor=actor_of(security_admin))
    approver.refresh_from_db()
    assert approver.check_password(PASSWORD) and not approver.check_password(TEMP)


def test_a_clerks_reset_applies_at_once_and_the_clerk_sees_who_did_it(users, admin, client):
    clerk = users["village"]
    reset = services.reset_password(clerk, TEMP, actor=actor_of(admin))
    assert reset.status == "applied"
    client.post("/accounts/login/", {"username": "village", "password": TEMP})
    notice = client.get("/accounts/password/").content.decode()
    assert "cs_admin" in notice and "如非您本人要求" in notice


def test_sync_roles_lists_accounts_whose_roles_break_the_separation(users, tree, admin):
    grant(admin, "viewer")  # given before the rule existed
    out = io.StringIO()
    call_command("sync_roles", stdout=out)
    assert "cs_admin" in out.getvalue() and "业务角色" in out.getvalue()
    assert "programs.pay" in set(
        f"{g.module}.{g.action}" for g in Role.objects.get(code="clerk").grants.all()
    )


def test_an_admin_cannot_confirm_its_own_reset_through_a_security_admin_it_made(users, tree):
    province = UserFactory(
        username="sheng_admin", org=tree["430000000000"], roles=["province_admin"]
    )
    approver = UserFactory(username="cs_shenpi", org=tree["430121000000"], roles=["approver"])
    own = services.create_user(
        {
            "username": "sheng_sec2",
            "org": tree["430000000000"],
            "password": "Huang#hua21",
            "roles": [Role.objects.get(code="security_admin")],
        },
        actor=actor_of(province),
    )
    reset = services.reset_password(approver, TEMP, actor=actor_of(province))
    with pytest.raises(DomainError, match="另一位安全管理员"):
        security.confirm_reset(reset.pk, actor=actor_of(own))
    other = UserFactory(username="sheng_sec", org=tree["430000000000"], roles=["security_admin"])
    security.confirm_reset(reset.pk, actor=actor_of(other))


@pytest.mark.parametrize("decision", ["confirm", "refuse"])
def test_a_security_admin_of_another_county_leaves_a_reset_pending(tree, admin, client, decision):
    approver = UserFactory(username="cs_shenpi", org=tree["430121000000"], roles=["approver"])
    reset = services.reset_password(approver, TEMP, actor=actor_of(admin))
    other = UserFactory(username="ly_sec", org=tree["430181000000"], roles=["security_admin"])
    client.force_login(other)
    response = client.post(f"/accounts/security/resets/{reset.pk}/{decision}/")
    assert response.status_code == 404  # another county's reset does not exist for them
    reset.refresh_from_db()
    assert reset.status == "pending"
