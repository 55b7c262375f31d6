"""The org directory through the API: the same exporter as the org page's job (permission,
columns, audit entry), answered at once."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from fpa.audit.models import LogEntry
from tests.factories import UserFactory

COUNTY = "430121000000"


def test_the_api_export_is_the_page_jobs_file_at_once_and_audited(users, tree, client_for):
    client = client_for(users["county"])
    response = client.post(f"/api/orgs/{tree[COUNTY].pk}/export/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("区划代码", "名称") and len(rows) == 1 + 6
    entry = LogEntry.unscoped_objects.get(action="fpa.orgs.exported")
    assert entry.changes == {"org": COUNTY, "count": 6}


def test_the_api_export_in_csv(users, tree, client_for):
    response = client_for(users["county"]).post(
        f"/api/orgs/{tree[COUNTY].pk}/export/", {"format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").startswith("区划代码,名称")


def test_the_api_export_refuses_a_viewer_and_hides_another_county(users, tree, client_for):
    viewer = UserFactory(username="viewer", org=tree[COUNTY], roles=["viewer"])
    assert client_for(viewer).post(f"/api/orgs/{tree[COUNTY].pk}/export/").status_code == 403
    outside = tree["430181000000"]
    assert client_for(users["county"]).post(f"/api/orgs/{outside.pk}/export/").status_code == 404
    assert not LogEntry.unscoped_objects.filter(action="fpa.orgs.exported").exists()
