"""Program uploads through the real pages (issue 11, L3 and L4): the application's evidence is
checked by its bytes and kept as pixels only; the application import and the bank return file
refuse what is not a workbook or CSV text, writing nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from fpa.core.models import Job
from fpa.programs import payments
from fpa.programs.models import Application, ApplicationAttachment, BankReturn
from tests.conftest import actor_of
from tests.core.uploads_helpers import EXE, HTML, SVG, jpeg_with_gps

from .conftest import approve_all, file

ACCOUNT = "6230901234567890123"
STAY = {
    "bank_name": "长沙农商银行",
    "account": ACCOUNT,
    "hospital": "长沙县人民医院",
    "admitted_on": "2026-03-01",
    "discharged_on": "2026-03-11",
}


def apply(client, program, mother, name: str, data: bytes):
    return client.post(
        f"/programs/{program.pk}/apply/?person={mother.pk}",
        {**STAY, "attachment": SimpleUploadedFile(name, data), "attachment_label": "出院小结"},
    )


def stored(settings) -> list[str]:
    folder = settings.MEDIA_ROOT / "programs"
    return [p.name for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("出院小结.pdf", EXE, "实际是Windows 可执行程序"),
        ("出院小结.pdf", HTML, "实际是网页（HTML）文件"),
        ("出院小结.png", SVG, "实际是SVG 图片（可含脚本）"),
        ("出院小结.pdf", b"", "是空文件"),
    ],
)
def test_evidence_that_is_not_what_its_name_says_files_nothing(
    program, mother, staff, client_for, settings, name, data, says
):
    response = apply(client_for(staff["village"]), program, mother, name, data)
    assert response.status_code == 200 and says in response.content.decode()
    assert not Application.unscoped_objects.exists() and stored(settings) == []


def test_a_photo_of_the_evidence_is_kept_without_exif_and_served_as_a_download(
    program, mother, staff, client_for
):
    client = client_for(staff["village"])
    response = apply(client, program, mother, "出院小结.jpg", jpeg_with_gps())
    application = Application.unscoped_objects.get()
    assert response["Location"] == f"/programs/applications/{application.pk}/"
    item = ApplicationAttachment.objects.get()
    got = client.get(f"/programs/applications/{application.pk}/attachments/{item.pk}/")
    data = b"".join(got.streaming_content)
    assert got["Content-Type"] == "image/jpeg" and got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Disposition"].startswith("attachment;")
    assert b"Exif" not in data and not Image.open(io.BytesIO(data)).getexif()


def test_the_application_import_refuses_an_executable(program, staff, client_for):
    client = client_for(staff["village"])
    response = client.post(
        f"/programs/{program.pk}/import/", {"file": SimpleUploadedFile("申请.xlsx", EXE)}
    )
    assert "实际是Windows 可执行程序" in response.content.decode()
    assert not Job.unscoped_objects.exists()


def test_the_bank_return_upload_refuses_a_page_named_csv(
    program, mother, payee, staff, client_for, tree
):
    approve_all(file(program, mother, payee, staff), staff)
    batch = payments.build_batch(
        program, tree["430121000000"], "2026-06", "hnrcu", actor=actor_of(staff["county"])
    )
    response = client_for(staff["county"]).post(
        f"/programs/batches/{batch.pk}/return/", {"file": SimpleUploadedFile("回盘.csv", HTML)}
    )
    assert "实际是网页（HTML）文件" in response.content.decode()
    assert not Job.unscoped_objects.filter(kind="programs.return.preview").exists()
    assert not BankReturn.objects.exists()


def test_a_returned_application_page_shows_its_correction_form_and_evidence_limit(
    program, mother, payee, staff, client_for
):
    from fpa.programs import services

    application = file(program, mother, payee, staff)
    services.decide(application.pk, "approve", actor=actor_of(staff["reviewer"]))
    services.decide(application.pk, "return", actor=actor_of(staff["approver"]), reason="缺材料")
    client = client_for(staff["village"])
    page = client.get(f"/programs/applications/{application.pk}/")
    assert page.status_code == 200 and 'name="fix-hospital"' in page.content.decode()
    form = client.get(f"/programs/{program.pk}/apply/?person={mother.pk}").content.decode()
    assert "jpg、png 或 pdf，最大 10 MB" in form
