"""Point 12: versioned and dated settings live within 2000–2100, in the form and in the database."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from fpa.audit.models import LogEntry
from fpa.core.errors import DomainError
from fpa.families import festivals
from fpa.families.models import Festival
from fpa.orgs import divisions
from fpa.orgs.models import DivisionCode, OrgYear
from fpa.programs import setup
from fpa.programs.models import ProgramRate
from tests.conftest import actor_of

from .conftest import make_program

MESSAGE = "生效日期须在 2000 年至 2100 年之间"
EXTREMES = [datetime.date(1, 1, 1), datetime.date(9999, 12, 31)]


@pytest.fixture
def program(users):
    return make_program(users)


@pytest.mark.parametrize("day", EXTREMES, ids=str)
def test_the_service_refuses_a_rate_dated_outside_the_span(program, users, day):
    entries = LogEntry.unscoped_objects.count()
    with pytest.raises(DomainError, match=MESSAGE) as refused:
        setup.set_rate(
            program, day, {"per_day": "80", "annual_cap": "3000"}, actor=actor_of(users["province"])
        )
    assert refused.value.field == "effective_from"
    assert program.rates.count() == 1 and LogEntry.unscoped_objects.count() == entries


@pytest.mark.parametrize("day", EXTREMES, ids=str)
def test_the_rate_form_shows_the_span_and_writes_nothing(program, users, client_for, day):
    entries = LogEntry.unscoped_objects.count()
    page = client_for(users["province"]).post(
        f"/programs/{program.pk}/rate/",
        {
            "rate-effective_from": day.isoformat(),
            "rate-per_day": "80",
            "rate-annual_cap": "3000",
        },
        follow=True,
    )
    assert page.status_code == 200 and MESSAGE in page.content.decode()
    assert program.rates.count() == 1 and LogEntry.unscoped_objects.count() == entries


def test_a_rate_within_the_span_is_still_taken(program, users):
    setup.set_rate(
        program,
        datetime.date(2100, 12, 31),
        {"per_day": "80", "annual_cap": "3000"},
        actor=actor_of(users["province"]),
    )
    assert program.rates.count() == 2


def _refused_by_the_database(make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.parametrize("day", EXTREMES, ids=str)
def test_the_database_refuses_out_of_span_settings(program, tree, day):
    org = tree["430121000000"]
    _refused_by_the_database(
        lambda: ProgramRate.objects.create(program=program, effective_from=day, values={})
    )
    _refused_by_the_database(
        lambda: Festival.objects.create(
            code="x", name="节", year=2021, date=day, window_start=day, window_end=day
        )
    )
    _refused_by_the_database(
        lambda: DivisionCode.objects.create(
            org=org, code="430121999999", name="x", table="t", valid_from=day
        )
    )
    _refused_by_the_database(lambda: OrgYear.unscoped_objects.create(org=org, year=day.year))
    assert not ProgramRate.objects.filter(effective_from=day).exists()


def test_a_code_table_dated_outside_the_span_is_refused_before_loading(db):
    with pytest.raises(divisions.DivisionFileError, match="2000 年至 2100 年之间"):
        divisions.load("43", valid_from=datetime.date(1, 1, 1))
    assert not DivisionCode.objects.exists()


def test_a_festival_file_dated_outside_the_span_is_refused(db, tmp_path):
    path = tmp_path / "festivals.csv"
    path.write_text(
        "code,name,year,date,window_start,window_end\n"
        "spring,春节,9999,9999-01-01,9998-12-25,9999-01-08\n",
        encoding="utf-8",
    )
    with pytest.raises(DomainError, match="第 2 行.*2000 年至 2100 年之间"):
        festivals.load(Festival, path)
    assert not Festival.objects.filter(year=9999).exists()
