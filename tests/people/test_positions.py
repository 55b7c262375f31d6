from __future__ import annotations

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from fpa.core.errors import DomainError
from fpa.core.models import Job
from fpa.people import positions_services, services
from tests.conftest import actor_of
from tests.people.conftest import id_for

D = datetime.date
TERM_START, TERM_END = D(2021, 1, 1), D(2026, 1, 1)


def _officer(person, org, actor, position="president", start=TERM_START, end=TERM_END, **extra):
    return positions_services.add_position(
        "officer",
        person,
        {"org": org, "position": position, "term_start": start, "term_end": end, **extra},
        actor=actor,
    )


def test_an_org_has_one_president_at_a_time(person, users, tree):
    actor = actor_of(users["county"])
    township = tree["430121001000"]
    _officer(person, township, actor)
    other = services.register_person(
        {"name": "陈二", "id_number": id_for("430121", seq=44), "org": tree["430121001001"]},
        actor=actor,
    )
    with pytest.raises(DomainError, match="已有会长"):
        _officer(other, township, actor, start=D(2025, 1, 1), end=D(2030, 1, 1))
    _officer(other, township, actor, start=D(2026, 1, 1), end=D(2031, 1, 1))
    _officer(other, township, actor, position="vice_president", filed_on=D(2021, 2, 1))


def test_terms_must_end_after_they_start_and_filing_is_for_township_and_village(
    person, users, tree
):
    actor = actor_of(users["province"])
    with pytest.raises(DomainError, match="晚于开始"):
        _officer(person, tree["430121001000"], actor, start=D(2022, 1, 1), end=D(2021, 1, 1))
    with pytest.raises(DomainError, match="备案"):
        _officer(
            person,
            tree["430100000000"],
            actor,
            position="secretary_general",
            filed_on=D(2021, 3, 1),
        )


def test_org_panel_shows_officers_the_election_from_terms_and_the_staff_count(
    person, users, tree, client_for
):
    actor = actor_of(users["county"])
    village = tree["430121001001"]
    _officer(person, village, actor, end=D(2027, 3, 1))
    positions_services.add_position(
        "staff",
        person,
        {"org": village, "post": "专干", "full_time": True, "establishment": "none"},
        actor=actor,
    )
    with pytest.raises(DomainError, match="在岗"):
        positions_services.add_position(
            "staff",
            person,
            {"org": village, "post": "专干", "full_time": True, "establishment": "none"},
            actor=actor,
        )
    body = client_for(users["county"]).get(f"/people/org/{village.pk}/panel/").content.decode()
    assert "张桂兰" in body and 'data-testid="election-from-terms">2027-03-01' in body
    assert 'data-testid="staff-count">1<' in body
    assert client_for(users["outsider"]).get(f"/people/org/{village.pk}/panel/").status_code == 404


def test_position_lists_are_scoped(person, users, tree, client_for):
    positions_services.add_position(
        "volunteer",
        person,
        {"org": tree["430121001001"], "since": D(2021, 1, 1), "skills": "心理疏导"},
        actor=actor_of(users["county"]),
    )
    assert (
        "张桂兰" in client_for(users["county"]).get("/people/positions/volunteer/").content.decode()
    )
    assert (
        "张桂兰"
        not in client_for(users["outsider"]).get("/people/positions/volunteer/").content.decode()
    )
    assert client_for(users["county"]).get("/people/positions/nonsense/").status_code == 404


def test_position_form_page_adds_a_council_member(person, users, client_for):
    client = client_for(users["county"])
    response = client.post(
        f"/people/{person.pk}/positions/council/add/",
        {
            "org": "430121000000",
            "standing": "on",
            "term_start": "2021-01-01",
            "term_end": "2026-01-01",
        },
    )
    assert response.status_code == 302
    assert "常务理事" in client.get(f"/people/{person.pk}/").content.decode()


def _download(client, job) -> bytes:
    return b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)


def test_position_list_exports_the_filtered_holders_masked_and_in_reach(
    person, users, tree, client_for
):
    county = actor_of(users["county"])
    positions_services.add_position(
        "volunteer",
        person,
        {"org": tree["430121001001"], "since": D(2021, 1, 1), "skills": "心理疏导", "hours": 12},
        actor=county,
    )
    elsewhere = services.register_person(
        {"name": "李四", "id_number": id_for("430181", seq=20), "org": tree["430181001001"]},
        actor=actor_of(users["province"]),
    )
    positions_services.add_position(
        "volunteer",
        elsewhere,
        {"org": tree["430181001001"], "since": D(2021, 1, 1)},
        actor=actor_of(users["province"]),
    )
    client = client_for(users["county"])
    assert "导出 Excel" in client.get("/people/positions/volunteer/").content.decode()
    assert client.post("/people/export/volunteer/", {"format": "xlsx"}).status_code == 302
    data = _download(client, Job.unscoped_objects.get())
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    header, *lines = [r for r in rows if any(r)]
    assert header[:4] == ("任职单位", "任职单位代码", "注册日期", "服务时长（小时）")
    assert [line[header.index("姓名")] for line in lines] == ["张桂兰"]
    assert lines[0][header.index("特长")] == "心理疏导"
    number = lines[0][header.index("证件号码")]
    assert number.endswith(id_for("430121")[-4:]) and id_for("430121") not in str(rows)


def test_position_export_as_csv_keeps_the_search(person, users, tree, client_for):
    county = actor_of(users["county"])
    for kind, extra in (
        ("council", {"term_start": TERM_START, "term_end": TERM_END, "standing": True}),
        ("staff", {"post": "秘书", "full_time": False, "establishment": "none"}),
    ):
        positions_services.add_position(
            kind, person, {"org": tree["430121001001"], **extra}, actor=county
        )
    client = client_for(users["county"])
    client.post("/people/export/council/", {"format": "csv", "q": "王"})
    client.post("/people/export/staff/", {"format": "csv", "q": "张"})
    council, staff = (Job.unscoped_objects.get(params__kind=k) for k in ("council", "staff"))
    assert len(list(csv.reader(io.StringIO(_download(client, council).decode("utf-8-sig"))))) == 1
    lines = list(csv.reader(io.StringIO(_download(client, staff).decode("utf-8-sig"))))
    assert lines[1][2:4] == ["秘书", "兼职"] and "张桂兰" in lines[1]


def test_officer_export_names_its_sheet_and_file_without_slashes(person, users, tree, client_for):
    _officer(person, tree["430121001001"], actor_of(users["county"]))
    client = client_for(users["county"])
    client.post("/people/export/officer/", {"format": "xlsx"})
    job = Job.unscoped_objects.get()
    assert job.status == "done", job.message
    assert job.result_name == "会长、副会长、秘书长名单.xlsx"
    sheet = load_workbook(io.BytesIO(_download(client, job))).active
    assert sheet.title == "会长、副会长、秘书长名单"
    assert [c.value for c in sheet[2]][2] == "会长"


def test_exporting_an_unknown_position_is_a_404(users, client_for):
    response = client_for(users["county"]).post("/people/export/nonsense/", {"format": "xlsx"})
    assert response.status_code == 404
