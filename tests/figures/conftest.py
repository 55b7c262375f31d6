from __future__ import annotations

import datetime
import random

import pytest

from fpa.accounts import demo as accounts_demo
from fpa.families import demo as families_demo
from fpa.orgs import demo as orgs_demo
from fpa.orgs.models import Org, ServiceSite, SiteKind
from fpa.people import demo as people_demo
from fpa.people.models import Person
from fpa.people.positions import Volunteer
from fpa.programs import demo as programs_demo

COUNTY = "430121000000"
CITY = "430100000000"


@pytest.fixture
def demo_county(tree):
    """The demo loader's steps for one county of the mini tree: statuses, elections and sites,
    yearly facts, non-territorial associations, people and their posts, special families and
    their care, and the programs with applications and payments."""
    rng = random.Random(2021)
    county = Org.unscoped_objects.get(code=COUNTY)
    orgs_demo.statuses(rng)
    orgs_demo.elections_and_sites(rng, county)
    orgs_demo.years(rng)
    orgs_demo.non_territorial(county, Org.unscoped_objects.get(code=CITY))
    accounts_demo.users()
    people_demo.residents(rng, county, per_village=8)
    families_demo.families(rng, county)
    people_demo.positions([COUNTY])
    programs_demo.load()
    _non_territorial_records()
    return tree


def _non_territorial_records() -> None:
    """Records held by non-territorial associations, which have no ancestor column of their own
    level: the registry must place them under the right child by their path."""
    school = Org.unscoped_objects.get(name="长沙县第一中学计生协")
    hospital = Org.unscoped_objects.get(name="长沙县人民医院计生协")
    site = ServiceSite(org=school, kind=SiteKind.YOUTH_HEALTH_BASE, name="一中青春健康教育基地")
    site.city_id, site.county_id, site.township_id = school.city_id, school.county_id, None
    site.save()
    person = Person.unscoped_objects.filter(county_id=school.county_id).order_by("pk").first()
    volunteer = Volunteer(person=person, since=datetime.date(2020, 3, 1))
    volunteer.place_in(hospital)
    volunteer.save()
