from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fpa.kernel.scope import ALL, Actor

from . import menu


def actor(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = Actor.from_request(request)
    # Templates test `"orgs.view" in fpa_perms`; the system actor's wildcard never reaches here.
    perms = current.perms - {ALL}
    match = request.resolver_match
    url_name = match.view_name if match else ""
    args = tuple(str(v) for v in match.kwargs.values()) if match else ()
    return {
        "actor_org": user.org,
        "fpa_actor": current,
        "fpa_perms": perms,
        "fpa_place": menu.place(perms, url_name, args),
    }
