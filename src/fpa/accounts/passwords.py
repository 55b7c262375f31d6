"""Password rules of the login policy."""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", set(string.ascii_uppercase)),
    ("小写字母", set(string.ascii_lowercase)),
    ("数字", set(string.digits)),
    ("符号", set(string.punctuation)),
)


MIN_LENGTH = 8


class ComplexityValidator:
    """At least 8 characters of 3 of the 4 character classes, and not the username."""

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < MIN_LENGTH:
            raise ValidationError(f"密码至少 {MIN_LENGTH} 位", code="password_too_short")
        used = sum(1 for _, chars in CLASSES if set(password) & chars)
        if used < 3:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、符号中的至少三类", code="password_too_simple"
            )
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError("密码不能包含用户名", code="password_contains_username")

    def get_help_text(self) -> str:
        return "至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类，且不含用户名。"
