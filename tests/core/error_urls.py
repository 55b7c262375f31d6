"""The platform's URLs and one view that fails, to see the 500 page a clerk gets."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from fpa.urls import urlpatterns as platform


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("fails/", fail), *platform]
