from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection, transaction
from django.test import override_settings

from fpa.audit.chain import install_triggers, remove_triggers
from fpa.kernel.scope import Actor
from fpa.orgs import divisions
from tests.factories import MINI_TABLE, UserFactory, org, write_table

if TYPE_CHECKING:
    from tests.urlwalk import World

PASSWORD = "Test@2021pass"


def throwaway_settings(folder: Path) -> dict[str, Any]:
    """Jobs run inside the request in tests; files go to a throw-away folder."""
    return {
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        "MEDIA_ROOT": folder / "media",
        "VAR_DIR": folder / "var",
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    }


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path: Path) -> None:
    for name, value in throwaway_settings(tmp_path).items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def _audit_triggers(request) -> Iterator[None]:
    """The append-only triggers block the row-by-row flush that ends a transactional test on
    SQLite; lift them just for that flush (the next test's setup puts them back)."""
    if "_django_db_helper" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("_django_db_helper")
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


@pytest.fixture(scope="module")
def _kept_world(  # type: ignore[no-untyped-def]
    django_db_setup, django_db_blocker, tmp_path_factory
) -> Iterator[tuple[World, Path]]:
    """The URL walks' world (tests/urlwalk.py) on the mini province, built once per module and
    kept in the test database until the module ends, with the folder of its files: the tests
    run in savepoints inside this transaction (pytest-django's `db`), so each sees the world as
    built and its own changes are undone. Built for each test, it cost seconds a test."""
    from tests.urlwalk import build_world

    folder = tmp_path_factory.mktemp("world")
    kept = transaction.atomic()
    with django_db_blocker.unblock():
        kept.__enter__()
    try:
        with django_db_blocker.unblock(), override_settings(**throwaway_settings(folder)):
            install_triggers(connection)
            divisions.load("43", write_table(folder / "43.csv.gz", MINI_TABLE))
            world = build_world({code: org(code) for code, *_ in MINI_TABLE})
        yield world, folder
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            kept.__exit__(None, None, None)


@pytest.fixture
def world(_kept_world, db, settings) -> World:  # type: ignore[no-untyped-def]
    """The kept world for one test: its users read afresh (a test's logins and changes are
    undone in the database, not in these objects), no jobs yet, its files in the test's folder."""
    from fpa.accounts.models import User

    kept, folder = _kept_world
    for name, target in (("media", settings.MEDIA_ROOT), ("var", settings.VAR_DIR)):
        if (folder / name).exists():
            shutil.copytree(folder / name, target, dirs_exist_ok=True)
    users = {role: User.objects.get(pk=user.pk) for role, user in kept.users.items()}
    return dataclasses.replace(kept, users=users, jobs={})


@pytest.fixture
def world_tree(_kept_world, db) -> dict[str, object]:
    """The mini province the kept world stands on, its orgs read afresh."""
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
