"""The request of a signed-in user as the accounts pages see it: the platform's own user model
(core's `AuthedRequest` knows only Django's, since core names no app)."""

from __future__ import annotations

from fpa.core.requests import AuthedRequest

from .models import User


class UserRequest(AuthedRequest):
    # narrower than Django's `User | AnonymousUser`: the view runs behind the login
    user: User
