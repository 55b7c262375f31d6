"""Password rules (finding L6): the Chinese top lists, keyboard walks, at most 128 characters,
none of the last five again."""

from __future__ import annotations

import pytest

from fpa.accounts import services
from fpa.accounts.passwords import keyboard_walk
from fpa.core.errors import DomainError
from tests.conftest import PASSWORD, actor_of


@pytest.mark.parametrize(
    "weak",
    ["Passw0rd!", "Qwerty123!", "ZAQ!2wsx", "1qaz@WSX", "Woaini1314!", "Zhangwei123.", "Asdf#1234"],
)
def test_common_passwords_and_keyboard_walks_are_refused(users, weak):
    user = users["county"]
    with pytest.raises(DomainError, match="容易被猜中"):
        services.change_own_password(user, PASSWORD, weak, actor=actor_of(user))


def test_a_10002_character_password_is_refused(users):
    user = users["county"]
    with pytest.raises(DomainError, match="最多 128 位"):
        services.change_own_password(user, PASSWORD, "Aa1!" + "x" * 9998, actor=actor_of(user))


@pytest.mark.parametrize(
    "good", ["Test@2021pass", "Huang#hua21", "Fpa@2021demo", "Hu@wan2021", "Lin$shi2026mima"]
)
def test_ordinary_strong_passwords_are_no_keyboard_walk(good):
    assert not keyboard_walk(good)


def test_none_of_the_last_five_passwords_comes_back(users, client):
    user = users["county"]
    chain = [PASSWORD, "Xing#sha2021a", "Xing#sha2021b", "Xing#sha2021c", "Xing#sha2021d"]
    for old, new in zip(chain, chain[1:], strict=False):  # four changes
        services.change_own_password(user, old, new, actor=actor_of(user))
    with pytest.raises(DomainError, match="最近 5 次"):
        services.change_own_password(user, chain[-1], PASSWORD, actor=actor_of(user))
    with pytest.raises(DomainError, match="最近 5 次"):
        services.change_own_password(user, chain[-1], chain[1], actor=actor_of(user))
    client.force_login(user)
    page = client.post(
        "/accounts/password/",
        {"old_password": chain[-1], "new_password": PASSWORD, "new_password2": PASSWORD},
    )
    assert "最近 5 次" in page.content.decode()
    # A fifth change pushes the first password out of the five.
    services.change_own_password(user, chain[-1], "Xing#sha2021e", actor=actor_of(user))
    services.change_own_password(user, "Xing#sha2021e", PASSWORD, actor=actor_of(user))
