from __future__ import annotations

import datetime

from fpa.audit.models import LogEntry
from fpa.families.models import CareRecord
from tests.core.uploads_helpers import png
from tests.factories import UserFactory
from tests.families.conftest import make_family


def test_list_never_shows_the_cause_and_the_page_view_is_audited(family, users, client_for):
    client = client_for(users["county"])
    listing = client.get("/families/").content.decode()
    assert "母亲300家" in listing and "车祸" not in listing
    page = client.get(f"/families/{family.pk}/").content.decode()
    assert "车祸" in page
    assert (
        LogEntry.unscoped_objects.filter(
            action="fpa.family.viewed", object_id=str(family.pk)
        ).count()
        == 1
    )


def test_a_family_has_one_name_on_its_page_the_list_and_the_worklist(family, users, client_for):
    head = family.household.head
    assert str(family) == f"{head.name}家" and family.child_name not in str(family)
    client = client_for(users["county"])
    for url in ("/families/", "/families/worklist/", f"/families/{family.pk}/"):
        page = client.get(url).content.decode()
        assert f">{family}<" in page, url
        assert f"{family.child_name}家" not in page, url


def test_outsider_gets_404_and_an_auditor_403(family, users, tree, client_for):
    assert client_for(users["outsider"]).get(f"/families/{family.pk}/").status_code == 404
    auditor = UserFactory(username="aud", org=tree["430121000000"], roles=["auditor"])
    assert client_for(auditor).get(f"/families/{family.pk}/").status_code == 403
    assert client_for(auditor).get("/families/").status_code == 403


def test_quick_care_entry_from_the_family_page(family, users, client_for):
    client = client_for(users["county"])
    response = client.post(
        f"/families/{family.pk}/care/",
        {"care-kind": "emotional", "care-on": "2021-05-01", "care-what": "谈心", "care-amount": ""},
        follow=True,
    )
    assert "已记录" in response.content.decode()
    assert CareRecord.unscoped_objects.get().kind == "emotional"
    bad = client.post(
        f"/families/{family.pk}/care/",
        {"care-kind": "visit", "care-on": "x", "care-what": "y"},
        follow=True,
    )
    assert "日期" in bad.content.decode()


def test_batch_festival_visit_closes_the_gap(users, tree, festival, client_for):
    a = make_family(users, tree, seq=350)
    b = make_family(users, tree, village="430121002001", seq=360)
    client = client_for(users["county"])
    page = client.get("/families/batch/", {"festival": festival.pk}).content.decode()
    assert page.count('name="families"') == 2
    client.post(
        "/families/batch/",
        {
            "kind": "visit",
            "on": "2021-10-12",
            "what": "重阳慰问",
            "amount": "200",
            "festival": festival.pk,
            "families": [a.pk, b.pk],
        },
    )
    assert CareRecord.unscoped_objects.filter(festival=festival).count() == 2
    assert LogEntry.unscoped_objects.filter(action="fpa.family.care.batch").count() == 1
    coverage = client.get(
        "/families/coverage/", {"end": "2021-10-31", "festival": festival.pk}
    ).content.decode()
    assert 'data-testid="total-families">2<' in coverage
    again = client.get("/families/batch/", {"festival": festival.pk}).content.decode()
    assert 'name="families"' not in again


def test_worklist_lists_the_families_due(family, users, client_for):
    body = client_for(users["county"]).get("/families/worklist/").content.decode()
    assert str(family) in body and "未走访" in body
    assert (
        str(family) not in client_for(users["outsider"]).get("/families/worklist/").content.decode()
    )


def test_worklist_exports_what_it_shows_and_audits_it(family, users, client_for):
    import io

    from openpyxl import load_workbook

    client = client_for(users["county"])
    assert 'data-testid="worklist-export"' in client.get("/families/worklist/").content.decode()
    assert client.get("/families/worklist/", {"format": "xlsx"})["Content-Type"].startswith(
        "text/html"
    )  # a link exports nothing: the export is a POST
    response = client.post("/families/worklist/", {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("家庭", "村（社区）", "单位代码", "待办")
    assert rows[1][0] == str(family) and "未走访" in rows[1][3]
    assert LogEntry.unscoped_objects.filter(action="fpa.families.worklist.exported").exists()
    outsider = client_for(users["outsider"]).post("/families/worklist/", {"format": "xlsx"})
    assert len(list(load_workbook(io.BytesIO(outsider.content)).active.iter_rows())) == 1


def test_recognition_form(users, tree, client_for):
    from fpa.people import services as people
    from tests.conftest import actor_of
    from tests.people.conftest import id_for

    number = id_for("430121", datetime.date(1958, 2, 2), 500)
    people.register_person(
        {"name": "李母", "id_number": number, "org": tree["430121001002"]},
        actor=actor_of(users["county"]),
    )
    client = client_for(users["county"])
    bad = client.post(
        "/families/add/",
        {
            "kind": "disabled",
            "parent1": number,
            "recognized_on": "2021-01-01",
            "child_name": "李儿",
            "health": "good",
        },
    )
    assert "残疾等级" in bad.content.decode()
    ok = client.post(
        "/families/add/",
        {
            "kind": "disabled",
            "parent1": number,
            "recognized_on": "2021-01-01",
            "child_name": "李儿",
            "disability_grade": "2",
            "certificate_no": "43012120001",
            "health": "good",
        },
    )
    assert ok.status_code == 302
    unknown = client.post(
        "/families/add/",
        {
            "kind": "bereaved",
            "parent1": "11010519491231002X",
            "recognized_on": "2021-01-01",
            "child_name": "x",
            "health": "good",
        },
    )
    assert "请先在人员库登记" in unknown.content.decode()


def test_export_leaves_out_the_cause(family, users, client_for):
    import io

    from openpyxl import load_workbook

    from fpa.core.models import Job

    client = client_for(users["county"])
    client.post("/families/export/", {"format": "xlsx"})
    job = Job.unscoped_objects.get(kind="families.export")
    data = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[1][0] == str(family) and "车祸" not in str(rows)


def test_attachments_upload_and_are_served_only_in_reach(
    family, users, client_for, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fpa.families.models import CareAttachment

    settings.MEDIA_ROOT = tmp_path
    client = client_for(users["county"])
    client.post(
        f"/families/{family.pk}/care/",
        {"care-kind": "visit", "care-on": "2021-05-01", "care-what": "走访"},
    )
    row = CareRecord.unscoped_objects.get()
    bad = client.post(
        f"/families/{family.pk}/care/{row.pk}/attach/",
        {"file": SimpleUploadedFile("x.exe", b"MZ")},
        follow=True,
    )
    assert "jpg" in bad.content.decode() and not CareAttachment.objects.exists()
    client.post(
        f"/families/{family.pk}/care/{row.pk}/attach/",
        {"file": SimpleUploadedFile("签收单.png", png()), "label": "签收单"},
    )
    item = CareAttachment.objects.get()
    assert client.get(f"/families/{family.pk}/attachments/{item.pk}/").status_code == 200
    assert (
        client_for(users["outsider"])
        .get(f"/families/{family.pk}/attachments/{item.pk}/")
        .status_code
        == 404
    )


def test_the_festival_choice_is_this_and_last_year_in_date_order_on_every_page(users, client_for):
    import re

    from fpa.families.forms import festival_label
    from fpa.families.models import Festival

    today = datetime.date.today()
    recent = Festival.objects.filter(year__in=[today.year - 1, today.year]).order_by("date", "pk")
    begun = recent.filter(window_start__lte=today + datetime.timedelta(days=30))
    old = Festival.objects.create(
        code="old",
        name="春节",
        year=today.year - 5,
        date=datetime.date(today.year - 5, 1, 20),
        window_start=datetime.date(today.year - 5, 1, 10),
        window_end=datetime.date(today.year - 5, 1, 30),
    )
    client = client_for(users["county"])
    for url, expected in (("/families/coverage/", recent), ("/families/batch/", begun)):
        page = client.get(url).content.decode()
        select = re.search(r'<select name="festival".*?</select>', page, re.S).group(0)
        options = re.findall(r"<option[^>]*>([^<]*)</option>", select)
        assert options[0] == "（不选节日）", url
        assert options[1:] == [festival_label(f) for f in expected], url
        assert len(options) > 2 and "---------" not in select and f"{old.year}年" not in select
        assert re.fullmatch(r"\d{4}年 · \S+（\d+月\d+日）", options[1]), options[1]
    # an earlier year's festival is still accepted, and offered once chosen
    page = client.get("/families/coverage/", {"festival": old.pk}).content.decode()
    assert f"{old.year}年 · 春节（1月20日）" in page
