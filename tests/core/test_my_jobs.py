"""A user's own jobs (我的任务) and what of them waits on the home page: an import checked but not
committed, a file made ready today (issue 13 point 2)."""

from __future__ import annotations

from django.urls import reverse

from fpa.core.models import Job
from tests.people.conftest import id_for
from tests.people.test_import import workbook


def _todos(client) -> str:
    return client.get(reverse("home")).content.decode()


def test_a_checked_import_waits_on_the_home_page_until_it_is_committed(users, client_for, tmp_path):
    client = client_for(users["county"])
    path = workbook([["王桂英", id_for("430121", seq=71), "", "湖湾村", ""]], tmp_path / "a.xlsx")
    with open(path, "rb") as fh:
        client.post("/people/import/", {"file": fh})
    preview = Job.unscoped_objects.get(kind="people.import.preview")
    assert "已检查、待确认导入的文件" in _todos(client)
    client.post(f"/people/import/{preview.pk}/commit/", {"mode": "skip"})
    page = _todos(client)
    assert "已检查、待确认导入的文件" not in page
    # another clerk sees neither the job nor its todo
    other = client_for(users["outsider"])
    assert "已检查、待确认导入的文件" not in _todos(other)


def test_my_jobs_lists_only_my_own_and_a_finished_export_waits_a_day(users, client_for):
    client = client_for(users["county"])
    client.post("/people/export/persons/", {"format": "xlsx"})
    job = Job.unscoped_objects.get(kind="people.export.persons")
    assert "今天完成、可下载的文件" in _todos(client)
    mine = client.get(reverse("core:jobs")).content.decode()
    assert f'href="/jobs/{job.pk}/"' in mine
    theirs = client_for(users["outsider"]).get(reverse("core:jobs")).content.decode()
    assert f"/jobs/{job.pk}/" not in theirs and "还没有任务" in theirs
