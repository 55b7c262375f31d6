"""The request a view receives once the middleware has run, as the type checker should see it.

Django types `request.user` as a user or an anonymous one and knows nothing of what django-htmx
adds. A view behind `@permission(...)` (not public) only ever runs for a signed-in user
(`LoginRequiredMiddleware` and the decorator send anyone else to the login), and `HtmxMiddleware`
(settings.MIDDLEWARE) sets `request.htmx` on every request, so such a view annotates
`request: AuthedRequest`. Only annotations: no view receives anything but Django's request.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class AuthedRequest(HttpRequest):
    # The user stays as Django types it (core names no app): a signed-in user's org and roles
    # are read through the request's Actor; the accounts pages narrow it (accounts.requests).
    htmx: HtmxDetails
