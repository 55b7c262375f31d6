"""Demo people for `make run`: residents of the demo counties, most of them members, and the
officers, council members, staff and volunteers the position lists and org panels show.

Residents (`residents`) are written in bulk on the first load, deterministic for the random
generator given. Positions (`positions`) go through `positions_services.add_position`, as the
pages would do it (checks and audit included); idempotent: nothing is done once an officer exists,
so an older demo database gets them on its next run. Both called from `fpa.demo.loader.load`.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from fpa.core.fields import protected_fields
from fpa.core.idnumber import synthesize
from fpa.kernel.scope import Actor
from fpa.orgs.models import Level, Org, Status
from fpa.orgs.tree import initials

from . import positions_services
from .counting import recount_people
from .models import CardCounter, Membership, MembershipEvent, Person
from .positions import Officer

D = datetime.date
SKILLS = ["心理疏导", "健康讲座", "法律咨询", "陪同就医", "家政帮扶", "文艺表演", "政策宣传"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "桂兰秀英建国志强丽华玉梅海燕红霞小平德明春花国华淑珍文军金凤立新爱民冬梅雪芳"


def residents(rng: random.Random, county: Org, per_village: int = 6) -> None:
    """Synthetic residents with valid ID numbers of their own county, most of them members."""
    villages = Org.unscoped_objects.filter(
        county=county, level=Level.VILLAGE, status=Status.ESTABLISHED
    ).order_by("path")
    persons, seen = [], set()
    for village in villages:
        for _ in range(per_village):
            gender = rng.choice(["male", "female"])
            birth = datetime.date(rng.randint(1940, 2003), rng.randint(1, 12), rng.randint(1, 28))
            number = synthesize(village.code[:6], birth, rng.randrange(0, 999), gender)
            if number in seen:
                continue
            seen.add(number)
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
            phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
            person = Person(
                name=name,
                initials=initials(name),
                gender=gender,
                birth_date=birth,
                **protected_fields("id_number", number, "id_number"),
                **protected_fields("phone", phone, "phone"),
            )
            person.place_in(village)
            persons.append(person)
    persons = Person.unscoped_objects.bulk_create(persons, batch_size=2000)
    prefix = f"{county.code[:6]}21"
    members = []
    for seq, person in enumerate((p for p in persons if rng.random() < 0.7), start=1):
        m = Membership(
            person=person,
            card_number=f"{prefix}{seq:06d}",
            joined_on=datetime.date(2021, rng.randint(1, 12), rng.randint(1, 28)),
        )
        m.place_in(person.org)
        members.append(m)
    members = Membership.unscoped_objects.bulk_create(members, batch_size=2000)
    MembershipEvent.objects.bulk_create(
        [
            MembershipEvent(membership=m, at=m.joined_on, status="active", org=m.org, note="入会")
            for m in members
        ],
        batch_size=2000,
    )
    CardCounter.objects.update_or_create(prefix=prefix, defaults={"last": len(members)})
    recount_people()


def positions(county_codes: list[str]) -> bool:
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
