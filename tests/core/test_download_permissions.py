"""Downloads respect export permissions: a `viewer` downloads nothing, a clerk of the same county
downloads each file; a job's file goes only to its starter, while they hold the export grant."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from fpa.accounts.models import RoleAssignment
from fpa.core.models import Job
from fpa.people import relocation_services
from tests.conftest import actor_of
from tests.factories import UserFactory, grant
from tests.families.conftest import make_family

COUNTY, OUTSIDER_VILLAGE = "430121000000", "430181001001"


@pytest.fixture
def world(users, tree):
    """A county with a family due care (worklist, coverage), a relocation, and a viewer."""
    family = make_family(users, tree)
    person = family.parents.first().person
    relocation_services.request_relocation(
        person.pk, tree[OUTSIDER_VILLAGE], "投亲", actor=actor_of(users["outsider"])
    )
    viewer = UserFactory(username="viewer", org=tree[COUNTY], roles=["viewer"])
    return {"family": family, "person": person, "viewer": viewer, "county": tree[COUNTY]}


def _cases(world) -> list[tuple[str, str, dict[str, str]]]:
    org = world["county"].pk
    return [
        ("get", "/families/coverage/", {"end": "2021-09-30", "format": "xlsx"}),
        ("post", "/families/worklist/", {"format": "xlsx"}),
        ("post", "/people/relocations/", {"format": "xlsx"}),
        ("post", "/people/relocations/?dir=in", {"format": "xlsx"}),
        ("get", "/people/import/template/", {}),
        ("get", "/families/import/template/", {}),
        ("post", "/people/export/persons/", {"format": "xlsx"}),
        ("post", "/people/export/members/", {"format": "csv"}),
        ("post", "/people/export/volunteer/", {}),
        ("post", "/families/export/", {}),
        ("post", f"/orgs/{org}/export/", {}),
        ("get", "/programs/banks/icbc/sample/", {}),
    ]


def _is_file(response) -> bool:
    return response.status_code == 200 and "attachment" in response.get("Content-Disposition", "")


def test_a_viewer_downloads_nothing_and_a_clerk_downloads_every_file(world, users, client):
    for method, url, data in _cases(world):
        client.force_login(world["viewer"])
        refused = getattr(client, method)(url, data)
        assert refused.status_code == 403, (url, data)
        client.force_login(users["county"])
        answered = getattr(client, method)(url, data)
        if answered.status_code == 302:  # an export job: the file is the job's download
            job = Job.unscoped_objects.latest("created_at")
            assert answered.url == f"/jobs/{job.pk}/" and job.status == "done", (url, job.message)
            answered = client.get(f"/jobs/{job.pk}/download/")
        assert _is_file(answered), (url, data)


def test_export_links_are_not_offered_to_a_viewer(world, client):
    client.force_login(world["viewer"])
    pages = {
        "/families/worklist/": "worklist-export",
        "/families/coverage/?end=2021-09-30": "coverage-export",
        "/people/relocations/": "relocations-export",
    }
    for url, testid in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'data-testid="{testid}"' not in response.content.decode(), url


def test_a_jobs_file_goes_only_to_its_starter_while_they_may_export(world, users, tree, client):
    client.force_login(users["county"])
    client.post("/people/export/persons/", {"format": "xlsx"})
    job = Job.unscoped_objects.get()
    colleague = UserFactory(org=tree[COUNTY], roles=["clerk"])
    client.force_login(colleague)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    client.force_login(users["county"])
    assert _is_file(client.get(f"/jobs/{job.pk}/download/"))
    # Demoted to a viewer since: the file made while they could export is no longer theirs.
    RoleAssignment.objects.filter(user=users["county"]).delete()
    grant(users["county"], "viewer")
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 403


PARAMS = {"org_id": "county", "person_id": "person", "family_id": "family", "kind": "volunteer"}


def _get_urls(world) -> list[str]:
    """Every GET page whose arguments the world can fill, from the URL resolver."""
    values = {
        "county": str(world["county"].pk),
        "person": str(world["person"].pk),
        "family": str(world["family"].pk),
        "volunteer": "volunteer",
    }
    urls: list[str] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern, route)
            elif isinstance(pattern, URLPattern) and not route.startswith(("admin", "api")):
                names = re.findall(r"<(?:\w+:)?(\w+)>", route)
                if all(n in PARAMS for n in names):
                    for n in names:
                        route = re.sub(rf"<(?:\w+:)?{n}>", values[PARAMS[n]], route)
                    urls.append("/" + route)

    walk(get_resolver(), "")
    return urls


def test_no_page_answers_a_viewer_with_a_file_whatever_format_it_is_asked_for(world, client):
    client.force_login(world["viewer"])
    urls = _get_urls(world)
    assert "/families/worklist/" in urls and f"/people/{world['person'].pk}/" in urls
    for url in urls:
        for fmt in ("xlsx", "csv"):
            response = client.get(url, {"format": fmt, "end": "2021-09-30"})
            assert not _is_file(response), (url, fmt)
            assert "spreadsheet" not in response.get("Content-Type", ""), (url, fmt)
