"""HTTP hardening that Django's SecurityMiddleware does not cover."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.template import loader

# No inline scripts, no other hosts. Styles allow inline attributes because ECharts and Tabler
# set them; data: images are the TOTP QR code and Tabler's icons.
POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` and `Pragma: no-cache` on every response the application makes.

    The rule is "everything but static files", not "whatever carries personal data": pages,
    fragments, downloads (attachments, exports, bank files), API answers, redirects and error
    pages all come from the views, and deciding per view is how 20 of 21 were missed. The login
    page gets it too (its answer depends on the session). Static files never reach this
    middleware: WhiteNoise, listed before it, answers them itself with its long-lived caching.
    Browsers and proxies then keep no copy of a person's page on disk or in a shared cache, and
    the back button after logout does not show it again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response


class NotFoundPageMiddleware:
    """In development (`DEBUG`, as `make run` serves the demo) Django answers a missing page with
    its technical 404, which lists every URL pattern of the platform; a demo user gets the same
    Chinese page as production instead. Without DEBUG Django renders `404.html` itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return HttpResponseNotFound(loader.render_to_string("404.html", request=request))
        return response
