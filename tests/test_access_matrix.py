"""Role × URL → status: every org-bound page answers 404 outside the user's subtree.

Later issues add their URLs to ORG_URLS (or a matrix of their own) so that every page is
covered. The expectation comes from the division codes, not from the code under test.
"""

from __future__ import annotations

import pytest

from fpa.core.scope import Actor
from fpa.orgs import services

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
