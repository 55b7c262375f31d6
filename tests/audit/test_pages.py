from __future__ import annotations

import io

from openpyxl import load_workbook

from fpa.audit.services import record
from fpa.core.models import Job
from fpa.kernel.scope import Actor
from tests.factories import UserFactory


def _auditor(tree, code="430121000000"):
    return UserFactory(username=f"aud{code}", org=tree[code], roles=["auditor"])


def test_auditor_reads_the_log_of_its_subtree_only(users, tree, client):
    record(Actor.for_user(users["county"]), "fpa.test.county")
    record(Actor.for_user(users["outsider"]), "fpa.test.outsider")
    client.force_login(_auditor(tree))
    body = client.get("/audit/").content.decode()
    assert "fpa.test.county" in body and "fpa.test.outsider" not in body
    filtered = client.get("/audit/", {"action": "fpa.org"}).content.decode()
    assert "fpa.test.county" not in filtered


def test_auditor_home_is_the_audit_log_and_business_pages_are_refused(users, tree, client):
    client.force_login(_auditor(tree))
    assert client.get("/").url == "/audit/"
    assert client.get(f"/orgs/{tree['430121000000'].pk}/").status_code == 403


def test_clerk_cannot_read_the_audit_log(users, client):
    client.force_login(users["county"])
    assert client.get("/audit/").status_code == 403


def test_bad_dates_in_the_filter_are_a_message(users, tree, client):
    client.force_login(_auditor(tree))
    response = client.get("/audit/", {"since": "2021-05-01", "until": "2021-04-01"})
    assert response.status_code == 200 and "截止日期不能早于" in response.content.decode()
    assert client.get("/audit/", {"since": "not-a-date"}).status_code == 200


def test_audit_export_is_an_excel_file_and_is_itself_audited(users, tree, client):
    record(Actor.for_user(users["county"]), "fpa.test.county")
    client.force_login(_auditor(tree))
    response = client.post("/audit/export/", {"action": "fpa.test"})
    job = Job.unscoped_objects.get()
    assert response.url == f"/jobs/{job.pk}/" and job.total == 1
    data = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[1][6] == "fpa.test.county"  # the code beside its Chinese name
    assert "fpa.audit.exported" in client.get("/audit/").content.decode()
