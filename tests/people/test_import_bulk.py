"""The import commit's bulk writes: COPY on PostgreSQL writes what the portable path writes,
and a commit that fails half-way leaves nothing behind."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from fpa.audit.models import LogEntry
from fpa.core import bulk
from fpa.core.fields import lookup, reveal
from fpa.core.imports import accepted, preview
from fpa.core.models import OrgCounter
from fpa.kernel import counters
from fpa.kernel.scope import Actor
from fpa.people import imports, services
from fpa.people.models import CardCounter, Membership, MembershipEvent, Person
from tests.people.conftest import id_for
from tests.people.test_import import workbook

NEW_A = id_for("430121", seq=130)
NEW_B = id_for("430121", datetime.date(1975, 6, 1), seq=140, gender="male")
NEW_C = id_for("430121", datetime.date(1950, 1, 20), seq=150)


class Undo(Exception):
    """Rolls a commit back inside a test, to run it again the other way."""


@pytest.fixture
def roster(tmp_path, person):
    """Three new residents (a phone, a join date, a landline) and the stored 张桂兰 joining."""
    return workbook(
        [
            ["王桂英", NEW_A, "139 1234 5678", "430121001001", "2021/5/29"],
            ["李建国", NEW_B, "0731-84123456", "星沙街道湖湾村", ""],
            ["赵秀兰", NEW_C, "", "黄花村", "2022年1月3日"],
            ["张桂兰", id_for("430121"), "", "湖湾村", "2020-02-02"],
        ],
        tmp_path / "花名册.xlsx",
    )


def checked_rows(path, actor):
    result = preview(path, imports.PersonSchema(), imports.make_context(actor))
    assert result.counts["new"] == 3 and result.counts["update"] == 1, result.errors
    return accepted(result, "update")


def snapshot() -> dict[str, object]:
    """What an import wrote, without ids, timestamps or nonces (tokens compared decrypted)."""
    skip = {"id", "created_at", "updated_at", "id_number_enc", "phone_enc"}
    persons = {}
    for p in Person.unscoped_objects.all():
        assert p.created_at and p.updated_at
        row = {k: v for k, v in vars(p).items() if not k.startswith("_") and k not in skip}
        row["id_number"], row["phone"] = reveal(p.id_number_enc), reveal(p.phone_enc)
        persons[p.id_number_index] = row
    members = {
        m.person.id_number_index: (
            m.card_number,
            m.joined_on,
            m.status,
            m.group_id,
            (m.org_id, m.city_id, m.county_id, m.township_id),
            [(e.at, e.status, e.org_id, e.note) for e in m.events.all()],
        )
        for m in Membership.unscoped_objects.select_related("person")
    }
    entry = LogEntry.unscoped_objects.order_by("-id").first()
    return {
        "persons": persons,
        "members": members,
        "counters": sorted(OrgCounter.objects.values_list("org_id", "key", "value")),
        "cards": sorted(CardCounter.objects.values_list("prefix", "last")),
        "audit": (entry.action, entry.changes, entry.rows),
    }


def test_a_commit_stores_every_value_findable_and_counted(roster, users, tree):
    actor = Actor.system(tree["430121000000"])
    counts = imports.commit(checked_rows(roster, actor), actor=actor, filename="花名册.xlsx")

    assert counts == {"created": 3, "updated": 1, "joined": 3}
    a = Person.unscoped_objects.get(**lookup("id_number", NEW_A, "id_number"))
    assert (a.name, a.initials, a.gender, a.birth_date) == ("王桂英", "wgy", "female", a.birth_date)
    assert reveal(a.id_number_enc) == NEW_A and a.id_number_last4 == NEW_A[-4:]
    assert reveal(a.phone_enc) == "13912345678"
    assert Person.unscoped_objects.get(**lookup("phone", "13912345678", "phone")) == a
    assert (a.org_id, a.county_id) == (tree["430121001001"].pk, tree["430121000000"].pk)
    b = Person.unscoped_objects.get(**lookup("id_number", NEW_B, "id_number"))
    assert reveal(b.phone_enc) == "0731-84123456" and b.ethnicity == "汉族" and b.status == "active"
    assert not b.memberships.exists()
    card = Membership.unscoped_objects.get(person=a)
    assert card.card_number == "43012121000001" and card.status == "active"
    assert [(e.status, e.note) for e in card.events.all()] == [("active", "入会")]
    stored = Membership.unscoped_objects.get(person__name="张桂兰")
    assert stored.card_number == "43012120000001"
    county = tree["430121000000"]
    assert counters.value(county, services.PERSONS) == 4
    assert counters.value(county, services.MEMBERS) == 3
    entry = LogEntry.unscoped_objects.get(action="fpa.people.imported")
    assert entry.changes == {"file": "花名册.xlsx", **counts}
    assert [r["status"] for r in entry.rows] == ["new", "new", "new", "update"]
    assert entry.rows[0]["id_number"] == NEW_A[:6] + "********" + NEW_A[-4:]


@pytest.mark.postgres
def test_copy_writes_what_the_portable_path_writes(roster, users, tree, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("COPY is the PostgreSQL path")
    actor = Actor.system(tree["430121000000"])
    rows = checked_rows(roster, actor)
    written = {}
    for use_copy in (False, True):
        monkeypatch.setattr(bulk, "USE_COPY", use_copy)
        with pytest.raises(Undo), transaction.atomic():
            imports.commit(rows, actor=actor, filename="花名册.xlsx")
            written[use_copy] = snapshot()
            raise Undo
    assert len(written[True]["persons"]) == 4 and len(written[True]["members"]) == 3
    assert written[True] == written[False]


@pytest.mark.parametrize("use_copy", [True, False], ids=["copy", "portable"])
def test_a_commit_failing_half_way_writes_nothing(roster, users, tree, monkeypatch, use_copy):
    monkeypatch.setattr(bulk, "USE_COPY", use_copy)
    actor = Actor.system(tree["430121000000"])
    rows = checked_rows(roster, actor)
    before = snapshot()

    def audit_down(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    with monkeypatch.context() as m:
        m.setattr(imports, "record", audit_down)  # after every person and card is written
        with pytest.raises(RuntimeError):
            imports.commit(rows, actor=actor)
    assert snapshot() == before
    with pytest.raises(IntegrityError):  # the database refuses a number twice, mid-insert
        imports.commit([*rows, rows[0]], actor=actor)
    assert snapshot() == before
    assert Person.unscoped_objects.count() == 1 and not MembershipEvent.objects.exists()


@pytest.mark.parametrize("use_copy", [True, False], ids=["copy", "portable"])
def test_card_numbers_follow_the_file_order_not_the_name_order(
    tmp_path, users, tree, monkeypatch, use_copy
):
    monkeypatch.setattr(bulk, "USE_COPY", use_copy)
    # 赵 sorts after 王: the commit writes 王 first, yet 赵 (row 1) gets the first card.
    path = workbook(
        [
            ["赵秀兰", NEW_C, "", "湖湾村", "2021-05-29"],
            ["王桂英", NEW_A, "", "湖湾村", "2021-05-29"],
        ],
        tmp_path / "入会.xlsx",
    )
    actor = Actor.system(tree["430121000000"])
    result = preview(path, imports.PersonSchema(), imports.make_context(actor))
    imports.commit(accepted(result, "skip"), actor=actor)
    cards = dict(
        Membership.unscoped_objects.values_list("person__name", "card_number").order_by("id")
    )
    assert cards["赵秀兰"] < cards["王桂英"], cards
