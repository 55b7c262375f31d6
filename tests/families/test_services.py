from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from fpa.core.errors import DomainError
from fpa.families import services
from fpa.families.models import FamilyParent, PairedContact
from fpa.people import services as people
from tests.conftest import actor_of
from tests.families.conftest import make_family
from tests.people.conftest import id_for

D = datetime.date


def test_bereaved_needs_the_date_of_death_and_disabled_a_grade(users, tree):
    with pytest.raises(DomainError, match="死亡日期"):
        make_family(users, tree, seq=310, child_died_on=None)
    with pytest.raises(DomainError, match="残疾等级"):
        make_family(users, tree, seq=320, kind="disabled", child_died_on=None)


def test_a_person_belongs_to_one_active_special_family(family, users, tree):
    mother = family.parents.first().person
    with pytest.raises(DomainError, match="已属于一个在册"):
        services.recognize(
            {
                "kind": "bereaved",
                "parents": [mother],
                "recognized_on": D(2021, 1, 1),
                "child_name": "x",
                "child_died_on": D(2020, 1, 1),
            },
            actor=actor_of(users["county"]),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        FamilyParent.objects.create(family=family, person=mother, since=D(2021, 1, 1))


def test_paired_contacts_keep_their_history_one_per_role(family, users, tree):
    actor = actor_of(users["county"])
    a = people.register_person(
        {
            "name": "干部甲",
            "id_number": id_for("430121", seq=400, gender="male"),
            "org": tree["430121001000"],
        },
        actor=actor,
    )
    b = people.register_person(
        {
            "name": "干部乙",
            "id_number": id_for("430121", seq=410, gender="male"),
            "org": tree["430121001000"],
        },
        actor=actor,
    )
    services.set_contact(family, "cadre", a, D(2021, 1, 1), actor=actor)
    services.set_contact(family, "cadre", b, D(2021, 7, 1), actor=actor)
    history = list(
        PairedContact.objects.filter(family=family)
        .order_by("since")
        .values_list("person__name", "until")
    )
    assert history == [("干部甲", D(2021, 7, 1)), ("干部乙", None)]
    with pytest.raises(DomainError, match="不能早于"):
        services.set_contact(family, "cadre", a, D(2021, 6, 1), actor=actor)


def test_care_inside_a_festival_window_only(family, users, festival):
    actor = actor_of(users["county"])
    with pytest.raises(DomainError, match="走访时间"):
        services.record_care(
            family,
            {"kind": "visit", "on": D(2021, 11, 1), "what": "慰问", "festival": festival},
            actor=actor,
        )
    row = services.record_care(
        family,
        {"kind": "visit", "on": D(2021, 10, 14), "what": "慰问", "festival": festival},
        actor=actor,
    )
    assert row.county_id == family.county_id
    with pytest.raises(DomainError, match="晚于今天"):
        services.record_care(
            family,
            {"kind": "visit", "on": D.today() + datetime.timedelta(1), "what": "x"},
            actor=actor,
        )
    with pytest.raises(DomainError, match="认定日期"):
        services.record_care(
            family, {"kind": "visit", "on": D(2019, 1, 1), "what": "x"}, actor=actor
        )


def test_ending_a_family_frees_its_parents(family, users, tree):
    actor = actor_of(users["county"])
    with pytest.raises(DomainError, match="原因"):
        services.end_family(family, D(2022, 1, 1), "", actor=actor)
    services.end_family(family, D(2022, 1, 1), "父母均已去世", actor=actor)
    assert not FamilyParent.objects.filter(family=family, until__isnull=True).exists()
    with pytest.raises(DomainError, match="已不在册"):
        services.end_family(family, D(2022, 2, 1), "x", actor=actor)


def test_outsider_cannot_touch_the_family(family, users):
    with pytest.raises(DomainError, match="管辖范围"):
        services.record_care(
            family,
            {"kind": "visit", "on": D(2021, 5, 1), "what": "x"},
            actor=actor_of(users["outsider"]),
        )
