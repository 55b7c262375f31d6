"""Addresses the people pages had before issue 12 named each idea once: clerks may have
bookmarked them, so each answers a permanent redirect to the page's new address (query string
kept). They write nothing and show nothing; the page they lead to checks the user as usual.
The decide URL is not here: it only ever took a POST from the list's own button."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponseBase
from django.urls import path
from django.views.generic import RedirectView


def _to(name: str) -> Callable[..., HttpResponseBase]:
    return RedirectView.as_view(pattern_name=f"people:{name}", permanent=True, query_string=True)


urlpatterns = [
    path("transfers/", _to("relocations"), name="old_relocations"),
    path("transfers/request/", _to("relocation_request"), name="old_relocation_request"),
    path("roles/<str:kind>/", _to("positions"), name="old_positions"),
    path("<int:person_id>/roles/<str:kind>/add/", _to("position_add"), name="old_position_add"),
]
