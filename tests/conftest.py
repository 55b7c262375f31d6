from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fpa.kernel.scope import Actor
from fpa.orgs import divisions
from tests.factories import MINI_TABLE, UserFactory, org, write_table

PASSWORD = "Test@2021pass"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path: Path) -> None:
    # Jobs run inside the request in tests; files go to a throw-away folder.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _audit_triggers(request) -> Iterator[None]:
    """The append-only triggers block the row-by-row flush that ends a transactional test on
    SQLite; lift them just for that flush (the next test's setup puts them back)."""
    if "_django_db_helper" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from django.db import connection

    from fpa.audit.chain import install_triggers, remove_triggers

    install_triggers(connection)
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in request.fixturenames
        or "live_server" in (request.fixturenames)
        or bool(marker and marker.kwargs.get("transaction"))
    )
    if transactional:
        remove_triggers(connection)


@pytest.fixture
def tree(db, tmp_path: Path) -> dict[str, object]:
    """The mini province, loaded through the real loader."""
    divisions.load("43", write_table(tmp_path / "43.csv.gz", MINI_TABLE))
    return {code: org(code) for code, *_ in MINI_TABLE}


@pytest.fixture
def users(tree) -> dict[str, object]:
    """The standing users, clerks at each level: province, county, outsider township, village."""
    return {
        "province": UserFactory(username="sheng", org=tree["430000000000"], roles=["clerk"]),
        "county": UserFactory(username="county", org=tree["430121000000"], roles=["clerk"]),
        "outsider": UserFactory(username="outsider", org=tree["430181001000"], roles=["clerk"]),
        "village": UserFactory(username="village", org=tree["430121001001"], roles=["clerk"]),
    }


def actor_of(user) -> Actor:
    return Actor.for_user(user, "127.0.0.1")


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login
