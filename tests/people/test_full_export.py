"""Exports with whole numbers (issue 13 point 10): a grant of its own (名单经办员), offered only
to who holds it, each such export audited with who, which filter and how many rows; masked for
everyone else."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from fpa.audit.models import LogEntry
from fpa.core.models import Job
from tests.factories import UserFactory
from tests.people.conftest import id_for


def _file(client, job: Job) -> list[tuple]:
    data = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


@pytest.fixture
def officer(tree):
    return UserFactory(username="mingdan", org=tree["430121000000"], roles=["roster_officer"])


def test_a_clerk_is_neither_offered_nor_given_whole_numbers(person, users, client_for):
    client = client_for(users["county"])
    assert 'data-testid="export-full"' not in client.get("/people/").content.decode()
    assert client.post("/people/export/persons/", {"full": "1"}).status_code == 403
    assert not Job.unscoped_objects.exists()


@pytest.mark.parametrize("kind, column", [("persons", 5), ("members", 9)])
def test_the_roster_officer_exports_whole_numbers_and_it_is_audited(
    person, users, officer, client_for, kind, column
):
    if kind == "members":
        import datetime

        from fpa.people import services
        from tests.conftest import actor_of

        services.join(
            person, person.org, datetime.date(2020, 1, 1), actor=actor_of(users["county"])
        )
    client = client_for(officer)
    page = client.get(f"/people/{'members/' if kind == 'members' else ''}").content.decode()
    assert 'data-testid="export-full"' in page
    response = client.post(f"/people/export/{kind}/", {"full": "1", "q": "张", "format": "xlsx"})
    job = Job.unscoped_objects.get(kind=f"people.export.{kind}_full")
    assert response.url == f"/jobs/{job.pk}/" and job.status == "done", job.message
    rows = _file(client, job)
    assert rows[1][column] == id_for("430121") and rows[1][column + 1] == "13812345678"
    entry = LogEntry.unscoped_objects.get(action="fpa.people.exported_full")
    assert entry.actor == officer and entry.changes["count"] == 1
    assert entry.changes["filters"]["q"] == "张"


def test_the_ordinary_export_stays_masked_for_the_officer_too(person, officer, client_for):
    client = client_for(officer)
    client.post("/people/export/persons/", {"format": "xlsx"})
    rows = _file(client, Job.unscoped_objects.get(kind="people.export.persons"))
    assert rows[1][5].startswith("*") and id_for("430121") not in str(rows)


def test_an_org_admin_may_grant_the_roster_officer_role(tree):
    from fpa.accounts.models import GrantRule

    assert GrantRule.objects.filter(
        granter__code="org_admin", grantable__code="roster_officer"
    ).exists()
