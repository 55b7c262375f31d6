"""Where to go after login, logout and the second factor: a local path or home, nothing else."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The `next` parameter (POST, then GET) if it is a path on this site, else `default` (home
    unless the caller names another page).

    Only a path is accepted: no scheme (`https:`, `javascript:`), no host (`//evil.example/`),
    no backslash (browsers read `/\\evil.example` as a host), no control character.
    """
    value = request.POST.get("next") or request.GET.get("next") or ""
    home = default or reverse("home")
    if not value or not value.startswith("/") or value.startswith("//"):
        return home
    if "\\" in value or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return home
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return home
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return home
    return value
