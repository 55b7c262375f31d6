"""A payment batch of another county is not found (404), whatever the clerk may do at home.

The role × URL matrix of every program page is generated (tests/test_access_matrix.py); the
world it walks has no batch in another county, so the batch pages' 404 outside is kept here.
"""

from __future__ import annotations

import pytest

from fpa.programs import payments
from tests.conftest import actor_of

from .conftest import approve_all, file

BATCH_URLS = ["/programs/batches/{b}/", "/programs/batches/{b}/return/"]


@pytest.fixture
def batch(program, mother, payee, staff, tree):
    approve_all(file(program, mother, payee, staff), staff)
    return payments.build_batch(
        program, tree["430121000000"], "2026-06", "hnrcu", actor=actor_of(staff["county"])
    )


def test_a_clerk_of_another_county_gets_404_for_a_batch(batch, staff, client_for):
    client = client_for(staff["outsider"])
    got = {url: client.get(url.format(b=batch.pk)).status_code for url in BATCH_URLS}
    assert got == dict.fromkeys(BATCH_URLS, 404)
