"""Demo tree for `make run`: which associations exist, their elections, addresses and service
sites, yearly facts of the upper levels, and a few non-territorial associations.

Deterministic for the random generator it is given (the loader's, shared with the other apps'
steps in a fixed order). Run once, on the first load: `fpa.demo.loader.load` calls it.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from fpa.kernel.upkeep import fill_ancestors

from .models import Kind, Level, Org, OrgYear, ServiceSite, SiteKind, Status
from .tree import initials, next_child_path

YEAR = 2021


def statuses(rng: random.Random) -> None:
    """Most associations exist; some townships and more villages do not yet (乡级断层、村级弱化)."""
    rate = {
        Level.PROVINCE: 1,
        Level.CITY: 1,
        Level.COUNTY: 1,
        Level.TOWNSHIP: 0.96,
        Level.VILLAGE: 0.88,
    }
    founded = datetime.date(1990, 1, 1)
    changed = []
    for org in Org.unscoped_objects.filter(kind=Kind.TERRITORIAL).only("id", "level", "status"):
        if rng.random() < rate[Level(org.level)]:
            org.status = Status.ESTABLISHED
            org.established_on = founded + datetime.timedelta(days=rng.randrange(0, 11000))
            changed.append(org)
    Org.unscoped_objects.bulk_update(changed, ["status", "established_on"], batch_size=2000)


def elections_and_sites(rng: random.Random, county: Org) -> None:
    """Elections, addresses and service sites through one county's subtree."""
    today = datetime.date.today()
    sites = []
    orgs = list(
        Org.unscoped_objects.filter(path__startswith=county.path, status=Status.ESTABLISHED)
    )
    for org in orgs:
        start = datetime.date(rng.choice([2016, 2018, 2019, 2020, 2021]), rng.randint(1, 12), 1)
        org.term_start = start
        org.next_election_due = start.replace(year=start.year + 5)
        org.address = f"{org.name}办公楼"
        weights = {Level.COUNTY: 6, Level.TOWNSHIP: 2, Level.VILLAGE: 0.6}
        for _ in range(int(weights.get(Level(org.level), 0) + rng.random())):
            kind = rng.choice(SiteKind.values)
            sites.append(
                ServiceSite(
                    org=org,
                    city_id=org.city_id,
                    county_id=org.county_id,
                    township_id=org.township_id,
                    kind=kind,
                    name=f"{org.name}{SiteKind(kind).label}",
                    opened_on=today - datetime.timedelta(days=rng.randrange(30, 3000)),
                )
            )
    Org.unscoped_objects.bulk_update(orgs, ["term_start", "next_election_due", "address"], 2000)
    ServiceSite.unscoped_objects.bulk_create(sites, batch_size=2000)


def years(rng: random.Random) -> None:
    rows = []
    for org in Org.unscoped_objects.filter(level__in=[Level.PROVINCE, Level.CITY, Level.COUNTY]):
        for year in (YEAR - 1, YEAR):
            admin = {"province": 30, "city": 8, "county": 3}[org.level]
            rows.append(
                OrgYear(
                    org=org,
                    year=year,
                    establishment_admin=admin + rng.randint(0, 2),
                    establishment_public_service=rng.randint(0, admin),
                    rank={"province": "department", "city": "division", "county": "section"}[
                        org.level
                    ],
                    party_group=org.level != Level.COUNTY or rng.random() < 0.3,
                    first_level_budget_unit=org.level != Level.COUNTY or rng.random() < 0.6,
                    budget=Decimal(
                        rng.randint(20, 800) * 10000 if org.level != "province" else 57500000
                    ),
                    resident_population=rng.randint(200000, 1200000)
                    if org.level == "county"
                    else 0,
                )
            )
    for r in rows:
        if r.party_group:
            r.party_group_on = datetime.date(2019, 6, 1)
    OrgYear.unscoped_objects.bulk_create(rows, batch_size=2000)


def non_territorial(county: Org, city: Org) -> None:
    """A school, a hospital and an enterprise association under the county, a migrants' one under
    the city."""
    for parent, kind, name in [
        (county, Kind.SCHOOL, "长沙县第一中学计生协"),
        (county, Kind.HOSPITAL, "长沙县人民医院计生协"),
        (county, Kind.ENTERPRISE, "长沙经开区某工程机械企业计生协"),
        (city, Kind.MIGRANT, "长沙市驻广东深圳流动人口计生协"),
    ]:
        org = Org(
            parent=parent,
            path=next_child_path(parent),
            depth=parent.depth + 1,
            level=parent.level,
            kind=kind,
            name=name,
            initials=initials(name),
            status=Status.ESTABLISHED,
            established_on=datetime.date(2015, 5, 29),
        )
        fill_ancestors(org, parent)
        org.save()
