"""The audit export survives what a record may hold (M4, M5): a NUL or other control character in
an object's name, a formula in it; the file is written and reads back."""

from __future__ import annotations

import io

from django.db import connection
from openpyxl import load_workbook

from fpa.audit.services import record
from fpa.core.models import Job
from fpa.people.models import MemberGroup
from tests.conftest import actor_of
from tests.factories import UserFactory


def _group(tree, users, name: str) -> MemberGroup:
    # Written directly: the forms now refuse control characters, rows from before stay.
    group = MemberGroup(name=name)
    group.place_in(tree["430121001001"])
    group.save()
    record(actor_of(users["county"]), "fpa.member_group.created", group, {"name": [None, name]})
    return group


def _export(client, tree) -> bytes:
    client.force_login(UserFactory(org=tree["430121000000"], roles=["auditor"]))
    client.post("/audit/export/")
    job = Job.unscoped_objects.get()
    assert job.status == "done", job.message
    return b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)


def test_a_control_character_in_a_group_name_no_longer_fails_the_audit_export(users, tree, client):
    # PostgreSQL itself refuses NUL in text; every other C0 character reaches it.
    nul = "\x00" if connection.vendor == "sqlite" else ""
    _group(tree, users, f"一组{nul}\x1b\x07")
    rows = list(load_workbook(io.BytesIO(_export(client, tree))).active.iter_rows(values_only=True))
    names = [r[7] for r in rows if r[6] == "fpa.member_group.created"]
    assert names == ["一组" + "\ufffd" * len(f"{nul}\x1b\x07")]


def test_a_formula_in_an_audited_object_name_is_text_in_the_audit_export(users, tree, client):
    _group(tree, users, "=1+2")
    sheet = load_workbook(io.BytesIO(_export(client, tree))).active
    cells = [row[7] for row in sheet.iter_rows() if row[6].value == "fpa.member_group.created"]
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [("=1+2", "s", True)]
