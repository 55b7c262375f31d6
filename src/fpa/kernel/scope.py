"""The one scoping mechanism (DESIGN §4 rule 1).

Every model that holds an org's data uses a manager built from `ScopedQuerySet`: its rows
can only be read through `for_actor(actor)`, which limits them to the actor's org subtree.
Plain `Model.objects.filter(...)` raises `ScopeError`, so a forgotten scope fails loudly in
tests instead of leaking another county's records. System code with no actor (loaders,
migrations of data, benchmarks) says so explicitly with `Model.unscoped_objects`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest

if TYPE_CHECKING:
    from fpa.accounts.models import User
    from fpa.orgs.models import Org


class ScopeError(RuntimeError):
    """A query on org data that names no actor."""


ALL = "*"


@dataclass(frozen=True)
class Actor:
    """Who acts: the user, the org whose subtree they reach, their permissions and address.

    `perms` holds "module.action" strings from the user's roles. `self_only` narrows the reach to
    the org itself (本级) when every role the user holds is granted that way.
    """

    user: User | None
    org: Org
    perms: frozenset[str] = field(default_factory=frozenset)
    ip: str | None = None
    self_only: bool = False
    #: the names of the user's roles, for showing who is acting
    roles: tuple[str, ...] = ()

    @classmethod
    def for_user(cls, user: User, ip: str | None = None) -> Actor:
        """The actor a signed-in user is: the user model says what its roles grant, so the
        kernel names no app."""
        perms, self_only, roles = user.grants()
        return cls(user=user, org=user.org, perms=perms, ip=ip, self_only=self_only, roles=roles)

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        """The request's actor, built once per request."""
        actor: Actor | None = getattr(request, "_fpa_actor", None)
        user = request.user
        if not user.is_authenticated:
            # The login middleware lets no anonymous request reach a page that acts.
            raise PermissionDenied("请先登录")
        if actor is None or actor.user != user:
            actor = cls.for_user(user, client_ip(request))
            # Built once and kept on the request, which declares no attribute for it.
            request._fpa_actor = actor  # type: ignore[attr-defined]
        return actor

    @classmethod
    def system(cls, org: Org) -> Actor:
        """An actor for management commands and tasks started by the platform itself."""
        return cls(user=None, org=org, perms=frozenset({ALL}))

    def require_user(self) -> User:
        """The signed-in user acting, for a record that names who asked: a system actor (no
        user) is refused, rather than failing on the database's NOT NULL."""
        if self.user is None:
            raise PermissionDenied("该操作须由登录用户发起")
        return self.user

    def can(self, perm: str) -> bool:
        return perm in self.perms or ALL in self.perms

    def require(self, perm: str) -> None:
        """Refuse (403) an action the actor's roles do not grant."""
        if not self.can(perm):
            raise PermissionDenied(f"您没有“{perm}”权限")


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


# Large tables copy their org's ancestors so a scoped, sorted page is one index range.
ANCESTOR_COLUMN = {"city": "city_id", "county": "county_id", "township": "township_id"}


def subtree_q(org: Org, prefix: str = "org__", ancestor_columns: bool = True) -> Q:
    """Rows whose org (reached through `prefix`) lies in `org`'s subtree, itself included."""
    if org.parent_id is None and _only_root(org):
        # The province of a one-province deployment reaches every row: filtering on the path
        # would join millions of rows to the tree for nothing.
        return Q()
    if ancestor_columns and org.kind == "territorial" and org.level in ANCESTOR_COLUMN:
        return Q(**{prefix.removesuffix("org__") + ANCESTOR_COLUMN[org.level]: org.pk})
    return Q(**{f"{prefix}path__startswith": org.path})


def _only_root(org: Org) -> bool:
    return not type(org).unscoped_objects.filter(parent__isnull=True).exclude(pk=org.pk).exists()


_M = TypeVar("_M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[_M]):
    #: how a row of this model reaches its org, e.g. "org__" or "" for Org itself
    scope_prefix = "org__"
    #: whether rows carry city_id / county_id / township_id (large tables do, small ones join)
    ancestor_columns = True

    def for_actor(self, actor: Actor) -> Self:
        if actor.self_only:
            return self.filter(**{self.scope_prefix.removesuffix("__") or "pk": actor.org.pk})
        return self.filter(subtree_q(actor.org, self.scope_prefix, self.ancestor_columns))


class ScopedManager(models.Manager[_M]):
    """A manager that refuses to run a query unless it names an actor.

    A model whose rows need their own queryset methods builds it with
    `ScopedManager.from_queryset(TheQuerySet)()`, so `for_actor` hands those methods out (and the
    type checker sees them). Models keep a plain `unscoped_objects` manager beside it as their
    default manager, because Django's own machinery (related managers, unique checks) must work
    without an actor; code that uses it outside services, loaders and tests is caught by
    tests/core/test_scope.py.
    """

    _queryset_class = ScopedQuerySet

    def get_queryset(self) -> models.QuerySet[_M]:
        raise ScopeError(
            f"{self.model.__name__}: name the actor (.for_actor(actor)) "
            "or use unscoped_objects in system code"
        )

    def for_actor(self, actor: Actor) -> ScopedQuerySet[_M]:
        qs = super().get_queryset()
        assert isinstance(qs, ScopedQuerySet), "a scoped manager hands out a scoped queryset"
        return qs.for_actor(actor)


def in_reach(obj: Any, actor: Actor) -> bool:
    """The one reach check: is `obj` (an org, or a row that holds one) in the actor's reach —
    the actor's org and its subtree, or the org alone for a 本级-only actor."""
    org: Org = obj if hasattr(obj, "path") else obj.org
    if actor.self_only:
        return org.pk == actor.org.pk
    return org.path.startswith(actor.org.path)


def require_in_reach(obj: Any, actor: Actor) -> None:
    """Refuse (404: don't confirm it exists) an object outside the actor's reach."""
    if not in_reach(obj, actor):
        raise Http404


def actor_for(request: HttpRequest, perm: str) -> Actor:
    """The request's actor, refused (403) without `perm`."""
    actor = Actor.from_request(request)
    actor.require(perm)
    return actor


def in_reach_or_404(
    request: HttpRequest, manager: Any, perm: str, **lookup: Any
) -> tuple[Actor, Any]:
    """The object a URL names: 404 outside the actor's reach (don't confirm it exists), then 403
    without `perm`. Every page that opens one object goes through here."""
    actor = Actor.from_request(request)
    obj = get_in_reach_or_404(manager, actor, **lookup)
    actor.require(perm)
    return actor, obj


def get_in_reach_or_404(
    queryset: ScopedManager[_M] | ScopedQuerySet[_M], actor: Actor, **lookup: Any
) -> _M:
    """The one object lookup for views: outside the actor's subtree it does not exist (404)."""
    try:
        return queryset.for_actor(actor).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
