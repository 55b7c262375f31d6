from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fpa.core.fields import protect
from fpa.programs import services, setup
from fpa.programs.models import Payee, Program
from tests.conftest import actor_of
from tests.factories import UserFactory
from tests.families.conftest import make_family

YEAR = 2026
ADMITTED = datetime.date(2026, 3, 1)


def program_data(kind: str = "hospital_care", code: str = "ZYHL2026", **extra) -> dict:
    return {
        "code": code,
        "name": "住院护理补贴",
        "kind": kind,
        "year": YEAR,
        "funding_source": "local",
        "budget": Decimal("100000.00"),
        "eligibility": "family_member",
        "opens_on": datetime.date(2026, 1, 1),
        "closes_on": datetime.date(2099, 12, 31),
        "status": "open",
        **extra,
    }


HOSPITAL_RATE = {"per_day": "50", "annual_cap": "3000"}
CHAIN = [("township", "审核"), ("county", "审批")]


def make_program(users, *, kind="hospital_care", rate=None, steps=None, **extra) -> Program:
    actor = actor_of(users["province"])
    return setup.create_program(
        program_data(kind, **extra), rate or HOSPITAL_RATE, steps or CHAIN, actor=actor
    )


def stay(admitted=ADMITTED, days=10, hospital="长沙县人民医院") -> dict:
    return {
        "hospital": hospital,
        "admitted_on": admitted,
        "discharged_on": admitted + datetime.timedelta(days=days),
    }


def person_payee(person, account="6230901234567890123") -> Payee:
    return Payee.unscoped_objects.create(
        kind="person",
        name=person.name,
        person=person,
        bank_name="长沙农商银行",
        org=person.org,
        **protect(account, "bank_account").as_fields("account"),
    )


@pytest.fixture
def staff(users, tree):
    """The chain's actors: a township reviewer (星沙街道) and a county approver (长沙县)."""
    return {
        **users,
        "reviewer": UserFactory(username="shencha", org=tree["430121001000"], roles=["reviewer"]),
        "approver": UserFactory(username="shenpi", org=tree["430121000000"], roles=["approver"]),
        "other_reviewer": UserFactory(
            username="huangxing", org=tree["430121002000"], roles=["reviewer"]
        ),
    }


@pytest.fixture
def program(staff):
    program = make_program(staff)
    # The province passes the whole budget to 长沙市, then to 长沙县.
    province_actor = actor_of(staff["province"])
    city = program.funding_org.children.get(code="430100000000")
    setup.split_budget(program, program.funding_org, "equal", actor=province_actor)
    setup.split_budget(program, city, "equal", actor=province_actor)
    return program


@pytest.fixture
def mother(staff, tree):
    family = make_family(staff, tree)
    return family.parents.get().person


@pytest.fixture
def payee(mother):
    return person_payee(mother)


def file(program, person, payee, users, details=None, who="village"):
    return services.file_application(
        program,
        actor=actor_of(users[who]),
        person=person,
        payee=payee,
        details=details or stay(),
    )


def approve_all(application, staff):
    services.decide(application.pk, "approve", actor=actor_of(staff["reviewer"]))
    return services.decide(application.pk, "approve", actor=actor_of(staff["approver"]))


def make_insurance(staff, budget=Decimal("100000.00")) -> Program:
    """A province health-insurance program (150 yuan a person), its budget passed to 长沙县."""
    program = make_program(
        staff,
        kind="insurance",
        code="BX2026",
        rate={"premium": "150"},
        name="计生健康保险",
        budget=budget,
    )
    province = actor_of(staff["province"])
    setup.split_budget(program, program.funding_org, "equal", actor=province)
    city = program.funding_org.children.get(code="430100000000")
    setup.split_budget(program, city, "equal", actor=province)
    return program


def make_insurer(program) -> Payee:
    return Payee.unscoped_objects.create(
        kind="insurer",
        name="中国人寿湖南省分公司",
        bank_name="工商银行",
        org=program.funding_org,
        **protect("6222021234567890123", "bank_account").as_fields("account"),
    )


def school_under(county):
    """A school association (non-territorial) right under a county, saved."""
    from fpa.kernel.upkeep import fill_ancestors
    from fpa.orgs.models import Org

    school = Org(
        parent=county,
        path=county.path + "00099",
        depth=county.depth + 1,
        level="township",
        kind="school",
        name="长沙县一中计生协",
    )
    fill_ancestors(school, county)
    school.save()
    return school
