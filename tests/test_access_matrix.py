"""Role × URL → status: every org-bound page answers 404 outside the user's subtree.

Later issues add their URLs to ORG_URLS (or a matrix of their own) so that every page is
covered. The expectation comes from the division codes, not from the code under test.
"""

from __future__ import annotations

import pytest

from fpa.orgs import services
from fpa.orgs.kernel.scope import Actor

SIGNIFICANT = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}

# (method, url template, status when in reach)
ORG_URLS = [
    ("get", "/orgs/{org}/", 200),
    ("get", "/orgs/{org}/children/", 200),
    ("get", "/orgs/{org}/edit/", 200),
    ("get", "/orgs/{org}/years/2021/", 200),
    ("get", "/orgs/{org}/sites/add/", 200),
    ("get", "/orgs/{org}/sites/{site}/", 200),
    ("get", "/orgs/{org}/add/", 200),
    ("get", "/orgs/{org}/merge/", 200),
    ("post", "/orgs/{org}/export/", 302),
    ("post", "/orgs/{org}/edit/", 200),
    ("get", "/api/orgs/{org}/", 200),
]
ROLES = ["province", "county", "outsider", "village"]
TARGETS = ["430121000000", "430121001001", "430121001002", "430181001000", "430202001001"]


def in_reach(user_org, target_code: str) -> bool:
    width = SIGNIFICANT[user_org.level]
    return target_code[:width] == user_org.code[:width]


@pytest.mark.parametrize("method,url,ok", ORG_URLS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("target", TARGETS)
def test_access_matrix(users, tree, client, method, url, ok, role, target):
    org = tree[target]
    site = services.save_site(
        org, {"kind": "member_home", "name": "会员之家"}, actor=Actor.system(tree["430000000000"])
    )
    user = users[role]
    client.force_login(user)
    response = getattr(client, method)(url.format(org=org.pk, site=site.pk))
    expected = ok if in_reach(user.org, target) else 404
    assert response.status_code == expected


@pytest.mark.parametrize("method,url,ok", ORG_URLS)
def test_anonymous_user_gets_nothing(tree, client, method, url, ok):
    org = tree["430121000000"]
    response = getattr(client, method)(url.format(org=org.pk, site=1))
    assert response.status_code in (302, 401, 403)
    assert response.status_code != 200


def test_forged_site_id_of_another_org_is_not_found(users, tree, client_for):
    neighbour = tree["430121001002"]
    site = services.save_site(
        neighbour,
        {"kind": "member_home", "name": "邻村会员之家"},
        actor=Actor.system(tree["430000000000"]),
    )
    own = tree["430121001001"]
    response = client_for(users["village"]).get(f"/orgs/{own.pk}/sites/{site.pk}/")
    assert response.status_code == 404


# ---- every role × every URL: 403 for an action above the role, 404 outside its reach ----

ROLES_AT_COUNTY = ["clerk", "viewer", "reviewer", "org_admin", "security_admin", "auditor"]
# (method, url, permission, status when allowed); {org} and {user} are filled per target
ROLE_URLS = [
    ("get", "/orgs/", "orgs.view", 200),
    ("get", "/orgs/search/?q=hh", "orgs.view", 200),
    ("get", "/orgs/{org}/", "orgs.view", 200),
    ("get", "/orgs/{org}/children/", "orgs.view", 200),
    ("get", "/orgs/{org}/edit/", "orgs.change", 200),
    ("post", "/orgs/{org}/edit/", "orgs.change", 200),
    ("get", "/orgs/{org}/years/2021/", "orgs.change", 200),
    ("get", "/orgs/{org}/sites/add/", "orgs.change", 200),
    ("get", "/orgs/{org}/add/", "orgs.add", 200),
    ("get", "/orgs/{org}/merge/", "orgs.change", 200),
    ("post", "/orgs/{org}/export/", "orgs.export", 302),
    ("get", "/api/orgs/", "orgs.view", 200),
    ("get", "/api/orgs/{org}/", "orgs.view", 200),
    ("get", "/accounts/users/", "accounts.view", 200),
    ("get", "/accounts/users/add/", "accounts.manage_users", 200),
    ("post", "/accounts/users/export/", "accounts.view", 302),
    ("get", "/accounts/users/{user}/", "accounts.view", 200),
    ("post", "/accounts/users/{user}/active/", "accounts.manage_users", 302),
    ("post", "/accounts/users/{user}/password/", "accounts.manage_users", 302),
    ("post", "/accounts/users/{user}/unlock/", "accounts.change", 302),
    ("get", "/audit/", "audit.view", 200),
    ("post", "/audit/export/", "audit.export", 302),
    ("get", "/people/", "people.view", 200),
    ("get", "/people/members/", "people.view", 200),
    ("get", "/people/add/", "people.add", 200),
    ("get", "/people/relocations/", "people.view", 200),
    ("get", "/people/check/?id_number=1", "people.view", 200),
    ("post", "/people/export/persons/", "people.export", 302),
    ("post", "/people/export/officer/", "people.export", 302),
    ("get", "/people/{person}/", "people.view", 200),
    ("get", "/people/{person}/edit/", "people.change", 200),
    ("post", "/people/{person}/reveal/phone/", "people.change", 200),
    ("post", "/people/{person}/join/", "people.add", 302),
    ("get", "/people/members/{membership}/card/", "people.view", 200),
    ("get", "/people/positions/officer/", "people.view", 200),
    ("get", "/people/{person}/positions/staff/add/", "people.change", 200),
    ("get", "/people/org/{org}/panel/", "people.view", 200),
    ("get", "/people/import/", "people.add", 200),
    ("get", "/people/import/template/", "people.add", 200),
    ("get", "/families/", "families.view", 200),
    ("get", "/families/worklist/", "families.view", 200),
    ("get", "/families/coverage/", "families.view", 200),
    ("post", "/families/coverage/refresh/", "families.view", 302),
    ("get", "/families/batch/", "families.add", 200),
    ("get", "/families/add/", "families.add", 200),
    ("get", "/families/{family}/", "families.view", 200),
    ("get", "/families/import/", "families.add", 200),
    ("post", "/families/export/", "families.export", 302),
    ("post", "/families/{family}/care/", "families.add", 302),
    ("post", "/families/{family}/contact/", "families.change", 302),
    ("post", "/families/{family}/end/", "families.change", 302),
    ("get", "/accounts/password/", None, 200),
    ("get", "/accounts/logins/", None, 200),
    ("get", "/accounts/token/", None, 200),
]


@pytest.mark.parametrize("method,url,perm,ok", ROLE_URLS)
@pytest.mark.parametrize("role", ROLES_AT_COUNTY)
@pytest.mark.parametrize("inside", [True, False])
def test_role_matrix(users, tree, client, method, url, perm, ok, role, inside):
    from fpa.accounts.roles import BUILTIN_ROLES
    from tests.factories import UserFactory

    actor_user = UserFactory(username=f"r_{role}", org=tree["430121000000"], roles=[role])
    target_org = tree["430121001001"] if inside else tree["430181001000"]
    target_user = users["village"] if inside else users["outsider"]
    person, membership, family = _resident(tree, target_org)
    client.force_login(actor_user)
    response = getattr(client, method)(
        url.format(
            org=target_org.pk,
            user=target_user.pk,
            person=person.pk,
            membership=membership.pk,
            family=family.pk,
        )
    )
    allowed = perm is None or perm in BUILTIN_ROLES[role][2]
    targeted = "{" in url
    if targeted and not inside:
        assert response.status_code == 404
    else:
        assert response.status_code == (ok if allowed else 403)


def _resident(tree, org):
    """A member living at `org`, registered by the platform itself."""
    import datetime

    from fpa.core.idnumber import synthesize
    from fpa.people import services as people

    system = Actor.system(tree["430000000000"])
    number = synthesize(org.code[:6], datetime.date(1970, 1, 1), 8, "male")
    person = people.register_person(
        {"name": "测试", "id_number": number, "phone": "13900000000", "org": org}, actor=system
    )
    membership = people.join(person, org, datetime.date(2021, 1, 1), actor=system)
    from fpa.families import services as families

    family = families.recognize(
        {
            "kind": "bereaved",
            "parents": [person],
            "recognized_on": datetime.date(2021, 1, 1),
            "child_name": "子",
            "child_died_on": datetime.date(2020, 1, 1),
        },
        actor=system,
    )
    return person, membership, family
