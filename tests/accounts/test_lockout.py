"""A lock lasts its set time from the lock (finding L2), and the security administrator sees
locked accounts and repeated lockouts within reach."""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt

from fpa.accounts.models import LoginEvent
from tests.conftest import PASSWORD
from tests.factories import UserFactory


def login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def lock(client, username):
    for _ in range(5):
        login(client, username, "wrong")


def turn_clock_back(username, minutes):
    """The lock as if it had been set `minutes` earlier (no sleeping in tests)."""
    for attempt in AccessAttempt.objects.filter(username=username):
        attempt.attempt_time -= datetime.timedelta(minutes=minutes)
        attempt.save(update_fields=["attempt_time"])


def test_attempts_while_locked_do_not_extend_the_lock(users, client):
    lock(client, "county")
    assert login(client, "county").status_code == 429
    turn_clock_back("county", 9)
    # Someone keeps trying a minute before the lock ends …
    assert login(client, "county", "wrong").status_code == 429
    assert login(client, "county").status_code == 429
    turn_clock_back("county", 2)
    # … and the lock still ends ten minutes after it began.
    assert login(client, "county").status_code == 302
    events = LoginEvent.objects.filter(username="county")
    assert events.filter(result="lock").count() == 1
    assert events.filter(result="locked").count() == 3


def test_security_admin_sees_locked_accounts_and_repeated_lockouts_in_reach(users, tree, client):
    lock(client, "village")
    lock(client, "outsider")
    security = UserFactory(username="cs_sec", org=tree["430121000000"], roles=["security_admin"])
    client.force_login(security)
    client.post(f"/accounts/users/{users['village'].pk}/unlock/")
    client.logout()
    lock(client, "village")
    client.force_login(security)
    page = client.get("/accounts/security/").content.decode()
    locked = page.split('data-testid="locked"')[1].split("</table>")[0]
    repeated = page.split('data-testid="repeated"')[1].split("</table>")[0]
    assert "village" in locked and "outsider" not in locked
    assert "village" in repeated and "<td>2</td>" in repeated and "outsider" not in repeated
    client.force_login(users["county"])
    assert client.get("/accounts/security/").status_code == 403


def test_the_security_pages_are_in_the_security_admins_menu_only(tree, client):
    security = UserFactory(username="cs_sec2", org=tree["430121000000"], roles=["security_admin"])
    clerk = UserFactory(username="cs_clerk2", org=tree["430121000000"], roles=["clerk"])
    client.force_login(security)
    assert 'data-testid="nav-accounts:security"' in client.get("/accounts/users/").content.decode()
    client.force_login(clerk)
    assert 'data-testid="nav-accounts:security"' not in client.get("/people/").content.decode()
