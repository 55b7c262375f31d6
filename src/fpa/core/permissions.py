"""Permissions declared on the view (DESIGN §4 rule 9).

Every view says, on the line above its `def`, which permission it needs and whether it writes:

    @permission("families.view")
    @permission("families.change", writes=True, methods=("POST",))
    @permission(None, reason="登录前的页面")

The declaration is kept on the view (`view.fpa_permission`) so the access matrix
(tests/test_access_matrix.py) reads its expectations from it, and it is enforced before the body
runs: an anonymous user is sent to the login, a user whose roles lack the permission gets 403,
a method outside `methods` gets 405. DRF viewsets declare `required_permission` (and
`permission_writes`) as class attributes, enforced by `DeclaredPermission`.

The permissions are the request's actor's (`fpa.kernel.scope.Actor`, the one module of
the kernel that core may import: it names no app).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponseBase, HttpResponseNotAllowed
from rest_framework.permissions import BasePermission

from fpa.kernel.scope import Actor

ATTRIBUTE = "fpa_permission"


@dataclass(frozen=True)
class Declaration:
    """What a view needs: a permission (None: any signed-in user, or the public with `public`),
    whether it writes, the methods it answers (None: any) and, without a permission, why."""

    perm: str | None
    writes: bool = False
    methods: tuple[str, ...] | None = None
    reason: str = ""
    public: bool = False
    #: what a POST needs besides `perm`, on a page that shows with `perm` and acts with more
    post_perm: str | None = None

    def needs(self, method: str) -> list[str]:
        """The permissions a request of this method needs."""
        found = [self.perm] if self.perm else []
        if method == "POST" and self.post_perm:
            found.append(self.post_perm)
        return found


def may(request: Any, perm: str) -> bool:
    """Whether the request's user holds `perm`: read from the request's actor, which the view
    body reuses (`Actor.from_request` builds it once), so declaring costs no query of its own."""
    return Actor.from_request(request).can(perm)


def permission(
    perm: str | None,
    *,
    writes: bool = False,
    methods: Iterable[str] | None = None,
    reason: str = "",
    public: bool = False,
    post_perm: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare and enforce what a view needs (see the module's docstring)."""
    if perm is None and not reason:
        raise ImproperlyConfigured("a view open without a permission says why (reason=...)")
    declared = Declaration(
        perm,
        writes,
        tuple(m.upper() for m in methods) if methods else None,
        reason,
        public,
        post_perm,
    )

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if declared.methods and request.method not in declared.methods:
                return HttpResponseNotAllowed(declared.methods)
            if not declared.public and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            for needed in declared.needs(request.method or "GET"):
                if not may(request, needed):
                    raise PermissionDenied(f"您没有“{needed}”权限")
            return view(request, *args, **kwargs)

        setattr(guarded, ATTRIBUTE, declared)
        if public:
            # the project's LoginRequiredMiddleware lets it through; the declaration says why
            guarded.login_required = False  # type: ignore[attr-defined]
        return guarded

    return decorate


def declaration_of(view: Callable[..., Any]) -> Declaration | None:
    """A view's declaration: the decorator's, or a DRF viewset's class attributes."""
    found = getattr(view, ATTRIBUTE, None)
    if isinstance(found, Declaration):
        return found
    cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
    if cls is not None and hasattr(cls, "required_permission"):
        actions = getattr(view, "actions", None) or {}
        return Declaration(
            cls.required_permission,
            getattr(cls, "permission_writes", False),
            tuple(m.upper() for m in actions) or None,
            reason=getattr(cls, "permission_reason", ""),
            public=getattr(cls, "permission_public", False),
        )
    return None


class DeclaredPermission(BasePermission):
    """DRF permission class: the viewset's `required_permission`, as the decorator does for
    pages (a missing one refuses every request, so a viewset cannot forget it)."""

    message = "您没有访问该接口的权限"

    def has_permission(self, request: Any, view: Any) -> bool:
        if not hasattr(view, "required_permission"):
            return False
        if getattr(view, "permission_public", False):
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        perm = view.required_permission
        return perm is None or may(request, perm)

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        return True
