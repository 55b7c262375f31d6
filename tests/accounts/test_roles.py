from __future__ import annotations

import pytest

from fpa.accounts import roles, services
from fpa.accounts.models import Role, User
from fpa.audit.models import LogEntry
from fpa.core.errors import DomainError
from fpa.kernel.scope import Actor
from fpa.orgs.models import Org
from tests.conftest import actor_of
from tests.factories import UserFactory

GOOD = "Xingsha@2021"


@pytest.fixture
def admin(tree):
    return UserFactory(username="cs_admin", org=tree["430121000000"], roles=["org_admin"])


def role(code: str) -> Role:
    return Role.objects.get(code=code)


def test_no_builtin_role_breaks_the_separation_of_duties(db):
    for code, (_name, _desc, perms) in roles.BUILTIN_ROLES.items():
        assert roles.conflict(set(perms)) is None, code
    assert Role.objects.count() == len(roles.BUILTIN_ROLES)


def test_org_admin_creates_a_clerk_in_its_subtree(admin, tree):
    user = services.create_user(
        {
            "username": "hw_clerk",
            "display_name": "湖湾村专干",
            "org": tree["430121001001"],
            "password": GOOD,
            "roles": [role("clerk")],
        },
        actor=actor_of(admin),
    )
    assert user.must_change_password and user.check_password(GOOD)
    assert list(user.assignments.values_list("role__code", flat=True)) == ["clerk"]
    entry = LogEntry.unscoped_objects.get(action="fpa.account.created")
    assert entry.actor == admin and entry.changes["roles"] == [None, ["clerk"]]


def test_org_admin_cannot_create_outside_its_subtree(admin, tree):
    with pytest.raises(DomainError, match="管辖范围"):
        services.create_user(
            {"username": "x1", "org": tree["430181001000"], "password": GOOD, "roles": []},
            actor=actor_of(admin),
        )
    assert not User.objects.filter(username="x1").exists()


@pytest.mark.parametrize("code", ["auditor", "province_admin", "security_admin"])
def test_org_admin_cannot_grant_roles_outside_the_grant_table(admin, tree, code):
    with pytest.raises(DomainError, match="无权授予"):
        services.create_user(
            {
                "username": "x2",
                "org": tree["430121001001"],
                "password": GOOD,
                "roles": [role(code)],
            },
            actor=actor_of(admin),
        )
    assert not User.objects.filter(username="x2").exists()


def test_one_account_cannot_manage_users_and_read_the_audit_log(tree):
    system = Actor.system(tree["430000000000"])
    user = UserFactory(org=tree["430121000000"])
    with pytest.raises(DomainError, match="三员分立"):
        services.set_roles(user, [role("org_admin"), role("auditor")], False, actor=system)
    with pytest.raises(DomainError, match="审批"):
        services.set_roles(user, [role("org_admin"), role("approver")], False, actor=system)


def test_clerk_cannot_manage_users(users, tree):
    with pytest.raises(Exception, match="accounts.manage_users"):
        services.create_user(
            {"username": "x3", "org": tree["430121001001"], "password": GOOD, "roles": []},
            actor=actor_of(users["county"]),
        )


@pytest.mark.parametrize(
    "password,message",
    [
        ("short1A", "至少"),
        ("alllowercase1", "至少三类"),
        ("Cs_admin2021", "用户名"),
        ("Password1", "常见"),
    ],
)
def test_password_rules(admin, tree, password, message):
    with pytest.raises(DomainError, match=message):
        services.create_user(
            {
                "username": "cs_admin2",
                "org": tree["430121001001"],
                "password": password,
                "roles": [],
            },
            actor=actor_of(admin),
        )


def test_role_narrowed_to_own_org_sees_only_that_org(tree):
    user = UserFactory(org=tree["430121000000"])
    from tests.factories import grant

    grant(user, "viewer", own_org_only=True)
    actor = actor_of(user)
    assert actor.self_only
    assert list(Org.objects.for_actor(actor).values_list("code", flat=True)) == ["430121000000"]


def test_disable_and_reset_password(admin, tree, client):
    clerk = UserFactory(username="hw", org=tree["430121001001"], roles=["clerk"])
    services.set_active(clerk, False, actor=actor_of(admin))
    form = {"username": "hw", "password": "Test@2021pass"}
    assert "用户名或密码错误" in client.post("/accounts/login/", form).content.decode()
    services.set_active(clerk, True, actor=actor_of(admin))
    services.reset_password(clerk, "Temp#2021x", actor=actor_of(admin))
    clerk.refresh_from_db()
    assert clerk.must_change_password
    actions = list(
        LogEntry.unscoped_objects.filter(object_id=str(clerk.pk)).values_list("action", flat=True)
    )
    assert set(actions) == {
        "fpa.account.disabled",
        "fpa.account.enabled",
        "fpa.account.password.reset",
    }
    with pytest.raises(DomainError, match="自己"):
        services.set_active(admin, False, actor=actor_of(admin))
