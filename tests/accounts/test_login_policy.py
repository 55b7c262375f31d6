from __future__ import annotations

import time

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fpa.accounts.models import LoginEvent
from tests.factories import UserFactory

PASSWORD = "Test@2021pass"


def login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_account_locks_after_five_failures_by_username_not_address(users, client):
    for _ in range(4):
        response = login(client, "county", "wrong")
        assert "用户名或密码错误" in response.content.decode()
    assert login(client, "county", "wrong").status_code == 429  # the fifth failure locks
    locked = login(client, "county")
    assert locked.status_code == 429 and "账号已锁定" in locked.content.decode()
    # another clerk from the same office address is not locked
    assert login(client, "village").status_code == 302
    assert LoginEvent.objects.filter(username="county", result="locked").exists()


def test_unknown_user_and_wrong_password_get_the_same_message(users, client):
    unknown = login(client, "nobody", "x").content.decode()
    wrong = login(client, "county", "x").content.decode()
    assert "用户名或密码错误" in unknown and "用户名或密码错误" in wrong
    assert LoginEvent.objects.filter(username="nobody", result="failed", user=None).exists()


def test_first_login_must_change_the_password(users, tree, client):
    UserFactory(
        username="newbie", org=tree["430121001001"], roles=["clerk"], must_change_password=True
    )
    response = login(client, "newbie")
    assert client.get("/").url == "/accounts/password/"
    assert client.get(f"/orgs/{tree['430121001001'].pk}/").status_code == 302
    page = client.get("/accounts/password/").content.decode()
    assert "首次登录" in page
    bad = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": "abc", "new_password2": "abc"},
    )
    assert "至少" in bad.content.decode()
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": "Hu@wan2021", "new_password2": "Hu@wan2021"},
    )
    assert response.status_code == 302 and client.get("/").status_code == 200


def test_expired_password_must_be_changed(users, client, settings):
    user = users["county"]
    user.password_changed_at = timezone.now() - timezone.timedelta(days=91)
    user.save()
    client.force_login(user)
    assert client.get("/").url == "/accounts/password/"
    assert "已过期" in client.get("/accounts/password/").content.decode()
    settings.FPA_PASSWORD_MAX_AGE_DAYS = 120
    assert client.get("/").status_code == 200


def test_idle_session_times_out_and_polling_does_not_extend_it(users, client, settings):
    settings.FPA_IDLE_SECONDS = 60
    client.force_login(users["county"])
    client.get("/")
    session = client.session
    session["last_seen"] = time.time() - 50
    session.save()
    client.get("/healthz", headers={"X-FPA-Background": "1"})
    client.get("/orgs/", headers={"X-FPA-Background": "1"})
    assert client.session["last_seen"] < time.time() - 40
    session = client.session
    session["last_seen"] = time.time() - 61
    session.save()
    response = client.get("/orgs/")
    assert response.status_code == 302 and "timeout=1" in response.url
    assert client.get("/orgs/").url.startswith("/accounts/login/")
    assert LoginEvent.objects.filter(user=users["county"], result="timeout").exists()


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_province_admin_must_enrol_and_then_pass_the_second_factor(tree, client):
    UserFactory(username="padmin", org=tree["430000000000"], roles=["province_admin"])
    login(client, "padmin")
    assert client.get("/accounts/users/").url == "/accounts/otp/setup/"
    assert 'data-testid="totp-start"' in client.get("/accounts/otp/setup/").content.decode()
    assert not TOTPDevice.objects.filter(user__username="padmin").exists()
    client.post("/accounts/otp/setup/", {"action": "start"})
    page = client.get("/accounts/otp/setup/").content.decode()
    assert "data:image/svg+xml;base64," in page
    device = TOTPDevice.objects.get(user__username="padmin")
    wrong = client.post("/accounts/otp/setup/", {"token": "000000"})
    assert "验证码不正确" in wrong.content.decode() or _code(device) == "000000"
    device.refresh_from_db()
    device.throttle_reset()  # a failure throttles the next try; tests don't wait
    client.post("/accounts/otp/setup/", {"token": _code(device)})
    assert client.get("/accounts/users/").status_code == 200
    client.post("/accounts/logout/")
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    login(client, "padmin")
    assert client.get("/accounts/users/").url == "/accounts/otp/"
    client.post("/accounts/otp/", {"token": _code(device)})
    assert client.get("/accounts/users/").status_code == 200


@pytest.mark.parametrize("token", ["12345", "abcdef", ""])
def test_malformed_otp_is_a_message(tree, client, token):
    UserFactory(username="padmin", org=tree["430000000000"], roles=["province_admin"])
    login(client, "padmin")
    client.post("/accounts/otp/setup/", {"action": "start"})
    response = client.post("/accounts/otp/setup/", {"token": token})
    assert (
        response.status_code == 200
        and "6 位数字" in response.content.decode()
        or ("必填" in response.content.decode())
    )


def test_my_logins_lists_only_my_own(users, client):
    login(client, "village", "wrong")
    login(client, "county")
    body = client.get("/accounts/logins/").content.decode()
    assert body.count("<tr><td>") == 1 and "成功" in body


def test_security_admin_lifts_a_lockout(users, tree, client):
    for _ in range(5):
        login(client, "county", "wrong")
    assert login(client, "county").status_code == 429
    security = UserFactory(username="sec", org=tree["430000000000"], roles=["security_admin"])
    client.force_login(security)
    client.post(f"/accounts/users/{users['county'].pk}/unlock/")
    client.logout()
    assert login(client, "county").status_code == 302
