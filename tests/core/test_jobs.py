from __future__ import annotations

import io

from openpyxl import load_workbook

from fpa.core.models import Job, JobStatus


def test_export_job_writes_an_excel_file_of_the_subtree(users, tree, client_for):
    client = client_for(users["county"])
    county = tree["430121000000"]
    response = client.post(f"/orgs/{county.pk}/export/", {"format": "xlsx"})
    job = Job.unscoped_objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.DONE and job.total == 6
    page = client.get(response.url)
    assert "下载" in page.content.decode()
    download = client.get(f"/jobs/{job.pk}/download/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("区划代码", "名称")
    assert [r[0] for r in rows[1:]] == [
        "430121000000",
        "430121001000",
        "430121001001",
        "430121001002",
        "430121002000",
        "430121002001",
    ]


def test_csv_export_opens_in_excel_with_chinese_intact(users, tree, client_for):
    client = client_for(users["outsider"])
    township = tree["430181001000"]
    client.post(f"/orgs/{township.pk}/export/", {"format": "csv"})
    job = Job.unscoped_objects.get()
    body = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    assert "淮川街道" in body.decode("utf-8-sig")


def test_job_of_another_user_is_not_found(users, tree, client_for):
    client_for(users["county"]).post(f"/orgs/{tree['430121000000'].pk}/export/")
    job = Job.unscoped_objects.get()
    other = client_for(users["province"])
    assert other.get(f"/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_progress_partial_polls_until_done(users, tree, client_for):
    client = client_for(users["county"])
    client.post(f"/orgs/{tree['430121000000'].pk}/export/")
    job = Job.unscoped_objects.get()
    Job.unscoped_objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=3, total=6)
    partial = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in partial and 'data-width="50"' in partial
    assert "<html" not in partial
