"""API authentication: tokens that expire, and the account gates the pages also apply."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def expires_at(token: Token) -> datetime.datetime:
    return token.created + datetime.timedelta(days=settings.FPA_API_TOKEN_DAYS)


def expired(token: Token) -> bool:
    return timezone.now() >= expires_at(token)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …`, refused once FPA_API_TOKEN_DAYS have passed since it was made,
    and refused while the account owes a password change (as every page is)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if expired(token):
            raise exceptions.AuthenticationFailed(
                f"API 令牌已于 {timezone.localtime(expires_at(token)):%Y-%m-%d %H:%M} 过期"
                f"（有效期 {settings.FPA_API_TOKEN_DAYS} 天），请登录平台在“API 令牌”页面重新生成"
            )
        if user.must_change_password or user.password_expired():
            raise exceptions.PermissionDenied("须先登录平台修改密码，才能使用 API")
        return user, token
