"""Import uploads through the real pages (issue 11, L3 and L4): a file that is not what its name
says, an empty or oversized one, a zip bomb, a CSV with NUL bytes — refused with a Chinese
message, and nothing written: no job, no stored file, no row."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fpa.core.models import Job
from fpa.families.models import SpecialFamily
from fpa.people.models import Person
from tests.core.uploads_helpers import EXE, HTML, PDF, SHEET, declare, xlsx_bomb, xlsx_bytes
from tests.people.conftest import id_for

GOOD = id_for("430121", datetime.date(1971, 2, 3), seq=30)
HEADER = "序号,姓名,公民身份号码,手机号,所在村,入会时间\r\n"


def post(client, url: str, name: str, data: bytes):
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def stored(settings) -> list[str]:
    folder = settings.MEDIA_ROOT / "imports"
    return [p.name for p in folder.iterdir()] if folder.exists() else []


def nothing_written(settings) -> bool:
    return (
        not Job.unscoped_objects.exists()
        and stored(settings) == []
        and not Person.unscoped_objects.exists()
        and not SpecialFamily.unscoped_objects.exists()
    )


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        (
            "花名册.xlsx",
            EXE,
            "实际是Windows 可执行程序，不是Excel 工作簿（.xlsx）",
        ),
        ("花名册.csv", PDF, "实际是PDF 文件，不是CSV 文本文件"),
        ("花名册.csv", HTML, "实际是网页（HTML）文件"),
        ("花名册.xlsx", b"", "是空文件（0 字节）"),
        ("花名册.csv", HEADER.encode() + b"1,\x00\x00,\x00\r\n", "含有空字符"),
        (
            "花名册.xlsx",
            b"PK\x03\x04 not really a workbook",
            "“花名册.xlsx”已损坏或不完整，无法读取",
        ),
    ],
)
@pytest.mark.parametrize("url", ["/people/import/", "/families/import/"])
def test_an_upload_that_is_not_what_its_name_says_is_refused_and_writes_nothing(
    users, client_for, settings, url, name, data, says
):
    response = post(client_for(users["county"]), url, name, data)
    assert response.status_code == 200 and says in response.content.decode()
    assert nothing_written(settings)


def test_an_oversized_csv_is_refused_with_how_to_split_it(users, client_for, settings):
    settings.UPLOAD_CSV_MAX_BYTES = 1024
    data = (HEADER + f"1,王桂英,{GOOD},,430121001001,\r\n" * 40).encode()
    response = post(client_for(users["county"]), "/people/import/", "花名册.csv", data)
    page = response.content.decode()
    assert "超过了CSV 文本文件的上限 1 KB，请按乡镇拆分为多个文件后分别导入" in page
    assert nothing_written(settings)


def test_a_zip_bomb_is_refused_at_upload_by_the_size_it_declares(users, client_for, settings):
    settings.IMPORT_UNZIPPED_MAX_BYTES = 1024 * 1024
    response = post(client_for(users["county"]), "/people/import/", "花名册.xlsx", xlsx_bomb())
    assert "文件解压后超过 1 MB，请按乡镇拆分为多个文件后分别导入" in response.content.decode()
    assert nothing_written(settings)


def test_a_zip_bomb_with_a_lying_directory_is_stopped_when_the_job_reads_it(
    users, client_for, settings
):
    settings.IMPORT_UNZIPPED_MAX_BYTES = 1024 * 1024
    client = client_for(users["county"])
    lying = declare(xlsx_bomb(), SHEET, 500)
    response = post(client, "/people/import/", "花名册.xlsx", lying)
    job = Job.unscoped_objects.get(kind="people.import.preview")
    assert response.url == f"/jobs/{job.pk}/"
    message = "文件解压后超过 1 MB，请按乡镇拆分为多个文件后分别导入"
    assert job.result == {"unreadable": message}
    assert message in client.get(f"/people/import/{job.pk}/").content.decode()
    assert not Person.unscoped_objects.exists()


def test_a_good_gb18030_csv_still_imports(users, client_for):
    client = client_for(users["county"])
    data = (HEADER + f"1,王桂英,{GOOD},13812345678,430121001001,2021/5/29\r\n").encode("gb18030")
    post(client, "/people/import/", "花名册.csv", data)
    job = Job.unscoped_objects.get(kind="people.import.preview")
    assert job.result["counts"]["new"] == 1, job.result
    client.post(f"/people/import/{job.pk}/commit/", {"mode": "skip"})
    assert Person.unscoped_objects.get().name == "王桂英"


def test_a_good_xlsx_still_imports(users, client_for):
    client = client_for(users["county"])
    rows = [["姓名", "公民身份号码", "所在村"], ["王桂英", GOOD, "430121001001"]]
    post(client, "/people/import/", "花名册.xlsx", xlsx_bytes(rows))
    job = Job.unscoped_objects.get(kind="people.import.preview")
    assert job.result["counts"]["new"] == 1, job.result
    client.post(f"/people/import/{job.pk}/commit/", {"mode": "skip"})
    assert Person.unscoped_objects.get().name == "王桂英"
