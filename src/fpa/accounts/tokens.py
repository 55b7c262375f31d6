"""API tokens: one per user, made and revoked by its user; listed and revoked by the security
administrator within reach. Each expires FPA_API_TOKEN_DAYS after it was made."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token

from fpa.audit.services import record
from fpa.core.errors import DomainError
from fpa.kernel.scope import Actor

from .api_auth import expired, expires_at
from .models import User


@transaction.atomic
def create_own(user: User, *, actor: Actor) -> Token:
    """A new token for the user; the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    record(actor, "fpa.account.token.created", user, {"expires": str(expires_at(token))})
    return token


@transaction.atomic
def revoke_own(user: User, *, actor: Actor) -> None:
    """The user withdraws their own token."""
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        record(actor, "fpa.account.token.revoked", user, {})


def in_reach(actor: Actor) -> list[dict[str, Any]]:
    """The tokens of the accounts the security administrator reaches, newest first."""
    from .services import visible_users

    actor.require("accounts.change")
    tokens = (
        Token.objects.filter(user__in=visible_users(actor))
        .select_related("user", "user__org")
        .order_by("-created")
    )
    return [
        {"user": t.user, "created": t.created, "expires": expires_at(t), "expired": expired(t)}
        for t in tokens
    ]


@transaction.atomic
def revoke(user: User, *, actor: Actor) -> None:
    """The security administrator revokes an account's token (a lost laptop, a left job)."""
    from .services import visible_users

    actor.require("accounts.change")
    if not visible_users(actor).filter(pk=user.pk).exists():
        raise DomainError("该账号不在您的管辖范围内")
    deleted, _ = Token.objects.filter(user=user).delete()
    if not deleted:
        raise DomainError("该账号没有 API 令牌")
    record(actor, "fpa.account.token.revoked", user, {"by": "security_admin"})
