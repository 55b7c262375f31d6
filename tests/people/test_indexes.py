"""The person table's indexes on PostgreSQL: few, and each one serving what the pages ask."""

from __future__ import annotations

import pytest
from django.db import connection

from fpa.core.fields import lookup
from fpa.people import selectors
from fpa.people.models import Person
from tests.conftest import actor_of

pytestmark = pytest.mark.postgres


def plan(queryset) -> str:
    """The plan PostgreSQL would use, with sequential scans priced out (the test data is tiny)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("index plans are PostgreSQL's")


def test_name_prefix_search_is_an_index_range(postgres_only, person, tree):
    county = tree["430121000000"]
    searched = Person.unscoped_objects.filter(county=county, name__startswith="张").order_by(
        "name", "id"
    )
    conditions = [line for line in plan(searched).splitlines() if "Index Cond" in line]
    # Under the byte-order collation LIKE '张%' becomes a range on a plain name index; under a
    # locale's collation it would only be a filter, or need a varchar_pattern_ops twin.
    assert any("(name)::text < " in line for line in conditions), conditions


def test_a_county_in_pinyin_order_walks_the_county_initials_index(postgres_only, person, users):
    # Pinyin order (fpa.people.selectors.name_order) needs no index of its own: the county's
    # initials index gives the order; on a county of thousands PostgreSQL then sorts only the
    # names that share their initials (an Incremental Sort: docs/people.md, "Name order").
    shown = plan(selectors.persons(actor_of(users["county"]), {})[:51])
    assert "person_county_initials" in shown, shown


def test_lookup_by_number_alone_uses_the_document_constraint(postgres_only, person):
    shown = plan(Person.unscoped_objects.filter(**lookup("id_number", "x", "id_number")))
    assert "person_document_unique" in shown, shown


def test_name_and_blind_index_columns_compare_bytes(postgres_only, db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, collation_name FROM information_schema.columns"
            " WHERE table_name = 'people_person' AND collation_name IS NOT NULL"
        )
        collations = dict(cursor.fetchall())
    for column in ("name", "initials", "id_number_index", "phone_index", "phone_last4"):
        assert collations.get(column) == "C", column
