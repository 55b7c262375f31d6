"""Demo data for `make run`: users at every level and a living tree to click through.

The thin loader above the apps: each app keeps its own part in `<app>/demo.py` and this calls
them in order (tree, residents, special families, then accounts' roles, positions, programs and
funds), sharing one random generator so the data is deterministic. Idempotent: a second run
finds the demo users and changes nothing; an older demo database gets the parts added since.
"""

from __future__ import annotations

import random

from django.db import transaction

from fpa.accounts import demo as accounts_demo
from fpa.families import demo as families_demo
from fpa.funds import demo as funds_demo
from fpa.orgs import demo as orgs_demo
from fpa.orgs.models import Org
from fpa.people import demo as people_demo
from fpa.programs import demo as programs_demo

DEMO_COUNTIES = ["430121000000", "430181000000", "430602000000", "431102000000"]
#: the county and city that hold the demo's non-territorial associations
HOME_COUNTY, HOME_CITY = "430121000000", "430100000000"


@transaction.atomic
def load() -> bool:
    """Create the demo data; returns False when it is already there."""
    done = accounts_demo.loaded()
    accounts_demo.users()
    if not done:
        _base()
    # Positions, programs and funds come after the people; added to an older demo database on
    # its next run. The funds come after the programs, whose lines are part of the budget.
    added_positions = people_demo.positions(DEMO_COUNTIES)
    added_programs = programs_demo.load()
    return funds_demo.load() or added_programs or added_positions or not done


def _base() -> None:
    """The tree, people and special families of the demo counties (first run only)."""
    rng = random.Random(2021)
    orgs_demo.statuses(rng)
    counties = [Org.unscoped_objects.get(code=code) for code in DEMO_COUNTIES]
    for county in counties:
        orgs_demo.elections_and_sites(rng, county)
    orgs_demo.years(rng)
    orgs_demo.non_territorial(
        Org.unscoped_objects.get(code=HOME_COUNTY), Org.unscoped_objects.get(code=HOME_CITY)
    )
    for county in counties:
        people_demo.residents(rng, county)
    for county in counties:
        families_demo.families(rng, county)
