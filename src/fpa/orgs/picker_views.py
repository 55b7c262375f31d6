"""The org picker's suggestions (`fpa.orgs.picker`), asked for by the field as the clerk types."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fpa.core.errors import DomainError
from fpa.core.forms import posted_text
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor

from . import picker


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
