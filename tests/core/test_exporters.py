"""The export contract (`fpa.core.exporters`): every export declares its permission and its audit
entry; each one, run as a job or answered at once, writes a name typed as a formula as text,
writes its audit entry, and refuses an actor without its permission before reading a row."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from openpyxl import load_workbook

from fpa.audit.models import LogEntry
from fpa.core.exporters import EXPORTERS, Exporter, exporter
from fpa.core.jobs import RUNNERS, download_permission, start_job
from fpa.orgs.models import Org
from fpa.people import positions_services
from fpa.people.models import Person
from fpa.programs.models import Payee
from tests.conftest import actor_of
from tests.urlwalk import build_world

FORMULA = "=1+1"


def _cases(world: Any) -> list[tuple[str, dict[str, Any], str]]:
    """(exporter, params, role) for every export, with params under which it has rows."""
    ids = world.ids
    program, batch = ids["program_id"][0], ids["batch_id"]
    what = [
        ({"what": "applications"}, "clerk"),
        ({"what": "programs"}, "clerk"),
        ({"what": "dashboard", "program": program}, "clerk"),
        ({"what": "worklist"}, "township_reviewer"),
        ({"what": "batches"}, "clerk"),
        ({"what": "lines", "batch": batch}, "clerk"),
    ]
    return [
        ("people.export.persons", {}, "clerk"),
        ("people.export.members", {}, "clerk"),
        ("people.export.persons_full", {}, "roster_officer"),
        ("people.export.members_full", {}, "roster_officer"),
        ("people.export.positions", {"kind": "volunteer"}, "clerk"),
        ("people.export.relocations", {"dir": "out"}, "clerk"),
        ("families.export", {}, "clerk"),
        ("families.export.coverage", {"end": "2021-09-30"}, "clerk"),
        ("families.export.worklist", {}, "clerk"),
        ("orgs.export", {"org_id": ids["org_id"][0]}, "clerk"),
        ("accounts.export", {}, "org_admin"),
        ("audit.export", {}, "auditor"),
        *(("programs.export", params, role) for params, role in what),
        ("funds.export.lines", {"year": "2026"}, "clerk"),
        ("funds.export.transfers", {}, "clerk"),
        ("funds.export.donations", {}, "clerk"),
        ("funds.export.receipts", {}, "clerk"),
        ("funds.export.campaigns", {}, "clerk"),
        ("funds.export.distributions", {}, "clerk"),
    ]


@pytest.fixture
def world(tree):
    """The URL walk's world (one object of every kind in 长沙县, a volunteer besides), every org
    and payee then renamed to a formula, as a pentester would type it."""
    built = build_world(tree)
    clerk = actor_of(built.users["clerk"])
    person = Person.objects.for_actor(clerk).first()
    positions_services.add_position(
        "volunteer",
        person,
        {"org": person.org, "since": datetime.date(2021, 1, 1)},
        actor=clerk,
    )
    Org.unscoped_objects.update(name=FORMULA)
    Payee._base_manager.update(name=FORMULA)
    return built


def test_every_export_declares_its_permission_and_its_audit_entry():
    assert EXPORTERS
    for key, declared in EXPORTERS.items():
        assert declared.permission.endswith((".export", ".export_full", ".view")), key
        assert declared.audit_action or declared.unaudited, key
        assert RUNNERS[key] == declared.run, key
        assert download_permission(key) == declared.permission, key
    # the account list goes to account administrators, who hold no export permission
    assert download_permission("accounts.export") == "accounts.view"
    # an import's error report: its module's export permission
    assert download_permission("people.import.preview") == "people.export"


def test_a_declaration_without_permission_or_audit_is_refused():
    class Unguarded(Exporter):
        key = "test.unguarded"
        audit_action = "fpa.test.exported"

    class Unaudited(Exporter):
        key = "test.unaudited"
        permission = "test.export"

    for cls in (Unguarded, Unaudited):
        with pytest.raises(ImproperlyConfigured):
            exporter(cls)
        assert cls.key not in EXPORTERS


def _sheet(content: bytes) -> list[list[Any]]:
    return [list(row) for row in load_workbook(io.BytesIO(content)).active.iter_rows()]


def _assert_formula_is_text(rows: list[list[Any]], key: str) -> None:
    cells = [c for row in rows[1:] for c in row]
    assert cells, f"{key}: no row"
    assert all(c.data_type != "f" for row in rows for c in row), key
    typed = [c for c in cells if c.value == FORMULA]
    assert typed and all(c.data_type == "s" and c.quotePrefix for c in typed), key


@pytest.mark.django_db
def test_every_export_writes_a_formula_as_text_and_its_audit_entry_as_a_job_and_at_once(world):
    cases = _cases(world)
    assert {key for key, _, _ in cases} == set(EXPORTERS)
    for key, params, role in cases:
        declared = EXPORTERS[key]
        user = world.users[role]
        before = LogEntry.unscoped_objects.count()
        job = start_job(key, actor=actor_of(user), title="导出", params=params)
        assert job.status == "done", (key, params, job.message)
        rows = _sheet((Path(settings.MEDIA_ROOT) / job.result_file).read_bytes())
        _assert_formula_is_text(rows, f"{key} {params}")
        if declared.audit_action:
            entry = LogEntry.unscoped_objects.order_by("-id").first()
            assert entry.action == declared.audit_action, key
            assert entry.changes["count"] == len(rows) - 1 == job.total, key
        else:
            assert LogEntry.unscoped_objects.count() == before, key
        response = declared.response(actor_of(user), params)
        assert response["Content-Disposition"].startswith("attachment"), key
        _assert_formula_is_text(_sheet(response.content), f"{key} {params} at once")


@pytest.mark.django_db
def test_every_export_refuses_an_actor_without_its_permission(world):
    viewer = world.users["viewer"]  # reads every business module, exports none
    for key, params, _ in _cases(world):
        before = LogEntry.unscoped_objects.count()
        job = start_job(key, actor=actor_of(viewer), title="导出", params=params)
        assert job.status == "failed" and not job.result_file, key
        assert LogEntry.unscoped_objects.count() == before, key
