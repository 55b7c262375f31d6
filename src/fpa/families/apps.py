from __future__ import annotations

from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "fpa.families"
    verbose_name = "特殊家庭"

    def ready(self) -> None:
        from . import exports, imports  # noqa: F401  (registers the export and import jobs)
