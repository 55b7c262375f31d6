"""The permission declared on a view: enforced before its body, kept for the access matrix."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from fpa.core.permissions import DeclaredPermission, declaration_of, permission
from tests.factories import UserFactory


def _ok(request):  # type: ignore[no-untyped-def]
    return HttpResponse("ok")


def test_a_view_open_to_any_user_must_say_why():
    with pytest.raises(ImproperlyConfigured):
        permission(None)


def test_the_declaration_is_kept_on_the_view():
    view = permission("families.change", writes=True, methods=("post",))(_ok)
    declared = declaration_of(view)
    assert declared.perm == "families.change" and declared.writes
    assert declared.methods == ("POST",)


def test_a_user_without_the_permission_is_refused_before_the_body(tree):
    view = permission("families.change")(_ok)
    request = RequestFactory().get("/")
    request.user = UserFactory(org=tree["430121000000"], roles=["viewer"])
    with pytest.raises(PermissionDenied):
        view(request)


def test_a_post_needs_the_post_permission_too(tree):
    view = permission("programs.view", post_perm="programs.pay")(_ok)
    user = UserFactory(org=tree["430121000000"], roles=["viewer"])
    get, post = RequestFactory().get("/"), RequestFactory().post("/")
    get.user = post.user = user
    assert view(get).status_code == 200
    with pytest.raises(PermissionDenied):
        view(post)


def test_a_get_to_a_post_only_view_is_not_allowed(tree):
    view = permission("families.change", methods=("POST",))(_ok)
    request = RequestFactory().get("/")
    request.user = UserFactory(org=tree["430121000000"], roles=["clerk"])
    assert view(request).status_code == 405


def test_a_viewset_that_declares_nothing_is_refused(tree):
    class Undeclared:
        pass

    request = RequestFactory().get("/")
    request.user = UserFactory(org=tree["430121000000"], roles=["clerk"])
    assert not DeclaredPermission().has_permission(request, Undeclared())
