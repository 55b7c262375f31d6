"""Dates outside the years on the audit log are a field error, never a 500."""

from __future__ import annotations

from tests.factories import UserFactory


def test_audit_log_dates_outside_the_years_are_a_message(users, tree, client):
    client.force_login(UserFactory(username="aud", org=tree["430121000000"], roles=["auditor"]))
    for params in ({"until": "9999-12-31"}, {"since": "0001-01-01"}, {"page": "²"}):
        response = client.get("/audit/", params)
        assert response.status_code == 200


def test_the_audit_export_job_takes_the_same_dates_without_failing(users, tree, client):
    from fpa.core.models import Job

    client.force_login(UserFactory(username="aud", org=tree["430121000000"], roles=["auditor"]))
    for params in ({"until": "9999-12-31"}, {"since": "0001-01-01"}):
        client.post("/audit/export/", params)
    assert set(Job.unscoped_objects.values_list("status", flat=True)) == {"done"}
