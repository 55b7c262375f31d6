"""The base of every org-owned table: the org and its copied ancestors (DESIGN §4 rule 8)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from .scope import ScopedManager, ScopedQuerySet

#: the columns a row holding an org copies from it
ANCESTOR_FIELDS = ("city", "county", "township")
if TYPE_CHECKING:
    from fpa.orgs.models import Org


class OrgOwned(models.Model):
    """A row held by an org, with the org's ancestors copied for one-index scoped pages."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    city = models.ForeignKey("orgs.Org", null=True, on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey("orgs.Org", null=True, on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey("orgs.Org", null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()
    unscoped_objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        default_manager_name = "unscoped_objects"

    def place_in(self, org: Org) -> None:
        self.org = org
        self.city_id, self.county_id, self.township_id = org.city_id, org.county_id, org.township_id


def unindexed_places() -> dict[str, models.ForeignKey[Any, Any]]:
    """`OrgOwned`'s four org columns for a table of millions: no single-column indexes (the
    model's composite indexes start with each column and serve the joins and an org's deletes
    just as well), and no database constraint on the three ancestor columns.

    Why: every inserted row pays for each index, and for each foreign-key constraint a check at
    COMMIT (~3 µs a row each on 5 million persons). The ancestors are copies of the org's own,
    written with it (`OrgOwned.place_in`, the import's bulk rows); `org` keeps its constraint.
    """

    def copied() -> models.ForeignKey[Any, Any]:
        return models.ForeignKey(
            "orgs.Org",
            on_delete=models.PROTECT,
            related_name="+",
            db_index=False,
            null=True,
            db_constraint=False,
        )

    org: models.ForeignKey[Any, Any] = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name="单位"
    )
    return {"org": org, "city": copied(), "county": copied(), "township": copied()}
