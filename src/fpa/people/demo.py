"""Demo positions for `make run`: officers, council members, staff and volunteers of the demo
counties, so the position lists, their exports and the org pages' officers panel are not empty.

Through `positions_services.add_position`, as the pages would do it (checks and audit included).
Idempotent: nothing is done once an officer exists; an older demo database gets the positions on its
next run. Called from `fpa.demo.loader.load`.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from fpa.kernel.scope import Actor
from fpa.orgs.models import Level, Org, Status

from . import positions_services
from .models import Person
from .positions import Officer

D = datetime.date
SKILLS = ["心理疏导", "健康讲座", "法律咨询", "陪同就医", "家政帮扶", "文艺表演", "政策宣传"]


def load(county_codes: list[str]) -> bool:
    """Add the demo positions once; False when they are already there."""
    if Officer.unscoped_objects.exists():
        return False
    rng = random.Random(2022)
    for code in county_codes:
        _county(rng, Org.unscoped_objects.get(code=code))
    return True


def _term(org: Org, start: datetime.date) -> dict[str, datetime.date]:
    """A five-year term from `start`, written into the org's profile too, so the page's election
    date (profile) and the one its officers' terms imply agree."""
    end = start.replace(year=start.year + 5)
    Org.unscoped_objects.filter(pk=org.pk).update(term_start=start, next_election_due=end)
    return {"term_start": start, "term_end": end}


def _county(rng: random.Random, county: Org) -> None:
    actor = Actor.system(county)
    people: Iterator[Person] = iter(
        Person.unscoped_objects.filter(county=county).select_related("org").order_by("id")[:40]
    )

    def add(kind: str, org: Org | None = None, **data: object) -> None:
        person = next(people)
        positions_services.add_position(
            kind, person, {"org": org or person.org, **data}, actor=actor
        )

    county_term = _term(county, D(2022, 3, 1))
    for position in ("president", "vice_president", "secretary_general"):
        add("officer", county, position=position, **county_term)
    for standing in (True, True, False, False, False):
        add("council", county, standing=standing, **county_term)
    add("staff", county, post="秘书长", full_time=True, establishment="public_service")
    add("staff", county, post="干事", full_time=True, establishment="admin", since=D(2019, 7, 1))
    add("staff", county, post="会计", full_time=False, establishment="none", since=D(2020, 3, 1))
    townships = Org.unscoped_objects.filter(
        county=county, level=Level.TOWNSHIP, status=Status.ESTABLISHED
    ).order_by("path")[:4]
    for i, township in enumerate(townships):
        # Half the township terms have run out: their elections show as overdue.
        term = _term(township, D(2021, 6, 1) if i % 2 else D(2023, 6, 1))
        add("officer", township, position="president", **term)
        filed = term["term_start"] + datetime.timedelta(days=20)
        add("officer", township, position="secretary_general", filed_on=filed, **term)
        add("staff", township, post="计生协专干", full_time=False, establishment="none")
    for _ in range(8):
        add(
            "volunteer",
            since=D(rng.randint(2018, 2023), rng.randint(1, 12), 1),
            skills=rng.choice(SKILLS),
            hours=rng.randint(4, 200),
        )
