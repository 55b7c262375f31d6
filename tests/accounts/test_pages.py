from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rest_framework.authtoken.models import Token

from fpa.accounts.models import User
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def test_org_admin_lists_creates_and_manages_users_of_its_subtree(users, tree, client):
    admin = UserFactory(username="cs_admin", org=tree["430121000000"], roles=["org_admin"])
    client.force_login(admin)
    listing = client.get("/accounts/users/").content.decode()
    assert "village" in listing and "outsider" not in listing
    form = client.get("/accounts/users/add/").content.decode()
    assert "业务录入员</span>" in form and "审计员</span>" not in form
    assert 'data-testid="grant-table"' in form
    response = client.post(
        "/accounts/users/add/",
        {
            "username": "hh_clerk",
            "display_name": "黄花村专干",
            "org_code": "430121002001",
            "password": "Huang#hua21",
            "roles": [2 + 2],  # clerk's id (4th built-in role)
        },
    )
    created = User.objects.get(username="hh_clerk")
    assert response.url == f"/accounts/users/{created.pk}/"
    outside = client.post(
        "/accounts/users/add/",
        {
            "username": "bz",
            "display_name": "x",
            "org_code": "430181001001",
            "password": "Huang#hua21",
        },
    )
    assert "在您的管辖范围内没有区划代码为 430181001001 的单位" in outside.content.decode()
    assert client.get(f"/accounts/users/{users['outsider'].pk}/").status_code == 404


def test_clerk_cannot_open_account_management(users, client):
    client.force_login(users["county"])
    assert client.get("/accounts/users/").status_code == 403
    assert client.get("/accounts/users/add/").status_code == 403
    assert client.post(f"/accounts/users/{users['village'].pk}/active/").status_code == 403


def test_api_token_carries_the_users_scope(users, client):
    client.force_login(users["outsider"])
    page = client.post("/accounts/token/", {"action": "create"}).content.decode()
    token = Token.objects.get(user=users["outsider"])
    assert token.key in page
    client.logout()
    data = client.get("/api/orgs/", headers={"Authorization": f"Token {token.key}"}).json()
    assert {o["code"] for o in data["results"]} == {"430181001000", "430181001001"}
    assert client.get("/api/orgs/", headers={"Authorization": "Token forged"}).status_code == 401


def test_pages_carry_security_headers_and_no_inline_script(users, client):
    client.force_login(users["county"])
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert response["X-Frame-Options"] == "DENY"
    body = response.content.decode()
    assert "<script>" not in body and "onclick=" not in body


def test_check_deploy_passes_with_the_documented_production_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "SECRET_KEY": "p" * 20 + "Q9!x" * 12,
        "ALLOWED_HOSTS": "fpa.example.gov.cn",
        "HTTPS": "true",
        "FPA_DATA_KEY": "index:x k1:y",
        "FPA_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_account_list_exports_the_searched_accounts_in_reach_with_their_roles(users, tree, client):
    import io

    from openpyxl import load_workbook

    from fpa.audit.models import LogEntry
    from fpa.core.models import Job

    admin = UserFactory(username="cs_admin", org=tree["430121000000"], roles=["org_admin"])
    client.force_login(admin)
    assert 'data-testid="users-export"' in client.get("/accounts/users/").content.decode()
    response = client.post("/accounts/users/export/", {"q": "v"})
    job = Job.unscoped_objects.get(kind="accounts.export")
    assert response.url == f"/jobs/{job.pk}/" and job.status == "done"
    data = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("用户名", "姓名", "所属单位")
    assert [r[0] for r in rows[1:]] == ["village"]
    assert rows[1][4] == "业务录入员" and rows[1][5] == "正常"
    everyone = client.post("/accounts/users/export/")
    listed = Job.unscoped_objects.exclude(pk=job.pk).get()
    assert everyone.status_code == 302 and listed.total == 3  # cs_admin, county, village
    assert LogEntry.unscoped_objects.filter(action="fpa.accounts.exported").count() == 2
