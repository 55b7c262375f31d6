"""Form fuzz: every field of every form and filter a page renders gets bad values, one at a time.

Pages come from the URL resolver (tests/urlwalk.py), filled with real objects in reach, opened
as each built-in role at the county. Each form the page renders is sent back with one field
replaced by a bounded bad value — GET for filters, POST for forms — and must not answer 500; a
refused POST (the form shown again, 200 or 400) must write no row, and no background job started
by a request may fail. Each POST runs in a savepoint rolled back afterwards, so one accepted bad
value cannot change what the next request sees.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode, urljoin

import pytest
from django.conf import settings
from django.db import transaction

from fpa.core.models import Job
from tests.urlwalk import (
    ROLES,
    Form,
    RowCounter,
    fill,
    forms_of,
    routes,
    rows_holding,
)

OVERLONG = "x" * 10_000
INJECTION = "=1+1' OR 1=1--<script>alert(1)</script>"
HUGE = "9" * 30
NUL = "a\x00b"
#: bounded bad values by what the field looks like; every value goes to a text field
BAD_VALUES = [
    OVERLONG,
    NUL,
    "a\x07b\x1b",
    "😀🎉",
    "²",
    "１２３",
    INJECTION,
    HUGE,
    "9" * 5_000,
    "-1",
    "0001-01-01",
    "9999-12-31",
    "2021-02-30",
    "%s%(x)s{0}",
]
CHOICE_VALUES = ["²", HUGE, "abc", NUL, "-1"]
BY_KIND = {
    "select": CHOICE_VALUES,
    "checkbox": CHOICE_VALUES,
    "radio": CHOICE_VALUES,
    "hidden": CHOICE_VALUES,
    "date": ["0001-01-01", "9999-12-31", "2021-02-30", "²", "abc"],
    "number": ["-1", HUGE, "9" * 5_000, "²", "１２３", "abc"],
    "file": [],
}
#: what the cleaning step refuses: none of these may be stored by an accepted submit (NUL is
#: refused the same way, but SQLite's LIKE ends its pattern at a NUL, so the search uses these)
CONTROL_CHARS = {"\x07", "\x1b"}
#: the first role reaching a form sends every value; the others one that parses as no number
#: (a role changes which forms a page offers, not how a field is read), to stay within a minute
FEW = ["²"]
#: values that a filter passes on to its export job (the job parses them again)
FOR_EXPORT = {"²", HUGE, NUL, "9999-12-31", "0001-01-01"}
#: parameters a list takes from its links rather than a form
LINK_PARAMS = ["page"]
#: the token is the test client's own business (it does not check CSRF)
SKIP_FIELDS = {"csrfmiddlewaretoken"}


class Rollback(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


def cause(exc: BaseException) -> str:
    """Where an exception was raised in our code, to group the failures by root cause."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/fpa/" in f.filename]
    where = f"{frames[-1].filename.split('/fpa/')[-1]}:{frames[-1].lineno}" if frames else "?"
    return f"{type(exc).__name__} at {where}: {str(exc)[:120]}"


class Fuzzer:
    def __init__(self, client, world) -> None:  # type: ignore[no-untyped-def]
        self.client = client
        self.world = world
        self.counter = RowCounter()
        self.failures: dict[str, list[str]] = {}
        self.done_forms: set[tuple] = set()
        self.session: tuple[int, str] | None = None

    def login(self, user) -> None:  # type: ignore[no-untyped-def]
        """Log the user in unless this session is theirs and still the client's: a request that
        ended or renewed it (a logout, a password change) gets a new one. A login before every
        request cost about a fifth of a walk's time (the GET walk, profiled)."""
        cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        if cookie is None or self.session != (user.pk, cookie.value):
            self.client.force_login(user)
            key = self.client.cookies[settings.SESSION_COOKIE_NAME].value
            self.session = (user.pk, key)

    def fail(self, key: str, what: str) -> None:
        self.failures.setdefault(key, []).append(what)

    def send(  # type: ignore[no-untyped-def]
        self, user, method: str, url: str, data: dict, what: str, follow_exports: bool = False
    ) -> None:
        self.login(user)
        failed_jobs = Job.unscoped_objects.filter(status="failed").count()
        with rolled_back():
            before = self.counter.snapshot() if method == "post" else None
            try:
                if method == "post":
                    response = self.client.post(url, data)
                else:
                    response = self.client.get(url, data)
            except Exception as exc:  # noqa: BLE001 - the failure is what we report
                self.fail(cause(exc), what)
                return
            if response.status_code >= 500:
                self.fail(f"HTTP {response.status_code}", what)
            if method == "get" and response.status_code == 200 and follow_exports:
                self.export_as_shown(user, url, response, what)
            if before is not None and response.status_code in (200, 400):
                written = self.counter.diff(before)
                if written:
                    self.fail(f"refused POST wrote rows {sorted(written)}", what)
            sent = "".join(str(v) for v in data.values())
            if before is not None and response.status_code == 302 and CONTROL_CHARS & set(sent):
                kept = rows_holding(sorted(CONTROL_CHARS))
                if kept:
                    self.fail(f"control character accepted and stored in {kept}", what)
            jobs = Job.unscoped_objects.filter(status="failed")
            if jobs.count() != failed_jobs:
                self.fail(f"job failed: {jobs.order_by('-created_at').first().message}", what)

    def export_as_shown(self, user, url: str, response, what: str) -> None:  # type: ignore[no-untyped-def]
        """A filtered list's export button carries the filter to a background job: press it."""
        if not response.get("Content-Type", "").startswith("text/html"):
            return
        for form in forms_of(response.content.decode()):
            target = urljoin(url, form.action) if form.action else url
            if "export" in target and form.method == "post":
                self.send(user, "post", target, form.fields, f"{what} → export {target}")

    def fuzz_form(self, user, role: str, page: str, form: Form) -> None:  # type: ignore[no-untyped-def]
        target = urljoin(page, form.action) if form.action else page
        key = (form.method, target.split("?")[0], tuple(sorted(form.kinds)))
        first = key not in self.done_forms
        self.done_forms.add(key)
        base = dict(form.fields)
        for name, kind in form.kinds.items():
            if name in SKIP_FIELDS:
                continue
            values = BY_KIND.get(kind, BAD_VALUES) if first else FEW
            for value in values:
                data = {**base, name: value}
                what = f"{role} {form.method.upper()} {target} {name}={value[:20]!r}"
                follow = form.method == "get" and first and value in FOR_EXPORT
                self.send(user, form.method, target, data, what, follow_exports=follow)

    def walk(self) -> None:
        for route in routes():
            for role in ROLES:
                user = self.world.users[role]
                for url in fill(route, self.world, user):
                    self.walk_page(user, role, url)

    def walk_page(self, user, role: str, url: str) -> None:  # type: ignore[no-untyped-def]
        self.login(user)
        try:
            with rolled_back():
                response = self.client.get(url)
                html = (
                    response.content.decode()
                    if response.status_code == 200
                    and response.get("Content-Type", "").startswith("text/html")
                    else ""
                )
        except Exception as exc:  # noqa: BLE001
            self.fail(cause(exc), f"{role} GET {url}")
            return
        if not html:
            return
        for form in forms_of(html):
            self.fuzz_form(user, role, url, form)
        key = ("get", url, ("page",))
        values = FEW if key in self.done_forms else BY_KIND["number"]
        self.done_forms.add(key)
        for name in LINK_PARAMS:
            for value in values:
                self.send(user, "get", url, {name: value}, f"{role} GET {url} {name}")

    def walk_api(self) -> None:
        """The API has no forms: its query parameters and path ids get the same values."""
        user = self.world.users["clerk"]
        for value in BAD_VALUES:
            for param in ("parent", "page", "q"):
                url = "/api/orgs/?" + urlencode({param: value})
                self.send(user, "get", url, {}, f"clerk GET {url[:60]}")
            if "\x00" not in value and "/" not in value:
                self.send(user, "get", f"/api/orgs/{value[:100]}/", {}, f"api pk {value[:20]!r}")


@pytest.mark.django_db
def test_no_bad_value_in_any_form_or_filter_answers_500_or_writes(world, client):
    fuzzer = Fuzzer(client, world)
    fuzzer.walk()
    fuzzer.walk_api()
    report = "\n".join(
        f"{len(whats)}× {key}\n    e.g. {whats[0]}"
        for key, whats in sorted(fuzzer.failures.items())
    )
    assert not fuzzer.failures, f"{len(fuzzer.failures)} distinct failures:\n{report}"
