"""Demo special families for `make run`: among each demo county's older residents, with their
parents, paired contacts, doctors' contracts and realistic gaps in their care.

Deterministic for the random generator it is given; run once, after the residents
(`fpa.people.demo.residents`), by `fpa.demo.loader.load`.
"""

from __future__ import annotations

import datetime
import random

from fpa.orgs.models import Org
from fpa.people.models import Household, HouseholdMember, Person

from .models import (
    CareRecord,
    DoctorContract,
    FamilyEvent,
    FamilyParent,
    PairedContact,
    SpecialFamily,
)


def families(rng: random.Random, county: Org) -> None:
    """Special families among the older residents, with realistic gaps in their care."""
    today = datetime.date.today()
    elders = list(
        Person.unscoped_objects.filter(
            county=county, birth_date__lt=datetime.date(1972, 1, 1)
        ).order_by("id")[:400]
    )
    cadres = list(
        Person.unscoped_objects.filter(
            county=county, birth_date__gte=datetime.date(1980, 1, 1)
        ).order_by("id")[:40]
    )
    for parent in elders[::4]:
        household = Household(head=parent)
        household.place_in(parent.org)
        household.save()
        HouseholdMember.objects.create(household=household, person=parent, relation="head")
        Person.unscoped_objects.filter(pk=parent.pk).update(household=household)
        kind = "bereaved" if rng.random() < 0.7 else "disabled"
        recognized = datetime.date(rng.randint(2012, 2022), rng.randint(1, 12), 1)
        family = SpecialFamily(
            household=household,
            kind=kind,
            recognized_on=recognized,
            status_on=recognized,
            child_name=parent.name[0] + rng.choice("明华军丽强"),
            child_died_on=recognized - datetime.timedelta(days=300) if kind == "bereaved" else None,
            disability_grade=rng.randint(1, 4) if kind == "disabled" else None,
            certificate_no=f"DC{rng.randrange(10**8)}" if kind == "disabled" else "",
            living_alone=rng.random() < 0.3,
            health=rng.choice(["good", "chronic", "bedridden"]),
        )
        family.place_in(parent.org)
        family.save()
        FamilyParent.objects.create(family=family, person=parent, since=recognized)
        FamilyEvent.objects.create(
            family=family, on=recognized, status="active", org=parent.org, note="认定"
        )
        if cadres and rng.random() < 0.8:
            PairedContact.objects.create(
                family=family, role="cadre", person=rng.choice(cadres), since=recognized
            )
            if rng.random() < 0.8:
                PairedContact.objects.create(
                    family=family, role="health_worker", person=rng.choice(cadres), since=recognized
                )
        if rng.random() < 0.6:
            DoctorContract.objects.create(
                family=family,
                doctor="签约医生",
                institution="乡镇卫生院",
                signed_on=today - datetime.timedelta(days=200),
                renewal_due=today + datetime.timedelta(days=165),
            )
        for _ in range(rng.randint(0, 4)):
            on = today - datetime.timedelta(days=rng.randint(0, 200))
            if on < recognized:
                continue
            row = CareRecord(
                family=family,
                kind=rng.choice(["visit", "visit", "emotional", "volunteer", "insurance"]),
                on=on,
                what="上门走访慰问",
                by_name="村专干",
                amount=rng.choice([0, 200, 500]),
            )
            row.place_in(family.org)
            row.save()
