from __future__ import annotations

from pathlib import Path

import pytest

from fpa.core.scope import Actor
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


@pytest.fixture
def tree(db, tmp_path: Path) -> dict[str, object]:
    """The mini province, loaded through the real loader."""
    divisions.load("43", write_table(tmp_path / "43.csv.gz", MINI_TABLE))
    return {code: org(code) for code, *_ in MINI_TABLE}


@pytest.fixture
def users(tree) -> dict[str, object]:
    """The standing users: province admin, county clerk, outsider township clerk, village."""
    return {
        "province": UserFactory(username="sheng", org=tree["430000000000"]),
        "county": UserFactory(username="county", org=tree["430121000000"]),
        "outsider": UserFactory(username="outsider", org=tree["430181001000"]),
        "village": UserFactory(username="village", org=tree["430121001001"]),
    }


def actor_of(user) -> Actor:
    return Actor(user=user, org=user.org, roles=frozenset(), ip="127.0.0.1")


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login
