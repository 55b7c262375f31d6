"""Users: each bound to one org, reaching that org's subtree."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="users", verbose_name="所属单位"
    )
    display_name = models.CharField("姓名", max_length=50, blank=True)

    REQUIRED_FIELDS = ["org"]

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    def role_codes(self) -> frozenset[str]:
        """The user's roles; the access issue turns these into per-action grants."""
        return frozenset(self.groups.values_list("name", flat=True))
