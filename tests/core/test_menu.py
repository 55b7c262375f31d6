"""The side menu (issue 13 point 3): each app declares its group, a user sees the pages their
roles open and nothing else, the current place is marked and the breadcrumbs follow it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from fpa.core import menu
from fpa.core.permissions import declaration_of
from tests.factories import UserFactory
from tests.urlwalk import routes


def _links(page: str) -> list[str]:
    nav = re.search(r'data-testid="side-menu">(.*?)</ul>', page, re.S).group(1)
    return re.findall(r'href="([^"]+)"', nav)


def test_every_entry_and_every_page_it_covers_is_a_url_of_the_platform():
    names = {r.name for r in routes()}
    for group in menu.groups():
        for entry in group.entries:
            assert entry.url in names, entry
            assert set(entry.covers) <= names, (entry.label, set(entry.covers) - names)


def test_an_entry_needs_what_its_view_declares():
    from django.urls import resolve

    for group in menu.groups():
        for entry in group.entries:
            assert entry.perm == declaration_of(resolve(entry.href).func).perm


@pytest.mark.parametrize(
    "roles, shown, hidden",
    [
        (["clerk"], ["/people/import/", "/families/batch/", "/programs/batches/"], ["/audit/"]),
        (["viewer"], ["/people/", "/families/worklist/"], ["/people/import/", "/audit/"]),
        (["auditor"], ["/audit/"], ["/people/", "/accounts/users/"]),
        (["org_admin"], ["/accounts/users/"], ["/families/worklist/", "/audit/"]),
    ],
)
def test_a_user_sees_only_the_pages_their_roles_open(tree, client, roles, shown, hidden):
    user = UserFactory(username="m", org=tree["430121000000"], roles=roles)
    client.force_login(user)
    links = _links(client.get("/", follow=True).content.decode())
    for url in shown:
        assert url in links, (roles, url)
    for url in hidden:
        assert url not in links, (roles, url)
    # and every link it shows opens
    for url in links:
        assert client.get(url, follow=True).status_code == 200, url


def test_the_current_page_is_marked_and_the_breadcrumbs_follow_the_menu(users, client_for):
    client = client_for(users["county"])
    page = client.get(reverse("people:positions", args=["volunteer"])).content.decode()
    active = re.findall(r'class="nav-link active" aria-current="page" href="([^"]+)"', page)
    assert active == ["/people/positions/volunteer/"]
    crumbs = re.search(r'data-testid="breadcrumbs">(.*?)</ol>', page, re.S).group(1)
    assert re.findall(r">([^<>]+)</(?:a|li)>", crumbs) == ["首页", "人员与会员", "志愿者"]


def test_a_page_under_an_entry_marks_that_entry(users, client_for):
    page = client_for(users["county"]).get(reverse("people:person_add")).content.decode()
    assert re.findall(r'class="nav-link active" aria-current="page" href="([^"]+)"', page) == [
        "/people/"
    ]


def test_the_users_org_and_roles_are_always_shown(users, client_for):
    page = client_for(users["village"]).get(reverse("people:persons")).content.decode()
    assert re.search(r'data-testid="my-org">[^<]*湖湾村', page)
    assert 'data-testid="my-roles">业务录入员<' in page
