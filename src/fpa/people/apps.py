from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "fpa.people"
    verbose_name = "人员"

    def ready(self) -> None:
        from . import duplicates, exports, imports, services  # noqa: F401  (job runners, merge steps)
