"""Refuse a NUL byte in any request parameter before a view reads it.

A NUL is never typed; PostgreSQL cannot store one in a text column or a JSON value (a 500 at
the first write or lookup), and spreadsheets refuse it. The forms' cleaning step refuses every
control character on its field (fpa.core.forms); this guard is for the parameters that reach a
query or a job's parameters without a form, on every URL including the API.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from .forms import CONTROL_MESSAGE


def _has_nul(request: HttpRequest) -> bool:
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in v for v in values if isinstance(v, str)):
                return True
    return "\x00" in request.path


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return HttpResponseBadRequest(
                f"请求{CONTROL_MESSAGE}", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
