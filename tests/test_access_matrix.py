"""The access matrix, generated from the URL resolver (DESIGN §4 rule 9).

Every URL pattern × every built-in role (at 长沙县) and anonymous × the world's objects in reach
and their twins in 浏阳市 × GET and POST. The expected status comes from the view's declaration
(`fpa.core.permissions`) and the role table (`BUILTIN_ROLES`), never from running the view:
anonymous → the login, a method the view does not answer → 405, a permission the role lacks →
403, an object of another county → 404, otherwise 200 or 302. A URL pattern that is neither in
the matrix nor in `EXEMPT` (with its reason) fails it, so a new page cannot be forgotten.
Template rendering is stubbed (as pretix's `perf_patch`) and each request is rolled back, so the
matrix stays fast and a POST that succeeds changes nothing for the next one.

Below it, the reach across levels of the tree: province, county, township and village users on
org pages of five places (the division codes say which are in reach).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.http import HttpResponse
from django.template import loader
from django.template.response import SimpleTemplateResponse
from django.test import Client
from django.urls import resolve

from fpa.accounts.roles import BUILTIN_ROLES
from fpa.core.jobs import download_permission
from fpa.core.permissions import Declaration, declaration_of
from fpa.kernel.scope import Actor
from fpa.orgs import services
from tests.factories import UserFactory
from tests.urlwalk import COUNTY, FITTING_IDS, JOB_BY_ROUTE, World, fill, routes

ANONYMOUS = "anonymous"
#: the URL patterns the matrix leaves out, each with why
EXEMPT = {
    "api-root": "DRF's index of the API: the list of its routes, no data",
    "api-schema": "drf-spectacular's OpenAPI description: the routes' shapes, no data",
    **dict.fromkeys(
        [
            "people:old_relocations",
            "people:old_relocation_request",
            "people:old_positions",
            "people:old_position_add",
        ],
        "an old bookmarked address: a 301 to the new page, which checks the user "
        "(tests/people/test_old_addresses.py)",
    ),
}
#: the routes that refuse another county's object with a message and a redirect instead of a
#: 404, each with why (the refusal leaving the object unchanged is proved where it says)
#: what a POST carries where an empty one is refused as not found rather than as invalid
POST_DATA = {
    "people:import_commit": {"mode": "skip"},
    "people:merge": {"keep": "{person_id}", "drop": "{other_person_id}"},
    "programs:status": {"status": "open"},
    "programs:decide": {"action": "approve", "reason": "", "version": "1"},
    "programs:worklist_decide": {"action": "approve"},
}
#: the query a page needs to name its objects: {name} is filled from the world's ids
QUERY = {"people:merge": "?keep={person_id}&drop={other_person_id}"}
#: what the view asks of the object besides its declaration: a job's file needs the export
#: permission of the job's module (`fpa.core.jobs.download_permission`)
OBJECT_PERMS = {"core:job_download": download_permission(JOB_BY_ROUTE["core:job_download"][0])}
ALLOWED = {200, 302}


def expected(
    decl: Declaration, role: str, outside: bool, method: str, api: bool, also: str | None
) -> set[int]:
    """What the declaration and the role table say a request gets (`also`: what the object
    asks besides)."""
    if role == ANONYMOUS:
        if decl.public:
            return ALLOWED | {405}
        return {302, 401, 403} if api else {302}
    if decl.methods and method not in decl.methods and not api:
        return {405}
    perms = set(BUILTIN_ROLES[role][2])
    if any(p not in perms for p in decl.needs(method)):
        return {403}
    if decl.methods and method not in decl.methods:
        return {405}  # DRF: the permission first, then the method
    if outside:
        return {404}
    return {403} if also and also not in perms else ALLOWED


@pytest.fixture
def tree(world_tree: dict[str, Any]) -> dict[str, Any]:
    """The province every test here stands on is the kept world's (`world` stays in the
    database while this module runs, tests/conftest.py), so no test loads its own."""
    return world_tree


@pytest.fixture
def stub_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages render to nothing: the matrix checks who gets in, not what the page shows."""
    monkeypatch.setattr(loader, "render_to_string", lambda *args, **kwargs: "")
    monkeypatch.setattr(SimpleTemplateResponse, "rendered_content", property(lambda self: ""))


def answer(client: Client, method: str, url: str, data: dict[str, str]) -> HttpResponse:
    """One request, rolled back (a POST that works changes nothing), the session kept."""
    cookie = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    with transaction.atomic():
        response = client.post(url, data) if method == "POST" else client.get(url)
        transaction.set_rollback(True)
    if cookie is not None:  # a logout or a login ends the session; the next request needs it
        client.cookies[django_settings.SESSION_COOKIE_NAME] = cookie.value
    return response


def walk(world: World, role: str, client: Client, user: Any) -> tuple[list[str], set[str]]:
    """Every URL for one role: the mismatches, and the route names covered."""
    wrong: list[str] = []
    covered: set[str] = set()
    for route in routes():
        if route.name in EXEMPT:
            continue
        for outside in (False, True):
            starter = user or world.users["clerk"]
            for path in fill(route, world, starter, outside=outside, fitting=True):
                decl = declaration_of(resolve(path).func)
                url = path + QUERY.get(route.name, "").format(**world.ids)
                if decl is None:
                    wrong.append(f"{route.route}: no permission declared on its view")
                    break
                covered.add(route.name)
                for method in ("GET", "POST"):
                    api = url.startswith("/api/")
                    also = OBJECT_PERMS.get(route.name)
                    want = expected(decl, role, outside, method, api, also)
                    data = {
                        k: v.format(**world.ids) for k, v in POST_DATA.get(route.name, {}).items()
                    }
                    got = answer(client, method, url, data).status_code
                    if got not in want:
                        where = "another county" if outside else "in reach"
                        wrong.append(f"{method} {url} ({where}): {got}, declared {sorted(want)}")
    return wrong, covered


@pytest.mark.parametrize("role", [*BUILTIN_ROLES, ANONYMOUS])
def test_every_url_answers_as_declared(role, world, tree, settings, stub_rendering):
    # the second factor is its own gate (tests/accounts/test_login_policy.py)
    settings.FPA_TOTP_ENABLED = False
    client = Client(raise_request_exception=False)
    user = None
    if role != ANONYMOUS:
        user = UserFactory(username=f"matrix_{role}", org=tree[COUNTY], roles=[role])
        client.force_login(user)
    wrong, covered = walk(world, role, client, user)
    assert not wrong, f"{role}: {len(wrong)} answers differ from the declarations:\n" + "\n".join(
        wrong
    )
    names = {r.name for r in routes()}
    assert names - set(EXEMPT) == covered, "URLs neither in the matrix nor exempt"


def test_the_exemptions_name_real_urls_and_say_why():
    names = {r.name for r in routes()}
    assert set(EXEMPT) | set(POST_DATA) | set(QUERY) | set(FITTING_IDS) <= names
    assert all(reason.strip() for reason in EXEMPT.values())


# ---- the reach across the levels of the tree ----

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
