"""Demo data for `make run`: users at every level and a living tree to click through.

Deterministic (a fixed random seed), and idempotent: a second run finds the demo users and
changes nothing.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fpa.accounts.models import Role, RoleAssignment, User
from fpa.kernel.upkeep import fill_ancestors
from fpa.orgs.models import Kind, Level, Org, OrgYear, ServiceSite, SiteKind, Status
from fpa.orgs.tree import initials, next_child_path

DEMO_PASSWORD = "Fpa@2021demo"
YEAR = 2021
# (username, display name, level, division code, roles): a clerk per level, an outsider, and the
# three separated duties (user administration, security administration, audit)
DEMO_USERS = [
    ("sheng", "省计生协业务员", Level.PROVINCE, "430000000000", ["clerk"]),
    ("changsha", "长沙市计生协", Level.CITY, "430100000000", ["clerk"]),
    ("changshaxian", "长沙县计生协", Level.COUNTY, "430121000000", ["clerk"]),
    ("xingsha", "星沙街道计生协", Level.TOWNSHIP, None, ["clerk"]),
    ("cun", "村计生协专干", Level.VILLAGE, None, ["clerk"]),
    ("xingsha_shenhe", "星沙街道审核员", Level.TOWNSHIP, None, ["reviewer"]),
    ("changshaxian_shenpi", "长沙县审批员", Level.COUNTY, "430121000000", ["approver"]),
    ("liuyang_town", "浏阳市乡镇计生协（对照）", Level.TOWNSHIP, "430181001000", ["clerk"]),
    ("changshaxian_admin", "长沙县账号管理员", Level.COUNTY, "430121000000", ["org_admin"]),
    ("sheng_admin", "省系统管理员", Level.PROVINCE, "430000000000", ["province_admin"]),
    ("sheng_security", "省安全管理员", Level.PROVINCE, "430000000000", ["security_admin"]),
    ("sheng_audit", "省审计员", Level.PROVINCE, "430000000000", ["auditor"]),
]
DEMO_COUNTIES = ["430121000000", "430181000000", "430602000000", "431102000000"]


def demo_logins() -> list[tuple[str, str, str, str]]:
    users = User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).select_related("org")
    by_name = {u.username: u for u in users}
    names = dict(Role.objects.values_list("code", "name"))
    return [
        (name, DEMO_PASSWORD, by_name[name].org.name, "、".join(names[c] for c in roles))
        for name, _display, _level, _code, roles in DEMO_USERS
        if name in by_name
    ]


def _users() -> None:
    """The demo accounts with their roles (added to an older demo database too)."""
    codes = [u[3] for u in DEMO_USERS if u[3]]
    orgs = {o.code: o for o in Org.unscoped_objects.filter(code__in=codes)}
    county = orgs["430121000000"]
    township = Org.unscoped_objects.filter(parent=county).order_by("path").first()
    village = Org.unscoped_objects.filter(parent=township).order_by("path").first()
    for username, display, level, code, roles in DEMO_USERS:
        org = orgs.get(code) if code else (township if level == Level.TOWNSHIP else village)
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": display, "org": org}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            # Demo accounts skip the first-login password change so the tour starts at once.
            user.must_change_password = False
            user.password_changed_at = timezone.now()
            user.save()
        for role_code in roles:
            RoleAssignment.objects.get_or_create(user=user, role=Role.objects.get(code=role_code))


@transaction.atomic
def load(province_code: str = "430000000000") -> bool:
    """Create the demo data; returns False when it is already there."""
    done = User.objects.filter(username="sheng").exists()
    _users()
    if not done:
        _base()
    # Roles and programs come after the people; added to an older demo database on its next run.
    from fpa.people import demo as people_demo
    from fpa.programs import demo as programs_demo

    added_roles = people_demo.load(DEMO_COUNTIES)
    return programs_demo.load() or added_roles or not done


def _base() -> None:
    """The tree, people and special families of the demo counties (first run only)."""
    rng = random.Random(2021)
    county = Org.unscoped_objects.get(code="430121000000")
    _statuses(rng)
    for code in DEMO_COUNTIES:
        _county(rng, Org.unscoped_objects.get(code=code))
    _years(rng)
    _non_territorial(county, Org.unscoped_objects.get(code="430100000000"))
    for code in DEMO_COUNTIES:
        _people(rng, Org.unscoped_objects.get(code=code))
    for code in DEMO_COUNTIES:
        _families(rng, Org.unscoped_objects.get(code=code))


def _families(rng: random.Random, county: Org) -> None:
    """Special families among the older residents, with realistic gaps in their care."""
    from fpa.families.models import (
        CareRecord,
        DoctorContract,
        FamilyEvent,
        FamilyParent,
        PairedContact,
        SpecialFamily,
    )
    from fpa.people.models import Household, HouseholdMember, Person

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


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "桂兰秀英建国志强丽华玉梅海燕红霞小平德明春花国华淑珍文军金凤立新爱民冬梅雪芳"


def _people(rng: random.Random, county: Org, per_village: int = 6) -> None:
    """Synthetic residents with valid ID numbers of their own county, most of them members."""
    from fpa.core.fields import protected_fields
    from fpa.core.idnumber import synthesize
    from fpa.orgs.tree import initials
    from fpa.people.models import CardCounter, Membership, MembershipEvent, Person

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
    from fpa.people.counting import recount_people

    recount_people()


def _statuses(rng: random.Random) -> None:
    """Most associations exist; some townships and more villages do not yet (乡级断层、村级弱化)."""
    rate: dict[str, float] = {
        Level.PROVINCE: 1,
        Level.CITY: 1,
        Level.COUNTY: 1,
        Level.TOWNSHIP: 0.96,
        Level.VILLAGE: 0.88,
    }
    founded = datetime.date(1990, 1, 1)
    changed = []
    for org in Org.unscoped_objects.filter(kind=Kind.TERRITORIAL).only("id", "level", "status"):
        if rng.random() < rate[org.level]:
            org.status = Status.ESTABLISHED
            org.established_on = founded + datetime.timedelta(days=rng.randrange(0, 11000))
            changed.append(org)
    Org.unscoped_objects.bulk_update(changed, ["status", "established_on"], batch_size=2000)


def _county(rng: random.Random, county: Org) -> None:
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
        weights: dict[str, float] = {Level.COUNTY: 6, Level.TOWNSHIP: 2, Level.VILLAGE: 0.6}
        for _ in range(int(weights.get(org.level, 0) + rng.random())):
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


def _years(rng: random.Random) -> None:
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


def _non_territorial(county: Org, city: Org) -> None:
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
