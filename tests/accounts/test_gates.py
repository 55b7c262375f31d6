"""Every gate on every path (findings M2, M3): the second factor, the forced password change and
the idle timeout hold for /api/ too, and `next` goes nowhere but a path on this site."""

from __future__ import annotations

import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from tests.factories import UserFactory

EVIL = ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil.example/"]


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_api_refuses_a_session_that_owes_the_second_factor(tree, client):
    UserFactory(username="padmin", org=tree["430000000000"], roles=["province_admin"])
    client.post("/accounts/login/", {"username": "padmin", "password": PASSWORD})
    response = client.get("/api/orgs/")
    assert response.status_code == 403
    assert "手机令牌" in response.json()["detail"]


def test_api_refuses_a_session_that_must_change_its_password(tree, users, client):
    users["county"].must_change_password = True
    users["county"].save()
    client.force_login(users["county"])
    response = client.get("/api/orgs/")
    assert response.status_code == 403 and "修改密码" in response.json()["detail"]


def test_api_refuses_a_token_whose_account_must_change_its_password(users, client):
    client.force_login(users["county"])
    client.post("/accounts/token/", {"action": "create"})
    key = users["county"].auth_token.key
    client.logout()
    users["county"].must_change_password = True
    users["county"].save()
    response = client.get("/api/orgs/", headers={"Authorization": f"Token {key}"})
    assert response.status_code == 403 and "修改密码" in response.json()["detail"]


def test_api_session_times_out_with_a_json_answer(users, client, settings):
    settings.FPA_IDLE_SECONDS = 60
    client.force_login(users["county"])
    assert client.get("/api/orgs/").status_code == 200
    session = client.session
    session["last_seen"] = time.time() - 61
    session.save()
    response = client.get("/api/orgs/")
    assert response.status_code == 401 and "超时" in response.json()["detail"]


@pytest.mark.parametrize("target", EVIL)
def test_login_never_redirects_off_site(users, client, target):
    response = client.post(
        f"/accounts/login/?next={target}", {"username": "county", "password": PASSWORD}
    )
    assert response.status_code == 302 and response.url == "/"


@pytest.mark.parametrize("target", EVIL)
def test_logout_never_redirects_off_site(users, client, target):
    client.force_login(users["county"])
    response = client.post(f"/accounts/logout/?next={target}")
    assert response.status_code == 302 and response.url == "/accounts/login/"


@pytest.mark.parametrize("target", EVIL)
def test_second_factor_never_redirects_off_site(tree, client, target):
    user = UserFactory(username="padmin", org=tree["430000000000"], roles=["province_admin"])
    device = TOTPDevice.objects.create(user=user, name="手机令牌", confirmed=True)
    client.post("/accounts/login/", {"username": "padmin", "password": PASSWORD})
    response = client.post(f"/accounts/otp/?next={target}", {"token": _code(device)})
    assert response.status_code == 302 and response.url == "/"


def test_a_local_next_is_kept_on_login_and_after_the_second_factor(tree, users, client):
    response = client.post(
        "/accounts/login/?next=/orgs/", {"username": "county", "password": PASSWORD}
    )
    assert response.url == "/orgs/"
    client.logout()
    user = UserFactory(username="padmin", org=tree["430000000000"], roles=["province_admin"])
    device = TOTPDevice.objects.create(user=user, name="手机令牌", confirmed=True)
    client.post("/accounts/login/", {"username": "padmin", "password": PASSWORD})
    response = client.post("/accounts/otp/?next=/accounts/users/", {"token": _code(device)})
    assert response.url == "/accounts/users/"


def test_otp_setup_get_creates_no_device(tree, client):
    UserFactory(username="padmin", org=tree["430000000000"], roles=["province_admin"])
    client.post("/accounts/login/", {"username": "padmin", "password": PASSWORD})
    assert client.get("/accounts/otp/setup/").status_code == 200
    assert not TOTPDevice.objects.exists()
    assert client.post("/accounts/otp/setup/", {"action": "start"}).status_code == 302
    assert TOTPDevice.objects.filter(user__username="padmin", confirmed=False).count() == 1
