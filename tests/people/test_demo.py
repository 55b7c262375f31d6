"""The demo's positions: officers, council, staff and volunteers that the pages can show."""

from __future__ import annotations

import random

from fpa.orgs.models import Org, Status
from fpa.people import demo as people_demo
from fpa.people.positions import CouncilMember, Officer, Staff, Volunteer

COUNTY = "430121000000"


def test_demo_positions_fill_the_position_lists_and_the_org_panel_once(tree, users, client_for):
    Org.unscoped_objects.update(status=Status.ESTABLISHED)
    people_demo.residents(random.Random(2021), tree[COUNTY], per_village=30)
    assert people_demo.positions([COUNTY]) is True
    county_officers = Officer.unscoped_objects.filter(org=tree[COUNTY])
    # The county's profile carries its officers' term, so the page's two election dates agree.
    county = Org.unscoped_objects.get(pk=tree[COUNTY].pk)
    assert {(o.term_start, o.term_end) for o in county_officers} == {
        (county.term_start, county.next_election_due)
    }
    assert county_officers.count() == 3
    assert Officer.unscoped_objects.exclude(org=tree[COUNTY]).filter(filed_on__isnull=False)
    assert CouncilMember.unscoped_objects.filter(standing=True).count() == 2
    assert Staff.unscoped_objects.count() >= 3 and Volunteer.unscoped_objects.count() == 8
    client = client_for(users["county"])
    president = Officer.unscoped_objects.get(org=tree[COUNTY], position="president")
    panel = client.get(f"/people/org/{tree[COUNTY].pk}/panel/").content.decode()
    assert president.person.name in panel
    volunteers = client.get("/people/positions/volunteer/").content.decode()
    assert volunteers.count("/people/") >= 8
    assert people_demo.positions([COUNTY]) is False
    assert Officer.unscoped_objects.filter(org=tree[COUNTY]).count() == 3
