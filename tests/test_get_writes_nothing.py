"""No GET changes data: every GET URL the resolver knows, as every built-in role, writes no row.

Allowed: audit entries of reads (a family's page view is an audited read of personal data), and
the session's own bookkeeping. Everything else written by a GET — a job started, a device
created, an audit entry of an action — is something a cross-site link or a prefetch could do on
the user's behalf, and must be a POST with its CSRF token instead.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fpa.audit.models import LogEntry
from fpa.core.exports import export_path
from fpa.programs import payments
from fpa.programs.models import PaymentBatch
from tests.conftest import actor_of
from tests.factories import UserFactory
from tests.urlwalk import ROLES, fill, links_of, routes, written_tables

#: audit actions that record a read, not a change: a family's page view, and the download of a
#: bank file already exported (full account numbers leave, so the read itself is audited)
READ_ACTIONS = {"fpa.family.viewed", "fpa.pii.revealed", "fpa.payment.bank_file_downloaded"}
#: the session's bookkeeping (idle timeout, login time) is not the user's data
BOOKKEEPING = {"django_session"}
#: the walk's roles (tests/urlwalk.ROLES, so a new built-in role is walked too) and the province's
ALL_ROLES = [*ROLES, "province_admin"]


def writes_of_get(client, user, url: str, links: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """What one GET wrote; the page's links to its variants and files are put in `links`."""
    client.force_login(user)
    last = LogEntry.unscoped_objects.order_by("-id").values_list("id", flat=True).first() or 0
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        links.extend(links_of(response.content.decode(), url))
    found = [
        f"{verb} {table}"
        for verb, table in written_tables(queries.captured_queries)
        if table not in BOOKKEEPING and table != LogEntry._meta.db_table
    ]
    actions = LogEntry.unscoped_objects.filter(id__gt=last).values_list("action", flat=True)
    found += [f"audit {a}" for a in actions if a not in READ_ACTIONS]
    return found


@pytest.mark.django_db
def test_no_get_of_any_url_writes_a_row_as_any_role(world, world_tree, client):
    # an exported batch, so that its bank file can be fetched again by a GET
    batch = PaymentBatch.unscoped_objects.get(pk=world.ids["batch_id"])
    payments.export_batch(
        batch,
        export_path(f"{batch.number}.xlsx"),
        actor=actor_of(world.users["clerk"]),
        control_total=batch.total,
        control_count=batch.line_count,
    )
    users = {role: world.users[role] for role in ALL_ROLES if role in world.users}
    users["province_admin"] = UserFactory(
        username="fuzz_padmin", org=world_tree["430000000000"], roles=["province_admin"]
    )
    found: dict[str, set[str]] = {}
    for role, user in users.items():
        seen: set[str] = set()
        todo = [url for route in routes() for url in fill(route, world, user)]
        while todo:
            url = todo.pop()
            if url in seen or len(seen) > 1000:
                continue
            seen.add(url)
            for write in writes_of_get(client, user, url, todo):
                found.setdefault((url.split("?")[0], write), set()).add(f"{role} {url}")
    report = "\n".join(
        f"GET {path} → {write} (e.g. {sorted(v)[0]}; {len(v)} role×URL)"
        for (path, write), v in sorted(found.items())
    )
    assert not report, f"GETs write rows:\n{report}"
