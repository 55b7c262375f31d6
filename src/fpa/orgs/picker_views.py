"""The org picker's suggestions (`fpa.orgs.picker`), asked for by the field as the clerk types,
and its browse panel, which walks down the tree from the clerk's own org."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fpa.core.errors import DomainError
from fpa.core.forms import ascii_int, posted_text
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor

from . import picker
from .models import Org


@permission(None, reason="every form that names an org offers it; suggestions stay in reach")
def pick(request: HttpRequest) -> HttpResponse:
    # The field sends its own value under its own name, and that name as `field`.
    try:
        field = posted_text(request.GET, "field", 40) or "q"
        text = posted_text(request.GET, field, 100)
    except DomainError:
        text = ""  # a control character or an overlong text suggests nothing
    choices = picker.suggest(Actor.from_request(request), text) if text else []
    return render(request, "orgs/_picker_options.html", {"choices": choices, "text": text})


@permission(None, reason="every form that names an org offers it; it lists only orgs in reach")
def browse(request: HttpRequest) -> HttpResponse:
    """The children of `under` (the clerk's own org without it), each to open or to choose.
    An id outside the reach, abolished or not a number is a 404: it shows nothing of another
    county, nor says whether the id exists."""
    raw = request.GET.get("under", "")
    under = ascii_int(raw) if raw else None
    if raw and under is None:
        raise Http404
    try:
        level = picker.browse(Actor.from_request(request), under)
    except Org.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request, "orgs/_picker_browse.html", {"level": level, "limit": picker.BROWSE_LIMIT}
    )
