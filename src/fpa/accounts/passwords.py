"""Password rules of the login policy: complexity and length, common passwords and keyboard walks,
and the last five passwords."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", set(string.ascii_uppercase)),
    ("小写字母", set(string.ascii_lowercase)),
    ("数字", set(string.digits)),
    ("符号", set(string.punctuation)),
)


MIN_LENGTH = 8
# Long enough for any passphrase; a 10,000-character password only costs the hasher.
MAX_LENGTH = 128


class ComplexityValidator:
    """8 to 128 characters of 3 of the 4 character classes, and not the username."""

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < MIN_LENGTH:
            raise ValidationError(f"密码至少 {MIN_LENGTH} 位", code="password_too_short")
        if len(password) > MAX_LENGTH:
            raise ValidationError(f"密码最多 {MAX_LENGTH} 位", code="password_too_long")
        used = sum(1 for _, chars in CLASSES if set(password) & chars)
        if used < 3:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、符号中的至少三类", code="password_too_simple"
            )
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError("密码不能包含用户名", code="password_contains_username")

    def get_help_text(self) -> str:
        return (
            f"{MIN_LENGTH}–{MAX_LENGTH} 位，包含大写字母、小写字母、数字、符号中的至少三类，"
            "且不含用户名。"
        )


# The US keyboard as typed in China; a shifted symbol counts as its key ("!" is "1").
ROWS = ("1234567890-=", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./")
SHIFTED = dict(zip('!@#$%^&*()_+{}:"<>?', "1234567890-=[];',./", strict=True))
POSITION = {key: (r, c) for r, row in enumerate(ROWS) for c, key in enumerate(row)}
#: a walk must have a run at least this long, and leave at most WALK_REST other characters
WALK_RUN = 4
WALK_REST = 3


def _adjacent(a: str, b: str) -> bool:
    """Keys next to each other on a row, or touching across rows (each row sits half a key to the
    right of the one above, so key c touches keys c and c+1 of the row above)."""
    if a not in POSITION or b not in POSITION:
        return False
    (ra, ca), (rb, cb) = POSITION[a], POSITION[b]
    if ra == rb:
        return abs(ca - cb) == 1
    if rb == ra + 1:
        return ca in (cb, cb + 1)
    if ra == rb + 1:
        return cb in (ca, ca + 1)
    return False


def keyboard_walk(password: str) -> bool:
    """Whether the password is mostly runs of neighbouring keys (`ZAQ!2wsx`, `Qwerty123!`)."""
    keys = [SHIFTED.get(ch, ch) for ch in password.lower()]
    runs: list[int] = []
    length = 1
    for a, b in zip(keys, keys[1:], strict=False):
        if _adjacent(a, b):
            length += 1
        else:
            runs.append(length)
            length = 1
    runs.append(length)
    walked = sum(run for run in runs if run >= 3)
    return max(runs) >= WALK_RUN and len(keys) - walked <= WALK_REST


@lru_cache(maxsize=1)
def common_lists() -> tuple[frozenset[str], tuple[str, ...]]:
    """The shipped list (data/passwords/common.txt): whole passwords and base words."""
    path = Path(settings.BASE_DIR) / "data" / "passwords" / "common.txt"
    lines = [ln.strip().lower() for ln in path.read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    words = tuple(ln[:-1] for ln in lines if ln.endswith("*"))
    return frozenset(ln for ln in lines if not ln.endswith("*")), words


def _tail_is_filler(tail: str) -> bool:
    return all(ch in string.digits or ch in string.punctuation for ch in tail)


class CommonPasswordValidator:
    """Not on the Chinese and international top lists, not a base word with digits and symbols
    after it (`Woaini1314!`, `Zhangwei123.`), not a keyboard walk."""

    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower()
        whole, words = common_lists()
        stripped = lowered.rstrip(string.punctuation)
        common = lowered in whole or stripped in whole
        common = common or any(
            lowered.startswith(word) and _tail_is_filler(lowered[len(word) :]) for word in words
        )
        if common:
            raise ValidationError("该密码是常见密码，容易被猜中，请换一个", code="password_common")
        if keyboard_walk(password):
            raise ValidationError(
                "该密码是键盘上相邻按键的组合（如 qwerty、1qaz2wsx），容易被猜中，请换一个",
                code="password_keyboard_walk",
            )

    def get_help_text(self) -> str:
        return "不能是常见密码或键盘上相邻按键的组合。"


class HistoryValidator:
    """None of the user's last five passwords (the current one and the four before it)."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        from .services import PASSWORD_HISTORY

        hashes = [user.password] if user.password else []
        hashes += list(
            user.old_passwords.values_list("password", flat=True)[: PASSWORD_HISTORY - 1]
        )
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                f"不能使用最近 {PASSWORD_HISTORY} 次用过的密码", code="password_reused"
            )

    def get_help_text(self) -> str:
        return "不能与最近 5 次用过的密码相同。"
