"""Odd parameters on the campaign and coverage pages are a refusal, never a 500."""

from __future__ import annotations

from fpa.families.models import CareRecord

from .conftest import make_family


def visit(festival, families):
    return {
        "kind": "visit",
        "on": "2021-10-12",
        "what": "重阳慰问",
        "festival": festival,
        "families": families,
    }


def test_a_festival_that_is_not_a_number_names_no_festival(users, tree, festival, client_for):
    client = client_for(users["county"])
    for value in ("abc", "²", "9" * 30):
        assert client.get("/families/batch/", {"festival": value}).status_code == 200
        assert client.post("/families/batch/", visit(value, [])).status_code == 200
    assert not CareRecord.unscoped_objects.exists()


def test_thirty_digit_family_ids_are_left_out_not_a_crash(users, tree, festival, client_for):
    family = make_family(users, tree, seq=350)
    client = client_for(users["county"])
    response = client.post("/families/batch/", visit(festival.pk, ["9" * 30, "²", family.pk]))
    assert response.status_code == 302
    assert list(CareRecord.unscoped_objects.values_list("family", flat=True)) == [family.pk]


def test_coverage_dates_outside_the_years_are_a_field_error(users, tree, client_for):
    client = client_for(users["county"])
    for end in ("9999-12-31", "0001-01-01"):
        response = client.get("/families/coverage/", {"end": end})
        assert response.status_code == 200
        assert "1900" in response.context["form"].errors["end"][0]


def test_the_export_job_takes_an_odd_org_code_without_failing(family, users, client_for):
    from fpa.core.models import Job

    client = client_for(users["county"])
    client.post("/families/export/", {"format": "xlsx", "org": "４３０１２１００１００１"})
    client.post("/families/export/", {"format": "xlsx", "org": "²"})
    assert list(Job.unscoped_objects.values_list("status", flat=True)) == ["done", "done"]
