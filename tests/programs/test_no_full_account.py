"""No program page or export carries a full bank account or ID number (M6): the account leaves
whole only in the bank file, whose export is audited."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from fpa.core.fields import reveal
from fpa.core.jobs import start_job
from fpa.programs import payments
from tests.conftest import actor_of
from tests.programs.conftest import approve_all, file

ACCOUNT = "6230901234567890123"


def test_program_pages_and_exports_show_the_account_masked(
    program, mother, payee, staff, tree, client
):
    application = file(program, mother, payee, staff)
    approve_all(application, staff)
    county = actor_of(staff["county"])
    batch = payments.build_batch(program, tree["430121000000"], "2026-06", "hnrcu", actor=county)
    full_id = reveal(mother.id_number_enc)
    client.force_login(staff["county"])
    for url in (
        "/programs/applications/",
        f"/programs/applications/{application.pk}/",
        "/programs/batches/",
        f"/programs/batches/{batch.pk}/",
    ):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200 and ACCOUNT not in body and full_id not in body, url
    assert f"****{ACCOUNT[-4:]}" in client.get(f"/programs/batches/{batch.pk}/").content.decode()
    for params in ({"what": "lines", "batch": batch.pk}, {"what": "applications"}):
        job = start_job("programs.export", actor=county, title="导出", params=params)
        job.refresh_from_db()
        assert job.status == "done", job.message
        data = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
        text = str(list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)))
        assert ACCOUNT not in text and full_id not in text, params
