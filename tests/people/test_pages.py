from __future__ import annotations

import datetime
import io

from openpyxl import load_workbook

from fpa.audit.models import LogEntry
from fpa.core.models import Job
from fpa.people import services
from tests.conftest import actor_of
from tests.people.conftest import id_for


def test_list_masks_numbers_and_finds_by_name_initials_and_last4(person, users, client_for):
    client = client_for(users["county"])
    body = client.get("/people/").content.decode()
    full = id_for("430121")
    assert "张桂兰" in body and full not in body and "13812345678" not in body
    assert f"**************{full[-4:]}" in body
    for q in ["张", "张桂兰", "zgl", full[-4:]]:
        assert "张桂兰" in client.get("/people/", {"q": q}).content.decode(), q
    assert "张桂兰" not in client.get("/people/", {"q": "桂兰"}).content.decode()


def test_outsider_sees_neither_the_list_row_nor_the_page(person, users, client_for):
    client = client_for(users["outsider"])
    assert "张桂兰" not in client.get("/people/").content.decode()
    assert client.get(f"/people/{person.pk}/").status_code == 404
    assert client.post(f"/people/{person.pk}/reveal/id_number/").status_code == 404


def test_revealing_the_full_number_is_audited(person, users, client_for):
    client = client_for(users["county"])
    body = client.post(f"/people/{person.pk}/reveal/id_number/").content.decode()
    assert id_for("430121") in body
    assert (
        LogEntry.unscoped_objects.filter(
            action="fpa.pii.revealed", object_id=str(person.pk)
        ).count()
        == 1
    )


def test_registration_form_reports_errors_by_field_and_offers_relocation(
    person, users, tree, client_for
):
    client = client_for(users["outsider"])
    bad = client.post(
        "/people/add/",
        {"name": "x", "id_type": "resident", "id_number": "123", "org": "430181001001"},
    )
    assert "18位" in bad.content.decode()
    elsewhere = client.post(
        "/people/add/",
        {"name": "x", "id_type": "resident", "id_number": id_for("430121"), "org": "430181001001"},
    )
    body = elsewhere.content.decode()
    assert "已在其他单位登记，请发起转入" in body and 'data-testid="relocation-offer"' in body
    assert "张桂兰" not in body
    done = client.post("/people/relocations/request/", {"to_org": "430181001001", "reason": "投亲"})
    assert done.status_code == 302 and done.url == "/people/relocations/?dir=in"


def test_relocation_lists_page_by_direction_and_export_without_revealing_the_person(
    person, users, tree, client_for
):
    from fpa.people import relocation_services

    relocation_services.request_relocation(
        person.pk, tree["430181001001"], "投亲", actor=actor_of(users["outsider"])
    )
    outsider = client_for(users["outsider"])
    sent = outsider.get("/people/relocations/", {"dir": "in"}).content.decode()
    assert 'data-testid="incoming"' in sent and "投亲" in sent and "张桂兰" not in sent
    assert "没有转出申请" in outsider.get("/people/relocations/").content.decode()
    exported = outsider.post("/people/relocations/?dir=in", {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "转出单位" and len(rows) == 2 and "张桂兰" not in str(rows)
    holder = client_for(users["county"])
    waiting = holder.get("/people/relocations/").content.decode()
    assert 'data-testid="outgoing"' in waiting and "张桂兰" in waiting and "同意转出" in waiting
    assert holder.get("/people/relocations/", {"format": "xlsx"})["Content-Type"].startswith(
        "text/html"
    )
    exported = holder.post("/people/relocations/", {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "张桂兰" and rows[1][-1] == "待接收"


def test_live_document_check(users, client_for):
    client = client_for(users["county"])
    ok = client.get("/people/check/", {"id_type": "resident", "id_number": id_for("430121")})
    assert "1968-03-09" in ok.content.decode()
    bad = client.get("/people/check/", {"id_type": "resident", "id_number": "43012119680309"})
    assert "18位" in bad.content.decode()


def test_member_list_export_and_cards(person, users, tree, client_for):
    services.join(
        person, tree["430121001001"], datetime.date(2021, 5, 29), actor=actor_of(users["county"])
    )
    client = client_for(users["county"])
    assert "43012121000001" in client.get("/people/members/").content.decode()
    assert (
        "43012121000001" in client.get("/people/members/", {"q": "43012121000001"}).content.decode()
    )
    client.post("/people/export/members/", {"format": "xlsx", "q": "张"})
    job = Job.unscoped_objects.get()
    data = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[1][0] == "43012121000001" and id_for("430121") not in str(rows)
    sheet = client.get("/people/members/roster/", {"layout": "sheet"}).content.decode()
    assert sheet.count('data-testid="card"') == 1 and "layout-sheet" in sheet


def test_the_join_form_is_offered_until_the_person_has_joined(person, users, client_for):
    client = client_for(users["county"])
    assert 'data-testid="join-form"' in client.get(f"/people/{person.pk}/").content.decode()
    services.join(person, person.org, datetime.date(2020, 7, 1), actor=actor_of(users["county"]))
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert 'data-testid="join-form"' not in page and "入会 2020-07-01" in page
