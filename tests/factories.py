"""Test data: a small division table shaped like Hunan's, and users at each level."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import factory

from fpa.accounts import roles
from fpa.accounts.models import Grant, GrantRule, Role, RoleAssignment, User
from fpa.orgs.models import Org

MINI_TABLE = [
    ("430000000000", "湖南省", "province", ""),
    ("430100000000", "长沙市", "city", "430000000000"),
    ("430200000000", "株洲市", "city", "430000000000"),
    ("430121000000", "长沙县", "county", "430100000000"),
    ("430181000000", "浏阳市", "county", "430100000000"),
    ("430202000000", "荷塘区", "county", "430200000000"),
    ("430121001000", "星沙街道", "township", "430121000000"),
    ("430121002000", "黄花镇", "township", "430121000000"),
    ("430181001000", "淮川街道", "township", "430181000000"),
    ("430202001000", "月塘街道", "township", "430202000000"),
    ("430121001001", "湖湾村村民委员会", "village", "430121001000"),
    ("430121001002", "开元社区居委会", "village", "430121001000"),
    ("430121002001", "黄花村村民委员会", "village", "430121002000"),
    ("430181001001", "北正社区居委会", "village", "430181001000"),
    ("430202001001", "新塘村村民委员会", "village", "430202001000"),
]


def write_table(path: Path, rows: list[tuple[str, str, str, str]], gz: bool = True) -> Path:
    lines = [["code", "name", "level", "parent_code"], *rows]
    opener = gzip.open if gz else open
    with opener(path, "wt", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(lines)
    return path


def grant(user: User, *codes: str, own_org_only: bool = False) -> None:
    """Give a user roles directly (tests only; the service checks who may grant what)."""
    if not Role.objects.exists():
        # A transactional test's flush removed what the data migration loaded.
        roles.sync(Role, Grant, GrantRule)
    for code in codes:
        RoleAssignment.objects.create(
            user=user, role=Role.objects.get(code=code), own_org_only=own_org_only
        )


def org(code: str) -> Org:
    return Org.unscoped_objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "Test@2021pass")
    must_change_password = False

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            grant(self, *extracted)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):  # type: ignore[no-untyped-def]
        if create:
            instance.save()
