"""A filter submits by GET without the CSRF token (it would sit in the address bar, the browser
history and the server log); the export beside it is a POST form of its own that carries the
filters the list shows (issue 13 point 12)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

PAGES = [
    (["clerk"], "people:persons", ()),
    (["clerk"], "people:members", ()),
    (["clerk"], "people:positions", ("volunteer",)),
    (["clerk"], "families:list", ()),
    (["auditor"], "audit:log", ()),
    (["org_admin"], "accounts:users", ()),
]


@pytest.mark.parametrize("roles, name, args", PAGES)
def test_filters_leave_the_token_out_and_the_export_carries_them(tree, client, roles, name, args):
    client.force_login(UserFactory(username="f", org=tree["430121000000"], roles=roles))
    page = client.get(reverse(name, args=args), {"q": "王", "page": "2"}).content.decode()
    forms = re.findall(r"<form\b([^>]*)>(.*?)</form>", page, re.S)
    gets = [body for attrs, body in forms if 'method="get"' in attrs]
    assert gets, name
    assert all("csrfmiddlewaretoken" not in body for body in gets), name
    export = [body for attrs, body in forms if 'data-testid="export-form"' in attrs]
    assert len(export) == 1, name
    assert 'name="csrfmiddlewaretoken"' in export[0]
    assert '<input type="hidden" name="q" value="王">' in export[0]
    assert 'name="page"' not in export[0]
