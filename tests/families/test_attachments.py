"""Care-record attachments through the real pages (issue 11, L4): checked by their bytes,
photos kept as pixels only, served as downloads of their checked type."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from fpa.families.models import CareAttachment, CareRecord
from tests.core.uploads_helpers import EXE, HTML, PDF, SVG, jpeg_with_gps, png


@pytest.fixture
def care(family, users, client_for):
    client = client_for(users["county"])
    client.post(
        f"/families/{family.pk}/care/",
        {"care-kind": "visit", "care-on": "2021-05-01", "care-what": "走访"},
    )
    return client, family, CareRecord.unscoped_objects.get()


def attach(care, name: str, data: bytes) -> str:
    client, family, row = care
    response = client.post(
        f"/families/{family.pk}/care/{row.pk}/attach/",
        {"file": SimpleUploadedFile(name, data), "label": "签收单"},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def stored_files(settings) -> list[str]:
    folder = settings.MEDIA_ROOT / "care"
    return [p.name for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("setup.pdf", EXE, "实际是Windows 可执行程序"),
        ("通知.pdf", HTML, "实际是网页（HTML）文件"),
        ("evil.png", SVG, "实际是SVG 图片（可含脚本）"),
        ("空.pdf", b"", "是空文件"),
        ("照片.jpg", png(), "实际是PNG 图片，不是JPEG 图片"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_kept(
    care, settings, name, data, says
):
    page = attach(care, name, data)
    assert says in page
    assert not CareAttachment.objects.exists() and stored_files(settings) == []


def test_a_file_over_the_attachment_limit_is_refused(care, settings):
    settings.UPLOAD_ATTACHMENT_MAX_BYTES = 1024
    page = attach(care, "签收单.pdf", PDF + b"0" * 2000)
    assert "超过了PDF 文件的上限 1 KB" in page
    assert not CareAttachment.objects.exists() and stored_files(settings) == []


def test_a_photo_is_stored_without_its_gps_position_and_served_as_a_download(care):
    client, family, _ = care
    page = attach(care, "走访.jpg", jpeg_with_gps())
    assert "附件已上传" in page
    item = CareAttachment.objects.get()
    response = client.get(f"/families/{family.pk}/attachments/{item.pk}/")
    data = b"".join(response.streaming_content)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"Exif" not in data and not Image.open(io.BytesIO(data)).getexif()


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [("签收单.pdf", PDF, "application/pdf"), ("签收单.png", png(), "image/png")],
)
def test_a_good_pdf_or_png_is_attached(care, name, data, content_type):
    client, family, _ = care
    assert "附件已上传" in attach(care, name, data)
    item = CareAttachment.objects.get()
    response = client.get(f"/families/{family.pk}/attachments/{item.pk}/")
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    if name.endswith(".pdf"):
        assert b"".join(response.streaming_content) == PDF


def test_a_page_stored_before_the_check_is_served_only_as_an_opaque_download(care):
    client, family, row = care
    item = CareAttachment.objects.create(record=row, file=ContentFile(HTML, name="旧.pdf"))
    response = client.get(f"/families/{family.pk}/attachments/{item.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
