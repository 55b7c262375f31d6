"""Bookmarks of the pages' addresses from before the rename to relocations and positions still
lead to the page, permanently redirected, with the query kept."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "old,new",
    [
        ("/people/transfers/?dir=in", "/people/relocations/?dir=in"),
        ("/people/transfers/", "/people/relocations/"),
        ("/people/transfers/request/", "/people/relocations/request/"),
        ("/people/roles/volunteer/?q=%E5%BC%A0", "/people/positions/volunteer/?q=%E5%BC%A0"),
        ("/people/7/roles/staff/add/", "/people/7/positions/staff/add/"),
    ],
)
def test_an_old_bookmark_redirects_permanently_to_the_new_address(users, client_for, old, new):
    response = client_for(users["county"]).get(old)
    assert response.status_code == 301
    assert response.url == new


def test_an_old_bookmark_opened_signed_out_asks_for_the_login_first(client):
    """The redirect is no way round the login: the middleware answers before it."""
    page = client.get("/people/roles/volunteer/")
    assert page.status_code == 302
    assert page.url == "/accounts/login/?next=/people/roles/volunteer/"
