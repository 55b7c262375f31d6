"""A full ID or phone number leaves only through the audited reveal (M6): the edit page shows
them masked and keeps them unless a new one is typed; no page or export carries them."""

from __future__ import annotations

import csv
import datetime
import io

from openpyxl import load_workbook

from fpa.audit.models import LogEntry
from fpa.core.fields import reveal
from fpa.core.masking import mask_id_number, mask_phone
from fpa.core.models import Job
from fpa.people import positions_services, services
from fpa.people.models import Person
from tests.conftest import actor_of
from tests.factories import UserFactory
from tests.families.conftest import make_family
from tests.people.conftest import id_for

FULL_ID, PHONE = id_for("430121"), "13812345678"


def _as_shown(client, person) -> dict[str, str]:
    """The edit form's fields as the page fills them, the way a browser would submit them."""
    form = client.get(f"/people/{person.pk}/edit/").context["form"]
    return {name: str(form[name].value() or "") for name in form.fields}


def test_the_edit_page_shows_the_numbers_masked(person, users, client_for):
    body = client_for(users["county"]).get(f"/people/{person.pk}/edit/").content.decode()
    assert FULL_ID not in body and PHONE not in body
    assert mask_id_number(FULL_ID) in body and mask_phone(PHONE) in body
    assert "输入新号码即替换" in body


def test_saving_the_form_as_shown_keeps_both_numbers(person, users, client_for):
    client = client_for(users["county"])
    shown = _as_shown(client, person)
    assert shown["id_number"] == mask_id_number(FULL_ID) and shown["phone"] == mask_phone(PHONE)
    response = client.post(f"/people/{person.pk}/edit/", {**shown, "name": "张桂英"})
    assert response.status_code == 302, response.content.decode()
    person.refresh_from_db()
    assert person.name == "张桂英"
    assert reveal(person.id_number_enc) == FULL_ID and reveal(person.phone_enc) == PHONE


def test_emptied_number_fields_keep_the_stored_numbers(person, users, client_for):
    client = client_for(users["county"])
    shown = _as_shown(client, person)
    response = client.post(f"/people/{person.pk}/edit/", {**shown, "id_number": "", "phone": ""})
    assert response.status_code == 302
    person.refresh_from_db()
    assert reveal(person.id_number_enc) == FULL_ID and reveal(person.phone_enc) == PHONE


def test_a_newly_typed_number_replaces_the_stored_one(person, users, client_for):
    client = client_for(users["county"])
    newer = id_for("430121", seq=14)
    shown = _as_shown(client, person)
    response = client.post(
        f"/people/{person.pk}/edit/", {**shown, "id_number": newer, "phone": "13900001111"}
    )
    assert response.status_code == 302, response.content.decode()
    person.refresh_from_db()
    assert reveal(person.id_number_enc) == newer and reveal(person.phone_enc) == "13900001111"


def test_a_half_edited_masked_number_is_refused_and_changes_nothing(person, users, client_for):
    client = client_for(users["county"])
    shown = _as_shown(client, person)
    half = shown["phone"][:-1] + "9"
    response = client.post(f"/people/{person.pk}/edit/", {**shown, "phone": half})
    assert response.status_code == 200 and "请输入完整的新号码" in response.content.decode()
    person.refresh_from_db()
    assert reveal(person.phone_enc) == PHONE


def _download(client, job) -> bytes:
    assert job.status == "done", job.message
    return b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)


def _text_of(data: bytes, fmt: str) -> str:
    if fmt == "csv":
        return str(list(csv.reader(io.StringIO(data.decode("utf-8-sig")))))
    return str(list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)))


def test_no_page_or_export_of_a_person_carries_the_full_numbers(users, tree, client_for, client):
    county = actor_of(users["county"])
    family = make_family(users, tree)
    person = Person.objects.for_actor(county).get(pk=family.parents.first().person_id)
    full_id = reveal(person.id_number_enc)
    services.update_person(person, {"phone": PHONE}, actor=county)
    services.join(person, tree["430121001001"], datetime.date(2021, 5, 29), actor=county)
    positions_services.add_position(
        "volunteer",
        person,
        {"org": tree["430121001001"], "since": datetime.date(2021, 1, 1)},
        actor=county,
    )
    web = client_for(users["county"])
    membership = person.memberships.get()
    pages = [
        "/people/",
        f"/people/?q={full_id[-4:]}",
        "/people/members/",
        f"/people/{person.pk}/",
        f"/people/{person.pk}/edit/",
        f"/people/members/{membership.pk}/card/",
        "/people/members/roster/",
        "/people/positions/volunteer/",
        "/families/",
        f"/families/{family.pk}/",
        "/families/worklist/",
        "/api/orgs/",
    ]
    seen = {url: web.get(url) for url in pages}
    for url, response in seen.items():
        body = response.content.decode()
        assert response.status_code == 200, url
        assert full_id not in body and PHONE not in body, url
    files = {}
    for kind in ("persons", "members", "volunteer"):
        for fmt in ("xlsx", "csv"):
            web.post(f"/people/export/{kind}/", {"format": fmt})
            files[f"{kind}.{fmt}"] = _text_of(
                _download(web, Job.unscoped_objects.latest("created_at")), fmt
            )
    web.post("/families/export/", {})
    files["families"] = _text_of(_download(web, Job.unscoped_objects.latest("created_at")), "xlsx")
    client.force_login(UserFactory(org=tree["430121000000"], roles=["auditor"]))
    assert LogEntry.unscoped_objects.filter(object_id=str(person.pk)).exists()
    files["audit page"] = client.get("/audit/").content.decode()
    client.post("/audit/export/")
    files["audit"] = _text_of(_download(client, Job.unscoped_objects.latest("created_at")), "xlsx")
    for name, text in files.items():
        assert full_id not in text and PHONE not in text, name
    # The registry files do hold the person's row, masked.
    for name in ("persons.xlsx", "members.csv", "volunteer.xlsx"):
        assert person.name in files[name] and full_id[-4:] in files[name], name
