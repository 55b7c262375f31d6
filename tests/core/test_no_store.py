"""L5: no response carrying personal data may be kept by a browser or a proxy."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from fpa.core.models import Job
from fpa.families import services as families
from fpa.families.models import CareAttachment
from fpa.people import services as people
from tests.conftest import actor_of
from tests.families.conftest import make_family
from tests.people.conftest import id_for


def assert_no_store(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"


@pytest.fixture
def clerk(users, client_for):
    return client_for(users["county"])


@pytest.fixture
def person(users, tree):
    data = {"name": "张桂兰", "id_number": id_for("430121"), "org": tree["430121001001"]}
    return people.register_person(data, actor=actor_of(users["county"]))


@pytest.fixture
def family(users, tree):
    return make_family(users, tree)


def test_person_page_and_reveal_are_not_stored(person, clerk):
    assert_no_store(clerk.get(f"/people/{person.pk}/"))
    assert_no_store(clerk.post(f"/people/{person.pk}/reveal/id_number/"))


def test_family_page_and_its_attachment_are_not_stored(family, users, clerk):
    assert_no_store(clerk.get(f"/families/{family.pk}/"))
    row = families.record_care(
        family,
        {"kind": "visit", "on": datetime.date(2021, 5, 1), "what": "走访"},
        actor=actor_of(users["county"]),
    )
    png = io.BytesIO()
    Image.new("RGB", (2, 2)).save(png, "PNG")
    item = CareAttachment.objects.create(
        record=row, file=ContentFile(png.getvalue(), "签收单.png"), label="签收单"
    )
    assert_no_store(clerk.get(f"/families/{family.pk}/attachments/{item.pk}/"))


def test_export_and_job_downloads_are_not_stored(family, clerk):
    assert_no_store(clerk.get("/families/worklist/", {"format": "xlsx"}))
    clerk.post("/families/export/", {"format": "xlsx"})
    job = Job.unscoped_objects.get(kind="families.export")
    assert_no_store(clerk.get(f"/jobs/{job.pk}/download/"))


def test_api_answers_are_not_stored(clerk):
    assert_no_store(clerk.get("/api/orgs/"))


def test_the_login_page_is_not_stored(client):
    assert_no_store(client.get("/accounts/login/"))


def test_static_files_keep_their_own_caching(client):
    response = client.get("/static/vendor/htmx.min.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Pragma" not in response
